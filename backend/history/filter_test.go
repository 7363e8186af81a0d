package history

import (
	"context"
	"strings"
	"testing"
	"time"

	"echoscope/backend/probe"
)

// fillMixed stores n rows cycling through mixedRow's kinds and classes: position i has
// kind and class mixedRow(i).
func fillMixed(t testing.TB, s *Store, n int) int64 {
	t.Helper()
	return fillInChunks(t, s, "mixed", n, func(i int) Packet {
		kind, class := mixedRow(i)
		return Packet{Kind: kind, Class: class, Seq: uint16(i), Index: uint64(i + 1), TTL: -1,
			Time: probe.Timestamp{Time: time.Unix(1700000000, int64(i)*1e6), Clock: probe.ClockUser}}
	})
}

// mixedCycle is every kind and class the engine stores, requests and on-time replies most
// often, as in a real session.
var mixedCycle = []struct {
	kind  probe.EventKind
	class probe.Class
}{
	{probe.EventSend, ""},
	{probe.EventReply, probe.ClassOnTime},
	{probe.EventSend, ""},
	{probe.EventLoss, ""},
	{probe.EventReply, probe.ClassForeign},
	{probe.EventSend, ""},
	{probe.EventReply, probe.ClassLate},
	{probe.EventReply, probe.ClassDuplicate},
	{probe.EventSend, ""},
	{probe.EventReply, probe.ClassOutOfOrder},
	{probe.EventSend, ""},
	{probe.EventReply, probe.ClassCorrupt},
	{probe.EventSend, ""},
	{probe.EventICMPError, probe.ClassICMPError},
	{probe.EventICMPError, probe.ClassForeign},
	{probe.EventSend, probe.ClassForeign}, // another program's request (an imported capture)
	{probe.EventReply, probe.ClassOnTime},
}

func mixedRow(i int) (probe.EventKind, probe.Class) {
	r := mixedCycle[i%len(mixedCycle)]
	return r.kind, r.class
}

// passes is the filters' meaning, written independently of their SQL.
func passes(f RowFilter, i int) bool {
	kind, class := mixedRow(i)
	foreign := class == probe.ClassForeign
	switch f {
	case FilterOurs:
		return !foreign
	case FilterRequests:
		return kind == probe.EventSend && !foreign
	case FilterReplies:
		return kind == probe.EventReply && !foreign
	case FilterProblems:
		switch class {
		case probe.ClassLate, probe.ClassDuplicate, probe.ClassOutOfOrder, probe.ClassCorrupt, probe.ClassICMPError:
			return true
		}
		return kind == probe.EventLoss
	case FilterForeign:
		return foreign
	}
	return true
}

var allFilters = []RowFilter{FilterAll, FilterOurs, FilterRequests, FilterReplies, FilterProblems, FilterForeign}

// The exact counts of one cycle of every kind and class, written out by hand.
func TestFilterCountsPerClass(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	id := fillMixed(t, s, 2*len(mixedCycle))
	fillMixed(t, s, 5) // another session's rows must not count
	want := map[RowFilter]int64{FilterAll: 34, FilterOurs: 28, FilterRequests: 12, FilterReplies: 12,
		FilterProblems: 12, FilterForeign: 6}
	for _, f := range allFilters {
		got, err := s.CountFiltered(ctx, id, f)
		if err != nil || got != want[f] {
			t.Errorf("%s: %d rows, %v; want %d", f, got, err, want[f])
		}
	}
}

// FilterRank gives the rank of a row among a filter's rows and whether it passes, for
// every row and filter of two cycles.
func TestFilterRank(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	n := 2 * len(mixedCycle)
	id := fillMixed(t, s, n)
	for _, f := range allFilters {
		var before int64
		for i := 0; i < n; i++ {
			rank, ok, err := s.FilterRank(ctx, id, f, int64(i))
			if err != nil || rank != before || ok != passes(f, i) {
				t.Fatalf("%s row %d: rank %d passes %v, %v; want %d %v", f, i, rank, ok, err, before, passes(f, i))
			}
			if ok {
				before++
			}
		}
	}
	if _, _, err := s.FilterRank(ctx, id, FilterOurs, int64(n)); err == nil || !strings.Contains(err.Error(), "no row") {
		t.Errorf("a row past the end: %v", err)
	}
}

// Filtered pages of a large session hold exactly the filter's rows, with their real
// positions, at the start, the middle and the end; the totals are the filter's.
func TestFilteredPagingLargeSession(t *testing.T) {
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	s := openTemp(t)
	ctx := context.Background()
	id := fillMixed(t, s, n)
	fillMixed(t, s, 7) // another session's rows must not show up
	for _, f := range allFilters {
		var want []int64
		for i := 0; i < n; i++ {
			if passes(f, i) {
				want = append(want, int64(i))
			}
		}
		total, err := s.CountFiltered(ctx, id, f)
		if err != nil || total != int64(len(want)) {
			t.Fatalf("%s: total %d, %v; want %d", f, total, err, len(want))
		}
		for _, rank := range []int64{0, total / 2, total - 3} {
			page, err := s.FilteredPackets(ctx, id, f, rank, 100)
			if err != nil {
				t.Fatal(err)
			}
			if wantLen := min(100, total-rank); int64(len(page)) != wantLen {
				t.Fatalf("%s at %d: %d rows, want %d", f, rank, len(page), wantLen)
			}
			for j, p := range page {
				if p.N != want[rank+int64(j)] || p.SessionID != id {
					t.Fatalf("%s at %d row %d: position %d, want %d", f, rank, j, p.N, want[rank+int64(j)])
				}
			}
		}
		if page, err := s.FilteredPackets(ctx, id, f, total, 10); err != nil || len(page) != 0 {
			t.Fatalf("%s past the end: %d rows, %v", f, len(page), err)
		}
	}
}

// queryPlan is SQLite's plan for q, one line per step.
func queryPlan(t *testing.T, s *Store, q string, args ...any) string {
	t.Helper()
	rows, err := s.DB().Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var a, b, c int
		var detail string
		if err := rows.Scan(&a, &b, &c, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; ")
}

// Each filter's positions and count come from packets_by_group alone, in position order:
// no table scan, no sort, so the work is the filter's rows skipped, not the session's.
func TestFilteredQueriesUseTheGroupIndex(t *testing.T) {
	s := openTemp(t)
	id := fillMixed(t, s, 50)
	groupsOf := map[RowFilter][]rowGroup{FilterOurs: oursGroups}
	for f, groups := range filterGroups {
		groupsOf[f] = groups
	}
	for f, groups := range groupsOf {
		queries := map[string][]any{
			unionSQL(groups):                       unionArgs(groups, id, -1),
			unionSQL(groups) + " LIMIT ? OFFSET ?": unionArgs(groups, id, 5, 10, 3),
			"SELECT count(*) FROM packets WHERE session_id = ? AND row_group IN (" + groupList(groups) + ") AND n >= ? AND n < ?": {id, 3, 40},
		}
		for q, args := range queries {
			plan := queryPlan(t, s, q, args...)
			if !strings.Contains(plan, "COVERING INDEX packets_by_group") {
				t.Errorf("%s %q: plan %q does not walk packets_by_group", f, q, plan)
			}
			if strings.Contains(plan, "TEMP B-TREE") || (strings.Contains(plan, "SCAN packets") && !strings.Contains(plan, "USING")) {
				t.Errorf("%s %q: plan %q sorts or scans the table", f, q, plan)
			}
		}
	}
	// The foreign positions walked for the default view.
	if plan := queryPlan(t, s, "SELECT n FROM packets WHERE session_id = ? AND row_group = 5 ORDER BY n", id); !strings.Contains(plan, "COVERING INDEX packets_by_group") || strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("foreign positions: plan %q", plan)
	}
}

func TestParseRowFilter(t *testing.T) {
	for _, name := range []string{"", "all", "ours", "requests", "replies", "problems", "foreign"} {
		if _, err := ParseRowFilter(name); err != nil {
			t.Errorf("%q: %v", name, err)
		}
	}
	if _, err := ParseRowFilter("lost"); err == nil || !strings.Contains(err.Error(), `"lost"`) {
		t.Errorf("unknown filter: %v", err)
	}
}

// A v3 database (before row groups) opens at the current version with every old row in
// the group groupOf gives a new one, so the filters count and page old sessions exactly.
func TestUpgradeFromV3GroupsOldRows(t *testing.T) {
	ctx := context.Background()
	db, path := databaseAtVersion(t, "v3.db", 3)
	if _, err := db.ExecContext(ctx, `INSERT INTO sessions(target, started_ns) VALUES ('old.example', 1000)`); err != nil {
		t.Fatal(err)
	}
	n := 2 * len(mixedCycle)
	for i := 0; i < n; i++ {
		kind, class := mixedRow(i)
		if _, err := db.ExecContext(ctx, `INSERT INTO packets(session_id, n, kind, class, seq) VALUES (1, ?, ?, ?, ?)`,
			i, string(kind), string(class), i); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `SELECT row_group FROM packets`); err == nil {
		t.Fatal("v3 already has row_group: the test proves nothing")
	}
	s := openUpgraded(t, db, path)
	for i := 0; i < n; i++ {
		var g rowGroup
		if err := s.DB().QueryRowContext(ctx, "SELECT row_group FROM packets WHERE n = ?", i).Scan(&g); err != nil {
			t.Fatal(err)
		}
		if kind, class := mixedRow(i); g != groupOf(kind, class) {
			t.Errorf("row %d (%s %s): group %d after upgrade, groupOf says %d", i, kind, class, g, groupOf(kind, class))
		}
	}
	for _, f := range allFilters {
		var want []int64
		for i := 0; i < n; i++ {
			if passes(f, i) {
				want = append(want, int64(i))
			}
		}
		if got, err := s.CountFiltered(ctx, 1, f); err != nil || got != int64(len(want)) {
			t.Errorf("%s after upgrade: %d rows, %v; want %d", f, got, err, len(want))
		}
		page, err := s.FilteredPackets(ctx, 1, f, 0, int64(n))
		if err != nil || len(page) != len(want) {
			t.Fatalf("%s page after upgrade: %d rows, %v; want %d", f, len(page), err, len(want))
		}
		for j, p := range page {
			if p.N != want[j] {
				t.Errorf("%s page after upgrade, row %d: position %d, want %d", f, j, p.N, want[j])
			}
		}
	}
}

// A row the store refused leaves its position numbered: CountPackets keeps counting it,
// StoredPackets does not, and the group filters count only what is stored.
func TestStoredPacketsWithARefusedRow(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	id := fillMixed(t, s, len(mixedCycle))
	// Position 1 (an on-time reply) as if its write had failed.
	if _, err := s.DB().ExecContext(ctx, "DELETE FROM packets WHERE session_id = ? AND n = 1", id); err != nil {
		t.Fatal(err)
	}
	total, err := s.CountPackets(ctx, id)
	if err != nil || total != int64(len(mixedCycle)) {
		t.Fatalf("CountPackets %d, %v", total, err)
	}
	stored, err := s.StoredPackets(ctx, id)
	if err != nil || stored != total-1 {
		t.Fatalf("StoredPackets %d, %v; want %d", stored, err, total-1)
	}
	if replies, err := s.CountFiltered(ctx, id, FilterReplies); err != nil || replies != 5 {
		t.Fatalf("replies %d, %v; want 5 (6 in the cycle, one refused)", replies, err)
	}
}

// appendMixed appends rows at positions from..to-1 of a session, position i being mixedRow(i).
func appendMixed(t testing.TB, s *Store, id int64, from, to int) {
	t.Helper()
	rows := make([]Packet, 0, to-from)
	for i := from; i < to; i++ {
		kind, class := mixedRow(i)
		rows = append(rows, Packet{Kind: kind, Class: class, Seq: uint16(i), TTL: -1,
			Time: probe.Timestamp{Time: time.Unix(1700000000, int64(i)*1e6), Clock: probe.ClockUser}})
	}
	if err := s.AppendPackets(context.Background(), id, rows); err != nil {
		t.Fatal(err)
	}
}

// checkFilters compares counts, pages at ranks across the remembered checkpoints, and the
// rank of sampled rows with passes, for rows 0..n-1 of mixedRow.
func checkFilters(t *testing.T, s *Store, id int64, n int, what string) {
	t.Helper()
	ctx := context.Background()
	for _, f := range allFilters {
		var want []int64
		rankOf := make([]int64, n)
		for i := 0; i < n; i++ {
			rankOf[i] = int64(len(want))
			if passes(f, i) {
				want = append(want, int64(i))
			}
		}
		if total, err := s.CountFiltered(ctx, id, f); err != nil || total != int64(len(want)) {
			t.Fatalf("%s %s: count %d, %v; want %d", what, f, total, err, len(want))
		}
		for _, rank := range []int64{0, rankStride - 1, rankStride, rankStride + 1, 2*rankStride + 17, int64(len(want)) - 5} {
			if rank < 0 || rank >= int64(len(want)) {
				continue
			}
			page, err := s.FilteredPackets(ctx, id, f, rank, 7)
			if err != nil || len(page) != min(7, len(want)-int(rank)) {
				t.Fatalf("%s %s at %d: %d rows, %v", what, f, rank, len(page), err)
			}
			for j, p := range page {
				if p.N != want[rank+int64(j)] {
					t.Fatalf("%s %s at %d row %d: position %d, want %d", what, f, rank, j, p.N, want[rank+int64(j)])
				}
			}
		}
		for i := 0; i < n; i += 37 {
			rank, ok, err := s.FilterRank(ctx, id, f, int64(i))
			if err != nil || rank != rankOf[i] || ok != passes(f, i) {
				t.Fatalf("%s %s row %d: rank %d %v, %v; want %d %v", what, f, i, rank, ok, err, rankOf[i], passes(f, i))
			}
		}
	}
}

// The remembered ranks stay true as a session grows (a running session), and are dropped
// when a session is deleted (its id may come back) or rows are forgotten.
func TestFilterRanksFollowTheRows(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	id := fillMixed(t, s, 5000)
	checkFilters(t, s, id, 5000, "5000 rows")
	appendMixed(t, s, id, 5000, 8000)
	checkFilters(t, s, id, 8000, "appended to 8000 rows")

	if err := s.DeleteSession(ctx, id); err != nil {
		t.Fatal(err)
	}
	again := beginTest(t, s, "again", time.Unix(1700000000, 0))
	appendMixed(t, s, again, 0, 3000)
	checkFilters(t, s, again, 3000, "a new session after the delete")

	// The oldest 1000 rows forgotten: the filters count what is left.
	if _, err := s.ForgetOldestRows(ctx, 2000); err != nil {
		t.Fatal(err)
	}
	var want int64
	for i := 1000; i < 3000; i++ {
		if passes(FilterRequests, i) {
			want++
		}
	}
	if got, err := s.CountFiltered(ctx, again, FilterRequests); err != nil || got != want {
		t.Fatalf("requests after forgetting: %d, %v; want %d", got, err, want)
	}
}

// A session with more foreign rows than oursComplementMax pages the default view through
// its groups instead of walking the foreign rows: the same rows either way.
func TestOursWithManyForeignRows(t *testing.T) {
	s := openTemp(t)
	n := (oursComplementMax + 200) * len(mixedCycle) / 3 // 3 foreign rows per cycle
	id := fillMixed(t, s, n)
	if foreign, err := s.CountFiltered(context.Background(), id, FilterForeign); err != nil || foreign <= oursComplementMax {
		t.Fatalf("%d foreign rows, %v: the test needs more than %d", foreign, err, oursComplementMax)
	}
	checkFilters(t, s, id, n, "many foreign rows")
}
