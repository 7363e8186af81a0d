package service

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"echoscope/backend/agent"
)

// captureLog sends slog's default logger to a buffer for the test's duration.
func captureLog(t *testing.T) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	return &buf
}

// The packaged-app test (scripts/test-dist.sh) reads this line from a desktop launch to know
// the helper with raw sockets was chosen; it must name the kind and the helper's path.
func TestEngineChoiceIsLogged(t *testing.T) {
	buf := captureLog(t)
	m := &engineManager{emitter: newRecorder(), ctx: context.Background(),
		selectEngine: func(context.Context) (agent.Engine, agent.Choice, error) {
			return nil, agent.Choice{Kind: agent.EngineAgentRaw, HelperPath: "/usr/bin/echoscope-ping",
				Reason: "the helper has raw sockets"}, nil
		}}
	m.get()
	line := buf.String()
	for _, want := range []string{`msg="ping engine selected"`, "kind=agent-raw", "helper=/usr/bin/echoscope-ping"} {
		if !strings.Contains(line, want) {
			t.Errorf("log %q lacks %q", line, want)
		}
	}
}

func TestNoEngineIsLoggedWithTheFix(t *testing.T) {
	buf := captureLog(t)
	m := &engineManager{emitter: newRecorder(), ctx: context.Background(),
		selectEngine: func(context.Context) (agent.Engine, agent.Choice, error) {
			return nil, agent.Choice{Tried: []string{"helper: not found"}}, errors.New("datagram sockets refused")
		}}
	if _, _, err := m.get(); err == nil {
		t.Fatal("get succeeded without an engine")
	}
	line := buf.String()
	for _, want := range []string{"level=WARN", `msg="no ping engine"`, "datagram sockets refused", "helper: not found"} {
		if !strings.Contains(line, want) {
			t.Errorf("log %q lacks %q", line, want)
		}
	}
}
