package history

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"echoscope/backend/probe"
)

// traceCrashChildEnv carries the database path to the re-executed test binary.
const traceCrashChildEnv = "ECHOSCOPE_HISTORY_TRACE_CRASH_CHILD"

// TestTraceCrashChild is the child of TestTraceKilledMidRunKeepsWhatWasStored: it stores two
// rounds of a trace (packets through a Writer, then the figures), says "stored", and goes on
// as a running trace would until it is killed.
func TestTraceCrashChild(t *testing.T) {
	s, err := OpenWith(OpenOptions{Path: crashChildDB(t, traceCrashChildEnv, "TestTraceKilledMidRunKeepsWhatWasStored")})
	if err != nil {
		childFail(err)
	}
	ctx := context.Background()
	tid, sid, err := s.BeginTrace(ctx, TraceInfo{Target: "dest.example", Engine: "in-process-raw", Options: probe.TraceOptions{Target: "dest.example", Rounds: 100}})
	if err != nil {
		childFail(err)
	}
	w := s.NewWriter(WriterOptions{})
	for _, ev := range tracePath(t, 2, time.Unix(2000, 0)) {
		w.Add(sid, ev)
	}
	if err := w.Flush(ctx); err != nil {
		childFail(err)
	}
	if err := s.StoreTraceFigures(ctx, tid, traceFiguresOf(2)); err != nil {
		childFail(err)
	}
	fmt.Printf("stored %d\n", tid)
	time.Sleep(time.Minute) // a trace still running, until killed
	os.Exit(3)
}

// A trace whose process is killed (SIGKILL) mid-run keeps what was stored: the database is
// intact, the trace reads back with no end, its figures so far and its answers.
func TestTraceKilledMidRunKeepsWhatWasStored(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trace-crash.db")
	child := startCrashChild(t, "TestTraceCrashChild", traceCrashChildEnv, path)
	var tid int64
	sc := child.lines
	for sc.Scan() {
		if _, err := fmt.Sscanf(sc.Text(), "stored %d", &tid); err == nil {
			break
		}
		if strings.HasPrefix(sc.Text(), "error") {
			t.Fatalf("child: %s", sc.Text())
		}
	}
	if tid == 0 {
		t.Fatal("the child ended before it stored the trace")
	}
	child.kill(t)
	child.waitKilled(t, fmt.Sprintf("trace %d stored", tid))
	s, err := OpenWith(OpenOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	tr, err := s.Trace(ctx, tid)
	if err != nil {
		t.Fatal(err)
	}
	want := traceFiguresOf(2)
	if !tr.Ended.IsZero() || tr.Rounds != 2 || len(tr.Hops) != 3 || tr.Hops[1].Received != want.Hops[1].Received ||
		!tr.Hops[1].RateLimited || tr.Packets != int64(len(tracePath(t, 2, time.Unix(2000, 0)))) {
		t.Fatalf("after the kill: %+v", tr)
	}
	answers, err := s.TraceAnswers(ctx, tr.SessionID, 10)
	if err != nil || len(answers[1]) != 2 || len(answers[2]) != 1 || len(answers[3]) != 2 {
		t.Fatalf("answers after the kill: %+v %v", answers, err)
	}
}
