package history

import (
	"context"
	"database/sql"
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

// judgedCaptureRows are an import's judged rows of a capture in memory.
func judgedCaptureRows(t *testing.T, data []byte) []Packet {
	t.Helper()
	_, rows, _, _, err := ClassifyCapture(data, ImportOptions{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// insertLeanSQL inserts one lean row as v8 imports stored it (lean_rows.go): its lean
// columns, derived = 1.
const insertLeanSQL = `INSERT INTO packets(session_id, n, kind, req_index, time_ns, sent_ns, seq, bytes,
	class, rule, note, rtt_ns, row_group, derived) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`

// appendLeanArgs appends p's values in insertLeanSQL's order (p.SessionID and p.N set).
func appendLeanArgs(args []any, p *Packet) []any {
	return append(args, p.SessionID, p.N, string(p.Kind), int64(p.Index), nanos(p.Time.Time),
		nanos(p.Sent.Time), int64(p.Seq), p.Bytes, string(p.Class), string(p.Rule), p.Note, int64(p.RTT),
		int64(groupOf(p.Kind, p.Class)))
}

// storeLeanAsV8 stores rows in session as a v8 import did: lean where isLean allows,
// whole otherwise.
func storeLeanAsV8(t *testing.T, db *sql.DB, session int64, rows []Packet) {
	t.Helper()
	for i := range rows {
		p := rows[i]
		p.SessionID, p.N = session, int64(i)
		q, args := insertPacketSQL, appendPacketArgs(nil, &p)
		if isLean(&p) {
			q, args = insertLeanSQL, appendLeanArgs(nil, &p)
		}
		if _, err := db.ExecContext(context.Background(), q, args...); err != nil {
			t.Fatal(err)
		}
	}
}

// storeBothWays stores rows whole (AppendPackets) in one session and as a v8 import did
// (lean where isLean allows) in another, and returns both sessions and how many rows each
// stored lean.
func storeBothWays(t *testing.T, s *Store, rows []Packet) (whole, lean int64, wholeLean, leanLean int) {
	t.Helper()
	ctx := context.Background()
	whole = beginTest(t, s, "whole", time.Unix(1700000000, 0))
	lean = beginTest(t, s, "lean", time.Unix(1700000000, 0))
	if err := s.AppendPackets(ctx, whole, rows); err != nil {
		t.Fatal(err)
	}
	storeLeanAsV8(t, s.DB(), lean, rows)
	count := func(session int64) int {
		var n int
		if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM packets WHERE session_id = ? AND derived", session).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	return whole, lean, count(whole), count(lean)
}

// Every reader gives the same answer for rows stored lean as for the same rows stored whole:
// whole rows (Packets, and so the packet table, filters and exports), the chart's rows, a
// request's answers, a trace's answers.
func TestLeanRowsReadBackAsWholeRows(t *testing.T) {
	ctx := context.Background()
	synth := filepath.Join(t.TempDir(), "synth.pcap")
	writeSynthCapture(t, synth, synthCapture{Pairs: 700, Flows: 4, LossEvery: 101})
	synthData, err := os.ReadFile(synth)
	if err != nil {
		t.Fatal(err)
	}
	ah := func() (uint8, []byte) {
		h := []byte{wire.ProtocolICMP, 4, 0, 0, 0, 0, 0x10, 0x01, 0, 0, 0, 1}
		return protocolAH, append(h, make([]byte, 12)...)
	}
	ahIPs, ahTimes := exchange4(t, 3, ah)
	synthRows := judgedCaptureRows(t, synthData)
	engineRows, _ := classifyRows(engineRulesRows(t), time.Second)
	cases := []struct {
		name string
		rows []Packet
		// mixed: some rows must be stored whole (an ICMP error's quoted identifier).
		mixed bool
	}{
		{"synthetic ICMP-only capture", synthRows, false},
		{"loopback IPv4 and IPv6", judgedCaptureRows(t, fixture(t, "loopback.pcapng")), false},
		{"Linux cooked capture", judgedCaptureRows(t, fixture(t, "any-sll.pcapng")), false},
		{"ICMP behind IPv4 AH", judgedCaptureRows(t, capturetest.Pcap(binary.LittleEndian, true, capture.LinkTypeRaw, ahIPs, ahTimes)), false},
		{"every verdict of the engine", append(append([]Packet(nil), synthRows[:256]...), engineRows...), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := openTemp(t)
			whole, lean, wholeLean, leanLean := storeBothWays(t, s, c.rows)
			if wholeLean != 0 || leanLean == 0 || (c.mixed && leanLean == len(c.rows)) {
				t.Fatalf("%d rows: %d stored lean by AppendPackets, %d as v8 imports did (mixed: %v)", len(c.rows), wholeLean, leanLean, c.mixed)
			}
			a, err := s.Packets(ctx, whole, 0, int64(len(c.rows)+1))
			if err != nil {
				t.Fatal(err)
			}
			b, err := s.Packets(ctx, lean, 0, int64(len(c.rows)+1))
			if err != nil {
				t.Fatal(err)
			}
			if len(a) != len(c.rows) || len(b) != len(a) {
				t.Fatalf("read %d and %d rows of %d", len(a), len(b), len(c.rows))
			}
			for i := range a {
				b[i].SessionID = a[i].SessionID
				if !reflect.DeepEqual(a[i], b[i]) {
					t.Fatalf("row %d\nwhole %+v\n lean %+v", i, a[i], b[i])
				}
			}
			chart := func(session int64) []ChartRow {
				var out []ChartRow
				for r, err := range s.ChartRows(ctx, session) {
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, r)
				}
				return out
			}
			if ca, cb := chart(whole), chart(lean); !reflect.DeepEqual(ca, cb) || len(ca) == 0 {
				t.Fatalf("chart rows differ (%d, %d)", len(ca), len(cb))
			}
			for _, p := range a {
				if p.Kind != probe.EventSend || p.Index == 0 {
					continue
				}
				x, err := s.AnswersTo(ctx, whole, p.Index, p.N, 64)
				if err != nil {
					t.Fatal(err)
				}
				y, err := s.AnswersTo(ctx, lean, p.Index, p.N, 64)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(x, y) {
					t.Fatalf("answers to %d: whole %+v, lean %+v", p.Index, x, y)
				}
			}
			ta, err := s.TraceAnswers(ctx, whole, 0)
			if err != nil {
				t.Fatal(err)
			}
			tb, err := s.TraceAnswers(ctx, lean, 0)
			if err != nil || !reflect.DeepEqual(ta, tb) {
				t.Fatalf("trace answers: whole %v, lean %v (%v)", ta, tb, err)
			}
		})
	}
}

// A lean row whose bytes no longer read (a damaged file) reads with its stored columns and
// a note saying why the others are missing, instead of failing the page.
func TestLeanRowWithUnreadableBytesSaysSo(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	rows := judgedCaptureRows(t, fixture(t, "loopback.pcapng"))
	_, lean, _, n := storeBothWays(t, s, rows[:2])
	if n != 2 {
		t.Fatalf("%d of 2 rows stored lean", n)
	}
	if _, err := s.DB().ExecContext(ctx, "UPDATE packets SET bytes = x'4500' WHERE session_id = ? AND n = 1", lean); err != nil {
		t.Fatal(err)
	}
	got, err := s.Packets(ctx, lean, 0, 2)
	if err != nil || len(got) != 2 {
		t.Fatalf("%d rows, %v", len(got), err)
	}
	if got[0].Note != rows[0].Note || !got[0].From.IsValid() || got[1].From.IsValid() || got[1].TTL != -1 ||
		!strings.Contains(got[1].Note, "do not read") || got[1].Kind != rows[1].Kind || got[1].Seq != rows[1].Seq {
		t.Fatalf("rows %+v\n%+v", got[0], got[1])
	}
}

// A database at v7 (before lean rows) is brought up to date: its rows read as they were, none
// lean, and lean rows stored in it as a v8 import did read back right.
func TestLeanRowsMigrationFromTheSchemaBefore(t *testing.T) {
	ctx := context.Background()
	db, path := databaseAtVersion(t, "v7.db", stepOf(t, migrationLeanRows))
	rows := judgedCaptureRows(t, fixture(t, "loopback.pcapng"))
	if _, err := db.ExecContext(ctx, `INSERT INTO sessions(target, addr, started_ns) VALUES ('old', '127.0.0.1', 5)`); err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		rows[i].SessionID, rows[i].N = 1, int64(i)
		cols := insertPacketSQL
		if _, err := db.ExecContext(ctx, cols, appendPacketArgs(nil, &rows[i])...); err != nil {
			t.Fatal(err)
		}
	}
	s := openUpgraded(t, db, path)
	got, err := s.Packets(ctx, 1, 0, int64(len(rows)))
	if err != nil || len(got) != len(rows) {
		t.Fatalf("%d rows after the migration, %v", len(got), err)
	}
	var lean int
	if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM packets WHERE derived").Scan(&lean); err != nil || lean != 0 {
		t.Fatalf("%d old rows read as lean, %v", lean, err)
	}
	want, err := s.Packets(ctx, 1, 0, int64(len(rows)))
	if err != nil {
		t.Fatal(err)
	}
	_, leanSession, _, n := storeBothWays(t, s, rows)
	if n == 0 {
		t.Fatal("nothing stored lean after the migration")
	}
	again, err := s.Packets(ctx, leanSession, 0, int64(len(rows)))
	if err != nil || len(again) != len(want) {
		t.Fatalf("%d rows, %v", len(again), err)
	}
	for i := range want {
		again[i].SessionID = want[i].SessionID
		if !reflect.DeepEqual(want[i], again[i]) {
			t.Fatalf("row %d\n  v7 %+v\nlean %+v", i, want[i], again[i])
		}
	}
}

// FuzzLeanRow: for any datagram, a row isLean accepts derives back to itself from its lean
// columns, and deriving never panics whatever the stored bytes.
func FuzzLeanRow(f *testing.F) {
	ips, _ := fixtureDatagrams(f)
	for _, ip := range ips {
		f.Add(ip, int64(1700000000123456789), int64(1700000000000000000))
	}
	f.Add([]byte{0x45}, int64(0), int64(0))
	f.Fuzz(func(t *testing.T, b []byte, timeNs, sentNs int64) {
		q := Packet{Kind: probe.EventReply, Bytes: b, Time: probe.Timestamp{Time: fromNanos(timeNs)},
			Sent: probe.Timestamp{Time: fromNanos(sentNs)}}
		deriveLean(&q) // damaged bytes: no panic
		p, skip, _, err := packetOfIP(b)
		if err != nil || skip != keep {
			return
		}
		p.Time = probe.Timestamp{Time: fromNanos(timeNs)}
		p.Sent = probe.Timestamp{Time: fromNanos(sentNs)}
		p.Time.Clock, p.Sent.Clock, p.RTTClocks = leanClocks(p.Kind, timeNs, sentNs)
		if !isLean(&p) {
			t.Fatalf("a row as the import extracts it is not lean: %+v", p)
		}
		d := Packet{Kind: p.Kind, Index: p.Index, Time: probe.Timestamp{Time: p.Time.Time},
			Sent: probe.Timestamp{Time: p.Sent.Time}, Seq: p.Seq, Bytes: p.Bytes, Class: p.Class,
			Rule: p.Rule, Note: p.Note, RTT: p.RTT, TTL: -1}
		deriveLean(&d)
		if !reflect.DeepEqual(d, p) {
			t.Fatalf("derived %+v\n   want %+v", d, p)
		}
	})
}
