//go:build linux

package probe

import (
	"fmt"
	"testing"
	"time"

	"echoscope/backend/testnet"
)

// lossTimeout is the per-request timeout in scenarios where some requests are lost: long
// against a veth round trip (tens of microseconds), short enough to keep the suite quick.
const lossTimeout = 600 * time.Millisecond

// want is the exact outcome of a chaos scenario. Every field is compared.
type want struct {
	received, lost, dup, outOfOrder, late, corrupt, foreign, errors uint64
}

func (w want) of(s Stats) want {
	return want{s.Received, s.Lost, s.Duplicates, s.OutOfOrder, s.Late, s.Corrupt, s.Foreign, s.Errors}
}

// loop is one way of running a session: the general loop (reader goroutine, Go's poller),
// the direct one that flood mode uses, or the quiet flood of echoscope-ping -f -q (direct,
// user-space send times, no bytes, statistics only).
type loop struct {
	name       string
	direct     bool
	quietFlood bool
}

// loops: every scenario runs through both loops.
var loops = []loop{{"poller", false, false}, {"direct", true, false}}

// chaosLoops adds the quiet flood: its counts must be exactly the full sessions' counts,
// though it builds no event per packet.
var chaosLoops = append(loops[:len(loops):len(loops)], loop{"quiet-flood", true, true})

// prepare returns the session set-up for the loop, after setup.
func (lp loop) prepare(setup func(*Session)) func(*Session) {
	return func(s *Session) {
		setup(s)
		if lp.quietFlood {
			s.OmitBytes()
			s.UserSendTimes()
			s.StatisticsOnly()
		}
	}
}

// socketCase is one socket kind and IP version the chaos scenarios run over.
type socketCase struct {
	name     string
	kind     SocketKind
	v6       bool
	datagram bool
}

var socketCases = []socketCase{
	{"IPv4/raw", SocketRaw, false, false},
	{"IPv6/raw", SocketRaw, true, false},
	{"IPv4/datagram", SocketDatagram, false, true},
	{"IPv6/datagram", SocketDatagram, true, true},
}

// chaosCase: a fault, how to ping, and the exact expected counts per socket case (the
// kernel does part of the matching for datagram sockets and checks ICMPv6 checksums, so
// some faults never reach us there: that is what the expectations say).
type chaosCase struct {
	chaos   testnet.Chaos
	count   int
	timeout time.Duration
	expect  func(sc socketCase) want
	check   func(t *testing.T, sc socketCase, events []Event)
}

func chaosCases() []chaosCase {
	all := func(w want) func(socketCase) want { return func(socketCase) want { return w } }
	return []chaosCase{
		{chaos: testnet.Chaos{Fault: testnet.FaultNone}, count: 4, expect: all(want{received: 4})},
		{chaos: testnet.Chaos{Fault: testnet.FaultDrop, Every: 2}, count: 4, timeout: lossTimeout,
			expect: all(want{received: 2, lost: 2})},
		// Count 5: the last request is not duplicated, so its reply (which ends the session)
		// comes after the duplicate of request 4 on the same socket.
		{chaos: testnet.Chaos{Fault: testnet.FaultDuplicate, Every: 2, Copies: 1}, count: 5,
			expect: all(want{received: 5, dup: 2}), check: expectClassSeqs(ClassDuplicate, 2, 4)},
		{chaos: testnet.Chaos{Fault: testnet.FaultReorder, Every: 2}, count: 5,
			expect: all(want{received: 5, outOfOrder: 2}), check: expectClassSeqs(ClassOutOfOrder, 2, 4)},
		{chaos: testnet.Chaos{Fault: testnet.FaultBadChecksum, Every: 2}, count: 4, timeout: lossTimeout,
			expect: func(sc socketCase) want {
				if sc.v6 || sc.datagram {
					return want{received: 2, lost: 2} // the kernel verifies and drops them
				}
				return want{received: 2, lost: 2, corrupt: 2}
			}, check: expectNotes(ClassCorrupt, "bad checksum")},
		{chaos: testnet.Chaos{Fault: testnet.FaultTruncate, Every: 2}, count: 4, timeout: lossTimeout,
			expect: all(want{received: 2, lost: 2, corrupt: 2}), check: expectNotes(ClassCorrupt, "truncated")},
		{chaos: testnet.Chaos{Fault: testnet.FaultWrongID, Every: 2}, count: 4, timeout: lossTimeout,
			expect: func(sc socketCase) want {
				if sc.datagram {
					return want{received: 2, lost: 2} // the kernel delivers by identifier
				}
				return want{received: 2, lost: 2, foreign: 2}
			}, check: expectNotes(ClassForeign, "identifier")},
		{chaos: testnet.Chaos{Fault: testnet.FaultWrongSeq, Every: 2}, count: 4, timeout: lossTimeout,
			expect: all(want{received: 2, lost: 2, foreign: 2}), check: expectNotes(ClassForeign, "never sent")},
		{chaos: testnet.Chaos{Fault: testnet.FaultOtherAddress, Every: 2}, count: 4, timeout: lossTimeout,
			expect: all(want{received: 2, lost: 2, foreign: 2}), check: expectNotes(ClassForeign, "different address")},
		{chaos: testnet.Chaos{Fault: testnet.FaultUnreachable, Every: 2}, count: 4, timeout: lossTimeout,
			expect: all(want{received: 2, lost: 2, errors: 2}), check: expectErrorsTied},
		{chaos: testnet.Chaos{Fault: testnet.FaultTimeExceeded, Every: 2}, count: 4, timeout: lossTimeout,
			expect: all(want{received: 2, lost: 2, errors: 2}), check: expectErrorsTied},
		{chaos: testnet.Chaos{Fault: testnet.FaultForeignFlood, Flood: 5}, count: 3,
			expect: func(sc socketCase) want {
				if sc.datagram {
					return want{received: 3} // other identifiers never reach a datagram socket
				}
				return want{received: 3, foreign: 15}
			}},
	}
}

// TestChaos pings the chaos responder with each fault over each socket kind and IP version
// and compares every count exactly.
func TestChaos(t *testing.T) {
	for _, cc := range chaosCases() {
		t.Run(string(cc.chaos.Fault), func(t *testing.T) {
			// Each fault has a host of its own, so faults run side by side: the suite's time
			// is mostly waiting for timeouts, not CPU.
			t.Parallel()
			h := testnet.NewT(t, testnet.Config{ClientNamespace: true, OpenPingGroup: true, SilenceKernel: true})
			for _, sc := range socketCases {
				for _, lp := range chaosLoops {
					t.Run(sc.name+"/"+lp.name, func(t *testing.T) {
						// A fresh responder per run: its request numbering (Every) starts at 1.
						r := testnet.NewResponderT(t, h, cc.chaos)
						defer r.Close()
						target := h.PeerV4
						if sc.v6 {
							target = h.PeerV6
						}
						timeout := cc.timeout
						if timeout == 0 {
							timeout = 10 * time.Second // replies are expected: be generous
						}
						events, sum := collect(t, Options{Target: target.String(), Socket: sc.kind, Flood: lp.quietFlood,
							Count: cc.count, Interval: 20 * time.Millisecond, Timeout: timeout, forceDirect: lp.direct}, lp.prepare(inClient(h)))
						if got, exp := (want{}).of(sum.Stats), cc.expect(sc); got != exp {
							t.Errorf("counts %+v\nwant   %+v", got, exp)
							for _, ev := range events {
								t.Logf("%s %s seq=%d %s", ev.Kind, ev.Class, ev.Seq, ev.Note)
							}
						}
						if sum.Sent != uint64(cc.count) || sum.Outstanding != 0 {
							t.Errorf("sent %d outstanding %d", sum.Sent, sum.Outstanding)
						}
						if lp.quietFlood {
							if len(events) != 0 {
								t.Errorf("statistics only, yet %d events (first %s %s)", len(events), events[0].Kind, events[0].Class)
							}
							return
						}
						checkEventsMatchStats(t, events, sum.Stats)
						if cc.check != nil {
							cc.check(t, sc, events)
						}
					})
				}
			}
		})
	}
}

// checkEventsMatchStats: one event per counted thing, and one loss event per lost request.
func checkEventsMatchStats(t *testing.T, events []Event, s Stats) {
	t.Helper()
	got := map[string]uint64{}
	lostIdx := map[uint64]int{}
	for _, ev := range events {
		got[string(ev.Kind)+"/"+string(ev.Class)]++
		if ev.Kind == EventLoss {
			lostIdx[ev.Index]++
		}
	}
	for idx, n := range lostIdx {
		if n != 1 {
			t.Errorf("request %d has %d loss events", idx, n)
		}
	}
	checks := []struct {
		key  string
		want uint64
	}{
		{"send/", s.Sent},
		{"loss/", s.Lost},
		{"reply/" + string(ClassOnTime), s.Received - s.OutOfOrder},
		{"reply/" + string(ClassOutOfOrder), s.OutOfOrder},
		{"reply/" + string(ClassDuplicate), s.Duplicates},
		{"reply/" + string(ClassLate), s.Late},
		{"reply/" + string(ClassCorrupt), s.Corrupt},
		{"icmp-error/" + string(ClassICMPError), s.Errors},
	}
	for _, c := range checks {
		if got[c.key] != c.want {
			t.Errorf("%s events = %d, stats say %d", c.key, got[c.key], c.want)
		}
	}
	if f := got["reply/"+string(ClassForeign)] + got["icmp-error/"+string(ClassForeign)]; f != s.Foreign {
		t.Errorf("foreign events = %d, stats say %d", f, s.Foreign)
	}
}

func expectClassSeqs(c Class, seqs ...uint16) func(*testing.T, socketCase, []Event) {
	return func(t *testing.T, _ socketCase, events []Event) {
		t.Helper()
		var got []uint16
		for _, ev := range events {
			if ev.Class == c {
				got = append(got, ev.Seq)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(seqs) {
			t.Errorf("%s sequences %v, want %v", c, got, seqs)
		}
	}
}

func expectNotes(c Class, substr string) func(*testing.T, socketCase, []Event) {
	return func(t *testing.T, _ socketCase, events []Event) {
		t.Helper()
		for _, ev := range events {
			if ev.Class == c && !contains(ev.Note, substr) {
				t.Errorf("%s event note %q lacks %q", c, ev.Note, substr)
			}
		}
	}
}

// expectErrorsTied: each ICMP error names the request it quotes, by the quoted header, and
// that request's loss says it was answered only by the error.
func expectErrorsTied(t *testing.T, sc socketCase, events []Event) {
	t.Helper()
	for _, ev := range events {
		switch {
		case ev.Kind == EventICMPError:
			if ev.Class != ClassICMPError || ev.Index == 0 || ev.Seq%2 != 0 {
				t.Errorf("error event %+v not tied to an even request", ev)
			}
			if ev.Rule != RuleQuotedIDSeqToken {
				t.Errorf("error rule %q", ev.Rule)
			}
		case ev.Kind == EventLoss:
			if !contains(ev.Note, "answered only by") {
				t.Errorf("loss note %q", ev.Note)
			}
		}
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// TestChaosDelay: a delay shorter than the timeout gives on-time replies whose RTT is at
// least the delay; a delay longer than the timeout gives losses followed by late replies
// (never received, never duplicates).
func TestChaosDelay(t *testing.T) {
	h := testnet.NewT(t, testnet.Config{ClientNamespace: true, OpenPingGroup: true, SilenceKernel: true})
	for _, sc := range socketCases {
		for _, lp := range loops {
			t.Run(sc.name+"/"+lp.name, func(t *testing.T) {
				target := h.PeerV4
				if sc.v6 {
					target = h.PeerV6
				}
				const delay = 150 * time.Millisecond
				t.Run("within-timeout", func(t *testing.T) {
					r := testnet.NewResponderT(t, h, testnet.Chaos{Fault: testnet.FaultDelay, Delay: delay})
					defer r.Close()
					events, sum := collect(t, Options{Target: target.String(), Socket: sc.kind, Count: 2,
						Interval: 20 * time.Millisecond, Timeout: 20 * time.Second, forceDirect: lp.direct}, inClient(h))
					if got := (want{}).of(sum.Stats); got != (want{received: 2}) {
						t.Fatalf("counts %+v", got)
					}
					for _, ev := range events {
						if ev.Kind == EventReply && ev.RTT < delay {
							t.Errorf("RTT %v shorter than the responder's delay %v (clocks %s)", ev.RTT, delay, ev.RTTClocks)
						}
					}
					if sum.Min < delay {
						t.Errorf("min RTT %v < delay", sum.Min)
					}
				})
				t.Run("after-timeout", func(t *testing.T) {
					r := testnet.NewResponderT(t, h, testnet.Chaos{Fault: testnet.FaultDelay, Delay: delay})
					defer r.Close()
					// Linger bounds the wait for the late replies; the run stops once both came.
					events, sum := collectUntil(t, Options{Target: target.String(), Socket: sc.kind, Count: 2,
						Interval: 20 * time.Millisecond, Timeout: 50 * time.Millisecond, Linger: 20 * time.Second, forceDirect: lp.direct},
						inClient(h), func(evs []Event) bool { return countClass(evs, ClassLate) == 2 })
					if got := (want{}).of(sum.Stats); got != (want{lost: 2, late: 2}) {
						t.Fatalf("counts %+v", got)
					}
					lossAt := map[uint16]int{}
					for i, ev := range events {
						switch {
						case ev.Kind == EventLoss:
							lossAt[ev.Seq] = i
						case ev.Class == ClassLate:
							if at, ok := lossAt[ev.Seq]; !ok || at > i {
								t.Errorf("late reply %d came before its loss event", ev.Seq)
							}
						}
					}
					checkEventsMatchStats(t, events, sum.Stats)
				})
			})
		}
	}
}
