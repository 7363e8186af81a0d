package cli

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"echoscope/backend/probe"
)

// The fping mode: `echoscope-ping` with several targets, or -g, or --fping, reads fping
// 5.1's options (Debian's `fping`) instead of iputils ping's and prints fping's lines. The
// two option sets disagree on letters (-a is audible in ping, alive in fping; -i is
// seconds in ping, milliseconds in fping; -t is the TTL in ping, the timeout in fping), so
// the mode is chosen from the whole command line before any option is read.

// fpingConfig is everything an fping command line asked for.
type fpingConfig struct {
	targets  []string
	generate bool   // -g: targets are a CIDR or a start and end address
	file     string // -f FILE: one target per line ("-": stdin)

	alive, unreach bool // -a, -u: print only alive / unreachable targets
	quiet          bool // -q
	stats          bool // -s: global statistics at the end
	elapsed        bool // -e: RTT after "is alive"
	showAddr       bool // -A: targets by address
	loop           bool // -l: until interrupted

	count    int  // -c or -C: pings per target (count mode); 0: default mode
	vcount   bool // -C: per-ping RTTs at the end
	retries  int  // -r (default mode)
	interval time.Duration
	period   time.Duration
	timeout  time.Duration
	timeSet  bool // -t given (else count mode follows -p, up to 2 s)
	backoff  float64
	size     int
	sizeSet  bool
	ttl      int
	family   probe.Family

	force  bool // --force: -g beyond fpingMaxGenerate
	json   bool // --json
	socket probe.SocketKind

	help, version bool
}

// fping's defaults (fping 5.1).
const (
	fpingDefaultRetries  = 3
	fpingDefaultInterval = 10 * time.Millisecond
	fpingDefaultPeriod   = time.Second
	fpingDefaultTimeout  = 500 * time.Millisecond
	fpingMaxCountTimeout = 2 * time.Second
	fpingDefaultBackoff  = 1.5
)

// fpingWithArg are fping's short options that take a value (those echoscope-ping knows).
const fpingWithArg = "bBcCfHipIrtS"

// fpingFlags are its short options without one.
const fpingFlags = "46aAegluqsvh"

// fpingRefused names fping options echoscope-ping does not implement, and why.
var fpingRefused = map[byte]string{
	'd': "reverse DNS names are not looked up in the fping mode",
	'n': "reverse DNS names are not looked up in the fping mode",
	'D': "timestamps before each line are not implemented in the fping mode",
	'm': "pinging every address of a name is not implemented: give each address",
	'M': "the don't-fragment flag is not implemented in the fping mode",
	'N': "netdata output is not implemented",
	'o': "outage time is not implemented",
	'O': "the TOS option is not implemented in the fping mode",
	'Q': "interval summaries are not implemented (use --json)",
	'R': "random payloads would defeat the engine's payload check",
	'x': "-x is not implemented",
	'X': "-X is not implemented",
}

// fpingLong maps fping's long options (and ours) to their short letter ("" for ours) and
// whether they take a value.
var fpingLong = map[string]struct {
	short   byte
	takeArg bool
}{
	"ipv4": {'4', false}, "ipv6": {'6', false}, "alive": {'a', false}, "addr": {'A', false},
	"size": {'b', true}, "backoff": {'B', true}, "count": {'c', true}, "vcount": {'C', true},
	"elapsed": {'e', false}, "file": {'f', true}, "generate": {'g', false}, "help": {'h', false},
	"ttl": {'H', true}, "interval": {'i', true}, "loop": {'l', false}, "period": {'p', true},
	"quiet": {'q', false}, "retry": {'r', true}, "stats": {'s', false}, "timeout": {'t', true},
	"unreach": {'u', false}, "version": {'v', false},
	"json": {0, false}, "force": {0, false}, "fping": {0, false}, "socket": {0, true},
}

// isFpingCommand tells whether a command line is for the fping mode: --fping, -g, or more
// than one destination when read with iputils ping's options.
func isFpingCommand(args []string) bool {
	hosts := 0
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			hosts += len(args) - i - 1
			i = len(args)
		case a == "--fping" || a == "--generate":
			return true
		case strings.HasPrefix(a, "--"):
			name, _, hasVal := strings.Cut(a[2:], "=")
			if longOptions[name] && !hasVal {
				i++
			}
		case len(a) > 1 && a[0] == '-':
			for j := 1; j < len(a); j++ {
				if a[j] == 'g' {
					return true
				}
				if strings.IndexByte(shortWithArg, a[j]) >= 0 {
					if j == len(a)-1 {
						i++
					}
					break
				}
			}
		default:
			hosts++
		}
	}
	return hosts > 1
}

// fpingUsageError is a command-line mistake in the fping mode: fping prints the message and
// "see 'fping -h' for usage information", and exits 1.
type fpingUsageError struct{ msg string }

func (e *fpingUsageError) Error() string { return e.msg }

func fpingUsagef(format string, args ...any) error {
	return &fpingUsageError{msg: fmt.Sprintf(format, args...)}
}

// parseFpingArgs reads an fping command line (getopt_long, with permutation, as fping).
func parseFpingArgs(args []string) (fpingConfig, error) {
	cfg := fpingConfig{retries: fpingDefaultRetries, interval: fpingDefaultInterval,
		period: fpingDefaultPeriod, timeout: fpingDefaultTimeout, backoff: fpingDefaultBackoff,
		size: probe.DefaultSize}
	g := getopt{shortWithArg: fpingWithArg, shortFlags: fpingFlags,
		refused: func(c byte) error {
			if why, ok := fpingRefused[c]; ok {
				return fpingUsagef("option -%c of fping is not supported by echoscope-ping: %s", c, why)
			}
			return nil
		},
		long: func(name string) (bool, bool) {
			opt, ok := fpingLong[name]
			return opt.takeArg, ok
		},
		mistake: func(msg string) error { return &fpingUsageError{msg: msg} },
		short:   cfg.apply,
		longOpt: func(name, val string) error {
			if opt := fpingLong[name]; opt.short != 0 {
				return cfg.apply(opt.short, val)
			}
			return cfg.applyOwn(name, val)
		},
		operand: func(w string) { cfg.targets = append(cfg.targets, w) },
	}
	if err := g.parse(args); err != nil {
		return cfg, err
	}
	if !cfg.timeSet && (cfg.count > 0 || cfg.loop) {
		// fping 5.1: in loop and count modes the timeout is the period, up to 2 s.
		cfg.timeout = min(cfg.period, fpingMaxCountTimeout)
	}
	return cfg, nil
}

// apply applies one of fping's options; val is "" for flags.
func (cfg *fpingConfig) apply(c byte, val string) error {
	switch c {
	case '4':
		cfg.family = probe.Family4
	case '6':
		cfg.family = probe.Family6
	case 'a':
		cfg.alive = true
	case 'A':
		cfg.showAddr = true
	case 'e':
		cfg.elapsed = true
	case 'g':
		cfg.generate = true
	case 'h':
		cfg.help = true
	case 'l':
		cfg.loop = true
	case 'q':
		cfg.quiet = true
	case 's':
		cfg.stats = true
	case 'u':
		cfg.unreach = true
	case 'v':
		cfg.version = true
	case 'f':
		cfg.file = val
	case 'b':
		n, err := fpingInt(c, val, 0, probe.MaxPayloadIPv4)
		cfg.size, cfg.sizeSet = n, true
		return err
	case 'c', 'C':
		n, err := fpingInt(c, val, 1, probe.MaxCount)
		cfg.count, cfg.vcount = n, c == 'C'
		return err
	case 'H':
		n, err := fpingInt(c, val, 1, 255)
		cfg.ttl = n
		return err
	case 'r':
		n, err := fpingInt(c, val, 0, 1000)
		cfg.retries = n
		return err
	case 'i', 'p', 't':
		d, err := fpingMillis(c, val)
		if err != nil {
			return err
		}
		switch c {
		case 'i':
			cfg.interval = d
		case 'p':
			cfg.period = d
		default:
			cfg.timeout, cfg.timeSet = d, true
		}
	case 'B':
		f, err := strconv.ParseFloat(val, 64)
		if err != nil || f < 1 || f > probe.MaxMonitorBackoff {
			return fpingUsagef("backoff factor %s not valid, must be between 1.0 and %.1f", val, probe.MaxMonitorBackoff)
		}
		cfg.backoff = f
	case 'I', 'S':
		return fpingUsagef("option -%c of fping is not supported by echoscope-ping: choosing the source is not implemented in the fping mode", c)
	}
	return nil
}

// applyOwn applies echoscope-ping's long options of the fping mode.
func (cfg *fpingConfig) applyOwn(name, val string) error {
	switch name {
	case "json":
		cfg.json = true
	case "force":
		cfg.force = true
	case "socket":
		k, err := probe.ParseSocketKind(val)
		if err != nil || k == probe.SocketWindows {
			return fpingUsagef("--socket %s: want auto, raw or datagram", val)
		}
		cfg.socket = k
	}
	return nil
}

// fpingInt reads a whole number in lo..hi (hi at most what an int holds here).
func fpingInt(c byte, val string, lo, hi int64) (int, error) {
	hi = min(hi, int64(math.MaxInt))
	n, err := strconv.ParseInt(val, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, fpingUsagef("option -%c: %q is not a whole number in %d..%d", c, val, lo, hi)
	}
	return int(n), nil
}

// fpingMillis reads milliseconds, with a fraction as fping allows (-i 0.5).
func fpingMillis(c byte, val string) (time.Duration, error) {
	f, err := strconv.ParseFloat(val, 64)
	if err != nil || f < 0 || f > float64(probe.MaxInterval/time.Millisecond) {
		return 0, fpingUsagef("option -%c: %q is not a number of milliseconds", c, val)
	}
	return time.Duration(f * float64(time.Millisecond)), nil
}
