package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"echoscope/backend/probe"
)

// runFping is the fping mode: parse, expand -g, resolve, run one monitor over every
// target, print fping's lines (or --json), and exit as fping: 0 every target alive, 1 some
// unreachable (or a command-line mistake), 2 a name that did not resolve, 4 a system
// call failure (no socket).
func runFping(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := parseFpingArgs(args)
	if err != nil {
		return fpingUsageFailure(stderr, err)
	}
	switch {
	case cfg.help:
		fmt.Fprint(stdout, fpingUsageText)
		return 0
	case cfg.version:
		fmt.Fprintf(stdout, "%s: Version %s (the fping mode of Echoscope, after fping 5.1)\n", prog, Version)
		return 0
	}
	out, errW := &syncWriter{w: stdout}, &syncWriter{w: stderr}
	var jsonOut *fpingJSON
	if cfg.json {
		jsonOut = newFpingJSON(out)
	}
	fail := func(code int, format string, a ...any) int {
		msg := fmt.Sprintf(format, a...)
		fmt.Fprintf(errW, "%s: %s\n", prog, msg)
		if jsonOut != nil {
			jsonOut.p.Failure(msg, code)
		}
		return code
	}
	targets := cfg.targets
	if cfg.file != "" {
		if len(targets) > 0 || cfg.generate {
			return fpingUsageFailure(stderr, fpingUsagef("-f reads every target from the file: give no targets (and no -g) beside it"))
		}
		if targets, err = readTargetFile(cfg.file, stdin); err != nil {
			return fail(1, "%v", err)
		}
	}
	if cfg.generate {
		if targets, err = generateTargets(targets, cfg.force); err != nil {
			return fpingUsageFailure(stderr, err)
		}
	}
	if len(targets) == 0 {
		return fpingUsageFailure(stderr, fpingUsagef("no targets given"))
	}
	if len(targets) > probe.MaxMonitorTargets {
		return fail(1, "%d targets, at most %d at once", len(targets), probe.MaxMonitorTargets)
	}
	// Names are resolved here, once, so that one that does not resolve is reported as fping
	// does and the others still run.
	var names, addrs []string
	unknown := 0
	for _, t := range targets {
		a, err := probe.Resolve(ctx, t, cfg.family)
		if err != nil {
			unknown++
			fmt.Fprintf(errW, "%s: %s\n", t, fpingResolveError(err))
			if jsonOut != nil {
				jsonOut.unknown(t, fpingResolveError(err))
			}
			continue
		}
		name := t
		if cfg.showAddr {
			name = a.String()
		}
		names, addrs = append(names, name), append(addrs, a.String())
	}
	if len(addrs) == 0 {
		return 2
	}
	mo := fpingMonitorOptions(&cfg, addrs)
	policy := callerPolicy()
	text := newFpingText(&cfg, out, errW, names)
	handler := text.Event
	if jsonOut != nil {
		jsonOut.names = names
		handler = jsonOut.Event
	}
	m, err := probe.NewMonitor(ctx, mo, policy, handler)
	if err != nil {
		return fail(1, "%v", err)
	}
	if err := m.Start(ctx); err != nil {
		// fping: "can't create socket (must run as root?)", exit 4.
		return fail(4, "%s", describeMonitorError(err))
	}
	if jsonOut != nil {
		jsonOut.start(&cfg, m, names)
	}
	sum, runErr := m.Run(ctx)
	code := fpingExitCode(sum, unknown)
	if runErr != nil {
		fmt.Fprintf(errW, "%s: %v\n", prog, runErr)
		code = 4
	}
	if jsonOut != nil {
		jsonOut.finish(sum, unknown, code, runErr)
		return code
	}
	text.finish(sum, unknown)
	return code
}

// fpingMonitorOptions turns fping's timing into a monitor's. The default mode asks each
// target until its first reply, retries+1 requests at most, each when the one before timed
// out (with -B's backoff), the targets -i apart. Count and loop modes ping every target
// every -p; the monitor spreads the targets evenly over that period, never closer than -i
// (so the period is at least targets × -i).
func fpingMonitorOptions(cfg *fpingConfig, addrs []string) probe.MonitorOptions {
	n := time.Duration(len(addrs))
	o := probe.Options{Family: cfg.family, Socket: cfg.socket, Timeout: cfg.timeout,
		Size: cfg.size, SizeSet: true, TTL: cfg.ttl}
	mo := probe.MonitorOptions{Targets: addrs}
	if cfg.count > 0 || cfg.loop {
		o.Count = cfg.count
		if cfg.loop {
			o.Count = 0
		}
		o.Interval = max(cfg.period, n*cfg.interval)
	} else {
		o.Count = cfg.retries + 1
		o.Interval = max(n*cfg.interval, time.Nanosecond)
		mo.UntilReply, mo.Backoff = true, cfg.backoff
	}
	mo.Options = o
	return mo
}

// fpingExitCode is fping's: 2 when a name did not resolve, else 1 when a target never
// answered, else 0.
func fpingExitCode(sum probe.MonitorSummary, unknown int) int {
	if unknown > 0 {
		return 2
	}
	for _, s := range sum.Targets {
		if s.Received == 0 {
			return 1
		}
	}
	return 0
}

// fpingUsageFailure prints a command-line mistake as fping does and returns its exit code.
func fpingUsageFailure(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "%s: %v\n", prog, err)
	var ue *fpingUsageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "see '%s --fping -h' for usage information\n", prog)
	}
	return 1
}

// fpingResolveError words a name that did not resolve as fping (getaddrinfo's words).
func fpingResolveError(err error) string {
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr) && !dnsErr.IsNotFound:
		return "Temporary failure in name resolution"
	case errors.Is(err, probe.ErrResolve):
		return "Name or service not known"
	}
	return err.Error()
}

// describeMonitorError words a socket that could not be opened, with the fix.
func describeMonitorError(err error) string {
	if errors.Is(err, probe.ErrPrivilegeRequired) || errors.Is(err, probe.ErrNoSocket) {
		return withFixOnce(err.Error(), probe.PrivilegeHint())
	}
	return err.Error()
}

// fpingUsageText is --fping -h.
const fpingUsageText = `Usage: echoscope-ping [options] [targets...]   (the fping mode)

The fping mode runs when more than one target is given, or -g, or --fping; it reads
fping 5.1's options and prints its lines. One target with iputils ping's options is
the ping mode (echoscope-ping -h).

Probing options:
   -4, --ipv4         only ping IPv4 addresses
   -6, --ipv6         only ping IPv6 addresses
   -b, --size=BYTES   amount of ping data to send, in bytes (default: 56)
   -B, --backoff=N    set exponential backoff factor to N (default: 1.5)
   -c, --count=N      count mode: send N pings to each target
   -f, --file=FILE    read list of targets from a file ( - means stdin)
   -g, --generate     generate target list (only if no -f specified)
                      (give start and end IP in the target list, or a CIDR address)
                      (at most 1024 addresses, a /22, unless --force: 4096)
   -H, --ttl=N        set the IP TTL value (Time To Live hops)
   -l, --loop         loop mode: send pings forever
   -p, --period=MSEC  interval between ping packets to one target (in ms)
                      (in loop and count modes, default: 1000 ms)
   -r, --retry=N      number of retries (default: 3)
   -t, --timeout=MSEC individual target initial timeout (default: 500 ms,
                      except with -l/-c/-C, where it's the -p period up to 2000 ms)

Output options:
   -a, --alive        show targets that are alive
   -A, --addr         show targets by address
   -C, --vcount=N     same as -c, report results in verbose format
   -e, --elapsed      show elapsed time on return packets
   -i, --interval=MSEC  interval between sending ping packets (default: 10 ms)
   -q, --quiet        quiet (don't show per-target/per-ping results)
   -s, --stats        print final stats
   -u, --unreach      show targets that are unreachable
   -v, --version      show version

Echoscope options:
   --json             JSON lines (docs/cli-json.md: monitor_start, packets with their
                      target, target_summary, monitor_summary)
   --socket KIND      auto, raw or datagram
   --force            let -g make up to 4096 addresses
   --fping            the fping mode for a single target

The targets are pinged by one monitor: one raw socket per address family shared by
every target (an identifier each), or a datagram socket per target; requests are spread
evenly, one every -i at least. Exit status: 0 all targets alive, 1 some unreachable or
a mistake on the command line, 2 a name that did not resolve, 4 no socket.
`
