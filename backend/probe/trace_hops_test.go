package probe

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"
)

func answerAfter(rtt time.Duration, from string) Event {
	return Event{Kind: EventICMPError, Class: ClassICMPError, RTT: rtt, From: netip.MustParseAddr(from)}
}

// The running figures are mtr's: last, best, worst, mean and the sample standard deviation.
func TestTraceHopFigures(t *testing.T) {
	h := TraceHop{TTL: 2, Sent: 4}
	for _, ms := range []int{2, 4, 4, 6} {
		h.answered(1, answerAfter(time.Duration(ms)*time.Millisecond, "198.18.0.2"))
	}
	if h.Received != 4 || h.Last != 6*time.Millisecond || h.Best != 2*time.Millisecond || h.Worst != 6*time.Millisecond || h.Avg != 4*time.Millisecond {
		t.Fatalf("%+v", h)
	}
	// Sample standard deviation of 2, 4, 4, 6 ms: sqrt(8/3) = 1.633 ms.
	if d := h.StDev - 1633*time.Microsecond; d < -time.Microsecond || d > time.Microsecond {
		t.Errorf("stdev %v, want 1.633ms", h.StDev)
	}
	if len(h.Addrs) != 1 || h.LossPercent() != 0 {
		t.Errorf("addrs %v loss %v", h.Addrs, h.LossPercent())
	}
}

// A hop keeps its latest MaxTraceAnswersPerHop answers and MaxTraceHopAddrs addresses.
func TestTraceHopKeepsBoundedAnswers(t *testing.T) {
	h := TraceHop{TTL: 1}
	for i := range MaxTraceAnswersPerHop + 5 {
		h.Sent++
		h.answered(i+1, answerAfter(time.Millisecond, netip.AddrFrom4([4]byte{198, 18, 0, byte(i)}).String()))
	}
	if len(h.Answers) != MaxTraceAnswersPerHop || h.Answers[0].Round != 6 || len(h.Addrs) != MaxTraceHopAddrs {
		t.Fatalf("%d answers from round %d, %d addresses", len(h.Answers), h.Answers[0].Round, len(h.Addrs))
	}
}

func hopsWith(sent int, received ...int) []TraceHop {
	out := make([]TraceHop, len(received))
	for i, r := range received {
		out[i] = TraceHop{TTL: i + 1, Sent: sent, Received: r}
	}
	return out
}

// Loss that does not carry on to later hops is named (mtr's classic misreading); loss that
// does carry on (the destination loses as much) is not.
func TestTraceRateLimitNote(t *testing.T) {
	hops := hopsWith(10, 10, 6, 0, 10, 10)
	noteRateLimits(hops)
	for i, want := range []bool{false, true, true, false, false} {
		if hops[i].RateLimited != want {
			t.Errorf("hop %d rate-limited %v, want %v (%q)", i+1, hops[i].RateLimited, want, hops[i].Note)
		}
	}
	if !strings.Contains(hops[1].Note, "40.0% loss here does not carry on to later hops (hop 4: 0.0%)") {
		t.Errorf("hop 2: %q", hops[1].Note)
	}
	if !strings.Contains(hops[2].Note, "no answer from this hop, yet hop 4 answered 100.0%") {
		t.Errorf("hop 3: %q", hops[2].Note)
	}
	real := hopsWith(10, 10, 6, 6, 6)
	noteRateLimits(real)
	for i, h := range real {
		if h.RateLimited {
			t.Errorf("loss carried to the destination, yet hop %d is noted: %q", i+1, h.Note)
		}
	}
}

// The report shows up to the destination, or one hop past the last that answered (mtr's
// net_max), never beyond the maximum.
func TestTraceReportedHops(t *testing.T) {
	hops := hopsWith(3, 3, 3, 3, 3, 3)
	if n := len(reportedHops(hops, 4, 30)); n != 4 {
		t.Errorf("destination at 4: %d hops", n)
	}
	silentEnd := hopsWith(3, 3, 3, 0, 0, 0)
	if n := len(reportedHops(silentEnd, 0, 30)); n != 3 {
		t.Errorf("last answer at 2: %d hops, want 3", n)
	}
	if n := len(reportedHops(hopsWith(3, 0, 0), 0, 30)); n != 0 {
		t.Errorf("nothing answered: %d hops", n)
	}
}

// Every trace bound admits its ends and refuses one past each, naming the field.
func TestTraceBoundsAreEnforced(t *testing.T) {
	set := func(o *TraceOptions, field string, v int64) {
		switch field {
		case "target":
			o.Target = strings.Repeat("a", int(v))
		case "rounds":
			o.Rounds = int(v)
		case "interval":
			o.Interval = time.Duration(v)
		case "maxHops":
			o.MaxHops = int(v)
		case "timeout":
			o.Timeout = time.Duration(v)
		case "size":
			o.Size, o.SizeSet, o.Family = int(v), true, Family6
		default:
			t.Fatalf("no setter for trace bound %q: add one here", field)
		}
	}
	for _, b := range TraceOptionBounds() {
		t.Run(b.Field, func(t *testing.T) {
			try := func(v int64) error {
				o := TraceOptions{Target: "127.0.0.1", Interval: time.Hour}
				set(&o, b.Field, v)
				return o.Validate(RootPolicy())
			}
			for _, v := range []int64{b.Min, b.Max} {
				if err := try(v); err != nil {
					t.Errorf("%d refused: %v", v, err)
				}
			}
			for _, v := range []int64{b.Min - 1, b.Max + 1} {
				if v == 0 && b.ZeroMeans != "" || v < 0 && b.Length {
					continue
				}
				err := try(v)
				if !errors.Is(err, ErrInvalidOption) || !strings.Contains(err.Error(), b.Field) {
					t.Errorf("%d: %v, want an invalid-option error naming %s", v, err, b.Field)
				}
			}
		})
	}
}

// The user policy's floor applies to the fastest probe spacing, Interval/MaxHops.
func TestTraceUserPolicyBoundsTheProbeRate(t *testing.T) {
	ok := TraceOptions{Target: "127.0.0.1", Interval: time.Second, MaxHops: 30}
	if err := ok.Validate(UserPolicy()); err != nil {
		t.Fatal(err)
	}
	fast := TraceOptions{Target: "127.0.0.1", Interval: 30 * time.Millisecond, MaxHops: 30}
	err := fast.Validate(UserPolicy())
	if !errors.Is(err, ErrPolicy) || !strings.Contains(err.Error(), "a probe every 1ms (1000/s), above the maximum 500/s for policy \"user\": make the interval at least 60ms") {
		t.Fatalf("1 ms between probes for a user: %v", err)
	}
	if err := fast.Validate(RootPolicy()); err != nil {
		t.Fatalf("root: %v", err)
	}
}

func TestDocsListEveryTraceBound(t *testing.T) {
	doc, err := os.ReadFile("../../docs/architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range TraceOptionBounds() {
		row := "| `" + b.Field + "` | " + b.Range() + " |"
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/architecture.md lacks the trace row %q", row)
		}
	}
}

// Reverse DNS runs off the probe path and fills the names at the end; an address without
// a name keeps "".
func TestTraceReverseNames(t *testing.T) {
	r := newReverseNames(func(_ context.Context, addr string) ([]string, error) {
		if addr == "198.18.0.2" {
			return []string{"r1.example."}, nil
		}
		return nil, errors.New("no name")
	})
	defer r.stop()
	a, b := netip.MustParseAddr("198.18.0.2"), netip.MustParseAddr("198.18.1.2")
	r.want(a)
	r.want(b)
	r.want(a)
	hops := []TraceHop{{TTL: 1, Addrs: []netip.Addr{a}}, {TTL: 2, Addrs: []netip.Addr{b}}}
	r.fill(context.Background(), hops)
	if hops[0].Names[0] != "r1.example" || hops[1].Names[0] != "" {
		t.Fatalf("names %q %q", hops[0].Names, hops[1].Names)
	}
}
