package service

import (
	"context"
	"errors"
	"strings"
	"testing"

	"echoscope/backend/agent"
	"echoscope/backend/history"
)

// The in-memory fallback is bounded: a run that stores more rows than MemoryRows keeps the
// newest (the end of the session pages and inspects), forgets the oldest, and the status
// (the banner) says older rows of this run are being forgotten.
func TestInMemoryFallbackForgetsTheOldestRows(t *testing.T) {
	const bound = 60
	rec := newRecorder()
	svc := NewPingService(PingConfig{Emitter: rec, MemoryRows: bound,
		OpenStore: func() (*history.Store, error) {
			return nil, errors.New("open history: " + history.ErrReadOnly.Error())
		},
		Select: func(ctx context.Context) (agent.Engine, agent.Choice, error) {
			return agent.Select(ctx, agent.SelectConfig{HelperPath: "-"})
		}})
	t.Cleanup(func() { ClosePingService(svc) })
	sess, err := svc.Start(PingRequest{Target: "127.0.0.1", Count: 200, IntervalMs: 2, TimeoutMs: 1000})
	if err != nil {
		t.Skipf("cannot ping loopback here: %v", err)
	}
	end := waitEnded(t, rec)
	if end.Stats == nil || end.Stats.Sent != 200 || end.TotalRows < 400 {
		t.Fatalf("ended %+v", end)
	}
	page, err := svc.Rows(sess.ID, 0, MaxPageRows)
	if err != nil {
		t.Fatal(err)
	}
	// At most the bound plus what one trim step lets through before the next trim.
	if most := bound + bound/memoryTrimFraction; len(page.Rows) > most || len(page.Rows) < bound {
		t.Fatalf("%d rows kept in memory, want %d..%d", len(page.Rows), bound, most)
	}
	last := page.Rows[len(page.Rows)-1]
	if page.TotalRows != end.TotalRows || last.N != end.TotalRows-1 {
		t.Fatalf("the newest rows must stay: page of %d ends at n=%d, session has %d", page.TotalRows, last.N, end.TotalRows)
	}
	if page.Rows[0].N < end.TotalRows-int64(len(page.Rows)) {
		t.Fatalf("kept rows start at n=%d: not the newest", page.Rows[0].N)
	}
	if _, err := svc.Packet(sess.ID, int(last.N)); err != nil {
		t.Fatalf("the newest row inspects: %v", err)
	}
	if _, err := svc.openNow(t, sess.ID); err != nil {
		t.Fatalf("open after forgetting: %v", err)
	}
	st, _ := svc.StorageStatus()
	if !st.InMemory || !strings.Contains(st.Error, "older rows of this run are being forgotten") ||
		!strings.Contains(st.Error, "kept in memory") {
		t.Fatalf("status %+v", st)
	}
	events := rec.storageEvents()
	if len(events) != 2 || strings.Contains(events[0].Error, "forgotten") || events[1] != st {
		t.Fatalf("history:status events %+v: want the fallback, then once the forgetting", events)
	}
}
