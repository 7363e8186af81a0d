//go:build linux

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"net/netip"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"echoscope/backend/agent"
	"echoscope/backend/probe"
	"echoscope/backend/testnet"
)

// mtrRow is one hop line of mtr's report.
var mtrRow = regexp.MustCompile(`^ +(\d+)\.\|-- (\S+) +([\d.]+)%? +(\d+) +([\d.]+) +([\d.]+) +([\d.]+) +([\d.]+) +([\d.]+)$`)

// reportRows returns the hop lines of a report, checking its first two lines' shape.
func reportRows(t *testing.T, who, out string) []string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) < 2 || !regexp.MustCompile(`^Start: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$`).MatchString(lines[0]) {
		t.Fatalf("%s: no Start line:\n%s", who, out)
	}
	for _, l := range lines[2:] {
		if !mtrRow.MatchString(l) {
			t.Fatalf("%s: a hop line not in mtr's shape: %q\n%s", who, l, out)
		}
	}
	return lines[1:]
}

// `echoscope-ping trace` and Debian's mtr 0.95 (mtr-tiny), side by side on the same chain of
// three routers whose second rate-limits its ICMP errors, over IPv4 and IPv6: the same
// header, the same hop addresses, Snt and Loss% to the character (the first 45 columns of
// every line are identical), times in mtr's format and order (best <= avg <= worst), and our
// rate-limit note on router 2. mtr sends from a second client address, so each program has
// the router's burst of 6 errors to itself (the kernel's token bucket is per destination
// address over IPv4, per route over IPv6: there mtr's address is in a /64 of its own).
//
// Over IPv4 both run at once. Over IPv6 they run one after the other: two ICMPv6 tracers at
// once in one namespace both saw answers up to 600 ms late and lost, mtr as much as ours
// (each raw ICMPv6 socket gets the other's errors too).
func TestTraceReportMatchesMtr(t *testing.T) {
	mtr, err := exec.LookPath("mtr")
	if err != nil {
		t.Skip("mtr is not installed (Debian: mtr-tiny)")
	}
	c := testnet.NewChainT(t, testnet.ChainConfig{Routers: 3, RateLimited: 2})
	second4 := c.SourceV4().As4()
	second4[3] = 3
	v4 := &traceSide{flag: "-4", target: c.TargetV4(), hops: c.HopsV4(), mtrSource: netip.AddrFrom4(second4)}
	if out, err := exec.Command("ip", "-n", c.ClientNS, "addr", "add", v4.mtrSource.String()+"/24", "dev", c.Links[0].LocalIf).CombinedOutput(); err != nil {
		t.Fatalf("second client address: %v %s", err, out)
	}
	// Over IPv6 the router's bucket is per route, so mtr's address is in a /64 of its own.
	second6, err := c.SecondClientV6()
	if err != nil {
		t.Fatal(err)
	}
	v6 := &traceSide{flag: "-6", target: c.TargetV6(), hops: c.HopsV6(), mtrSource: second6}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); v4.runMtr(c.ClientNS, mtr) }()
	go func() { defer wg.Done(); v4.runOurs(c.ClientNS) }()
	wg.Wait()
	v6.runMtr(c.ClientNS, mtr)
	v6.runOurs(c.ClientNS)
	for _, f := range []*traceSide{v4, v6} {
		t.Run(f.flag, f.compare)
	}
}

// traceSide is one address family's pair of runs in TestTraceReportMatchesMtr.
type traceSide struct {
	flag          string
	target        netip.Addr
	hops          []netip.Addr
	mtrSource     netip.Addr
	theirs, ours  result
	theirErr, err error
}

func (f *traceSide) runMtr(ns, mtr string) {
	f.theirs, f.theirErr = runQuiet("ip", "netns", "exec", ns, mtr, f.flag, "-r", "-n", "-c", "10", "-i", "0.1",
		"-a", f.mtrSource.String(), f.target.String())
}

func (f *traceSide) runOurs(ns string) {
	f.ours, f.err = runQuiet("ip", "netns", "exec", ns, bin, "trace", f.flag, "-n", "-c", "10", "-i", "0.1", f.target.String())
}

func (f *traceSide) compare(t *testing.T) {
	if f.theirErr != nil || f.err != nil || f.theirs.code != 0 || f.ours.code != 0 {
		t.Fatalf("mtr: %v %s\nours: %v %s", f.theirErr, f.theirs, f.err, f.ours)
	}
	t.Logf("mtr:\n%s\nours:\n%s%s", f.theirs.stdout, f.ours.stdout, f.ours.stderr)
	want, got := reportRows(t, "mtr", f.theirs.stdout), reportRows(t, "ours", f.ours.stdout)
	if want[0] != got[0] {
		t.Errorf("header\n got %q\nwant %q", got[0], want[0])
	}
	if len(got) != len(want) || len(got) != 5 {
		t.Fatalf("%d hop lines, mtr %d, want 4", len(got)-1, len(want)-1)
	}
	// The hop number, address, Loss% and Snt columns: the address column is wide enough
	// for the IPv6 addresses here (mtr pads it to the longest, and so do we).
	cols := strings.Index(want[0], "Snt") + len("Snt")
	for i := 1; i < len(got); i++ {
		if len(got[i]) < cols || len(want[i]) < cols || got[i][:cols] != want[i][:cols] {
			t.Errorf("hop %d\n got %q\nwant %q", i, got[i][:min(cols, len(got[i]))], want[i][:min(cols, len(want[i]))])
		}
		m := mtrRow.FindStringSubmatch(got[i])
		if m[2] != f.hops[i-1].String() {
			t.Errorf("hop %d is %s, want %s", i, m[2], f.hops[i-1])
		}
		best, _ := strconv.ParseFloat(m[7], 64)
		avg, _ := strconv.ParseFloat(m[6], 64)
		worst, _ := strconv.ParseFloat(m[8], 64)
		if best > avg || avg > worst {
			t.Errorf("hop %d: best %v avg %v worst %v", i, best, avg, worst)
		}
	}
	// The figures themselves, not only their agreement with mtr.
	if !strings.Contains(got[2], " 40.0%    10") || !strings.Contains(got[4], "  0.0%    10") {
		t.Errorf("router 2 should lose 40%% and the destination none:\n%s", f.ours.stdout)
	}
	if !strings.Contains(f.ours.stderr, "hop 2: 40.0% loss here does not carry on to later hops (hop 3: 0.0%)") {
		t.Errorf("no rate-limit note on stderr:\n%s", f.ours.stderr)
	}
}

// A user (nobody) running the setcap'd helper traces through it: the helper sets each probe's
// TTL itself, the run is judged by the user's policy (a pace over 500 probes a second is
// refused), and the --json=full object, valid against the published schema, holds exact
// figures and only answers tied to the user's own probes, each quoting its request's bytes.
func TestTraceAsUserThroughCappedHelper(t *testing.T) {
	caps := prepareNobody(t)
	c := testnet.NewChainT(t, testnet.ChainConfig{Routers: 2})
	asNobody := func(args ...string) result {
		return run(t, "ip", append([]string{"netns", "exec", c.ClientNS, "setpriv", "--reuid=nobody", "--regid=nogroup",
			"--clear-groups", caps.capped, "trace"}, args...)...)
	}
	target := c.TargetV4().String()
	if r := asNobody("-n", "-i", "0.01", target); r.code != 2 || !strings.Contains(r.stderr, "(3000/s), above the maximum 500/s for policy \"user\": make the interval at least 60ms") {
		t.Fatalf("a user asked for 3000 probes a second: %s", r)
	}
	r := asNobody("--json=full", "-n", "-c", "3", "-i", "0.2", target)
	if r.code != 0 {
		t.Fatal(r)
	}
	if types := validateLines(t, loadSchema(t), r.stdout); len(types) != 1 || types[0] != "trace" {
		t.Fatalf("want one trace object, got %v", types)
	}
	var got struct {
		OwnTrafficOnly bool   `json:"own_traffic_only"`
		Identifier     uint16 `json:"identifier"`
		DestinationHop int    `json:"destination_hop"`
		Hops           []struct {
			Hop       int `json:"hop"`
			Sent      int `json:"sent"`
			Received  int `json:"received"`
			Addresses []struct {
				Address string `json:"address"`
			} `json:"addresses"`
			Answers []struct {
				Identifier uint16 `json:"identifier"`
				Kind       string `json:"kind"`
				ICMPType   int    `json:"icmp_type"`
				BytesHex   string `json:"bytes_hex"`
				RequestHex string `json:"request_hex"`
			} `json:"answers"`
		} `json:"hops"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	hops := c.HopsV4()
	if !got.OwnTrafficOnly || got.DestinationHop != 3 || len(got.Hops) != 3 {
		t.Fatalf("own traffic only %v, destination hop %d, %d hops:\n%s", got.OwnTrafficOnly, got.DestinationHop, len(got.Hops), r.stdout)
	}
	for i, h := range got.Hops {
		if h.Hop != i+1 || h.Sent != 3 || h.Received != 3 || len(h.Addresses) != 1 || h.Addresses[0].Address != hops[i].String() || len(h.Answers) != 3 {
			t.Errorf("hop %d: %+v", i+1, h)
		}
		for _, a := range h.Answers {
			wantType := 11
			if i == 2 {
				wantType = 0
			}
			if a.Identifier != got.Identifier || a.ICMPType != wantType || len(a.RequestHex) < 16 || !strings.Contains(a.BytesHex, a.RequestHex[8:]) {
				t.Errorf("hop %d answer: %+v", i+1, a)
			}
		}
	}
}

// The GUI's way: `echoscope-ping --agent`, capped and run by nobody, traces the chain over
// the agent protocol while root pings through it with TTL 2 from the same namespace. The
// figures are exact, every answer is tied to one of nobody's own probes (its identifier, its
// request's bytes quoted), and root's Time Exceeded messages are only counted as foreign.
func TestTraceThroughAgentAsUser(t *testing.T) {
	caps := prepareNobody(t)
	c := testnet.NewChainT(t, testnet.ChainConfig{Routers: 2})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ipPath, err := exec.LookPath("ip")
	if err != nil {
		t.Fatal(err)
	}
	client, err := agent.Spawn(ctx, caps.capped, func(cmd *exec.Cmd) {
		cmd.Path = ipPath
		cmd.Args = []string{"ip", "netns", "exec", c.ClientNS, "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
			caps.capped, "--agent"}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	other := exec.Command("ip", "netns", "exec", c.ClientNS, "ping", "-n", "-t", "2", "-i", "0.05", "-c", "40", c.TargetV4().String())
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	defer other.Wait() //nolint:errcheck
	defer other.Process.Kill()
	time.Sleep(100 * time.Millisecond) // root's errors are flowing
	var rounds []int
	var figures []probe.TraceProgress
	res, err := client.Trace(ctx, probe.TraceOptions{Target: c.TargetV4().String(), Rounds: 5, Interval: 200 * time.Millisecond,
		Timeout: time.Second}, func(p probe.TraceProgress) {
		rounds = append(rounds, p.Rounds)
		if len(p.Hops) > 0 {
			figures = append(figures, p)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rounds) != 5 || rounds[4] != 5 {
		t.Errorf("rounds reported %v, want 1..5", rounds)
	}
	// The helper's round frames carry the figures so far (the first always): own probes only.
	if len(figures) == 0 {
		t.Error("no round frame carried the hops' figures")
	}
	for _, p := range figures {
		for i, h := range p.Hops {
			if i >= 3 || h.Received > h.Sent || h.Sent > p.Rounds || (h.Received > 0 && h.Addrs[0] != c.HopsV4()[i]) {
				t.Errorf("after round %d, hop %d: sent %d received %d addresses %v", p.Rounds, i+1, h.Sent, h.Received, h.Addrs)
			}
		}
	}
	if !res.OwnTrafficOnly || res.Foreign == 0 || res.DestinationHop != 3 || len(res.Hops) != 3 {
		t.Fatalf("own traffic only %v, foreign %d, destination %d, %d hops", res.OwnTrafficOnly, res.Foreign, res.DestinationHop, len(res.Hops))
	}
	for i, h := range res.Hops {
		if h.Sent != 5 || h.Received != 5 || len(h.Addrs) != 1 || h.Addrs[0] != c.HopsV4()[i] || len(h.Answers) != 5 {
			t.Errorf("hop %d: sent %d received %d addresses %v answers %d", i+1, h.Sent, h.Received, h.Addrs, len(h.Answers))
		}
		for _, a := range h.Answers {
			if a.Event.ID != res.Identifier || a.TTL != i+1 || len(a.Event.Request) < 8 || !bytes.Contains(a.Event.Bytes, a.Event.Request[4:]) {
				t.Errorf("hop %d: an answer not tied to nobody's own probe: %+v", i+1, a)
			}
		}
	}
}
