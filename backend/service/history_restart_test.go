package service

import (
	"errors"
	"os"
	"reflect"
	"testing"
	"time"
)

// Restarting the app shows earlier sessions, complete, in the same views: a session pinged
// by one PingService reads, from a new PingService on the same data directory, exactly as
// it did from the first (rows, inspector, statistics, description).
func TestRestartShowsEarlierSessionsAsTheyWere(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for raw ICMP sockets")
	}
	dir := t.TempDir()
	first, rec := newServiceAt(t, dir)

	// While it runs: listed as running, opens as running, cannot be deleted.
	live, err := first.Start(PingRequest{Target: "127.0.0.1", IntervalMs: 5, TimeoutMs: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for len(rec.snapshot()) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	list, err := first.Sessions("", 0)
	if err != nil || len(list) != 1 || !list[0].Running || list[0].Interrupted || list[0].EndedAt != "" {
		t.Fatalf("running session listed as %+v, %v", list, err)
	}
	view, err := first.openNow(t, live.ID)
	if err != nil || !view.Running || view.Info.ID != live.ID || view.Info.Socket != "raw" {
		t.Fatalf("open while running: %+v, %v", view, err)
	}
	if err := first.deleteNow(t, live.ID); !errors.Is(err, ErrSessionRunning) {
		t.Fatalf("DeleteSession(running) = %v, want ErrSessionRunning", err)
	}
	if err := first.Stop(live.ID); err != nil {
		t.Fatal(err)
	}
	waitEnded(t, rec)

	sess, err := first.Start(PingRequest{Target: "127.0.0.1", Count: 20, IntervalMs: 5, TimeoutMs: 1000})
	if err != nil {
		t.Fatal(err)
	}
	end := waitEnded(t, rec)
	before := readWholeSession(t, first, sess.ID, end.TotalRows)
	beforeView, err := first.openNow(t, sess.ID)
	if err != nil || beforeView.Running || beforeView.Stats == nil || beforeView.Stats.Sent != 20 {
		t.Fatalf("open after the end: %+v, %v", beforeView, err)
	}
	ClosePingService(first)

	second, _ := newServiceAt(t, dir)
	list, err = second.Sessions("", 0)
	if err != nil || len(list) != 2 || list[0].ID != sess.ID || list[0].Running || list[0].Interrupted ||
		list[0].Sent != 20 || list[0].Packets != end.TotalRows || list[0].Engine != sess.Engine {
		t.Fatalf("after restart: %+v, %v", list, err)
	}
	after := readWholeSession(t, second, sess.ID, end.TotalRows)
	if !reflect.DeepEqual(before, after) {
		t.Fatal("rows or packet details differ after the restart")
	}
	afterView, err := second.openNow(t, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(beforeView, afterView) {
		t.Fatalf("view before restart %+v\nafter %+v", beforeView, afterView)
	}
	want := sess
	want.EndedAt = afterView.Info.EndedAt
	if afterView.Info != want || want.EndedAt == "" {
		t.Fatalf("reopened info %+v, live it was %+v", afterView.Info, sess)
	}
	replies := 0
	for _, p := range afterView.Points {
		if p.Mark == MarkReply {
			replies++
		}
	}
	// Loopback is shared with other processes' pings (foreign rows, the odd loss under load):
	// what matters is that the chart shows every reply the statistics count.
	if uint64(replies) != afterView.Stats.Received || replies == 0 {
		t.Fatalf("reopened chart has %d replies, stats %+v", replies, afterView.Stats)
	}
}

type wholeSession struct {
	rows    []Row
	details []PacketDetail
}

func readWholeSession(t *testing.T, svc *PingService, id string, total int64) wholeSession {
	t.Helper()
	var w wholeSession
	for int64(len(w.rows)) < total {
		page, err := svc.Rows(id, len(w.rows), MaxPageRows)
		if err != nil || len(page.Rows) == 0 || page.TotalRows != total {
			t.Fatalf("Rows(%s, %d) = %+v, %v", id, len(w.rows), page, err)
		}
		w.rows = append(w.rows, page.Rows...)
	}
	foreign := 0
	for _, r := range w.rows {
		if r.Class == "foreign" {
			// Other processes' pings on loopback: a sample is enough.
			if foreign++; foreign > 50 {
				continue
			}
		}
		d, err := svc.Packet(id, int(r.N))
		if err != nil {
			t.Fatal(err)
		}
		w.details = append(w.details, d)
	}
	return w
}
