package history

import (
	"context"
	"fmt"
	"iter"
	"time"

	"echoscope/backend/probe"
)

// ChartRow is what the RTT chart needs of a stored row: a few columns, so that drawing a
// million-row session reads neither packet bytes nor notes.
type ChartRow struct {
	Kind  probe.EventKind
	Class probe.Class
	Index uint64
	Seq   uint16
	// N is the row's position (the table row a click on its point selects).
	N int64
	// Sent is when the row's request left (the chart's x axis).
	Sent time.Time
	RTT  time.Duration
}

// chartClasses are the rows the chart shows, by the small number the query returns for
// them: text columns cost a Go string per row, which is most of the time on a million rows.
var chartClasses = []struct {
	kind  probe.EventKind
	class probe.Class
}{
	{probe.EventLoss, ""},
	{probe.EventReply, probe.ClassOnTime},
	{probe.EventReply, probe.ClassOutOfOrder},
	{probe.EventReply, probe.ClassDuplicate},
	{probe.EventReply, probe.ClassLate},
	{probe.EventICMPError, probe.ClassICMPError},
}

const chartRowsSQL = `SELECT c, n, req_index, seq, sent_ns, rtt_ns FROM (
	SELECT n, req_index, seq, sent_ns, rtt_ns, CASE
		WHEN kind = 'loss' THEN 0
		WHEN kind = 'icmp-error' THEN 5
		WHEN kind != 'reply' THEN NULL
		WHEN class = 'on-time' THEN 1
		WHEN class = 'out-of-order' THEN 2
		WHEN class = 'duplicate' THEN 3
		WHEN class = 'late' THEN 4 END AS c
	FROM packets WHERE session_id = ? AND kind IN ('reply', 'loss', 'icmp-error'))
	WHERE c IS NOT NULL ORDER BY n`

// ChartRows iterates, in order, over the rows of a session the RTT chart shows: losses,
// replies on time, out of order, duplicate or late (not foreign or corrupt ones), and ICMP
// errors. One
// query streamed row by row, in constant memory.
func (s *Store) ChartRows(ctx context.Context, session int64) iter.Seq2[ChartRow, error] {
	return func(yield func(ChartRow, error) bool) {
		blocks, err := s.isBlockSession(ctx, session)
		if err != nil {
			yield(ChartRow{}, fmt.Errorf("chart rows of session %d: %w", session, err))
			return
		}
		if blocks {
			s.blockChartRows(ctx, session, yield)
			return
		}
		rows, err := s.db.QueryContext(ctx, chartRowsSQL, session)
		if err != nil {
			yield(ChartRow{}, fmt.Errorf("chart rows of session %d: %w", session, classify(err)))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var c, seq int
			var n, index, sent, rtt int64
			if err := rows.Scan(&c, &n, &index, &seq, &sent, &rtt); err != nil {
				yield(ChartRow{}, fmt.Errorf("chart rows of session %d: %w", session, classify(err)))
				return
			}
			r := ChartRow{Kind: chartClasses[c].kind, Class: chartClasses[c].class, Index: uint64(index),
				Seq: uint16(seq), N: n, Sent: fromNanos(sent), RTT: time.Duration(rtt)}
			if !yield(r, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(ChartRow{}, fmt.Errorf("chart rows of session %d: %w", session, classify(err)))
		}
	}
}

// blockChartRows is ChartRows for a session stored as blocks: chartRowsSQL's choice,
// row by row.
func (s *Store) blockChartRows(ctx context.Context, session int64, yield func(ChartRow, error) bool) {
	stopped := false
	err := s.eachBlockRow(ctx, session, 0, -1, func(p *Packet) bool {
		c := chartClassOf(p.Kind, p.Class)
		if c < 0 {
			return true
		}
		r := ChartRow{Kind: chartClasses[c].kind, Class: chartClasses[c].class, Index: p.Index,
			Seq: p.Seq, N: p.N, Sent: p.Sent.Time, RTT: p.RTT}
		stopped = !yield(r, nil)
		return !stopped
	})
	if err != nil && !stopped {
		yield(ChartRow{}, fmt.Errorf("chart rows of session %d: %w", session, err))
	}
}

// chartClassOf is chartRowsSQL's CASE: a row's index in chartClasses, -1 for rows the chart
// does not show.
func chartClassOf(kind probe.EventKind, class probe.Class) int {
	switch kind {
	case probe.EventLoss:
		return 0
	case probe.EventICMPError:
		return 5
	case probe.EventReply:
		for c := 1; c <= 4; c++ {
			if chartClasses[c].class == class {
				return c
			}
		}
	}
	return -1
}

// blockFirstTime is the first nonzero time of a block session's rows
// (zero when none does): of gives a row's time, zero for a row that does not count.
func (s *Store) blockFirstTime(ctx context.Context, session int64, of func(*Packet) time.Time) (time.Time, error) {
	var t time.Time
	err := s.eachBlockRow(ctx, session, 0, -1, func(p *Packet) bool {
		t = of(p)
		return t.IsZero()
	})
	return t, err
}

// FirstSendTime is when a session's first request left (its chart's time zero), zero when
// it has none. One index seek: sends come first in their session.
func (s *Store) FirstSendTime(ctx context.Context, session int64) (time.Time, error) {
	if blocks, err := s.isBlockSession(ctx, session); err != nil {
		return time.Time{}, err
	} else if blocks {
		t, err := s.blockFirstTime(ctx, session, func(p *Packet) time.Time {
			if p.Kind != probe.EventSend {
				return time.Time{}
			}
			return p.Sent.Time
		})
		if err != nil {
			return time.Time{}, fmt.Errorf("first send of session %d: %w", session, err)
		}
		return t, nil
	}
	var ns int64
	err := s.db.QueryRowContext(ctx, `SELECT coalesce((SELECT sent_ns FROM packets
		WHERE session_id = ? AND kind = 'send' AND sent_ns != 0 ORDER BY n LIMIT 1), 0)`, session).Scan(&ns)
	if err != nil {
		return time.Time{}, fmt.Errorf("first send of session %d: %w", session, classify(err))
	}
	return fromNanos(ns), nil
}

// FirstPacketTime is when a session's first stored row was sent or seen (its time_ns),
// zero when it has none. An imported capture's chart starts there, as Wireshark's relative
// times do: its requests carry capture times, not an engine's send times.
func (s *Store) FirstPacketTime(ctx context.Context, session int64) (time.Time, error) {
	if blocks, err := s.isBlockSession(ctx, session); err != nil {
		return time.Time{}, err
	} else if blocks {
		t, err := s.blockFirstTime(ctx, session, func(p *Packet) time.Time { return p.Time.Time })
		if err != nil {
			return time.Time{}, fmt.Errorf("first packet of session %d: %w", session, err)
		}
		return t, nil
	}
	var ns int64
	err := s.db.QueryRowContext(ctx, `SELECT coalesce((SELECT time_ns FROM packets
		WHERE session_id = ? AND time_ns != 0 ORDER BY n LIMIT 1), 0)`, session).Scan(&ns)
	if err != nil {
		return time.Time{}, fmt.Errorf("first packet of session %d: %w", session, classify(err))
	}
	return fromNanos(ns), nil
}
