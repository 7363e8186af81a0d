package service

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// dropRecorder keeps the DropResults a service emits.
type dropRecorder struct {
	mu      sync.Mutex
	results []DropResult
}

func (r *dropRecorder) Emit(name EventName, payload any) {
	if d, ok := payload.(DropResult); ok && name == EventCaptureDropped {
		r.mu.Lock()
		r.results = append(r.results, d)
		r.mu.Unlock()
	}
}

// Files dropped on the window: a capture is imported as a session, anything else refused by
// name, and a broken capture says why; each gets its own result.
func TestImportDropped(t *testing.T) {
	rec := &dropRecorder{}
	svc := NewPingService(PingConfig{Emitter: rec, OpenStore: storeIn(t.TempDir())})
	t.Cleanup(func() { ClosePingService(svc) })
	notes := filepath.Join(t.TempDir(), "notes.txt")
	svc.importDropped([]string{historyFixture("loopback.pcapng"), notes, filepath.Join(t.TempDir(), "missing.pcap")})
	if len(rec.results) != 3 {
		t.Fatalf("results %+v", rec.results)
	}
	ok := rec.results[0]
	if ok.Name != "loopback.pcapng" || ok.Error != "" || ok.Result.SessionID == "" || ok.Result.Packets == 0 {
		t.Fatalf("capture: %+v", ok)
	}
	sessions, err := svc.Sessions("", 0)
	if err != nil || len(sessions) != 1 || sessions[0].ID != ok.Result.SessionID {
		t.Fatalf("sessions after the drop: %+v, %v", sessions, err)
	}
	if r := rec.results[1]; r.Name != "notes.txt" || r.Error != "notes.txt is not a capture: drop a .pcap or .pcapng file" {
		t.Errorf("text file: %+v", r)
	}
	if r := rec.results[2]; r.Name != "missing.pcap" || r.Error == "" || strings.Contains(r.Error, "not a capture") {
		t.Errorf("missing file: %+v", r)
	}
}
