//go:build !cgo

package history

// Without cgo (the Windows cross-build, CGO_ENABLED=0 checks) the store runs
// modernc.org/sqlite, SQLite translated to Go. driver_cgo.go is the C SQLite of cgo builds;
// both run the same SQL on the same file format.

import (
	"errors"
	"net/url"

	"modernc.org/sqlite" // registers the "sqlite" driver
)

// driverName is the database/sql driver the store opens its files with.
const driverName = "sqlite"

// dsn builds the modernc.org/sqlite connection string. The pragmas are applied to every
// pooled connection: WAL lets the UI read while the writer commits; synchronous=NORMAL is
// durable against a process crash in WAL mode (only an OS crash may lose the last
// commits), and a busy timeout turns writer/reader contention into waiting, not errors.
// _txlock=immediate takes the write lock at BEGIN so two writers never deadlock upgrading.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_txlock", "immediate")
	if readOnly {
		q.Add("mode", "ro")
	}
	return "file:" + path + "?" + q.Encode()
}

// insertThroughQuery: modernc.org/sqlite binds values in Go, one way as cheap as the other;
// the import runs its INSERTs through Exec (importStmt.run).
const insertThroughQuery = false

// memoryDSN is a private in-memory database with foreign keys enforced.
func memoryDSN() string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	return "file::memory:?" + q.Encode()
}

// sqliteCode is the extended result code of an error SQLite returned, false for any other
// error.
func sqliteCode(err error) (int, bool) {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return 0, false
	}
	return se.Code(), true
}
