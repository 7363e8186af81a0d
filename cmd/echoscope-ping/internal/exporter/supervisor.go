package exporter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"echoscope/backend/probe"
)

// restartDelay is how long the supervisor waits before starting an engine again after it
// stopped on its own (a socket failed), so a persistent failure does not spin.
const restartDelay = time.Second

// supervisor runs one monitor at a time over the current targets and replaces it when the
// targets change. A monitor's target list is fixed, so a reload stops the running monitor
// and starts one over the new list; the series of targets kept are the same series, so
// their counters go on (Prometheus sees no reset).
type supervisor struct {
	opts   probe.Options // every target's options (Target unused)
	policy probe.Policy
	m      *metrics
	log    *slog.Logger
	// live maps each target's series key to its series, for the targets now pinged.
	live map[seriesKey]*targetSeries
}

// generation is one running monitor.
type generation struct {
	hosts  []string
	rec    *recorder
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

// prepared is a monitor built (targets validated and resolved) but not started.
type prepared struct {
	hosts []string
	mon   *probe.Monitor
	rec   *recorder
	keys  []seriesKey
}

// prepare validates and resolves hosts. Nothing running changes: a bad list (a name that
// does not resolve, too many targets for the policy) leaves the current monitor alone.
func (s *supervisor) prepare(ctx context.Context, hosts []string) (*prepared, error) {
	mo := probe.MonitorOptions{Targets: hosts, Options: s.opts}
	rec := &recorder{m: s.m, timeout: s.opts.EffectiveTimeout()}
	mon, err := probe.NewMonitor(ctx, mo, s.policy, rec.handle)
	if err != nil {
		return nil, err
	}
	// The recorder keeps figures, never bytes; and a send timed in user space just before
	// sendto spares the kernel a timestamp per send and the engine an error-queue read per
	// request, the largest cost after the send itself at 1000 requests a second (RTTs are
	// then "user/kernel-rx", as fping's and smokeping_prober's are user-space throughout).
	mon.OmitBytes()
	mon.UserSendTimes()
	// The loop reads the socket itself and sleeps in ppoll: no reader goroutine, channel
	// hand-off or empty read per request (docs/benchmarks.md, "Exporter: the loop reads").
	mon.ReadInLoop()
	p := &prepared{hosts: hosts, mon: mon, rec: rec}
	for _, t := range mon.Targets() {
		p.keys = append(p.keys, seriesKey{host: t.Target, ip: t.Addr, source: s.opts.Source})
	}
	return p, nil
}

// start opens p's sockets and runs it. Its series are created (at 0) before the first
// event, and the series of targets no longer pinged are removed.
func (s *supervisor) start(ctx context.Context, p *prepared) (*generation, error) {
	if err := p.mon.Start(ctx); err != nil {
		return nil, err
	}
	s.m.mu.Lock() // a scrape sees the old targets' series or the new ones'
	next := make(map[seriesKey]*targetSeries, len(p.keys))
	p.rec.series = make([]*targetSeries, len(p.keys))
	for i, k := range p.keys {
		ts := s.live[k]
		if ts == nil {
			ts = s.m.newSeries(k)
		}
		next[k] = ts
		p.rec.series[i] = ts
	}
	for k := range s.live {
		if next[k] == nil {
			s.m.deleteSeries(k)
		}
	}
	s.live = next
	s.m.targets.Set(float64(len(p.keys)))
	s.m.mu.Unlock()
	runCtx, cancel := context.WithCancel(ctx)
	g := &generation{hosts: p.hosts, rec: p.rec, cancel: cancel, done: make(chan error, 1)}
	go func() {
		_, err := p.mon.Run(runCtx)
		if err == nil && runCtx.Err() == nil {
			err = errors.New("the engine stopped on its own (its socket failed)")
		}
		g.done <- err
	}()
	return g, nil
}

// stop ends g and waits until every event of it was counted; it may be called again.
func (g *generation) stop() {
	g.once.Do(func() {
		g.rec.stopping.Store(true)
		g.cancel()
		<-g.done
	})
}

// run pings hosts until ctx ends, taking a new target list from reload each time it
// yields one (load reads it; an error keeps the running list). Only a failure to start at
// all is returned.
func (s *supervisor) run(ctx context.Context, hosts []string, reload <-chan struct{}, load func() ([]string, error)) error {
	p, err := s.prepare(ctx, hosts)
	if err != nil {
		return err
	}
	g, err := s.start(ctx, p)
	if err != nil {
		return err
	}
	s.m.reloadLastTime.SetToCurrentTime()
	s.log.Info("pinging", "targets", len(hosts), "interval", s.opts.EffectiveInterval(), "timeout", s.opts.EffectiveTimeout(),
		"socket", p.mon.SocketKind(0).String())
	for {
		select {
		case <-ctx.Done():
			g.stop()
			return nil
		case <-reload:
			if next := s.reload(ctx, g, load); next != nil {
				g = next
			}
		case err := <-g.done:
			// The monitor ended without being asked: count it, wait, start the same list again.
			s.m.recvErrors.Inc()
			s.log.Error("ping engine stopped; starting it again", "error", err, "in", restartDelay)
			g = s.restart(ctx, g.hosts)
			if g == nil {
				return nil // ctx ended while waiting
			}
		}
	}
}

// reload reads the targets again and, when they are usable, replaces g with a monitor over
// them; it returns nil when g keeps running.
func (s *supervisor) reload(ctx context.Context, g *generation, load func() ([]string, error)) *generation {
	fail := func(err error) *generation {
		s.m.reloads.WithLabelValues("failure").Inc()
		s.m.reloadOK.Set(0)
		s.log.Error("reload failed; still pinging the targets loaded before", "error", err, "targets", len(g.hosts))
		return nil
	}
	hosts, err := load()
	if err != nil {
		return fail(err)
	}
	p, err := s.prepare(ctx, hosts)
	if err != nil {
		return fail(err)
	}
	g.stop()
	next, err := s.start(ctx, p)
	if err != nil {
		// The old monitor is stopped already: the new list stands, retried like a failure.
		s.log.Error("starting the reloaded targets failed; retrying", "error", err, "in", restartDelay)
		next = s.restart(ctx, hosts)
		if next == nil {
			return nil
		}
	}
	s.m.reloads.WithLabelValues("success").Inc()
	s.m.reloadOK.Set(1)
	s.m.reloadLastTime.SetToCurrentTime()
	s.log.Info("targets reloaded", "targets", len(hosts), "was", len(g.hosts))
	return next
}

// restart starts a monitor over hosts after restartDelay, again and again until it starts
// or ctx ends (then nil).
func (s *supervisor) restart(ctx context.Context, hosts []string) *generation {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(restartDelay):
		}
		s.m.restarts.Inc()
		p, err := s.prepare(ctx, hosts)
		if err == nil {
			var g *generation
			if g, err = s.start(ctx, p); err == nil {
				return g
			}
		}
		s.log.Error("starting the ping engine failed", "error", fmt.Errorf("%d targets: %w", len(hosts), err))
	}
}
