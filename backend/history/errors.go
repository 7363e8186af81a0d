package history

import (
	"errors"
	"fmt"

	"echoscope/backend/capture"
)

// Sentinel errors. Functions wrap them with %w and context; test with errors.Is.
var (
	// ErrStorageFull: the disk (or the database's size limit) is full.
	ErrStorageFull = errors.New("history: storage full")
	// ErrReadOnly: the database cannot be written (read-only file, file system or mode).
	ErrReadOnly = errors.New("history: database is read-only")
	// ErrCorrupt: the database file is damaged or is not a database.
	ErrCorrupt = errors.New("history: database file is corrupt")
	// ErrNotFound: no session with that id.
	ErrNotFound = errors.New("history: no such session")
	// ErrSchemaTooNew: the database was written by a newer Echoscope.
	ErrSchemaTooNew = errors.New("history: database schema is newer than this program")
	// ErrClosed: the writer is closed.
	ErrClosed = errors.New("history: writer closed")
	// ErrCapture: a capture file could not be read; the message names the offset.
	// It is capture.ErrBadFile: the reader's errors match it as they are.
	ErrCapture = capture.ErrBadFile
	// ErrNoICMP: a capture holds no ICMP echo or ICMP error packet, so there is nothing to import.
	ErrNoICMP = errors.New("no ICMP echo or ICMP error packets")
	// ErrNoDataDir: no user data directory could be determined.
	ErrNoDataDir = errors.New("history: no user data directory")
)

// SQLite primary result codes we translate (https://sqlite.org/rescode.html).
const (
	sqliteReadOnly = 8
	sqliteCorrupt  = 11
	sqliteFull     = 13
	sqliteCantOpen = 14
	sqliteNotADB   = 26
)

// classify wraps a database error with the sentinel that names its cause, so callers (and
// the UI) can tell "disk full" from "read-only" without parsing messages.
func classify(err error) error {
	if err == nil {
		return nil
	}
	code, ok := sqliteCode(err)
	if !ok {
		return err
	}
	switch code & 0xff {
	case sqliteFull:
		return fmt.Errorf("%w: %w", ErrStorageFull, err)
	case sqliteReadOnly:
		return fmt.Errorf("%w: %w", ErrReadOnly, err)
	case sqliteCorrupt, sqliteNotADB:
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return err
}
