//go:build linux

// Command guisession runs one ping session the way the GUI does, without a window: the
// PingService of backend/service with the echoscope-ping helper as its engine (agent raw),
// a history store in a temporary directory, and an emitter that JSON-encodes every frame as
// the Wails runtime does before handing it to the webview. It is the "GUI path" of the
// send-gap benchmark (scripts/bench.sh gap): the requests' send times are taken from a
// capture of the wire by the script, this command only drives the session and prints one
// JSON line: the identifier on the wire, the engine, and the session's final statistics
// (including SendsLate, the engine's own count of slipped sends).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"echoscope/backend/agent"
	"echoscope/backend/history"
	"echoscope/backend/service"
)

// frameSink stands for the page: it encodes every frame (what the Wails runtime does with
// an event payload) and remembers the wire identifier of the session's first request.
type frameSink struct {
	mu     sync.Mutex
	frames int
	bytes  int
	id     uint16
	haveID bool
	ended  chan service.Ended
}

func (s *frameSink) Emit(name service.EventName, payload any) {
	b, _ := json.Marshal(payload)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch p := payload.(type) {
	case service.Frame:
		s.frames++
		s.bytes += len(b)
		for _, r := range p.Rows {
			if !s.haveID && r.Kind == "send" {
				s.id, s.haveID = r.ID, true
			}
		}
	case service.Ended:
		s.ended <- p
	}
}

type result struct {
	Engine      string             `json:"engine"`
	Identifier  uint16             `json:"identifier"`
	Frames      int                `json:"frames"`
	FrameBytes  int                `json:"frameBytes"`
	Reason      string             `json:"reason"`
	Error       string             `json:"error,omitempty"`
	Stats       *service.StatsView `json:"stats"`
	AskedPerSec float64            `json:"askedPerSec"`
}

func main() {
	helper := flag.String("helper", "", "echoscope-ping to run as the agent (required)")
	target := flag.String("target", "", "address to ping (required)")
	interval := flag.Duration("interval", 10*time.Millisecond, "request interval")
	duration := flag.Duration("duration", 60*time.Second, "how long the session runs before Stop")
	flag.Parse()
	if *helper == "" || *target == "" {
		fmt.Fprintln(os.Stderr, "guisession: -helper and -target are required")
		os.Exit(2)
	}
	dir, err := os.MkdirTemp("", "echoscope-guisession-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	sink := &frameSink{ended: make(chan service.Ended, 1)}
	svc := service.NewPingService(service.PingConfig{
		Emitter: sink,
		OpenStore: func() (*history.Store, error) {
			return history.OpenWith(history.OpenOptions{Path: filepath.Join(dir, history.DatabaseFile)})
		},
		Select: func(ctx context.Context) (agent.Engine, agent.Choice, error) {
			return agent.Select(ctx, agent.SelectConfig{HelperPath: *helper})
		},
	})
	defer service.ClosePingService(svc)
	eng, _ := svc.Engine()
	if eng.Kind != string(agent.EngineAgentRaw) {
		fail(fmt.Errorf("the helper did not give raw sockets: engine %q (%s)", eng.Kind, eng.Reason))
	}
	info, err := svc.Start(service.PingRequest{Target: *target, IntervalMs: float64(*interval) / float64(time.Millisecond)})
	if err != nil {
		fail(err)
	}
	time.Sleep(*duration)
	if err := svc.Stop(info.ID); err != nil {
		fail(err)
	}
	var end service.Ended
	select {
	case end = <-sink.ended:
	case <-time.After(60 * time.Second):
		fail(fmt.Errorf("no ping:ended within 60 s of Stop"))
	}
	sink.mu.Lock()
	res := result{Engine: eng.Kind, Identifier: sink.id, Frames: sink.frames, FrameBytes: sink.bytes,
		Reason: end.Reason, Error: end.Error, Stats: end.Stats, AskedPerSec: float64(time.Second) / float64(*interval)}
	sink.mu.Unlock()
	if !sink.haveID {
		fail(fmt.Errorf("no request row reached the frames"))
	}
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "guisession:", err)
	os.Exit(1)
}
