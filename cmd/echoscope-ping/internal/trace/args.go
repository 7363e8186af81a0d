// Package trace is `echoscope-ping trace HOST`: mtr's report (`mtr -r -c N -n HOST`) on
// Echoscope's trace engine (probe.Trace), or one JSON object with every hop and the ICMP
// messages that answered it.
package trace

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"echoscope/backend/probe"
)

// config is a parsed command line.
type config struct {
	opts      probe.TraceOptions
	json      bool
	jsonBytes bool // --json=full: messages carry their bytes
	help      bool
}

// usageText is what -h prints.
const usageText = `Usage: echoscope-ping trace [options] HOST
  mtr's report (mtr --report) on Echoscope's engine: echo requests with TTL 1, 2, ... up to
  HOST, every hop probed again each round; loss and round-trip times per hop.
Options:
  -c, --report-cycles N   rounds (default 10)
  -i, --interval S        seconds one round takes, its probes spread over it (default 1)
  -m, --max-ttl N         largest TTL (default 30)
  -W, --timeout S         seconds a probe waits for its answer (default 5, mtr's grace period)
  -s, --psize N           ICMP payload bytes (default 56)
  -n, --no-dns            no reverse DNS (names are looked up without it, off the probe path)
  -4, -6                  IPv4 or IPv6 only
  -r, --report            accepted for mtr's sake: the report is the only text output
      --json[=full]       one JSON object (docs/cli-json.md, "trace"); =full adds packet bytes
  -h, --help              this text
`

// usageError is a mistake on the command line (exit 2, as the ping command).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// parseArgs reads mtr-style options in any order around one HOST, as mtr's getopt_long.
func parseArgs(args []string) (config, error) {
	cfg := config{opts: probe.TraceOptions{ReverseDNS: true}}
	var host string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := a, "", false
		if strings.HasPrefix(a, "--") {
			if k, v, ok := strings.Cut(a, "="); ok {
				name, value, hasValue = k, v, true
			}
		} else if strings.HasPrefix(a, "-") && len(a) > 2 && strings.ContainsRune("ciWms", rune(a[1])) {
			name, value, hasValue = a[:2], a[2:], true // -c10
		}
		needValue := func() (string, error) {
			if hasValue {
				return value, nil
			}
			if i+1 >= len(args) {
				return "", usagef("option %s needs a value", name)
			}
			i++
			return args[i], nil
		}
		var err error
		switch name {
		case "-c", "--report-cycles":
			cfg.opts.Rounds, err = intArg(name, needValue)
		case "-m", "--max-ttl":
			cfg.opts.MaxHops, err = intArg(name, needValue)
		case "-s", "--psize":
			cfg.opts.Size, err = intArg(name, needValue)
			cfg.opts.SizeSet = true
		case "-i", "--interval":
			cfg.opts.Interval, err = secondsArg(name, needValue)
		case "-W", "--timeout":
			cfg.opts.Timeout, err = secondsArg(name, needValue)
		case "-n", "--no-dns":
			cfg.opts.ReverseDNS = false
		case "-4":
			cfg.opts.Family = probe.Family4
		case "-6":
			cfg.opts.Family = probe.Family6
		case "-r", "--report":
		case "--json":
			cfg.json = true
			switch {
			case !hasValue:
			case value == "full":
				cfg.jsonBytes = true
			default:
				return cfg, usagef("--json=%s: the only variant is --json=full", value)
			}
		case "-h", "--help":
			cfg.help = true
			return cfg, nil
		default:
			if strings.HasPrefix(a, "-") && a != "-" {
				return cfg, usagef("unknown option %s", a)
			}
			if host != "" {
				return cfg, usagef("one host only (%s and %s)", host, a)
			}
			host = a
		}
		if err != nil {
			return cfg, err
		}
	}
	if host == "" {
		return cfg, usagef("no host to trace")
	}
	cfg.opts.Target = host
	return cfg, nil
}

func intArg(name string, value func() (string, error)) (int, error) {
	v, err := value()
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, usagef("%s %q: not a whole number", name, v)
	}
	return n, nil
}

func secondsArg(name string, value func() (string, error)) (time.Duration, error) {
	v, err := value()
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f <= 0 || f > 86400 || strings.ContainsAny(v, "xXpPnN_") {
		return 0, usagef("%s %q: not a number of seconds (0 < S <= 86400)", name, v)
	}
	return time.Duration(f * float64(time.Second)), nil
}
