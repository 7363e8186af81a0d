package service

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"echoscope/backend/history"
)

// ErrSessionRunning: the session is still running (stop it first).
var ErrSessionRunning = errors.New("session is running")

// Sessions list bounds: 0 means the default; more than the maximum is cut to it.
const (
	DefaultSessionsLimit = 200
	MaxSessionsLimit     = 1000
)

// Sessions lists stored sessions, newest first, running ones included. query keeps those
// whose target, address or imported file name contains it (case-insensitive); ” keeps all.
func (s *PingService) Sessions(query string, limit int) ([]SessionSummary, error) {
	store, err := s.history()
	if err != nil {
		return nil, err
	}
	if limit < 0 {
		return nil, invalidRequest("sessions: limit %d", limit)
	}
	if limit == 0 {
		limit = DefaultSessionsLimit
	}
	list, err := store.ListSessions(s.ctx, history.SessionFilter{Search: query, Limit: min(limit, MaxSessionsLimit)})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	out := make([]SessionSummary, 0, len(list))
	traces := s.traceBriefs(store, list)
	for _, ss := range list {
		sum := s.summaryOf(ss)
		if b, ok := traces[ss.ID]; ok {
			s.traceSummary(&sum, ss.ID, b)
		}
		out = append(out, sum)
	}
	return out, nil
}

// summaryOf is a sessions-list line; a running session's figures come from its stream,
// which is newer than what the writer stored.
func (s *PingService) summaryOf(ss history.Session) SessionSummary {
	info := storedSessionInfo(ss)
	sum := SessionSummary{ID: info.ID, Target: ss.Target, Addr: ss.Addr, Engine: info.Engine,
		StartedAt: info.StartedAt, EndedAt: info.EndedAt, Packets: ss.Packets,
		Imported: info.Imported, ImportedFrom: ss.ImportedFrom, Kind: SessionKindPing}
	if ss.Monitor != 0 {
		sum.MonitorID = strconv.FormatInt(ss.Monitor, 10)
	}
	st := ss.Stats
	if ls := s.running(ss.ID); ls != nil {
		sum.Running = true
		if latest := ls.batcher.latestStats(); latest != nil {
			st = latest
		}
		sum.Packets = max(sum.Packets, ls.batcher.total())
	}
	sum.Interrupted = !sum.Running && ss.Ended.IsZero()
	if !ss.Ended.IsZero() {
		sum.DurationMs = ms(ss.Ended.Sub(ss.Started))
	} else if st != nil {
		sum.DurationMs = ms(st.Elapsed) // running, or interrupted: as far as it got
	}
	if st != nil {
		sum.Sent, sum.Received, sum.LossPercent = st.Sent, st.Received, st.LossPercent
		if st.Received > 0 {
			v := ms(st.P50)
			sum.MedianMs = &v
		}
	}
	return sum
}

// running is the live session with this id while it runs, else nil.
func (s *PingService) running(id int64) *liveSession {
	s.mu.Lock()
	ls := s.sessions[id]
	s.mu.Unlock()
	if ls == nil || ls.ended() {
		return nil
	}
	return ls
}

// DeleteSession starts removing a stored session and its rows as a job (job:progress in
// rows, then job:done). A running session is refused at once. A cancelled delete keeps the
// session whole (one transaction).
func (s *PingService) DeleteSession(sessionID string) (JobStart, error) {
	id, store, _, err := s.storeFor(sessionID)
	if err != nil {
		return JobStart{}, err
	}
	if s.running(id) != nil {
		return JobStart{}, fmt.Errorf("%w: session %s is still pinging: stop it first", ErrSessionRunning, sessionID)
	}
	if s.traceRuns.running(id) {
		return JobStart{}, fmt.Errorf("%w: session %s is a trace still running: stop it first", ErrSessionRunning, sessionID)
	}
	if _, err := s.storedSession(store, id); err != nil {
		return JobStart{}, err
	}
	return s.jobs.start(JobDelete, "Deleting session "+sessionID, UnitRows, func(ctx context.Context, report func(done, total int64)) (any, error) {
		return nil, s.deleteSession(ctx, sessionID, report)
	}), nil
}

// deleteSession removes a stored session and its rows, on the caller's goroutine.
func (s *PingService) deleteSession(ctx context.Context, sessionID string, report func(done, total int64)) error {
	id, store, _, err := s.storeFor(sessionID)
	if err != nil {
		return err
	}
	if s.running(id) != nil {
		return fmt.Errorf("%w: session %s is still pinging: stop it first", ErrSessionRunning, sessionID)
	}
	if err := store.DeleteSessionProgress(ctx, id, report); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(err, history.ErrNotFound) {
			return fmt.Errorf("%w: %s", ErrUnknownSession, sessionID)
		}
		return fmt.Errorf("%w: %w", ErrHistory, err)
	}
	s.mu.Lock()
	delete(s.sessions, id)
	s.mu.Unlock()
	s.charts.forget(id)
	return nil
}

// OpenSession starts reading what the Ping view needs to show a session as it was live,
// as a job (job:progress in rows read for the chart, then job:done with a SessionView):
// reading a million rows' chart takes about a second.
func (s *PingService) OpenSession(sessionID string) (JobStart, error) {
	id, store, _, err := s.storeFor(sessionID)
	if err != nil {
		return JobStart{}, err
	}
	ss, err := s.storedSession(store, id)
	if err != nil {
		return JobStart{}, err
	}
	return s.jobs.start(JobOpen, "Opening "+ss.Target, UnitRows, func(ctx context.Context, report func(done, total int64)) (any, error) {
		return s.openSession(ctx, sessionID, report)
	}), nil
}

// openSession returns a session's description, final (or latest) statistics, row count and
// the chart of the whole session.
func (s *PingService) openSession(ctx context.Context, sessionID string, report func(done, total int64)) (SessionView, error) {
	id, store, _, err := s.storeFor(sessionID)
	if err != nil {
		return SessionView{}, err
	}
	ss, err := s.storedSession(store, id)
	if err != nil {
		return SessionView{}, err
	}
	view := SessionView{Info: storedSessionInfo(ss), TotalRows: ss.Packets}
	st := ss.Stats
	if ls := s.running(id); ls != nil {
		// Every row a frame announced must be in the chart and pageable.
		if err := flushLive(ctx, ls); err != nil {
			return SessionView{}, err
		}
		if view.TotalRows, err = store.CountPackets(ctx, id); err != nil {
			return SessionView{}, fmt.Errorf("%w: %w", ErrHistory, err)
		}
		view.Info, view.Running = ls.info, true
		if latest := ls.batcher.latestStats(); latest != nil {
			st = latest
		}
	}
	if st != nil {
		view.Stats = statsView(*st)
	}
	if view.StoredRows, err = store.StoredPackets(ctx, id); err != nil {
		return SessionView{}, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	view.Points, view.SkippedPoints, err = s.sessionPoints(ctx, store, id, view.Running, view.Info.Imported,
		func(done int64) { report(done, max(view.TotalRows, done)) })
	if err != nil {
		if ctx.Err() != nil {
			return SessionView{}, ctx.Err()
		}
		return SessionView{}, err
	}
	return view, nil
}

// sessionPoints is the chart of a whole session in one streaming pass over its replies and
// losses. An ended session never changes, so its chart is kept for the next open.
func (s *PingService) sessionPoints(ctx context.Context, store *history.Store, id int64, running, imported bool, seen func(rows int64)) ([]ChartPoint, int64, error) {
	if !running {
		if c, ok := s.charts.get(id); ok {
			return c.points, c.skipped, nil
		}
	}
	start, err := chartStart(ctx, store, id, imported)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	chart := newSessionChart(MaxSessionPoints)
	var rows int64
	for r, err := range store.ChartRows(ctx, id) {
		if err != nil {
			return nil, 0, fmt.Errorf("%w: %w", ErrHistory, err)
		}
		if rows++; rows%4096 == 0 {
			seen(rows)
		}
		if pt, ok := chartPoint(chartEvent{r.Kind, r.Class, r.Sent, r.RTT, r.Index, r.Seq, r.N}, start); ok {
			chart.add(pt)
		}
	}
	seen(rows)
	points, skipped := chart.points()
	if !running {
		s.charts.put(id, cachedChart{points: points, skipped: skipped})
	}
	return points, skipped, nil
}

// chartStart is a session's time zero. Live, it is the engine's first send time. An
// imported capture's requests have no engine send time (only the capture's timestamp), so
// its chart starts at the capture's first packet, as Wireshark's relative times do.
func chartStart(ctx context.Context, store *history.Store, id int64, imported bool) (time.Time, error) {
	if imported {
		return store.FirstPacketTime(ctx, id)
	}
	return store.FirstSendTime(ctx, id)
}
