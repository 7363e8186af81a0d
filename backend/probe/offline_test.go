package probe

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"testing"
	"time"

	"echoscope/backend/wire"
)

// recordingOf turns a live session's events into the recording ClassifyOffline takes: the
// requests as sent and every received message as it arrived.
func recordingOf(events []Event) []OfflineMessage {
	var msgs []OfflineMessage
	for _, ev := range events {
		switch ev.Kind {
		case EventSend:
			msgs = append(msgs, OfflineMessage{Sent: true, At: ev.Sent, Bytes: ev.Bytes, To: ev.To, TTL: -1})
		case EventReply, EventICMPError:
			msgs = append(msgs, OfflineMessage{At: ev.Received, Bytes: ev.Bytes, IncludesIPHeader: ev.IncludesIPHeader,
				From: ev.From, To: ev.To, TTL: ev.TTL})
		}
	}
	return msgs
}

// TestClassifyOfflineAgreesWithLive: a live session's recording, judged offline, gets the
// same class, rule and request for every received message, and the same counts.
func TestClassifyOfflineAgreesWithLive(t *testing.T) {
	other := netip.AddrFrom4([4]byte{127, 0, 0, 2})
	dupEvery2 := func(c *fakeConn, msg []byte, dst netip.Addr) {
		c.deliver(replyTo(c.fam(), msg, nil), dst)
		if binary.BigEndian.Uint16(msg[6:8])%2 == 0 {
			c.deliver(replyTo(c.fam(), msg, nil), dst)
		}
	}
	cases := []struct {
		name    string
		opts    Options
		setup   func(c *fakeConn)
		respond func(c *fakeConn, msg []byte, dst netip.Addr)
	}{
		{name: "echo", respond: echoResponder},
		{name: "echo with IPv4 headers", setup: func(c *fakeConn) { c.withIPHdr = true }, respond: echoResponder},
		{name: "duplicates", respond: dupEvery2},
		{name: "payload differs", respond: func(c *fakeConn, msg []byte, dst netip.Addr) {
			c.deliver(replyTo(c.fam(), msg, func(em *wire.EchoMessage) { em.Data[20] ^= 0xff }), dst)
		}},
		{name: "token differs", respond: func(c *fakeConn, msg []byte, dst netip.Addr) {
			c.deliver(replyTo(c.fam(), msg, func(em *wire.EchoMessage) { em.Data[0] ^= 0xff }), dst)
		}},
		{name: "different address", respond: func(c *fakeConn, msg []byte, _ netip.Addr) {
			c.deliver(replyTo(c.fam(), msg, nil), other)
		}},
		{name: "error quoting our request", respond: func(c *fakeConn, msg []byte, dst netip.Addr) {
			c.deliver(quotedError(msg, loop4, dst), other)
		}},
		{name: "short payload", opts: Options{Size: 8, SizeSet: true}, respond: echoResponder},
		{name: "rewritten identifier", setup: func(c *fakeConn) { c.rewrite, c.localPort, c.kind = true, 0xbeef, SocketDatagram },
			respond: echoResponder},
		{name: "silence", respond: nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newFakeConn()
			c.respond = tc.respond
			if tc.setup != nil {
				tc.setup(c)
			}
			o := tc.opts
			o.Target, o.Count, o.Interval, o.Timeout = "127.0.0.1", 4, time.Millisecond, 100*time.Millisecond
			o.Identifier, o.Token = 0x4242, 0x1122334455667788
			live, sum, err := runFake(o, c)
			if err != nil {
				t.Fatal(err)
			}
			cfg := OfflineConfig{Target: loop4, Identifier: o.Identifier, Token: o.Token, Timeout: o.Timeout}
			if c.rewrite {
				cfg.Identifier, cfg.IdentifierRewritten = c.localPort, true
			}
			res, err := ClassifyOffline(cfg, recordingOf(live))
			if err != nil {
				t.Fatal(err)
			}
			off, st := append(res.Events, res.Losses...), res.Stats
			if got, want := countsOf(st), countsOf(sum.Stats); got != want || st.Sent != sum.Sent {
				t.Errorf("offline counts %+v sent %d\nlive          %+v sent %d", got, st.Sent, want, sum.Sent)
			}
			liveRx, offRx := received(live), received(off)
			if len(liveRx) != len(offRx) {
				t.Fatalf("%d received events offline, %d live", len(offRx), len(liveRx))
			}
			for i := range liveRx {
				l, f := liveRx[i], offRx[i]
				if l.Class != f.Class || l.Rule != f.Rule || l.Index != f.Index || l.RTT != f.RTT {
					t.Errorf("message %d: offline %s/%q/#%d/%v, live %s/%q/#%d/%v (%s)", i,
						f.Class, f.Rule, f.Index, f.RTT, l.Class, l.Rule, l.Index, l.RTT, l.Note)
				}
			}
			if countKind(off, EventLoss) != countKind(live, EventLoss) {
				t.Errorf("%d losses offline, %d live", countKind(off, EventLoss), countKind(live, EventLoss))
			}
		})
	}
}

// counts are the exact counts of Stats (the chaos tests' want, on every platform).
type counts struct{ Received, Lost, Duplicates, OutOfOrder, Late, Corrupt, Foreign, Errors uint64 }

func countsOf(s Stats) counts {
	return counts{s.Received, s.Lost, s.Duplicates, s.OutOfOrder, s.Late, s.Corrupt, s.Foreign, s.Errors}
}

func received(events []Event) []Event {
	var out []Event
	for _, ev := range events {
		if ev.Kind == EventReply || ev.Kind == EventICMPError {
			out = append(out, ev)
		}
	}
	return out
}

// TestClassifyOfflineCapture: another tool's capture (no token; sequences from 7) with every
// class in it, judged message by message.
func TestClassifyOfflineCapture(t *testing.T) {
	me, target := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.9")
	const id = 0x0d25
	t0 := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
	at := func(ms int) Timestamp {
		return Timestamp{Time: t0.Add(time.Duration(ms) * time.Millisecond), Clock: "capture"}
	}
	payload := func(seq uint16) []byte {
		return []byte{0xa0, byte(seq), 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}
	}
	req := func(seq uint16) []byte {
		return wire.AppendEcho(nil, wire.IPv4, wire.ICMPv4EchoRequest, wire.Echo{ID: id, Seq: seq, Data: payload(seq)}, nil)
	}
	reply := func(id, seq uint16, data []byte) []byte {
		return wire.AppendEcho(nil, wire.IPv4, wire.ICMPv4EchoReply, wire.Echo{ID: id, Seq: seq, Data: data}, nil)
	}
	sent := func(ms int, seq uint16) OfflineMessage {
		return OfflineMessage{Sent: true, At: at(ms), Bytes: req(seq), From: me, To: target, TTL: -1}
	}
	got := func(ms int, b []byte) OfflineMessage {
		return OfflineMessage{At: at(ms), Bytes: b, From: target, To: me, TTL: 64}
	}
	bad := payload(12)
	bad[5] ^= 0xff
	msgs := []OfflineMessage{
		sent(0, 7), got(1, reply(id, 7, payload(7))), // on time
		got(2, reply(id, 7, payload(7))), // duplicate
		sent(1000, 8), sent(1001, 9),
		got(1002, reply(id, 9, payload(9))),                   // on time
		got(1003, reply(id, 8, payload(8))),                   // out of order
		sent(3000, 10), got(3500, reply(id, 10, payload(10))), // late (timeout 300 ms)
		sent(4000, 11), // lost, answered by an error
		got(4001, quotedError(req(11), target, netip.MustParseAddr("192.0.2.254"))),
		sent(5000, 12), got(5001, reply(id, 12, bad)), // corrupt, then lost
		got(5002, reply(0x9999, 12, payload(12))), // foreign
	}
	// The recording's order is not its time order: ClassifyOffline sorts.
	msgs[0], msgs[1] = msgs[1], msgs[0]
	res, err := ClassifyOffline(OfflineConfig{Target: target, Identifier: id, Timeout: 300 * time.Millisecond}, msgs)
	if err != nil {
		t.Fatal(err)
	}
	st := res.Stats
	for i, ev := range res.Events {
		if wantKind := EventSend; !msgs[i].Sent && (ev.Kind == wantKind || ev.Kind == "") || msgs[i].Sent && ev.Kind != wantKind {
			t.Errorf("message %d (sent %v) got event %q", i, msgs[i].Sent, ev.Kind)
		}
	}
	// Events at the messages' positions (undo the swap), losses merged in by time.
	res.Events[0], res.Events[1] = res.Events[1], res.Events[0]
	events := mergeByTime(res.Events, res.Losses)
	if g, w := countsOf(st), (counts{Received: 3, OutOfOrder: 1, Duplicates: 1, Late: 1, Lost: 3, Errors: 1, Corrupt: 1, Foreign: 1}); g != w {
		t.Errorf("counts %+v\nwant   %+v", g, w)
	}
	var classes []string
	for _, ev := range events {
		if ev.Kind == EventSend {
			continue
		}
		classes = append(classes, string(ev.Kind)+":"+string(ev.Class)+"#"+itoa(ev.Index))
		if ev.Kind == EventReply && ev.Class == ClassOnTime && ev.Rule != RuleRecordedIDSeq {
			t.Errorf("rule %q", ev.Rule)
		}
		if ev.Kind == EventLoss && ev.Received.Time != ev.Sent.Time.Add(300*time.Millisecond) {
			t.Errorf("loss of #%d at %v, want its timeout", ev.Index, ev.Received.Time.Sub(t0))
		}
	}
	wantClasses := []string{"reply:on-time#7", "reply:duplicate#7", "reply:on-time#9", "reply:out-of-order#8",
		"loss:#10", "reply:late#10", "icmp-error:icmp-error#11", "loss:#11", "reply:corrupt#12", "reply:foreign#", "loss:#12"}
	if len(classes) != len(wantClasses) {
		t.Fatalf("events %v\nwant   %v", classes, wantClasses)
	}
	for i := range classes {
		if classes[i] != wantClasses[i] {
			t.Errorf("event %d %s, want %s", i, classes[i], wantClasses[i])
		}
	}
}

// mergeByTime puts loss events among the others by their time (a loss at a message's time
// goes before it, as the engine resolves timeouts before it classifies).
func mergeByTime(events, losses []Event) []Event {
	var out []Event
	for _, ev := range events {
		at := ev.Received.Time
		if ev.Kind == EventSend {
			at = ev.Sent.Time
		}
		for len(losses) > 0 && !losses[0].Received.Time.After(at) {
			out, losses = append(out, losses[0]), losses[1:]
		}
		out = append(out, ev)
	}
	return append(out, losses...)
}

func itoa(n uint64) string {
	if n == 0 {
		return ""
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

func TestClassifyOfflineRefuses(t *testing.T) {
	target := netip.MustParseAddr("192.0.2.9")
	reply := wire.AppendEcho(nil, wire.IPv4, wire.ICMPv4EchoReply, wire.Echo{ID: 1, Seq: 1}, nil)
	other := wire.AppendEcho(nil, wire.IPv4, wire.ICMPv4EchoRequest, wire.Echo{ID: 2, Seq: 1}, nil)
	for _, c := range []struct {
		name string
		cfg  OfflineConfig
		msgs []OfflineMessage
	}{
		{"no target", OfflineConfig{Identifier: 1}, nil},
		{"sent reply", OfflineConfig{Target: target, Identifier: 1}, []OfflineMessage{{Sent: true, Bytes: reply}}},
		{"other identifier", OfflineConfig{Target: target, Identifier: 1}, []OfflineMessage{{Sent: true, Bytes: other}}},
		{"bad IPv4 header", OfflineConfig{Target: target, Identifier: 1}, []OfflineMessage{{Sent: true, Bytes: other, IncludesIPHeader: true}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := ClassifyOffline(c.cfg, c.msgs); !errors.Is(err, ErrRecording) {
				t.Fatalf("err %v", err)
			}
		})
	}
}
