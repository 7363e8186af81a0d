package history

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
)

// OpenOptions say where and how to open the database.
type OpenOptions struct {
	// Path of the database file; empty means DatabaseFile in DefaultDataDir().
	Path string
	// ReadOnly opens the file with mode=ro: queries work, every write fails with ErrReadOnly.
	// The schema must already be current.
	ReadOnly bool
	// InMemory opens a private database that lives in this process's memory and is gone
	// when it is closed: the fallback when the disk cannot take the history (Path ignored).
	InMemory bool
}

// MemoryPath is Path() of an in-memory store.
const MemoryPath = ":memory:"

// Store is an open history database. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
	// ranks remembers where the table's filters' rows are (filter_ranks.go).
	ranks rankCache
}

// Open opens (creating when needed) the database in the user's data directory.
func Open() (*Store, error) { return OpenWith(OpenOptions{}) }

// OpenWith opens the database described by o, applies pending migrations and sets the
// pragmas Echoscope relies on.
func OpenWith(o OpenOptions) (*Store, error) {
	if o.InMemory {
		return openMemory()
	}
	path := o.Path
	if path == "" {
		dir, err := DefaultDataDir()
		if err != nil {
			return nil, fmt.Errorf("open history: %w", err)
		}
		path = filepath.Join(dir, DatabaseFile)
	}
	if !o.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("open history: %w", err)
		}
	}
	db, err := sql.Open(driverName, dsn(path, o.ReadOnly))
	if err != nil {
		return nil, fmt.Errorf("open history %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	ctx := context.Background()
	if err := s.init(ctx, o.ReadOnly); err != nil {
		db.Close()
		return nil, fmt.Errorf("open history %s: %w", path, classify(err))
	}
	return s, nil
}

// openMemory opens an in-memory database. Every connection to ":memory:" is a database of
// its own, so the pool is held to one connection (callers wait for it; nothing in this
// package queries while holding another query open).
func openMemory() (*Store, error) {
	db, err := sql.Open(driverName, memoryDSN())
	if err != nil {
		return nil, fmt.Errorf("open in-memory history: %w", err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	s := &Store{db: db, path: MemoryPath}
	if err := migrate(context.Background(), db, len(migrations)); err != nil {
		db.Close()
		return nil, fmt.Errorf("open in-memory history: %w", classify(err))
	}
	return s, nil
}

func (s *Store) init(ctx context.Context, readOnly bool) error {
	if readOnly {
		v, err := schemaVersion(ctx, s.db)
		if err != nil {
			return err
		}
		if v != len(migrations) {
			return fmt.Errorf("read-only database at schema %d, need %d: %w", v, len(migrations), ErrReadOnly)
		}
		return nil
	}
	// auto_vacuum must be chosen before the first table exists; incremental lets retention
	// give space back without rewriting the whole file. A no-op on existing databases.
	if _, err := s.db.ExecContext(ctx, "PRAGMA auto_vacuum=INCREMENTAL"); err != nil {
		return err
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode); err != nil {
		return err
	}
	return migrate(ctx, s.db, len(migrations))
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// DB exposes the underlying handle for tools and tests (integrity checks, ad-hoc queries).
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database. Close writers first.
func (s *Store) Close() error { return s.db.Close() }

// IntegrityCheck runs PRAGMA integrity_check and returns nil when SQLite answers "ok".
func (s *Store) IntegrityCheck(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return classify(err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return classify(err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return classify(err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check: %v: %w", problems, ErrCorrupt)
	}
	return nil
}
