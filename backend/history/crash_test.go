package history

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"echoscope/backend/wire"
)

// crashChildEnv carries the database path to the re-executed test binary.
const crashChildEnv = "ECHOSCOPE_HISTORY_CRASH_CHILD"

// TestCrashChild is the child of TestCrashSafety: it stores 1000 events per second
// through a Writer and prints "added N" and "committed N" lines until it is killed.
func TestCrashChild(t *testing.T) {
	s, err := OpenWith(OpenOptions{Path: crashChildDB(t, crashChildEnv, "TestCrashSafety")})
	if err != nil {
		childFail(err)
	}
	id := beginTest(t, s, "crash", time.Now())
	out := bufio.NewWriter(os.Stdout)
	lines := make(chan string, 4096)
	go func() { // one goroutine owns stdout; each line is flushed, so the parent sees it
		for l := range lines {
			out.WriteString(l)
			out.Flush()
		}
	}()
	w := s.NewWriter(WriterOptions{OnCommit: func(n uint64) { lines <- fmt.Sprintf("committed %d\n", n) }})
	lines <- fmt.Sprintf("session %d\n", id)
	send, _ := echoPair(t, wire.IPv4, 0, time.Now())
	tick := time.NewTicker(time.Millisecond)
	for i := 0; i < 60_000; i++ { // a minute at most, if nobody kills us
		<-tick.C
		ev := send
		ev.Seq, ev.Index = uint16(i), uint64(i+1)
		if !w.Add(id, ev) {
			lines <- "dropped\n"
		}
		lines <- fmt.Sprintf("added %d\n", i+1)
	}
	w.Close()
	os.Exit(3)
}

// TestCrashSafety SIGKILLs a process storing 1000 events per second and checks that the
// database is intact, that every event it reported committed is there, in order, and that
// no more than the last unflushed batch is missing.
func TestCrashSafety(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crash.db")
	child := startCrashChild(t, "TestCrashChild", crashChildEnv, path)
	var session int64
	var committed, added uint64
	dropped := 0
	sc := child.lines
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 1 && f[0] == "dropped" {
			dropped++
			continue
		}
		if len(f) != 2 {
			t.Fatalf("child says %q", sc.Text())
		}
		n, _ := strconv.ParseUint(f[1], 10, 64)
		switch f[0] {
		case "session":
			session = int64(n)
		case "committed":
			committed = n
		case "added":
			added = n
		}
		// Kill mid-run, after a few commits, while a batch is pending (events added since
		// the last commit), so that there is something for the crash to lose.
		if !child.killed && committed >= 1500 && added >= committed+50 {
			child.kill(t)
		}
	}
	child.waitKilled(t, fmt.Sprintf("%d events committed", committed))

	s, err := OpenWith(OpenOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	stored, err := s.CountPackets(ctx, session)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("added %d, reported committed %d, stored %d, dropped %d", added, committed, stored, dropped)
	if dropped != 0 {
		t.Fatalf("%d events dropped at 1000 per second", dropped)
	}
	if uint64(stored) < committed {
		t.Fatalf("only %d rows, but %d were reported committed", stored, committed)
	}
	if uint64(stored) > added+1 { // +1: an event may be added before its line was written
		t.Fatalf("%d rows but only %d events added", stored, added)
	}
	if missing := int64(added) - stored; missing > DefaultFlushSize {
		t.Fatalf("%d events missing: more than one batch (%d)", missing, DefaultFlushSize)
	}
	// Every stored row is the event the child made for its position: nothing torn.
	for n := int64(0); n < stored; n += exportPage {
		rows, err := s.Packets(ctx, session, n, exportPage)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			pos := n + int64(i)
			if r.N != pos || r.Index != uint64(pos+1) || r.Seq != uint16(pos) || len(r.Bytes) == 0 {
				t.Fatalf("row %d: %+v", pos, r)
			}
		}
	}
}
