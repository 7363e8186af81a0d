package service

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"echoscope/backend/probe"
)

// An imported capture's chart is on the capture's own time line: each point at its
// request's capture time, in ms since the capture's first packet (not all at 0, as when
// the chart's zero was an engine send time imported rows do not have).
func TestImportedChartIsOnTheCaptureTimeLine(t *testing.T) {
	svc, _ := newServiceAt(t, t.TempDir())
	res, err := svc.importCaptureFrom(historyFixture("loopback.pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	view, err := svc.openNow(t, res.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	store, err := svc.history()
	if err != nil {
		t.Fatal(err)
	}
	id, _ := strconv.ParseInt(res.SessionID, 10, 64)
	rows, err := store.Packets(svc.ctx, id, 0, 100)
	if err != nil || len(rows) == 0 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	first := rows[0].Time.Time
	sentAt := map[uint64]time.Time{} // request number -> when the capture saw it leave
	for _, r := range rows {
		if r.Kind == probe.EventSend {
			sentAt[r.Index] = r.Time.Time
		}
	}
	if len(view.Points) != 10 {
		t.Fatalf("%d points", len(view.Points))
	}
	var last float64
	for _, pt := range view.Points {
		sent, ok := sentAt[pt.Index]
		if !ok {
			t.Fatalf("point %+v: no request %d", pt, pt.Index)
		}
		if want := ms(sent.Sub(first)); pt.T != want {
			t.Errorf("point of request %d at t=%v ms, want %v ms (its capture time since the first packet)", pt.Index, pt.T, want)
		}
		last = max(last, pt.T)
	}
	if last <= 0 {
		t.Fatalf("every point at t=0: %+v", view.Points)
	}
}

// The inspector's target of an imported reply is where its request went (several pings may
// share a capture, so the session has no one target): a reply from the address pinged
// reads as it does live.
func TestImportedReplyTargetIsItsRequestsDestination(t *testing.T) {
	svc, _ := newServiceAt(t, t.TempDir())
	res, err := svc.importCaptureFrom(historyFixture("loopback.pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	page, err := svc.Rows(res.SessionID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	families := map[int]int{}
	for _, r := range page.Rows {
		d, err := svc.Packet(res.SessionID, int(r.N))
		if err != nil {
			t.Fatal(err)
		}
		// IPv4 and IPv6 pings share this capture: each row is decoded in its own family.
		want := 4
		if strings.Contains(d.From, ":") {
			want = 6
		}
		if d.Family != want {
			t.Fatalf("row %d from %s: family %d, want %d", r.N, d.From, d.Family, want)
		}
		// Its bytes are as captured in the file, which the inspector names.
		if !d.Imported || d.CaptureFile != "loopback.pcapng" {
			t.Fatalf("row %d: imported %v, capture file %q", r.N, d.Imported, d.CaptureFile)
		}
		switch r.Kind {
		case "reply":
			if d.Target == "" || d.Target != d.From {
				t.Fatalf("reply row %d from %s: target %q, want the address pinged", r.N, d.From, d.Target)
			}
			families[d.Family]++
		case "send":
			if d.Target != d.To {
				t.Fatalf("request row %d to %s: target %q", r.N, d.To, d.Target)
			}
			// Every request of this capture was answered once: the request names its reply.
			if len(d.Answers) != 1 || d.Answers[0].Class != "on-time" || d.Answers[0].RTTMs == nil {
				t.Fatalf("request row %d: answers %+v, want its one reply", r.N, d.Answers)
			}
			if back, err := svc.Packet(res.SessionID, int(d.Answers[0].Row)); err != nil || back.RequestRow != r.N {
				t.Fatalf("reply row %d links back to %d, want %d (%v)", d.Answers[0].Row, back.RequestRow, r.N, err)
			}
		}
	}
	if families[4] == 0 || families[6] == 0 {
		t.Fatalf("replies inspected by family: %v, want IPv4 and IPv6", families)
	}
}
