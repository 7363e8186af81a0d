package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"echoscope/backend/probe"
)

// A trace (the Path view's traceroute) is stored as a session plus a traces row. The session
// holds what every session holds: target, address, engine, socket, start and end, and every
// packet of the probes in the packets table, written by the Writer as they happen (sends with
// the TTL they went with in the ttl column: the hop they probe; answers tied to their send by
// req_index), so export, delete, retention and the inspector work on it as on any session and
// a trace killed mid-run keeps what was committed. The traces row holds what only a trace has:
// its options and form, its rounds, the destination's hop, and mtr's per-hop figures (address,
// loss, last/avg/best/worst/stdev, the rate-limit verdict), rewritten as the trace goes.

// migrationTraces is the schema step of stored traces. Additive: a new table only, one row per
// trace, removed with its session (ON DELETE CASCADE; retention and DeleteSession delete the
// session). (Other branches add steps too: the integrator numbers this one after theirs.)
const migrationTraces = `CREATE TABLE traces (
		id               INTEGER PRIMARY KEY,
		session_id       INTEGER NOT NULL UNIQUE REFERENCES sessions(id) ON DELETE CASCADE,
		options_json     TEXT NOT NULL DEFAULT '{}',
		form_json        TEXT NOT NULL DEFAULT '',
		max_hops         INTEGER NOT NULL DEFAULT 0,
		rounds           INTEGER NOT NULL DEFAULT 0,
		destination_hop  INTEGER NOT NULL DEFAULT 0,
		own_traffic_only INTEGER NOT NULL DEFAULT 0,
		foreign_count    INTEGER NOT NULL DEFAULT 0,
		hops_json        TEXT NOT NULL DEFAULT '[]'
	);`

// TraceInfo is what is known when a trace starts.
type TraceInfo struct {
	// Target as typed; Engine the engine chosen ("agent-raw", ...).
	Target string
	Engine string
	// Options are the trace's options; Form the Path form as the service records it (JSON),
	// so "Trace again" restores it.
	Options probe.TraceOptions
	Form    json.RawMessage
	// Probe is what the session row keeps as its options (the per-probe timeout and size the
	// inspector's words use).
	Probe   probe.Options
	Started time.Time
}

// TraceFigures are a trace's figures so far (or final): what TraceResult and TraceProgress
// say about the path. Hops are stored without their answers (the packets are the answers).
type TraceFigures struct {
	Addr           string
	Socket         probe.SocketKind
	Rounds         int
	DestinationHop int
	MaxHops        int
	OwnTrafficOnly bool
	Foreign        uint64
	Hops           []probe.TraceHop
}

// Trace is one stored trace.
type Trace struct {
	ID int64 `json:"id"`
	// SessionID is the session holding its packets.
	SessionID int64           `json:"sessionId"`
	Target    string          `json:"target"`
	Addr      string          `json:"addr"`
	Engine    string          `json:"engine"`
	Socket    string          `json:"socket"`
	Options   json.RawMessage `json:"options"`
	Form      json.RawMessage `json:"form,omitempty"`
	Started   time.Time       `json:"started"`
	// Ended is zero while it runs, or when the app stopped during it.
	Ended          time.Time        `json:"ended,omitzero"`
	Rounds         int              `json:"rounds"`
	DestinationHop int              `json:"destinationHop"`
	MaxHops        int              `json:"maxHops"`
	OwnTrafficOnly bool             `json:"ownTrafficOnly"`
	Foreign        uint64           `json:"foreign"`
	Hops           []probe.TraceHop `json:"hops"`
	// Packets is the number of stored packet rows of its session.
	Packets int64 `json:"packets"`
}

// TraceBrief is what the sessions list says of a session that is a trace.
type TraceBrief struct {
	ID             int64
	Hops           int
	DestinationHop int
}

// BeginTrace stores a new trace (its session and its traces row, in one transaction) and
// returns the trace's id and its session's id: the Writer stores the packets under the latter.
func (s *Store) BeginTrace(ctx context.Context, info TraceInfo) (traceID, sessionID int64, err error) {
	started := info.Started
	if started.IsZero() {
		started = time.Now()
	}
	popts, err := json.Marshal(info.Probe)
	if err != nil {
		return 0, 0, fmt.Errorf("begin trace: probe options: %w", err)
	}
	topts, err := json.Marshal(info.Options)
	if err != nil {
		return 0, 0, fmt.Errorf("begin trace: options: %w", err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("begin trace: %w", classify(err))
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	res, err := tx.ExecContext(ctx, `INSERT INTO sessions(target, engine, options_json, started_ns) VALUES (?, ?, ?, ?)`,
		info.Target, info.Engine, string(popts), started.UnixNano())
	if err != nil {
		return 0, 0, fmt.Errorf("begin trace: %w", classify(err))
	}
	if sessionID, err = res.LastInsertId(); err != nil {
		return 0, 0, fmt.Errorf("begin trace: %w", classify(err))
	}
	res, err = tx.ExecContext(ctx, `INSERT INTO traces(session_id, options_json, form_json, max_hops) VALUES (?, ?, ?, ?)`,
		sessionID, string(topts), string(info.Form), info.Options.EffectiveMaxHops())
	if err != nil {
		return 0, 0, fmt.Errorf("begin trace: %w", classify(err))
	}
	if traceID, err = res.LastInsertId(); err != nil {
		return 0, 0, fmt.Errorf("begin trace: %w", classify(err))
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, fmt.Errorf("begin trace: %w", classify(err))
	}
	return traceID, sessionID, nil
}

// StoreTraceFigures rewrites a running trace's figures (a trace killed later keeps them).
func (s *Store) StoreTraceFigures(ctx context.Context, id int64, f TraceFigures) error {
	return s.storeTrace(ctx, id, f, time.Time{})
}

// FinishTrace stores a trace's final figures and its session's end, address and socket.
func (s *Store) FinishTrace(ctx context.Context, id int64, f TraceFigures, end time.Time) error {
	if end.IsZero() {
		end = time.Now()
	}
	return s.storeTrace(ctx, id, f, end)
}

func (s *Store) storeTrace(ctx context.Context, id int64, f TraceFigures, end time.Time) error {
	hops := make([]probe.TraceHop, len(f.Hops))
	for i, h := range f.Hops {
		h.Answers = nil // the packets are the answers
		hops[i] = h
	}
	hj, err := json.Marshal(hops)
	if err != nil {
		return fmt.Errorf("trace %d: hops: %w", id, err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("trace %d: %w", id, classify(err))
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	res, err := tx.ExecContext(ctx, `UPDATE traces SET rounds = ?, destination_hop = ?, max_hops = coalesce(nullif(?, 0), max_hops),
		own_traffic_only = ?, foreign_count = ?, hops_json = ? WHERE id = ?`,
		f.Rounds, f.DestinationHop, f.MaxHops, f.OwnTrafficOnly, int64(f.Foreign), string(hj), id)
	if err != nil {
		return fmt.Errorf("trace %d: %w", id, classify(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("trace %d: %w", id, ErrNotFound)
	}
	socket := ""
	if f.Socket != probe.SocketAuto {
		socket = f.Socket.String()
	}
	var ended any
	if !end.IsZero() {
		ended = end.UnixNano()
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET addr = coalesce(nullif(?, ''), addr), socket = coalesce(nullif(?, ''), socket),
		ended_ns = coalesce(?, ended_ns) WHERE id = (SELECT session_id FROM traces WHERE id = ?)`,
		f.Addr, socket, ended, id); err != nil {
		return fmt.Errorf("trace %d: %w", id, classify(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("trace %d: %w", id, classify(err))
	}
	return nil
}

var traceColumns = `t.id, t.session_id, s.target, s.addr, s.engine, s.socket, t.options_json, t.form_json,
	s.started_ns, s.ended_ns, t.rounds, t.destination_hop, t.max_hops, t.own_traffic_only, t.foreign_count, t.hops_json,
	max(` + rowsOfSessionSQL("s.id") + `)`

// Trace loads one stored trace.
func (s *Store) Trace(ctx context.Context, id int64) (Trace, error) {
	return s.traceWhere(ctx, "t.id = ?", id)
}

// TraceOfSession loads the trace whose packets session sessionID holds (ErrNotFound when
// that session is not a trace).
func (s *Store) TraceOfSession(ctx context.Context, sessionID int64) (Trace, error) {
	return s.traceWhere(ctx, "t.session_id = ?", sessionID)
}

func (s *Store) traceWhere(ctx context.Context, where string, arg int64) (Trace, error) {
	var t Trace
	var opts, form, hops string
	var started, foreign int64
	var ended sql.NullInt64
	err := s.db.QueryRowContext(ctx, "SELECT "+traceColumns+" FROM traces t JOIN sessions s ON s.id = t.session_id WHERE "+where, arg).
		Scan(&t.ID, &t.SessionID, &t.Target, &t.Addr, &t.Engine, &t.Socket, &opts, &form, &started, &ended,
			&t.Rounds, &t.DestinationHop, &t.MaxHops, &t.OwnTrafficOnly, &foreign, &hops, &t.Packets)
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("trace (%s %d): %w", strings.TrimSuffix(where, " = ?"), arg, ErrNotFound)
	}
	if err != nil {
		return t, fmt.Errorf("trace (%s %d): %w", strings.TrimSuffix(where, " = ?"), arg, classify(err))
	}
	if json.Valid([]byte(opts)) {
		t.Options = json.RawMessage(opts)
	}
	if form != "" && json.Valid([]byte(form)) {
		t.Form = json.RawMessage(form)
	}
	t.Started = fromNanos(started)
	if ended.Valid {
		t.Ended = fromNanos(ended.Int64)
	}
	t.Foreign = uint64(max(foreign, 0))
	if err := json.Unmarshal([]byte(hops), &t.Hops); err != nil {
		return t, fmt.Errorf("trace %d: hops: %w", t.ID, err)
	}
	if t.Hops == nil {
		t.Hops = []probe.TraceHop{}
	}
	return t, nil
}

// TracesOfSessions says which of these sessions are traces (session id -> brief); sessions
// that are not are left out.
func (s *Store) TracesOfSessions(ctx context.Context, ids []int64) (map[int64]TraceBrief, error) {
	out := map[int64]TraceBrief{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, session_id, json_array_length(hops_json), destination_hop FROM traces
		WHERE session_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("traces of sessions: %w", classify(err))
	}
	defer rows.Close()
	for rows.Next() {
		var b TraceBrief
		var sid int64
		if err := rows.Scan(&b.ID, &sid, &b.Hops, &b.DestinationHop); err != nil {
			return nil, fmt.Errorf("traces of sessions: %w", classify(err))
		}
		out[sid] = b
	}
	return out, classify(rows.Err())
}
