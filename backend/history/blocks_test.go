package history

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"echoscope/backend/capture"
	"echoscope/backend/capture/capturetest"
	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// storedBothForms opens two stores holding rows in session 1: one as packets rows
// (AppendPackets, one whole row per position), one as blocks.
func storedBothForms(t *testing.T, rows []Packet) (asRows, asBlocks *Store) {
	t.Helper()
	ctx := context.Background()
	asRows, asBlocks = openTemp(t), openTemp(t)
	for i, s := range []*Store{asRows, asBlocks} {
		id := beginTest(t, s, "equal", time.Unix(1700000000, 0))
		if id != 1 {
			t.Fatalf("session %d", id)
		}
		store := s.AppendPackets
		if i == 1 {
			store = s.appendBlocks
		}
		if err := store(ctx, id, rows); err != nil {
			t.Fatal(err)
		}
	}
	if b, err := asBlocks.isBlockSession(ctx, 1); err != nil || !b {
		t.Fatalf("blocks stored as blocks: %v, %v", b, err)
	}
	if b, err := asRows.isBlockSession(ctx, 1); err != nil || b {
		t.Fatalf("rows stored as blocks: %v, %v", b, err)
	}
	return asRows, asBlocks
}

// equivalenceCases are judged rows of every shape an import stores: lean rows, whole rows
// (ICMP errors, losses), several flows, IPv6, link types.
func equivalenceCases(t *testing.T) []struct {
	name string
	rows []Packet
} {
	synth := filepath.Join(t.TempDir(), "synth.pcap")
	writeSynthCapture(t, synth, synthCapture{Pairs: 300, Flows: 3, LossEvery: 37})
	synthData, err := os.ReadFile(synth)
	if err != nil {
		t.Fatal(err)
	}
	ah := func() (uint8, []byte) {
		h := []byte{wire.ProtocolICMP, 4, 0, 0, 0, 0, 0x10, 0x01, 0, 0, 0, 1}
		return protocolAH, append(h, make([]byte, 12)...)
	}
	ahIPs, ahTimes := exchange4(t, 3, ah)
	engineRows, _ := classifyRows(engineRulesRows(t), time.Second)
	synthRows := judgedCaptureRows(t, synthData)
	return []struct {
		name string
		rows []Packet
	}{
		{"synthetic ICMP-only capture", synthRows},
		{"loopback IPv4 and IPv6", judgedCaptureRows(t, fixture(t, "loopback.pcapng"))},
		{"Linux cooked capture", judgedCaptureRows(t, fixture(t, "any-sll.pcapng"))},
		{"ICMP behind IPv4 AH", judgedCaptureRows(t, capturetest.Pcap(binary.LittleEndian, true, capture.LinkTypeRaw, ahIPs, ahTimes))},
		{"every verdict of the engine", append(append([]Packet(nil), synthRows[:100]...), engineRows...)},
		{"blocks of losses only (no bytes)", lossesOnly(t, synthRows, 3*blockRows)},
		{"more foreign rows than ours pages as a complement", manyForeign(t)},
	}
}

// manyForeign is fillMixed's rows (every kind and class, live clocks, no bytes) with more
// than oursComplementMax foreign rows, so that the ours filter is paged through its groups.
func manyForeign(t *testing.T) []Packet {
	var out []Packet
	foreign := 0
	for i := 0; foreign <= oursComplementMax+100; i++ {
		kind, class := mixedRow(i)
		if class == probe.ClassForeign {
			foreign++
		}
		out = append(out, Packet{Kind: kind, Class: class, Seq: uint16(i), Index: uint64(i + 1), TTL: -1,
			Time: probe.Timestamp{Time: time.Unix(1700000000, int64(i)*1e6), Clock: probe.ClockUser}})
	}
	return out
}

// lossesOnly is n loss rows taken from rows, repeated, without their bytes (as a live
// engine's losses are stored).
func lossesOnly(t *testing.T, rows []Packet, n int) []Packet {
	var out []Packet
	for len(out) < n {
		for _, p := range rows {
			if p.Kind == "loss" && len(out) < n {
				p.Bytes = nil
				out = append(out, p)
			}
		}
		if len(out) == 0 {
			t.Fatal("no loss rows")
		}
	}
	return out
}

// Every reader answers the same for a session stored as blocks as for the same rows stored
// one per position: paging, the filters with their counts and ranks, a request's answers,
// the chart's rows, a trace's answers, the exports, the sessions list, deleting, and the
// row budget.
func TestBlocksReadBackAsRows(t *testing.T) {
	// The cases hold rows of every filter group, lean and whole.
	var groups [groupForeign + 1]int
	var whole int
	for _, c := range equivalenceCases(t) {
		for i := range c.rows {
			groups[groupOf(c.rows[i].Kind, c.rows[i].Class)]++
			if !isLean(&c.rows[i]) {
				whole++
			}
		}
	}
	for g := groupRequest; g <= groupForeign; g++ {
		if groups[g] == 0 || whole == 0 {
			t.Fatalf("no rows of group %d among the cases (%v), or no whole rows (%d)", g, groups, whole)
		}
	}
	for _, c := range equivalenceCases(t) {
		t.Run(c.name, func(t *testing.T) {
			a, b := storedBothForms(t, c.rows)
			sameAnswers(t, a, b, int64(len(c.rows)))
			// The row budget forgets the same rows (the first block whole, then part of the
			// next), and every reader still agrees.
			for _, keep := range []int64{int64(len(c.rows)) - blockRows - 5, int64(len(c.rows)) / 3} {
				if keep <= 0 {
					continue
				}
				na, ea := a.ForgetOldestRows(context.Background(), keep)
				nb, eb := b.ForgetOldestRows(context.Background(), keep)
				left, err := b.StoredPackets(context.Background(), 1)
				if ea != nil || eb != nil || err != nil || na != nb || left != keep {
					t.Fatalf("forgot %d (%v) and %d (%v) to keep %d of %d: %d left (%v)", na, ea, nb, eb, keep, len(c.rows), left, err)
				}
				sameAnswers(t, a, b, int64(len(c.rows)))
			}
			sameDeletion(t, a, b)
		})
	}
}

// sameAnswers compares every reader of session 1 in a (rows) and b (blocks); n is the
// session's positions.
func sameAnswers(t *testing.T, a, b *Store, n int64) {
	t.Helper()
	ctx := context.Background()
	same := func(what string, x, y any, ex, ey error) {
		t.Helper()
		if ex != nil || ey != nil {
			t.Fatalf("%s: %v, %v", what, ex, ey)
		}
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("%s differ\n rows %+v\nblocks %+v", what, x, y)
		}
	}
	pages := [][2]int64{{0, n + 1}, {0, 1}, {blockRows - 1, 3}, {blockRows, blockRows}, {n / 2, 100}, {n - 1, 10}, {n, 10}, {n + 5, 1}, {3, 0}}
	for _, pg := range pages {
		x, ex := a.Packets(ctx, 1, pg[0], pg[1])
		y, ey := b.Packets(ctx, 1, pg[0], pg[1])
		same("Packets", x, y, ex, ey)
		x, ex = a.PacketsAfter(ctx, 1, pg[0]-1, pg[1])
		y, ey = b.PacketsAfter(ctx, 1, pg[0]-1, pg[1])
		same("PacketsAfter", x, y, ex, ey)
	}
	ca, ex := a.CountPackets(ctx, 1)
	cb, ey := b.CountPackets(ctx, 1)
	same("CountPackets", ca, cb, ex, ey)
	sa, ex := a.StoredPackets(ctx, 1)
	sb, ey := b.StoredPackets(ctx, 1)
	same("StoredPackets", sa, sb, ex, ey)

	for _, f := range []RowFilter{FilterAll, FilterOurs, FilterRequests, FilterReplies, FilterProblems, FilterForeign} {
		ka, ex := a.CountFiltered(ctx, 1, f)
		kb, ey := b.CountFiltered(ctx, 1, f)
		same("CountFiltered "+string(f), ka, kb, ex, ey)
		for _, pg := range [][2]int64{{0, n + 1}, {0, 7}, {1, blockRows}, {ka / 2, 50}, {ka - 1, 5}, {ka, 5}} {
			x, ex := a.FilteredPackets(ctx, 1, f, pg[0], pg[1])
			y, ey := b.FilteredPackets(ctx, 1, f, pg[0], pg[1])
			same("FilteredPackets "+string(f), x, y, ex, ey)
		}
		for pos := int64(0); pos <= n; pos += max(1, n/40) {
			ra, pa, ex := a.FilterRank(ctx, 1, f, pos)
			rb, pb, ey := b.FilterRank(ctx, 1, f, pos)
			if (ex == nil) != (ey == nil) || ex != nil && ex.Error() != ey.Error() {
				t.Fatalf("FilterRank %s at %d: %v, %v", f, pos, ex, ey)
			}
			same("FilterRank "+string(f), [2]any{ra, pa}, [2]any{rb, pb}, nil, nil)
		}
	}

	all, err := a.Packets(ctx, 1, 0, n+1)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range all {
		if p.Index == 0 || i%max(1, len(all)/500) != 0 {
			continue
		}
		x, ex := a.AnswersTo(ctx, 1, p.Index, p.N, 64)
		y, ey := b.AnswersTo(ctx, 1, p.Index, p.N, 64)
		same("AnswersTo", x, y, ex, ey)
	}
	chart := func(s *Store) []ChartRow {
		var out []ChartRow
		for r, err := range s.ChartRows(ctx, 1) {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		return out
	}
	same("ChartRows", chart(a), chart(b), nil, nil)
	fa, ex := a.FirstSendTime(ctx, 1)
	fb, ey := b.FirstSendTime(ctx, 1)
	same("FirstSendTime", fa, fb, ex, ey)
	fa, ex = a.FirstPacketTime(ctx, 1)
	fb, ey = b.FirstPacketTime(ctx, 1)
	same("FirstPacketTime", fa, fb, ex, ey)
	ta, ex := a.TraceAnswers(ctx, 1, 0)
	tb, ey := b.TraceAnswers(ctx, 1, 0)
	same("TraceAnswers", ta, tb, ex, ey)

	var pa, pb, va, vb, ja, jb bytes.Buffer
	ra, ex := a.ExportPcapng(ctx, 1, &pa)
	rb, ey := b.ExportPcapng(ctx, 1, &pb)
	same("ExportPcapng", [2]any{ra, pa.String()}, [2]any{rb, pb.String()}, ex, ey)
	na, ex := a.ExportCSV(ctx, 1, &va)
	nb, ey := b.ExportCSV(ctx, 1, &vb)
	same("ExportCSV", [2]any{na, va.String()}, [2]any{nb, vb.String()}, ex, ey)
	na, ex = a.ExportJSON(ctx, 1, &ja)
	nb, ey = b.ExportJSON(ctx, 1, &jb)
	same("ExportJSON", [2]any{na, ja.String()}, [2]any{nb, jb.String()}, ex, ey)

	la, ex := a.ListSessions(ctx, SessionFilter{})
	lb, ey := b.ListSessions(ctx, SessionFilter{})
	same("ListSessions", la, lb, ex, ey)
	if len(la) != 1 || la[0].Packets != ca {
		t.Fatalf("sessions list: %+v, want one session of %d rows", la, ca)
	}
	s1, ex := a.Session(ctx, 1)
	s2, ey := b.Session(ctx, 1)
	same("Session", s1, s2, ex, ey)
}

// sameDeletion deletes session 1 from both stores: the same progress, and nothing left.
func sameDeletion(t *testing.T, a, b *Store) {
	t.Helper()
	ctx := context.Background()
	var pa, pb [][2]int64
	ea := a.DeleteSessionProgress(ctx, 1, func(done, total int64) { pa = append(pa, [2]int64{done, total}) })
	eb := b.DeleteSessionProgress(ctx, 1, func(done, total int64) { pb = append(pb, [2]int64{done, total}) })
	if ea != nil || eb != nil {
		t.Fatalf("delete: %v, %v", ea, eb)
	}
	// Progress comes in chunks of each table's own size; the total and the end agree.
	if pa[0] != pb[0] || pa[len(pa)-1] != pb[len(pb)-1] {
		t.Fatalf("delete progress: rows %v, blocks %v", pa, pb)
	}
	for _, s := range []*Store{a, b} {
		var left int
		if err := s.DB().QueryRowContext(ctx, "SELECT (SELECT count(*) FROM packets) + (SELECT count(*) FROM packet_blocks)").Scan(&left); err != nil || left != 0 {
			t.Fatalf("%d rows left after deleting, %v", left, err)
		}
		if _, err := s.Session(ctx, 1); err == nil {
			t.Fatal("the session is still there")
		}
	}
}

// A block is stored K rows at a time: a session of 3K+1 rows is four blocks, the last of
// one row, and each block's group counts add up to the filters' counts.
func TestBlocksHoldBlockRowsPositions(t *testing.T) {
	ctx := context.Background()
	rows := judgedCaptureRows(t, fixture(t, "loopback.pcapng"))
	for len(rows) < 3*blockRows+1 {
		rows = append(rows, rows...)
	}
	rows = rows[:3*blockRows+1]
	_, b := storedBothForms(t, rows)
	var blocks, last, sum int64
	err := b.DB().QueryRowContext(ctx, `SELECT count(*), min(count), sum(g1 + g2 + g3 + g4 + g5) FROM packet_blocks
		WHERE session_id = 1 AND first_n % ? = 0`, blockRows).Scan(&blocks, &last, &sum)
	if err != nil || blocks != 4 || last != 1 || sum != int64(len(rows)) {
		t.Fatalf("%d blocks at multiples of %d, the smallest of %d rows, %d rows in groups; %v", blocks, blockRows, last, sum, err)
	}
}

// A block whose stored bytes do not decode fails the read with the block and the reason.
func TestDamagedBlockSaysWhichAndWhy(t *testing.T) {
	ctx := context.Background()
	rows := judgedCaptureRows(t, fixture(t, "loopback.pcapng"))
	_, b := storedBothForms(t, rows)
	if _, err := b.DB().ExecContext(ctx, "UPDATE packet_blocks SET meta = substr(meta, 1, 20) WHERE first_n = 0"); err != nil {
		t.Fatal(err)
	}
	_, err := b.Packets(ctx, 1, 0, 10)
	if err == nil || !strings.Contains(err.Error(), "block of session 1 at 0") || !strings.Contains(err.Error(), "end") {
		t.Fatalf("damaged block read: %v", err)
	}
}

// FuzzBlockCodec: decoding any stored bytes never panics and refuses what does not read;
// whatever decodes packs and decodes again to the same rows.
func FuzzBlockCodec(f *testing.F) {
	ips, times := fixtureDatagrams(f)
	var rows []Packet
	for i, ip := range ips {
		p, skip, _, err := packetOfIP(ip)
		if err != nil || skip != keep {
			continue
		}
		p.Time.Time = times[i]
		p.Time.Clock, p.Sent.Clock, p.RTTClocks = leanClocks(p.Kind, nanos(p.Time.Time), 0)
		rows = append(rows, p)
	}
	rows = append(rows, Packet{Kind: "loss", Index: 3, Note: "lost", TTL: -1})
	// A few rows: the fuzzer mutates small inputs fastest, and every branch is in one row.
	rows = append(rows[:min(len(rows), 3)], rows[len(rows)-1])
	b := packBlock(packedBlock{}, rows)
	f.Add(b.count, b.meta, b.bytes)
	f.Add(1, []byte{blockFormat, blockWhole}, []byte{})
	f.Fuzz(func(t *testing.T, count int, meta, data []byte) {
		got, err := unpackBlock(7, 128, count, meta, data)
		if err != nil {
			if !strings.Contains(err.Error(), "block of session 7 at 128") {
				t.Fatalf("an error that does not say which block: %v", err)
			}
			return
		}
		again := packBlock(packedBlock{}, got)
		back, err := unpackBlock(7, 128, again.count, again.meta, again.bytes)
		if err != nil || !reflect.DeepEqual(got, back) {
			t.Fatalf("packed again: %v\n%+v\n%+v", err, got, back)
		}
	})
}

// A database at v8 (before packet blocks) is brought to v9: its sessions read as they were,
// and a capture imported afterwards is stored as blocks that read back as the import's
// judged rows.
func TestPacketBlocksMigrationFromTheSchemaBefore(t *testing.T) {
	ctx := context.Background()
	db, path := databaseAtVersion(t, "v8.db", stepOf(t, migrationPacketBlocks))
	rows := judgedCaptureRows(t, fixture(t, "loopback.pcapng"))
	if _, err := db.ExecContext(ctx, `INSERT INTO sessions(target, addr, started_ns) VALUES ('old', '127.0.0.1', 5)`); err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		rows[i].SessionID, rows[i].N = 1, int64(i)
		if _, err := db.ExecContext(ctx, insertPacketSQL, appendPacketArgs(nil, &rows[i])...); err != nil {
			t.Fatal(err)
		}
	}
	s := openUpgraded(t, db, path)
	old, err := s.Packets(ctx, 1, 0, int64(len(rows)+1))
	if err != nil || len(old) != len(rows) {
		t.Fatalf("%d rows after the migration, %v", len(old), err)
	}
	if list, err := s.ListSessions(ctx, SessionFilter{}); err != nil || len(list) != 1 || list[0].Packets != int64(len(rows)) {
		t.Fatalf("sessions after the migration: %+v, %v", list, err)
	}
	file := filepath.Join(t.TempDir(), "loopback.pcapng")
	if err := os.WriteFile(file, fixture(t, "loopback.pcapng"), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := s.ImportCapture(ctx, file, ImportOptions{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if blocks, err := s.isBlockSession(ctx, res.SessionID); err != nil || !blocks {
		t.Fatalf("the import stored as blocks: %v, %v", blocks, err)
	}
	got, err := s.Packets(ctx, res.SessionID, 0, int64(len(rows)+1))
	if err != nil || len(got) != len(old) {
		t.Fatalf("%d imported rows, %v; want %d", len(got), err, len(old))
	}
	for i := range old {
		got[i].SessionID = old[i].SessionID
		if !reflect.DeepEqual(old[i], got[i]) {
			t.Fatalf("row %d\n  v8 %+v\nblock %+v", i, old[i], got[i])
		}
	}
}

// A session is stored one way: rows are not appended to an imported session's blocks
// (no reader would see them), and blocks do not go into a session that holds rows.
func TestASessionIsStoredOneWay(t *testing.T) {
	ctx := context.Background()
	rows := judgedCaptureRows(t, fixture(t, "loopback.pcapng"))
	a, b := storedBothForms(t, rows)
	if err := b.AppendPackets(ctx, 1, rows[:1]); err == nil || !strings.Contains(err.Error(), "stored as blocks") {
		t.Fatalf("rows appended to a block session: %v", err)
	}
	if err := a.appendBlocks(ctx, 1, rows[:1]); err == nil || !strings.Contains(err.Error(), "already holds") {
		t.Fatalf("blocks stored in a session of rows: %v", err)
	}
	if n, err := b.StoredPackets(ctx, 1); err != nil || n != int64(len(rows)) {
		t.Fatalf("%d rows after the refused append, %v; want %d", n, err, len(rows))
	}
}

// Retention deletes an imported session like any other: its blocks go with it.
func TestRetentionDeletesBlocks(t *testing.T) {
	ctx := context.Background()
	rows := judgedCaptureRows(t, fixture(t, "loopback.pcapng"))
	_, b := storedBothForms(t, rows)
	res, err := b.ApplyRetention(ctx, Retention{KeepDays: 1, Now: time.Unix(1700000000, 0).Add(72 * time.Hour)})
	if err != nil || res.DeletedSessions != 1 {
		t.Fatalf("retention: %+v, %v", res, err)
	}
	var left int
	if err := b.DB().QueryRowContext(ctx, "SELECT count(*) FROM packet_blocks").Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d blocks left after retention, %v", left, err)
	}
}
