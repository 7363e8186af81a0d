package probe

import (
	"context"
	"net/netip"
	"runtime"
	"testing"
	"time"

	"echoscope/backend/wire"
)

// echoDirectConn is a directConn that answers every request at once, in memory, as a raw
// IPv4 socket on loopback would (IP header included, a kernel-like RX time): the flood loop
// without system calls, so that the engine's own cost per packet can be measured steadily
// on a noisy machine, where a wall-clock flood cannot tell 50 ns from noise.
type echoDirectConn struct {
	hdr     []byte // IPv4 header, built once
	reply   []byte // the reply to the last request: header + ICMP message
	pending bool
	from    netip.Addr
	// sent is the last send's time; the reply's kernel RX time is sent + echoDelay, as the
	// kernel's stamp comes with the read at no clock reading of ours. arrival times the
	// reads as linuxConn.fillPacket does, so the benchmark makes the real path's clock
	// readings: one full reading per send, one monotonic reading per read.
	sent    time.Time
	arrival arrivalClock
}

// echoDelay is the in-memory echo's round trip, about the kernel's on loopback.
const echoDelay = 5 * time.Microsecond

func newEchoDirectConn(size int) *echoDirectConn {
	hdr, _ := wire.AppendIPv4Header(nil, wire.IPv4Header{TotalLength: uint16(20 + wire.EchoHeaderLen + size), TTL: 64,
		Protocol: wire.ProtocolICMP, Src: loop4, Dst: loop4})
	return &echoDirectConn{hdr: hdr, from: loop4}
}

func (c *echoDirectConn) Kind() SocketKind            { return SocketRaw }
func (c *echoDirectConn) IPv6() bool                  { return false }
func (c *echoDirectConn) Clocks() (tx, rx bool)       { return false, true }
func (c *echoDirectConn) RewrittenID() (uint16, bool) { return 0, false }
func (c *echoDirectConn) Close() error                { return nil }
func (c *echoDirectConn) Direct() bool                { return true }
func (c *echoDirectConn) Interrupt()                  {}
func (c *echoDirectConn) Wait(time.Duration) error    { return nil }

func (c *echoDirectConn) Receive(in *inbound) error { return c.TryReceive(in) }

// Send turns the request into its reply: type 0 and the checksum adjusted by the type's
// difference (RFC 1624), which is what the kernel's echo does too.
func (c *echoDirectConn) Send(msg []byte, _ netip.Addr) (time.Time, error) {
	now := time.Now()
	c.reply = append(append(c.reply[:0], c.hdr...), msg...)
	icmp := c.reply[len(c.hdr):]
	icmp[0] = wire.ICMPv4EchoReply
	sum := uint32(icmp[2])<<8 | uint32(icmp[3])
	sum += uint32(wire.ICMPv4EchoRequest) << 8
	sum = (sum & 0xffff) + sum>>16
	icmp[2], icmp[3] = byte(sum>>8), byte(sum)
	c.pending, c.sent = true, now
	return now, nil
}

func (c *echoDirectConn) TryReceive(in *inbound) error {
	if !c.pending {
		return errWouldBlock
	}
	c.pending = false
	*in = inbound{kind: inboundPacket, data: c.reply, includesIPHeader: true, from: c.from, ttl: -1,
		arrived: c.arrival.now(), rx: Timestamp{Time: c.sent.Add(echoDelay), Clock: ClockKernelRX}}
	return nil
}

// BenchmarkDirectLoopInMemory: one flood round trip through the direct loop (send, read,
// classify, statistics, the quiet CLI's settings) with the socket replaced by an in-memory
// echo: the engine's own time per packet, the part of a flood that is ours to make cheap.
func BenchmarkDirectLoopInMemory(b *testing.B) { benchFloodInMemory(b, false) }

// BenchmarkQuietFloodInMemory is BenchmarkDirectLoopInMemory with the settings of
// `echoscope-ping -f -q` (cmd/echoscope-ping's run and prepareQuietFlood): no bytes,
// statistics only, user-space send times, one P. It is the engine's share of the quiet flood that the bench compares with
// iputils.
func BenchmarkQuietFloodInMemory(b *testing.B) { benchFloodInMemory(b, true) }

// benchFloodInMemory floods the in-memory echo b.N times; quiet adds -f -q's statistics only
// and one P.
func benchFloodInMemory(b *testing.B, quiet bool) {
	conn := newEchoDirectConn(DefaultSize)
	s, err := NewSession(Options{Target: "127.0.0.1", Count: b.N, Flood: true}, RootPolicy(), func(Event) {})
	if err != nil {
		b.Fatal(err)
	}
	s.newConn = func(context.Context, SocketKind, netip.Addr, *Options) (packetConn, error) { return conn, nil }
	s.OmitBytes()
	s.UserSendTimes()
	if quiet {
		s.StatisticsOnly()
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	}
	b.ReportAllocs()
	b.ResetTimer()
	sum, err := s.Run(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if sum.Received != uint64(b.N) {
		b.Fatalf("stats %+v", sum.Stats)
	}
}
