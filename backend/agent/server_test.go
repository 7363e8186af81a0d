package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/netip"
	"runtime"
	"strings"
	"testing"
	"time"

	"echoscope/backend/probe"
)

// fakeRunner stands in for a probe session: it emits `replies` reply events, then either
// finishes (endless=false) or waits to be cancelled. It never touches the network.
type fakeRunner struct {
	opts    probe.Options
	h       probe.Handler
	replies int
	endless bool
}

func (f *fakeRunner) Addr() netip.Addr             { return netip.MustParseAddr("127.0.0.1") }
func (f *fakeRunner) SocketKind() probe.SocketKind { return probe.SocketRaw }
func (f *fakeRunner) Run(ctx context.Context) (probe.Summary, error) {
	for i := 1; i <= f.replies; i++ {
		f.h(probe.Event{Kind: probe.EventReply, Class: probe.ClassOnTime, Seq: uint16(i), Index: uint64(i), Bytes: []byte{0, 0, 1, 2}})
	}
	if f.endless {
		<-ctx.Done()
	}
	return probe.Summary{Stats: probe.Stats{Sent: uint64(f.replies), Received: uint64(f.replies)}, Target: f.opts.Target}, nil
}

// fakeFactory: Count sets how many replies; Count 0 means endless. Target "fail.invalid" fails
// like an unresolvable name.
func fakeFactory(_ context.Context, o probe.Options, _ probe.Policy, h probe.Handler) (Runner, error) {
	if o.Target == "fail.invalid" {
		return nil, probe.ErrResolve
	}
	return &fakeRunner{opts: o, h: h, replies: max(o.Count, 1), endless: o.Count == 0}, nil
}

type harness struct {
	t    *testing.T
	in   *io.PipeWriter
	w    *Writer
	msgs chan readResult // the helper's frames, read by a goroutine so that neither side blocks the other
	done chan error
}

func startServer(t *testing.T, policy probe.Policy) *harness {
	t.Helper()
	return startServerWith(t, policy, fakeFactory)
}

func startServerWith(t *testing.T, policy probe.Policy, factory SessionFactory, configure ...func(*ServerConfig)) *harness {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	h := &harness{t: t, in: inW, w: NewWriter(inW), msgs: make(chan readResult, 1024), done: make(chan error, 1)}
	go func() {
		r := NewReader(outR, 0)
		for {
			m, err := r.ReadMessage()
			h.msgs <- readResult{m, err}
			if err != nil && !Recoverable(err) {
				return
			}
		}
	}()
	go func() {
		cfg := ServerConfig{
			Program: "test", Policy: policy, NewSession: factory, MaxSessions: 3,
			Capabilities: func() probe.Capabilities { return probe.Capabilities{OS: "test", Best: probe.SocketRaw} },
		}
		for _, c := range configure {
			c(&cfg)
		}
		err := Serve(context.Background(), inR, outW, cfg)
		outW.Close()
		h.done <- err
	}()
	hello := h.next()
	if hello.Type != TypeHello {
		t.Fatalf("first frame is %q, want hello", hello.Type)
	}
	t.Cleanup(func() {
		inW.Close()
		go func() {
			for range h.msgs {
			}
		}()
	})
	return h
}

func (h *harness) send(t Type, session string, body any) {
	h.t.Helper()
	m, err := NewMessage(t, session, body)
	if err != nil {
		h.t.Fatal(err)
	}
	if err := h.w.WriteMessage(m); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) sendRaw(body string) {
	h.t.Helper()
	if err := h.w.WriteFrame([]byte(body)); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) next() Message {
	h.t.Helper()
	res := <-h.msgs
	if res.err != nil {
		h.t.Fatalf("reading from helper: %v", res.err)
	}
	return res.m
}

func (h *harness) expectError(session string, code ErrorCode) ErrorBody {
	h.t.Helper()
	m := h.next()
	var e ErrorBody
	if m.Type != TypeError || json.Unmarshal(m.Body, &e) != nil || e.Code != code || m.Session != session {
		h.t.Fatalf("got %s %q %s, want error %s for session %q", m.Type, m.Session, m.Body, code, session)
	}
	return e
}

func start(target string, count int) StartRequest {
	return StartRequest{Options: probe.Options{Target: target, Count: count, Interval: 10 * time.Millisecond}}
}

func TestServerRunsASessionToTheEnd(t *testing.T) {
	h := startServer(t, probe.UserPolicy())
	h.send(TypeStart, "a", start("127.0.0.1", 3))
	if m := h.next(); m.Type != TypeStarted || m.Session != "a" {
		t.Fatalf("got %+v, want started", m)
	}
	for i := 1; i <= 3; i++ {
		m := h.next()
		var ev probe.Event
		if m.Type != TypeEvent || json.Unmarshal(m.Body, &ev) != nil || ev.Seq != uint16(i) || !bytes.Equal(ev.Bytes, []byte{0, 0, 1, 2}) {
			t.Fatalf("event %d: got %s %s", i, m.Type, m.Body)
		}
	}
	m := h.next()
	var d Done
	if m.Type != TypeDone || json.Unmarshal(m.Body, &d) != nil || d.Summary.Received != 3 || d.Error != "" {
		t.Fatalf("got %s %s, want done with 3 received", m.Type, m.Body)
	}
}

func TestServerRefusesBadRequestsAndKeepsServing(t *testing.T) {
	h := startServer(t, probe.UserPolicy())
	h.sendRaw(`{"v":1,"type":"start"`)
	h.expectError("", CodeMalformed)
	h.sendRaw(`{"v":7,"type":"start","session":"x"}`)
	h.expectError("x", CodeVersion)
	h.sendRaw(`{"v":1,"type":"reboot","session":"x"}`)
	h.expectError("x", CodeUnknownType)
	h.sendRaw(`{"v":1,"type":"start","session":"x","body":{"options":{"target":"127.0.0.1"},"rootPlease":true}}`)
	h.expectError("x", CodeMalformed)
	h.sendRaw(`{"v":1,"type":"start","session":"x"}`)
	h.expectError("x", CodeMalformed)
	h.send(TypeStart, "", start("127.0.0.1", 1))
	h.expectError("", CodeBadSession)
	h.send(TypeStart, strings.Repeat("s", MaxSessionIDLen+1), start("127.0.0.1", 1))
	h.expectError(strings.Repeat("s", MaxSessionIDLen+1), CodeBadSession)
	h.send(TypeStop, "never-started", nil)
	h.expectError("never-started", CodeBadSession)
	h.send(TypeStart, "x", start("fail.invalid", 1))
	h.expectError("x", CodeResolve)
	h.send(TypeStart, "x", StartRequest{Options: probe.Options{Target: "127.0.0.1", Size: -1, SizeSet: true}})
	h.expectError("x", CodeInvalidOption)
	h.send(TypeStart, "x", start(strings.Repeat("a", 256), 1))
	h.expectError("x", CodeInvalidOption)
	if err := h.w.WriteFrame(bytes.Repeat([]byte("x"), MaxFrameSize)); err != nil {
		t.Fatal(err)
	}
	// MaxFrameSize is accepted by the writer, and by this server's reader too: it is garbage,
	// so it is malformed, not too large.
	h.expectError("", CodeMalformed)
	// After all that, a good request still works.
	h.send(TypeStart, "ok", start("127.0.0.1", 1))
	if m := h.next(); m.Type != TypeStarted {
		t.Fatalf("got %s, want started", m.Type)
	}
}

// The user policy is applied to every start request, whatever the factory does.
func TestServerAppliesTheUserPolicy(t *testing.T) {
	h := startServer(t, probe.UserPolicy())
	cases := map[string]probe.Options{
		"flood":       {Target: "127.0.0.1", Flood: true},
		"1ms":         {Target: "127.0.0.1", Interval: time.Millisecond},
		"no interval": {Target: "127.0.0.1", Interval: time.Nanosecond},
	}
	for id, o := range cases {
		h.send(TypeStart, id, StartRequest{Options: o})
		e := h.expectError(id, CodePolicy)
		if !strings.Contains(e.Message, "not allowed") {
			t.Errorf("%s: message %q does not say it is not allowed", id, e.Message)
		}
	}
	// probe.RootPolicy() at the time of writing forgets AllowFlood; state what root may do.
	// The user's sessions together stay under UserTotalRate: two at 500/s fill it.
	for _, id := range []string{"r1", "r2"} {
		h.send(TypeStart, id, StartRequest{Options: probe.Options{Target: "127.0.0.1", Interval: 2 * time.Millisecond}})
		m := h.next()
		for m.Type == TypeEvent {
			m = h.next()
		}
		if m.Type != TypeStarted || m.Session != id {
			t.Fatalf("%s: got %s %s, want started", id, m.Type, m.Body)
		}
	}
	h.send(TypeStart, "r3", StartRequest{Options: probe.Options{Target: "127.0.0.1", Interval: time.Second}})
	if e := h.expectErrorSkippingEvents("r3", CodePolicy); !strings.Contains(e.Message, "limit of 1000/s") {
		t.Errorf("total rate refusal: %q", e.Message)
	}
	root := startServer(t, probe.RootPolicy())
	root.send(TypeStart, "flood", StartRequest{Options: probe.Options{Target: "127.0.0.1", Flood: true, Count: 1}})
	if m := root.next(); m.Type != TypeStarted {
		t.Fatalf("root flood: got %s %s, want started", m.Type, m.Body)
	}
}

func TestServerSessionsRunSideBySideAndStopByID(t *testing.T) {
	h := startServer(t, probe.UserPolicy())
	for _, id := range []string{"a", "b", "c"} {
		h.send(TypeStart, id, start("127.0.0.1", 0)) // endless
	}
	started := map[string]bool{}
	for len(started) < 3 {
		m := h.next()
		if m.Type == TypeStarted {
			started[m.Session] = true
		}
	}
	h.send(TypeStart, "d", start("127.0.0.1", 0))
	h.expectErrorSkippingEvents("d", CodeTooManySessions)
	h.send(TypeStart, "a", start("127.0.0.1", 0))
	h.expectErrorSkippingEvents("a", CodeBadSession)
	h.send(TypeStop, "b", nil)
	for {
		m := h.next()
		if m.Type == TypeDone {
			if m.Session != "b" {
				t.Fatalf("done for %q, want b", m.Session)
			}
			break
		}
	}
	// Closing stdin stops the rest: one done each, then Serve returns nil.
	h.in.Close()
	got := map[string]bool{}
	for {
		res := <-h.msgs
		if errors.Is(res.err, io.EOF) {
			break
		}
		if res.err != nil {
			t.Fatal(res.err)
		}
		if m := res.m; m.Type == TypeDone {
			got[m.Session] = true
		}
	}
	if !got["a"] || !got["c"] || len(got) != 2 {
		t.Errorf("done frames after EOF: %v, want a and c", got)
	}
	if err := <-h.done; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

func (h *harness) expectErrorSkippingEvents(session string, code ErrorCode) ErrorBody {
	h.t.Helper()
	for {
		m := h.next()
		if m.Type == TypeEvent {
			continue
		}
		var e ErrorBody
		if m.Type != TypeError || json.Unmarshal(m.Body, &e) != nil || e.Code != code || m.Session != session {
			h.t.Fatalf("got %s %q %s, want error %s for %q", m.Type, m.Session, m.Body, code, session)
		}
		return e
	}
}

// serveFrameBudget is the most the helper may allocate per frame of input: the frame
// itself (at most 4096 bytes here), its decoding, the answer, and a session built from it.
// Options that made it allocate without bound (a loss window of 1<<62) exceed it by far.
const serveFrameBudget = 512 << 10

// FuzzServe feeds arbitrary bytes as the helper's stdin: Serve must not panic, must return,
// must never hand the session factory options that fail validation, must stay within
// serveFrameBudget per frame (the session's own allocations for its options included: the
// loss window, the validated and resolved session), and everything it writes must be
// well-formed frames.
func FuzzServe(f *testing.F) {
	f.Add(frame(`{"v":1,"type":"start","session":"x","body":{"options":{"target":"127.0.0.1","count":2}}}`))
	f.Add(append(frame(`{"v":1,"type":"start","session":"x","body":{"options":{"target":"127.0.0.1"}}}`), frame(`{"v":1,"type":"stop","session":"x"}`)...))
	f.Add(frame(`{"v":1,"type":"start","session":"y","body":{"options":{"target":"::1","flood":true}}}`))
	f.Add(frame(`{"v":1,"type":"start","session":"z","body":{"options":{"target":"127.0.0.1","lossWindow":4611686018427387904}}}`))
	f.Add(frame(`{"v":1,"type":"start","session":"z","body":{"options":{"target":"127.0.0.1","lossWindow":1099511627776}}}`))
	f.Add(frame(`{"v":1,"type":"start","session":"s","body":{"options":{"target":"127.0.0.1","statsEvery":1,"count":1000000000000000}}}`))
	f.Add([]byte{0, 0, 0, 5, '{', '}', 0})
	f.Add(frame(`{"v":1,"type":"craft","session":"c","body":{"family":4,"target":"127.0.0.1","message":"CADy/wANACU=","timeout":1000000000}}`))
	f.Add(frame(`{"v":1,"type":"craft","session":"c","body":{"family":4,"target":"224.0.0.1","message":"AAA=","timeout":1}}`))
	f.Add(frame(`{"v":1,"type":"monitor-start","session":"m","body":{"monitor":{"targets":["127.0.0.1","::1"],"options":{"count":2}}}}`))
	f.Add(frame(`{"v":1,"type":"monitor-start","session":"m","body":{"monitor":{"targets":["127.0.0.1"],"untilReply":true,"backoff":9,"options":{"count":2}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		policy := probe.UserPolicy()
		factory := func(ctx context.Context, o probe.Options, p probe.Policy, h probe.Handler) (Runner, error) {
			if err := o.Validate(p); err != nil {
				// On the session's goroutine: Errorf, not Fatalf.
				t.Errorf("the factory was handed options that fail validation: %v", err)
				return nil, err
			}
			if _, err := netip.ParseAddr(o.Target); err != nil {
				return nil, probe.ErrResolve // names would need the system resolver
			}
			s, err := probe.NewSessionContext(ctx, o, p, nil)
			if err != nil {
				return nil, err
			}
			// What a session allocates for its statistics from these options.
			rec := probe.NewStatsRecorder(s.Options().LossWindow, 1)
			return &fuzzRunner{stats: rec, h: h, endless: o.Count == 0}, nil
		}
		var out bytes.Buffer
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		// Crafted packets never reach the network here (a fuzzed target could be any
		// unicast address): the stand-in checks the helper validated them, then times out.
		craft := func(_ context.Context, r probe.CraftRequest) (probe.CraftResult, error) {
			if err := probe.ValidateCraft(r); err != nil {
				t.Fatalf("the helper sent a crafted request that fails validation: %v", err)
			}
			return probe.CraftResult{TimedOut: true}, nil
		}
		// Monitors never reach the network either: the stand-in checks the helper validated
		// them, then runs as the fake (server_monitor_test.go) does.
		monitors := func(ctx context.Context, mo probe.MonitorOptions, p probe.Policy, h probe.MonitorHandler) (MonitorRunner, error) {
			if err := mo.Validate(p); err != nil {
				t.Errorf("the monitor factory was handed options that fail validation: %v", err)
				return nil, err
			}
			for _, target := range mo.Targets {
				if _, err := netip.ParseAddr(target); err != nil {
					return nil, probe.ErrResolve
				}
			}
			return &fakeMonitor{mo: mo, h: h}, nil
		}
		err := Serve(context.Background(), bytes.NewReader(data), &out, ServerConfig{
			Policy: policy, NewSession: factory, NewMonitor: monitors, MaxFrame: 4096, SendCrafted: craft,
			Capabilities: func() probe.Capabilities { return probe.Capabilities{} },
		})
		runtime.ReadMemStats(&after)
		if err != nil && !errors.Is(err, ErrTruncated) {
			t.Fatalf("Serve: %v", err)
		}
		frames := uint64(len(data))/frameHeaderLen + 1
		if got := after.TotalAlloc - before.TotalAlloc; got > frames*serveFrameBudget {
			t.Fatalf("Serve allocated %d bytes for %d bytes of input (budget %d per frame)", got, len(data), serveFrameBudget)
		}
		// Serve waited for its sessions, so nothing writes to out any more.
		r := NewReader(&out, 0)
		for {
			_, err := r.ReadMessage()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("helper wrote a bad frame: %v", err)
			}
		}
	})
}

// fuzzRunner sends one reply event and its statistics, then ends (or waits for its stop).
type fuzzRunner struct {
	stats   *probe.StatsRecorder
	h       probe.Handler
	endless bool
}

func (f *fuzzRunner) Addr() netip.Addr             { return netip.MustParseAddr("127.0.0.1") }
func (f *fuzzRunner) SocketKind() probe.SocketKind { return probe.SocketRaw }
func (f *fuzzRunner) Run(ctx context.Context) (probe.Summary, error) {
	ev := probe.Event{Kind: probe.EventReply, Class: probe.ClassOnTime, Seq: 1, Index: 1, Bytes: []byte{0, 0, 1, 2}}
	f.stats.Record(&ev)
	f.h(ev)
	if f.endless {
		<-ctx.Done()
	}
	return probe.Summary{}, nil
}

// Issue 10, point 7: these frames crashed the helper (makeslice panic, out of memory) or made
// it send 45,000 stats frames a second. Each is refused in words, and the helper goes on.
func TestServerRefusesTheFramesThatCrashedIt(t *testing.T) {
	h := startServer(t, probe.RootPolicy())
	cases := map[string]string{
		`{"target":"127.0.0.1","lossWindow":4611686018427387904}`: "lossWindow 4611686018427387904 is out of range, allowed: 0 (100) or 1..65536",
		`{"target":"127.0.0.1","lossWindow":1099511627776}`:       "lossWindow 1099511627776 is out of range",
		`{"target":"127.0.0.1","statsEvery":1}`:                   "statsEvery 1ns is out of range, allowed: 0 (never) or 1ms..1h0m0s",
		`{"target":"127.0.0.1","timeout":9223372036854775807}`:    "timeout 2562047h47m16.854775807s is out of range",
	}
	for opts, want := range cases {
		h.sendRaw(`{"v":1,"type":"start","session":"c","body":{"options":` + opts + `}}`)
		if e := h.expectError("c", CodeInvalidOption); !strings.Contains(e.Message, want) {
			t.Errorf("%s: message %q, want %q", opts, e.Message, want)
		}
	}
	h.send(TypeStart, "ok", start("127.0.0.1", 1))
	if m := h.next(); m.Type != TypeStarted {
		t.Fatalf("after the refusals: got %s %s, want started", m.Type, m.Body)
	}
}
