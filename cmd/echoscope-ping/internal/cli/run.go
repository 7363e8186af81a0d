// Package cli is `echoscope-ping [flags] HOST` and `echoscope-ping --agent`: an iputils-
// compatible ping command on Echoscope's engine, and the GUI's privileged helper.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"echoscope/backend/agent"
	"echoscope/backend/probe"
)

// Version is the program version printed by -V and in the agent hello.
// Stamped at build time with scripts/version.sh, as the app is (see the Makefile).
var Version = "dev"

const prog = "echoscope-ping"

// Main runs the command line (without the program name) and returns the exit code:
// 0 when replies came, 1 when none did, 2 on errors (as iputils ping).
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if isFpingCommand(args) {
		// Several targets, -g or --fping: fping's options and lines (fping_run.go).
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return runFping(ctx, args, stdin, stdout, stderr)
	}
	cfg, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		code := 2
		var ue *usageError
		if errors.As(err, &ue) {
			if ue.showUsage {
				fmt.Fprint(stderr, "\n"+usageText)
			}
			code = ue.exitCode()
		}
		return code
	}
	switch {
	case cfg.help:
		fmt.Fprint(stderr, usageText) // as iputils: on stderr, and not a successful ping
		return 2
	case cfg.version:
		fmt.Fprintf(stdout, "%s from Echoscope %s\n", prog, Version)
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.agent {
		return runAgent(ctx, stdin, stdout, stderr)
	}
	return runPing(ctx, &cfg, stdout, stderr)
}

// callerPolicy is the policy for whoever runs us: the real uid decides (a setcap'd binary run
// by a user is a user), as iputils does.
func callerPolicy() probe.Policy {
	return probe.PolicyForCurrentUser()
}

func runAgent(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer) int {
	err := agent.Serve(ctx, stdin, stdout, agent.ServerConfig{
		Program: prog + " " + Version,
		Policy:  callerPolicy(),
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "%s --agent: %v\n", prog, err)
		return 2
	}
	return 0
}

// iputilsStopRules sets the engine's stop rules the way iputils ping stops (its
// main_loop): an ICMP or local error answers a request for -c; with -w, -c counts replies
// and requests go on until they came; with -w, the first error ends the run. The GUI keeps
// the engine's defaults (errors wait for the timeout, Count counts requests).
func iputilsStopRules(o *probe.Options) {
	o.ErrorsAnswer = true
	if o.Deadline > 0 {
		o.StopOnError = true
		o.CountReplies = o.Count > 0
	}
}

func runPing(ctx context.Context, cfg *cliConfig, stdout, stderr io.Writer) int {
	out := &syncWriter{w: stdout}
	var jsonOut *jsonPrinter
	var ipj *iputilsJSON
	switch {
	case cfg.json:
		jsonOut = newJSONPrinter(out, cfg.jsonBytes)
	case cfg.iputilsJSON:
		ipj = &iputilsJSON{w: out, cfg: cfg}
	}
	fail := func(code int, format string, args ...any) int {
		msg := fmt.Sprintf(format, args...)
		fmt.Fprintf(stderr, "%s: %s\n", prog, msg)
		switch {
		case jsonOut != nil:
			// Scripts reading --json get the failure on stdout too, as the last object.
			jsonOut.Failure(msg, code)
		case ipj != nil:
			ipj.Failure(msg)
		}
		return code
	}
	iputilsStopRules(&cfg.opts)
	cfg.opts.StatsEvery = cfg.statsInterval
	if cfg.lingerZero {
		// -W 0 (iputils: no lingering after the last request). The engine's timeout is per
		// request, so a request waits one interval, between 10 ms and 1 s, for its reply.
		cfg.opts.Timeout = min(max(cfg.opts.EffectiveInterval(), 10*time.Millisecond), time.Second)
	}
	policy := callerPolicy()
	if !policy.AllowFlood && (cfg.opts.Flood || cfg.opts.EffectiveInterval() < policy.MinInterval) {
		return fail(2, "cannot flood; minimal interval allowed for user is %v", policy.MinInterval)
	}
	if cfg.opts.Mark != 0 && !policy.AllowMark {
		return fail(2, "cannot set a firewall mark (-m): root only, as iputils (CAP_NET_ADMIN)")
	}
	if policy.MaxPreload > 0 && cfg.opts.Preload > policy.MaxPreload {
		return fail(2, "cannot set preload to value greater than %d: %d", policy.MaxPreload, cfg.opts.Preload)
	}
	if a, err := netip.ParseAddr(cfg.opts.Target); err == nil && cfg.opts.Family == probe.FamilyAuto && a.Is6() && !a.Is4In6() {
		// An IPv6 literal is IPv6: saying so lets the engine allow IPv6's larger payload.
		cfg.opts.Family = probe.Family6
	}
	if max := maxPayload(cfg.opts); cfg.opts.PayloadSize() > max {
		// iputils lets the kernel refuse it later; saying so up front is kinder.
		return fail(2, "invalid argument: '%d': out of range: 0 <= value <= %d", cfg.opts.PayloadSize(), max)
	}
	if msg := checkSource(cfg.opts.Source); msg != "" {
		return fail(2, "%s", msg)
	}
	rec, err := openRecorder(cfg) // before the session: a bad path fails before any packet
	if err != nil {
		return fail(2, "%v", err)
	}
	if rec != nil {
		defer rec.close() // a no-op after finish; covers the setup failures below
	}
	var printer *textPrinter
	// -f -q prints nothing per packet: the engine only counts (see quietflood.go).
	quietFlood := cfg.quiet && cfg.opts.Flood && jsonOut == nil && ipj == nil && rec == nil
	// statusWanted: a SIGQUIT asked for the status line; the engine's next EventStats is it.
	var statusWanted atomic.Bool
	handler := func(ev probe.Event) {
		if ev.Kind == probe.EventStats {
			asked := statusWanted.CompareAndSwap(true, false)
			switch {
			case jsonOut != nil && asked:
				jsonOut.Statistics("status", ev.Stats)
			case jsonOut != nil:
				jsonOut.Statistics("statistics", ev.Stats)
			default:
				// iputils' status line, on stderr, for SIGQUIT and --stats-interval alike.
				fmt.Fprintf(stderr, "\r%s\n", statsStatus(ev.Stats))
			}
			return
		}
		if rec != nil {
			rec.event(ev)
		}
		switch {
		case jsonOut != nil:
			jsonOut.Event(ev)
		case ipj != nil:
			ipj.Event(ev)
			printer.noteSend(ev)
		default:
			printer.Event(ev)
		}
	}
	sess, err := probe.NewSession(cfg.opts, policy, handler)
	if err != nil {
		return fail(2, "%s", describeSetupError(cfg, err))
	}
	addr := sess.Addr()
	if isLocalBroadcast(addr) || addr == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		if !cfg.opts.Broadcast {
			return fail(2, "%s", broadcastRefusal)
		}
		fmt.Fprintf(stderr, "WARNING: pinging broadcast address\n")
	}
	if cfg.quiet && jsonOut == nil && rec == nil {
		// -q prints no packet lines, so no event needs its bytes (a copy saved per packet).
		sess.OmitBytes()
	}
	if quietFlood {
		defer prepareQuietFlood(sess)() // before Start, which sets the socket's options
	}
	if cfg.stickySource && cfg.opts.Source == "" {
		// -B: bind to the source the kernel picks now; iputils then names it in the header.
		if src := routeSource(addr, ""); src.IsValid() {
			if err := sess.PinSource(src); err != nil {
				return fail(2, "%v", err)
			}
			cfg.opts.Source = src.String()
		}
	}
	if err := sess.Start(ctx); err != nil {
		return fail(2, "%s", describeSetupError(cfg, err))
	}
	if rec != nil {
		rec.start(addr)
	}
	if cfg.verbose && policy.OwnTrafficOnly && sess.SocketKind() == probe.SocketRaw {
		// The raw socket sees other processes' ICMP, which only a privileged caller may read.
		fmt.Fprintf(stderr, "%s: other processes' ICMP messages are shown to root only; here they are counted as foreign, not shown\n", prog)
	}
	if sess.SocketKind() == probe.SocketDatagram {
		// Said on stderr so stdout stays what iputils prints.
		how := "sequence and payload token"
		if cfg.opts.PayloadSize() < probe.PayloadHeaderLen {
			how = "sequence alone (payload too short for the token)"
		}
		fmt.Fprintf(stderr, "%s: unprivileged ICMP datagram socket: the kernel rewrites the echo identifier and strips the IP header; replies are matched on %s\n", prog, how)
	}
	src, warning := findSource(cfg.opts.Source, addr)
	if warning != "" {
		fmt.Fprintf(stderr, "%s: %s\n", prog, warning)
	}
	names := reverseNames(cfg, addr)
	if names != nil {
		names(addr) // look the target up now, not on the engine's loop at the first reply
	}
	printer = newTextPrinter(out, cfg, addr, names)
	printer.errW = stderr
	printer.mtu = func() int { return routeMTU(addr) }
	if ipj != nil {
		ipj.names = func(ev probe.Event) string { return printer.addr(ev.From) }
		ipj.span = printer.sendSpan
	}
	// Listening before the header goes out: whoever reacts to the header with a SIGQUIT
	// gets the status line, not Go's default goroutine dump.
	stopQuit := onSIGQUIT(func() {
		// iputils: SIGQUIT prints a status line and goes on. The engine answers with an
		// EventStats, its own statistics (there is no second count here).
		statusWanted.Store(true)
		sess.RequestStats()
	})
	switch {
	case jsonOut != nil:
		jsonOut.Start(cfg, sess, addrString(src.addr), src.device)
	case ipj == nil:
		fmt.Fprint(out, header(cfg, cfg.opts.Target, addr, names, src))
	}
	sum, runErr := sess.Run(ctx)
	stopQuit()
	if errors.Is(runErr, probe.ErrBroadcast) {
		return fail(2, "%s", broadcastRefusal)
	}
	code := exitCode(cfg.opts, sum.Stats)
	if runErr != nil {
		code = 2
	}
	switch {
	case jsonOut != nil:
		jsonOut.Summary(sum, runErr, code)
	case ipj != nil:
		ipj.Statistics(cfg.opts.Target, sum.Stats)
	default:
		fmt.Fprint(out, printer.statistics(cfg.opts.Target, sum.Stats))
	}
	if rec != nil {
		if err := rec.finish(stderr); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", prog, err)
			return 2
		}
	}
	if runErr != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prog, runErr)
		return 2
	}
	return code
}

// broadcastRefusal is iputils' answer to a broadcast target without -b.
const broadcastRefusal = "Do you want to ping broadcast? Then -b. If not, check your local firewall rules"

// onSIGQUIT calls f on every SIGQUIT (Ctrl-\) until the returned stop is called.
func onSIGQUIT(f func()) (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGQUIT)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-ch:
				f()
			case <-done:
				return
			}
		}
	}()
	return func() { signal.Stop(ch); close(done) }
}

// maxPayload is the largest -s: IPv6's when -6 forces it or the target is an IPv6 literal,
// IPv4's otherwise (a name may still resolve to IPv4).
func maxPayload(o probe.Options) int {
	if a, err := netip.ParseAddr(o.Target); o.Family == probe.Family6 || (err == nil && a.Is6() && !a.Is4In6()) {
		return probe.MaxPayloadIPv6
	}
	return probe.MaxPayloadIPv4
}

// describeSetupError words the errors that stop a ping before it starts like iputils does,
// and keeps the engine's own words (and fix) for the rest.
func describeSetupError(cfg *cliConfig, err error) string {
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, probe.ErrUnknownZone):
		return cfg.opts.Target + ": Name or service not known" // iputils' words for it
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return cfg.opts.Target + ": Name or service not known"
	case errors.As(err, &dnsErr):
		// No answer at all (no resolver reachable, a timeout): getaddrinfo's EAI_AGAIN.
		return cfg.opts.Target + ": Temporary failure in name resolution"
	case errors.Is(err, probe.ErrResolve) && cfg.opts.Family != probe.FamilyAuto:
		return cfg.opts.Target + ": Address family for hostname not supported"
	case errors.Is(err, probe.ErrBroadcast):
		return broadcastRefusal
	case errors.Is(err, probe.ErrPrivilegeRequired), errors.Is(err, probe.ErrNoSocket):
		return withFixOnce(err.Error(), probe.PrivilegeHint())
	}
	return err.Error()
}

// withFixOnce puts the fix for this OS on a line of its own after the reason, once: the
// engine's auto mode may append it to each socket kind's error.
func withFixOnce(msg, hint string) string {
	if hint == "" {
		return msg
	}
	msg = strings.ReplaceAll(msg, ". "+hint, ".")
	msg = strings.ReplaceAll(msg, " "+hint, "")
	msg = strings.ReplaceAll(msg, hint, "")
	msg = strings.ReplaceAll(msg, "..", ".")
	return strings.TrimSpace(msg) + "\n" + hint
}

// reverseNames reproduces iputils' "from localhost (127.0.0.1)": names only when the target
// was given as a name and -n is not set, one lookup per address, cached.
func reverseNames(cfg *cliConfig, target netip.Addr) func(netip.Addr) string {
	if cfg.numeric {
		return nil
	}
	if _, err := netip.ParseAddr(cfg.opts.Target); err == nil {
		return nil
	}
	cache := map[netip.Addr]string{}
	return func(a netip.Addr) string {
		if s, ok := cache[a]; ok {
			return s
		}
		s := a.String()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		names, err := net.DefaultResolver.LookupAddr(ctx, a.String())
		cancel()
		if err == nil && len(names) > 0 {
			name := names[0]
			if len(name) > 1 && name[len(name)-1] == '.' {
				name = name[:len(name)-1]
			}
			s = name + " (" + a.String() + ")"
		}
		cache[a] = s
		return s
	}
}

// syncWriter serialises writes: the engine's handler and the main goroutine both print.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
