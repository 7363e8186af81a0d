package agent

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"echoscope/backend/probe"
)

// Crafted packets on the helper's side: a craft frame asks for one crafted echo request
// (probe.CraftRequest), answered by one crafted frame (probe.CraftResult) or one error
// frame. The helper holds the privilege, so it checks everything itself: only echo
// requests to one unicast address (probe.ValidateCraft), one crafted packet in flight at a
// time, and no faster than the caller's policy lets a ping session send.

// CraftMinGap is the shortest time between two crafted packets when the policy sets no
// interval floor or rate cap of its own (root): one second, ping's default interval.
const CraftMinGap = time.Second

// craftLimiter spaces crafted packets as a ping session's interval would.
type craftLimiter struct {
	mu       sync.Mutex
	inFlight bool
	last     time.Time
}

// gap is the policy's shortest interval (the larger of MinInterval and 1/MaxRate), or
// CraftMinGap when the policy has neither.
func craftGap(p probe.Policy) time.Duration {
	gap := p.MinInterval
	if p.MaxRate > 0 {
		gap = max(gap, time.Duration(float64(time.Second)/p.MaxRate))
	}
	if gap <= 0 {
		gap = CraftMinGap
	}
	return gap
}

// take reserves the next crafted send at now, or says why not.
func (l *craftLimiter) take(now time.Time, gap time.Duration) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.inFlight:
		return fmt.Errorf("%w: a crafted packet is already waiting for its reply; one at a time", probe.ErrPolicy)
	case !l.last.IsZero() && now.Sub(l.last) < gap:
		return fmt.Errorf("%w: crafted packets at most one per %v, like a ping session's interval; wait %v",
			probe.ErrPolicy, gap, (gap - now.Sub(l.last)).Round(time.Millisecond))
	}
	l.inFlight, l.last = true, now
	return nil
}

func (l *craftLimiter) done() {
	l.mu.Lock()
	l.inFlight = false
	l.mu.Unlock()
}

func (s *server) craft(ctx context.Context, m Message) {
	id := m.Session
	var req probe.CraftRequest
	if !s.decodeRequest(m, "request", "craft", &req) {
		return
	}
	if err := probe.ValidateCraft(req); err != nil {
		s.refuse(id, CodeCraft, err)
		return
	}
	if err := s.crafts.take(s.cfg.Now(), craftGap(s.cfg.Policy)); err != nil {
		s.refuse(id, CodePolicy, err)
		return
	}
	s.wg.Add(1)
	// The wait for the reply (up to the timeout) is on its own goroutine: the read loop
	// stays free for sessions' starts and stops.
	go func() {
		defer s.wg.Done()
		res, err := s.cfg.SendCrafted(ctx, req)
		// Free the slot before the answer goes out: a client that sends the next packet as
		// soon as it reads this one's answer must not find it still taken.
		s.crafts.done()
		if err != nil {
			if errors.Is(err, context.Canceled) {
				err = fmt.Errorf("stopped before the reply: %w", err)
			}
			s.refuse(id, engineCode(err), err)
			return
		}
		_ = s.send(TypeCrafted, id, res)
	}()
}
