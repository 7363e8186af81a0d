package history

import (
	"container/heap"
	"sort"
	"time"

	"echoscope/backend/probe"
)

// judge is the second reading of a capture: each packet goes to its flow's offline engine
// (probe.OfflineStream) in time order and comes out as a classified row, with a loss row
// wherever a request's timeout fell, in time order. State is bounded by what is
// outstanding: each flow's ring and the requests waiting for their timeout.
type judge struct {
	plan    *importPlan
	timeout time.Duration
	runs    map[flowKey]*flowRun
	due     expiryHeap // flows by when their oldest outstanding request times out
	losses  []pendingLoss
	emit    func(Packet) error
	rec     *probe.StatsRecorder // the statistics of a capture of several pings
	last    time.Time            // the latest row time emitted
	err     error
	single  *flowRun // the one flow, when the capture holds one ping
}

// flowRun is one flow being judged.
type flowRun struct {
	plan   *flowPlan
	stream *probe.OfflineStream
	dueAt  time.Time // the expiry it is queued under in judge.due; zero when not queued
	ended  bool
}

type pendingLoss struct {
	p     Packet
	at    time.Time
	order int // the flow's order: ties go as ClassifyOffline's flows did
}

func newJudge(plan *importPlan, timeout time.Duration, emit func(Packet) error) *judge {
	j := &judge{plan: plan, timeout: timeout, runs: map[flowKey]*flowRun{}, emit: emit}
	if len(plan.order) != 1 {
		j.rec = probe.NewStatsRecorder(probe.DefaultLossWindow, statsSeed)
	}
	return j
}

// add judges the next packet in time order and emits the rows it settles.
func (j *judge) add(x *extracted) error {
	p := &x.p
	j.expireUpTo(p.Time.Time)
	k, ok := flowOf(p)
	var run *flowRun
	if ok {
		run = j.run(k)
	}
	switch {
	case run == nil:
		foreign(p, "not matched: it quotes no echo request")
	case run.stream == nil:
		foreign(p, "not judged: the flow's target is not an address")
	default:
		ev, err := run.stream.Add(offlineMessage(x))
		if err != nil {
			foreign(p, "not judged: "+err.Error())
		} else {
			copyJudgement(p, ev, run.plan.base)
		}
		j.queue(run)
	}
	j.flushLosses()
	j.out(p, p.Time.Time)
	return j.err
}

// run returns the flow's engine, started on its first packet.
func (j *judge) run(k flowKey) *flowRun {
	if r := j.runs[k]; r != nil {
		return r
	}
	fp := j.plan.flows[k]
	if fp == nil {
		return nil // not planned: the file changed between the readings
	}
	r := &flowRun{plan: fp}
	order := fp.order
	r.stream, _ = probe.NewOfflineStream(fp.streamConfig(j.timeout), func(ev probe.Event) {
		loss := PacketFromEvent(ev)
		loss.Index += fp.base
		j.losses = append(j.losses, pendingLoss{p: loss, at: ev.Received.Time, order: order})
	})
	j.runs[k] = r
	if len(j.plan.order) == 1 {
		j.single = r
	}
	return r
}

// expireUpTo declares lost, in every flow, the requests whose timeout fell at or before t,
// so their loss rows come before the rows that follow them in time.
func (j *judge) expireUpTo(t time.Time) {
	for j.due.Len() > 0 && !j.due[0].at.After(t) {
		e := heap.Pop(&j.due).(expiryEntry)
		if !e.run.dueAt.Equal(e.at) {
			continue // stale: the flow moved on since it was queued
		}
		e.run.dueAt = time.Time{}
		e.run.stream.Expire(t)
		j.queue(e.run)
	}
}

// queue puts a flow under its next expiry.
func (j *judge) queue(r *flowRun) {
	next := r.stream.NextExpiry()
	if next.IsZero() || next.Equal(r.dueAt) {
		return
	}
	r.dueAt = next
	heap.Push(&j.due, expiryEntry{at: next, run: r})
}

// flushLosses emits the pending loss rows in time order.
func (j *judge) flushLosses() {
	if len(j.losses) == 0 {
		return
	}
	sort.SliceStable(j.losses, func(a, b int) bool {
		la, lb := &j.losses[a], &j.losses[b]
		if !la.at.Equal(lb.at) {
			return la.at.Before(lb.at)
		}
		return la.order < lb.order
	})
	for i := range j.losses {
		j.out(&j.losses[i].p, j.losses[i].at)
	}
	j.losses = j.losses[:0]
}

func (j *judge) out(p *Packet, at time.Time) {
	if j.err != nil {
		return
	}
	j.last = later(j.last, at)
	if j.rec != nil {
		ev := eventOf(p)
		j.rec.Record(&ev)
	}
	j.err = j.emit(*p)
}

// finish ends the recording: every flow's outstanding requests are lost at their timeout.
// It returns the statistics: the engine's own for a capture of one ping; with several, the
// engine's accumulator over all rows in time order.
func (j *judge) finish() (probe.Stats, error) {
	var single probe.Stats
	for _, fp := range j.plan.order {
		if r := j.runs[fp.key]; r != nil && r.stream != nil {
			st := r.stream.Finish()
			if r == j.single {
				single = st
			}
		}
	}
	j.flushLosses()
	if j.err != nil {
		return probe.Stats{}, j.err
	}
	if j.rec == nil {
		return single, nil
	}
	return j.rec.Stats(j.last), nil
}

type expiryEntry struct {
	at  time.Time
	run *flowRun
}

type expiryHeap []expiryEntry

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, k int) bool { return h[i].at.Before(h[k].at) }
func (h expiryHeap) Swap(i, k int)      { h[i], h[k] = h[k], h[i] }
func (h *expiryHeap) Push(x any)        { *h = append(*h, x.(expiryEntry)) }
func (h *expiryHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
