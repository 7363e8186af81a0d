//go:build linux

package probe

import (
	"context"
	"net/netip"
	"testing"
	"time"
)

// TestFloodDirectLoopback: flood mode runs the direct loop with TX timestamps collected in
// batches. Every reply still gets its request's kernel send time, events keep their order
// (each request's send before its reply, indexes rising), and the statistics count exactly
// the RTTs the events carry. With UserSendTimes (the quiet CLI flood) every reply says
// honestly that its send time is the user-space one.
func TestFloodDirectLoopback(t *testing.T) {
	requireRoot(t)
	for _, tc := range []struct {
		target    string
		omitBytes bool // OmitBytes (the quiet CLI): the same events and figures, no bytes
		userTX    bool // UserSendTimes (the quiet CLI): no kernel TX stamps asked for
		noRing    bool // ECHOSCOPE_NO_IO_URING=1: plain sendto and recvmsg
		ringOnly  bool // ECHOSCOPE_FORCE_IO_URING=1: every send through the ring, no trial
	}{{"127.0.0.1", false, false, false, false}, {"::1", false, false, false, false}, {"127.0.0.1", true, false, false, false},
		{"::1", true, false, false, false}, {"127.0.0.1", true, true, false, false}, {"::1", true, true, false, false},
		{"127.0.0.1", true, true, true, false}, {"::1", false, false, true, false},
		{"127.0.0.1", true, true, false, true}, {"::1", false, false, false, true}} {
		target := tc.target
		name := target
		var session *Session
		prepares := []func(*Session){func(s *Session) { session = s }}
		if tc.omitBytes {
			name += "/omit-bytes"
			prepares = append(prepares, (*Session).OmitBytes)
		}
		wantClocks, wantSent := "kernel-tx/kernel-rx", ClockKernelTX
		if tc.userTX {
			name += "/user-send-times"
			prepares = append(prepares, (*Session).UserSendTimes)
			wantClocks, wantSent = "user/kernel-rx", ClockUser
		}
		prepare := func(s *Session) {
			for _, p := range prepares {
				p(s)
			}
		}
		if tc.noRing {
			name += "/no-ring"
		}
		if tc.ringOnly {
			name += "/ring-only"
		}
		t.Run(name, func(t *testing.T) {
			if tc.noRing {
				t.Setenv(noRingEnv, "1")
			}
			if tc.ringOnly {
				t.Setenv(forceRingEnv, "1")
			}
			const n = 500 // several batches of held events
			events, sum := collect(t, Options{Target: target, Socket: SocketRaw, Count: n, Flood: true,
				Timeout: 5 * time.Second, StatsEvery: time.Millisecond}, prepare)
			if sum.KernelTX == tc.userTX || !sum.KernelRX {
				t.Errorf("summary clocks: kernel tx %v, rx %v (user send times %v)", sum.KernelTX, sum.KernelRX, tc.userTX)
			}
			for _, ev := range events {
				hasBytes := ev.Bytes != nil || ev.Request != nil
				if (ev.Kind == EventSend || ev.Kind == EventReply) && hasBytes == tc.omitBytes {
					t.Fatalf("%s event %d: bytes %d, request %d with omitBytes %v", ev.Kind, ev.Index, len(ev.Bytes), len(ev.Request), tc.omitBytes)
				}
			}
			if sum.Sent != n || sum.Received != n || sum.Lost != 0 {
				t.Fatalf("summary %+v", sum.Stats)
			}
			sentAt := map[uint64]int{}
			var lastSend uint64
			var rtts []time.Duration
			for i, ev := range events {
				switch ev.Kind {
				case EventSend:
					if ev.Index != lastSend+1 {
						t.Fatalf("send %d after send %d", ev.Index, lastSend)
					}
					lastSend = ev.Index
					sentAt[ev.Index] = i
				case EventReply:
					if ev.Class != ClassOnTime && ev.Class != ClassForeign {
						t.Errorf("reply %d class %s (%s)", ev.Seq, ev.Class, ev.Note)
					}
					if ev.Class != ClassOnTime {
						continue // other processes may ping 127.0.0.1 too
					}
					if at, ok := sentAt[ev.Index]; !ok || at > i {
						t.Errorf("reply %d before its send event", ev.Index)
					}
					// Raw IPv4 reads leave the source address out (nameInHeader): the
					// header still names the sender.
					if ev.From != netip.MustParseAddr(target) {
						t.Errorf("reply %d from %v, want %s", ev.Index, ev.From, target)
					}
					if ev.RTTClocks != wantClocks || ev.Sent.Clock != wantSent {
						t.Errorf("reply %d clocks %q, sent clock %s", ev.Index, ev.RTTClocks, ev.Sent.Clock)
					}
					rtts = append(rtts, ev.RTT)
				}
			}
			if len(rtts) != n {
				t.Fatalf("%d on-time replies", len(rtts))
			}
			lo, hi := rtts[0], rtts[0]
			for _, r := range rtts {
				lo, hi = min(lo, max(r, 0)), max(hi, r)
			}
			if sum.Min != lo || sum.Max != hi {
				t.Errorf("stats min/max %v/%v, events %v/%v", sum.Min, sum.Max, lo, hi)
			}
			if countKind(events, EventStats) == 0 {
				t.Errorf("no stats events")
			}
			// With io_uring, the first sends try both paths (the trial); forced, each send
			// goes through the ring; switched off, none does.
			lc := session.conn.(*linuxConn)
			if want := target == "127.0.0.1"; lc.nameInHeader != want {
				t.Errorf("nameInHeader %v on a raw %s socket in direct mode, want %v", lc.nameInHeader, target, want)
			}
			dm := &lc.direct
			hasRing := ringAvailable(t) && !tc.noRing
			switch {
			case !hasRing && dm.ringSends > 0:
				t.Errorf("%d sends through the ring, which is off", dm.ringSends)
			case hasRing && tc.ringOnly && dm.ringSends < n:
				t.Errorf("%d of %d sends through the forced ring", dm.ringSends, n)
			case hasRing && !tc.ringOnly && (dm.ringSends == 0 || dm.plainSends == 0):
				t.Errorf("the path trial sent %d through the ring, %d with sendto: want both", dm.ringSends, dm.plainSends)
			}
		})
	}
}

// A flood longer than the path trial keeps one path after it: the measured one, for every
// later send (both paths give the same events and figures, TestFloodDirectLoopback).
func TestFloodKeepsTheMeasuredPath(t *testing.T) {
	requireRoot(t)
	if !ringAvailable(t) {
		t.Skip("no io_uring here: nothing to choose")
	}
	const n = 3 * 2 * trialPairs * trialBlock
	var session *Session
	_, sum := collect(t, Options{Target: "127.0.0.1", Socket: SocketRaw, Count: n, Flood: true, Timeout: 5 * time.Second},
		func(s *Session) { session = s; s.OmitBytes(); s.UserSendTimes() })
	if sum.Sent != n {
		t.Fatalf("summary %+v", sum.Stats)
	}
	dm := &session.conn.(*linuxConn).direct
	tr := &dm.trial
	if !tr.decided || len(tr.ringTimes) != trialPairs*trialBlock || len(tr.plainTimes) != trialPairs*trialBlock {
		t.Fatalf("trial decided %v with %d ring and %d plain packet times", tr.decided, len(tr.ringTimes), len(tr.plainTimes))
	}
	_, ratio := chooseRing(tr.ringTimes, tr.plainTimes)
	t.Logf("ring/plain packet time ratio (first quartiles) %.3f: ring kept %v", ratio, tr.ring)
	after := uint64(n - 2*trialPairs*trialBlock)
	chosen, other := dm.plainSends, dm.ringSends
	if tr.ring {
		chosen, other = dm.ringSends, dm.plainSends
	}
	if chosen < after || other == 0 || chosen+other != n {
		t.Fatalf("ring chosen %v: %d sends on the chosen path, %d on the other, want >= %d after the trial", tr.ring, chosen, other, after)
	}
}

// TestDirectLoopStops: cancelling the context wakes the direct loop out of ppoll (here
// waiting an hour for the next request), and the session ends with nothing outstanding.
func TestDirectLoopStops(t *testing.T) {
	requireRoot(t)
	answered := make(chan struct{}, 1)
	s, err := NewSession(Options{Target: "127.0.0.1", Socket: SocketRaw, Interval: time.Hour,
		Timeout: time.Hour, forceDirect: true}, RootPolicy(), func(ev Event) {
		if ev.Kind == EventReply && ev.Class == ClassOnTime {
			answered <- struct{}{}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan Summary, 1)
	go func() {
		sum, err := s.Run(ctx)
		if err != nil {
			t.Error(err)
		}
		done <- sum
	}()
	<-answered // the first request is answered; the loop now sleeps until the next one
	cancel()
	sum := <-done
	if sum.Sent != 1 || sum.Received != 1 || sum.Outstanding != 0 {
		t.Fatalf("summary %+v", sum.Stats)
	}
}
