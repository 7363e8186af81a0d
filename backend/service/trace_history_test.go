//go:build linux

package service

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"echoscope/backend/history"
	"echoscope/backend/probe"
	"echoscope/backend/testnet"
)

// Issue 16, point 3 kept: a trace run from the Path view on the chain (three routers, the
// second rate-limiting) is stored as it runs; after the service is closed and a new one
// opened on the same data directory (the app restarted), History lists it as a trace with its
// hops, OpenTrace shows the same hops with the same figures and the same answers, each as the
// inspector showed it live (Time Exceeded quoting its probe, the destination's reply), and
// its form for "Trace again"; its packets export as pcapng and it deletes as a session does.
func TestTraceKeptInHistoryAndReopened(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for raw ICMP sockets")
	}
	dir := t.TempDir()
	first, _ := newServiceAt(t, dir)
	c := testnet.NewChainT(t, testnet.ChainConfig{Routers: 3, RateLimited: 2, ClientHere: true})
	req := TraceRequest{Target: c.TargetV4().String(), Rounds: 8, IntervalMs: 100, MaxHops: 10, TimeoutMs: 500}
	start, err := first.Trace(req)
	live, err := jobResult[TraceView](t, first, start, err)
	if err != nil {
		t.Fatal(err)
	}
	if live.TraceID == "" || live.SessionID == "" || live.HistoryError != "" || live.Stored || live.Request != req {
		t.Fatalf("live trace: id %q session %q history error %q stored %v request %+v", live.TraceID, live.SessionID, live.HistoryError, live.Stored, live.Request)
	}
	if len(live.Hops) != 4 || live.Hops[1].Received != testnet.ChainRateLimitBurst {
		t.Fatalf("live hops %+v", live.Hops)
	}
	ClosePingService(first)

	second, _ := newServiceAt(t, dir)
	list, err := second.Sessions("", 0)
	if err != nil || len(list) != 1 {
		t.Fatalf("sessions after restart: %+v %v", list, err)
	}
	s := list[0]
	if s.ID != live.SessionID || s.Kind != SessionKindTrace || s.TraceID != live.TraceID || s.TraceHops != 4 || s.Running || s.Interrupted ||
		s.Addr != c.TargetV4().String() || s.Packets == 0 {
		t.Fatalf("listed as %+v", s)
	}
	opened, err := second.openTraceNow(t, live.TraceID)
	if err != nil {
		t.Fatal(err)
	}
	if !opened.Stored || opened.Interrupted || opened.Request != req || opened.TraceID != live.TraceID || opened.SessionID != live.SessionID ||
		opened.Target != live.Target || opened.Addr != live.Addr || opened.Engine != live.Engine || opened.Rounds != live.Rounds ||
		opened.DestinationHop != live.DestinationHop || opened.EndedAt == "" {
		t.Fatalf("reopened %+v\nlive %+v", opened, live)
	}
	if len(opened.Hops) != len(live.Hops) {
		t.Fatalf("%d hops reopened, %d live", len(opened.Hops), len(live.Hops))
	}
	for i := range live.Hops {
		lh, oh := live.Hops[i], opened.Hops[i]
		if !reflect.DeepEqual(lh, oh) {
			t.Errorf("hop %d reopened differs from live:\nlive     %+v\nreopened %+v", i+1, withoutAnswers(lh), withoutAnswers(oh))
			for k := range min(len(lh.Answers), len(oh.Answers)) {
				if !reflect.DeepEqual(lh.Answers[k], oh.Answers[k]) {
					t.Errorf("answer %d:\nlive     %+v\nreopened %+v", k, lh.Answers[k], oh.Answers[k])
					break
				}
			}
		}
	}
	if len(opened.Hops[0].Answers) == 0 || !strings.Contains(opened.Hops[0].Answers[0].Detail.Note, "sent with TTL 1") {
		t.Errorf("hop 1's answers %+v", opened.Hops[0].Answers)
	}

	// Its packets: every probe (8 rounds x 4 hops, the first round maybe past the destination),
	// every answer; exported as pcapng like a session's.
	pcap := filepath.Join(t.TempDir(), "trace.pcapng")
	exporter := newServiceWithDialogs(t, dir, &fakeDialogs{savePath: pcap})
	res, err := exporter.exportNow(t, live.SessionID, "pcapng")
	if err != nil || res.Packets < 32+8*3+testnet.ChainRateLimitBurst {
		t.Fatalf("export %+v %v", res, err)
	}
	out := tshark(t, "-r", pcap, "-Y", "icmp.type == 11", "-T", "fields", "-e", "ip.src")
	if n := strings.Count(out, "\n"); n < 8*2+testnet.ChainRateLimitBurst {
		t.Errorf("%d Time Exceeded messages in the export, want at least %d:\n%s", n, 8*2+testnet.ChainRateLimitBurst, out)
	}
	ClosePingService(exporter)

	if err := second.deleteNow(t, live.SessionID); err != nil {
		t.Fatal(err)
	}
	if _, err := second.OpenTrace(live.TraceID); !errors.Is(err, ErrUnknownTrace) {
		t.Errorf("open a deleted trace: %v, want ErrUnknownTrace", err)
	}
}

// A trace the app never finished (it stopped, or was killed, mid-run) lists as interrupted and
// reopens with what was stored: its figures so far and the answers among its packets.
func TestInterruptedTraceReopensWithWhatWasStored(t *testing.T) {
	dir := t.TempDir()
	st, err := history.OpenWith(history.OpenOptions{Path: filepath.Join(dir, history.DatabaseFile)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tid, sid, err := st.BeginTrace(ctx, history.TraceInfo{Target: "192.0.2.9", Engine: "in-process-raw",
		Options: probe.TraceOptions{Target: "192.0.2.9", Rounds: 50}, Form: []byte(`{"target":"192.0.2.9","rounds":50,"intervalMs":0,"maxHops":0,"timeoutMs":0,"reverseDns":false}`)})
	if err != nil {
		t.Fatal(err)
	}
	figures := history.TraceFigures{Addr: "192.0.2.9", Rounds: 2, DestinationHop: 1,
		Hops: []probe.TraceHop{{TTL: 1, Sent: 2, Received: 2, Last: 20 * time.Microsecond, Avg: 20 * time.Microsecond}}}
	if err := st.StoreTraceFigures(ctx, tid, figures); err != nil {
		t.Fatal(err)
	}
	st.Close()

	svc, _ := newServiceAt(t, dir)
	list, err := svc.Sessions("", 0)
	if err != nil || len(list) != 1 || list[0].Kind != SessionKindTrace || !list[0].Interrupted || list[0].TraceHops != 1 || list[0].ID != strconv.FormatInt(sid, 10) {
		t.Fatalf("listed %+v %v", list, err)
	}
	v, err := svc.openTraceNow(t, list[0].TraceID)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Interrupted || v.EndedAt != "" || v.Rounds != 2 || len(v.Hops) != 1 || v.Hops[0].AvgMs == nil || *v.Hops[0].AvgMs != 0.02 ||
		v.Request.Rounds != 50 || v.Request.Target != "192.0.2.9" {
		t.Fatalf("reopened %+v", v)
	}
}

func (s *PingService) openTraceNow(t testing.TB, traceID string) (TraceView, error) {
	t.Helper()
	start, err := s.OpenTrace(traceID)
	return jobResult[TraceView](t, s, start, err)
}

func withoutAnswers(h TraceHopView) TraceHopView {
	h.Answers = nil
	return h
}

// While a trace runs it is listed as running (not interrupted) and cannot be deleted, and its
// figures reach the store round by round (at most once a second, off the probes' goroutine),
// so a trace the app loses mid-run keeps them; stopped, it is stored ended with the rounds
// its result has.
func TestRunningTraceStoresItsFiguresAsItGoes(t *testing.T) {
	svc, _ := newTestService(t)
	c := testnet.NewChainT(t, testnet.ChainConfig{Routers: 2, ClientHere: true})
	start, err := svc.Trace(TraceRequest{Target: c.TargetV4().String(), Rounds: 500, IntervalMs: 50, MaxHops: 10, TimeoutMs: 500})
	if err != nil {
		t.Fatal(err)
	}
	store, err := svc.history()
	if err != nil {
		t.Fatal(err)
	}
	var listed SessionSummary
	var stored history.Trace
	deadline := time.Now().Add(60 * time.Second) // a failure deadline, not a timing assertion
	for {
		if time.Now().After(deadline) {
			t.Fatalf("no running trace with stored figures: listed %+v, stored %+v", listed, stored)
		}
		time.Sleep(50 * time.Millisecond)
		list, err := svc.Sessions("", 0)
		if err != nil || len(list) != 1 {
			continue
		}
		listed = list[0]
		id, _ := strconv.ParseInt(listed.TraceID, 10, 64)
		if stored, err = store.Trace(context.Background(), id); err == nil && stored.Rounds >= 2 && len(stored.Hops) == 3 {
			break
		}
	}
	if !listed.Running || listed.Interrupted || listed.Kind != SessionKindTrace || !stored.Ended.IsZero() || stored.Hops[0].Sent < 2 {
		t.Fatalf("while running: listed %+v, stored %+v", listed, stored)
	}
	if _, err := svc.DeleteSession(listed.ID); !errors.Is(err, ErrSessionRunning) {
		t.Fatalf("deleting a running trace: %v, want ErrSessionRunning", err)
	}
	if err := svc.CancelJob(start.JobID); err != nil {
		t.Fatal(err)
	}
	v, err := jobResult[TraceView](t, svc, start, nil)
	if err != nil {
		t.Fatal(err)
	}
	if v.Rounds >= 500 || v.Rounds < stored.Rounds || v.TraceID != listed.TraceID {
		t.Fatalf("stopped after %d rounds (stored %d while running), trace %q listed %q", v.Rounds, stored.Rounds, v.TraceID, listed.TraceID)
	}
	final, err := store.Trace(context.Background(), stored.ID)
	if err != nil || final.Ended.IsZero() || final.Rounds != v.Rounds || final.Hops[2].Received != v.Hops[2].Received {
		t.Fatalf("stored after the stop: %+v %v (view: %d rounds)", final, err, v.Rounds)
	}
	if list, _ := svc.Sessions("", 0); len(list) != 1 || list[0].Running || list[0].Interrupted {
		t.Errorf("listed after the stop: %+v", list)
	}
}
