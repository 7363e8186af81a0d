package service

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"echoscope/backend/agent"
	"echoscope/backend/history"
	"echoscope/backend/history/seed"
)

// newServiceOnDisk pings through the in-process raw engine into the database in dir,
// naming that file in storage messages as the app does.
func newServiceOnDisk(t *testing.T, dir string) (*PingService, *recorder) {
	t.Helper()
	rec := newRecorder()
	svc := NewPingService(PingConfig{Emitter: rec, OpenStore: storeIn(dir),
		StorePath: filepath.Join(dir, history.DatabaseFile),
		Select: func(ctx context.Context) (agent.Engine, agent.Choice, error) {
			return agent.Select(ctx, agent.SelectConfig{HelperPath: "-"})
		}})
	t.Cleanup(func() { ClosePingService(svc) })
	return svc, rec
}

// A data directory on a read-only file system: Start still pings, in memory, and the
// status says so in words; rows and the inspector work as usual.
func TestReadOnlyDataDirPingsInMemory(t *testing.T) {
	dir := mountTmpfs(t, "1m", unix.MS_RDONLY)
	svc, rec := newServiceOnDisk(t, dir)
	sess, err := svc.Start(PingRequest{Target: "127.0.0.1", Count: 5, IntervalMs: 10, TimeoutMs: 1000})
	if err != nil {
		t.Fatalf("Start on a read-only data dir: %v", err)
	}
	end := waitEnded(t, rec)
	if end.Reason != "done" || end.Error != "" || end.Stats == nil || end.Stats.Sent != 5 {
		t.Fatalf("ended %+v", end)
	}
	st, err := svc.StorageStatus()
	if err != nil || st.OK || !st.InMemory || st.Path != filepath.Join(dir, history.DatabaseFile) ||
		!strings.Contains(st.Error, "read-only file system") || !strings.Contains(st.Error, st.Path) ||
		!strings.Contains(st.Error, "pinging goes on") {
		t.Fatalf("status %+v, %v", st, err)
	}
	t.Logf("status: %s", st.Error)
	if ev := rec.storageEvents(); len(ev) != 1 || ev[0] != st {
		t.Fatalf("history:status events %+v, want the one status", ev)
	}
	page, err := svc.Rows(sess.ID, 0, MaxPageRows)
	if err != nil || page.TotalRows != end.TotalRows || len(page.Rows) == 0 {
		t.Fatalf("Rows: %+v, %v", page, err)
	}
	for _, r := range page.Rows {
		if r.Kind == "reply" && r.Class == "on-time" {
			d, err := svc.Packet(sess.ID, int(r.N))
			if err != nil || d.RequestHex == "" || d.ReplyHex == "" {
				t.Fatalf("Packet: %+v, %v", d, err)
			}
			break
		}
	}
	list, err := svc.Sessions("", 0)
	if err != nil || len(list) != 1 || list[0].ID != sess.ID || list[0].EndedAt == "" {
		t.Fatalf("sessions in memory: %+v, %v", list, err)
	}
	for _, f := range rec.snapshot() {
		if f.StorageError != "" {
			t.Fatalf("frame says %q: the in-memory store takes every row", f.StorageError)
		}
	}
}

// The disk fills during a session: frames keep coming with rising statistics and say the
// rows are not all stored, "history:status" is emitted once, and the session ends normally.
func TestDiskFillingDuringASessionPingingGoesOn(t *testing.T) {
	// 1 MiB: the new database and its WAL take about 144 KiB, and one 150 ms batch of this
	// session about 300 KiB, so the first batches fit; its 8000 rows of 400-byte packets
	// (about 8 MB) still fill the disk early in the session. (320 KiB left the first batch
	// no room once the schema grew: nothing was stored, depending on the flush's phase.)
	dir := mountTmpfs(t, "1m", 0)
	svc, rec := newServiceOnDisk(t, dir)
	if st, _ := svc.StorageStatus(); !st.OK || st.InMemory {
		t.Fatalf("status before: %+v", st)
	}
	sess, err := svc.Start(PingRequest{Target: "127.0.0.1", Count: 4000, IntervalMs: 1, TimeoutMs: 500, Size: 400, SizeSet: true})
	if err != nil {
		t.Fatal(err)
	}
	end := waitEnded(t, rec)
	if end.Reason != "done" || end.Error != "" || end.Stats == nil || end.Stats.Sent != 4000 {
		t.Fatalf("ended %+v", end)
	}
	var failedAt int
	var sentAfter []uint64
	for i, f := range rec.snapshot() {
		if f.SessionID != sess.ID {
			continue
		}
		if f.StorageError != "" && failedAt == 0 {
			failedAt = i
		}
		if failedAt > 0 && f.Stats != nil {
			sentAfter = append(sentAfter, f.Stats.Sent)
		}
	}
	if failedAt == 0 {
		t.Fatal("no frame said the disk refused rows")
	}
	if len(sentAfter) < 2 || sentAfter[len(sentAfter)-1] <= sentAfter[0] {
		t.Fatalf("statistics after the failure: sent %v, want them rising", sentAfter)
	}
	ev := rec.storageEvents()
	if len(ev) != 1 || ev[0].OK || ev[0].InMemory || !strings.Contains(ev[0].Error, "disk full") {
		t.Fatalf("history:status events %+v, want one saying disk full", ev)
	}
	t.Logf("status: %s", ev[0].Error)
	if st, _ := svc.StorageStatus(); st != ev[0] {
		t.Fatalf("status %+v, last event %+v", st, ev[0])
	}
	// What was stored pages and inspects; what was not is simply absent, never an error.
	page, err := svc.Rows(sess.ID, 0, MaxPageRows)
	if err != nil || len(page.Rows) == 0 {
		t.Fatalf("Rows(0): %d rows, %v", len(page.Rows), err)
	}
	if _, err := svc.Packet(sess.ID, int(page.Rows[0].N)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Rows(sess.ID, int(end.TotalRows)-10, 10); err != nil {
		t.Fatalf("Rows at the unstored end: %v", err)
	}
	if _, err := svc.openNow(t, sess.ID); err != nil {
		t.Fatalf("OpenSession: %v", err)
	}
}

// A full disk fails the export with the reason, and leaves no half-written file.
func TestExportToAFullDiskLeavesNoHalfFile(t *testing.T) {
	dir := t.TempDir()
	res := seedAt(t, dir, seed.Options{Rows: 20_000})
	full := mountTmpfs(t, "64k", 0)
	svc := newServiceWithDialogs(t, dir, &fakeDialogs{})
	_, err := svc.exportSessionTo(strconv.FormatInt(res.SessionID, 10), "pcapng", filepath.Join(full, "big.pcapng"))
	if !errors.Is(err, ErrExport) || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("export to a full disk: %v", err)
	}
	entries, _ := os.ReadDir(full)
	if len(entries) != 0 {
		t.Fatalf("files left on the full disk: %v", entries)
	}
}
