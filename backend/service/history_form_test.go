package service

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"echoscope/backend/history"
	"echoscope/backend/probe"
)

// Issue 12, point 4: a reopened session offers "Ping again" with every option it ran with,
// not only count, interval, timeout, size and family. The form is recorded with the session,
// comes back from a new PingService on the same data directory, and starting with it
// records the same form again.
func TestReopenedSessionGivesBackEveryOptionItRanWith(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for raw ICMP sockets")
	}
	dir := t.TempDir()
	first, rec := newServiceAt(t, dir)
	req := PingRequest{Target: " 127.0.0.1 ", Count: 2, IntervalMs: 20, TimeoutMs: 700, Size: 24, SizeSet: true,
		Pattern: " ff 00 ", TTL: 9, DontFragment: true, Family: 4, Source: "127.0.0.1"}
	want := req
	want.Target, want.Pattern = "127.0.0.1", "ff 00" // trimmed, as Start reads them
	live, err := first.Start(req)
	if err != nil {
		t.Fatal(err)
	}
	waitEnded(t, rec)
	if live.Request != want {
		t.Errorf("Start's description has options %+v, want %+v", live.Request, want)
	}
	ClosePingService(first)

	second, rec2 := newServiceAt(t, dir)
	view, err := second.openNow(t, live.ID)
	if err != nil {
		t.Fatal(err)
	}
	if view.Info.Request != want {
		t.Fatalf("reopened after a restart with options %+v, want %+v", view.Info.Request, want)
	}
	again, err := second.Start(view.Info.Request)
	if err != nil {
		t.Fatal(err)
	}
	waitEnded(t, rec2)
	againView, err := second.openNow(t, again.ID)
	if err != nil || againView.Info.Request != want {
		t.Fatalf("pinged again with %+v (%v), want %+v", againView.Info.Request, err, want)
	}
	// And the engine ran with them: the options history kept for the engine say so too.
	id, store, _, err := second.storeFor(again.ID)
	if err != nil {
		t.Fatal(err)
	}
	ss, err := second.storedSession(store, id)
	if err != nil {
		t.Fatal(err)
	}
	var opts probe.Options
	if err := json.Unmarshal(ss.Options, &opts); err != nil {
		t.Fatal(err)
	}
	if opts.TTL != 9 || opts.PMTU != probe.PMTUDo || opts.Source != "127.0.0.1" || string(opts.Pattern) != "\xff\x00" ||
		opts.Size != 24 || opts.Family != probe.Family4 || opts.Count != 2 || opts.Interval != 20*time.Millisecond {
		t.Errorf("engine options of the second run: %+v", opts)
	}
}

// Sessions stored before the form was recorded (schema v3) still give every option back:
// the form is made from the engine options history kept. A recorded form wins over them.
func TestSessionsWithoutARecordedFormDeriveItFromTheEngineOptions(t *testing.T) {
	opts, err := json.Marshal(probe.Options{Target: "192.0.2.7", Family: probe.Family6, Count: 3,
		Interval: 150 * time.Millisecond, Timeout: 900 * time.Millisecond, Size: 100, SizeSet: true,
		Pattern: []byte{0xab, 0xcd}, TTL: 12, PMTU: probe.PMTUDo, Source: "2001:db8::1"})
	if err != nil {
		t.Fatal(err)
	}
	old := history.Session{ID: 4, Target: "old.example", Addr: "2001:db8::7", Engine: "agent-raw", Options: opts}
	want := PingRequest{Target: "old.example", Count: 3, IntervalMs: 150, TimeoutMs: 900, Size: 100, SizeSet: true,
		Pattern: "abcd", TTL: 12, DontFragment: true, Family: 6, Source: "2001:db8::1"}
	if got := storedSessionInfo(old).Request; got != want {
		t.Errorf("derived form %+v, want %+v", got, want)
	}
	// Defaults: an old session started with an empty form (engine options all zero).
	bare := history.Session{Target: "bare.example", Options: json.RawMessage(`{"target":"192.0.2.9"}`)}
	if got := storedSessionInfo(bare).Request; got.IntervalMs != 1000 || got.TimeoutMs <= 0 || got.Size != 56 || got.Family != 0 || got.DontFragment {
		t.Errorf("form derived from default options: %+v", got)
	}

	recorded := want
	recorded.Target, recorded.Pattern, recorded.IntervalMs = "typed.example", "ab cd", 150.5
	form, err := json.Marshal(recorded)
	if err != nil {
		t.Fatal(err)
	}
	old.Form = form
	if got := storedSessionInfo(old).Request; got != recorded {
		t.Errorf("with a recorded form: %+v, want %+v", got, recorded)
	}
}
