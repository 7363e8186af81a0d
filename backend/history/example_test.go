package history_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"echoscope/backend/history"
	"echoscope/backend/probe"
)

// A live session: store it, hand the engine the writer's handler, finish with the summary.
func Example() {
	dir, _ := os.MkdirTemp("", "echoscope-example")
	defer os.RemoveAll(dir)
	store, err := history.OpenWith(history.OpenOptions{Path: filepath.Join(dir, history.DatabaseFile)})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	ctx := context.Background()

	opts := probe.Options{Target: "127.0.0.1", Count: 2}
	id, _ := store.BeginSession(ctx, history.SessionInfo{Target: opts.Target, Engine: "raw", Options: opts})
	w := store.NewWriter(history.WriterOptions{OnError: func(err error) { fmt.Println("history:", err) }})

	// In the app: probe.NewSession(opts, policy, w.Handler(id)). Here, two events by hand.
	handler := w.Handler(id)
	now := time.Now()
	handler(probe.Event{Kind: probe.EventSend, Seq: 1, Sent: probe.Timestamp{Time: now, Clock: probe.ClockUser}})
	handler(probe.Event{Kind: probe.EventReply, Class: probe.ClassOnTime, Seq: 1,
		Received: probe.Timestamp{Time: now.Add(time.Millisecond), Clock: probe.ClockUser}, RTT: time.Millisecond})

	w.Close()
	store.FinishSession(ctx, id, probe.Summary{Stats: probe.Stats{Sent: 1, Received: 1, P50: time.Millisecond}})

	sessions, _ := store.ListSessions(ctx, history.SessionFilter{Search: "127.0"})
	page, _ := store.Packets(ctx, id, 0, 100)
	fmt.Println(sessions[0].Target, sessions[0].Packets, sessions[0].MedianRTT)
	for _, p := range page {
		fmt.Printf("%d %s %q\n", p.N, p.Kind, p.Class)
	}
	// Output:
	// 127.0.0.1 2 1ms
	// 0 send ""
	// 1 reply "on-time"
}
