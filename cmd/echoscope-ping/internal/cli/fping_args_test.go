package cli

import (
	"errors"
	"strings"
	"testing"
	"time"

	"echoscope/backend/probe"
)

// The fping mode is chosen from the whole command line: several destinations (read with
// ping's options), -g, or --fping; one destination stays iputils ping.
func TestIsFpingCommand(t *testing.T) {
	cases := map[string]bool{
		"-c 3 127.0.0.1":                        false,
		"-i 0.2 -W 1 host":                      false,
		"-a host":                               false,
		"--json -c 1 ::1":                       false,
		"host1 host2":                           true,
		"-c 3 host1 host2":                      true,
		"-C 3 host":                             true, // -C takes a value in fping: "3" and "host"
		"-a -r 0 -i 1 -g 127.0.0.1 127.0.3.232": true,
		"-ag 10.0.0.0/30":                       true,
		"--fping -c 1 host":                     true,
		"-- a b":                                true,
		"-I eth0 host":                          false,
		"--socket raw host":                     false,
	}
	for line, want := range cases {
		if got := isFpingCommand(strings.Fields(line)); got != want {
			t.Errorf("%q: fping mode %v, want %v", line, got, want)
		}
	}
}

func TestParseFpingArgs(t *testing.T) {
	cfg, err := parseFpingArgs(strings.Fields("-a -q -s -e -r 2 -i 5 -p 800 -B 2 -b 100 -H 9 h1 h2 -4"))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.alive || !cfg.quiet || !cfg.stats || !cfg.elapsed || cfg.retries != 2 || cfg.interval != 5*time.Millisecond ||
		cfg.period != 800*time.Millisecond || cfg.backoff != 2 || cfg.size != 100 || cfg.ttl != 9 ||
		cfg.family != probe.Family4 || strings.Join(cfg.targets, " ") != "h1 h2" || cfg.timeout != 500*time.Millisecond {
		t.Errorf("parsed %+v", cfg)
	}
	// In the count mode the timeout follows -p, up to 2 s (fping 5.1), unless -t is given.
	for line, want := range map[string]time.Duration{
		"-c 2 h1 h2":             time.Second,
		"-C 2 -p 300 h1 h2":      300 * time.Millisecond,
		"-c 2 -p 5000 h1 h2":     2 * time.Second,
		"-c 2 -p 5000 -t 70 h1":  70 * time.Millisecond,
		"-l -p 250 h1 h2":        250 * time.Millisecond,
		"-t 0.5 h1 h2":           500 * time.Microsecond,
		"--count=3 --period=400": 400 * time.Millisecond,
	} {
		cfg, err := parseFpingArgs(strings.Fields(line))
		if err != nil || cfg.timeout != want {
			t.Errorf("%q: timeout %v (%v), want %v", line, cfg.timeout, err, want)
		}
	}
	for line, says := range map[string]string{
		"-Z h1 h2":         "invalid option -- 'Z'",
		"-c":               "option requires an argument -- 'c'",
		"-c 0 h1":          "not a whole number in 1..",
		"-B 9 h1":          "backoff factor 9 not valid",
		"-i x h1":          "not a number of milliseconds",
		"-d h1 h2":         "not supported by echoscope-ping",
		"--nosuch h1":      "unrecognized option '--nosuch'",
		"--json=1 h1":      "doesn't allow an argument",
		"--socket nope h1": "want auto, raw or datagram",
	} {
		_, err := parseFpingArgs(strings.Fields(line))
		var ue *fpingUsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), says) {
			t.Errorf("%q: error %v, want a usage error saying %q", line, err, says)
		}
	}
}

func TestGenerateTargets(t *testing.T) {
	cases := []struct {
		args  string
		force bool
		first string
		n     int
		says  string
	}{
		{"192.0.2.0/30", false, "192.0.2.1", 2, ""}, // network and broadcast left out
		{"192.0.2.0/31", false, "192.0.2.0", 2, ""},
		{"192.0.2.9/32", false, "192.0.2.9", 1, ""},
		{"192.0.2.77/24", false, "192.0.2.1", 254, ""},
		{"127.0.0.1 127.0.3.232", false, "127.0.0.1", 1000, ""},
		{"10.0.0.0/22", false, "10.0.0.1", 1022, ""},
		{"10.0.0.0/21", false, "", 0, "too many addresses (2046; at most 1024, a /22, without --force)"},
		{"10.0.0.0/21", true, "10.0.0.1", 2046, ""},
		{"10.0.0.0/19", true, "", 0, "a monitor has at most 4096"},
		{"10.0.0.0/33", false, "", 0, "netmask must be between 1 and 32 (is: 33)"},
		{"10.0.0.9 10.0.0.1", false, "", 0, "before the start"},
		{"2001:db8::/120", false, "", 0, "IPv4 addresses only"},
		{"10.0.0.1", false, "", 0, "needs a CIDR"},
	}
	for _, c := range cases {
		got, err := generateTargets(strings.Fields(c.args), c.force)
		if c.says != "" {
			if err == nil || !strings.Contains(err.Error(), c.says) {
				t.Errorf("%q: error %v, want one saying %q", c.args, err, c.says)
			}
			continue
		}
		if err != nil || len(got) != c.n || got[0] != c.first {
			t.Errorf("%q: %d targets from %v (%v), want %d from %s", c.args, len(got), got[:min(len(got), 1)], err, c.n, c.first)
		}
	}
}

// fpingTM is fping's sprint_tm: about three significant digits.
func TestFpingTM(t *testing.T) {
	for d, want := range map[time.Duration]string{
		45 * time.Microsecond:     "0.045",
		999 * time.Microsecond:    "0.999",
		1234 * time.Microsecond:   "1.23",
		12345 * time.Microsecond:  "12.3",
		123456 * time.Microsecond: "123",
		0:                         "0.000",
	} {
		if got := fpingTM(d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}

// FuzzFpingArgs: any command line is parsed or refused in words, and -g never makes more
// targets than a monitor can have.
func FuzzFpingArgs(f *testing.F) {
	f.Add("-a\x00-r\x000\x00-i\x001\x00-g\x00127.0.0.1\x00127.0.3.232")
	f.Add("-C\x003\x00-q\x00--force\x00-g\x0010.0.0.0/8")
	f.Add("--count=2\x00--backoff=1.5\x00h1\x00h2")
	f.Fuzz(func(t *testing.T, line string) {
		cfg, err := parseFpingArgs(strings.Split(line, "\x00"))
		if err != nil || !cfg.generate {
			return
		}
		got, err := generateTargets(cfg.targets, cfg.force)
		if err == nil && len(got) > probe.MaxMonitorTargets {
			t.Fatalf("-g made %d targets", len(got))
		}
	})
}
