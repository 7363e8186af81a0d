//go:build linux

package probe

import (
	"testing"
	"time"
)

func TestLoopback(t *testing.T) {
	requireRoot(t)
	for _, tc := range []struct {
		name   string
		target string
		kind   SocketKind
	}{
		{"IPv4/raw", "127.0.0.1", SocketRaw},
		{"IPv6/raw", "::1", SocketRaw},
	} {
		t.Run(tc.name, func(t *testing.T) {
			events, sum := collect(t, Options{Target: tc.target, Socket: tc.kind, Count: 5, Interval: 5 * time.Millisecond, Timeout: 5 * time.Second}, nil)
			// Foreign is not asserted: other processes on this machine may be pinging
			// 127.0.0.1 too, and their replies are (correctly) foreign to us.
			if sum.Sent != 5 || sum.Received != 5 || sum.Lost != 0 || sum.Duplicates != 0 || sum.Corrupt != 0 {
				t.Fatalf("summary %+v", sum.Stats)
			}
			if got := countClass(events, ClassOnTime); got != 5 {
				t.Errorf("on-time replies = %d, want 5", got)
			}
			for _, ev := range events {
				if ev.Kind != EventReply || ev.Class == ClassForeign {
					continue // foreign: another process's ping of the same address
				}
				if ev.Rule != RuleIDSeqToken {
					t.Errorf("rule %q", ev.Rule)
				}
				if ev.RTT <= 0 {
					t.Errorf("RTT %v", ev.RTT)
				}
				t.Logf("seq=%d ttl=%d rtt=%v clocks=%s ip=%v", ev.Seq, ev.TTL, ev.RTT, ev.RTTClocks, ev.IncludesIPHeader)
			}
		})
	}
}
