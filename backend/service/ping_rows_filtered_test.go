package service

import (
	"errors"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"echoscope/backend/history"
	"echoscope/backend/history/seed"
	"echoscope/backend/probe"
)

// Every filter's pages hold exactly the rows of the unfiltered pages that pass it, in order
// and with their real positions; the counts are the filter's, the session's and the foreign.
func TestFilteredRowsAgreeWithRows(t *testing.T) {
	dir := t.TempDir()
	res := seedAt(t, dir, seed.Options{Rows: 3001, LossEvery: 3}) // odd: one foreign reply
	svc, _ := newServiceAt(t, dir)
	id := strconv.FormatInt(res.SessionID, 10)
	var all []Row
	for len(all) < 3001 {
		p, err := svc.Rows(id, len(all), MaxPageRows)
		if err != nil || len(p.Rows) == 0 {
			t.Fatalf("Rows(%d): %d rows, %v", len(all), len(p.Rows), err)
		}
		all = append(all, p.Rows...)
	}
	pass := map[string]func(Row) bool{
		"all":      func(Row) bool { return true },
		"ours":     func(r Row) bool { return r.Class != string(probe.ClassForeign) },
		"requests": func(r Row) bool { return r.Kind == string(probe.EventSend) },
		"replies":  func(r Row) bool { return r.Kind == string(probe.EventReply) && r.Class != string(probe.ClassForeign) },
		"problems": func(r Row) bool {
			switch probe.Class(r.Class) {
			case probe.ClassLate, probe.ClassDuplicate, probe.ClassOutOfOrder, probe.ClassCorrupt, probe.ClassICMPError:
				return true
			}
			return r.Kind == string(probe.EventLoss)
		},
		"foreign": func(r Row) bool { return r.Class == string(probe.ClassForeign) },
	}
	for filter, ok := range pass {
		var want []Row
		for _, r := range all {
			if ok(r) {
				want = append(want, r)
			}
		}
		var got []Row
		for {
			p, err := svc.FilteredRows(id, filter, len(got), 700)
			if err != nil {
				t.Fatal(err)
			}
			if p.FilterRows != int64(len(want)) || p.SessionRows != 3001 || p.ForeignRows != 1 || p.Filter != filter {
				t.Fatalf("%s: counts %d of %d, %d foreign; want %d of 3001, 1 foreign", filter, p.FilterRows, p.SessionRows, p.ForeignRows, len(want))
			}
			if len(p.Rows) == 0 {
				break
			}
			got = append(got, p.Rows...)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d rows paged, want %d", filter, len(got), len(want))
		}
		for i := range want {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("%s row %d: %+v, want %+v", filter, i, got[i], want[i])
			}
		}
	}
}

func TestFilteredRowsRefusesUnknownFilter(t *testing.T) {
	dir := t.TempDir()
	res := seedAt(t, dir, seed.Options{Rows: 10})
	svc, _ := newServiceAt(t, dir)
	_, err := svc.FilteredRows(strconv.FormatInt(res.SessionID, 10), "lost", 0, 10)
	if !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("unknown filter: %v, want ErrInvalidRequest", err)
	}
}

// A negative offset is the filter's last rows (the table following a running session).
func TestFilteredRowsTail(t *testing.T) {
	dir := t.TempDir()
	res := seedAt(t, dir, seed.Options{Rows: 401, LossEvery: 4})
	svc, _ := newServiceAt(t, dir)
	id := strconv.FormatInt(res.SessionID, 10)
	full, err := svc.FilteredRows(id, "requests", 0, MaxPageRows)
	if err != nil {
		t.Fatal(err)
	}
	tail, err := svc.FilteredRows(id, "requests", -1, 30)
	if err != nil {
		t.Fatal(err)
	}
	if tail.Offset != full.FilterRows-30 || len(tail.Rows) != 30 || !reflect.DeepEqual(tail.Rows, full.Rows[len(full.Rows)-30:]) {
		t.Fatalf("tail at %d with %d rows; want the last 30 of %d", tail.Offset, len(tail.Rows), full.FilterRows)
	}
}

// RowRank puts every row where the filtered pages have it, and says whether it passes.
func TestRowRankAgreesWithFilteredRows(t *testing.T) {
	dir := t.TempDir()
	res := seedAt(t, dir, seed.Options{Rows: 201, LossEvery: 5}) // odd: one foreign reply
	svc, _ := newServiceAt(t, dir)
	id := strconv.FormatInt(res.SessionID, 10)
	for _, filter := range []string{"all", "ours", "requests", "replies", "problems", "foreign"} {
		page, err := svc.FilteredRows(id, filter, 0, MaxPageRows)
		if err != nil {
			t.Fatal(err)
		}
		at := map[int64]int64{}
		for i, r := range page.Rows {
			at[r.N] = int64(i)
		}
		var before int64
		for n := 0; n < 201; n++ {
			rr, err := svc.RowRank(id, filter, n)
			if err != nil {
				t.Fatal(err)
			}
			want, passes := at[int64(n)]
			if !passes {
				want = before
			}
			if rr.Rank != want || rr.Passes != passes {
				t.Fatalf("%s row %d: rank %d passes %v; want %d %v", filter, n, rr.Rank, rr.Passes, want, passes)
			}
			if passes {
				before++
			}
		}
	}
	if _, err := svc.RowRank(id, "lost", 0); !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("unknown filter: %v", err)
	}
}

// An opened session says how many of its rows are stored, so the table knows to list a
// session whose rows the store refused by position (their positions show as not stored).
func TestOpenSessionCountsStoredRows(t *testing.T) {
	dir := t.TempDir()
	res := seedAt(t, dir, seed.Options{Rows: 40})
	st, err := history.OpenWith(history.OpenOptions{Path: filepath.Join(dir, history.DatabaseFile)})
	if err != nil {
		t.Fatal(err)
	}
	// Rows 7 and 8 as if their writes had failed (disk full).
	if _, err := st.DB().Exec("DELETE FROM packets WHERE session_id = ? AND n IN (7, 8)", res.SessionID); err != nil {
		t.Fatal(err)
	}
	st.Close()
	svc, _ := newServiceAt(t, dir)
	view, err := svc.openSession(svc.ctx, strconv.FormatInt(res.SessionID, 10), func(int64, int64) {})
	if err != nil {
		t.Fatal(err)
	}
	if view.TotalRows != 40 || view.StoredRows != 38 {
		t.Fatalf("totalRows %d, storedRows %d; want 40 and 38", view.TotalRows, view.StoredRows)
	}
}
