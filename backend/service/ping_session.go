package service

import (
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"echoscope/backend/agent"
	"echoscope/backend/history"
	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// liveSession is one running session: the engine's handler stores each event and hands it to
// the batcher; a frame goroutine emits what the batcher collected.
type liveSession struct {
	id      int64
	info    SessionInfo
	opts    probe.Options
	family  wire.Family
	handle  *storeHandle // the history it is stored in
	writer  *history.Writer
	batcher *streamBatcher

	// nextRow is only touched by the handler (one goroutine, in order).
	nextRow int64
	dropped atomic.Uint64

	run     agent.Run
	stopped atomic.Bool
	done    chan struct{}
	endOnce sync.Once
	// framesDone is closed after the last frame went out, so "ping:ended" follows it.
	framesDone chan struct{}
}

func newLiveSession(id int64, target string, addr netip.Addr, opts probe.Options, engine string, h *storeHandle, started time.Time) *liveSession {
	fam := familyOf(addr)
	idText := strconv.FormatInt(id, 10)
	return &liveSession{id: id, opts: opts, family: fam, handle: h, writer: h.writer,
		batcher: newStreamBatcher(idText, fam), done: make(chan struct{}), framesDone: make(chan struct{}),
		info: SessionInfo{ID: idText, Target: target, Addr: addr.String(), Family: int(fam), Engine: engine,
			IntervalMs: ms(opts.EffectiveInterval()), TimeoutMs: ms(opts.EffectiveTimeout()),
			Count: opts.Count, PayloadSize: opts.PayloadSize(), StartedAt: rfc3339Nano(started)}}
}

// attach records the started run (its socket kind is known only now).
func (ls *liveSession) attach(run agent.Run) {
	ls.run = run
	ls.info.Socket = run.SocketKind().String()
}

// handleEvent is the engine's probe.Handler. It never blocks: the writer's Add and the batcher's
// append are both bounded and lock only briefly.
func (ls *liveSession) handleEvent(ev probe.Event) {
	if ev.Kind == probe.EventStats {
		ls.batcher.addStats(ev.Stats)
		ls.writer.Add(ls.id, ev)
		return
	}
	n := int64(-1)
	if ls.writer.Add(ls.id, ev) {
		n = ls.nextRow
		ls.nextRow++
	} else {
		ls.dropped.Add(1)
	}
	ls.batcher.add(ev, n)
}

// streamFrames emits a frame every period while something new arrived, and a last one when
// the session ends.
func (ls *liveSession) streamFrames(em Emitter, every time.Duration) {
	defer close(ls.framesDone)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			ls.emitFrame(em)
		case <-ls.done:
			ls.emitFrame(em)
			return
		}
	}
}

func (ls *liveSession) emitFrame(em Emitter) {
	if f, ok := ls.batcher.take(ls.dropped.Load()); ok {
		f.StorageError = ls.handle.writeFailure()
		f.EmittedAtMs = float64(time.Now().UnixMicro()) / 1000
		em.Emit(EventPingFrame, f)
	}
}

// finish tells the frame goroutine the engine delivered its last event.
func (ls *liveSession) finish() { ls.endOnce.Do(func() { close(ls.done) }) }

func (ls *liveSession) stop() error {
	select {
	case <-ls.done:
		return nil
	default:
	}
	ls.stopped.Store(true)
	return ls.run.Stop()
}

func (ls *liveSession) ended() bool {
	select {
	case <-ls.done:
		return true
	default:
		return false
	}
}
