package seed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"time"

	"echoscope/backend/export"
	"echoscope/backend/history"
	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// ErrOptions: the seed options are unusable (no rows, a bad target).
var ErrOptions = errors.New("seed: bad options")

// DefaultTarget is in 198.18.0.0/15, the range RFC 2544 sets aside for benchmarks: a seeded
// session names no real host.
const DefaultTarget = "198.18.0.1"

// batchRows is how many rows go into one transaction: big batches make a million rows a
// matter of seconds, and 50000 rows of ~100 bytes stay small in memory.
const batchRows = 50_000

// Options describe the session to seed.
type Options struct {
	// Rows is the number of stored rows (sends, replies, losses; one foreign reply when odd).
	Rows int
	// Target is the pinged address (IPv4 or IPv6); empty means DefaultTarget.
	Target string
	// LossEvery loses every K-th request (a loss row instead of its reply); 0 loses none.
	LossEvery int
	// Start is when the first request left; zero means so long ago that the session ended now.
	Start time.Time
	// Seed makes the RTTs and the token reproducible; 0 means 1.
	Seed uint64
}

// Result is what Seed stored.
type Result struct {
	SessionID int64  `json:"sessionId"`
	Rows      int64  `json:"rows"`
	Path      string `json:"path"`
	// Stats are the session's final statistics from the engine's own accumulator
	// (probe.StatsRecorder): counts, min/avg/max/mdev and jitter exact, p50/p90/p99 from its
	// 4096-RTT reservoir, so sampled beyond 4096 replies as a live session's would be.
	Stats probe.Stats `json:"-"`
}

// Seed stores one finished session of o.Rows rows in the store and returns its id.
func Seed(ctx context.Context, st *history.Store, o Options) (Result, error) {
	if o.Rows < 2 {
		return Result{}, fmt.Errorf("%w: %d rows, need at least 2 (a request and its answer)", ErrOptions, o.Rows)
	}
	if o.LossEvery < 0 {
		return Result{}, fmt.Errorf("%w: loss every %d", ErrOptions, o.LossEvery)
	}
	if o.Target == "" {
		o.Target = DefaultTarget
	}
	target, err := netip.ParseAddr(o.Target)
	if err != nil {
		return Result{}, fmt.Errorf("%w: target: %w", ErrOptions, err)
	}
	target = target.Unmap()
	requests := o.Rows / 2
	if o.Start.IsZero() {
		o.Start = time.Now().Add(-time.Duration(requests)*Interval - Timeout)
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	g := &traffic{fam: wire.IPv4, local: localFor(target), target: target, lossEvery: o.LossEvery,
		start: o.Start, rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))}
	if target.Is6() {
		g.fam = wire.IPv6
	}
	g.token = g.rng.Uint64()
	// Seeded with the token, as the engine seeds its own: the RTT sample behind the quantiles
	// is the one a live session of these rows would have drawn.
	g.stats = probe.NewStatsRecorder(probe.DefaultLossWindow, g.token)
	if o.Rows%2 == 1 {
		g.foreignAt = uint64(max(requests/2, 1)) // the odd row: another process's reply
	}

	opts := probe.Options{Target: target.String(), Count: requests, Interval: Interval, Timeout: Timeout,
		Identifier: Identifier, Token: g.token, Size: PayloadSize, SizeSet: true}
	id, err := st.BeginSession(ctx, history.SessionInfo{Target: target.String(), Addr: target.String(),
		Engine: "in-process-raw", Options: opts, Started: o.Start})
	if err != nil {
		return Result{}, fmt.Errorf("seed: %w", err)
	}
	res := Result{SessionID: id, Path: st.Path()}
	rows, err := g.store(ctx, st, id, requests, o.Rows)
	res.Rows = rows
	if err != nil {
		st.DeleteSession(context.Background(), id) //nolint:errcheck // best effort: no half session
		return res, fmt.Errorf("seed: %w", err)
	}
	end := g.lastTime
	res.Stats = g.stats.Stats(end)
	sum := probe.Summary{Stats: res.Stats, Target: target.String(), Addr: target, Socket: probe.SocketRaw,
		PayloadSize: PayloadSize, TokenMatched: true, KernelTX: true, KernelRX: true, Start: o.Start, End: end}
	if err := st.FinishSession(ctx, id, sum); err != nil {
		return res, fmt.Errorf("seed: %w", err)
	}
	return res, nil
}

// store generates the requests and appends their rows in big transactions.
func (g *traffic) store(ctx context.Context, st *history.Store, id int64, requests, want int) (int64, error) {
	var stored int64
	batch := make([]export.Packet, 0, batchRows+8)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := st.AppendPackets(ctx, id, batch); err != nil {
			return err
		}
		stored += int64(len(batch))
		batch = batch[:0]
		return nil
	}
	for range requests {
		batch = g.next(batch)
		if len(batch) >= batchRows {
			if err := flush(); err != nil {
				return stored, err
			}
		}
	}
	batch = g.drain(batch)
	if err := flush(); err != nil {
		return stored, err
	}
	if stored != int64(want) {
		return stored, fmt.Errorf("generated %d rows, %d asked: %w", stored, want, ErrOptions)
	}
	return stored, nil
}
