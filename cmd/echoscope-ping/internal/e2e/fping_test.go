//go:build linux

package e2e

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"echoscope/backend/testnet"
)

// The tests in this file run echoscope-ping's fping mode and Debian's fping 5.1
// (/usr/bin/fping) with the same arguments against the same namespaced test hosts, at the
// same time as far as the hosts go, and compare their lines: every packet stays inside the
// test hosts' namespaces.

const realFping = "/usr/bin/fping"

// fpingHosts are five test hosts in this namespace, each misbehaving its own way.
type fpingHosts struct {
	ok, silent, dup, unreach, late *testnet.Host
}

func newFpingHosts(t *testing.T) fpingHosts {
	t.Helper()
	if err := testnet.Available(); err != nil {
		t.Skip(err)
	}
	hs := make([]*testnet.Host, 5)
	var wg sync.WaitGroup
	for i := range hs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h, err := testnet.New(testnet.Config{SilenceKernel: i > 0})
			if err != nil {
				t.Errorf("testnet: %v", err)
				return
			}
			hs[i] = h
		}()
	}
	wg.Wait()
	t.Cleanup(func() {
		for _, h := range hs {
			if h != nil {
				h.Close()
			}
		}
	})
	if t.Failed() {
		t.FailNow()
	}
	testnet.NewResponderT(t, hs[1], testnet.Chaos{Fault: testnet.FaultDrop})
	testnet.NewResponderT(t, hs[2], testnet.Chaos{Fault: testnet.FaultDuplicate})
	testnet.NewResponderT(t, hs[3], testnet.Chaos{Fault: testnet.FaultUnreachable})
	// Every reply 300 ms late: after a 200 ms timeout, before the next request of -p 400.
	testnet.NewResponderT(t, hs[4], testnet.Chaos{Fault: testnet.FaultDelay, Delay: 300 * time.Millisecond})
	return fpingHosts{hs[0], hs[1], hs[2], hs[3], hs[4]}
}

// rttNumber is a figure that depends on timing (an RTT, an average, an elapsed time): a
// number with a fraction standing alone (not a part of an IPv4 address).
var rttNumber = regexp.MustCompile(`(^|[ (/=])\d+\.\d+(?:e[+-]\d+)?([ /)]|$)`)

// fpingName is the program's name before a message ("/usr/bin/fping: ", "echoscope-ping: ").
var fpingName = regexp.MustCompile(`^(\S*/)?(fping|echoscope-ping): `)

// fpingLines are a stream's lines with timing figures replaced by T and the program name
// taken off, sorted: the two tools space their requests differently (fping sends a round
// -i apart, echoscope-ping spreads the targets over the period), so lines of different
// targets may come in another order, but every line must be there, byte for byte apart
// from the times.
func fpingLines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		l = fpingName.ReplaceAllString(l, "")
		for range 2 { // twice: "1.0/2.0/3.0" shares the slashes between matches
			l = rttNumber.ReplaceAllString(l, "${1}T${2}")
		}
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}

func TestFpingModeLikeFping(t *testing.T) {
	if _, err := os.Stat(realFping); err != nil {
		t.Skip("fping is not installed: nothing to compare with")
	}
	h := newFpingHosts(t)
	four := []string{h.ok.PeerV4.String(), h.silent.PeerV4.String(), h.dup.PeerV4.String(), h.unreach.PeerV4.String()}
	// A longer name in front pads every name in the count mode's lines (fping's %-*s).
	withV6 := append([]string{h.ok.PeerV6.String()}, four...)
	net := strings.TrimSuffix(h.ok.LocalV4.String(), ".1")
	cases := []struct {
		name string
		args []string
	}{
		{"default", append([]string{"-t", "200", "-r", "1"}, four...)},
		{"alive", append([]string{"-a", "-t", "200", "-r", "1"}, four...)},
		{"unreachable", append([]string{"-u", "-t", "200", "-r", "1"}, four...)},
		{"elapsed", append([]string{"-e", "-t", "200", "-r", "0"}, four...)},
		{"quiet", append([]string{"-q", "-t", "200", "-r", "0"}, four...)},
		{"alive with stats", append([]string{"-a", "-s", "-t", "200", "-r", "1"}, four...)},
		{"count", append([]string{"-c", "2", "-p", "300", "-t", "200"}, four...)},
		// fping 5.1 with an IPv6 target beside IPv4 ones sometimes misses an ICMPv4 error
		// (one "ICMP Host Unreachable" line of two, in about one run of six): the host
		// that sends errors stays out of the mixed-family case.
		{"count padded", append([]string{"-c", "2", "-p", "300", "-t", "200"}, withV6[:4]...)},
		{"vcount quiet", append([]string{"-C", "3", "-q", "-p", "300", "-t", "200"}, withV6...)},
		{"count quiet stats", append([]string{"-s", "-c", "2", "-q", "-p", "300", "-t", "200"}, four...)},
		// Replies 300 ms late for a 200 ms timeout: not counted as received, but fping's
		// "ICMP Echo Replies received" counts those that came before it ended. The late
		// host is second: fping pings it at 10 and 610 ms and ends at 810, echoscope-ping
		// at 300 and 900 and ends at 1100, so each sees the first late reply and not the second.
		{"late replies", []string{"-s", "-c", "2", "-p", "600", "-t", "200", h.ok.PeerV4.String(), h.late.PeerV4.String()}},
		{"IPv6 errors", []string{"-s", "-t", "200", "-r", "0", h.unreach.PeerV6.String(), h.ok.PeerV6.String()}},
		{"size and ttl", append([]string{"-c", "1", "-b", "100", "-H", "9", "-t", "200"}, four[0], four[2])},
		{"generate CIDR", []string{"-a", "-r", "0", "-t", "200", "-g", net + ".0/30"}},
		{"generate range", []string{"-r", "0", "-t", "200", "-g", net + ".1", net + ".3"}},
		{"unknown name", []string{"-r", "0", "-t", "200", "nosuch.invalid", four[0]}},
		{"bad netmask", []string{"-g", net + ".0/33"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ours, theirs result
			var wg sync.WaitGroup
			wg.Add(2)
			go func() { defer wg.Done(); ours = runLimited(t, 20*time.Second, bin, c.args...) }()
			go func() { defer wg.Done(); theirs = runLimited(t, 20*time.Second, realFping, c.args...) }()
			wg.Wait()
			if ours.code != theirs.code {
				t.Errorf("exit %d, fping %d\nours: %s\nfping: %s", ours.code, theirs.code, ours, theirs)
			}
			if a, b := fpingLines(ours.stdout), fpingLines(theirs.stdout); !slices.Equal(a, b) {
				t.Errorf("stdout differs:\nours:  %q\nfping: %q", a, b)
			}
			if a, b := fpingLines(ours.stderr), fpingLines(theirs.stderr); !slices.Equal(a, b) {
				t.Errorf("stderr differs:\nours:  %q\nfping: %q", a, b)
			}
		})
	}
}

// -g beyond a /22 needs --force (fping itself has no such bound for a CIDR); a usage
// mistake exits 1 as fping's do.
func TestFpingModeBounds(t *testing.T) {
	r := run(t, bin, "-a", "-g", "192.0.2.0/21")
	if r.code != 1 || !strings.Contains(r.stderr, "-g parameter generates too many addresses (2046; at most 1024, a /22, without --force)") {
		t.Errorf("a /21 without --force: %s", r)
	}
	r = run(t, bin, "-a", "--force", "-g", "192.0.2.0/19")
	if r.code != 1 || !strings.Contains(r.stderr, "a monitor has at most 4096") {
		t.Errorf("a /19 with --force: %s", r)
	}
	r = run(t, bin, "-Z", "192.0.2.1", "192.0.2.2")
	if r.code != 1 || !strings.Contains(r.stderr, "invalid option -- 'Z'") {
		t.Errorf("an unknown option: %s", r)
	}
}

// --json in the fping mode: every line of a real run validates against
// docs/cli-json.schema.json, every new type appears, and each target's summary has its own
// exact counts.
func TestFpingModeJSON(t *testing.T) {
	s := loadSchema(t)
	h := newFpingHosts(t)
	targets := []string{h.ok.PeerV4.String(), h.silent.PeerV4.String(), h.dup.PeerV4.String(), h.unreach.PeerV4.String()}
	r := runLimited(t, 20*time.Second, bin, append([]string{"--json", "-c", "2", "-p", "200", "-t", "150", "nosuch.invalid"}, targets...)...)
	if r.code != 2 {
		t.Fatalf("exit %d, want 2 (a name did not resolve): %s", r.code, r)
	}
	types := validateLines(t, s, r.stdout)
	for _, want := range []string{"unknown_target", "monitor_start", "send", "reply", "icmp_error", "loss", "target_summary", "monitor_summary"} {
		if !slices.Contains(types, want) {
			t.Errorf("no %s object in %v", want, types)
		}
	}
	if types[len(types)-1] != "monitor_summary" {
		t.Errorf("last object %s, want monitor_summary", types[len(types)-1])
	}
	type stats struct {
		Transmitted, Received, Lost, Duplicates, Errors int
	}
	want := []stats{{2, 2, 0, 0, 0}, {2, 0, 2, 0, 0}, {2, 2, 0, 2, 0}, {2, 0, 2, 0, 2}}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var obj struct {
			Type       string `json:"type"`
			Target     int    `json:"target"`
			Host       string `json:"host"`
			Statistics stats  `json:"statistics"`
		}
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Fatal(err)
		}
		if obj.Type != "target_summary" {
			continue
		}
		seen++
		if obj.Host != targets[obj.Target] || obj.Statistics != want[obj.Target] {
			t.Errorf("target %d (%s): %+v, want %s %+v", obj.Target, obj.Host, obj.Statistics, targets[obj.Target], want[obj.Target])
		}
	}
	if seen != len(targets) {
		t.Errorf("%d target summaries for %d targets", seen, len(targets))
	}
}
