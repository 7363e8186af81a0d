package history

import (
	"context"
	"fmt"

	"echoscope/backend/probe"
)

// TraceAnswerRef is a stored answer of a trace's probe: its row, and the round and TTL of the
// probe it answers.
type TraceAnswerRef struct {
	N     int64
	Round int
	TTL   int
}

// TraceAnswers reads a stored trace's session once, in position order, and returns each hop's
// answers (key: the hop's TTL), at most perHop of the latest per hop, oldest first: the
// message that first answered each probe in time, as the live trace counts them (an ICMP error
// quoting it or the destination's echo reply, on time or out of order; never a duplicate, a
// late or corrupt reply, or a foreign message). A probe's TTL is its send row's ttl (the hop
// it probes); its round is the number of TTL 1 sends up to it (every round starts at TTL 1).
func (s *Store) TraceAnswers(ctx context.Context, sessionID int64, perHop int) (map[int][]TraceAnswerRef, error) {
	t := traceAnswerWalk{perHop: perHop, probes: map[int64]traceProbe{}, answered: map[int64]bool{}, out: map[int][]TraceAnswerRef{}}
	blocks, err := s.isBlockSession(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	if blocks {
		err = s.eachBlockRow(ctx, sessionID, 0, -1, func(p *Packet) bool {
			t.add(p.N, p.Kind, int64(p.Index), p.TTL, p.Class)
			return true
		})
		if err != nil {
			return nil, fmt.Errorf("trace answers of session %d: %w", sessionID, err)
		}
		return t.out, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT n, kind, req_index, ttl, class,
		CASE WHEN derived AND kind = ? THEN bytes END FROM packets WHERE session_id = ? ORDER BY n`,
		string(probe.EventSend), sessionID)
	if err != nil {
		return nil, fmt.Errorf("trace answers of session %d: %w", sessionID, classify(err))
	}
	defer rows.Close()
	for rows.Next() {
		var n, index int64
		var ttl int
		var kind, class string
		var lean []byte // a lean send row's bytes, which hold its TTL (lean_rows.go); only sends' TTLs are read
		if err := rows.Scan(&n, &kind, &index, &ttl, &class, &lean); err != nil {
			return nil, fmt.Errorf("trace answers of session %d: %w", sessionID, classify(err))
		}
		if lean != nil {
			ttl = leanHeader(lean).TTL
		}
		t.add(n, probe.EventKind(kind), index, ttl, probe.Class(class))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("trace answers of session %d: %w", sessionID, classify(err))
	}
	return t.out, nil
}

// traceProbe is a trace's sent probe: its round and TTL.
type traceProbe struct{ round, ttl int }

// traceAnswerWalk is TraceAnswers' state over a session's rows in position order.
type traceAnswerWalk struct {
	perHop   int
	probes   map[int64]traceProbe
	answered map[int64]bool
	out      map[int][]TraceAnswerRef
	round    int
}

// add takes the next row (a send's TTL is the hop it probes; other rows' TTLs are not read).
func (t *traceAnswerWalk) add(n int64, kind probe.EventKind, index int64, ttl int, c probe.Class) {
	switch kind {
	case probe.EventSend:
		if ttl == 1 {
			t.round++
		}
		if index > 0 && ttl > 0 {
			t.probes[index] = traceProbe{round: max(t.round, 1), ttl: ttl}
		}
	case probe.EventReply, probe.EventICMPError:
		p, ok := t.probes[index]
		first := c == probe.ClassOnTime || c == probe.ClassOutOfOrder || c == probe.ClassICMPError
		if !ok || !first || t.answered[index] {
			return
		}
		t.answered[index] = true
		list := append(t.out[p.ttl], TraceAnswerRef{N: n, Round: p.round, TTL: p.ttl})
		if t.perHop > 0 && len(list) > t.perHop {
			list = list[len(list)-t.perHop:]
		}
		t.out[p.ttl] = list
	}
}
