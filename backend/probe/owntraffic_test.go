package probe

import (
	"bytes"
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"echoscope/backend/wire"
)

// otherTraffic answers each request correctly and, around the reply, delivers what another
// process's traffic puts on a raw socket: its echo replies from our target, an ICMP error
// quoting its UDP datagram (whose payload is its secret), a reply with our identifier and
// sequence but another token, and a message too short to tell whose it is. It also delivers
// what is ours beyond the plain reply: a reply from another address and an error quoting
// our request.
func otherTraffic(secret []byte, other netip.Addr) func(c *fakeConn, msg []byte, dst netip.Addr) {
	return func(c *fakeConn, msg []byte, dst netip.Addr) {
		f := c.fam()
		c.deliver(replyTo(f, msg, func(em *wire.EchoMessage) { em.ID ^= 0x5555; copy(em.Data[16:], secret) }), dst)
		udp, err := wire.AppendIPv4Header(nil, wire.IPv4Header{TotalLength: uint16(20 + 8 + len(secret)), TTL: 64,
			Protocol: wire.ProtocolUDP, Src: netip.MustParseAddr("127.0.0.1"), Dst: other})
		if err != nil {
			panic(err)
		}
		udp = append(append(udp, 0x9c, 0x40, 0x00, 0x35, 0, byte(8+len(secret)), 0, 0), secret...)
		portUnreach, err := (&wire.Message{Family: f, Type: wire.ICMPv4DestinationUnreachable, Code: 3,
			Body: &wire.DstUnreach{Data: udp}}).Marshal(nil)
		if err != nil {
			panic(err)
		}
		c.deliver(portUnreach, other)
		c.deliver(replyTo(f, msg, func(em *wire.EchoMessage) { em.Data[0] ^= 0xff }), dst) // another token
		c.deliver([]byte{0, 0, 0xff}, other)                                               // 3 bytes: whose?
		c.deliver(replyTo(f, msg, nil), dst)                                               // ours
		c.deliver(replyTo(f, msg, nil), other)                                             // ours, from elsewhere
		quoted, err := wire.AppendIPv4Header(nil, wire.IPv4Header{TotalLength: uint16(20 + len(msg)), TTL: 1,
			Protocol: wire.ProtocolICMP, Src: netip.MustParseAddr("127.0.0.1"), Dst: dst})
		if err != nil {
			panic(err)
		}
		timeExceeded, err := (&wire.Message{Family: f, Type: wire.ICMPv4TimeExceeded,
			Body: &wire.TimeExceeded{Data: append(quoted, msg...)}}).Marshal(nil)
		if err != nil {
			panic(err)
		}
		c.deliver(timeExceeded, other)
	}
}

// Issue 10, point 6: under a policy with OwnTrafficOnly, the handler sees only what is tied
// to the session's own requests; everything else is counted as foreign and no byte or
// address of it is handed out. Without it (root) everything is shown, as before.
func TestOwnTrafficOnlyShowsOnlyTheCallersOwnMessages(t *testing.T) {
	secret := []byte("another user's secret")
	other := netip.MustParseAddr("127.0.0.9")
	run := func(policy Policy) ([]Event, Summary) {
		c := newFakeConn()
		c.respond = otherTraffic(secret, other)
		var events []Event
		s, err := NewSession(Options{Target: "127.0.0.1", Count: 1, Timeout: time.Second, Linger: 50 * time.Millisecond},
			policy, func(ev Event) { events = append(events, ev) })
		if err != nil {
			t.Fatal(err)
		}
		s.newConn = func(_ context.Context, _ SocketKind, _ netip.Addr, _ *Options) (packetConn, error) { return c, nil }
		sum, err := s.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return events, sum
	}

	confined := RootPolicy()
	confined.OwnTrafficOnly = true
	events, sum := run(confined)
	var shown []string
	for _, ev := range events {
		if ev.Kind == EventSend {
			continue
		}
		shown = append(shown, string(ev.Kind)+"/"+string(ev.Class))
		if ev.Index == 0 {
			t.Errorf("shown without a request of ours: %+v", ev)
		}
		if bytes.Contains(ev.Bytes, secret) || bytes.Contains(ev.Request, secret) || strings.Contains(ev.Note, "5555") {
			t.Errorf("another process's bytes reached the handler: %+v", ev)
		}
	}
	want := []string{"reply/on-time", "reply/foreign", "icmp-error/icmp-error"} // ours; from elsewhere; the error quoting ours
	if strings.Join(shown, " ") != strings.Join(want, " ") {
		t.Errorf("shown %v, want %v", shown, want)
	}
	// Foreign: the other identifier, the port unreachable, the other token, the 3 bytes;
	// plus our own reply from another address, which is shown and counted as before.
	if sum.Foreign != 5 || sum.Corrupt != 0 || sum.Received != 1 || sum.Errors != 1 || !sum.OwnTrafficOnly {
		t.Errorf("confined summary: foreign %d corrupt %d received %d errors %d ownTrafficOnly %v",
			sum.Foreign, sum.Corrupt, sum.Received, sum.Errors, sum.OwnTrafficOnly)
	}

	events, sum = run(RootPolicy())
	received := 0
	sawSecret := false
	for _, ev := range events {
		if ev.Kind != EventSend {
			received++
		}
		sawSecret = sawSecret || bytes.Contains(ev.Bytes, secret)
	}
	if received != 7 || !sawSecret || sum.OwnTrafficOnly || sum.Foreign != 4 || sum.Corrupt != 1 {
		t.Errorf("root sees %d messages (want 7, the other's bytes among them: %v), foreign %d corrupt %d",
			received, sawSecret, sum.Foreign, sum.Corrupt)
	}
}

// The decision itself: tied to one of our requests or not.
func TestShownToCaller(t *testing.T) {
	cases := []struct {
		ev   Event
		want bool
	}{
		{Event{Kind: EventReply, Class: ClassOnTime, Index: 3}, true},
		{Event{Kind: EventReply, Class: ClassForeign, Index: 3, Note: "different address: reply from 10.0.0.9"}, true},
		{Event{Kind: EventICMPError, Class: ClassICMPError, Index: 1}, true},
		{Event{Kind: EventReply, Class: ClassCorrupt, Index: 2, Note: "bad checksum"}, true},
		{Event{Kind: EventReply, Class: ClassForeign, Note: "identifier 0x1234 is not ours"}, false},
		{Event{Kind: EventICMPError, Class: ClassForeign, Note: "about a packet that is not an echo request"}, false},
		{Event{Kind: EventReply, Class: ClassCorrupt, Note: "truncated: 3 bytes of ICMP"}, false},
	}
	for _, c := range cases {
		if got := shownToCaller(&c.ev); got != c.want {
			t.Errorf("%s %s %q: shown %v, want %v", c.ev.Kind, c.ev.Class, c.ev.Note, got, c.want)
		}
	}
}
