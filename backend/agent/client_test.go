package agent

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"echoscope/backend/probe"
	"echoscope/internal/testbin"
)

// helperBin is the real echoscope-ping, built once for these tests.
var helperBin string

func TestMain(m *testing.M) {
	os.Exit(testbin.MainWithEchoscopePing(m, HelperName(), func(path string) { helperBin = path }))
}

func spawn(t *testing.T) *Client {
	t.Helper()
	c, err := Spawn(context.Background(), helperBin, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func needRaw(t *testing.T, c *Client) {
	t.Helper()
	if c.Hello().Capabilities.Best != probe.SocketRaw {
		t.Skipf("helper has no raw sockets here (privilege %s)", c.Hello().Privilege.Effective)
	}
}

// collector gathers events from the client's reader goroutine.
type collector struct {
	mu  sync.Mutex
	evs []probe.Event
}

func (c *collector) handle(ev probe.Event) { c.mu.Lock(); c.evs = append(c.evs, ev); c.mu.Unlock() }
func (c *collector) count(kind probe.EventKind, class probe.Class) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, ev := range c.evs {
		if ev.Kind == kind && (class == "" || ev.Class == class) {
			n++
		}
	}
	return n
}

func TestHelloDescribesTheHelper(t *testing.T) {
	c := spawn(t)
	h := c.Hello()
	if h.Protocol != ProtocolVersion || !strings.HasPrefix(h.Program, "echoscope-ping ") || h.PID == 0 {
		t.Errorf("hello: %+v", h)
	}
	if h.Privilege.UID != os.Getuid() || h.Privilege.EUID != os.Geteuid() {
		t.Errorf("privilege %+v, want uid %d euid %d", h.Privilege, os.Getuid(), os.Geteuid())
	}
	if os.Geteuid() == 0 && (h.Policy.Name != "root" || !h.Policy.AllowFlood) {
		t.Errorf("root helper policy: %+v", h.Policy)
	}
	if os.Geteuid() != 0 && (h.Policy.MinInterval != 2*time.Millisecond || h.Policy.AllowFlood) {
		t.Errorf("user helper policy: %+v", h.Policy)
	}
	if h.MaxFrame != MaxFrameSize || h.MaxSessions != DefaultMaxSessions || len(h.Capabilities.Kinds) == 0 {
		t.Errorf("limits/capabilities: %+v", h)
	}
}

func TestSessionsThroughTheHelper(t *testing.T) {
	c := spawn(t)
	needRaw(t, c)
	ctx := context.Background()
	var v4, v6 collector
	s4, err := c.Start(ctx, probe.Options{Target: "127.0.0.1", Count: 3, Interval: 10 * time.Millisecond}, v4.handle)
	if err != nil {
		t.Fatal(err)
	}
	// An endless IPv6 session alongside, stopped by id.
	s6, err := c.Start(ctx, probe.Options{Target: "::1", Interval: 10 * time.Millisecond}, v6.handle)
	if err != nil {
		t.Fatal(err)
	}
	if s4.ID() == s6.ID() || s4.SocketKind() != probe.SocketRaw || s4.Addr().String() != "127.0.0.1" || s6.Addr().String() != "::1" {
		t.Errorf("sessions %s %v %v, %s %v", s4.ID(), s4.SocketKind(), s4.Addr(), s6.ID(), s6.Addr())
	}
	sum, err := s4.Wait(ctx)
	if err != nil || sum.Sent != 3 || sum.Received != 3 || sum.Socket != probe.SocketRaw {
		t.Fatalf("IPv4 summary %+v, %v", sum.Stats, err)
	}
	if n := v4.count(probe.EventReply, probe.ClassOnTime); n != 3 {
		t.Errorf("%d on-time replies, want 3", n)
	}
	for _, ev := range v4.evs {
		// (Foreign replies, other processes' pings on the shared loopback, have no request.)
		if ev.Kind == probe.EventReply && ev.Class == probe.ClassOnTime && (len(ev.Bytes) == 0 || len(ev.Request) == 0) {
			t.Errorf("reply without bytes: %+v", ev)
		}
	}
	if err := s6.Stop(); err != nil {
		t.Fatal(err)
	}
	sum6, err := s6.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum6.Sent == 0 || uint64(v6.count(probe.EventSend, "")) != sum6.Sent {
		t.Errorf("IPv6: summary says %d sent, %d send events", sum6.Sent, v6.count(probe.EventSend, ""))
	}
}

func TestRefusalsCarryTheProbeSentinel(t *testing.T) {
	c := spawn(t)
	_, err := c.Start(context.Background(), probe.Options{Target: ""}, nil)
	var re *RemoteError
	if !errors.As(err, &re) || !errors.Is(err, ErrRefused) || !errors.Is(err, probe.ErrInvalidOption) {
		t.Fatalf("got %v, want a refusal wrapping ErrInvalidOption", err)
	}
	_, err = c.Start(context.Background(), probe.Options{Target: "nosuch.invalid", Count: 1}, nil)
	if !errors.Is(err, probe.ErrResolve) {
		t.Fatalf("got %v, want ErrResolve", err)
	}
	// The client still works after refusals.
	if _, err := c.Start(context.Background(), probe.Options{Target: "", Count: 1}, nil); !errors.Is(err, ErrRefused) {
		t.Fatalf("got %v", err)
	}
}

func TestADyingHelperIsReported(t *testing.T) {
	c := spawn(t)
	needRaw(t, c)
	ctx := context.Background()
	s, err := c.Start(ctx, probe.Options{Target: "127.0.0.1", Interval: 50 * time.Millisecond}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_, err = s.Wait(ctx)
	if !errors.Is(err, ErrHelperExited) || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("Wait: got %v, want ErrHelperExited saying it was killed", err)
	}
	<-c.Done()
	if _, err := c.Start(ctx, probe.Options{Target: "127.0.0.1", Count: 1}, nil); !errors.Is(err, ErrHelperExited) {
		t.Fatalf("Start after death: got %v", err)
	}
}

func TestClosingStdinStopsTheHelper(t *testing.T) {
	c := spawn(t)
	needRaw(t, c)
	ctx := context.Background()
	firstSend := make(chan struct{})
	var once sync.Once
	s, err := c.Start(ctx, probe.Options{Target: "127.0.0.1", Interval: 20 * time.Millisecond}, func(ev probe.Event) {
		once.Do(func() { close(firstSend) })
	})
	if err != nil {
		t.Fatal(err)
	}
	<-firstSend
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	// The helper stops its session (a done frame) before it exits, so Wait has the summary.
	sum, err := s.Wait(ctx)
	if err != nil && !errors.Is(err, ErrHelperExited) {
		t.Fatalf("Wait: %v", err)
	}
	if err == nil && sum.Sent == 0 {
		t.Errorf("summary after close: %+v", sum.Stats)
	}
	if st := c.cmd.ProcessState; st == nil || !st.Exited() || st.ExitCode() != 0 {
		t.Errorf("helper state after stdin closed: %v", st)
	}
}

func TestSpawnRefusesANonHelper(t *testing.T) {
	_, err := Spawn(context.Background(), "/bin/true", nil)
	if !errors.Is(err, ErrHandshake) {
		t.Fatalf("got %v, want ErrHandshake", err)
	}
	_, err = Spawn(context.Background(), filepath.Join(t.TempDir(), "missing"), nil)
	if !errors.Is(err, ErrHandshake) {
		t.Fatalf("got %v, want ErrHandshake", err)
	}
}

func caps(kinds ...probe.KindAvailability) func() probe.Capabilities {
	return func() probe.Capabilities {
		return probe.Capabilities{OS: "linux", Privilege: probe.PrivilegeNone, Kinds: kinds}
	}
}

func TestSelectFallsBackInDesignOrder(t *testing.T) {
	ctx := context.Background()
	raw := probe.KindAvailability{Kind: probe.SocketRaw, IPv4: true, Available: true}
	noRaw := probe.KindAvailability{Kind: probe.SocketRaw, Reason: "operation not permitted"}
	dgram := probe.KindAvailability{Kind: probe.SocketDatagram, IPv4: true, Available: true}
	noDgram := probe.KindAvailability{Kind: probe.SocketDatagram, Reason: "permission denied (ping_group_range)"}

	t.Run("agent raw", func(t *testing.T) {
		c := spawn(t)
		needRaw(t, c)
		e, ch, err := Select(ctx, SelectConfig{HelperPath: helperBin, Detect: caps(noRaw, noDgram)})
		if err != nil || ch.Kind != EngineAgentRaw || ch.HelperPath != helperBin {
			t.Fatalf("got %+v, %v", ch, err)
		}
		if c := HelperOf(e); c == nil || c.Hello().Protocol != ProtocolVersion {
			t.Errorf("HelperOf(agent engine) = %v", c)
		}
		e.Close()
	})
	t.Run("in-process raw", func(t *testing.T) {
		e, ch, err := Select(ctx, SelectConfig{HelperPath: "-", Detect: caps(raw, dgram)})
		if err != nil || ch.Kind != EngineInProcessRaw {
			t.Fatalf("got %+v, %v", ch, err)
		}
		if HelperOf(e) != nil {
			t.Error("HelperOf(in-process engine) is not nil")
		}
	})
	t.Run("datagram", func(t *testing.T) {
		_, ch, err := Select(ctx, SelectConfig{HelperPath: "-", Detect: caps(noRaw, dgram), GOOS: "linux"})
		if err != nil || ch.Kind != EngineDatagram || !strings.Contains(ch.Reason, "rewrites the echo identifier") {
			t.Fatalf("got %+v, %v", ch, err)
		}
	})
	t.Run("helper that fails", func(t *testing.T) {
		_, ch, err := Select(ctx, SelectConfig{HelperPath: "/bin/true", Detect: caps(noRaw, dgram)})
		if err != nil || ch.Kind != EngineDatagram || len(ch.Tried) == 0 || !strings.Contains(ch.Tried[0], "handshake") {
			t.Fatalf("got %+v, %v", ch, err)
		}
	})
	t.Run("nothing", func(t *testing.T) {
		_, ch, err := Select(ctx, SelectConfig{HelperPath: "/opt/echoscope/echoscope-ping-missing", Detect: caps(noRaw, noDgram), GOOS: "linux"})
		if !errors.Is(err, ErrNoEngine) {
			t.Fatalf("got %+v, %v", ch, err)
		}
		for _, want := range []string{"sudo setcap cap_net_raw=ep /opt/echoscope/echoscope-ping-missing", `sudo sysctl -w net.ipv4.ping_group_range="0 2147483647"`} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q lacks %q", err, want)
			}
		}
	})
}

func TestFixNamesTheRemedyForEachOS(t *testing.T) {
	cases := map[string][]string{
		"linux":   {"sudo setcap cap_net_raw=ep /usr/lib/echoscope/echoscope-ping", "ping_group_range"},
		"darwin":  {"installer"},
		"windows": {"installer", "Administrator"},
	}
	for goos, wants := range cases {
		got := Fix(goos, "/usr/lib/echoscope/echoscope-ping")
		for _, w := range wants {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", goos, got, w)
			}
		}
	}
	if got := Fix("linux", ""); !strings.Contains(got, "Install echoscope-ping") {
		t.Errorf("no helper: %q", got)
	}
}

func TestLocalEngineRunsAndStops(t *testing.T) {
	caps := probe.DetectCapabilities()
	if caps.Best == probe.SocketAuto {
		t.Skip("no ICMP socket in this process")
	}
	e := &localEngine{kind: caps.Best, policy: probe.PolicyForCurrentUser()}
	var col collector
	r, err := e.Start(context.Background(), probe.Options{Target: "127.0.0.1", Interval: 10 * time.Millisecond}, col.handle)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	sum, err := r.Wait(context.Background())
	if err != nil || uint64(col.count(probe.EventSend, "")) != sum.Sent {
		t.Fatalf("summary %+v (%d send events), %v", sum.Stats, col.count(probe.EventSend, ""), err)
	}
}
