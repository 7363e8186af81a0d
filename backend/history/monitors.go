package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"echoscope/backend/probe"
)

// migrationMonitors is the schema step of monitors (many targets in one run): a monitors
// table, and each session of a monitor points at it with its target's index. Additive
// only: a session that is not part of a monitor has monitor_id NULL. (Other branches add
// steps too: the integrator numbers this one after theirs.)
const migrationMonitors = `CREATE TABLE monitors (
		id            INTEGER PRIMARY KEY,
		targets_json  TEXT NOT NULL DEFAULT '[]',
		engine        TEXT NOT NULL DEFAULT '',
		options_json  TEXT NOT NULL DEFAULT '{}',
		started_ns    INTEGER NOT NULL,
		ended_ns      INTEGER,
		unattributed  INTEGER NOT NULL DEFAULT 0
	);
	ALTER TABLE sessions ADD COLUMN monitor_id INTEGER;
	ALTER TABLE sessions ADD COLUMN monitor_index INTEGER NOT NULL DEFAULT 0;
	CREATE INDEX sessions_by_monitor ON sessions(monitor_id, monitor_index);`

// MonitorInfo is what is known when a monitor starts.
type MonitorInfo struct {
	// Targets are the targets as typed, in index order.
	Targets []string
	Engine  string
	Options probe.MonitorOptions
	Started time.Time
}

// Monitor is one stored monitor and its sessions (one per target, in target order).
type Monitor struct {
	ID      int64           `json:"id"`
	Targets []string        `json:"targets"`
	Engine  string          `json:"engine"`
	Options json.RawMessage `json:"options"`
	Started time.Time       `json:"started"`
	// Ended is zero while it runs (or when the app stopped during it).
	Ended time.Time `json:"ended,omitzero"`
	// Unattributed counts messages on the shared socket that no target owned.
	Unattributed uint64 `json:"unattributed"`
	// SessionIDs are the targets' sessions in target order (a deleted one is missing).
	SessionIDs []int64 `json:"sessionIds"`
}

// BeginMonitor stores a new monitor and one session per target (sessions[i] is target i)
// in one transaction, and returns the monitor's id and the sessions' ids.
func (s *Store) BeginMonitor(ctx context.Context, info MonitorInfo, sessions []SessionInfo) (int64, []int64, error) {
	started := info.Started
	if started.IsZero() {
		started = time.Now()
	}
	targets, err := json.Marshal(info.Targets)
	if err != nil {
		return 0, nil, fmt.Errorf("begin monitor: targets: %w", err)
	}
	opts, err := json.Marshal(info.Options)
	if err != nil {
		return 0, nil, fmt.Errorf("begin monitor: options: %w", err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, nil, fmt.Errorf("begin monitor: %w", classify(err))
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	res, err := tx.ExecContext(ctx, `INSERT INTO monitors(targets_json, engine, options_json, started_ns) VALUES (?, ?, ?, ?)`,
		string(targets), info.Engine, string(opts), started.UnixNano())
	if err != nil {
		return 0, nil, fmt.Errorf("begin monitor: %w", classify(err))
	}
	mid, err := res.LastInsertId()
	if err != nil {
		return 0, nil, fmt.Errorf("begin monitor: %w", classify(err))
	}
	ids := make([]int64, len(sessions))
	for i, ss := range sessions {
		so, err := json.Marshal(ss.Options)
		if err != nil {
			return 0, nil, fmt.Errorf("begin monitor: target %d options: %w", i, err)
		}
		st := ss.Started
		if st.IsZero() {
			st = started
		}
		res, err := tx.ExecContext(ctx,
			`INSERT INTO sessions(target, addr, engine, options_json, started_ns, monitor_id, monitor_index)
			 VALUES (?, ?, ?, ?, ?, ?, ?)`, ss.Target, ss.Addr, ss.Engine, string(so), st.UnixNano(), mid, i)
		if err != nil {
			return 0, nil, fmt.Errorf("begin monitor: target %d: %w", i, classify(err))
		}
		if ids[i], err = res.LastInsertId(); err != nil {
			return 0, nil, fmt.Errorf("begin monitor: target %d: %w", i, classify(err))
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, nil, fmt.Errorf("begin monitor: %w", classify(err))
	}
	return mid, ids, nil
}

// FinishMonitor stores a monitor's end and its count of messages no target owned. Each
// target's session is finished on its own (FinishSession).
func (s *Store) FinishMonitor(ctx context.Context, id int64, end time.Time, unattributed uint64) error {
	if end.IsZero() {
		end = time.Now()
	}
	res, err := s.db.ExecContext(ctx, `UPDATE monitors SET ended_ns = ?, unattributed = ? WHERE id = ?`,
		end.UnixNano(), int64(unattributed), id)
	if err != nil {
		return fmt.Errorf("finish monitor %d: %w", id, classify(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("monitor %d: %w", id, ErrNotFound)
	}
	return nil
}

// Monitor loads one monitor with its sessions' ids in target order.
func (s *Store) Monitor(ctx context.Context, id int64) (Monitor, error) {
	var m Monitor
	var targets, opts string
	var started int64
	var ended sql.NullInt64
	var unattributed int64
	err := s.db.QueryRowContext(ctx,
		`SELECT id, targets_json, engine, options_json, started_ns, ended_ns, unattributed FROM monitors WHERE id = ?`, id).
		Scan(&m.ID, &targets, &m.Engine, &opts, &started, &ended, &unattributed)
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("monitor %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return m, fmt.Errorf("monitor %d: %w", id, classify(err))
	}
	if err := json.Unmarshal([]byte(targets), &m.Targets); err != nil {
		return m, fmt.Errorf("monitor %d: targets: %w", id, err)
	}
	if json.Valid([]byte(opts)) {
		m.Options = json.RawMessage(opts)
	}
	m.Started = fromNanos(started)
	if ended.Valid {
		m.Ended = fromNanos(ended.Int64)
	}
	m.Unattributed = uint64(max(unattributed, 0))
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM sessions WHERE monitor_id = ? ORDER BY monitor_index`, id)
	if err != nil {
		return m, fmt.Errorf("monitor %d sessions: %w", id, classify(err))
	}
	defer rows.Close()
	for rows.Next() {
		var sid int64
		if err := rows.Scan(&sid); err != nil {
			return m, fmt.Errorf("monitor %d sessions: %w", id, classify(err))
		}
		m.SessionIDs = append(m.SessionIDs, sid)
	}
	if err := rows.Err(); err != nil {
		return m, fmt.Errorf("monitor %d sessions: %w", id, classify(err))
	}
	return m, nil
}

// DeleteMonitor removes a monitor's record (its sessions are deleted one by one with
// DeleteSession; a session whose monitor is gone is a session of its own).
func (s *Store) DeleteMonitor(ctx context.Context, id int64) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE sessions SET monitor_id = NULL WHERE monitor_id = ?`, id); err != nil {
		return fmt.Errorf("delete monitor %d: %w", id, classify(err))
	}
	res, err := s.db.ExecContext(ctx, `DELETE FROM monitors WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete monitor %d: %w", id, classify(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("monitor %d: %w", id, ErrNotFound)
	}
	return nil
}
