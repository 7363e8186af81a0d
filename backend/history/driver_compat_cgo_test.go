//go:build cgo

package history

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"echoscope/backend/wire"

	_ "modernc.org/sqlite" // the driver of builds without cgo, registered as "sqlite"
)

// The app (cgo) stores through C SQLite, builds without cgo through modernc.org/sqlite. A
// history one of them wrote must open in the other with every session and row: the file
// format, the schema and the SQL are the same. Here the pure-Go driver writes a database
// (the store's own SQL on its connection), the C build opens it, reads it and adds rows,
// and the pure-Go driver reads them all back.
func TestEitherDriverOpensTheOthersHistory(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "history.db")
	openPure := func() *Store {
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)")
		if err != nil {
			t.Fatal(err)
		}
		return &Store{db: db, path: path}
	}
	row := func(seq uint16) Packet {
		send, _ := echoPair(t, wire.IPv4, seq, time.Unix(1_700_000_000, 0))
		return PacketFromEvent(send)
	}

	pure := openPure()
	if _, err := pure.db.ExecContext(ctx, "PRAGMA journal_mode=WAL"); err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, pure.db, len(migrations)); err != nil {
		t.Fatal(err)
	}
	id := beginTest(t, pure, "198.18.0.2", time.Unix(1_700_000_000, 0))
	if err := pure.AppendPackets(ctx, id, []Packet{row(1), row(2)}); err != nil {
		t.Fatal(err)
	}
	pure.Close()

	c, err := OpenWith(OpenOptions{Path: path})
	if err != nil {
		t.Fatalf("the C build opening the pure-Go driver's database: %v", err)
	}
	if ss, err := c.Session(ctx, id); err != nil || ss.Target != "198.18.0.2" || ss.Packets != 2 {
		t.Fatalf("session read by the C build: %+v, %v", ss, err)
	}
	if err := c.AppendPackets(ctx, id, []Packet{row(3)}); err != nil {
		t.Fatal(err)
	}
	written, err := c.Packets(ctx, id, 0, 10)
	if err != nil || len(written) != 3 {
		t.Fatalf("%d rows read by the C build, %v", len(written), err)
	}
	c.Close()

	pure = openPure()
	defer pure.Close()
	if err := pure.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	back, err := pure.Packets(ctx, id, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, written) {
		t.Fatalf("the pure-Go driver reads other rows than the C build wrote:\n%+v\n%+v", back, written)
	}
	for i, p := range back {
		if p.Seq != uint16(i+1) {
			t.Fatalf("row %d has sequence %d", i, p.Seq)
		}
	}
}
