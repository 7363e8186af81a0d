package history

import (
	"context"
	"fmt"
	"iter"
	"time"

	"echoscope/backend/probe"
)

// ChartRow is what the RTT chart needs of a stored reply or loss: a few columns, so that
// drawing a million-row session reads neither packet bytes nor notes.
type ChartRow struct {
	N     int64
	Kind  probe.EventKind
	Class probe.Class
	Index uint64
	// Sent is when the row's request left (the chart's x axis).
	Sent time.Time
	RTT  time.Duration
}

// ChartRows iterates, in order, over the replies and losses of a session: one query
// streamed row by row, in constant memory.
func (s *Store) ChartRows(ctx context.Context, session int64) iter.Seq2[ChartRow, error] {
	return func(yield func(ChartRow, error) bool) {
		rows, err := s.db.QueryContext(ctx, `SELECT n, kind, class, req_index, sent_ns, rtt_ns FROM packets
			WHERE session_id = ? AND kind IN ('reply', 'loss') ORDER BY n`, session)
		if err != nil {
			yield(ChartRow{}, fmt.Errorf("chart rows of session %d: %w", session, classify(err)))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var r ChartRow
			var kind, class string
			var index, sent, rtt int64
			if err := rows.Scan(&r.N, &kind, &class, &index, &sent, &rtt); err != nil {
				yield(ChartRow{}, fmt.Errorf("chart rows of session %d: %w", session, classify(err)))
				return
			}
			r.Kind, r.Class, r.Index = probe.EventKind(kind), probe.Class(class), uint64(index)
			r.Sent, r.RTT = fromNanos(sent), time.Duration(rtt)
			if !yield(r, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(ChartRow{}, fmt.Errorf("chart rows of session %d: %w", session, classify(err)))
		}
	}
}

// FirstSendTime is when a session's first request left (its chart's time zero), zero when
// it has none. One index seek: sends come first in their session.
func (s *Store) FirstSendTime(ctx context.Context, session int64) (time.Time, error) {
	var ns int64
	err := s.db.QueryRowContext(ctx, `SELECT coalesce((SELECT sent_ns FROM packets
		WHERE session_id = ? AND kind = 'send' AND sent_ns != 0 ORDER BY n LIMIT 1), 0)`, session).Scan(&ns)
	if err != nil {
		return time.Time{}, fmt.Errorf("first send of session %d: %w", session, classify(err))
	}
	return fromNanos(ns), nil
}
