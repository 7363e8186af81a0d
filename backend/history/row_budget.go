package history

import (
	"context"
	"database/sql"
	"fmt"
)

// ForgetOldestRows keeps at most maxRows packet rows in the store, deleting the oldest
// written first (whatever their session) and returns how many it deleted. It is the bound
// on the in-memory fallback store, which would otherwise grow for as long as the app pings.
// Sessions keep their row numbers: a session whose first rows were forgotten pages from
// its oldest remaining row, as a session with rows the disk refused does. maxRows <= 0
// keeps everything.
func (s *Store) ForgetOldestRows(ctx context.Context, maxRows int64) (int64, error) {
	if maxRows <= 0 {
		return 0, nil
	}
	var total int64
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM packets) +
		(SELECT coalesce(sum(count), 0) FROM packet_blocks)`).Scan(&total); err != nil {
		return 0, fmt.Errorf("forget oldest rows: %w", classify(err))
	}
	excess := total - maxRows
	if excess <= 0 {
		return 0, nil
	}
	// Imported sessions' blocks go first (a copy of a file that can be imported again),
	// then the rows of live sessions.
	forgotten, err := s.forgetOldestBlockRows(ctx, excess)
	if forgotten > 0 {
		s.ranks.forget(-1)
	}
	if err != nil {
		return forgotten, fmt.Errorf("forget oldest rows: %w", err)
	}
	if excess -= forgotten; excess <= 0 {
		return forgotten, nil
	}
	// packets.id grows with every insert, so the lowest ids are the rows written first: one
	// primary-key range, no sort.
	res, err := s.db.ExecContext(ctx, `DELETE FROM packets WHERE id <=
		(SELECT id FROM packets ORDER BY id LIMIT 1 OFFSET ?)`, excess-1)
	if err != nil {
		return 0, fmt.Errorf("forget oldest rows: %w", classify(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return forgotten, fmt.Errorf("forget oldest rows: %w", classify(err))
	}
	if n > 0 {
		s.ranks.forget(-1) // the filters' remembered ranks counted the rows forgotten
	}
	return forgotten + n, nil
}

// forgetOldestBlockRows forgets up to excess rows of blocks, the blocks written first
// first (whole blocks, then the first rows of the next one, stored again without them)
// and returns how many it forgot.
func (s *Store) forgetOldestBlockRows(ctx context.Context, excess int64) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, classify(err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	var done int64
	for done < excess {
		var id, session, first int64
		var count int
		var meta, bytes []byte
		err := tx.QueryRowContext(ctx, "SELECT id, session_id, first_n, count, meta, bytes FROM packet_blocks ORDER BY id LIMIT 1").
			Scan(&id, &session, &first, &count, &meta, &bytes)
		if err == sql.ErrNoRows {
			break
		}
		if err != nil {
			return 0, classify(err)
		}
		if int64(count) <= excess-done {
			if _, err := tx.ExecContext(ctx, "DELETE FROM packet_blocks WHERE id = ?", id); err != nil {
				return 0, classify(err)
			}
			done += int64(count)
			continue
		}
		rows, err := unpackBlock(session, first, count, meta, bytes)
		if err != nil {
			return 0, err
		}
		drop := excess - done
		b := packBlock(packedBlock{}, rows[drop:])
		if _, err := tx.ExecContext(ctx, `UPDATE packet_blocks SET first_n = ?, count = ?, g1 = ?, g2 = ?, g3 = ?,
			g4 = ?, g5 = ?, meta = ?, bytes = ? WHERE id = ?`, append(appendBlockArgs(nil, session, first+drop, &b)[1:], id)...); err != nil {
			return 0, classify(err)
		}
		done += drop
	}
	if err := tx.Commit(); err != nil {
		return 0, classify(err)
	}
	return done, nil
}
