package cli

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math"
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
	json        bool   // --json: one JSON object per event, then a summary
	pcapPath    string // --pcap FILE: every sent and received packet as pcapng
	csvPath     string // --csv FILE: one row per packet, history's CSV columns

	intervalSet bool // -i given (flood keeps its own pace otherwise)
	patternText string

	agent   bool // --agent: speak the framed protocol on stdin/stdout
	help    bool
	version bool
}

// usageError is a command-line mistake: the message (without the program prefix) and whether
// the usage text follows it, as getopt's own errors do in iputils.
type usageError struct {
	msg       string
	showUsage bool
}

func (e *usageError) Error() string { return e.msg }

// errUsage is wrapped by every usageError so callers can test for it.
var errUsage = errors.New("usage error")

func (e *usageError) Unwrap() error { return errUsage }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// Short options that take an argument, as in iputils ping's getopt string.
const shortWithArg = "ciWwspItMQe"

// Short options without an argument.
const shortFlags = "46bfqnDOvVhUa"

// iputils options echoscope-ping does not implement: named as such, so that a script that
// uses one learns why instead of reading "invalid option".
const unsupportedShort = "ABCdLRlmSTFN"

// longOptions maps our long options (no iputils equivalent) to whether they take an argument.
var longOptions = map[string]bool{
	"json":    false,
	"agent":   false,
	"help":    false,
	"version": false,
	"socket":  true,
	"pcap":    true,
	"csv":     true,
}

// parseArgs parses a command line (without the program name) the way iputils ping does:
// getopt-style short options that may be bundled (-qc3) and may follow the destination
// (GNU argument permutation), plus a few long options of our own.
func parseArgs(args []string) (cliConfig, error) {
	var cfg cliConfig
	var hosts []string
	seenFamily := probe.FamilyAuto
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			hosts = append(hosts, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "--"):
			name, val, hasVal := strings.Cut(a[2:], "=")
			takesArg, known := longOptions[name]
			if !known {
				return cfg, &usageError{msg: fmt.Sprintf("unrecognized option '%s'", a), showUsage: true}
			}
			if takesArg && !hasVal {
				if i+1 >= len(args) {
					return cfg, &usageError{msg: fmt.Sprintf("option '--%s' requires an argument", name), showUsage: true}
				}
				i++
				val = args[i]
			} else if !takesArg && hasVal {
				return cfg, &usageError{msg: fmt.Sprintf("option '--%s' doesn't allow an argument", name), showUsage: true}
			}
			if err := cfg.applyLong(name, val); err != nil {
				return cfg, err
			}
		case len(a) > 1 && a[0] == '-':
			for j := 1; j < len(a); j++ {
				c := a[j]
				if strings.IndexByte(shortWithArg, c) >= 0 {
					val := a[j+1:]
					if val == "" {
						if i+1 >= len(args) {
							return cfg, &usageError{msg: fmt.Sprintf("option requires an argument -- '%c'", c), showUsage: true}
						}
						i++
						val = args[i]
					}
					if err := cfg.applyShort(c, val); err != nil {
						return cfg, err
					}
					break
				}
				if strings.IndexByte(unsupportedShort, c) >= 0 {
					return cfg, usagef("option -%c of iputils ping is not supported by echoscope-ping", c)
				}
				if strings.IndexByte(shortFlags, c) < 0 {
					return cfg, &usageError{msg: fmt.Sprintf("invalid option -- '%c'", c), showUsage: true}
				}
				if c == '4' || c == '6' {
					fam := probe.Family4
					if c == '6' {
						fam = probe.Family6
					}
					if seenFamily != probe.FamilyAuto && seenFamily != fam {
						return cfg, usagef("only one -4 or -6 option may be specified")
					}
					seenFamily = fam
				}
				if err := cfg.applyShort(c, ""); err != nil {
					return cfg, err
				}
			}
		default:
			hosts = append(hosts, a)
		}
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
		if err != nil || d < 0 {
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
		if err != nil || d < 0 {
			return usagef("bad linger time: %s", val)
		}
		if d == 0 {
			return usagef("bad linger time: %s", val)
		}
		o.Timeout = d
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
		n, err := parseIntRange(val, 1, 255)
		if err != nil {
			return err
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
		o.Source = val
	case 'e':
		n, err := parseIntRange(val, 0, math.MaxUint16)
		if err != nil {
			return err
		}
		o.Identifier = uint16(n)
	}
	return nil
}

func (cfg *cliConfig) applyLong(name, val string) error {
	switch name {
	case "json":
		cfg.json = true
	case "agent":
		cfg.agent = true
	case "help":
		cfg.help = true
	case "version":
		cfg.version = true
	case "pcap":
		cfg.pcapPath = val
	case "csv":
		cfg.csvPath = val
	case "socket":
		k, err := probe.ParseSocketKind(val)
		if err != nil {
			return usagef("invalid --socket argument: %s (want auto, raw or datagram)", val)
		}
		cfg.opts.Socket = k
	}
	return nil
}

// parseIntRange parses an integer with iputils' wording for both failure kinds.
func parseIntRange(s string, lo, hi int64) (int64, error) {
	n, err := strconv.ParseInt(s, 0, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return 0, usagef("invalid argument: '%s': out of range: %d <= value <= %d", s, lo, hi)
		}
		return 0, usagef("invalid argument: '%s'", s)
	}
	if n < lo || n > hi {
		return 0, usagef("invalid argument: '%s': out of range: %d <= value <= %d", s, lo, hi)
	}
	return n, nil
}

// parseSeconds reads a decimal number of seconds ("0.2", "1", "1e-3") into a Duration.
func parseSeconds(s string) (time.Duration, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || f > float64(math.MaxInt32) {
		return 0, fmt.Errorf("%q out of range", s)
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

// parseTOS reads -Q: decimal or 0x-prefixed hex, 0..255, with iputils' messages.
func parseTOS(s string) (int, error) {
	n, err := strconv.ParseInt(s, 0, 64)
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
