package service

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"echoscope/backend/history/seed"
)

// jobRows is a seeded session big enough for several progress reports of every job (export
// and open report every 4096 rows, delete every 20,000, import every batch of packets).
const jobRows = 60_000

// newJobService is a service over a fresh history holding one seeded session of jobRows
// rows. Its job clock steps a second per reading, so every report is emitted and a test can
// cancel at the first report past zero, deterministically.
func newJobService(t *testing.T) (*PingService, *recorder, string, seed.Result) {
	t.Helper()
	dir := t.TempDir()
	res := seedAt(t, dir, seed.Options{Rows: jobRows, LossEvery: 50})
	svc, rec := newServiceAt(t, dir)
	clock := time.Unix(1_700_000_000, 0)
	svc.jobs.now = func() time.Time { clock = clock.Add(time.Second); return clock }
	return svc, rec, dir, res
}

// cancelAtFirstProgress cancels each job at its first progress report with some work done.
func cancelAtFirstProgress(t *testing.T, svc *PingService, rec *recorder) {
	cancelled := map[string]bool{}
	rec.onProgress = func(p JobProgress) {
		if p.Done > 0 && !cancelled[p.JobID] {
			cancelled[p.JobID] = true
			if err := svc.CancelJob(p.JobID); err != nil {
				t.Errorf("CancelJob(%s): %v", p.JobID, err)
			}
		}
	}
}

// checkMonotonic fails unless done never decreases, never passes a known total, and the
// unit is the one expected.
func checkMonotonic(t *testing.T, ps []JobProgress, unit string) {
	t.Helper()
	if len(ps) < 2 {
		t.Fatalf("%d progress events, want several", len(ps))
	}
	for i, p := range ps {
		if p.Unit != unit {
			t.Fatalf("progress %d: unit %q, want %q", i, p.Unit, unit)
		}
		if p.Total > 0 && p.Done > p.Total {
			t.Fatalf("progress %d: done %d of %d", i, p.Done, p.Total)
		}
		if i > 0 && p.Done < ps[i-1].Done {
			t.Fatalf("progress went back: %d then %d", ps[i-1].Done, p.Done)
		}
		if p.RatePerSec < 0 {
			t.Fatalf("negative rate %v", p.RatePerSec)
		}
	}
}

func TestExportJobReportsRowsAndCancelLeavesNoFile(t *testing.T) {
	svc, rec, _, res := newJobService(t)
	out := t.TempDir()
	id := strconv.FormatInt(res.SessionID, 10)

	start, err := svc.startExport(id, FormatCSV, filepath.Join(out, "whole.csv"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := jobResult[ExportResult](t, svc, start, nil)
	if err != nil || got.Packets != jobRows {
		t.Fatalf("export: %+v, %v", got, err)
	}
	ps := jobProgress(svc, start.JobID)
	checkMonotonic(t, ps, UnitRows)
	if last := ps[len(ps)-1]; last.Done != jobRows || last.Total != jobRows {
		t.Fatalf("last progress %+v, want %d of %d", last, jobRows, jobRows)
	}

	cancelAtFirstProgress(t, svc, rec)
	for _, format := range []string{FormatPcapng, FormatCSV, FormatJSON} {
		start, err := svc.startExport(id, format, filepath.Join(out, "cut."+format))
		if err != nil {
			t.Fatal(err)
		}
		if e := awaitJob(t, svc, start); e.name != EventJobCancelled {
			t.Fatalf("%s export ended with %s %+v, want cancelled", format, e.name, e.end)
		}
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "whole.csv" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("after cancelled exports the directory holds %q, want only whole.csv", names)
	}
}

func TestImportJobReportsBytesAndCancelStoresNoSession(t *testing.T) {
	svc, rec, _, res := newJobService(t)
	capture := filepath.Join(t.TempDir(), "big.pcapng")
	if _, err := svc.exportSessionTo(strconv.FormatInt(res.SessionID, 10), FormatPcapng, capture); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(capture)
	if err != nil {
		t.Fatal(err)
	}

	cancelAtFirstProgress(t, svc, rec)
	start, err := svc.startImport(capture)
	if err != nil {
		t.Fatal(err)
	}
	if e := awaitJob(t, svc, start); e.name != EventJobCancelled {
		t.Fatalf("import ended with %s %+v, want cancelled", e.name, e.end)
	}
	if list, err := svc.Sessions("", 0); err != nil || len(list) != 1 {
		t.Fatalf("after a cancelled import: %d sessions (%v), want the seeded one only", len(list), err)
	}

	rec.onProgress = nil
	start, err = svc.startImport(capture)
	if err != nil {
		t.Fatal(err)
	}
	got, err := jobResult[ImportResult](t, svc, start, nil)
	if err != nil || got.SessionID == "" {
		t.Fatalf("import: %+v, %v", got, err)
	}
	ps := jobProgress(svc, start.JobID)
	checkMonotonic(t, ps, UnitBytes)
	// Both readings of the file: done ends at twice its size.
	if last := ps[len(ps)-1]; last.Done != 2*fi.Size() || last.Total != 2*fi.Size() {
		t.Fatalf("last progress %+v, want %d of %d", last, 2*fi.Size(), 2*fi.Size())
	}
	if list, err := svc.Sessions("", 0); err != nil || len(list) != 2 {
		t.Fatalf("after the import: %d sessions (%v), want 2", len(list), err)
	}
}

func TestDeleteJobCancelKeepsTheSessionWhole(t *testing.T) {
	svc, rec, _, res := newJobService(t)
	id := strconv.FormatInt(res.SessionID, 10)
	cancelAtFirstProgress(t, svc, rec)
	start, err := svc.DeleteSession(id)
	if err != nil {
		t.Fatal(err)
	}
	if e := awaitJob(t, svc, start); e.name != EventJobCancelled {
		t.Fatalf("delete ended with %s %+v, want cancelled", e.name, e.end)
	}
	rec.onProgress = nil
	view, err := svc.openNow(t, id)
	if err != nil || view.TotalRows != jobRows {
		t.Fatalf("after a cancelled delete: %d rows (%v), want %d", view.TotalRows, err, jobRows)
	}
	store, err := svc.history()
	if err != nil {
		t.Fatal(err)
	}
	if n, err := store.CountPackets(context.Background(), res.SessionID); err != nil || n != jobRows {
		t.Fatalf("stored rows after a cancelled delete: %d (%v), want %d", n, err, jobRows)
	}

	start, err = svc.DeleteSession(id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jobResult[any](t, svc, start, nil); err != nil {
		t.Fatal(err)
	}
	checkMonotonic(t, jobProgress(svc, start.JobID), UnitRows)
	if _, err := svc.openNow(t, id); !errors.Is(err, ErrUnknownSession) {
		t.Fatalf("open after delete: %v, want ErrUnknownSession", err)
	}
}

func TestOpenJobReportsRowsAndCanBeCancelled(t *testing.T) {
	svc, rec, _, res := newJobService(t)
	id := strconv.FormatInt(res.SessionID, 10)
	cancelAtFirstProgress(t, svc, rec)
	start, err := svc.OpenSession(id)
	if err != nil {
		t.Fatal(err)
	}
	if e := awaitJob(t, svc, start); e.name != EventJobCancelled {
		t.Fatalf("open ended with %s %+v, want cancelled", e.name, e.end)
	}
	rec.onProgress = nil
	start, err = svc.OpenSession(id)
	if err != nil {
		t.Fatal(err)
	}
	view, err := jobResult[SessionView](t, svc, start, nil)
	if err != nil || view.TotalRows != jobRows || len(view.Points) == 0 {
		t.Fatalf("open: %d rows, %d points, %v", view.TotalRows, len(view.Points), err)
	}
	checkMonotonic(t, jobProgress(svc, start.JobID), UnitRows)
}

func TestCancelJobRefusesAnIDThatIsNotRunning(t *testing.T) {
	svc, _, _, res := newJobService(t)
	if err := svc.CancelJob("export-99"); !errors.Is(err, ErrUnknownJob) {
		t.Fatalf("CancelJob(unknown) = %v, want ErrUnknownJob", err)
	}
	start, err := svc.OpenSession(strconv.FormatInt(res.SessionID, 10))
	if err != nil {
		t.Fatal(err)
	}
	awaitJob(t, svc, start)
	if err := svc.CancelJob(start.JobID); !errors.Is(err, ErrUnknownJob) {
		t.Fatalf("CancelJob(ended) = %v, want ErrUnknownJob", err)
	}
}
