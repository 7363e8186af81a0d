package exporter

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseArgs(t *testing.T) {
	c, err := parseArgs([]string{"a.test", "--interval", "250ms", "b.test", "--listen=127.0.0.1:0", "--targets-file", "f"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.hosts, []string{"a.test", "b.test"}) || c.listen != "127.0.0.1:0" || c.targetsFile != "f" {
		t.Errorf("config %+v", c)
	}
	if c.opts.Interval != 250*time.Millisecond || c.opts.Timeout != 250*time.Millisecond {
		t.Errorf("interval %v timeout %v, want 250ms and the interval", c.opts.Interval, c.opts.Timeout)
	}
	c, err = parseArgs([]string{"--interval", "30", "--timeout", "0.5", "h.test"})
	if err != nil {
		t.Fatal(err)
	}
	if c.opts.Interval != 30*time.Second || c.opts.Timeout != 500*time.Millisecond || c.listen != DefaultListen {
		t.Errorf("interval %v timeout %v listen %s", c.opts.Interval, c.opts.Timeout, c.listen)
	}
	if c, _ = parseArgs([]string{"--interval", "60s", "h.test"}); c.opts.Timeout != 10*time.Second {
		t.Errorf("default timeout at a 60 s interval: %v, want 10s", c.opts.Timeout)
	}
	if c, _ = parseArgs([]string{"-h"}); !c.help {
		t.Error("-h is not help")
	}
	for _, bad := range []struct {
		args   []string
		errHas string
	}{
		{nil, "no targets"},
		{[]string{"--interval", "soon", "h.test"}, `"soon" is not a time`},
		{[]string{"--interval", "0", "h.test"}, "must be above 0"},
		{[]string{"--colour", "h.test"}, "flag provided but not defined: -colour"},
	} {
		if _, err := parseArgs(bad.args); err == nil || !strings.Contains(err.Error(), bad.errHas) {
			t.Errorf("parseArgs(%q): error %v, want one containing %q", bad.args, err, bad.errHas)
		}
	}
}
