//go:build cgo

package history

import (
	"context"
	"testing"
	"time"

	"echoscope/backend/wire"
)

// The import's INSERTs of blocks take go-sqlite3's one-call path (docs/benchmarks.md, "Import
// speed: one cgo call a statement"): the statement answers Query, and every value is one that
// go-sqlite3's fused bind takes (positional, and nil, int64, bool, float64, string or []byte;
// marshalFusedArgs in v1.14.53). Another type, a named value or a driver that no longer
// offers Query would quietly bring back one cgo call per value; this test says so.
func TestImportInsertsTakeTheOneCallPath(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	id := beginTest(t, s, "198.18.0.2", time.Now())
	send, _ := echoPair(t, wire.IPv4, 1, time.Now())
	rows := make([]Packet, 2*blockRows)
	for i := range rows {
		rows[i] = PacketFromEvent(send)
		rows[i].SessionID, rows[i].N = id, int64(i)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		st := importStmts{prep: dc}
		defer st.close()
		stmt, err := st.prepare(ctx, insertBlocksSQL(2))
		if err != nil {
			return err
		}
		if !insertThroughQuery || stmt.query == nil {
			t.Errorf("the cgo driver's INSERT of blocks does not run through Query (insertThroughQuery %v)", insertThroughQuery)
		}
		args := newImportArgs().blocks(rows)
		if len(args) != 2*blockValues {
			t.Fatalf("%d values for two blocks, want %d", len(args), 2*blockValues)
		}
		for i, a := range args {
			if a.Name != "" || a.Ordinal != i+1 {
				t.Errorf("value %d: name %q ordinal %d: the fused bind takes positional values only", i, a.Name, a.Ordinal)
			}
			switch a.Value.(type) {
			case nil, int64, bool, float64, string, []byte:
			default:
				t.Errorf("value %d is a %T, which go-sqlite3 binds one cgo call at a time", i, a.Value)
			}
		}
		return stmt.run(ctx, args)
	})
	if err != nil {
		t.Fatal(err)
	}
	var stored int
	if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM packet_blocks WHERE session_id = ?", id).Scan(&stored); err != nil || stored != 2 {
		t.Fatalf("%d blocks stored, %v; want 2", stored, err)
	}
}
