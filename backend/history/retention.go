package history

import (
	"context"
	"fmt"
	"time"
)

// Retention says how much history to keep. Zero fields mean no limit of that kind.
type Retention struct {
	// KeepDays deletes sessions that started more than this many days ago.
	KeepDays int
	// KeepMB deletes the oldest sessions until the data fits in this many megabytes
	// (MiB of used database pages).
	KeepMB int
	// Protect lists sessions never deleted (the ones still running).
	Protect []int64
	// Now is the reference time for KeepDays; zero means time.Now().
	Now time.Time
}

// RetentionResult reports what ApplyRetention did.
type RetentionResult struct {
	DeletedSessions int   `json:"deletedSessions"`
	BytesBefore     int64 `json:"bytesBefore"`
	BytesAfter      int64 `json:"bytesAfter"`
}

// ApplyRetention deletes the oldest sessions beyond the limits, then gives the freed pages
// back to the file system (incremental vacuum, or a full VACUUM for databases created
// without auto_vacuum).
func (s *Store) ApplyRetention(ctx context.Context, r Retention) (RetentionResult, error) {
	var res RetentionResult
	var err error
	if res.BytesBefore, err = s.fileBytes(ctx); err != nil {
		return res, fmt.Errorf("retention: %w", err)
	}
	protected := map[int64]bool{}
	for _, id := range r.Protect {
		protected[id] = true
	}
	oldest, err := s.sessionsOldestFirst(ctx)
	if err != nil {
		return res, fmt.Errorf("retention: %w", err)
	}
	now := r.Now
	if now.IsZero() {
		now = time.Now()
	}
	cutoff := now.Add(-time.Duration(r.KeepDays) * 24 * time.Hour)
	limit := int64(r.KeepMB) << 20
	for _, ss := range oldest {
		if protected[ss.id] {
			continue
		}
		tooOld := r.KeepDays > 0 && ss.started.Before(cutoff)
		tooBig := false
		if r.KeepMB > 0 && !tooOld {
			used, err := s.usedBytes(ctx)
			if err != nil {
				return res, fmt.Errorf("retention: %w", err)
			}
			tooBig = used > limit
		}
		if !tooOld && !tooBig {
			continue
		}
		if err := s.DeleteSession(ctx, ss.id); err != nil {
			return res, fmt.Errorf("retention: %w", err)
		}
		res.DeletedSessions++
	}
	if err := s.vacuum(ctx); err != nil {
		return res, fmt.Errorf("retention: vacuum: %w", err)
	}
	if res.BytesAfter, err = s.fileBytes(ctx); err != nil {
		return res, fmt.Errorf("retention: %w", err)
	}
	return res, nil
}

type sessionAge struct {
	id      int64
	started time.Time
}

func (s *Store) sessionsOldestFirst(ctx context.Context) ([]sessionAge, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, started_ns FROM sessions ORDER BY started_ns, id")
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []sessionAge
	for rows.Next() {
		var a sessionAge
		var ns int64
		if err := rows.Scan(&a.id, &ns); err != nil {
			return nil, classify(err)
		}
		a.started = fromNanos(ns)
		out = append(out, a)
	}
	return out, classify(rows.Err())
}

func (s *Store) pragmaInt(ctx context.Context, name string) (int64, error) {
	var v int64
	if err := s.db.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v); err != nil {
		return 0, classify(err)
	}
	return v, nil
}

// usedBytes is the size of the pages holding data: deleting rows moves pages to the
// free list at once, so this shrinks before any vacuum.
func (s *Store) usedBytes(ctx context.Context) (int64, error) {
	pages, err := s.pragmaInt(ctx, "page_count")
	if err != nil {
		return 0, err
	}
	free, err := s.pragmaInt(ctx, "freelist_count")
	if err != nil {
		return 0, err
	}
	size, err := s.pragmaInt(ctx, "page_size")
	return (pages - free) * size, err
}

// fileBytes is the size of the database (all pages, free ones included).
func (s *Store) fileBytes(ctx context.Context) (int64, error) {
	pages, err := s.pragmaInt(ctx, "page_count")
	if err != nil {
		return 0, err
	}
	size, err := s.pragmaInt(ctx, "page_size")
	return pages * size, err
}

func (s *Store) vacuum(ctx context.Context) error {
	mode, err := s.pragmaInt(ctx, "auto_vacuum")
	if err != nil {
		return err
	}
	const incremental = 2
	if mode == incremental {
		err = s.incrementalVacuum(ctx)
	} else {
		_, err = s.db.ExecContext(ctx, "VACUUM")
	}
	if err != nil {
		return classify(err)
	}
	// Fold the WAL back into the file so the space is really returned.
	_, err = s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return classify(err)
}

// incrementalVacuum frees every free page. SQLite frees one page per step of the pragma
// (each step returns an empty row): it is read as a query to its end, because an Exec steps
// a statement once with github.com/mattn/go-sqlite3 (the cgo builds' driver), which freed one
// page and left the file its size (TestRetentionBySizeShrinksFile).
func (s *Store) incrementalVacuum(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "PRAGMA incremental_vacuum")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}
