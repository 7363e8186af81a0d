package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"echoscope/backend/probe"
)

func TestParseArgsAcceptsIputilsCommandLines(t *testing.T) {
	cases := []struct {
		args  []string
		check func(t *testing.T, c cliConfig)
	}{
		{[]string{"-c", "3", "127.0.0.1"}, func(t *testing.T, c cliConfig) {
			want(t, c.opts.Count, 3)
			want(t, c.opts.Target, "127.0.0.1")
		}},
		// getopt bundling and an attached argument
		{[]string{"-qc3", "-i0.2", "::1"}, func(t *testing.T, c cliConfig) {
			want(t, c.quiet, true)
			want(t, c.opts.Count, 3)
			want(t, c.opts.Interval, 200*time.Millisecond)
			want(t, c.intervalSet, true)
		}},
		// GNU permutation: options after the destination
		{[]string{"127.0.0.1", "-c", "1", "-n"}, func(t *testing.T, c cliConfig) {
			want(t, c.opts.Count, 1)
			want(t, c.numeric, true)
			want(t, c.opts.Target, "127.0.0.1")
		}},
		{[]string{"-s", "0", "h"}, func(t *testing.T, c cliConfig) {
			want(t, c.opts.PayloadSize(), 0)
		}},
		{[]string{"h"}, func(t *testing.T, c cliConfig) {
			want(t, c.opts.PayloadSize(), probe.DefaultSize)
		}},
		// recording files, spaced or with =, after the destination too
		{[]string{"--pcap", "run.pcapng", "h", "--csv=run.csv"}, func(t *testing.T, c cliConfig) {
			want(t, c.pcapPath, "run.pcapng")
			want(t, c.csvPath, "run.csv")
			want(t, c.opts.Target, "h")
		}},
		{[]string{"-f", "-c", "100000", "-q", "h"}, func(t *testing.T, c cliConfig) {
			want(t, c.opts.Flood, true)
			want(t, c.intervalSet, false)
		}},
		{[]string{"-W", "0.5", "-w", "3", "-t", "7", "-M", "do", "-Q", "0x10", "-I", "lo", "-b", "-D", "-O", "-4", "h"}, func(t *testing.T, c cliConfig) {
			want(t, c.opts.Timeout, 500*time.Millisecond)
			want(t, c.opts.Deadline, 3*time.Second)
			want(t, c.opts.TTL, 7)
			want(t, c.opts.PMTU, probe.PMTUDo)
			want(t, c.opts.TOS, 16)
			want(t, c.opts.Source, "lo")
			want(t, c.opts.Broadcast, true)
			want(t, c.timestamps, true)
			want(t, c.outstanding, true)
			want(t, c.opts.Family, probe.Family4)
		}},
		{[]string{"-p", "ff", "h"}, func(t *testing.T, c cliConfig) {
			want(t, string(c.opts.Pattern), "\xff")
		}},
		// iputils reads "%2x" pairs: an odd last digit is a byte of its own
		{[]string{"-p", "abc", "h"}, func(t *testing.T, c cliConfig) {
			want(t, string(c.opts.Pattern), "\xab\x0c")
		}},
		// iputils keeps the first 16 bytes of a longer pattern
		{[]string{"-p", "0123456789abcdef0123456789abcdef01", "h"}, func(t *testing.T, c cliConfig) {
			want(t, len(c.opts.Pattern), 16)
		}},
		{[]string{"--json", "--socket=datagram", "h"}, func(t *testing.T, c cliConfig) {
			want(t, c.json, true)
			want(t, c.opts.Socket, probe.SocketDatagram)
		}},
		{[]string{"--socket", "raw", "h"}, func(t *testing.T, c cliConfig) {
			want(t, c.opts.Socket, probe.SocketRaw)
		}},
		{[]string{"-6", "-6", "h"}, func(t *testing.T, c cliConfig) {
			want(t, c.opts.Family, probe.Family6)
		}},
		{[]string{"--", "-weird-host"}, func(t *testing.T, c cliConfig) {
			want(t, c.opts.Target, "-weird-host")
		}},
		{[]string{"-V"}, func(t *testing.T, c cliConfig) { want(t, c.version, true) }},
		{[]string{"--agent"}, func(t *testing.T, c cliConfig) { want(t, c.agent, true) }},
	}
	for _, c := range cases {
		t.Run(join(c.args), func(t *testing.T) {
			cfg, err := parseArgs(c.args)
			if err != nil {
				t.Fatalf("parseArgs: %v", err)
			}
			c.check(t, cfg)
		})
	}
}

// The messages and exit codes are iputils ping's (20221126) for the same mistakes: 1 for a
// bad number (its strtol_or_err), 2 for the rest.
func TestParseArgsErrorsReadLikeIputils(t *testing.T) {
	cases := []struct {
		args      []string
		msg       string
		showUsage bool
		exit      int
	}{
		{[]string{"-c", "0", "h"}, "invalid argument: '0': out of range: 1 <= value <= 9223372036854775807", false, 1},
		{[]string{"-c", "abc", "h"}, "invalid argument: 'abc'", false, 1},
		{[]string{"-c", "99999999999999999999", "h"}, "invalid argument: '99999999999999999999': out of range: 1 <= value <= 9223372036854775807", false, 1},
		// decimal only: no base prefixes, no digit separators
		{[]string{"-c", "0x3", "h"}, "invalid argument: '0x3'", false, 1},
		{[]string{"-c", "1_0", "h"}, "invalid argument: '1_0'", false, 1},
		{[]string{"-s", "0x10", "h"}, "invalid argument: '0x10'", false, 1},
		{[]string{"-w", "0x2", "h"}, "invalid argument: '0x2'", false, 1},
		{[]string{"-e", "0x10", "h"}, "invalid argument: '0x10'", false, 1},
		{[]string{"-w", "-1", "h"}, "invalid argument: '-1': out of range: 0 <= value <= 2147483647", false, 1},
		{[]string{"-s", "-1", "h"}, "invalid argument: '-1': out of range: 0 <= value <= 2147483647", false, 1},
		{[]string{"-t", "256", "h"}, "invalid argument: '256': out of range: 0 <= value <= 255", false, 1},
		{[]string{"-t", "0", "h"}, "cannot set unicast time-to-live: Invalid argument", false, 2},
		{[]string{"-l", "0", "h"}, "invalid argument: '0': out of range: 1 <= value <= 65536", false, 1},
		{[]string{"-S", "0", "h"}, "invalid argument: '0': out of range: 1 <= value <= 2147483647", false, 1},
		{[]string{"-m", "abc", "h"}, "invalid argument: 'abc'", false, 1},
		{[]string{"-i", "abc", "h"}, "option argument contains garbage: abc", false, 1},
		{[]string{"-i", "0x1", "h"}, "option argument contains garbage: 0x1", false, 1},
		{[]string{"-W", "1_0", "h"}, "option argument contains garbage: 1_0", false, 1},
		{[]string{"-i", "-1", "h"}, "bad timing interval: -1", false, 2},
		{[]string{"-W", "-1", "h"}, "bad linger time: -1", false, 2},
		{[]string{"-p", "zz", "h"}, "patterns must be specified as hex digits: zz", false, 2},
		{[]string{"-M", "foo", "h"}, "invalid -M argument: foo", false, 2},
		{[]string{"-Q", "300", "h"}, "the decimal value of TOS bits must be in range 0-255: 300", false, 2},
		{[]string{"-Q", "abc", "h"}, "bad TOS value: abc", false, 2},
		{[]string{"-I", "", "h"}, "-I: an empty interface or address", false, 2},
		{[]string{"--pcap", "", "h"}, "--pcap: an empty file name", false, 2},
		{[]string{"--csv=", "h"}, "--csv: an empty file name", false, 2},
		{[]string{"-4", "-6", "h"}, "only one -4 or -6 option may be specified", false, 2},
		{[]string{"-x", "h"}, "invalid option -- 'x'", true, 2},
		{[]string{"-C", "h"}, "option -C of iputils ping is not supported by echoscope-ping: " + unsupported['C'], false, 2},
		{[]string{"-T", "tsonly", "h"}, "option -T of iputils ping is not supported by echoscope-ping: " + unsupported['T'], false, 2},
		{[]string{"h", "-c"}, "option requires an argument -- 'c'", true, 2},
		{[]string{"--nope", "h"}, "unrecognized option '--nope'", true, 2},
		{[]string{"--json=yes", "h"}, "invalid --json argument: yes (want --json or --json=full)", false, 2},
		{[]string{"--stats-interval", "0", "h"}, "invalid --stats-interval argument: 0 (want seconds above 0)", false, 2},
		{[]string{"--socket", "carrier-pigeon", "h"}, "invalid --socket argument: carrier-pigeon (want auto, raw or datagram)", false, 2},
		{[]string{"-c", "1"}, "usage error: Destination address required", false, 2},
		{[]string{"a", "b"}, "usage error: only one destination may be given, got 2 (a b)", false, 2},
	}
	for _, c := range cases {
		t.Run(join(c.args), func(t *testing.T) {
			_, err := parseArgs(c.args)
			var ue *usageError
			if !errors.As(err, &ue) || !errors.Is(err, errUsage) {
				t.Fatalf("got %v, want a usage error", err)
			}
			if ue.msg != c.msg || ue.showUsage != c.showUsage || ue.exitCode() != c.exit {
				t.Errorf("got %q (usage %v, exit %d), want %q (usage %v, exit %d)", ue.msg, ue.showUsage, ue.exitCode(), c.msg, c.showUsage, c.exit)
			}
		})
	}
}

// The options added for iputils parity reach the engine's options.
func TestParseArgsNewOptions(t *testing.T) {
	cfg, err := parseArgs([]string{"-A", "-B", "-r", "-m", "7", "-S", "65536", "-l", "3", "-j", "-W", "0", "--stats-interval", "0.5", "--json=full", "h"})
	if err != nil {
		t.Fatal(err)
	}
	o := cfg.opts
	want(t, o.DontRoute, true)
	want(t, o.Adaptive, true)
	want(t, cfg.stickySource, true)
	want(t, o.Mark, uint32(7))
	want(t, o.SendBuffer, 65536)
	want(t, o.Preload, 3)
	want(t, cfg.iputilsJSON, true)
	want(t, cfg.lingerZero, true)
	want(t, cfg.statsInterval, 500*time.Millisecond)
	want(t, cfg.json, true)
	want(t, cfg.jsonBytes, true)
	// 010 is ten, as iputils' strtol(s, 10) reads it (Go's base 0 read eight)
	cfg, err = parseArgs([]string{"-c", "010", "h"})
	if err != nil || cfg.opts.Count != 10 {
		t.Errorf("-c 010: %d, %v", cfg.opts.Count, err)
	}
}

func want[T comparable](t *testing.T, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}

func join(args []string) string {
	var b bytes.Buffer
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(a)
	}
	return b.String()
}

func TestMaxPayloadFollowsTheFamily(t *testing.T) {
	cases := []struct {
		o    probe.Options
		want int
	}{
		{probe.Options{Target: "127.0.0.1"}, probe.MaxPayloadIPv4},
		{probe.Options{Target: "example.test"}, probe.MaxPayloadIPv4},
		{probe.Options{Target: "::1"}, probe.MaxPayloadIPv6},
		{probe.Options{Target: "example.test", Family: probe.Family6}, probe.MaxPayloadIPv6},
	}
	for _, c := range cases {
		if got := maxPayload(c.o); got != c.want {
			t.Errorf("%+v: got %d, want %d", c.o, got, c.want)
		}
	}
}

// FuzzParseArgs: any command line parses or gives a usage error; never a panic, and a
// successful parse always names exactly one destination (or is -h/-V/--agent).
func FuzzParseArgs(f *testing.F) {
	for _, seed := range []string{"-c\x003\x00127.0.0.1", "-qc3\x00-i0.2\x00::1", "-p\x00abc\x00h", "--socket=raw\x00h", "-\x00--", "-W\x00-1e308\x00h", "-i\x00NaN\x00h"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, joined string) {
		args := strings.Split(joined, "\x00")
		cfg, err := parseArgs(args)
		if err != nil {
			if !errors.Is(err, errUsage) {
				t.Fatalf("%q: error %v is not a usage error", args, err)
			}
			return
		}
		if !cfg.help && !cfg.version && !cfg.agent && cfg.opts.Target == "" && !containsEmpty(args) {
			t.Fatalf("%q: parsed without a destination", args)
		}
		if len(cfg.opts.Pattern) > probe.MaxPatternLen || cfg.opts.Interval < 0 || cfg.opts.Timeout < 0 {
			t.Fatalf("%q: out-of-range options %+v", args, cfg.opts)
		}
	})
}

// containsEmpty: an empty argument is a (bad) destination of its own.
func containsEmpty(args []string) bool {
	for _, a := range args {
		if a == "" {
			return true
		}
	}
	return false
}
