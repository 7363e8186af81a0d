package history

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations[i] brings the schema from version i to i+1. Never edit a released step: add one.
var migrations = []string{
	// v1: sessions and their packets. Times are Unix nanoseconds; addresses are text.
	// packets.n is the packet's 0-based position in its session, so the UI pages by
	// position with an index seek instead of OFFSET.
	`CREATE TABLE sessions (
		id            INTEGER PRIMARY KEY,
		target        TEXT NOT NULL,
		addr          TEXT NOT NULL DEFAULT '',
		engine        TEXT NOT NULL DEFAULT '',
		options_json  TEXT NOT NULL DEFAULT '{}',
		started_ns    INTEGER NOT NULL,
		ended_ns      INTEGER,
		stats_json    TEXT NOT NULL DEFAULT '',
		imported_from TEXT NOT NULL DEFAULT ''
	);
	CREATE TABLE packets (
		id          INTEGER PRIMARY KEY,
		session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
		n           INTEGER NOT NULL,
		kind        TEXT NOT NULL,
		req_index   INTEGER NOT NULL DEFAULT 0,
		time_ns     INTEGER NOT NULL DEFAULT 0,
		clock       TEXT NOT NULL DEFAULT '',
		sent_ns     INTEGER NOT NULL DEFAULT 0,
		sent_clock  TEXT NOT NULL DEFAULT '',
		seq         INTEGER NOT NULL DEFAULT 0,
		ident       INTEGER NOT NULL DEFAULT 0,
		bytes       BLOB,
		includes_ip INTEGER NOT NULL DEFAULT 0,
		class       TEXT NOT NULL DEFAULT '',
		rule        TEXT NOT NULL DEFAULT '',
		note        TEXT NOT NULL DEFAULT '',
		rtt_ns      INTEGER NOT NULL DEFAULT 0,
		rtt_clocks  TEXT NOT NULL DEFAULT '',
		ttl         INTEGER NOT NULL DEFAULT -1,
		src         TEXT NOT NULL DEFAULT '',
		dst         TEXT NOT NULL DEFAULT '',
		icmp_type   INTEGER NOT NULL DEFAULT 0,
		icmp_code   INTEGER NOT NULL DEFAULT 0,
		size        INTEGER NOT NULL DEFAULT 0
	);
	CREATE UNIQUE INDEX packets_by_session ON packets(session_id, n);`,

	// v2: the sessions list shows loss and median RTT without decoding stats_json for
	// every row, and retention walks sessions oldest first.
	`ALTER TABLE sessions ADD COLUMN loss_percent REAL NOT NULL DEFAULT 0;
	ALTER TABLE sessions ADD COLUMN median_rtt_ns INTEGER NOT NULL DEFAULT 0;
	CREATE INDEX sessions_by_start ON sessions(started_ns);`,

	// v3: the socket kind gets its own column, so the engine chosen ("agent-raw",
	// "in-process-raw"...) survives the session's end and a reopened session shows the same
	// engine and socket as it did live. Older rows keep the socket kind in engine.
	`ALTER TABLE sessions ADD COLUMN socket TEXT NOT NULL DEFAULT '';`,

	// v4: the recorded ping form (migrationRecordedForm).
	migrationRecordedForm,

	// v5: the packet table's filters (filter.go). Every row gets a filter group, written
	// with the row (groupOf) and kept in one index beside the position: each filter is one
	// group or a union of groups, read in position order from (session_id, row_group, n).
	// One index, not one per filter: five partial indexes slowed inserts by 37-39 %, this
	// one by 11-18 % (BenchmarkInsertFilterIndex; docs/benchmarks.md). A plain column, not a generated one: SQLite
	// does not read an index on a virtual column as covering, and a stored generated column
	// cannot be added to an existing table. The CASE is groupOf for the rows already there.
	`ALTER TABLE packets ADD COLUMN row_group INTEGER NOT NULL DEFAULT 0;
	UPDATE packets SET row_group = CASE
		WHEN class = 'foreign' THEN 5
		WHEN kind = 'send' THEN 1
		WHEN kind = 'reply' AND class IN ('late', 'duplicate', 'out-of-order', 'corrupt') THEN 3
		WHEN kind = 'reply' THEN 2
		ELSE 4 END;
	CREATE INDEX packets_by_group ON packets(session_id, row_group, n);`,

	// v6: monitors and the sessions of their targets (monitors.go).
	migrationMonitors,

	// v7: traces (the Path view), each with its session of packets (traces.go).
	migrationTraces,

	// v8: lean rows (lean_rows.go). derived = 1: the row stores its bytes and lean columns
	// only, and readers derive the other columns from the bytes. Older programs must not
	// read such rows (they would show empty addresses): the version bump refuses them.
	migrationLeanRows,

	// v9: packet blocks (block_codec.go, blocks.go): an imported session's rows, blockRows
	// positions to a row. A session's rows are either in packets or in packet_blocks.
	migrationPacketBlocks,
}

// migrationPacketBlocks adds the blocks table. g1 to g5 count a block's rows of each
// filter group (rowGroup); the second index holds them with the positions, so that a
// filter's counts and ranks read the index alone, never the blocks' bytes. Rows are in
// the order written (id), which retention forgets oldest first.
const migrationPacketBlocks = `CREATE TABLE packet_blocks (
		id         INTEGER PRIMARY KEY,
		session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
		first_n    INTEGER NOT NULL,
		count      INTEGER NOT NULL,
		g1         INTEGER NOT NULL DEFAULT 0,
		g2         INTEGER NOT NULL DEFAULT 0,
		g3         INTEGER NOT NULL DEFAULT 0,
		g4         INTEGER NOT NULL DEFAULT 0,
		g5         INTEGER NOT NULL DEFAULT 0,
		meta       BLOB NOT NULL,
		bytes      BLOB NOT NULL
	);
	CREATE UNIQUE INDEX packet_blocks_by_session ON packet_blocks(session_id, first_n);
	CREATE INDEX packet_blocks_groups ON packet_blocks(session_id, first_n, count, g1, g2, g3, g4, g5);`

// migrationLeanRows adds the lean-row mark; existing rows are whole (0). Adding a column
// with a constant default rewrites nothing, whatever the table's size.
const migrationLeanRows = `ALTER TABLE packets ADD COLUMN derived INTEGER NOT NULL DEFAULT 0;`

// migrationRecordedForm (issue 12, point 4) keeps the options a session was started with as
// the person gave them (the ping form: target as typed, count, interval, timeout, size,
// pattern, TTL, don't fragment, IP version, source), so "Ping again" on a reopened session
// restores every one. options_json holds the engine's probe.Options, whose JSON is the
// engine's business; sessions stored before this step have no form and the service derives
// one from options_json. A separate, additive step: if another step lands first, renumber
// the comment above, nothing else (the tests find this step by value).
const migrationRecordedForm = `ALTER TABLE sessions ADD COLUMN form_json TEXT NOT NULL DEFAULT '';`

// schemaVersion reads the version; a database without the table is version 0.
func schemaVersion(ctx context.Context, db *sql.DB) (int, error) {
	var n int
	err := db.QueryRowContext(ctx,
		"SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_version'").Scan(&n)
	if err != nil || n == 0 {
		return 0, err
	}
	var v int
	err = db.QueryRowContext(ctx, "SELECT version FROM schema_version").Scan(&v)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return v, err
}

// migrate applies the steps up to version target, each in its own transaction together
// with the version bump, so a crash leaves the schema at a whole version.
func migrate(ctx context.Context, db *sql.DB, target int) error {
	if _, err := db.ExecContext(ctx,
		"CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"); err != nil {
		return fmt.Errorf("schema_version: %w", err)
	}
	v, err := schemaVersion(ctx, db)
	if err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	if v > len(migrations) {
		return fmt.Errorf("schema %d, this program knows %d: %w", v, len(migrations), ErrSchemaTooNew)
	}
	for ; v < target; v++ {
		if err := migrateStep(ctx, db, v); err != nil {
			return fmt.Errorf("migrate to v%d: %w", v+1, err)
		}
	}
	return nil
}

func migrateStep(ctx context.Context, db *sql.DB, from int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if _, err := tx.ExecContext(ctx, migrations[from]); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM schema_version"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_version(version) VALUES (?)", from+1); err != nil {
		return err
	}
	return tx.Commit()
}
