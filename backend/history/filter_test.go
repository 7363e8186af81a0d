package history

import (
	"context"
	"strings"
	"testing"
	"time"

	"echoscope/backend/probe"
)

// fillMixed stores n rows cycling through a send, its reply, a loss, a foreign reply and a
// late reply: position i has kind and class mixedRow(i).
func fillMixed(t testing.TB, s *Store, n int) int64 {
	t.Helper()
	ctx := context.Background()
	id := beginTest(t, s, "mixed", time.Unix(1700000000, 0))
	const chunk = 50_000
	rows := make([]Packet, 0, chunk)
	for i := 0; i < n; i++ {
		kind, class := mixedRow(i)
		rows = append(rows, Packet{Kind: kind, Class: class, Seq: uint16(i), Index: uint64(i + 1), TTL: -1,
			Time: probe.Timestamp{Time: time.Unix(1700000000, int64(i)*1e6), Clock: probe.ClockUser}})
		if len(rows) == chunk || i == n-1 {
			if err := s.AppendPackets(ctx, id, rows); err != nil {
				t.Fatal(err)
			}
			rows = rows[:0]
		}
	}
	return id
}

func mixedRow(i int) (probe.EventKind, probe.Class) {
	switch i % 5 {
	case 0:
		return probe.EventSend, ""
	case 1:
		return probe.EventReply, probe.ClassOnTime
	case 2:
		return probe.EventLoss, ""
	case 3:
		return probe.EventReply, probe.ClassForeign
	default:
		return probe.EventReply, probe.ClassLate
	}
}

// passes is the filters' meaning, written independently of their SQL.
func passes(f RowFilter, i int) bool {
	kind, class := mixedRow(i)
	switch f {
	case FilterOurs:
		return class != probe.ClassForeign
	case FilterRequests:
		return kind == probe.EventSend
	case FilterReplies:
		return kind == probe.EventReply && class != probe.ClassForeign
	case FilterProblems:
		return kind == probe.EventLoss || class == probe.ClassLate
	case FilterForeign:
		return class == probe.ClassForeign
	}
	return true
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
	for _, f := range []RowFilter{FilterAll, FilterOurs, FilterRequests, FilterReplies, FilterProblems, FilterForeign} {
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

// Each filter's page and count read only its partial index: the plan names the index and
// never scans the table, so the work is the filter's rows skipped, not the session's.
func TestFilteredQueriesUseTheirIndex(t *testing.T) {
	s := openTemp(t)
	id := fillMixed(t, s, 50)
	for f, where := range rowFilters {
		index := "packets_" + string(f)
		queries := map[string]string{
			"count": "SELECT count(*) FROM packets WHERE session_id = ? AND (" + where + ")",
			"page": "SELECT " + packetColumns + " FROM packets WHERE session_id = ? AND n IN (" +
				"SELECT n FROM packets WHERE session_id = ? AND (" + where + ") ORDER BY n LIMIT 10 OFFSET 5) ORDER BY n",
		}
		for name, q := range queries {
			args := []any{id}
			if name == "page" {
				args = append(args, id)
			}
			rows, err := s.DB().Query("EXPLAIN QUERY PLAN "+q, args...)
			if err != nil {
				t.Fatal(err)
			}
			var plan []string
			for rows.Next() {
				var a, b, c int
				var detail string
				if err := rows.Scan(&a, &b, &c, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			rows.Close()
			joined := strings.Join(plan, "; ")
			if !strings.Contains(joined, "COVERING INDEX "+index) {
				t.Errorf("%s %s: plan %q does not walk %s", f, name, joined, index)
			}
			if strings.Contains(joined, "SCAN packets") && !strings.Contains(joined, "SCAN packets USING") {
				t.Errorf("%s %s: plan %q scans the table", f, name, joined)
			}
		}
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
