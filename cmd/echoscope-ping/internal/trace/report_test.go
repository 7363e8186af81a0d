package trace

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"
	"time"

	"echoscope/backend/probe"
)

func hop(ttl, sent, received int, rtt time.Duration, addrs ...string) probe.TraceHop {
	h := probe.TraceHop{TTL: ttl, Sent: sent, Received: received}
	for _, a := range addrs {
		h.Addrs = append(h.Addrs, netip.MustParseAddr(a))
	}
	if received > 0 {
		h.Last, h.Avg, h.Best, h.Worst = rtt, rtt, rtt, rtt
	}
	return h
}

// The report is mtr 0.95's, character for character: the header and the first 45 columns of
// hops 2 and 4 are mtr-tiny's own output on the test chain (`mtr -r -n -c 10`, see
// TestTraceReportMatchesMtr), the silent hop's line is mtr's as its users quote it, and the
// rest follows mtr's ui/report.c. A name longer than its column is cut at 25 characters and a silent hop's
// " 100.0%" loses its "%" to the next column, as in mtr; a second address of a hop gets
// mtr's "`|--" line.
func TestReportIsMtrs(t *testing.T) {
	start := time.Date(2026, 12, 7, 15, 2, 35, 0, time.FixedZone("", 0))
	res := probe.TraceResult{Start: start, Hops: []probe.TraceHop{
		hop(1, 10, 10, 300*time.Microsecond, "198.18.4.2"),
		hop(2, 10, 6, 100*time.Microsecond, "198.18.5.2"),
		hop(3, 1, 0, 0),
		hop(4, 10, 10, 12345*time.Microsecond, "198.18.7.2", "198.18.8.2", "198.18.9.2"),
	}}
	res.Hops[0].Names = []string{"a-very-long-router-name.example.net"}
	res.Hops[0].StDev = 1100 * time.Microsecond
	var b bytes.Buffer
	if err := writeReport(&b, res, "vm"); err != nil {
		t.Fatal(err)
	}
	want := `Start: 2026-12-07T15:02:35+0000
HOST: vm                          Loss%   Snt   Last   Avg  Best  Wrst StDev
  1.|-- a-very-long-router-name.e  0.0%    10    0.3   0.3   0.3   0.3   1.1
  2.|-- 198.18.5.2                40.0%    10    0.1   0.1   0.1   0.1   0.0
  3.|-- ???                       100.0     1    0.0   0.0   0.0   0.0   0.0
  4.|-- 198.18.7.2                 0.0%    10   12.3  12.3  12.3  12.3   0.0
    |  ` + "`" + `|-- 198.18.8.2
    |   |-- 198.18.9.2
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// mtr's loss figure truncates the percentage to thousandths before printing one decimal.
func TestMtrLoss(t *testing.T) {
	for _, c := range []struct {
		sent, received int
		want           string
	}{{3, 2, " 33.3%"}, {3, 1, " 66.7%"}, {10, 6, " 40.0%"}, {0, 0, "  0.0%"}, {7, 0, " 100.0%"}} {
		h := probe.TraceHop{Sent: c.sent, Received: c.received}
		if got := reportFields[0].value(&h); got != c.want {
			t.Errorf("%d of %d: %q, want %q", c.received, c.sent, got, c.want)
		}
	}
}

// The notes name rate limiting and a destination that never answered.
func TestNotes(t *testing.T) {
	res := probe.TraceResult{Target: "host", Addr: netip.MustParseAddr("198.18.7.2"), MaxHops: 30,
		Hops: []probe.TraceHop{hop(1, 3, 3, time.Millisecond, "198.18.4.2")}}
	res.Hops[0].Note = "something"
	var b bytes.Buffer
	if err := writeNotes(&b, res); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "hop 1: something\n198.18.7.2 did not answer within 30 hops\n" {
		t.Errorf("%q", got)
	}
}

func TestParseArgs(t *testing.T) {
	cfg, err := parseArgs([]string{"-c", "3", "host", "-i0.5", "--max-ttl=12", "-n", "--json=full", "-W", "2", "-s", "100", "-4", "-r"})
	if err != nil {
		t.Fatal(err)
	}
	o := cfg.opts
	if o.Target != "host" || o.Rounds != 3 || o.Interval != 500*time.Millisecond || o.MaxHops != 12 || o.ReverseDNS ||
		!cfg.json || !cfg.jsonBytes || o.Timeout != 2*time.Second || o.Size != 100 || !o.SizeSet || o.Family != probe.Family4 {
		t.Fatalf("%+v", cfg)
	}
	if cfg, _ := parseArgs([]string{"host"}); !cfg.opts.ReverseDNS {
		t.Error("reverse DNS is on without -n, as in mtr")
	}
	for _, bad := range [][]string{{}, {"-c"}, {"-c", "x", "h"}, {"-i", "0", "h"}, {"-i", "0x1", "h"}, {"a", "b"}, {"--json=half", "h"}, {"-q", "h"}} {
		if _, err := parseArgs(bad); err == nil || !strings.Contains(usageText, "Usage") {
			t.Errorf("%q accepted", bad)
		}
	}
}

// FuzzParseArgs: any command line is parsed or refused in words, never a panic; what is
// accepted has a target, and its options are validated (or refused) without a panic.
func FuzzParseArgs(f *testing.F) {
	f.Add("-c\x003\x00host")
	f.Add("--max-ttl=300\x00-i\x001e-9\x00h")
	f.Add("-W\x00\x00-s")
	f.Fuzz(func(t *testing.T, joined string) {
		cfg, err := parseArgs(strings.Split(joined, "\x00"))
		if err != nil || cfg.help {
			return
		}
		if cfg.opts.Target == "" {
			t.Fatal("accepted without a target")
		}
		_ = cfg.opts.Validate(probe.RootPolicy())
	})
}
