package probe

import (
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// setField sets the option a bound covers to v (lengths become strings of v bytes).
func setField(t *testing.T, o *Options, field string, v int64) {
	t.Helper()
	switch field {
	case "target":
		o.Target = strings.Repeat("a", int(v))
	case "source":
		o.Source = strings.Repeat("a", int(v))
	case "count":
		o.Count = int(v)
	case "interval":
		o.Interval = time.Duration(v)
	case "timeout":
		o.Timeout = time.Duration(v)
	case "deadline":
		o.Deadline = time.Duration(v)
	case "size":
		o.Size, o.SizeSet = int(v), true
		o.Family = Family6 // the IPv4 maximum is lower and checked apart
	case "pattern":
		o.Pattern = make([]byte, v)
	case "ttl":
		o.TTL = int(v)
	case "tos":
		o.TOS = int(v)
	case "linger":
		o.Linger = time.Duration(v)
	case "statsEvery":
		o.StatsEvery = time.Duration(v)
	case "lossWindow":
		o.LossWindow = int(v)
	case "preload":
		o.Preload = int(v)
	case "sendBuffer":
		o.SendBuffer = int(v)
	default:
		t.Fatalf("no setter for bound %q: add one here", field)
	}
}

// Every bound admits its ends (and 0 where 0 means a default) and refuses one past each,
// naming the field and the allowed range.
func TestEveryBoundIsEnforcedAtBothEnds(t *testing.T) {
	for _, b := range OptionBounds() {
		t.Run(b.Field, func(t *testing.T) {
			try := func(v int64) error {
				o := Options{Target: "127.0.0.1"}
				setField(t, &o, b.Field, v)
				return o.Validate(RootPolicy())
			}
			for _, v := range []int64{b.Min, b.Max} {
				if err := try(v); err != nil {
					t.Errorf("%d refused: %v", v, err)
				}
			}
			if b.ZeroMeans != "" {
				if err := try(0); err != nil {
					t.Errorf("0 (%s) refused: %v", b.ZeroMeans, err)
				}
			}
			outside := []int64{b.Max + 1}
			below := b.Min - 1
			// Lengths cannot go below 0 (the payload size can), 0 may stand for a default,
			// and an empty target gets its own message ("no target host").
			representable := below >= 0 || !b.Length || b.Field == "size"
			if representable && !(below == 0 && (b.ZeroMeans != "" || b.Field == "target")) {
				outside = append(outside, below)
			}
			for _, v := range outside {
				err := try(v)
				if !errors.Is(err, ErrInvalidOption) || !strings.Contains(err.Error(), b.Field) ||
					!strings.Contains(err.Error(), b.Range()) {
					t.Errorf("%d: got %v, want an invalid-option error naming %s and %s", v, err, b.Field, b.Range())
				}
			}
		})
	}
}

// The frames that crashed the helper or flooded its client are refused in words.
func TestValidateRefusesTheReportedCrashers(t *testing.T) {
	cases := map[string]struct {
		json string
		want string
	}{
		"loss window 1<<62 (makeslice panic)": {`{"target":"127.0.0.1","lossWindow":4611686018427387904}`,
			"invalid option: lossWindow 4611686018427387904 is out of range, allowed: 0 (100) or 1..65536"},
		"loss window 1<<40 (out of memory)": {`{"target":"127.0.0.1","lossWindow":1099511627776}`,
			"lossWindow 1099511627776 is out of range"},
		"stats every 1ns (45,000 frames/s)": {`{"target":"127.0.0.1","statsEvery":1}`,
			"invalid option: statsEvery 1ns is out of range, allowed: 0 (never) or 1ms..1h0m0s"},
		"negative timeout": {`{"target":"127.0.0.1","timeout":-5}`, "timeout -5ns is out of range"},
		"count 1<<62":      {`{"target":"127.0.0.1","count":4611686018427387904}`, "count 4611686018427387904 is out of range"},
		"deadline of ages": {`{"target":"127.0.0.1","deadline":9223372036854775807}`, "deadline 2562047h47m16.854775807s is out of range"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var o Options
			if err := json.Unmarshal([]byte(c.json), &o); err != nil {
				t.Fatal(err)
			}
			err := o.Validate(RootPolicy())
			if !errors.Is(err, ErrInvalidOption) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}

// docs/architecture.md lists the bounds; it must say what the code does.
func TestDocsListEveryBound(t *testing.T) {
	doc, err := os.ReadFile("../../docs/architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range append(OptionBounds(), MonitorBounds()...) {
		row := "| `" + b.Field + "` | " + b.Range() + " |"
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/architecture.md lacks the row %q", row)
		}
	}
}

// engineBudget is the most a session may allocate before it sends anything, whatever its
// options: the request ring at its largest (65536 slots), the loss window, the payload
// buffers at the IPv6 maximum. A fixed figure, so a new allocation driven by an unbounded
// option fails here.
const engineBudget = 16 << 20

// FuzzEngineOptions: for any options JSON, Validate refuses it or the engine built from it
// (the allocations a session makes for them: ring, loss window, payload) stays within
// engineBudget; never a panic.
func FuzzEngineOptions(f *testing.F) {
	f.Add([]byte(`{"target":"127.0.0.1","lossWindow":4611686018427387904}`))
	f.Add([]byte(`{"target":"127.0.0.1","lossWindow":65536,"timeout":3600000000000,"interval":1,"size":65527,"sizeSet":true,"family":6}`))
	f.Add([]byte(`{"target":"::1","statsEvery":1,"linger":3600000000000}`))
	f.Add([]byte(`{"target":"127.0.0.1","pattern":"AAECAwQFBgcICQoLDA0ODxAR"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var o Options
		if json.Unmarshal(data, &o) != nil || o.Validate(RootPolicy()) != nil {
			return
		}
		addr, err := netip.ParseAddr(o.Target)
		if err != nil {
			return // names would need the resolver; the allocations do not depend on them
		}
		c := newFakeConn()
		c.v6 = addr.Is6()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		e := newEngine(o, addr, c, nil)
		runtime.ReadMemStats(&after)
		if got := after.TotalAlloc - before.TotalAlloc; got > engineBudget {
			t.Fatalf("the engine allocated %d bytes for %s (budget %d)", got, data, engineBudget)
		}
		runtime.KeepAlive(e)
	})
}
