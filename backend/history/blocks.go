package history

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// A session's rows are stored one of two ways: a row per position in packets (live
// sessions, and anything stored by AppendPackets), or blocks of up to blockRows positions
// in packet_blocks (imports: block_codec.go). Nothing stores a session both ways, so the
// table that holds any of its rows says which (isBlockSession), and every reader answers
// the same for both (TestBlocksReadBackAsRows).

// blockColumns are a block's stored columns, in insertBlockSQL's order.
const blockColumns = `session_id, first_n, count, g1, g2, g3, g4, g5, meta, bytes`

// blockValues is the number of values one block binds.
const blockValues = 10

// insertBlocksSQL inserts n blocks. OR ROLLBACK, as importInsertSQL: a duplicate position
// ends the transaction instead of journalling each statement.
func insertBlocksSQL(n int) string {
	one := "(?" + strings.Repeat(", ?", blockValues-1) + ")"
	return "INSERT OR ROLLBACK INTO packet_blocks(" + blockColumns + ") VALUES " + one + strings.Repeat(", "+one, n-1)
}

// appendBlockArgs appends b's values (a block at firstN of session) in blockColumns' order.
func appendBlockArgs(args []any, session, firstN int64, b *packedBlock) []any {
	data := b.bytes
	if data == nil {
		data = []byte{} // a block of rows without bytes (losses): an empty value, not NULL
	}
	return append(args, session, firstN, int64(b.count), b.groups[0], b.groups[1], b.groups[2],
		b.groups[3], b.groups[4], b.meta, data)
}

// isBlockSession says whether a session's rows are stored as blocks: one index seek.
func (s *Store) isBlockSession(ctx context.Context, session int64) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, "SELECT 1 FROM packet_blocks WHERE session_id = ? LIMIT 1", session).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("storage of session %d: %w", session, classify(err))
	}
	return true, nil
}

// appendBlocks stores rows as blocks of a session that holds none, in one transaction,
// positions from 0. Used by tests and tools; the import stores its batches through
// batchStorer.
func (s *Store) appendBlocks(ctx context.Context, session int64, rows []Packet) error {
	if n, err := s.CountPackets(ctx, session); err != nil {
		return fmt.Errorf("append blocks: %w", err)
	} else if n != 0 {
		return fmt.Errorf("append blocks: session %d already holds %d rows", session, n)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("append blocks: %w", classify(err))
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	var b packedBlock
	for first := 0; first < len(rows); first += blockRows {
		part := rows[first:min(first+blockRows, len(rows))]
		b = packBlock(b, part)
		if _, err := tx.ExecContext(ctx, insertBlocksSQL(1), appendBlockArgs(nil, session, int64(first), &b)...); err != nil {
			return fmt.Errorf("append blocks: rows %d to %d: %w", first, first+len(part)-1, classify(err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("append blocks: %w", classify(err))
	}
	return nil
}

// eachBlockRow calls fn with a block session's rows at positions from..to-1 (to < 0: to
// its end), in order, until fn returns false. Each block that overlaps the range is read
// and decoded once: a range starts with one seek of packet_blocks_by_session.
func (s *Store) eachBlockRow(ctx context.Context, session, from, to int64, fn func(*Packet) bool) error {
	q := "SELECT first_n, count, meta, bytes FROM packet_blocks WHERE session_id = ? AND first_n > ?"
	args := []any{session, from - blockRows}
	if to >= 0 {
		q += " AND first_n < ?"
		args = append(args, to)
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY first_n", args...)
	if err != nil {
		return classify(err)
	}
	defer rows.Close()
	var meta, bytes []byte
	for rows.Next() {
		var first int64
		var count int
		if err := rows.Scan(&first, &count, &meta, &bytes); err != nil {
			return classify(err)
		}
		// The rows keep slices of bytes: a fresh buffer each block (Scan reuses none).
		ps, err := unpackBlock(session, first, count, meta, bytes)
		if err != nil {
			return err
		}
		for i := range ps {
			if ps[i].N < from || (to >= 0 && ps[i].N >= to) {
				continue
			}
			if !fn(&ps[i]) {
				return nil
			}
		}
		meta, bytes = nil, nil
	}
	return classify(rows.Err())
}

// blockPackets is Packets for a block session: up to limit rows at positions offset on
// (after the row budget forgot a session's first rows, its positions start later).
func (s *Store) blockPackets(ctx context.Context, session, offset, limit int64) ([]Packet, error) {
	var out []Packet
	err := s.eachBlockRow(ctx, session, offset, -1, func(p *Packet) bool {
		out = append(out, *p)
		return int64(len(out)) < limit
	})
	return out, err
}

// blockCount is CountPackets for a block session (0 for a session without blocks): the
// last block's end, one seek.
func (s *Store) blockCount(ctx context.Context, session int64) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT coalesce((SELECT first_n + count FROM packet_blocks
		WHERE session_id = ? ORDER BY first_n DESC LIMIT 1), 0)`, session).Scan(&n)
	return n, classify(err)
}
