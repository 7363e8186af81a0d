package probe

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"
	"unsafe"

	"echoscope/backend/wire"
)

var loop4 = netip.AddrFrom4([4]byte{127, 0, 0, 1})

func TestFakeEchoWithIPHeader(t *testing.T) {
	c := newFakeConn()
	c.withIPHdr = true
	c.respond = echoResponder
	events, sum, err := runFake(Options{Target: "127.0.0.1", Count: 3, Interval: time.Millisecond}, c)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Received != 3 || sum.Lost != 0 {
		t.Fatalf("stats %+v", sum.Stats)
	}
	for _, ev := range events {
		if ev.Kind == EventReply && (!ev.IncludesIPHeader || ev.TTL != 64 || ev.Rule != RuleIDSeqToken) {
			t.Errorf("reply event %+v", ev)
		}
	}
}

func TestFakeBadWrite(t *testing.T) {
	c := newFakeConn()
	c.sendErr = errors.New("network is unreachable")
	events, sum, err := runFake(Options{Target: "127.0.0.1", Count: 3, Interval: time.Millisecond}, c)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Sent != 3 || sum.Lost != 3 || sum.Received != 0 || sum.LossPercent != 100 {
		t.Fatalf("stats %+v", sum.Stats)
	}
	if n := countKind(events, EventLoss); n != 3 {
		t.Fatalf("%d loss events", n)
	}
	for _, ev := range events {
		if ev.Kind == EventLoss && !strings.Contains(ev.Note, "network is unreachable") {
			t.Errorf("loss note %q", ev.Note)
		}
	}
}

func TestFakeBadRead(t *testing.T) {
	c := newFakeConn()
	c.readErr = errFakeRead
	_, sum, err := runFake(Options{Target: "127.0.0.1", Count: 1000, Interval: time.Millisecond}, c)
	if !errors.Is(err, errFakeRead) {
		t.Fatalf("Run error %v, want the read failure", err)
	}
	if sum.Outstanding != 0 || sum.Lost != sum.Sent {
		t.Fatalf("stats %+v: everything sent must be resolved as lost", sum.Stats)
	}
}

// TestSequenceWrap sends past 65535 requests: sequence numbers wrap, the ring is reused,
// and every reply still matches exactly once.
func TestSequenceWrap(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	const n = 66000
	c := newFakeConn()
	c.in = make(chan inbound, n) // the fake never drops, unlike a socket buffer
	c.respond = echoResponder
	_, sum, err := runFake(Options{Target: "127.0.0.1", Count: n, Interval: time.Nanosecond, Flood: true,
		Size: 8, SizeSet: true}, c)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Received != n || sum.Foreign != 0 || sum.Duplicates != 0 || sum.Lost != 0 {
		t.Fatalf("stats %+v", sum.Stats)
	}
}

// TestCraftedReplies covers classifications the chaos responder cannot provoke through a
// real kernel: a wrong token, a payload that differs, a reply to a request never sent,
// an error quoting another destination, short payloads and the kernel-rewritten identifier.
func TestCraftedReplies(t *testing.T) {
	other := netip.AddrFrom4([4]byte{127, 0, 0, 2})
	cases := []struct {
		name    string
		opts    Options
		setup   func(c *fakeConn)
		respond func(c *fakeConn, msg []byte, dst netip.Addr)
		class   Class
		rule    MatchRule
		note    string
	}{
		{name: "token differs", respond: func(c *fakeConn, msg []byte, dst netip.Addr) {
			c.deliver(replyTo(c.fam(), msg, func(em *wire.EchoMessage) { em.Data[0] ^= 0xff }), dst)
		}, class: ClassForeign, rule: RuleNone, note: "token"},
		{name: "payload differs", respond: func(c *fakeConn, msg []byte, dst netip.Addr) {
			c.deliver(replyTo(c.fam(), msg, func(em *wire.EchoMessage) { em.Data[20] ^= 0xff }), dst)
		}, class: ClassCorrupt, rule: RuleIDSeqToken, note: "payload differs at byte 20"},
		{name: "send time differs", respond: func(c *fakeConn, msg []byte, dst netip.Addr) {
			c.deliver(replyTo(c.fam(), msg, func(em *wire.EchoMessage) { em.Data[15] ^= 0x01 }), dst)
		}, class: ClassCorrupt, rule: RuleIDSeqToken, note: "send time"},
		{name: "short payload matches on id+seq", opts: Options{Size: 8, SizeSet: true}, respond: echoResponder,
			class: ClassOnTime, rule: RuleIDSeq},
		{name: "empty payload", opts: Options{Size: 0, SizeSet: true}, respond: echoResponder,
			class: ClassOnTime, rule: RuleIDSeq},
		{name: "rewritten identifier", setup: func(c *fakeConn) { c.rewrite, c.localPort, c.kind = true, 0xbeef, SocketDatagram },
			respond: echoResponder, class: ClassOnTime, rule: RuleSeqTokenRewritten},
		{name: "rewritten identifier, short payload", opts: Options{Size: 4, SizeSet: true},
			setup:   func(c *fakeConn) { c.rewrite, c.localPort, c.kind = true, 0xbeef, SocketDatagram },
			respond: echoResponder, class: ClassOnTime, rule: RuleSeqOnly},
		{name: "pattern", opts: Options{Pattern: []byte{0xde, 0xad}}, respond: echoResponder,
			class: ClassOnTime, rule: RuleIDSeqToken},
		{name: "different address", respond: func(c *fakeConn, msg []byte, _ netip.Addr) {
			c.deliver(replyTo(c.fam(), msg, nil), other)
		}, class: ClassForeign, rule: RuleNone, note: "different address"},
		{name: "error quoting another destination", respond: func(c *fakeConn, msg []byte, dst netip.Addr) {
			c.deliver(quotedError(msg, other, other), dst)
		}, class: ClassForeign, rule: RuleNone, note: "not to the target"},
		{name: "error quoting our request", respond: func(c *fakeConn, msg []byte, dst netip.Addr) {
			c.deliver(quotedError(msg, loop4, dst), other)
		}, class: ClassICMPError, rule: RuleQuotedIDSeqToken, note: "from 127.0.0.2"},
		{name: "truncated header", respond: func(c *fakeConn, msg []byte, dst netip.Addr) {
			c.deliver(replyTo(c.fam(), msg, nil)[:6], dst)
		}, class: ClassCorrupt, rule: RuleNone, note: "truncated"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newFakeConn()
			c.respond = tc.respond
			if tc.setup != nil {
				tc.setup(c)
			}
			o := tc.opts
			o.Target, o.Count, o.Interval, o.Timeout = "127.0.0.1", 1, time.Millisecond, 200*time.Millisecond
			events, _, err := runFake(o, c)
			if err != nil {
				t.Fatal(err)
			}
			var got *Event
			for i := range events {
				if events[i].Kind == EventReply || events[i].Kind == EventICMPError {
					got = &events[i]
					break
				}
			}
			if got == nil {
				t.Fatalf("no received event in %+v", events)
			}
			if got.Class != tc.class || got.Rule != tc.rule || !strings.Contains(got.Note, tc.note) {
				t.Errorf("got class %q rule %q note %q; want %q %q %q", got.Class, got.Rule, got.Note, tc.class, tc.rule, tc.note)
			}
		})
	}
}

// quotedError builds a destination unreachable quoting req as sent from src to dst.
func quotedError(req []byte, dst, src netip.Addr) []byte {
	hdr, _ := wire.AppendIPv4Header(nil, wire.IPv4Header{TotalLength: uint16(20 + len(req)), TTL: 63,
		Protocol: wire.ProtocolICMP, Src: netip.AddrFrom4([4]byte{127, 0, 0, 1}), Dst: dst})
	m := &wire.Message{Family: wire.IPv4, Type: wire.ICMPv4DestinationUnreachable, Code: 1,
		Body: &wire.DstUnreach{Data: append(hdr, req...)}}
	b, _ := m.Marshal(nil)
	_ = src
	return b
}

func TestPayloadRoundTrip(t *testing.T) {
	for _, size := range []int{0, 1, 15, 16, 17, 56, 1000} {
		template := payloadTemplate(size, 0x0102030405060708, []byte{0xab, 0xcd, 0xef})
		p := make([]byte, size)
		fillPayload(p, 0x0102030405060708, 42, []byte{0xab, 0xcd, 0xef})
		if note := comparePayload(p, template, 42); note != "" {
			t.Errorf("size %d: %s", size, note)
		}
		stamped := append([]byte(nil), template...)
		stampPayload(stamped, 42)
		if !bytes.Equal(stamped, p) {
			t.Errorf("size %d: stamped template %x, filled %x", size, stamped, p)
		}
		if size >= 16 {
			if binary.BigEndian.Uint64(p[0:8]) != 0x0102030405060708 || binary.BigEndian.Uint64(p[8:16]) != 42 {
				t.Errorf("size %d: header %x", size, p[:16])
			}
			if size > 16 && p[16] != 0xab {
				t.Errorf("size %d: pattern starts %#x", size, p[16])
			}
		}
	}
}

// TestComparePayloadNamesTheDifference: each kind of damage gets its own words, and the
// first differing byte of the fill is the one named.
func TestComparePayloadNamesTheDifference(t *testing.T) {
	template := payloadTemplate(24, 7, nil)
	sent := append([]byte(nil), template...)
	stampPayload(sent, 99)
	edit := func(f func(p []byte) []byte) []byte { return f(append([]byte(nil), sent...)) }
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"intact", sent, ""},
		{"short", sent[:20], "truncated: 20 of 24 payload bytes"},
		{"long", append(append([]byte(nil), sent...), 0), "payload longer than sent: 25 bytes, sent 24"},
		{"token", edit(func(p []byte) []byte { p[7] = 8; return p }), "payload differs: token 0x0000000000000008, sent 0x0000000000000007"},
		{"send time", edit(func(p []byte) []byte { p[15] = 98; return p }), "payload differs: send time 98, sent 99"},
		{"fill", edit(func(p []byte) []byte { p[18], p[20] = 0xee, 0xee; return p }), "payload differs at byte 18: 0xee, sent 0x12"},
	} {
		if got := comparePayload(tc.data, template, 99); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestTXStampPlausibility: a TX stamp is applied to the request it is keyed to only when
// it lies near that request's send time.
func TestTXStampPlausibility(t *testing.T) {
	c := newFakeConn()
	c.txStamps = true
	e := newEngine(Options{Target: "127.0.0.1", Identifier: 1, Token: 1}, loop4, c, func(Event) {})
	e.send(time.Now())
	e.send(time.Now())
	q1, q2 := e.ring.get(1), e.ring.get(2)
	stamp := q1.sentUser.Add(3 * time.Microsecond)
	e.txStamp(0, stamp)
	if got := e.sentOf(q1); got.Clock != ClockKernelTX || !got.Time.Equal(stamp) {
		t.Errorf("plausible stamp %v not applied: %+v", stamp, got)
	}
	e.txStamp(1, q2.sentUser.Add(-time.Second))
	if e.sentOf(q2).Clock != ClockUser {
		t.Errorf("implausible stamp applied: %+v", e.sentOf(q2))
	}
	e.txStamp(7, time.Now()) // never sent
	if e.ring.get(7) != nil {
		t.Error("stamp for an unsent request created state")
	}
}

// TestRequestFitsTwoCacheLines: a flood writes one ring slot per packet, cold since its
// last use; the slot stays within two 64-byte cache lines (and, the ring being page
// aligned, never straddles a third).
func TestRequestFitsTwoCacheLines(t *testing.T) {
	if size := unsafe.Sizeof(request{}); size > 128 {
		t.Errorf("request is %d bytes, more than 128", size)
	}
}
