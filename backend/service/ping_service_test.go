package service

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"echoscope/backend/agent"
	"echoscope/backend/history"
	"echoscope/backend/probe"
)

// recorder is a fake Emitter keeping every event, safe for the frame goroutines.
type recorder struct {
	mu     sync.Mutex
	frames []Frame
	ended  []Ended
	status []EngineStatus
	stored []StorageStatus
	endCh  chan Ended
	// progress and jobEnds are the job events; a job's end is also announced on jobEndCh.
	progress []JobProgress
	jobEnds  map[string]jobEnded
	jobEndCh chan struct{}
	// onProgress, when set, sees each job:progress event on the job's goroutine, as it is
	// emitted (tests cancel a job there, at a point they choose).
	onProgress func(JobProgress)
	// live are the trace:hops events, with how many job ends had come before each.
	live []recordedLive
}

type recordedLive struct {
	TraceLive
	endsBefore int
}

// jobEnded is a job's last event and its name.
type jobEnded struct {
	name EventName
	end  JobEnd
}

func newRecorder() *recorder {
	return &recorder{endCh: make(chan Ended, 8), jobEnds: map[string]jobEnded{}, jobEndCh: make(chan struct{}, 64)}
}

func (r *recorder) Emit(name EventName, payload any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch p := payload.(type) {
	case Frame:
		r.frames = append(r.frames, p)
	case Ended:
		r.ended = append(r.ended, p)
		r.endCh <- p
	case EngineStatus:
		r.status = append(r.status, p)
	case StorageStatus:
		r.stored = append(r.stored, p)
	case JobProgress:
		r.progress = append(r.progress, p)
		if r.onProgress != nil {
			r.onProgress(p)
		}
	case TraceLive:
		r.live = append(r.live, recordedLive{p, len(r.jobEnds)})
	case JobEnd:
		r.jobEnds[p.JobID] = jobEnded{name: name, end: p}
		select {
		case r.jobEndCh <- struct{}{}:
		default:
		}
	}
}

func (r *recorder) snapshot() []Frame {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Frame(nil), r.frames...)
}

// newTestService pings through the in-process raw engine (tests run as root) into a
// history store in a temporary directory.
func newTestService(t *testing.T) (*PingService, *recorder) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root for raw ICMP sockets")
	}
	rec := newRecorder()
	dir := t.TempDir()
	svc := NewPingService(PingConfig{
		Emitter: rec,
		OpenStore: func() (*history.Store, error) {
			return history.OpenWith(history.OpenOptions{Path: filepath.Join(dir, history.DatabaseFile)})
		},
		Select: func(ctx context.Context) (agent.Engine, agent.Choice, error) {
			return agent.Select(ctx, agent.SelectConfig{HelperPath: "-"})
		},
	})
	t.Cleanup(func() { ClosePingService(svc) })
	return svc, rec
}

func waitEnded(t *testing.T, rec *recorder) Ended {
	t.Helper()
	select {
	case e := <-rec.endCh:
		return e
	case <-time.After(60 * time.Second): // a failure deadline, not a timing assertion
		t.Fatal("no ping:ended within 60 s")
		return Ended{}
	}
}

func TestPingLoopbackStreamsRowsStatsAndPacketDetails(t *testing.T) {
	svc, rec := newTestService(t)
	info, err := svc.Engine()
	if err != nil || info.Kind != string(agent.EngineInProcessRaw) || !info.Best {
		t.Fatalf("Engine() = %+v, %v; want in-process raw (root)", info, err)
	}
	sess, err := svc.Start(PingRequest{Target: "127.0.0.1", Count: 5, IntervalMs: 10, TimeoutMs: 2000})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	end := waitEnded(t, rec)
	if end.SessionID != sess.ID || end.Reason != "done" || end.Error != "" {
		t.Fatalf("ended %+v", end)
	}
	if end.Stats == nil || end.Stats.Sent != 5 || end.Stats.Received != 5 {
		t.Fatalf("final stats %+v, want 5 sent 5 received", end.Stats)
	}
	// Every row is announced by a frame (carried, or counted as skipped for paging), in
	// order. Other processes pinging loopback add foreign rows: a raw socket sees them all.
	var rows []Row
	points := 0
	var announced int64
	for _, f := range rec.snapshot() {
		if f.SessionID != sess.ID {
			continue
		}
		rows = append(rows, f.Rows...)
		announced += int64(len(f.Rows)) + f.SkippedRows
		points += len(f.Points)
	}
	if announced != end.TotalRows {
		t.Fatalf("frames announced %d rows, session has %d", announced, end.TotalRows)
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].N <= rows[i-1].N {
			t.Fatalf("row %d has N %d after %d", i, rows[i].N, rows[i-1].N)
		}
	}
	if points != 5 {
		t.Errorf("chart points %d, want 5 replies", points)
	}
	page, err := svc.Rows(sess.ID, 0, MaxPageRows)
	if err != nil || page.TotalRows != end.TotalRows || int64(len(page.Rows)) != min(end.TotalRows, MaxPageRows) {
		t.Fatalf("Rows = %d rows of %d, %v", len(page.Rows), page.TotalRows, err)
	}
	for _, r := range rows {
		if r.N >= int64(len(page.Rows)) {
			break
		}
		p := page.Rows[r.N]
		if p.Type != r.Type || p.Seq != r.Seq || p.Class != r.Class {
			t.Fatalf("paged row %+v differs from streamed %+v", p, r)
		}
	}
	// Our own rows, from the store: 5 requests and 5 on-time replies.
	all := page.Rows
	for int64(len(all)) < end.TotalRows {
		next, err := svc.Rows(sess.ID, len(all), MaxPageRows)
		if err != nil || len(next.Rows) == 0 {
			t.Fatalf("Rows(%d) = %d rows, %v", len(all), len(next.Rows), err)
		}
		all = append(all, next.Rows...)
	}
	sends, replies, reply := 0, 0, -1
	for _, r := range all {
		switch {
		case r.Kind == "send":
			sends++
			if r.Type != "Echo Request" {
				t.Fatalf("send row %+v", r)
			}
		case r.Kind == "reply" && r.Class != "foreign":
			if r.Type != "Echo Reply" || r.Class != "on-time" || r.RTTMs == nil {
				t.Fatalf("reply row %+v", r)
			}
			replies++
			if reply < 0 {
				reply = int(r.N)
			}
		}
	}
	if sends != 5 || replies != 5 {
		t.Fatalf("%d requests and %d replies of ours, want 5 and 5", sends, replies)
	}
	d, err := svc.Packet(sess.ID, reply)
	if err != nil {
		t.Fatalf("Packet: %v", err)
	}
	if d.Kind != "reply" || d.Rule != string(probe.RuleIDSeqToken) || d.RequestHex == "" || d.ReplyHex == "" ||
		!d.ReplyIncludesIPHeader || d.Family != 4 || d.Engine != "in-process-raw" || d.Socket != "raw" ||
		d.ReceivedAt == "" || d.SentAt == "" || d.TimeoutMs != 2000 {
		t.Fatalf("detail %+v", d)
	}
	if d.RTTClocks != "" && !strings.HasPrefix(d.RTTClocks, d.SentClock+"/") {
		t.Errorf("sent clock %q does not start the RTT's clock pair %q", d.SentClock, d.RTTClocks)
	}
	// The reply names its request's row, and that request names this reply with its RTT.
	req, err := svc.Packet(sess.ID, int(d.RequestRow))
	if err != nil || d.RequestRow < 0 || req.Kind != "send" || req.Seq != d.Seq || req.RequestRow != -1 {
		t.Fatalf("request row %d of reply %d: %+v, %v", d.RequestRow, reply, req, err)
	}
	if len(req.Answers) != 1 || req.Answers[0].Row != int64(reply) || req.Answers[0].Class != "on-time" ||
		req.Answers[0].RTTMs == nil || *req.Answers[0].RTTMs != *d.RTTMs {
		t.Fatalf("answers of request row %d: %+v, want reply row %d", d.RequestRow, req.Answers, reply)
	}
	if d.RequestHex[:2] != "08" || d.ReplyHex[:1] != "4" {
		t.Errorf("request %s... reply %s...: want an ICMP echo request and an IPv4 header", d.RequestHex[:8], d.ReplyHex[:8])
	}
	if _, err := svc.Packet(sess.ID, 10_000); !errors.Is(err, ErrNoSuchRow) {
		t.Errorf("Packet(past the end) error %v, want ErrNoSuchRow", err)
	}
	recent, err := svc.RecentTargets()
	if err != nil || len(recent) == 0 || recent[0] != "127.0.0.1" {
		t.Errorf("RecentTargets = %v, %v", recent, err)
	}
}

func TestPingStopEndsAnEndlessSession(t *testing.T) {
	svc, rec := newTestService(t)
	sess, err := svc.Start(PingRequest{Target: "127.0.0.1", IntervalMs: 5})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	// Wait until something streamed, then stop.
	for len(rec.snapshot()) == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	if err := svc.Stop(sess.ID); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	end := waitEnded(t, rec)
	if end.Reason != "stopped" || end.Stats == nil || end.Stats.Sent == 0 {
		t.Fatalf("ended %+v", end)
	}
	if err := svc.Stop(sess.ID); err != nil {
		t.Errorf("Stop after the end: %v, want nil", err)
	}
	if err := svc.Stop("999"); !errors.Is(err, ErrUnknownSession) {
		t.Errorf("Stop(unknown) = %v", err)
	}
}

func TestPingStartRejectsBadInputWithClearErrors(t *testing.T) {
	svc, _ := newTestService(t)
	cases := []struct {
		req  PingRequest
		want error
	}{
		{PingRequest{Target: ""}, ErrBadHost},
		{PingRequest{Target: "exa mple.com"}, ErrBadHost},
		{PingRequest{Target: "host.invalid"}, ErrDNS},
		{PingRequest{Target: "127.0.0.1", Count: -1}, ErrInvalidRequest},
		{PingRequest{Target: "127.0.0.1", TTL: 300}, ErrInvalidRequest},
		{PingRequest{Target: "127.0.0.1", Size: 70000}, ErrInvalidRequest},
		{PingRequest{Target: "127.0.0.1", Pattern: "zz"}, ErrInvalidRequest},
		{PingRequest{Target: "127.0.0.1", IntervalMs: -5}, ErrInvalidRequest},
		{PingRequest{Target: "127.0.0.1", Family: 5}, ErrInvalidRequest},
	}
	for _, c := range cases {
		if _, err := svc.Start(c.req); !errors.Is(err, c.want) {
			t.Errorf("Start(%+v) error %v, want %v", c.req, err, c.want)
		}
	}
}

func (r *recorder) storageEvents() []StorageStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]StorageStatus(nil), r.stored...)
}
