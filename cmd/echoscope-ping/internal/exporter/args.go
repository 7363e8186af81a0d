package exporter

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"echoscope/backend/probe"
)

// DefaultListen is loopback: the metrics say which hosts this machine watches and how
// reachable they are, nothing authenticates a scraper, and one scrape of thousands of
// targets costs CPU. Serving them to the network is a choice to make explicitly
// (--listen :9374, then a firewall or a reverse proxy with authentication in front).
// 9374 is smokeping_prober's port.
const DefaultListen = "127.0.0.1:9374"

// usageText is `echoscope-ping exporter -h` (scripts/man.sh turns it into the man page's
// EXPORTER section).
const usageText = `Usage
  echoscope-ping exporter [options] [TARGET...]

Exporter options:
  --listen <addr>        serve /metrics on <addr> (default 127.0.0.1:9374, loopback only)
  --interval <time>      each target's interval, e.g. 1s, 500ms or 2 (seconds; default 1s)
  --timeout <time>       how long a request waits for its reply (default: the interval, at most 10s)
  --targets-file <file>  more targets, one host per line (# comments); read again on SIGHUP
  --source <addr|if>     send from this address or interface (the source label)
  --size <bytes>         payload size (default 56)
  -h, --help             print this help and exit
Targets are host names or addresses, at most 4096 (1024 and 500 per second for a user
who is not root), each a set of series labelled ip, host and source. Requests to all
targets go out spread evenly over the interval from one raw socket per address family.
SIGHUP reads the targets file again: targets added start at 0, targets removed lose their
series, the others keep counting; a file that cannot be used keeps the running targets
(the log says why, echoscope_exporter_last_reload_successful reads 0).
`

// config is the exporter's command line.
type config struct {
	listen      string
	targetsFile string
	hosts       []string
	opts        probe.Options
	help        bool
}

// parseArgs reads the exporter's arguments; options and targets may come in any order.
func parseArgs(args []string) (config, error) {
	c := config{listen: DefaultListen}
	fs := flag.NewFlagSet("exporter", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.listen, "listen", DefaultListen, "")
	fs.StringVar(&c.targetsFile, "targets-file", "", "")
	fs.StringVar(&c.opts.Source, "source", "", "")
	fs.IntVar(&c.opts.Size, "size", probe.DefaultSize, "")
	fs.BoolVar(&c.help, "h", false, "")
	fs.BoolVar(&c.help, "help", false, "")
	var interval, timeout durationFlag
	fs.Var(&interval, "interval", "")
	fs.Var(&timeout, "timeout", "")
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				c.help = true
				return c, nil
			}
			return c, err
		}
		args = fs.Args()
		if len(args) > 0 {
			c.hosts = append(c.hosts, args[0])
			args = args[1:]
		}
	}
	if c.help {
		return c, nil
	}
	for _, h := range c.hosts {
		if err := checkHost(h); err != nil {
			return c, err
		}
	}
	if len(c.hosts) == 0 && c.targetsFile == "" {
		return c, errors.New("no targets (give hosts, or --targets-file)")
	}
	c.opts.SizeSet = true
	c.opts.Interval = probe.DefaultInterval
	if interval.set {
		c.opts.Interval = interval.d
	}
	c.opts.Timeout = min(c.opts.Interval, probe.DefaultTimeout)
	if timeout.set {
		c.opts.Timeout = timeout.d
	}
	if c.opts.Interval <= 0 || c.opts.Timeout <= 0 {
		return c, errors.New("--interval and --timeout must be above 0")
	}
	return c, nil
}

// durationFlag takes a Go duration (1s, 250ms) or a number of seconds, as ping -i does.
type durationFlag struct {
	d   time.Duration
	set bool
}

func (f *durationFlag) String() string { return f.d.String() }

func (f *durationFlag) Set(s string) error {
	if secs, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "eEnNxX") {
		f.d, f.set = time.Duration(secs*float64(time.Second)), true
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a time (1s, 500ms, or seconds: 0.5)", s)
	}
	f.d, f.set = d, true
	return nil
}
