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

// SessionInfo is what is known when a session starts.
type SessionInfo struct {
	Target  string
	Addr    string
	Engine  string
	Options probe.Options
	// Form is the ping form the session was started with, as the service records it (JSON;
	// empty for imports and for callers that have no form).
	Form    json.RawMessage
	Started time.Time
	// ImportedFrom labels an imported capture (its file name).
	ImportedFrom string
}

// BeginSession stores a new session and returns its id.
func (s *Store) BeginSession(ctx context.Context, info SessionInfo) (int64, error) {
	opts, err := json.Marshal(info.Options)
	if err != nil {
		return 0, fmt.Errorf("begin session: options: %w", err)
	}
	started := info.Started
	if started.IsZero() {
		started = time.Now()
	}
	res, err := s.db.ExecContext(ctx,
		`INSERT INTO sessions(target, addr, engine, options_json, form_json, started_ns, imported_from)
		 VALUES (?, ?, ?, ?, ?, ?, ?)`,
		info.Target, info.Addr, info.Engine, string(opts), string(info.Form), started.UnixNano(), info.ImportedFrom)
	if err != nil {
		return 0, fmt.Errorf("begin session: %w", classify(err))
	}
	return res.LastInsertId()
}

// FinishSession stores the session's end and final statistics (the engine's Summary).
func (s *Store) FinishSession(ctx context.Context, id int64, sum probe.Summary) error {
	end := sum.End
	if end.IsZero() {
		end = time.Now()
	}
	if err := s.storeStats(ctx, s.db, id, sum.Stats, &end); err != nil {
		return fmt.Errorf("finish session %d: %w", id, err)
	}
	if sum.Addr.IsValid() || sum.Socket != probe.SocketAuto {
		_, err := s.db.ExecContext(ctx,
			`UPDATE sessions SET addr = coalesce(nullif(?, ''), addr), socket = coalesce(nullif(?, 'auto'), socket) WHERE id = ?`,
			addrText(sum.Addr), sum.Socket.String(), id)
		if err != nil {
			return fmt.Errorf("finish session %d: %w", id, classify(err))
		}
	}
	return nil
}

// SetSocket records the socket kind a running session uses (known only once its engine
// started), so that a session the app never finished still says how it pinged.
func (s *Store) SetSocket(ctx context.Context, id int64, socket probe.SocketKind) error {
	if socket == probe.SocketAuto {
		return nil
	}
	if _, err := s.db.ExecContext(ctx, "UPDATE sessions SET socket = ? WHERE id = ?", socket.String(), id); err != nil {
		return fmt.Errorf("session %d socket: %w", id, classify(err))
	}
	return nil
}

// execer is satisfied by *sql.DB and *sql.Tx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// storeStats writes statistics (and, when end is set, the end time) of session id.
func (s *Store) storeStats(ctx context.Context, ex execer, id int64, st probe.Stats, end *time.Time) error {
	js, err := json.Marshal(st)
	if err != nil {
		return err
	}
	var endNs any
	if end != nil {
		endNs = end.UnixNano()
	}
	res, err := ex.ExecContext(ctx,
		`UPDATE sessions SET stats_json = ?, loss_percent = ?, median_rtt_ns = ?,
		 ended_ns = coalesce(?, ended_ns) WHERE id = ?`,
		string(js), st.LossPercent, int64(st.P50), endNs, id)
	if err != nil {
		return classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("session %d: %w", id, ErrNotFound)
	}
	return nil
}

var sessionColumns = `s.id, s.target, s.addr, s.engine, s.options_json, s.form_json, s.started_ns,
	s.ended_ns, s.stats_json, s.imported_from, s.loss_percent, s.median_rtt_ns, s.socket,
	coalesce(s.monitor_id, 0), s.monitor_index,
	max(` + rowsOfSessionSQL("s.id") + `)`

func scanSession(row interface{ Scan(...any) error }) (Session, error) {
	var ss Session
	var started, median int64
	var ended sql.NullInt64
	var stats, opts, form string
	err := row.Scan(&ss.ID, &ss.Target, &ss.Addr, &ss.Engine, &opts, &form, &started,
		&ended, &stats, &ss.ImportedFrom, &ss.LossPercent, &median, &ss.Socket, &ss.Monitor, &ss.MonitorIndex, &ss.Packets)
	if err != nil {
		return ss, err
	}
	ss.Started = fromNanos(started)
	if ended.Valid {
		ss.Ended = fromNanos(ended.Int64)
		ss.Duration = ss.Ended.Sub(ss.Started)
	}
	if json.Valid([]byte(opts)) {
		ss.Options = json.RawMessage(opts)
	}
	if form != "" && json.Valid([]byte(form)) {
		ss.Form = json.RawMessage(form)
	}
	ss.MedianRTT = time.Duration(median)
	if stats != "" {
		var st probe.Stats
		if err := json.Unmarshal([]byte(stats), &st); err == nil {
			ss.Stats = &st
		}
	}
	return ss, nil
}

// Session loads one session with its statistics.
func (s *Store) Session(ctx context.Context, id int64) (Session, error) {
	row := s.db.QueryRowContext(ctx, "SELECT "+sessionColumns+" FROM sessions s WHERE s.id = ?", id)
	ss, err := scanSession(row)
	if errors.Is(err, sql.ErrNoRows) {
		return ss, fmt.Errorf("session %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return ss, fmt.Errorf("session %d: %w", id, classify(err))
	}
	return ss, nil
}

// SessionFilter selects sessions for ListSessions.
type SessionFilter struct {
	// Search keeps sessions whose target, address or import label contains this text
	// (case-insensitive for ASCII); empty keeps all.
	Search string
	// Limit caps the result (0: 1000); Offset skips that many, newest first.
	Limit, Offset int
}

// ListSessions returns sessions newest first.
func (s *Store) ListSessions(ctx context.Context, f SessionFilter) ([]Session, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	q := "SELECT " + sessionColumns + " FROM sessions s"
	var args []any
	if f.Search != "" {
		// LIKE with an escape so that % and _ typed by the user match themselves.
		pat := "%" + likeEscaper.Replace(f.Search) + "%"
		q += ` WHERE s.target LIKE ? ESCAPE '\' OR s.addr LIKE ? ESCAPE '\' OR s.imported_from LIKE ? ESCAPE '\'`
		args = append(args, pat, pat, pat)
	}
	q += " ORDER BY s.started_ns DESC, s.id DESC LIMIT ? OFFSET ?"
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", classify(err))
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		ss, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("list sessions: %w", classify(err))
		}
		out = append(out, ss)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sessions: %w", classify(err))
	}
	return out, nil
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// DeleteSession removes a session and all its packets.
func (s *Store) DeleteSession(ctx context.Context, id int64) error {
	return s.DeleteSessionProgress(ctx, id, nil)
}

// deleteChunk is how many packet rows one DELETE statement removes: small enough that a
// progress report and a cancellation come every few tens of milliseconds.
const deleteChunk = 20_000

// deleteRowsChunk deletes about deleteChunk of a session's rows, from packets or, for a
// session stored as blocks, whole blocks from packet_blocks; it returns the rows deleted.
func deleteRowsChunk(ctx context.Context, tx *sql.Tx, id int64) (int64, error) {
	res, err := tx.ExecContext(ctx, "DELETE FROM packets WHERE rowid IN (SELECT rowid FROM packets WHERE session_id = ? LIMIT ?)", id, deleteChunk)
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return n, nil
	}
	var n int64
	err = tx.QueryRowContext(ctx, `SELECT coalesce(sum(count), 0) FROM packet_blocks WHERE rowid IN
		(SELECT rowid FROM packet_blocks WHERE session_id = ? ORDER BY first_n LIMIT ?)`, id, deleteChunk/blockRows).Scan(&n)
	if err != nil || n == 0 {
		return 0, err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM packet_blocks WHERE rowid IN
		(SELECT rowid FROM packet_blocks WHERE session_id = ? ORDER BY first_n LIMIT ?)`, id, deleteChunk/blockRows)
	return n, err
}

// DeleteSessionProgress removes a session and all its packets in one transaction, the
// packets a chunk at a time, telling progress (when not nil) the rows deleted of the
// session's rows. A cancelled ctx rolls it all back: the session stays whole.
func (s *Store) DeleteSessionProgress(ctx context.Context, id int64, progress func(done, total int64)) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete session %d: %w", id, classify(err))
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	var total int64
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM packets WHERE session_id = ?) +
		(SELECT coalesce(sum(count), 0) FROM packet_blocks WHERE session_id = ?)`, id, id).Scan(&total); err != nil {
		return fmt.Errorf("delete session %d: %w", id, classify(err))
	}
	// Packets first, explicitly: the cascade needs foreign_keys on, which a connection
	// opened by another tool may not have.
	var done int64
	for {
		if progress != nil {
			progress(done, total)
		}
		n, err := deleteRowsChunk(ctx, tx, id)
		if err != nil {
			return fmt.Errorf("delete session %d: %w", id, classify(err))
		}
		if n == 0 {
			break
		}
		done += n
	}
	res, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("delete session %d: %w", id, classify(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("delete session %d: %w", id, ErrNotFound)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete session %d: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete session %d: %w", id, classify(err))
	}
	s.ranks.forget(id) // its id may be given to the next session
	return nil
}
