package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"echoscope/backend/probe"
)

// blockingResolver is a session factory whose name lookup for "slow.test" hangs until the
// test releases it, and for "hang.test" until the session is stopped; other targets start
// at once (fakeFactory). entered tells that a lookup has begun.
type blockingResolver struct {
	entered chan string
	release chan struct{}
}

func newBlockingResolver() *blockingResolver {
	return &blockingResolver{entered: make(chan string, 4), release: make(chan struct{})}
}

func (b *blockingResolver) factory(ctx context.Context, o probe.Options, p probe.Policy, h probe.Handler) (Runner, error) {
	switch o.Target {
	case "slow.test":
		b.entered <- o.Target
		select {
		case <-b.release:
		case <-ctx.Done():
			return nil, fmt.Errorf("%w: %s: %w", probe.ErrResolve, o.Target, ctx.Err())
		}
	case "hang.test":
		b.entered <- o.Target
		<-ctx.Done()
		return nil, fmt.Errorf("%w: %s: %w", probe.ErrResolve, o.Target, ctx.Err())
	}
	return fakeFactory(ctx, o, p, h)
}

// nextNonEvent returns the next frame that is not an event. If none comes for a long time
// (the read loop is stuck behind the blocked lookup), it releases the lookup, so the test
// then fails on the order of the frames instead of hanging.
func (h *harness) nextNonEvent(unblock func()) Message {
	h.t.Helper()
	watchdog := time.AfterFunc(30*time.Second, unblock)
	defer watchdog.Stop()
	for {
		if m := h.next(); m.Type != TypeEvent {
			return m
		}
	}
}

// Issue 10, point 2: a start for a slow name delayed another session's stop by 4.5 s,
// because the target was resolved on the helper's read loop. Now the lookup runs on the
// session's goroutine: while it hangs, another session stops and a third one starts and
// ends, and only then does the slow one start.
func TestSlowNameLookupDoesNotHoldUpOtherSessions(t *testing.T) {
	r := newBlockingResolver()
	var once sync.Once
	unblock := func() { once.Do(func() { close(r.release) }) }
	h := startServerWith(t, probe.UserPolicy(), r.factory)
	h.send(TypeStart, "a", start("127.0.0.1", 0)) // endless
	if m := h.nextNonEvent(unblock); m.Type != TypeStarted || m.Session != "a" {
		t.Fatalf("got %s %q, want started a", m.Type, m.Session)
	}
	h.send(TypeStart, "slow", start("slow.test", 1))
	<-r.entered // the lookup has begun and now hangs

	h.send(TypeStop, "a", nil)
	if m := h.nextNonEvent(unblock); m.Type != TypeDone || m.Session != "a" {
		t.Fatalf("while slow.test resolves, the stop of a was answered by %s %q %s, want done a", m.Type, m.Session, m.Body)
	}
	h.send(TypeStart, "b", start("127.0.0.1", 1))
	for _, want := range []Type{TypeStarted, TypeDone} {
		if m := h.nextNonEvent(unblock); m.Type != want || m.Session != "b" {
			t.Fatalf("while slow.test resolves, session b got %s %q, want %s", m.Type, m.Session, want)
		}
	}
	unblock()
	for _, want := range []Type{TypeStarted, TypeDone} {
		if m := h.nextNonEvent(unblock); m.Type != want || m.Session != "slow" {
			t.Fatalf("after the lookup: got %s %q %s, want %s for slow", m.Type, m.Session, m.Body, want)
		}
	}
}

// A stop reaches a session still resolving its name: the lookup is cancelled and the start
// is answered with an error that says so. The id is free again at once.
func TestStopCancelsASessionStillResolving(t *testing.T) {
	r := newBlockingResolver()
	h := startServerWith(t, probe.UserPolicy(), r.factory)
	// Should the read loop be stuck behind the lookup, closing stdin ends the wait for the
	// next frame (and fails the test) instead of hanging it.
	watchdog := time.AfterFunc(30*time.Second, func() { h.in.Close() })
	defer watchdog.Stop()
	h.send(TypeStart, "h", start("hang.test", 1))
	<-r.entered
	// While it resolves it counts: a second start with its id is a duplicate.
	h.send(TypeStart, "h", start("127.0.0.1", 1))
	h.expectError("h", CodeBadSession)
	h.send(TypeStop, "h", nil)
	m := h.next()
	var e ErrorBody
	if m.Type != TypeError || m.Session != "h" || json.Unmarshal(m.Body, &e) != nil ||
		e.Code != CodeResolve || !strings.Contains(e.Message, "stopped before it started") {
		t.Fatalf("got %s %q %s, want a resolve error saying it was stopped", m.Type, m.Session, m.Body)
	}
	h.send(TypeStart, "h", start("127.0.0.1", 1))
	if m := h.next(); m.Type != TypeStarted || m.Session != "h" {
		t.Fatalf("restart of h: got %s %q %s", m.Type, m.Session, m.Body)
	}
}
