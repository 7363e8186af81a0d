package history

import (
	"context"
	"errors"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// tracePath builds the events a trace of rounds rounds over a two-router path to 192.0.2.9
// gives (as probe.Trace.OnEvent tells them): per round a send with TTL 1, 2, 3; routers
// 198.51.100.1 and .2 answer with a Time Exceeded quoting the probe, the destination with an
// echo reply, except router 2 in round 2 (a loss), and a duplicate of round 1's reply.
func tracePath(t testing.TB, rounds int, at time.Time) []probe.Event {
	t.Helper()
	dest := netip.MustParseAddr("192.0.2.9")
	var evs []probe.Event
	idx := uint64(0)
	for r := 1; r <= rounds; r++ {
		for ttl := 1; ttl <= 3; ttl++ {
			idx++
			sent := probe.Timestamp{Time: at.Add(time.Duration(idx) * time.Millisecond), Clock: probe.ClockUser}
			req := wire.AppendEcho(nil, wire.IPv4, wire.EchoRequestType(wire.IPv4), wire.Echo{ID: 0x77, Seq: uint16(idx), Data: []byte("0123456789abcdef")}, nil)
			evs = append(evs, probe.Event{Kind: probe.EventSend, Index: idx, Seq: uint16(idx), ID: 0x77, Bytes: req, To: dest, TTL: ttl, ICMPType: 8, Size: len(req), Sent: sent})
			recv := probe.Timestamp{Time: sent.Time.Add(time.Duration(ttl) * 20 * time.Microsecond), Clock: probe.ClockUser}
			switch {
			case ttl == 2 && r == 2:
				evs = append(evs, probe.Event{Kind: probe.EventLoss, Index: idx, Seq: uint16(idx), ID: 0x77, Request: req, Sent: sent, TTL: -1})
			case ttl < 3:
				quoted, err := wire.AppendIPv4Header(nil, wire.IPv4Header{TotalLength: uint16(20 + len(req)), TTL: 1, Protocol: wire.ProtocolICMP,
					Src: netip.MustParseAddr("192.0.2.100"), Dst: dest})
				if err != nil {
					t.Fatal(err)
				}
				te, err := (&wire.Message{Family: wire.IPv4, Type: wire.ICMPv4TimeExceeded, Body: &wire.TimeExceeded{Data: append(quoted, req...)}}).Marshal(nil)
				if err != nil {
					t.Fatal(err)
				}
				evs = append(evs, probe.Event{Kind: probe.EventICMPError, Class: probe.ClassICMPError, Rule: probe.RuleQuotedIDSeqToken,
					Index: idx, Seq: uint16(idx), ID: 0x77, Bytes: te, From: netip.AddrFrom4([4]byte{198, 51, 100, byte(ttl)}), TTL: 64,
					ICMPType: 11, Size: len(te), Sent: sent, Received: recv, RTT: recv.Time.Sub(sent.Time), Request: req})
			default:
				rep := wire.AppendEcho(nil, wire.IPv4, wire.EchoReplyType(wire.IPv4), wire.Echo{ID: 0x77, Seq: uint16(idx), Data: []byte("0123456789abcdef")}, nil)
				reply := probe.Event{Kind: probe.EventReply, Class: probe.ClassOnTime, Rule: probe.RuleIDSeqToken, Index: idx, Seq: uint16(idx), ID: 0x77,
					Bytes: rep, From: dest, TTL: 61, Size: len(rep), Sent: sent, Received: recv, RTT: recv.Time.Sub(sent.Time), Request: req}
				evs = append(evs, reply)
				if r == 1 {
					dup := reply
					dup.Class = probe.ClassDuplicate
					evs = append(evs, dup)
				}
			}
		}
	}
	return evs
}

func traceFiguresOf(rounds int) TraceFigures {
	hop := func(ttl, sent, recv int, addr string) probe.TraceHop {
		return probe.TraceHop{TTL: ttl, Sent: sent, Received: recv, Addrs: []netip.Addr{netip.MustParseAddr(addr)},
			Last: 40 * time.Microsecond, Best: 20 * time.Microsecond, Worst: 60 * time.Microsecond, Avg: 40 * time.Microsecond, StDev: 5 * time.Microsecond}
	}
	h2 := hop(2, rounds, rounds-1, "198.51.100.2")
	h2.RateLimited, h2.Note = true, "rate-limited: its loss does not carry on"
	return TraceFigures{Addr: "192.0.2.9", Socket: probe.SocketRaw, Rounds: rounds, DestinationHop: 3, MaxHops: 30, Foreign: 2,
		Hops: []probe.TraceHop{hop(1, rounds, rounds, "198.51.100.1"), h2, hop(3, rounds, rounds, "192.0.2.9")}}
}

// A trace is stored as a session of packets plus its figures; after the store is closed and
// opened again it reads back whole: target, options, form, rounds, every hop's figures and
// rate-limit verdict, and each hop's answers (only the first answer of each probe: not the
// duplicate), with the round of the probe each answers; the session lists as a trace.
func TestTraceStoredAndReopened(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "h.db")
	s, err := OpenWith(OpenOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Unix(1000, 0)
	opts := probe.TraceOptions{Target: "dest.example", Rounds: 3, Interval: 200 * time.Millisecond, MaxHops: 30}
	tid, sid, err := s.BeginTrace(ctx, TraceInfo{Target: "dest.example", Engine: "in-process-raw", Options: opts,
		Form: []byte(`{"target":"dest.example","rounds":3}`), Probe: probe.Options{Target: "dest.example", Timeout: time.Second}, Started: start})
	if err != nil {
		t.Fatal(err)
	}
	w := s.NewWriter(WriterOptions{})
	evs := tracePath(t, 3, start)
	for _, ev := range evs {
		if !w.Add(sid, ev) {
			t.Fatal("event dropped")
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	fig := traceFiguresOf(3)
	if err := s.FinishTrace(ctx, tid, fig, start.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = OpenWith(OpenOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tr, err := s.Trace(ctx, tid)
	if err != nil {
		t.Fatal(err)
	}
	if tr.SessionID != sid || tr.Target != "dest.example" || tr.Addr != "192.0.2.9" || tr.Socket != "raw" || tr.Engine != "in-process-raw" ||
		tr.Rounds != 3 || tr.DestinationHop != 3 || tr.MaxHops != 30 || tr.Foreign != 2 || !tr.Started.Equal(start) ||
		!tr.Ended.Equal(start.Add(time.Second)) || tr.Packets != int64(len(evs)) || string(tr.Form) != `{"target":"dest.example","rounds":3}` {
		t.Fatalf("trace %+v", tr)
	}
	if len(tr.Hops) != 3 {
		t.Fatalf("%d hops", len(tr.Hops))
	}
	for i, h := range tr.Hops {
		w := fig.Hops[i]
		if h.TTL != w.TTL || h.Sent != w.Sent || h.Received != w.Received || h.Addrs[0] != w.Addrs[0] || h.Last != w.Last ||
			h.Avg != w.Avg || h.Best != w.Best || h.Worst != w.Worst || h.StDev != w.StDev || h.RateLimited != w.RateLimited || h.Note != w.Note {
			t.Errorf("hop %d: %+v, want %+v", i+1, h, w)
		}
	}
	answers, err := s.TraceAnswers(ctx, sid, 10)
	if err != nil {
		t.Fatal(err)
	}
	wantRounds := map[int][]int{1: {1, 2, 3}, 2: {1, 3}, 3: {1, 2, 3}}
	for ttl, rounds := range wantRounds {
		got := answers[ttl]
		if len(got) != len(rounds) {
			t.Errorf("hop %d: %d answers %+v, want rounds %v", ttl, len(got), got, rounds)
			continue
		}
		for k, a := range got {
			if a.Round != rounds[k] || a.TTL != ttl {
				t.Errorf("hop %d answer %d: %+v, want round %d", ttl, k, a, rounds[k])
			}
			p, err := s.Packets(ctx, sid, a.N, 1)
			if err != nil || len(p) != 1 || (ttl < 3) != (p[0].Kind == probe.EventICMPError) || p[0].Class == probe.ClassDuplicate {
				t.Errorf("hop %d answer row %d: %+v %v", ttl, a.N, p, err)
			}
		}
	}
	if last, _ := s.TraceAnswers(ctx, sid, 1); len(last[1]) != 1 || last[1][0].Round != 3 {
		t.Errorf("the latest answer only: %+v", last[1])
	}
	briefs, err := s.TracesOfSessions(ctx, []int64{sid, sid + 100})
	if err != nil || len(briefs) != 1 || briefs[sid].ID != tid || briefs[sid].Hops != 3 || briefs[sid].DestinationHop != 3 {
		t.Errorf("briefs %+v %v", briefs, err)
	}
	if bySession, err := s.TraceOfSession(ctx, sid); err != nil || bySession.ID != tid {
		t.Errorf("trace of session %d: %+v %v", sid, bySession, err)
	}
}

// Deleting a trace's session deletes the trace (and retention, which deletes sessions, too);
// a session that is not a trace has none.
func TestTraceDeletedWithItsSession(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	plain := beginTest(t, s, "plain", time.Unix(1, 0))
	tid, sid, err := s.BeginTrace(ctx, TraceInfo{Target: "x", Options: probe.TraceOptions{Target: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.TraceOfSession(ctx, plain); !errors.Is(err, ErrNotFound) {
		t.Errorf("a plain session's trace: %v, want ErrNotFound", err)
	}
	if err := s.DeleteSession(ctx, sid); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Trace(ctx, tid); !errors.Is(err, ErrNotFound) {
		t.Errorf("the trace outlived its session: %v", err)
	}
	if err := s.StoreTraceFigures(ctx, tid, TraceFigures{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("figures of a deleted trace: %v, want ErrNotFound", err)
	}
}

// A database at the schema before traces (v6: sessions, a monitor) is brought to the current
// one: its sessions and monitor stay whole, none of them is a trace, and a trace can be stored.
func TestTraceMigrationFromTheSchemaBefore(t *testing.T) {
	ctx := context.Background()
	db, path := databaseAtVersion(t, "v6.db", stepOf(t, migrationTraces))
	if _, err := db.ExecContext(ctx, `INSERT INTO sessions(target, addr, started_ns, ended_ns) VALUES ('old', '192.0.2.1', 5, 9)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO monitors(targets_json, started_ns) VALUES ('["a"]', 7)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO packets(session_id, n, kind) VALUES (1, 0, 'send')`); err != nil {
		t.Fatal(err)
	}
	s := openUpgraded(t, db, path)
	list, err := s.ListSessions(ctx, SessionFilter{})
	if err != nil || len(list) != 1 || list[0].Target != "old" || list[0].Packets != 1 {
		t.Fatalf("after migration: %+v %v", list, err)
	}
	if briefs, err := s.TracesOfSessions(ctx, []int64{list[0].ID}); err != nil || len(briefs) != 0 {
		t.Errorf("an old session reads as a trace: %+v %v", briefs, err)
	}
	if _, err := s.Monitor(ctx, 1); err != nil {
		t.Errorf("the monitor after migration: %v", err)
	}
	if _, _, err := s.BeginTrace(ctx, TraceInfo{Target: "new", Options: probe.TraceOptions{Target: "new"}}); err != nil {
		t.Errorf("a trace after the migration: %v", err)
	}
}
