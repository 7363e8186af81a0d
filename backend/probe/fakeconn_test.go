package probe

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"time"

	"echoscope/backend/wire"
)

// fakeConn is a socket for unit tests of the loop: sends go to a scripted responder that
// may push crafted messages back; reads and writes can be made to fail.
type fakeConn struct {
	kind      SocketKind
	v6        bool
	rewrite   bool
	localPort uint16
	withIPHdr bool // deliver IPv4 replies with a header, as a raw IPv4 socket does
	txStamps  bool // claim kernel TX timestamps (tests feed them with txStamp)

	sendErr  error
	readErr  error
	respond  func(c *fakeConn, msg []byte, dst netip.Addr)
	in       chan inbound
	done     chan struct{}
	once     sync.Once
	mu       sync.Mutex
	sentMsgs [][]byte
}

func newFakeConn() *fakeConn {
	return &fakeConn{kind: SocketRaw, in: make(chan inbound, 1024), done: make(chan struct{})}
}

func (c *fakeConn) Kind() SocketKind      { return c.kind }
func (c *fakeConn) IPv6() bool            { return c.v6 }
func (c *fakeConn) Clocks() (tx, rx bool) { return c.txStamps, false }
func (c *fakeConn) RewrittenID() (uint16, bool) {
	return c.localPort, c.rewrite
}

func (c *fakeConn) Close() error {
	c.once.Do(func() { close(c.done) })
	return nil
}

func (c *fakeConn) Send(msg []byte, dst netip.Addr) (time.Time, error) {
	now := time.Now()
	if c.sendErr != nil {
		return now, c.sendErr
	}
	m := append([]byte(nil), msg...)
	if c.rewrite {
		m[4], m[5] = byte(c.localPort>>8), byte(c.localPort)
	}
	c.mu.Lock()
	c.sentMsgs = append(c.sentMsgs, m)
	c.mu.Unlock()
	if c.respond != nil {
		c.respond(c, m, dst)
	}
	return now, nil
}

func (c *fakeConn) Receive(in *inbound) error {
	if c.readErr != nil {
		select {
		case <-c.done:
			return ErrClosed
		default:
			return c.readErr
		}
	}
	select {
	case m := <-c.in:
		*in = m
		return nil
	case <-c.done:
		return ErrClosed
	}
}

func (c *fakeConn) fam() wire.Family {
	if c.v6 {
		return wire.IPv6
	}
	return wire.IPv4
}

// deliver queues an ICMP message as received from src now.
func (c *fakeConn) deliver(icmp []byte, src netip.Addr) {
	now := time.Now()
	in := inbound{kind: inboundPacket, data: icmp, from: src, ttl: 64, arrived: now,
		rx: Timestamp{Time: now, Clock: ClockUser}}
	if c.withIPHdr && !c.v6 {
		dst := netip.AddrFrom4([4]byte{127, 0, 0, 1})
		h, _ := wire.AppendIPv4Header(nil, wire.IPv4Header{TotalLength: uint16(20 + len(icmp)), TTL: 64,
			Protocol: wire.ProtocolICMP, Src: src, Dst: dst})
		in.data = append(h, icmp...)
		in.includesIPHeader = true
	}
	c.in <- in
}

// replyTo turns a request into its echo reply, with edits applied before the checksum.
func replyTo(f wire.Family, req []byte, edit func(em *wire.EchoMessage)) []byte {
	em, err := wire.ParseEcho(f, req)
	if err != nil {
		panic(err) // test helper: requests are built by the engine
	}
	em.Data = append([]byte(nil), em.Data...)
	if edit != nil {
		edit(&em)
	}
	return wire.AppendEcho(nil, f, wire.EchoReplyType(f), em.Echo, nil)
}

// echoResponder answers every request correctly from dst.
func echoResponder(c *fakeConn, msg []byte, dst netip.Addr) {
	c.deliver(replyTo(c.fam(), msg, nil), dst)
}

// runFake runs a session over c and returns its events, summary and error.
func runFake(o Options, c *fakeConn) ([]Event, Summary, error) {
	var events []Event
	s, err := NewSession(o, RootPolicy(), func(ev Event) { events = append(events, ev) })
	if err != nil {
		return nil, Summary{}, err
	}
	s.newConn = func(context.Context, SocketKind, netip.Addr, *Options) (packetConn, error) { return c, nil }
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sum, err := s.Run(ctx)
	return events, sum, err
}

var errFakeRead = errors.New("fake read failure")
