package history

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"echoscope/backend/probe"
)

// Issue 12, point 4: a database from before the recorded form opens, its sessions keep their
// engine options (what the service derives the form from) and have no form; sessions begun
// after the upgrade keep theirs.
func TestUpgradeKeepsSessionsStoredBeforeTheRecordedForm(t *testing.T) {
	ctx := context.Background()
	db, path := databaseAtVersion(t, "before-form.db", stepOf(t, migrationRecordedForm))
	if _, err := db.ExecContext(ctx, `SELECT form_json FROM sessions`); err == nil {
		t.Fatal("the old schema already has form_json: the test proves nothing")
	}
	// The engine's options as the previous release stored them (BeginSession: probe.Options' JSON).
	old, err := json.Marshal(probe.Options{Target: "192.0.2.7", Count: 3, Interval: 150 * time.Millisecond,
		Size: 56, Pattern: []byte{0xff, 0}, TTL: 9, PMTU: probe.PMTUDo, Source: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO sessions(target, addr, engine, options_json, started_ns) VALUES ('old.example', '192.0.2.7', 'agent-raw', ?, 1000)`, string(old)); err != nil {
		t.Fatal(err)
	}
	s := openUpgraded(t, db, path)
	ss, err := s.Session(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if ss.Form != nil {
		t.Errorf("a session stored before the form has form %s, want none", ss.Form)
	}
	var opts probe.Options
	if err := json.Unmarshal(ss.Options, &opts); err != nil || opts.TTL != 9 || opts.PMTU != probe.PMTUDo || opts.Source != "192.0.2.1" || len(opts.Pattern) != 2 {
		t.Errorf("old options after the upgrade: %+v, %v", opts, err)
	}

	form := json.RawMessage(`{"target":"new.example","ttl":64,"dontFragment":true}`)
	id, err := s.BeginSession(ctx, SessionInfo{Target: "new.example", Addr: "192.0.2.8", Engine: "agent-raw",
		Options: probe.Options{Target: "192.0.2.8", TTL: 64}, Form: form, Started: time.Unix(2, 0)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Session(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Form) != string(form) {
		t.Errorf("form read back %s, want %s", got.Form, form)
	}
	list, err := s.ListSessions(ctx, SessionFilter{})
	if err != nil || len(list) != 2 || string(list[0].Form) != string(form) || list[1].Form != nil {
		t.Errorf("sessions list: %v; forms %v", err, list)
	}
}
