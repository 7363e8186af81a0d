package cli

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"echoscope/backend/probe"
)

// cliConfig is everything the command line asked for. Probe options go to the engine as they
// are; the rest only changes how results are printed.
type cliConfig struct {
	opts probe.Options

	quiet       bool   // -q: header and statistics only
	numeric     bool   // -n: no reverse lookups
	timestamps  bool   // -D: [unix.micro] before each line
	outstanding bool   // -O: report a missing reply before the next request goes out
	verbose     bool   // -v: also print foreign packets
	audible     bool   // -a: ring the bell on every reply
	json        bool   // --json: Echoscope's JSON lines (docs/cli-json.md)
	jsonBytes   bool   // --json-bytes or --json=full: packet bytes in hex in --json
	iputilsJSON bool   // -j: upstream iputils' JSON shape
	pcapPath    string // --pcap FILE: every sent and received packet as pcapng
	csvPath     string // --csv FILE: one row per packet, history's CSV columns
	pcapSet     bool   // --pcap given (an empty FILE is an error, not "no file")
	csvSet      bool

	// statsInterval: --stats-interval SECONDS, interim statistics objects under --json.
	statsInterval time.Duration

	intervalSet  bool // -i given (flood keeps its own pace otherwise)
	stickySource bool // -B: the source chosen at the start stays
	lingerZero   bool // -W 0: iputils' "do not linger"
	patternText  string

	agent   bool // --agent: speak the framed protocol on stdin/stdout
	help    bool
	version bool
}

// usageError is a command-line mistake: the message (without the program prefix), whether
// the usage text follows it, as getopt's own errors do in iputils, and the exit code: 2,
// or 1 where iputils exits 1 (its strtol_or_err for a bad number).
type usageError struct {
	msg       string
	showUsage bool
	exit      int
}

func (e *usageError) Error() string { return e.msg }

// exitCode is what the program exits with for this mistake.
func (e *usageError) exitCode() int {
	if e.exit == 0 {
		return 2
	}
	return e.exit
}

// errUsage is wrapped by every usageError so callers can test for it.
var errUsage = errors.New("usage error")

func (e *usageError) Unwrap() error { return errUsage }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// Short options that take an argument, as in iputils ping's getopt string.
const shortWithArg = "ciWwspItMQelmSTFN"

// Short options without an argument.
const shortFlags = "46bfqnDOvVhUarjBA"

// unsupported names the iputils options echoscope-ping refuses, and why, so that a script
// that uses one learns the reason instead of reading "invalid option".
var unsupported = map[byte]string{
	'C': "connect() on the socket is not implemented: replies are matched on identifier, sequence and token instead",
	'd': "SO_DEBUG is not set: it has no effect on ICMP sockets on Linux",
	'L': "multicast loopback suppression is not implemented: multicast targets are pinged as broadcasts (-b)",
	'R': "record route needs IP options, which the helper does not set for callers (they would let any user put arbitrary options in raw packets)",
	'T': "timestamp IP options (tsonly, tsandaddr, tsprespec) need IP options, which the helper does not set for callers (they would let any user put arbitrary options in raw packets)",
	'F': "IPv6 flow labels are not implemented",
	'N': "ICMPv6 node information queries are not implemented",
}

// longOptions maps our long options (no iputils equivalent) to whether they take an
// argument; "json" takes an optional one (--json=full), given with '=' only.
var longOptions = map[string]bool{
	"json":           false,
	"json-bytes":     false,
	"stats-interval": true,
	"agent":          false,
	"help":           false,
	"version":        false,
	"socket":         true,
	"pcap":           true,
	"csv":            true,
}

// parseArgs parses a command line (without the program name) the way iputils ping does:
// getopt-style short options that may be bundled (-qc3) and may follow the destination
// (GNU argument permutation), plus a few long options of our own.
func parseArgs(args []string) (cliConfig, error) {
	var cfg cliConfig
	var hosts []string
	seenFamily := probe.FamilyAuto
	g := getopt{shortWithArg: shortWithArg, shortFlags: shortFlags,
		refused: func(c byte) error {
			if why, ok := unsupported[c]; ok {
				return usagef("option -%c of iputils ping is not supported by echoscope-ping: %s", c, why)
			}
			return nil
		},
		long: func(name string) (bool, bool) {
			takesValue, known := longOptions[name]
			return takesValue, known
		},
		optionalValue: "json",
		mistake:       func(msg string) error { return &usageError{msg: msg, showUsage: true} },
		short: func(c byte, val string) error {
			if c == '4' || c == '6' {
				fam := probe.Family4
				if c == '6' {
					fam = probe.Family6
				}
				if seenFamily != probe.FamilyAuto && seenFamily != fam {
					return usagef("only one -4 or -6 option may be specified")
				}
				seenFamily = fam
			}
			return cfg.applyShort(c, val)
		},
		longOpt: cfg.applyLong,
		operand: func(w string) { hosts = append(hosts, w) },
	}
	if err := g.parse(args); err != nil {
		return cfg, err
	}
	if cfg.help || cfg.version || cfg.agent {
		return cfg, nil
	}
	switch len(hosts) {
	case 0:
		return cfg, usagef("usage error: Destination address required")
	case 1:
		cfg.opts.Target = hosts[0]
	default:
		return cfg, usagef("usage error: only one destination may be given, got %d (%s)", len(hosts), strings.Join(hosts, " "))
	}
	return cfg, nil
}

// applyShort applies one short option; val is "" for flags.
func (cfg *cliConfig) applyShort(c byte, val string) error {
	o := &cfg.opts
	switch c {
	case '4':
		o.Family = probe.Family4
	case '6':
		o.Family = probe.Family6
	case 'b':
		o.Broadcast = true
	case 'f':
		o.Flood = true
	case 'q':
		cfg.quiet = true
	case 'n':
		cfg.numeric = true
	case 'D':
		cfg.timestamps = true
	case 'O':
		cfg.outstanding = true
	case 'v':
		cfg.verbose = true
	case 'a':
		cfg.audible = true
	case 'V':
		cfg.version = true
	case 'h':
		cfg.help = true
	case 'j':
		cfg.iputilsJSON = true
	case 'r':
		o.DontRoute = true
	case 'B':
		cfg.stickySource = true
	case 'A':
		o.Adaptive = true
	case 'U':
		// iputils: user-to-user latency instead of kernel timestamps. Our RTTs say which clock
		// they came from in --json; accepted for compatibility.
	case 'c':
		n, err := parseIntRange(val, 1, math.MaxInt64)
		if err != nil {
			return err
		}
		o.Count = int(n)
	case 'i':
		d, err := parseSeconds(val)
		if err != nil {
			return err
		}
		if d < 0 {
			return usagef("bad timing interval: %s", val)
		}
		o.Interval = d
		cfg.intervalSet = true
		if d == 0 {
			// iputils treats -i 0 as "as fast as possible" (root only): that is a flood pace
			// without the dots, which the engine expresses as the smallest interval.
			o.Interval = time.Nanosecond
		}
	case 'W':
		d, err := parseSeconds(val)
		if err != nil {
			return err
		}
		if d < 0 {
			return usagef("bad linger time: %s", val)
		}
		o.Timeout = d
		// iputils accepts -W 0: no waiting after the last request. The engine's timeout is
		// per request; runPing sets it to one interval (see lingerZero).
		cfg.lingerZero = d == 0
	case 'w':
		n, err := parseIntRange(val, 0, math.MaxInt32)
		if err != nil {
			return err
		}
		o.Deadline = time.Duration(n) * time.Second
	case 's':
		n, err := parseIntRange(val, 0, math.MaxInt32)
		if err != nil {
			return err
		}
		o.Size = int(n)
		o.SizeSet = true
	case 'p':
		p, err := parsePattern(val)
		if err != nil {
			return err
		}
		o.Pattern = p
		cfg.patternText = val
	case 't':
		n, err := parseIntRange(val, 0, 255)
		if err != nil {
			return err
		}
		if n == 0 {
			// iputils' range says 0, but the kernel refuses a zero TTL: say so in its words.
			return usagef("cannot set unicast time-to-live: Invalid argument")
		}
		o.TTL = int(n)
	case 'M':
		m, err := probe.ParsePMTUMode(val)
		if err != nil || val == "" {
			return usagef("invalid -M argument: %s", val)
		}
		o.PMTU = m
	case 'Q':
		n, err := parseTOS(val)
		if err != nil {
			return err
		}
		o.TOS = n
	case 'I':
		if val == "" {
			return usagef("-I: an empty interface or address")
		}
		o.Source = val
	case 'e':
		n, err := parseIntRange(val, 0, math.MaxUint16)
		if err != nil {
			return err
		}
		o.Identifier = uint16(n)
	case 'l':
		n, err := parseIntRange(val, 1, probe.MaxPreload)
		if err != nil {
			return err
		}
		o.Preload = int(n)
	case 'm':
		n, err := parseIntRange(val, 0, math.MaxUint32)
		if err != nil {
			return err
		}
		o.Mark = uint32(n)
	case 'S':
		n, err := parseIntRange(val, 1, math.MaxInt32)
		if err != nil {
			return err
		}
		if n > probe.MaxSendBuffer {
			return usagef("invalid argument: '%s': out of range: 1 <= value <= %d", val, probe.MaxSendBuffer)
		}
		o.SendBuffer = int(n)
	}
	return nil
}

func (cfg *cliConfig) applyLong(name, val string) error {
	switch name {
	case "json":
		cfg.json = true
		switch val {
		case "":
		case "full":
			cfg.jsonBytes = true
		default:
			return usagef("invalid --json argument: %s (want --json or --json=full)", val)
		}
	case "json-bytes":
		cfg.jsonBytes = true
	case "stats-interval":
		d, err := parseSeconds(val)
		if err != nil {
			return err
		}
		if d <= 0 {
			return usagef("invalid --stats-interval argument: %s (want seconds above 0)", val)
		}
		cfg.statsInterval = max(d, time.Millisecond)
	case "agent":
		cfg.agent = true
	case "help":
		cfg.help = true
	case "version":
		cfg.version = true
	case "pcap":
		if val == "" {
			return usagef("--pcap: an empty file name")
		}
		cfg.pcapPath, cfg.pcapSet = val, true
	case "csv":
		if val == "" {
			return usagef("--csv: an empty file name")
		}
		cfg.csvPath, cfg.csvSet = val, true
	case "socket":
		k, err := probe.ParseSocketKind(val)
		if err != nil {
			return usagef("invalid --socket argument: %s (want auto, raw or datagram)", val)
		}
		cfg.opts.Socket = k
	}
	return nil
}

// badNumber is iputils' strtol_or_err failure: exit code 1, not 2.
func badNumber(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...), exit: 1}
}

// parseIntRange parses a decimal integer with iputils' wording and exit code for both
// failure kinds. Decimal only, as iputils' strtol(s, 10): no 0x, no octal 010, no 1_0.
func parseIntRange(s string, lo, hi int64) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimLeft(s, " \t"), 10, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return 0, badNumber("invalid argument: '%s': out of range: %d <= value <= %d", s, lo, hi)
		}
		return 0, badNumber("invalid argument: '%s'", s)
	}
	if n < lo || n > hi {
		return 0, badNumber("invalid argument: '%s': out of range: %d <= value <= %d", s, lo, hi)
	}
	return n, nil
}

// decimalSeconds is a decimal number as iputils' -i and -W take it: digits, a point,
// digits, an optional exponent. No hex floats, infinities or digit separators.
var decimalSeconds = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// parseSeconds reads a decimal number of seconds ("0.2", "1", "1e-3") into a Duration.
// Anything else is refused with iputils' words (iputils itself only warns and carries on
// with the number's start; that is to "become fatal error in the future": here it is).
func parseSeconds(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	if !decimalSeconds.MatchString(t) {
		return 0, badNumber("option argument contains garbage: %s", s)
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > float64(math.MaxInt32) {
		return 0, badNumber("invalid argument: '%s': out of range", s)
	}
	return time.Duration(math.Round(f * float64(time.Second))), nil
}

// parsePattern reads iputils' -p: hex digits, two per byte, at most 16 bytes used (the rest
// is ignored, as iputils does). An odd trailing digit is a byte of its own ("f" -> 0x0f).
func parsePattern(s string) ([]byte, error) {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return nil, usagef("patterns must be specified as hex digits: %s", s)
		}
	}
	if s == "" {
		return nil, usagef("patterns must be specified as hex digits: %s", s)
	}
	digits := s
	if len(digits) > 2*probe.MaxPatternLen {
		digits = digits[:2*probe.MaxPatternLen]
	}
	if len(digits)%2 == 1 {
		digits = digits[:len(digits)-1] + "0" + digits[len(digits)-1:]
	}
	b, err := hex.DecodeString(digits)
	if err != nil {
		return nil, usagef("patterns must be specified as hex digits: %s", s)
	}
	return b, nil
}

// parseTOS reads -Q: decimal or 0x-prefixed hex (iputils documents both), 0..255, with
// iputils' messages and exit code 2.
func parseTOS(s string) (int, error) {
	base, digits := 10, s
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		base, digits = 16, s[2:]
	}
	n, err := strconv.ParseInt(digits, base, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return 0, usagef("the decimal value of TOS bits must be in range 0-255: %s", s)
		}
		return 0, usagef("bad TOS value: %s", s)
	}
	if n < 0 || n > 255 {
		return 0, usagef("the decimal value of TOS bits must be in range 0-255: %s", s)
	}
	return int(n), nil
}
