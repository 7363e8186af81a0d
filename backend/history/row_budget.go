package history

import (
	"context"
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
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM packets").Scan(&total); err != nil {
		return 0, fmt.Errorf("forget oldest rows: %w", classify(err))
	}
	excess := total - maxRows
	if excess <= 0 {
		return 0, nil
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
		return 0, fmt.Errorf("forget oldest rows: %w", classify(err))
	}
	if n > 0 {
		s.ranks.forget(-1) // the filters' remembered ranks counted the rows forgotten
	}
	return n, nil
}
