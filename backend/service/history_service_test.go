package service

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"echoscope/backend/history"
	"echoscope/backend/history/seed"
	"echoscope/backend/probe"
)

func TestSessionsListSearchAndDelete(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	older := seedAt(t, dir, seed.Options{Rows: 200, Target: "198.18.0.1", LossEvery: 4, Start: t0})
	newer := seedAt(t, dir, seed.Options{Rows: 40, Target: "198.18.7.7", Start: t0.Add(time.Hour)})
	st, err := history.OpenWith(history.OpenOptions{Path: filepath.Join(dir, history.DatabaseFile)})
	if err != nil {
		t.Fatal(err)
	}
	// The app died during this one: begun, never finished.
	crashed, err := st.BeginSession(context.Background(), history.SessionInfo{Target: "dead.example",
		Engine: "agent-raw", Started: t0.Add(2 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	imported, err := st.BeginSession(context.Background(), history.SessionInfo{Target: "10.0.0.9",
		Engine: EngineImported, ImportedFrom: "Office-Capture.pcapng", Started: t0.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	svc, _ := newServiceAt(t, dir)
	all, err := svc.Sessions("", 0)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(list []SessionSummary) []string {
		var out []string
		for _, s := range list {
			out = append(out, s.ID)
		}
		return out
	}
	want := []string{strconv.FormatInt(crashed, 10), strconv.FormatInt(newer.SessionID, 10),
		strconv.FormatInt(older.SessionID, 10), strconv.FormatInt(imported, 10)}
	if got := ids(all); len(got) != 4 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != want[3] {
		t.Fatalf("sessions newest first %v, want %v", got, want)
	}
	o := all[2]
	if o.Target != "198.18.0.1" || o.Addr != "198.18.0.1" || o.Engine != "in-process-raw" || o.Sent != 100 ||
		o.Received != 75 || o.LossPercent != 25 || o.MedianMs == nil || *o.MedianMs <= 0 || o.Packets != 200 ||
		o.Running || o.Interrupted || o.Imported || o.EndedAt == "" || o.DurationMs < 99 || o.StartedAt != t0.Local().Format(time.RFC3339Nano) {
		t.Fatalf("seeded summary %+v", o)
	}
	if c := all[0]; !c.Interrupted || c.EndedAt != "" || c.Running || c.MedianMs != nil || c.DurationMs != 0 || c.Packets != 0 {
		t.Fatalf("interrupted summary %+v", c)
	}
	// The interrupted one opens too, as far as it got: no end, no rows, an empty chart.
	cv, err := svc.openNow(t, want[0])
	if err != nil || cv.Running || cv.Info.EndedAt != "" || cv.TotalRows != 0 || cv.Stats != nil ||
		cv.Points == nil || len(cv.Points) != 0 || cv.Info.Engine != "agent-raw" {
		t.Fatalf("interrupted session opens as %+v, %v", cv, err)
	}
	if js, _ := json.Marshal(cv); !strings.Contains(string(js), `"points":[]`) {
		t.Fatalf("an empty chart must reach the page as [], got %s", js)
	}
	if i := all[3]; !i.Imported || i.ImportedFrom != "Office-Capture.pcapng" || i.Engine != EngineImported {
		t.Fatalf("imported summary %+v", i)
	}

	for query, wantIDs := range map[string][]string{"198.18": want[1:3], "office-capture": want[3:], "DEAD": want[:1], "nowhere": nil} {
		got, err := svc.Sessions(query, 0)
		if err != nil || len(got) != len(wantIDs) || (len(got) > 0 && got[0].ID != wantIDs[0]) {
			t.Errorf("Sessions(%q) = %v, %v; want %v", query, ids(got), err, wantIDs)
		}
	}
	if got, _ := svc.Sessions("", 2); len(got) != 2 {
		t.Errorf("limit 2 gave %d", len(got))
	}
	if _, err := svc.Sessions("", -1); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("negative limit: %v", err)
	}

	if err := svc.deleteNow(t, want[2]); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.Sessions("", 0); len(got) != 3 {
		t.Fatalf("after delete %v", ids(got))
	}
	if _, err := svc.openNow(t, want[2]); !errors.Is(err, ErrUnknownSession) {
		t.Errorf("OpenSession(deleted) = %v", err)
	}
	if _, err := svc.Rows(want[2], 0, 10); !errors.Is(err, ErrUnknownSession) {
		t.Errorf("Rows(deleted) = %v", err)
	}
	for _, id := range []string{want[2], "9999", "x"} {
		if err := svc.deleteNow(t, id); !errors.Is(err, ErrUnknownSession) {
			t.Errorf("DeleteSession(%s) = %v, want ErrUnknownSession", id, err)
		}
	}
}

// A 100k-row session opens with its whole chart bounded: every lost marker kept, replies
// thinned evenly over the run, the figures as stored.
func TestOpenSessionBoundsTheChartAndKeepsMarkers(t *testing.T) {
	dir := t.TempDir()
	res := seedAt(t, dir, seed.Options{Rows: 100_000, LossEvery: 40})
	svc, _ := newServiceAt(t, dir)
	id := strconv.FormatInt(res.SessionID, 10)
	view, err := svc.openNow(t, id)
	if err != nil {
		t.Fatal(err)
	}
	if view.Running || view.TotalRows != 100_000 || view.Stats == nil || view.Stats.Sent != 50_000 ||
		view.Stats.Lost != 1250 || view.Stats.Received != 48_750 || view.Info.EndedAt == "" ||
		view.Info.Engine != "in-process-raw" || view.Info.Socket != "raw" || view.Info.TimeoutMs != 100 ||
		view.Info.IntervalMs != 1 || view.Info.PayloadSize != seed.PayloadSize || view.Info.Family != 4 {
		t.Fatalf("view %+v stats %+v", view.Info, view.Stats)
	}
	if len(view.Points) > MaxSessionPoints || len(view.Points) < MaxSessionPoints/4 {
		t.Fatalf("%d points, want at most %d and not thinned to nothing", len(view.Points), MaxSessionPoints)
	}
	var lost, replies int
	var last = map[string]float64{}
	var maxRTT float64
	for _, p := range view.Points {
		if p.T < last[p.Mark] {
			t.Fatalf("%s point at %v ms after one at %v", p.Mark, p.T, last[p.Mark])
		}
		last[p.Mark] = p.T
		switch p.Mark {
		case MarkLost:
			lost++
			if p.RTTMs != nil || p.Index%40 != 0 {
				t.Fatalf("lost marker %+v", p)
			}
		case MarkReply:
			replies++
			maxRTT = max(maxRTT, *p.RTTMs)
		}
	}
	if lost != 1250 {
		t.Fatalf("%d lost markers, want all 1250", lost)
	}
	if int64(len(view.Points))+view.SkippedPoints != 50_000 {
		t.Fatalf("%d points + %d skipped, want the 50000 replies and losses", len(view.Points), view.SkippedPoints)
	}
	// Decimation keeps the higher RTT of each pair: the slowest reply survives.
	if maxRTT != view.Stats.MaxMs {
		t.Fatalf("highest charted RTT %v ms, session max %v ms", maxRTT, view.Stats.MaxMs)
	}
	// The run is covered to its end (requests 1 ms apart: the last at ~50 s).
	if last[MarkReply] < 49_000 || last[MarkLost] < 49_000 {
		t.Fatalf("chart ends at %v ms (replies) / %v ms (lost)", last[MarkReply], last[MarkLost])
	}
	again, err := svc.openNow(t, id)
	if err != nil || len(again.Points) != len(view.Points) || again.SkippedPoints != view.SkippedPoints {
		t.Fatalf("second open: %d points, %v", len(again.Points), err)
	}
	if _, err := svc.openNow(t, "424242"); !errors.Is(err, ErrUnknownSession) {
		t.Fatalf("OpenSession(unknown) = %v", err)
	}
}

// The Rows and Packet of a stored session agree with the rows as seeded.
func TestReopenedSeededSessionPagesAndInspects(t *testing.T) {
	dir := t.TempDir()
	res := seedAt(t, dir, seed.Options{Rows: 3000, LossEvery: 9})
	svc, _ := newServiceAt(t, dir)
	id := strconv.FormatInt(res.SessionID, 10)
	page, err := svc.Rows(id, 1000, 1000)
	if err != nil || page.TotalRows != 3000 || len(page.Rows) != 1000 || page.Rows[0].N != 1000 {
		t.Fatalf("page %d rows of %d, %v", len(page.Rows), page.TotalRows, err)
	}
	checked := 0
	for _, r := range page.Rows {
		if r.Kind != string(probe.EventReply) {
			continue
		}
		d, err := svc.Packet(id, int(r.N))
		if err != nil {
			t.Fatal(err)
		}
		if d.RequestHex == "" || d.ReplyHex[:2] != "45" || !d.ReplyIncludesIPHeader || d.Rule != string(probe.RuleIDSeqToken) ||
			d.Engine != "in-process-raw" || d.Socket != "raw" || d.RTTMs == nil || d.SentClock != "kernel-tx" ||
			d.RequestHex[16:] != d.ReplyHex[56:] {
			t.Fatalf("detail of row %d: %+v", r.N, d)
		}
		checked++
	}
	if checked < 400 {
		t.Fatalf("only %d replies inspected", checked)
	}
}
