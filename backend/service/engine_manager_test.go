package service

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"echoscope/backend/agent"
	"echoscope/internal/testbin"
)

// helperPIDs lists the processes running the executable at path (the helpers this test spawned).
func helperPIDs(t *testing.T, path string) []int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); err == nil && exe == path {
			pids = append(pids, pid)
		}
	}
	return pids
}

func TestEngineManagerReportsAndRestartsADeadHelper(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: the helper must have raw sockets to be chosen")
	}
	dir := t.TempDir()
	helper, err := testbin.BuildEchoscopePing(dir, agent.HelperName())
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder()
	ctx, cancel := context.WithCancel(context.Background())
	m := &engineManager{emitter: rec, ctx: ctx, selectEngine: func(ctx context.Context) (agent.Engine, agent.Choice, error) {
		return agent.Select(ctx, agent.SelectConfig{HelperPath: helper})
	}}
	t.Cleanup(func() { cancel(); m.close() })

	_, info, err := m.get()
	if err != nil || info.Kind != string(agent.EngineAgentRaw) || !info.Best || info.Upgrade != "" {
		t.Fatalf("engine %+v, %v; want the helper with raw sockets", info, err)
	}
	pids := helperPIDs(t, helper)
	if len(pids) != 1 {
		t.Fatalf("helper processes %v, want 1", pids)
	}
	p, err := os.FindProcess(pids[0])
	if err == nil {
		err = p.Kill()
	}
	if err != nil {
		t.Fatalf("kill helper %d: %v", pids[0], err)
	}
	deadline := time.Now().Add(60 * time.Second) // a failure deadline, not a timing assertion
	for {
		rec.mu.Lock()
		got := append([]EngineStatus(nil), rec.status...)
		rec.mu.Unlock()
		if len(got) >= 2 {
			if got[0].State != "died" || got[0].Message == "" || got[1].State != "restarted" || got[1].Engine.Kind != string(agent.EngineAgentRaw) {
				t.Fatalf("statuses %+v, want died then restarted with the helper", got)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("statuses %+v after killing the helper", got)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, info, err := m.get(); err != nil || info.Kind != string(agent.EngineAgentRaw) {
		t.Fatalf("after the restart: %+v, %v", info, err)
	}
	if pids := helperPIDs(t, helper); len(pids) != 1 {
		t.Fatalf("helper processes after the restart %v, want 1", pids)
	}
}
