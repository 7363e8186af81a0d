package probe

import (
	"context"
	"os"
	"testing"
	"time"
)

func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root for raw ICMP sockets")
	}
}

// collect runs a session and returns its events and summary.
func collect(t *testing.T, o Options, prepare func(*Session)) ([]Event, Summary) {
	t.Helper()
	return collectUntil(t, o, prepare, nil)
}

// collectUntil is collect that also stops the session as soon as stop says so (used with a
// long Linger, so waiting for late replies is bounded by their arrival, not by a guess).
func collectUntil(t *testing.T, o Options, prepare func(*Session), stop func([]Event) bool) ([]Event, Summary) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var events []Event
	s, err := NewSession(o, RootPolicy(), func(ev Event) {
		events = append(events, ev)
		if stop != nil && stop(events) {
			cancel()
		}
	})
	if err != nil {
		t.Fatalf("NewSession: %v", err)
	}
	if prepare != nil {
		prepare(s)
	}
	sum, err := s.Run(ctx)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return events, sum
}

func countClass(events []Event, c Class) int {
	n := 0
	for _, ev := range events {
		if ev.Class == c {
			n++
		}
	}
	return n
}

func countKind(events []Event, k EventKind) int {
	n := 0
	for _, ev := range events {
		if ev.Kind == k {
			n++
		}
	}
	return n
}
