package history

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"echoscope/backend/probe"
)

// Writer defaults. The buffer holds 8 s of a 1000 packets/s session, so a slow disk
// (or a long commit) does not drop events at that rate.
const (
	DefaultWriterBuffer = 8192
	DefaultFlushEvery   = 150 * time.Millisecond
	DefaultFlushSize    = 1024
)

// WriterOptions tune a Writer; zero values mean the defaults.
type WriterOptions struct {
	// Buffer is the capacity of the event channel.
	Buffer int
	// FlushEvery is the longest an accepted event waits before its transaction commits.
	FlushEvery time.Duration
	// FlushSize commits as soon as this many events are pending.
	FlushSize int
	// OnError is called (on the writer goroutine) with each failed commit's error,
	// classified (errors.Is ErrStorageFull / ErrReadOnly / ErrCorrupt).
	OnError func(error)
	// OnCommit is called (on the writer goroutine) after each commit with the total
	// number of events committed so far.
	OnCommit func(committed uint64)
}

// WriterStats count what happened to the events handed to a Writer:
// Accepted = Committed + Failed + pending; Dropped events were never accepted.
type WriterStats struct {
	Accepted  uint64 `json:"accepted"`
	Committed uint64 `json:"committed"`
	// Dropped: refused because the buffer was full or the writer closed.
	Dropped uint64 `json:"dropped"`
	// Failed: accepted but lost because their transaction failed (disk full...).
	Failed uint64 `json:"failed"`
}

type queued struct {
	session int64
	ev      probe.Event
}

type flushRequest struct {
	stop bool
	done chan error
}

// Writer stores engine events in batched transactions on one goroutine, off the engine's
// hot path. Add (and the Handler it backs) never blocks: when the buffer is full the event
// is counted as dropped. Write failures never stop it; they are reported and counted.
type Writer struct {
	store  *Store
	opts   WriterOptions
	events chan queued
	ctrl   chan flushRequest
	exited chan struct{}
	closed atomic.Bool

	accepted, committed, dropped, failed atomic.Uint64

	mu  sync.Mutex
	err error

	// Owned by the writer goroutine.
	next  map[int64]int64 // next row position per session
	batch []queued
}

// NewWriter starts a writer on the store. Close it before closing the store.
func (s *Store) NewWriter(o WriterOptions) *Writer {
	if o.Buffer <= 0 {
		o.Buffer = DefaultWriterBuffer
	}
	if o.FlushEvery <= 0 {
		o.FlushEvery = DefaultFlushEvery
	}
	if o.FlushSize <= 0 {
		o.FlushSize = DefaultFlushSize
	}
	w := &Writer{store: s, opts: o, events: make(chan queued, o.Buffer),
		ctrl: make(chan flushRequest), exited: make(chan struct{}), next: map[int64]int64{}}
	go w.run()
	return w
}

// Add hands one event of a session to the writer without blocking. It reports false
// when the event was dropped (buffer full, or writer closed).
func (w *Writer) Add(session int64, ev probe.Event) bool {
	if w.closed.Load() {
		w.dropped.Add(1)
		return false
	}
	select {
	case w.events <- queued{session: session, ev: ev}:
		w.accepted.Add(1)
		return true
	default:
		w.dropped.Add(1)
		return false
	}
}

// Handler returns a probe.Handler storing a session's events; pass it (or call it from
// the handler you pass) to probe.NewSession.
func (w *Writer) Handler(session int64) probe.Handler {
	return func(ev probe.Event) { w.Add(session, ev) }
}

// Stats returns the writer's counters.
func (w *Writer) Stats() WriterStats {
	return WriterStats{Accepted: w.accepted.Load(), Committed: w.committed.Load(),
		Dropped: w.dropped.Load(), Failed: w.failed.Load()}
}

// Err is the error of the latest failed commit, or nil when the latest commit succeeded
// (the writer recovers by itself when, say, disk space comes back).
func (w *Writer) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// Flush commits every event accepted before the call and returns that commit's error.
func (w *Writer) Flush(ctx context.Context) error { return w.request(ctx, false) }

// Close commits what is pending and stops the writer. Events added afterwards are dropped.
func (w *Writer) Close() error {
	if w.closed.Swap(true) {
		return ErrClosed
	}
	return w.request(context.Background(), true)
}

func (w *Writer) request(ctx context.Context, stop bool) error {
	req := flushRequest{stop: stop, done: make(chan error, 1)}
	select {
	case w.ctrl <- req:
	case <-w.exited:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *Writer) run() {
	defer close(w.exited)
	ticker := time.NewTicker(w.opts.FlushEvery)
	defer ticker.Stop()
	for {
		select {
		case q := <-w.events:
			w.batch = append(w.batch, q)
			if len(w.batch) >= w.opts.FlushSize {
				w.commit()
			}
		case <-ticker.C:
			if len(w.batch) > 0 {
				w.commit()
			}
		case req := <-w.ctrl:
			err := w.drainAndCommit()
			req.done <- err
			if req.stop {
				return
			}
		}
	}
}

// drainAndCommit takes everything buffered now and commits it, in FlushSize chunks.
func (w *Writer) drainAndCommit() error {
	var last error
	for {
		select {
		case q := <-w.events:
			w.batch = append(w.batch, q)
			if len(w.batch) >= w.opts.FlushSize {
				if err := w.commit(); err != nil {
					last = err
				}
			}
			continue
		default:
		}
		break
	}
	if len(w.batch) > 0 {
		if err := w.commit(); err != nil {
			last = err
		}
	}
	return last
}

// commit writes the batch in one transaction and records the outcome.
func (w *Writer) commit() error {
	batch := w.batch
	w.batch = w.batch[:0]
	skipped, positions, err := w.writeBatch(batch)
	switch {
	case err != nil && positions != nil && isStorageFailure(err):
		// The disk refused the rows (full, read-only): their positions stay taken, so the
		// rows stored later keep the numbers the live stream gave them, and what is missing
		// is a gap, not a shift of everything after it.
		maps.Copy(w.next, positions)
	case err != nil:
		// Forget the positions: a session deleted meanwhile is then noticed on the next
		// batch instead of failing every batch after it.
		clear(w.next)
	}
	n := uint64(len(batch))
	clear(batch) // drop references to packet bytes now
	w.mu.Lock()
	w.err = err
	w.mu.Unlock()
	if err != nil {
		w.failed.Add(n)
		if w.opts.OnError != nil {
			w.opts.OnError(err)
		}
		return err
	}
	if skipped > 0 {
		w.failed.Add(uint64(skipped))
		n -= uint64(skipped)
		err = fmt.Errorf("%d events of deleted sessions: %w", skipped, ErrNotFound)
		if w.opts.OnError != nil {
			w.opts.OnError(err)
		}
	}
	total := w.committed.Add(n)
	if w.opts.OnCommit != nil {
		w.opts.OnCommit(total)
	}
	return nil
}

// isStorageFailure: the database could not take the write because of the disk or the file
// (as opposed to, say, a session deleted meanwhile).
func isStorageFailure(err error) bool {
	return errors.Is(err, ErrStorageFull) || errors.Is(err, ErrReadOnly) || errors.Is(err, ErrCorrupt)
}

// writeBatch stores the batch in one transaction. It returns how many events it skipped
// because their session was deleted, and, when the transaction failed after the positions
// were known, the next position of each session as if the batch had gone in (commit keeps
// them on a storage failure).
func (w *Writer) writeBatch(batch []queued) (skipped int, positions map[int64]int64, err error) {
	ctx := context.Background()
	// Positions are taken from a copy so a failed transaction leaves them unchanged.
	next := map[int64]int64{}
	for _, q := range batch {
		if _, ok := next[q.session]; ok {
			continue
		}
		n, ok := w.next[q.session]
		if !ok {
			if n, err = w.firstPosition(ctx, q.session); err != nil {
				return 0, nil, err
			}
		}
		next[q.session] = n
	}
	// What the positions would be once the batch is in, worked out only when it failed.
	start := maps.Clone(next)
	after := func() map[int64]int64 {
		for _, q := range batch {
			if q.ev.Kind != probe.EventStats && start[q.session] >= 0 {
				start[q.session]++
			}
		}
		return start
	}
	tx, err := w.store.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, after(), fmt.Errorf("store %d events: %w", len(batch), classify(err))
	}
	defer func() {
		if err != nil {
			tx.Rollback() //nolint:errcheck // the commit error is what matters
		}
	}()
	stmt, err := tx.PrepareContext(ctx, insertPacketSQL)
	if err != nil {
		return 0, after(), fmt.Errorf("store %d events: %w", len(batch), classify(err))
	}
	defer stmt.Close()
	latestStats := map[int64]*probe.Stats{}
	for i := range batch {
		q := &batch[i]
		if q.ev.Kind == probe.EventStats {
			if q.ev.Stats != nil {
				latestStats[q.session] = q.ev.Stats
			}
			continue
		}
		if next[q.session] < 0 {
			skipped++ // the session was deleted: its events have nowhere to go
			continue
		}
		p := PacketFromEvent(q.ev)
		p.SessionID, p.N = q.session, next[q.session]
		if err = insertPacket(ctx, stmt, &p); err != nil {
			return 0, after(), fmt.Errorf("store %d events: %w", len(batch), classify(err))
		}
		next[q.session]++
	}
	// Periodic statistics keep the sessions list meaningful for a session that never
	// finishes (a crash); FinishSession overwrites them with the final ones.
	for id, st := range latestStats {
		if next[id] < 0 {
			continue
		}
		if err = w.store.storeStats(ctx, tx, id, *st, nil); err != nil {
			return 0, after(), fmt.Errorf("store stats of session %d: %w", id, err)
		}
	}
	if err = tx.Commit(); err != nil {
		return 0, after(), fmt.Errorf("commit %d events: %w", len(batch), classify(err))
	}
	maps.Copy(w.next, next)
	return skipped, nil, nil
}

// firstPosition is where a session's next row goes: after its stored rows, or -1 when the
// session no longer exists (deleted while running), so its events are skipped instead of
// failing the whole batch on the foreign key.
func (w *Writer) firstPosition(ctx context.Context, session int64) (int64, error) {
	var exists int
	err := w.store.db.QueryRowContext(ctx, "SELECT count(*) FROM sessions WHERE id = ?", session).Scan(&exists)
	if err != nil {
		return 0, fmt.Errorf("session %d: %w", session, classify(err))
	}
	if exists == 0 {
		return -1, nil
	}
	return w.store.CountPackets(ctx, session)
}
