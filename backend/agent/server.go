package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"sync"
	"time"

	"echoscope/backend/probe"
)

// Runner is one session as the server drives it: created and started by a SessionFactory,
// then run until done or cancelled. *probe.Session satisfies it.
type Runner interface {
	Addr() netip.Addr
	SocketKind() probe.SocketKind
	Run(ctx context.Context) (probe.Summary, error)
}

// SessionFactory validates opts against the policy, opens the socket and returns a session
// ready to Run. Its errors should wrap the probe sentinels so the client gets the right code.
type SessionFactory func(ctx context.Context, opts probe.Options, policy probe.Policy, h probe.Handler) (Runner, error)

// ProbeSessions is the real SessionFactory: probe.NewSessionContext (which resolves the
// target, so a stop cancels a slow lookup) then Start.
func ProbeSessions(ctx context.Context, opts probe.Options, policy probe.Policy, h probe.Handler) (Runner, error) {
	s, err := probe.NewSessionContext(ctx, opts, policy, h)
	if err != nil {
		return nil, err
	}
	if err := s.Start(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// DefaultMaxSessions bounds concurrent sessions.
const DefaultMaxSessions = 32

// UserTotalRate bounds the requests per second of all of a non-root caller's sessions
// together: the policy's per-session rate cap alone would let 32 sessions send 16000/s.
const UserTotalRate = 1000

// ServerConfig configures Serve.
type ServerConfig struct {
	// Program is the helper's name and version for the hello.
	Program string
	// Policy applies to every start request (probe.PolicyForCurrentUser() in the helper).
	Policy probe.Policy
	// NewSession creates sessions; nil means ProbeSessions.
	NewSession SessionFactory
	// NewMonitor creates monitors; nil means ProbeMonitors (server_monitor.go).
	NewMonitor MonitorFactory
	// Capabilities for the hello; nil means probe.DetectCapabilities.
	Capabilities func() probe.Capabilities
	// MaxSessions; 0 means DefaultMaxSessions.
	MaxSessions int
	// MaxFrame for incoming frames; 0 means MaxFrameSize.
	MaxFrame int
	// MaxTotalRate caps the sum of all running sessions' request rates (per second); 0 means
	// UserTotalRate when the policy has a rate cap, unlimited otherwise.
	MaxTotalRate float64
	// SendCrafted sends crafted packets; nil means probe.SendCrafted.
	SendCrafted func(ctx context.Context, r probe.CraftRequest) (probe.CraftResult, error)
	// Now is the clock of the crafted-packet rate limit; nil means time.Now.
	Now func() time.Time
	// NewTrace creates traces (trace.go); nil means probe traces when NewSession is nil
	// too, and no traces at all when only NewSession was substituted (tests).
	NewTrace TraceFactory
}

// running is one session the server has started.
type running struct {
	cancel context.CancelFunc
	rate   float64 // requests per second it may send
	// targets: a monitor's (0 for a session), counted against the policy's MaxTargets.
	targets int
}

// server is the state of one Serve call. The reading goroutine owns sessions; session
// goroutines only write frames (the Writer serialises them) and report completion.
type server struct {
	cfg ServerConfig
	out *Writer

	mu       sync.Mutex
	sessions map[string]running
	wg       sync.WaitGroup
	crafts   craftLimiter
	// realSessions: NewSession was left to ProbeSessions (see traceFactory).
	realSessions bool
}

// Serve speaks the agent protocol on in/out until in reaches EOF (or fails, or ctx ends), then
// stops every session, waits for their done frames and returns. It returns nil on a clean EOF.
// Bad frames are answered with an error frame and never end the loop, except a truncated
// stream, which cannot be resynchronised.
func Serve(ctx context.Context, in io.Reader, out io.Writer, cfg ServerConfig) error {
	realSessions := cfg.NewSession == nil
	if realSessions {
		cfg.NewSession = ProbeSessions
	}
	if cfg.NewMonitor == nil {
		cfg.NewMonitor = ProbeMonitors
	}
	if cfg.Capabilities == nil {
		cfg.Capabilities = probe.DetectCapabilities
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.MaxFrame <= 0 || cfg.MaxFrame > MaxFrameSize {
		cfg.MaxFrame = MaxFrameSize
	}
	if cfg.MaxTotalRate <= 0 && cfg.Policy.MaxRate > 0 {
		cfg.MaxTotalRate = UserTotalRate
	}
	if cfg.SendCrafted == nil {
		cfg.SendCrafted = probe.SendCrafted
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &server{cfg: cfg, out: NewWriter(out), sessions: map[string]running{}, realSessions: realSessions}
	defer func() {
		cancel()
		s.wg.Wait()
	}()

	if err := s.send(TypeHello, "", s.hello()); err != nil {
		return err
	}
	// Frames are read on their own goroutine so that a cancelled ctx (SIGTERM in the helper)
	// ends Serve even while stdin stays open; that goroutine then dies with the process.
	frames := make(chan readResult)
	go func() {
		r := NewReader(in, cfg.MaxFrame)
		for {
			m, err := r.ReadMessage()
			select {
			case frames <- readResult{m, err}:
			case <-ctx.Done():
				return
			}
			if err != nil && !Recoverable(err) {
				return
			}
		}
	}()
	for {
		var res readResult
		select {
		case res = <-frames:
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := res.err; err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			if Recoverable(err) {
				s.refuse(res.m.Session, codeFor(err), err)
				continue
			}
			s.refuse("", CodeMalformed, err)
			return err
		}
		s.handle(ctx, res.m)
	}
}

// readResult is one ReadMessage outcome.
type readResult struct {
	m   Message
	err error
}

func (s *server) hello() Hello {
	caps := s.cfg.Capabilities()
	return Hello{
		Protocol: ProtocolVersion,
		Program:  s.cfg.Program,
		PID:      os.Getpid(),
		Privilege: PrivilegeInfo{
			UID: os.Getuid(), EUID: os.Geteuid(),
			CapNetRaw: hasCapNetRaw(), Effective: caps.Privilege,
		},
		Capabilities: caps,
		Policy:       PolicyInfoOf(s.cfg.Policy),
		MaxSessions:  s.cfg.MaxSessions,
		MaxFrame:     s.cfg.MaxFrame,
	}
}

func codeFor(err error) ErrorCode {
	switch {
	case errors.Is(err, ErrFrameTooLarge):
		return CodeTooLarge
	case errors.Is(err, ErrUnsupportedVersion):
		return CodeVersion
	default:
		return CodeMalformed
	}
}

func (s *server) handle(ctx context.Context, m Message) {
	switch m.Type {
	case TypeStart:
		s.start(ctx, m)
	case TypeStop:
		s.mu.Lock()
		r, ok := s.sessions[m.Session]
		s.mu.Unlock()
		if !ok {
			s.refuse(m.Session, CodeBadSession, fmt.Errorf("no running session %q", m.Session))
			return
		}
		r.cancel() // its goroutine sends done
	case TypeCraft:
		s.craft(ctx, m)
	case TypeMonitorStart:
		s.startMonitor(ctx, m)
	case TypeTrace:
		s.trace(ctx, m)
	default:
		s.refuse(m.Session, CodeUnknownType, fmt.Errorf("message type %q is not accepted by the helper", m.Type))
	}
}

func (s *server) start(ctx context.Context, m Message) {
	id := m.Session
	var req StartRequest
	if !s.decodeRequest(m, "session", "start", &req) {
		return
	}
	// Validate here as well as in the factory: a factory substituted in tests must not be
	// able to weaken the policy. First, as for monitors and traces: the rate below is
	// worked out from a checked interval.
	if err := req.Options.Validate(s.cfg.Policy); err != nil {
		s.refuse(id, engineCode(err), err)
		return
	}
	rate := float64(time.Second) / float64(req.Options.EffectiveInterval())
	s.launch(ctx, id, running{rate: rate}, fmt.Sprintf("%.0f more would pass", rate),
		func(ctx context.Context, cancel context.CancelFunc) { s.run(ctx, cancel, id, req.Options) })
}

// run starts and runs one registered session, then removes it: one started frame and one
// done frame, or one error frame when it could not start.
// The session leaves the registry before its last frame, so that a client that starts the
// same id again as soon as it sees that frame is not refused as a duplicate.
func (s *server) run(ctx context.Context, cancel context.CancelFunc, id string, opts probe.Options) {
	defer cancel()
	handler := func(ev probe.Event) {
		// A failed write means the client is gone; Serve will see EOF and stop everything.
		_ = s.send(TypeEvent, id, ev)
	}
	runner, err := s.cfg.NewSession(ctx, opts, s.cfg.Policy, handler)
	if err != nil {
		s.refuseStart(ctx, id, err)
		return
	}
	// A session stopped while it started still gets its started and done frames: Run
	// returns at once and closes the socket it opened.
	if err := s.send(TypeStarted, id, Started{Addr: runner.Addr(), Socket: runner.SocketKind()}); err != nil {
		cancel()
	}
	sum, err := runner.Run(ctx)
	done := Done{Summary: sum}
	if err != nil {
		done.Error = err.Error()
	}
	s.forget(id)
	_ = s.send(TypeDone, id, done)
}

// decodeRequest checks m's id and reads its body strictly into req; when either is wrong it
// refuses m, naming the id (idNoun: "session", "request") and the body (bodyNoun: "start",
// "trace", ...), and returns false.
func (s *server) decodeRequest(m Message, idNoun, bodyNoun string, req any) bool {
	if m.Session == "" || len(m.Session) > MaxSessionIDLen {
		s.refuse(m.Session, CodeBadSession, fmt.Errorf("%s id must be 1..%d bytes", idNoun, MaxSessionIDLen))
		return false
	}
	if err := strictUnmarshal(m.Body, req); err != nil {
		s.refuse(m.Session, CodeMalformed, fmt.Errorf("%s body: %w", bodyNoun, err))
		return false
	}
	return true
}

// admit registers r as session id after the checks every start gets (a session, a monitor
// or a trace): a new id, room under MaxSessions, room under the caller's total rate and,
// for a monitor's targets, under the policy's MaxTargets. Checking and registering under
// one lock leaves no gap for another start. addsWords says in the rate refusal what r would
// add ("250 more would pass").
func (s *server) admit(id string, r running, addsWords string) (ErrorCode, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.sessions[id]; dup {
		return CodeBadSession, fmt.Errorf("session %q is already running", id)
	}
	if n := len(s.sessions); n >= s.cfg.MaxSessions {
		return CodeTooManySessions, fmt.Errorf("%d sessions are running, the limit is %d", n, s.cfg.MaxSessions)
	}
	totalRate, totalTargets := 0.0, 0
	for _, other := range s.sessions {
		totalRate += other.rate
		totalTargets += other.targets
	}
	if s.cfg.MaxTotalRate > 0 && totalRate+r.rate > s.cfg.MaxTotalRate+1e-9 {
		return CodePolicy, fmt.Errorf("%w: running sessions already send %.0f requests/s; %s the limit of %.0f/s for policy %q",
			probe.ErrPolicy, totalRate, addsWords, s.cfg.MaxTotalRate, s.cfg.Policy.Name)
	}
	if r.targets > 0 && s.cfg.Policy.MaxTargets > 0 && totalTargets+r.targets > s.cfg.Policy.MaxTargets {
		return CodePolicy, fmt.Errorf("%w: running monitors already have %d targets; %d more would pass the limit of %d for policy %q",
			probe.ErrPolicy, totalTargets, r.targets, s.cfg.Policy.MaxTargets, s.cfg.Policy.Name)
	}
	s.sessions[id] = r
	return "", nil
}

// launch admits a new session, monitor or trace as id (see admit) and runs it on its own
// goroutine, with a context its stop cancels; a refusal is sent instead when it does not fit.
// It is registered before it starts, so a stop reaches it while it resolves and it counts
// against the limits from the first moment. Resolving a target (the system resolver may
// take seconds for a slow name) and opening sockets happen on that goroutine: the read loop
// must stay free for every other session's stop and start.
func (s *server) launch(ctx context.Context, id string, r running, addsWords string, run func(ctx context.Context, cancel context.CancelFunc)) {
	rctx, cancel := context.WithCancel(ctx)
	r.cancel = cancel
	if code, err := s.admit(id, r, addsWords); err != nil {
		cancel()
		s.refuse(id, code, err)
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer cancel()
		run(rctx, cancel)
	}()
}

// refuseStart answers a session or monitor whose factory failed: it leaves the registry
// and its refusal says so when a stop came while it started.
func (s *server) refuseStart(ctx context.Context, id string, err error) {
	if ctx.Err() != nil {
		err = fmt.Errorf("stopped before it started: %w", err)
	}
	s.forget(id)
	s.refuse(id, engineCode(err), err)
}

func (s *server) forget(id string) {
	s.mu.Lock()
	delete(s.sessions, id)
	s.mu.Unlock()
}

// engineCode maps probe's sentinel errors to protocol codes.
func engineCode(err error) ErrorCode {
	switch {
	case errors.Is(err, probe.ErrInvalidOption):
		return CodeInvalidOption
	case errors.Is(err, probe.ErrCraft):
		return CodeCraft
	case errors.Is(err, probe.ErrPolicy), errors.Is(err, probe.ErrBroadcast):
		return CodePolicy
	case errors.Is(err, probe.ErrResolve):
		return CodeResolve
	case errors.Is(err, probe.ErrPrivilegeRequired), errors.Is(err, probe.ErrNoSocket):
		return CodePrivilege
	default:
		return CodeEngine
	}
}

func (s *server) send(t Type, session string, body any) error {
	m, err := NewMessage(t, session, body)
	if err != nil {
		return err
	}
	return s.out.WriteMessage(m)
}

func (s *server) refuse(session string, code ErrorCode, err error) {
	body := ErrorBody{Code: code, Message: err.Error()}
	if code == CodePrivilege {
		body.Hint = probe.PrivilegeHint()
	}
	_ = s.send(TypeError, session, body)
}

// strictUnmarshal refuses unknown fields and trailing data: a request the helper does not
// fully understand is not run.
func strictUnmarshal(b []byte, v any) error {
	if len(b) == 0 {
		return errors.New("missing body")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after body")
	}
	return nil
}
