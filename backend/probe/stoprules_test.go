package probe

import (
	"context"
	"errors"
	"net/netip"
	"syscall"
	"testing"
	"time"
)

// errorResponder answers every request with a destination unreachable quoting it.
func errorResponder(c *fakeConn, msg []byte, dst netip.Addr) {
	c.deliver(quotedError(msg, loop4, dst), netip.AddrFrom4([4]byte{127, 0, 0, 2}))
}

// With ErrorsAnswer an error resolves its request at once: -c 2 against a host that
// answers only with errors ends when both errors are in, not after the 10 s timeout
// (iputils: nreceived + nerrors >= npackets). Without it, the GUI's default, the
// requests wait for their timeout.
func TestErrorsAnswerEndsACountSession(t *testing.T) {
	for _, answer := range []bool{true, false} {
		c := newFakeConn()
		c.respond = errorResponder
		o := Options{Target: "127.0.0.1", Count: 2, Interval: 5 * time.Millisecond, Timeout: 2 * time.Second, ErrorsAnswer: answer}
		start := time.Now()
		_, sum, err := runFake(o, c)
		if err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		if sum.Sent != 2 || sum.Errors != 2 || sum.Lost != 2 || sum.Received != 0 {
			t.Fatalf("ErrorsAnswer=%v: stats %+v", answer, sum.Stats)
		}
		// Not a timing threshold: whether the session waited for the request timeout at all.
		if answer && took >= o.Timeout {
			t.Errorf("ErrorsAnswer: took %v, the whole timeout", took)
		}
		if !answer && took < o.Timeout {
			t.Errorf("default: took %v, less than the timeout the requests wait", took)
		}
	}
}

// StopOnError ends the session at the first error (iputils -w), whatever Count says.
func TestStopOnErrorEndsAtTheFirstError(t *testing.T) {
	c := newFakeConn()
	c.respond = errorResponder
	o := Options{Target: "127.0.0.1", Count: 50, Interval: 20 * time.Millisecond, Deadline: 30 * time.Second, StopOnError: true}
	_, sum, err := runFake(o, c)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Sent >= 50 || sum.Errors == 0 || sum.Outstanding != 0 {
		t.Fatalf("stats %+v", sum.Stats)
	}
}

// CountReplies keeps sending past Count until Count replies came: a host that answers
// only from its third request on still gets its one reply within the deadline.
func TestCountRepliesSendsUntilAReply(t *testing.T) {
	c := newFakeConn()
	n := 0
	c.respond = func(c *fakeConn, msg []byte, dst netip.Addr) {
		if n++; n >= 3 {
			echoResponder(c, msg, dst)
		}
	}
	o := Options{Target: "127.0.0.1", Count: 1, Interval: 10 * time.Millisecond, Timeout: 5 * time.Second,
		Deadline: 30 * time.Second, CountReplies: true}
	_, sum, err := runFake(o, c)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Sent != 3 || sum.Received != 1 || sum.Lost != 2 || sum.Outstanding != 0 {
		t.Fatalf("stats %+v", sum.Stats)
	}
	if err := (Options{Target: "h", Count: 1, CountReplies: true}).Validate(RootPolicy()); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("CountReplies without a deadline: %v", err)
	}
}

// A local send error counts as an error (iputils "+N errors"), and the recorder agrees.
func TestSendErrorCountsAnError(t *testing.T) {
	c := newFakeConn()
	c.sendErr = syscall.EMSGSIZE
	o := Options{Target: "127.0.0.1", Count: 2, Interval: 5 * time.Millisecond, ErrorsAnswer: true}
	events, sum, err := runFake(o, c)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Sent != 2 || sum.Errors != 2 || sum.Lost != 2 {
		t.Fatalf("stats %+v", sum.Stats)
	}
	r := NewStatsRecorder(0, 1)
	for i := range events {
		r.Record(&events[i])
	}
	if got := r.Stats(time.Now()); got.Errors != sum.Errors || got.Lost != sum.Lost {
		t.Errorf("recorder %+v, live %+v", got, sum.Stats)
	}
}

// A broadcast address the kernel refuses (EACCES without SO_BROADCAST) ends the session
// with ErrBroadcast instead of reporting requests that never left.
func TestRefusedBroadcastEndsTheSession(t *testing.T) {
	c := newFakeConn()
	c.sendErr = syscall.EACCES
	_, sum, err := runFake(Options{Target: "127.0.0.1", Count: 5, Interval: 5 * time.Millisecond}, c)
	if !errors.Is(err, ErrBroadcast) || sum.Sent != 1 {
		t.Fatalf("err %v, stats %+v", err, sum.Stats)
	}
}

// Adaptive (ping -A) takes the interval from the smoothed RTT: against a fast responder the
// requests follow their replies instead of the 1 s interval; a user's floor is 200 ms.
func TestAdaptiveIntervalFollowsTheRTT(t *testing.T) {
	c := newFakeConn()
	c.respond = echoResponder
	start := time.Now()
	_, sum, err := runFake(Options{Target: "127.0.0.1", Count: 5, Interval: time.Second, Adaptive: true}, c)
	if err != nil {
		t.Fatal(err)
	}
	// Four fixed 1 s intervals would take 4 s; adaptive ones follow sub-millisecond RTTs.
	if sum.Received != 5 || time.Since(start) >= 4*time.Second {
		t.Fatalf("took %v, stats %+v", time.Since(start), sum.Stats)
	}

	c = newFakeConn()
	c.respond = echoResponder
	var sends []time.Time
	s, err := NewSession(Options{Target: "127.0.0.1", Count: 3, Interval: 10 * time.Millisecond, Adaptive: true}, UserPolicy(), func(ev Event) {
		if ev.Kind == EventSend {
			sends = append(sends, ev.Sent.Time)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	s.newConn = func(context.Context, SocketKind, netip.Addr, *Options) (packetConn, error) { return c, nil }
	if _, err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(sends); i++ {
		if gap := sends[i].Sub(sends[i-1]); gap < 200*time.Millisecond {
			t.Errorf("send %d came %v after the previous one: below the user's 200 ms floor", i+1, gap)
		}
	}
}
