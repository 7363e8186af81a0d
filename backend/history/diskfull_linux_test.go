package history

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// mountTinyTmpfs mounts a 512 KiB tmpfs for the test (root only) and unmounts it in
// Cleanup, whatever happens.
func mountTinyTmpfs(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a tmpfs")
	}
	dir := t.TempDir()
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, "size=512k"); err != nil {
		t.Skipf("cannot mount tmpfs: %v", err)
	}
	t.Cleanup(func() {
		if err := unix.Unmount(dir, unix.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

func TestWriterDiskFull(t *testing.T) {
	dir := mountTinyTmpfs(t)
	ctx := context.Background()
	s, err := OpenWith(OpenOptions{Path: filepath.Join(dir, "h.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	id := beginTest(t, s, "a", time.Now())

	var failures int
	w := s.NewWriter(WriterOptions{FlushSize: 64, OnError: func(error) { failures++ }})
	defer w.Close()
	send, _ := echoPair(t, wire.IPv4, 1, time.Now())
	send.Bytes = make([]byte, 1400) // fill the disk in few batches
	var flushErr error
	for range 100 {
		for range 64 {
			if !w.Add(id, send) {
				t.Fatal("writer refused an event while the disk filled")
			}
		}
		if flushErr = w.Flush(ctx); flushErr != nil {
			break
		}
	}
	if !errors.Is(flushErr, ErrStorageFull) {
		t.Fatalf("flush on a full disk: %v, want ErrStorageFull", flushErr)
	}
	if !errors.Is(w.Err(), ErrStorageFull) || failures == 0 {
		t.Fatalf("Err %v, %d callbacks", w.Err(), failures)
	}
	// Still accepting while full; the events are counted as failed, not silently lost.
	w.Add(id, probe.Event{Kind: probe.EventSend, Bytes: make([]byte, 1400)})
	w.Flush(ctx)
	st := w.Stats()
	if st.Failed == 0 || st.Accepted != st.Committed+st.Failed {
		t.Fatalf("stats on a full disk: %+v", st)
	}
	var stored uint64
	if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM packets WHERE session_id = ?", id).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != st.Committed {
		t.Fatalf("%d rows stored; committed %d", stored, st.Committed)
	}
	// Refused rows leave their positions empty: a row stored after them keeps the position
	// the stream gave it (its place among everything accepted), so nothing is misnumbered.
	n, err := s.CountPackets(ctx, id)
	if err != nil || n < int64(stored) || uint64(n) > st.Accepted {
		t.Fatalf("positions up to %d, %v; %d stored of %d accepted", n, err, stored, st.Accepted)
	}
	if uint64(n) > stored {
		last, err := s.Packets(ctx, id, n-1, 1)
		if err != nil || len(last) != 1 || last[0].Kind != probe.EventSend || len(last[0].Bytes) != 1400 {
			t.Fatalf("row at position %d: %+v, %v", n-1, last, err)
		}
	}
}
