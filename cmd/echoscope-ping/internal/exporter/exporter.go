package exporter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"echoscope/backend/probe"
)

// Main runs `echoscope-ping exporter ARGS` until SIGINT or SIGTERM; it returns the exit
// code (0 after a clean stop, 2 on a usage or start-up error).
func Main(args []string, stdout, stderr io.Writer) int {
	c, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "echoscope-ping exporter: %v\n\n%s", err, usageText)
		return 2
	}
	if c.help {
		fmt.Fprint(stdout, usageText)
		return 0
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if os.Getenv("GOMAXPROCS") == "" {
		// One loop goroutine does the work (sends, matching, counting); with more
		// processors the Go scheduler wakes idle threads to look for work at each of
		// the thousands of wake-ups a second, which cost a third of the exporter's CPU
		// at 1000 targets (docs/benchmarks.md). GOMAXPROCS in the environment wins.
		runtime.GOMAXPROCS(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	reload := make(chan struct{}, 1)
	go func() {
		for range hup {
			select {
			case reload <- struct{}{}:
			default: // one reload is already waiting: it will read the newest file
			}
		}
	}()
	if err := Run(ctx, c, probe.PolicyForCurrentUser(), log, reload, nil); err != nil {
		fmt.Fprintf(stderr, "echoscope-ping exporter: %v\n", err)
		return 2
	}
	return 0
}

// Run serves the exporter described by c until ctx ends. A value on reload reads the
// targets again. ready, when not nil, gets the address listened on once /metrics serves.
func Run(ctx context.Context, c config, policy probe.Policy, log *slog.Logger, reload <-chan struct{}, ready chan<- net.Addr) error {
	load := func() ([]string, error) {
		var fromFile []string
		if c.targetsFile != "" {
			var err error
			if fromFile, err = readTargetsFile(c.targetsFile); err != nil {
				return nil, err
			}
		}
		return mergeTargets(c.hosts, fromFile)
	}
	hosts, err := load()
	if err != nil {
		return err
	}
	m := newMetrics(defaultBuckets)
	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(m, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelError)}))
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><title>echoscope-ping exporter</title><h1>echoscope-ping exporter</h1><p><a href="/metrics">Metrics</a></p>`)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	defer func() {
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()

	sup := &supervisor{opts: c.opts, policy: policy, m: m, log: log}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	supErr := make(chan error, 1)
	go func() { supErr <- sup.run(runCtx, hosts, reload, load) }()
	log.Info("serving metrics", "address", "http://"+ln.Addr().String()+"/metrics")
	if ready != nil {
		ready <- ln.Addr()
	}
	select {
	case err := <-supErr:
		return err
	case err := <-serveErr:
		cancel()
		<-supErr
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}
