package history

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
)

// An upgrade test builds a database as an older release left it, fills it with that
// release's rows, and opens it as this one does.

// databaseAtVersion creates the file name in a temporary folder with the schema of
// migration step version and nothing after it, opened without the Store so that no later
// migration runs.
func databaseAtVersion(t *testing.T, name string, version int) (db *sql.DB, path string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), name)
	db, err := sql.Open(driverName, dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(context.Background(), db, version); err != nil {
		t.Fatal(err)
	}
	return db, path
}

// openUpgraded closes the old database and opens its file as a Store, which must bring it
// to the current version; the Store is closed when the test ends.
func openUpgraded(t *testing.T, db *sql.DB, path string) *Store {
	t.Helper()
	db.Close()
	s, err := OpenWith(OpenOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if v, _ := schemaVersion(context.Background(), s.DB()); v != len(migrations) {
		t.Fatalf("version %d after upgrade, want %d", v, len(migrations))
	}
	return s
}

// stepOf is the index in migrations of the step whose SQL is migration: the version a
// database has just before that step runs. Upgrade tests build a database at it.
func stepOf(t *testing.T, migration string) int {
	t.Helper()
	i := slices.Index(migrations, migration)
	if i < 0 {
		t.Fatal("the migration step is not in migrations")
	}
	return i
}
