//go:build linux

package e2e

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"echoscope/backend/testnet"
)

// The tests in this file run echoscope-ping and iputils ping (20221126, /usr/bin/ping) with
// the same arguments against the same namespaced test host and check that they agree, for
// each behaviour of issue 11 (iputils' side is skipped where it is not installed). Every
// packet stays inside the test hosts' namespaces.

const iputilsPing = "/usr/bin/ping"

// hasIputils tells whether iputils ping is here to compare with.
func hasIputils() bool {
	_, err := os.Stat(iputilsPing)
	return err == nil
}

// runLimited runs name with args, killing it after limit (a run that hangs is a failure,
// reported with what it printed, rather than a test timeout).
func runLimited(t *testing.T, limit time.Duration, name string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	code := 0
	switch {
	case ctx.Err() != nil:
		t.Fatalf("%s %v: still running after %v\nstdout:\n%s\nstderr:\n%s", name, args, limit, out.String(), errb.String())
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return result{out.String(), errb.String(), code}
}

// both runs echoscope-ping and iputils ping with args in namespace ns ("": here). theirs
// is nil without iputils.
func both(t *testing.T, limit time.Duration, ns string, args ...string) (ours result, theirs *result) {
	t.Helper()
	in := func(prog string) (string, []string) {
		if ns == "" {
			return prog, args
		}
		return "ip", append([]string{"netns", "exec", ns, prog}, args...)
	}
	name, a := in(bin)
	ours = runLimited(t, limit, name, a...)
	if hasIputils() {
		name, a = in(iputilsPing)
		r := runLimited(t, limit, name, a...)
		theirs = &r
	}
	return ours, theirs
}

// progPrefix is the program name iputils and we put before a message ("ping: " or
// "/usr/bin/ping: ", as argv[0] says, and "echoscope-ping: ").
var progPrefix = regexp.MustCompile(`^(\S*/)?(echoscope-)?ping: `)

// stderrLines are the stderr lines with the program's name taken off, so both tools'
// messages compare ("ping: x" and "echoscope-ping: x" are both "x"). Our note about
// unprivileged datagram sockets has no iputils counterpart and is left out.
func stderrLines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		l = progPrefix.ReplaceAllString(l, "")
		if l != "" && !strings.HasPrefix(l, "unprivileged ICMP datagram socket") {
			out = append(out, l)
		}
	}
	return out
}

// counts are the figures of iputils' statistics line.
type counts struct {
	transmitted, received, duplicates, errors int
	ok                                        bool
}

var statsLine = regexp.MustCompile(`(?m)^(\d+) packets transmitted, (\d+) received(?:, \+(\d+) duplicates)?(?:, \+\d+ corrupted)?(?:, \+(\d+) errors)?`)

func statsOf(stdout string) counts {
	m := statsLine.FindStringSubmatch(stdout)
	if m == nil {
		return counts{}
	}
	n := func(s string) int { v, _ := strconv.Atoi(s); return v }
	return counts{n(m[1]), n(m[2]), n(m[3]), n(m[4]), true}
}

// agree checks that both tools exit alike and print the same statistics counts, and
// returns ours; extra checks each tool's own result as well.
func agree(t *testing.T, ours result, theirs *result, extra func(who string, r result, c counts)) counts {
	t.Helper()
	c := statsOf(ours.stdout)
	if extra != nil {
		extra("echoscope-ping", ours, c)
	}
	if theirs == nil {
		return c
	}
	tc := statsOf(theirs.stdout)
	if extra != nil {
		extra("iputils", *theirs, tc)
	}
	if ours.code != theirs.code || c != tc {
		t.Errorf("tools disagree: exit %d vs %d, counts %+v vs %+v\nours: %s\niputils: %s", ours.code, theirs.code, c, tc, ours, theirs)
	}
	return c
}

// sameStderr checks that both tools said the same on stderr (program names aside).
func sameStderr(t *testing.T, ours result, theirs *result) {
	t.Helper()
	if theirs == nil {
		return
	}
	if a, b := strings.Join(stderrLines(ours.stderr), "\n"), strings.Join(stderrLines(theirs.stderr), "\n"); a != b {
		t.Errorf("stderr differs:\nours:    %q\niputils: %q", a, b)
	}
}

// Points 1-3: errors answer probes for -c; -c with -w keeps sending until a reply or the
// deadline; -w stops at the first error.
func TestStopRulesLikeIputils(t *testing.T) {
	h := testnet.NewT(t, testnet.Config{ClientNamespace: true, SilenceKernel: true})
	peer := h.PeerV4.String()
	t.Run("silent host, -c 1 -w 1", func(t *testing.T) {
		ours, theirs := both(t, 10*time.Second, h.ClientNS, "-c", "1", "-w", "1", "-i", "0.2", peer)
		c := statsOf(ours.stdout)
		if ours.code != 1 || c.received != 0 || c.transmitted < 3 {
			t.Errorf("-c 1 -w 1 sent %d requests (want one every 0.2 s until the deadline):\n%s", c.transmitted, ours)
		}
		if theirs != nil {
			tc := statsOf(theirs.stdout)
			if theirs.code != 1 || tc.transmitted < c.transmitted-1 || tc.transmitted > c.transmitted+1 {
				t.Errorf("iputils sent %d, we sent %d\nours: %s\niputils: %s", tc.transmitted, c.transmitted, ours, theirs)
			}
		}
	})
	testnet.NewResponderT(t, h, testnet.Chaos{Fault: testnet.FaultUnreachable})
	t.Run("errors answer -c", func(t *testing.T) {
		// The 8 s limit is below the 10 s the requests would otherwise wait for replies.
		ours, theirs := both(t, 8*time.Second, h.ClientNS, "-c", "2", "-i", "0.05", peer)
		agree(t, ours, theirs, func(who string, r result, c counts) {
			if r.code != 1 || c.transmitted != 2 || c.errors != 2 || !strings.Contains(r.stdout, "Destination Host Unreachable") {
				t.Errorf("%s: %s", who, r)
			}
		})
	})
	t.Run("-w stops at the first error", func(t *testing.T) {
		ours, theirs := both(t, 8*time.Second, h.ClientNS, "-w", "5", "-i", "0.05", peer)
		agree(t, ours, theirs, func(who string, r result, c counts) {
			if r.code != 1 || c.transmitted != 1 || c.errors != 1 {
				t.Errorf("%s: %s", who, r)
			}
		})
	})
}

// Point 4: local send errors are said and counted; a broadcast without -b is refused.
func TestLocalErrorsAndBroadcastLikeIputils(t *testing.T) {
	h := testnet.NewT(t, testnet.Config{ClientNamespace: true})
	peer := h.PeerV4.String()
	t.Run("-M do over the MTU", func(t *testing.T) {
		ours, theirs := both(t, 8*time.Second, h.ClientNS, "-M", "do", "-s", "2000", "-c", "2", "-i", "0.05", peer)
		agree(t, ours, theirs, func(who string, r result, c counts) {
			if r.code != 1 || c.transmitted != 2 || c.errors != 2 {
				t.Errorf("%s: %s", who, r)
			}
		})
		if got := stderrLines(ours.stderr); len(got) != 2 || got[0] != "local error: message too long, mtu=1500" {
			t.Errorf("stderr %q", got)
		}
		sameStderr(t, ours, theirs)
	})
	b := h.LocalV4.As4()
	b[3] = 255
	bcast := net.IP(b[:]).String()
	t.Run("broadcast without -b", func(t *testing.T) {
		ours, theirs := both(t, 8*time.Second, h.ClientNS, "-c", "1", bcast)
		if ours.code != 2 || ours.stdout != "" || !strings.HasSuffix(ours.stderr, "Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n") {
			t.Errorf("ours: %s", ours)
		}
		agree(t, ours, theirs, nil)
		sameStderr(t, ours, theirs)
	})
	t.Run("broadcast with -b", func(t *testing.T) {
		ours, theirs := both(t, 8*time.Second, h.ClientNS, "-b", "-c", "1", "-W", "0.3", bcast)
		if ours.stderr != "WARNING: pinging broadcast address\n" {
			t.Errorf("ours: %s", ours)
		}
		sameStderr(t, ours, theirs)
	})
}

// Point 5: numbers are decimal only, with iputils' words and exit codes.
func TestNumbersLikeIputils(t *testing.T) {
	for _, args := range [][]string{
		{"-c", "0x3"}, {"-c", "1_0"}, {"-s", "0x10"}, {"-w", "0x2"}, {"-e", "0x10"},
		{"-t", "300"}, {"-l", "0"}, {"-S", "0"}, {"-c", "0"}, {"-Q", "300"}, {"-M", "foo"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			// Refused before anything is opened: the destination is never pinged.
			ours, theirs := both(t, 5*time.Second, "", append(args, "127.0.0.1")...)
			if ours.code == 0 || ours.stdout != "" {
				t.Errorf("ours: %s", ours)
			}
			agree(t, ours, theirs, nil)
			sameStderr(t, ours, theirs)
		})
	}
	h := testnet.NewT(t, testnet.Config{ClientNamespace: true})
	ours, theirs := both(t, 8*time.Second, h.ClientNS, "-c", "010", "-i", "0.01", h.PeerV4.String())
	agree(t, ours, theirs, func(who string, r result, c counts) {
		if c.transmitted != 10 || c.received != 10 {
			t.Errorf("%s: -c 010 is ten: %s", who, r)
		}
	})
}

// Point 6: -I's errors, header and warning.
func TestSourceInterfaceLikeIputils(t *testing.T) {
	for _, src := range []string{"nosuchif", "198.51.100.77"} {
		ours, theirs := both(t, 5*time.Second, "", "-c", "1", "-I", src, "127.0.0.1")
		if ours.code != 2 || strings.Contains(ours.stderr, "setcap") || strings.Contains(ours.stderr, "sysctl") {
			t.Errorf("-I %s: %s", src, ours)
		}
		agree(t, ours, theirs, nil)
		sameStderr(t, ours, theirs)
	}
	h := testnet.NewT(t, testnet.Config{ClientNamespace: true})
	peer := h.PeerV4.String()
	// -B (sticky source) names the source the kernel chose, with no device, as -I ADDRESS.
	for _, args := range [][]string{{"-I", h.LocalIf}, {"-I", "lo"}, {"-B"}, {"-I", h.LocalV4.String()}} {
		dev := ""
		if args[0] == "-I" && args[1] != h.LocalV4.String() {
			dev = args[1]
		}
		ours, theirs := both(t, 8*time.Second, h.ClientNS, append([]string{"-c", "1", "-W", "0.3"}, append(args, peer)...)...)
		want := "PING " + peer + " (" + peer + ") from " + h.LocalV4.String() + " " + dev + ": 56(84) bytes of data."
		if first, _, _ := strings.Cut(ours.stdout, "\n"); first != want {
			t.Errorf("-I %s header %q, want %q", dev, first, want)
		}
		if theirs != nil {
			if a, b, _ := strings.Cut(theirs.stdout, "\n"); a != want {
				t.Errorf("iputils -I %s header %q (%s)", dev, a, b)
			}
		}
		agree(t, ours, theirs, nil)
		sameStderr(t, ours, theirs)
	}
}

// Point 7: -r, -W 0, -a before the newline, -h on stderr; point 10: -l, -A, -m, -S.
func TestOptionsLikeIputils(t *testing.T) {
	h := testnet.NewT(t, testnet.Config{ClientNamespace: true})
	peer := h.PeerV4.String()
	for _, c := range []struct {
		args  []string
		check func(who string, r result, c counts)
	}{
		{[]string{"-r", "-c", "1"}, nil},
		{[]string{"-W", "0", "-c", "2", "-i", "0.05"}, nil},
		{[]string{"-a", "-c", "1"}, func(who string, r result, _ counts) {
			if !strings.Contains(r.stdout, " ms\a\n") {
				t.Errorf("%s: no bell before the newline: %q", who, r.stdout)
			}
		}},
		// Preloaded: all three go at once, not one every 5 s (the 4 s limit would stop them).
		{[]string{"-l", "3", "-c", "3", "-i", "5"}, nil},
		// Adaptive: the interval follows the sub-millisecond RTT, not -i 2 (the limit is 4 s).
		{[]string{"-A", "-c", "3", "-i", "2"}, func(who string, r result, _ counts) {
			if !strings.Contains(r.stdout, ", ipg/ewma ") {
				t.Errorf("%s: no ipg/ewma after -A: %q", who, r.stdout)
			}
		}},
		{[]string{"-m", "1", "-c", "1"}, nil},
		{[]string{"-S", "65536", "-c", "1"}, nil},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			ours, theirs := both(t, 4*time.Second, h.ClientNS, append(c.args, peer)...)
			got := agree(t, ours, theirs, c.check)
			if ours.code != 0 || got.received != got.transmitted {
				t.Errorf("ours: %s", ours)
			}
			sameStderr(t, ours, theirs)
		})
	}
	ours, theirs := both(t, 4*time.Second, "", "-h")
	if ours.code != 2 || ours.stdout != "" || !strings.Contains(ours.stderr, "Usage") {
		t.Errorf("-h: %s", ours)
	}
	if theirs != nil && (theirs.code != 2 || theirs.stdout != "") {
		t.Errorf("iputils -h: %s", theirs)
	}
	// -T needs IP options through the privileged helper: refused in words, not ignored.
	r := run(t, bin, "-T", "tsonly", "-c", "1", peer)
	if r.code != 2 || !strings.Contains(r.stderr, "IP options") {
		t.Errorf("-T: %s", r)
	}
}

// Point 8: the address forms iputils accepts, and no "DIFFERENT ADDRESS!" for this host.
func TestAddressesLikeIputils(t *testing.T) {
	h := testnet.NewT(t, testnet.Config{ClientNamespace: true})
	for _, c := range []struct{ target, shown string }{
		{"127.1", "127.0.0.1"}, {"0x7f000001", "127.0.0.1"}, {"2130706433", "127.0.0.1"}, {"0.0.0.0", "127.0.0.1"},
	} {
		t.Run(c.target, func(t *testing.T) {
			// The client namespace's own loopback: nobody else pings there.
			ours, theirs := both(t, 4*time.Second, h.ClientNS, "-c", "1", c.target)
			want := "PING " + c.target + " (" + c.shown + ") 56(84) bytes of data."
			agree(t, ours, theirs, func(who string, r result, cn counts) {
				if first, _, _ := strings.Cut(r.stdout, "\n"); first != want || r.code != 0 || strings.Contains(r.stdout, "DIFFERENT ADDRESS") {
					t.Errorf("%s: %s", who, r)
				}
			})
		})
	}
	t.Run("IDN", func(t *testing.T) {
		// The namespace has no resolver: both fail to look the name up, in the same words.
		ours, theirs := both(t, 8*time.Second, h.ClientNS, "-c", "1", "münchen.test")
		if ours.code != 2 || !strings.HasPrefix(ours.stderr, "echoscope-ping: münchen.test: ") {
			t.Errorf("ours: %s", ours)
		}
		agree(t, ours, theirs, nil)
		sameStderr(t, ours, theirs)
	})
	for _, target := range []string{"::", "::1%lo"} {
		// iputils 20221126 refuses ::1%lo and never answers for ::; ours only.
		r := runLimited(t, 4*time.Second, "ip", "netns", "exec", h.ClientNS, bin, "-c", "1", target)
		if r.code != 0 || strings.Contains(r.stdout, "DIFFERENT ADDRESS") {
			t.Errorf("%s: %s", target, r)
		}
	}
	for _, args := range [][]string{{"--pcap", ""}, {"-I", ""}} {
		r := run(t, bin, append(args, "-c", "1", "127.0.0.1")...)
		if r.code != 2 || r.stdout != "" {
			t.Errorf("%q: %s", args, r)
		}
	}
}

// Issue 10 point 8: an IPv6 zone names an interface or is refused; %N is honoured.
func TestIPv6ZonesLikeIputils(t *testing.T) {
	h := testnet.NewT(t, testnet.Config{ClientNamespace: true})
	out, err := exec.Command("ip", "netns", "exec", h.NS, "ip", "-6", "-o", "addr", "show", "dev", h.PeerIf, "scope", "link").Output()
	m := regexp.MustCompile(`inet6 (fe80::[0-9a-f:]+)/`).FindSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("peer link-local address: %v %q", err, out)
	}
	ll := string(m[1])
	idx, err := exec.Command("ip", "netns", "exec", h.ClientNS, "cat", "/sys/class/net/"+h.LocalIf+"/ifindex").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, zone := range []string{h.LocalIf, strings.TrimSpace(string(idx))} {
		ours, theirs := both(t, 4*time.Second, h.ClientNS, "-c", "1", ll+"%"+zone)
		agree(t, ours, theirs, func(who string, r result, c counts) {
			if r.code != 0 || c.received != 1 || !strings.Contains(r.stdout, "64 bytes from "+ll+"%"+h.LocalIf+": icmp_seq=1") {
				t.Errorf("%s: %s", who, r)
			}
		})
	}
	ours, theirs := both(t, 4*time.Second, h.ClientNS, "-c", "1", ll+"%nosuchif")
	if ours.code != 2 || ours.stdout != "" {
		t.Errorf("unknown zone: %s", ours)
	}
	agree(t, ours, theirs, nil)
	sameStderr(t, ours, theirs)
	// An unknown index: iputils 20221126 hangs on it; we refuse it like an unknown name.
	r := runLimited(t, 4*time.Second, "ip", "netns", "exec", h.ClientNS, bin, "-c", "1", ll+"%999")
	if r.code != 2 || !strings.Contains(r.stderr, "Name or service not known") {
		t.Errorf("unknown zone index: %s", r)
	}
}

// Point 9: the rtt line counts duplicates' RTTs, as iputils does: in each tool's output the
// rtt line's min and max are the smallest and largest time= printed, DUP lines included.
func TestDuplicatesInRTTLikeIputils(t *testing.T) {
	h := testnet.NewT(t, testnet.Config{ClientNamespace: true, SilenceKernel: true})
	testnet.NewResponderT(t, h, testnet.Chaos{Fault: testnet.FaultDuplicate, Copies: 2})
	ours, theirs := both(t, 8*time.Second, h.ClientNS, "-c", "3", "-i", "0.05", h.PeerV4.String())
	timeRE := regexp.MustCompile(`time=([0-9.]+) ms`)
	rttRE := regexp.MustCompile(`rtt min/avg/max/mdev = ([0-9.]+)/[0-9.]+/([0-9.]+)/`)
	check := func(who string, r result, c counts) {
		// Two copies per request; the last request's may come after the run ended (in
		// either tool: so the duplicate counts are not compared between them).
		if r.code != 0 || c.transmitted != 3 || c.received != 3 || c.duplicates < 4 {
			t.Errorf("%s: %+v\n%s", who, c, r)
		}
		lo, hi := 1e9, 0.0
		for _, m := range timeRE.FindAllStringSubmatch(r.stdout, -1) {
			v, _ := strconv.ParseFloat(m[1], 64)
			lo, hi = min(lo, v), max(hi, v)
		}
		m := rttRE.FindStringSubmatch(r.stdout)
		if m == nil {
			t.Fatalf("%s: no rtt line:\n%s", who, r)
		}
		rmin, _ := strconv.ParseFloat(m[1], 64)
		rmax, _ := strconv.ParseFloat(m[2], 64)
		// Reply lines round above 1 ms (1.23, 12.3); the rtt line keeps microseconds.
		tol := func(v float64) float64 { return map[bool]float64{true: 0.0011, false: 0.51}[v < 1] }
		if d := rmin - lo; d > tol(lo) || d < -tol(lo) {
			t.Errorf("%s: rtt min %v, smallest time= %v", who, rmin, lo)
		}
		if d := rmax - hi; d > tol(hi) || d < -tol(hi) {
			t.Errorf("%s: rtt max %v, largest time= %v (duplicates included?)", who, rmax, hi)
		}
	}
	check("echoscope-ping", ours, statsOf(ours.stdout))
	if theirs != nil {
		check("iputils", *theirs, statsOf(theirs.stdout))
	}
}
