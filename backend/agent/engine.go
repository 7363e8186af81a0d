package agent

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"echoscope/backend/probe"
)

// Engine starts ping sessions, whichever way it reaches the network.
type Engine interface {
	// Start validates opts, opens the socket and starts the session; the handler gets its
	// events (on one goroutine, in order).
	Start(ctx context.Context, opts probe.Options, h probe.Handler) (Run, error)
	// Close stops every session and releases the engine (the helper exits).
	Close() error
}

// Run is a started session.
type Run interface {
	Addr() netip.Addr
	SocketKind() probe.SocketKind
	// Stop ends the session early; Wait still returns the summary.
	Stop() error
	// Wait blocks until the session ends.
	Wait(ctx context.Context) (probe.Summary, error)
}

// EngineKind names the way an Engine reaches the network, best first.
type EngineKind string

// Engine kinds, in the order Select tries them.
const (
	EngineAgentRaw     EngineKind = "agent-raw"      // raw sockets through the echoscope-ping helper
	EngineInProcessRaw EngineKind = "in-process-raw" // this process is root / has CAP_NET_RAW
	EngineDatagram     EngineKind = "datagram"       // unprivileged ICMP datagram sockets
	EngineWindowsAPI   EngineKind = "windows-api"    // IcmpSendEcho2 (Windows, no admin)
)

// Choice says which engine Select picked and why, for the UI.
type Choice struct {
	Kind EngineKind `json:"kind"`
	// Reason is one sentence for a person: why this engine and not a better one.
	Reason string `json:"reason"`
	// HelperPath is the helper found (empty if none).
	HelperPath string `json:"helperPath,omitempty"`
	// Tried lists each better engine that was not possible, with why.
	Tried []string `json:"tried,omitempty"`
}

// ErrNoEngine: nothing can send ICMP echo here. The error's text carries the fix for this OS.
var ErrNoEngine = errors.New("no way to send ICMP echo requests here")

// ErrHelperNotFound: no echoscope-ping beside the executable nor on PATH.
var ErrHelperNotFound = errors.New("echoscope-ping helper not found")

// HelperName is the helper's file name on this OS.
func HelperName() string {
	if runtime.GOOS == "windows" {
		return "echoscope-ping.exe"
	}
	return "echoscope-ping"
}

// FindHelper looks for the helper beside this process's executable, then on PATH, and
// returns its absolute path.
func FindHelper() (string, error) {
	var tried []string
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		p := filepath.Join(filepath.Dir(exe), HelperName())
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
		tried = append(tried, p)
	}
	if p, err := exec.LookPath(HelperName()); err == nil {
		if abs, err := filepath.Abs(p); err == nil {
			return abs, nil
		}
		return p, nil
	}
	tried = append(tried, "$PATH")
	return "", fmt.Errorf("%w (looked in %s)", ErrHelperNotFound, strings.Join(tried, ", "))
}

// SelectConfig tunes Select; the zero value is what the GUI uses.
type SelectConfig struct {
	// HelperPath is the helper to run; "" means FindHelper. "-" means do not use a helper.
	HelperPath string
	// ConfigureHelper may adjust the helper's command before it starts.
	ConfigureHelper func(*exec.Cmd)
	// Detect reports this process's own socket capabilities; nil means probe.DetectCapabilities.
	Detect func() probe.Capabilities
	// Policy for in-process engines; the zero Policy means probe.PolicyForCurrentUser().
	Policy probe.Policy
	// GOOS for the fix text; "" means runtime.GOOS.
	GOOS string
}

// Select picks the best engine available, as design.md orders them: raw sockets through the
// helper; raw sockets in this process when it is privileged; unprivileged datagram sockets
// (or the Windows ICMP API); otherwise an error wrapping ErrNoEngine whose text is the fix.
func Select(ctx context.Context, cfg SelectConfig) (Engine, Choice, error) {
	if cfg.Detect == nil {
		cfg.Detect = probe.DetectCapabilities
	}
	if cfg.Policy.Name == "" {
		cfg.Policy = probe.PolicyForCurrentUser()
	}
	if cfg.GOOS == "" {
		cfg.GOOS = runtime.GOOS
	}
	var ch Choice
	helperPath := cfg.HelperPath
	if helperPath == "" {
		p, err := FindHelper()
		if err != nil {
			ch.Tried = append(ch.Tried, "agent: "+err.Error())
		}
		helperPath = p
	}
	if helperPath == "-" {
		helperPath = ""
		ch.Tried = append(ch.Tried, "agent: disabled")
	}
	if helperPath != "" {
		ch.HelperPath = helperPath
		client, err := Spawn(ctx, helperPath, cfg.ConfigureHelper)
		switch {
		case err != nil:
			ch.Tried = append(ch.Tried, "agent: "+err.Error())
		case client.Hello().Capabilities.Best != probe.SocketRaw:
			h := client.Hello()
			ch.Tried = append(ch.Tried, fmt.Sprintf("agent: %s runs as uid %d without CAP_NET_RAW (privilege %s), so it cannot open raw sockets",
				helperPath, h.Privilege.UID, h.Privilege.Effective))
			_ = client.Close()
		default:
			ch.Kind = EngineAgentRaw
			ch.Reason = fmt.Sprintf("the helper %s has raw sockets (%s): full fidelity, IP headers and real identifiers",
				helperPath, client.Hello().Privilege.Effective)
			return &agentEngine{client: client}, ch, nil
		}
	}

	caps := cfg.Detect()
	for _, k := range caps.Kinds {
		if k.Kind == probe.SocketRaw && k.Available {
			ch.Kind = EngineInProcessRaw
			ch.Reason = fmt.Sprintf("this process is privileged (%s), so it opens raw sockets itself", caps.Privilege)
			return &localEngine{kind: probe.SocketRaw, policy: cfg.Policy}, ch, nil
		}
	}
	ch.Tried = append(ch.Tried, "in-process raw: this process has no raw socket privilege ("+string(caps.Privilege)+")")
	for _, k := range caps.Kinds {
		if !k.Available {
			if k.Reason != "" {
				ch.Tried = append(ch.Tried, k.Kind.String()+": "+k.Reason)
			}
			continue
		}
		switch k.Kind {
		case probe.SocketDatagram:
			ch.Kind = EngineDatagram
			ch.Reason = "unprivileged ICMP datagram sockets: the kernel rewrites the echo identifier and strips the IP header; " +
				"replies are matched on sequence and payload token. For full fidelity: " + Fix(cfg.GOOS, helperPath)
			return &localEngine{kind: probe.SocketDatagram, policy: cfg.Policy}, ch, nil
		case probe.SocketWindows:
			ch.Kind = EngineWindowsAPI
			ch.Reason = "the Windows ICMP API (no administrator rights needed): no raw reply bytes, millisecond RTTs"
			return &localEngine{kind: probe.SocketWindows, policy: cfg.Policy}, ch, nil
		}
	}
	return nil, ch, fmt.Errorf("%w. %s", ErrNoEngine, Fix(cfg.GOOS, helperPath))
}

// Fix is the sentence that tells a person how to get raw (or at least datagram) ICMP on goos.
// helperPath is the helper's absolute path when one was found.
func Fix(goos, helperPath string) string {
	switch goos {
	case "linux":
		target := helperPath
		if target == "" {
			target = "/path/to/echoscope-ping"
		}
		s := "Give the helper raw sockets once: sudo setcap cap_net_raw=ep " + target +
			" ; or allow unprivileged ICMP datagram sockets for every group: sudo sysctl -w net.ipv4.ping_group_range=\"0 2147483647\" (persist it in /etc/sysctl.d/)."
		if helperPath == "" {
			s = "Install echoscope-ping beside Echoscope or on PATH (the Linux packages do), then give it raw sockets: sudo setcap cap_net_raw=ep /path/to/echoscope-ping" +
				" ; or allow unprivileged ICMP datagram sockets: sudo sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"."
		}
		return s
	case "darwin":
		return "Reinstall Echoscope with its installer (it installs the echoscope-ping helper); macOS normally allows ICMP datagram sockets to every user."
	case "windows":
		return "Reinstall Echoscope with its installer (it installs the echoscope-ping helper), or run it as Administrator for raw sockets."
	default:
		return "Run echoscope-ping as root, or give it the privilege to open raw ICMP sockets on " + goos + "."
	}
}

// agentEngine runs sessions in the helper.
type agentEngine struct{ client *Client }

func (e *agentEngine) Start(ctx context.Context, opts probe.Options, h probe.Handler) (Run, error) {
	s, err := e.client.Start(ctx, opts, h)
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (e *agentEngine) Close() error { return e.client.Close() }

// HelperOf returns the helper client behind an engine from Select (its Hello, its Done
// channel for noticing a dead helper), or nil when the engine runs in this process.
func HelperOf(e Engine) *Client {
	if ae, ok := e.(*agentEngine); ok {
		return ae.client
	}
	return nil
}

// localEngine runs sessions in this process with one socket kind.
type localEngine struct {
	kind   probe.SocketKind
	policy probe.Policy
	crafts craftLimiter // crafted packets spaced as through the helper

	mu       sync.Mutex
	runs     map[*localRun]struct{}
	monitors map[*localMonitorRun]struct{} // engine_monitor.go
}

func (e *localEngine) Start(ctx context.Context, opts probe.Options, h probe.Handler) (Run, error) {
	if opts.Socket == probe.SocketAuto {
		opts.Socket = e.kind
	}
	s, err := probe.NewSession(opts, e.policy, h)
	if err != nil {
		return nil, err
	}
	if err := s.Start(ctx); err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	r := &localRun{s: s, cancel: cancel, done: make(chan struct{})}
	e.mu.Lock()
	if e.runs == nil {
		e.runs = map[*localRun]struct{}{}
	}
	e.runs[r] = struct{}{}
	e.mu.Unlock()
	go func() {
		r.sum, r.err = s.Run(runCtx)
		cancel()
		e.mu.Lock()
		delete(e.runs, r)
		e.mu.Unlock()
		close(r.done)
	}()
	return r, nil
}

// Close stops every running session and monitor and waits for them to end.
func (e *localEngine) Close() error {
	e.mu.Lock()
	runs := make([]*localRun, 0, len(e.runs))
	for r := range e.runs {
		runs = append(runs, r)
	}
	monitors := make([]*localMonitorRun, 0, len(e.monitors))
	for r := range e.monitors {
		monitors = append(monitors, r)
	}
	e.mu.Unlock()
	for _, r := range runs {
		r.cancel()
		<-r.done
	}
	for _, r := range monitors {
		r.cancel()
		<-r.done
	}
	return nil
}

type localRun struct {
	s      *probe.Session
	cancel context.CancelFunc
	done   chan struct{}
	sum    probe.Summary
	err    error
}

func (r *localRun) Addr() netip.Addr             { return r.s.Addr() }
func (r *localRun) SocketKind() probe.SocketKind { return r.s.SocketKind() }
func (r *localRun) Stop() error                  { r.cancel(); return nil }
func (r *localRun) Wait(ctx context.Context) (probe.Summary, error) {
	select {
	case <-r.done:
		return r.sum, r.err
	case <-ctx.Done():
		return probe.Summary{}, ctx.Err()
	}
}
