//go:build linux

package service

import (
	"strings"
	"testing"

	"echoscope/backend/probe"
	"echoscope/backend/testnet"
)

// The Path view's backend: a trace job on the chain (its client end here, where the
// service's in-process engine sends from) gives mtr's figures per hop, the rate-limit note,
// progress in rounds, and each hop's answers as the inspector shows them: the Time Exceeded
// message as received, the probe it quotes as sent, matched by the quoted request.
func TestTraceJobOnTheChain(t *testing.T) {
	svc, _ := newTestService(t)
	c := testnet.NewChainT(t, testnet.ChainConfig{Routers: 3, RateLimited: 2, ClientHere: true})
	start, err := svc.Trace(TraceRequest{Target: c.TargetV4().String(), Rounds: 8, IntervalMs: 100, MaxHops: 10, TimeoutMs: 500})
	v, err := jobResult[TraceView](t, svc, start, err)
	if err != nil {
		t.Fatal(err)
	}
	if v.Rounds != 8 || v.DestinationHop != 4 || len(v.Hops) != 4 || v.Addr != c.TargetV4().String() {
		t.Fatalf("rounds %d destination %d hops %d addr %s", v.Rounds, v.DestinationHop, len(v.Hops), v.Addr)
	}
	want := []int{8, testnet.ChainRateLimitBurst, 8, 8}
	for i, h := range v.Hops {
		if h.Sent != 8 || h.Received != want[i] || len(h.Addrs) != 1 || h.Addrs[0] != c.HopsV4()[i].String() || len(h.Answers) != want[i] {
			t.Errorf("hop %d: sent %d received %d addrs %v answers %d", i+1, h.Sent, h.Received, h.Addrs, len(h.Answers))
			continue
		}
		if h.RateLimited != (i == 1) || (h.AvgMs == nil) {
			t.Errorf("hop %d: rate-limited %v avg %v", i+1, h.RateLimited, h.AvgMs)
		}
		d := h.Answers[len(h.Answers)-1].Detail
		wantKind, wantRule := string(probe.EventICMPError), string(probe.RuleQuotedIDSeqToken)
		if i == 3 {
			wantKind, wantRule = string(probe.EventReply), string(probe.RuleIDSeqToken)
		}
		if d.Kind != wantKind || d.Rule != wantRule || d.From != c.HopsV4()[i].String() || len(d.RequestHex) < 16 ||
			!strings.Contains(d.ReplyHex, d.RequestHex[8:]) || !strings.Contains(d.Note, "sent with TTL") {
			t.Errorf("hop %d answer: kind %s rule %q from %s note %q", i+1, d.Kind, d.Rule, d.From, d.Note)
		}
	}
	if !strings.Contains(v.Hops[1].Note, "25.0% loss here does not carry on") {
		t.Errorf("hop 2 note %q", v.Hops[1].Note)
	}
	p := jobProgress(svc, start.JobID)
	if len(p) == 0 || p[len(p)-1].Done != 8 || p[len(p)-1].Total != 8 || p[len(p)-1].Unit != UnitRounds {
		t.Errorf("progress %+v", p)
	}
	checkLiveFigures(t, svc, start.JobID, v)
}

// checkLiveFigures checks the trace:hops events of a finished trace job: they came before its
// end, from round 1 on (the first round that had an answer always goes), rounds rising, every
// hop's figures within the final ones and without answers (those come with the result).
func checkLiveFigures(t *testing.T, svc *PingService, id string, final TraceView) {
	t.Helper()
	rec := svc.cfg.Emitter.(*recorder)
	rec.mu.Lock()
	live := append([]recordedLive(nil), rec.live...)
	rec.mu.Unlock()
	if len(live) == 0 {
		t.Fatal("no trace:hops event: the table would fill in only at the end")
	}
	if live[0].Rounds >= final.Rounds {
		t.Errorf("the first figures came after round %d of %d", live[0].Rounds, final.Rounds)
	}
	prev := 0
	for _, l := range live {
		if l.JobID != id || l.endsBefore != 0 || l.Rounds <= prev || len(l.Hops) == 0 || len(l.Hops) > len(final.Hops)+1 {
			t.Fatalf("trace:hops job %q (want %q) after %d job ends, round %d after %d, %d hops", l.JobID, id, l.endsBefore, l.Rounds, prev, len(l.Hops))
		}
		prev = l.Rounds
		for i, h := range l.Hops {
			if h.TTL != i+1 || h.Sent > l.Rounds || h.Received > h.Sent || len(h.Answers) != 0 {
				t.Errorf("round %d hop %d: ttl %d sent %d received %d answers %d", l.Rounds, i+1, h.TTL, h.Sent, h.Received, len(h.Answers))
			}
			if i < len(final.Hops) && h.Received > final.Hops[i].Received {
				t.Errorf("round %d hop %d: %d received, more than the final %d", l.Rounds, i+1, h.Received, final.Hops[i].Received)
			}
		}
	}
}

// Options out of bounds are refused before a job starts, in words.
func TestTraceRefusesBadOptions(t *testing.T) {
	svc, _ := newTestService(t)
	if _, err := svc.Trace(TraceRequest{Target: "127.0.0.1", MaxHops: 300}); err == nil || !strings.Contains(err.Error(), "maxHops 300 is out of range") {
		t.Fatalf("%v", err)
	}
	if _, err := svc.Trace(TraceRequest{Target: "127.0.0.1", IntervalMs: -5}); err == nil {
		t.Fatal("a negative interval was taken")
	}
}
