//go:build cgo

package history

// With cgo (the app: WebKitGTK on Linux, WebKit on macOS) the store runs SQLite's own C
// code through github.com/mattn/go-sqlite3: an import's rows cost several times less CPU
// than in the pure-Go translation (docs/benchmarks.md, "Import speed: C SQLite"). Builds
// without cgo (the Windows cross-build, CGO_ENABLED=0 checks) use driver_purego.go. Both
// run the same SQL on the same file format, so either opens the other's database.

import (
	"errors"
	"net/url"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// driverName is the database/sql driver the store opens its files with.
const driverName = "sqlite3"

// dsn builds the go-sqlite3 connection string; the pragmas are those of the pure-Go driver
// (driver_purego.go says why each one), applied by the driver to every pooled connection.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_busy_timeout", "10000")
	q.Add("_foreign_keys", "1")
	q.Add("_synchronous", "NORMAL")
	q.Add("_txlock", "immediate")
	if readOnly {
		q.Add("mode", "ro")
	}
	return "file:" + path + "?" + q.Encode()
}

// insertThroughQuery: the import runs its INSERTs through the driver's Query, which
// go-sqlite3 binds and steps in one cgo call; its Exec makes a call per value
// (importStmt.run).
const insertThroughQuery = true

// memoryDSN is a private in-memory database with foreign keys enforced.
func memoryDSN() string { return "file::memory:?_foreign_keys=1" }

// sqliteCode is the extended result code of an error SQLite returned, false for any other
// error.
func sqliteCode(err error) (int, bool) {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return 0, false
	}
	return int(se.ExtendedCode), true
}
