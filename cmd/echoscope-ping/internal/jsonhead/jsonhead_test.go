package jsonhead

import (
	"encoding/json"
	"testing"
	"time"
)

// The one-target, fping and trace modes all write their failure object through NewFailure:
// it must keep the field names and order docs/cli-json.md gives for schema 1.
func TestFailureEncodesAsTheSchemaSays(t *testing.T) {
	at := time.Date(2026, 12, 7, 16, 0, 0, 0, time.UTC)
	b, err := json.Marshal(NewFailure(at, "ping: unknown host", 2))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"schema":1,"type":"failure","time":"2026-12-07T16:00:00Z","error":"ping: unknown host","exit_code":2}`
	if string(b) != want {
		t.Fatalf("failure object\n got %s\nwant %s", b, want)
	}
}
