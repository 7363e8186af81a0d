package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"echoscope/backend/history"
)

func TestSeedCommandWritesAReopenableSession(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if err := run([]string{"-dir", dir, "-packets", "500", "-loss-every", "10"}, &out, &errOut); err != nil {
		t.Fatalf("run: %v (%s)", err, errOut.String())
	}
	var res struct {
		SessionID int64  `json:"sessionId"`
		Rows      int64  `json:"rows"`
		Path      string `json:"path"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("output %q: %v", out.String(), err)
	}
	if res.Rows != 500 || res.Path != filepath.Join(dir, history.DatabaseFile) || res.SessionID <= 0 {
		t.Fatalf("result %+v", res)
	}
	// The app opens the same file through ECHOSCOPE_DATA_DIR.
	t.Setenv(history.DataDirEnv, dir)
	st, err := history.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ss, err := st.Session(context.Background(), res.SessionID)
	if err != nil || ss.Packets != 500 || ss.Stats == nil || ss.Stats.Sent != 250 || ss.Stats.Lost != 25 {
		t.Fatalf("reopened %+v %v", ss, err)
	}
}

func TestSeedCommandNeedsADirectory(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run([]string{"-packets", "10"}, &out, &errOut); err == nil || out.Len() != 0 {
		t.Fatalf("run without -dir: %v, printed %q", err, out.String())
	}
}
