package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"echoscope/backend/probe"
)

// Client errors.
var (
	// ErrHandshake: the helper did not start or did not send a valid hello.
	ErrHandshake = errors.New("agent: helper handshake failed")
	// ErrHelperExited: the helper process ended (crashed, was killed, or closed stdout).
	// Sessions still running end with this error; there is no automatic restart: call Select
	// again to get a new engine (the GUI does so when the user starts the next session).
	ErrHelperExited = errors.New("agent: helper exited")
	// ErrRefused: the helper refused a request; the error is a *RemoteError.
	ErrRefused = errors.New("agent: helper refused the request")
	// ErrClosed: the client was closed.
	ErrClosed = errors.New("agent: client closed")
)

// RemoteError is an error frame from the helper. errors.Is matches ErrRefused and the probe
// sentinel its code stands for (probe.ErrPolicy for CodePolicy, ...).
type RemoteError struct{ Body ErrorBody }

func (e *RemoteError) Error() string {
	s := "helper refused: " + string(e.Body.Code) + ": " + e.Body.Message
	if e.Body.Hint != "" {
		s += " (" + e.Body.Hint + ")"
	}
	return s
}

// Unwrap lets errors.Is see ErrRefused and the matching probe sentinel.
func (e *RemoteError) Unwrap() []error {
	errs := []error{ErrRefused}
	switch e.Body.Code {
	case CodeInvalidOption:
		errs = append(errs, probe.ErrInvalidOption)
	case CodePolicy:
		errs = append(errs, probe.ErrPolicy)
	case CodeResolve:
		errs = append(errs, probe.ErrResolve)
	case CodePrivilege:
		errs = append(errs, probe.ErrPrivilegeRequired)
	}
	return errs
}

// handshakeTimeout bounds how long a helper may take to say hello (it opens one socket of
// each kind to detect capabilities; that is milliseconds).
const handshakeTimeout = 10 * time.Second

// Client talks to one running helper. Its methods are safe for concurrent use. Event handlers
// run on the client's reader goroutine, one at a time and in order.
type Client struct {
	path  string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	w     *Writer
	hello Hello
	tail  *tailBuffer

	mu       sync.Mutex
	sessions map[string]*RemoteSession
	crafts   map[string]chan craftAnswer // crafted packets waiting for their answer (craft_client.go)
	monitors map[string]*RemoteMonitor   // monitors started (client_monitor.go)
	traces   map[string]*pendingTrace    // traces waiting for their result (trace_client.go)
	nextID   atomic.Uint64
	closed   bool

	exited  chan struct{} // closed when the reader loop has ended
	exitErr error         // why (wraps ErrHelperExited); set under mu, with sessions = nil
}

// Spawn starts `path --agent`, reads its hello and returns the client. configure, if not nil,
// may adjust the command before it starts (tests run the helper as another user).
func Spawn(ctx context.Context, path string, configure func(*exec.Cmd)) (*Client, error) {
	cmd := exec.Command(path, "--agent")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrHandshake, err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrHandshake, err)
	}
	tail := &tailBuffer{max: 4096}
	cmd.Stderr = tail
	hideConsole(cmd)
	if configure != nil {
		configure(cmd)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%w: start %s: %w", ErrHandshake, path, err)
	}
	c := &Client{path: path, cmd: cmd, stdin: stdin, w: NewWriter(stdin), tail: tail,
		sessions: map[string]*RemoteSession{}, crafts: map[string]chan craftAnswer{},
		monitors: map[string]*RemoteMonitor{}, traces: map[string]*pendingTrace{}, exited: make(chan struct{})}
	r := NewReader(stdout, 0)

	helloCh := make(chan error, 1)
	go func() {
		m, err := r.ReadMessage()
		if err == nil && m.Type != TypeHello {
			err = fmt.Errorf("first frame is %q, not hello", m.Type)
		}
		if err == nil {
			err = json.Unmarshal(m.Body, &c.hello)
		}
		if err == nil && c.hello.Protocol != ProtocolVersion {
			err = fmt.Errorf("helper speaks protocol %d, we speak %d", c.hello.Protocol, ProtocolVersion)
		}
		helloCh <- err
	}()
	timer := time.NewTimer(handshakeTimeout)
	defer timer.Stop()
	select {
	case err = <-helloCh:
	case <-ctx.Done():
		err = ctx.Err()
	case <-timer.C:
		err = errors.New("no hello within " + handshakeTimeout.String())
	}
	if err != nil {
		_ = cmd.Process.Kill()
		waitErr := cmd.Wait()
		return nil, fmt.Errorf("%w: %s: %w%s", ErrHandshake, path, err, describeExit(waitErr, tail))
	}
	go c.readLoop(r)
	return c, nil
}

// Hello is the helper's greeting (capabilities, privilege, policy).
func (c *Client) Hello() Hello { return c.hello }

// Path is the helper executable.
func (c *Client) Path() string { return c.path }

// Done is closed when the helper has gone (see Err).
func (c *Client) Done() <-chan struct{} { return c.exited }

// Err is why the helper went (wrapping ErrHelperExited); nil while it runs.
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.exitErr
}

// Close closes the helper's stdin (it stops its sessions and exits), then waits for it, killing
// it if it lingers.
func (c *Client) Close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	_ = c.stdin.Close()
	select {
	case <-c.exited:
	case <-time.After(5 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.exited
	}
	return nil
}

// RemoteSession is a session running in the helper.
type RemoteSession struct {
	c       *Client
	id      string
	handler probe.Handler
	info    Started
	lifecycle
	summary probe.Summary
}

// Start asks the helper for a session and waits until it is running (or refused). The
// handler receives its events on the client's reader goroutine.
func (c *Client) Start(ctx context.Context, opts probe.Options, h probe.Handler) (*RemoteSession, error) {
	if h == nil {
		h = func(probe.Event) {}
	}
	s := &RemoteSession{c: c, id: "s" + strconv.FormatUint(c.nextID.Add(1), 10), handler: h,
		lifecycle: newLifecycle()}
	if err := c.track(func() { c.sessions[s.id] = s }); err != nil {
		return nil, err
	}
	if err := c.send(TypeStart, s.id, StartRequest{Options: opts}); err != nil {
		c.forget(s.id)
		return nil, err
	}
	if err := s.awaitStart(ctx, s.Stop); err != nil {
		return nil, err
	}
	return s, nil
}

// ID is the session id on the wire.
func (s *RemoteSession) ID() string { return s.id }

// Addr is the resolved target.
func (s *RemoteSession) Addr() netip.Addr { return s.info.Addr }

// SocketKind is the socket the helper opened.
func (s *RemoteSession) SocketKind() probe.SocketKind { return s.info.Socket }

// Stop asks the helper to end the session; Wait returns its summary.
func (s *RemoteSession) Stop() error { return s.c.send(TypeStop, s.id, nil) }

// Wait blocks until the session is done and returns its summary. If the helper died, the
// error wraps ErrHelperExited (with its exit status and last stderr lines).
func (s *RemoteSession) Wait(ctx context.Context) (probe.Summary, error) {
	select {
	case <-s.done:
		return s.summary, s.err
	case <-ctx.Done():
		return probe.Summary{}, ctx.Err()
	}
}

func (c *Client) send(t Type, session string, body any) error {
	m, err := NewMessage(t, session, body)
	if err != nil {
		return err
	}
	if err := c.w.WriteMessage(m); err != nil {
		if exitErr := c.Err(); exitErr != nil {
			return exitErr
		}
		return fmt.Errorf("%w: %w", ErrHelperExited, err)
	}
	return nil
}

func (c *Client) forget(id string) {
	c.mu.Lock()
	delete(c.sessions, id) // no-op on the nil map after exit
	c.mu.Unlock()
}

func (c *Client) session(id string) *RemoteSession {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sessions[id]
}

// readLoop dispatches the helper's frames until its stdout ends, then fails whatever is
// still waiting with ErrHelperExited.
func (c *Client) readLoop(r *Reader) {
	var readErr error
	for {
		m, err := r.ReadMessage()
		if err != nil {
			if Recoverable(err) {
				continue // a bad frame from the helper: skip it, the stream is in step
			}
			readErr = err
			break
		}
		c.dispatch(m)
	}
	waitErr := c.cmd.Wait()
	why := "stdout closed"
	if !errors.Is(readErr, io.EOF) {
		why = readErr.Error()
	}
	c.mu.Lock()
	if c.closed {
		c.exitErr = fmt.Errorf("%w: closed by the client", ErrHelperExited)
	} else {
		c.exitErr = fmt.Errorf("%w: %s: %s%s", ErrHelperExited, c.path, why, describeExit(waitErr, c.tail))
	}
	exitErr := c.exitErr
	pending := c.sessions
	c.sessions = nil
	crafts := c.crafts
	c.crafts = nil
	monitors := c.monitors
	c.monitors = nil
	traces := c.traces
	c.traces = nil
	c.mu.Unlock()
	failMonitors(monitors, exitErr)
	for _, ch := range crafts {
		ch <- craftAnswer{err: exitErr}
	}
	failTraces(traces, exitErr)
	for _, s := range pending {
		s.fail(exitErr)
	}
	close(c.exited)
}

func (c *Client) dispatch(m Message) {
	if c.answerCraft(m) || c.answerMonitor(m) || c.answerTrace(m) {
		return
	}
	s := c.session(m.Session)
	if s == nil {
		return // an error frame about something we no longer track, or a stray frame
	}
	switch m.Type {
	case TypeStarted:
		if err := json.Unmarshal(m.Body, &s.info); err != nil {
			s.startErr = fmt.Errorf("%w: bad started frame: %w", ErrHandshake, err)
			c.forget(s.id)
		}
		close(s.started)
	case TypeError:
		// An error about a running session (e.g. a refused stop) changes nothing: it goes on.
		if s.refuseStart(remoteErrorOf(m.Body)) {
			c.forget(s.id)
		}
	case TypeEvent:
		var ev probe.Event
		if err := json.Unmarshal(m.Body, &ev); err == nil {
			s.handler(ev)
		}
	case TypeDone:
		var d Done
		if err := json.Unmarshal(m.Body, &d); err != nil {
			s.err = fmt.Errorf("agent: bad done frame: %w", err)
		} else {
			s.summary = d.Summary
			if d.Error != "" {
				s.err = errors.New(d.Error)
			}
		}
		c.forget(s.id)
		close(s.done)
	}
}
