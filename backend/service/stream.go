package service

import (
	"sync"
	"time"

	"echoscope/backend/history"
	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// Frame bounds. A frame carries at most the rows the table can show at once (older rows of
// the interval are paged with Rows when someone scrolls to them) and a bounded number of
// chart points, so 1000 packets per second cost the bridge the same as 30.
const (
	MaxFrameRows   = 200
	MaxFramePoints = 400
	// DefaultFrameEvery is the frame period: 25 frames per second.
	DefaultFrameEvery = 40 * time.Millisecond
)

// streamBatcher collects one session's events between frames. add runs on the engine's
// handler goroutine and only appends under a short lock (never blocks on the UI); take runs
// on the frame goroutine and swaps the collected state out.
type streamBatcher struct {
	sessionID string
	family    wire.Family

	mu            sync.Mutex
	start         time.Time
	rows          []Row
	skippedRows   int64
	replyPoints   []ChartPoint
	markPoints    []ChartPoint
	skippedPoints int64
	stats         *probe.Stats
	statsChanged  bool
	pending       int
	totalRows     int64
	frameSeq      uint64
}

func newStreamBatcher(sessionID string, fam wire.Family) *streamBatcher {
	return &streamBatcher{sessionID: sessionID, family: fam}
}

// addStats keeps the latest statistics snapshot for the next frame.
func (b *streamBatcher) addStats(s *probe.Stats) {
	if s == nil {
		return
	}
	b.mu.Lock()
	b.stats = s
	b.statsChanged = true
	b.pending++
	b.mu.Unlock()
}

// add records an event stored as row n (n < 0: the store refused it, so it has no row).
func (b *streamBatcher) add(ev probe.Event, n int64) {
	var row Row
	if n >= 0 {
		p := history.PacketFromEvent(ev)
		p.N = n
		row = rowFromPacket(p, b.family)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending++
	if b.start.IsZero() && ev.Kind == probe.EventSend && !ev.Sent.IsZero() {
		b.start = ev.Sent.Time
	}
	if n >= 0 {
		b.totalRows = n + 1
		b.rows = append(b.rows, row)
		if len(b.rows) >= 2*MaxFrameRows {
			// Keep the newest MaxFrameRows; the table pages the rest when scrolled to.
			drop := len(b.rows) - MaxFrameRows
			b.skippedRows += int64(drop)
			b.rows = append(b.rows[:0], b.rows[drop:]...)
		}
	}
	pt, ok := chartPointOf(ev, b.start, n)
	if !ok {
		return
	}
	// Markers (lost, duplicate, late) are rare and matter; replies are many and decimated.
	if pt.Mark == MarkReply {
		if len(b.replyPoints) < MaxFramePoints-len(b.markPoints) {
			b.replyPoints = append(b.replyPoints, pt)
		} else {
			b.skippedPoints++
		}
		return
	}
	if len(b.markPoints) < MaxFramePoints/2 {
		b.markPoints = append(b.markPoints, pt)
	} else {
		b.skippedPoints++
	}
}

// take returns the frame for what arrived since the last one, ok false when nothing did.
func (b *streamBatcher) take(dropped uint64) (Frame, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pending == 0 {
		return Frame{}, false
	}
	b.frameSeq++
	f := Frame{SessionID: b.sessionID, Seq: b.frameSeq, TotalRows: b.totalRows,
		Rows: b.rows, SkippedRows: b.skippedRows, SkippedPoints: b.skippedPoints,
		Backlog: b.pending, DroppedEvents: dropped}
	if len(b.rows) > MaxFrameRows {
		extra := len(b.rows) - MaxFrameRows
		f.SkippedRows += int64(extra)
		f.Rows = b.rows[extra:]
	}
	f.Points = make([]ChartPoint, 0, len(b.replyPoints)+len(b.markPoints))
	f.Points = append(append(f.Points, b.replyPoints...), b.markPoints...)
	if b.statsChanged && b.stats != nil {
		f.Stats = statsView(*b.stats)
	}
	if f.Rows == nil {
		f.Rows = []Row{}
	}
	b.rows, b.replyPoints, b.markPoints = nil, nil, nil
	b.skippedRows, b.skippedPoints, b.pending, b.statsChanged = 0, 0, 0, false
	return f, true
}

// total is the number of rows so far.
func (b *streamBatcher) total() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.totalRows
}

// latestStats is the newest statistics snapshot, nil before the first.
func (b *streamBatcher) latestStats() *probe.Stats {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stats
}
