package probe

import (
	"context"
	"errors"
	"net/netip"
	"time"
)

// packetConn is one ICMP socket of any kind, behind one small interface so the loop does not
// care which (and tests can use a fake). Implementations live in conn_<os>.go files.
type packetConn interface {
	// Kind is the socket kind actually opened.
	Kind() SocketKind
	// IPv6 reports whether this is an ICMPv6 socket.
	IPv6() bool
	// Send writes one ICMP message (header + payload) to dst and returns the user-space time
	// just before the write. Raw IPv4 needs the checksum filled in; the kernel fills it for
	// ICMPv6 and for datagram sockets.
	Send(msg []byte, dst netip.Addr) (time.Time, error)
	// Receive blocks until the next message (or TX timestamp report) and fills in.
	// It returns ErrClosed (wrapped) once Close was called.
	Receive(in *inbound) error
	// RewrittenID returns the identifier the kernel puts in our requests instead of ours
	// (Linux datagram sockets: the local port), and whether it does so.
	RewrittenID() (uint16, bool)
	// Clocks reports whether kernel TX and RX timestamps were enabled.
	Clocks() (tx, rx bool)
	Close() error
}

// inboundKind tells what Receive delivered.
type inboundKind uint8

const (
	// inboundPacket: an ICMP message from the network (Data, maybe with the IP header).
	inboundPacket inboundKind = iota
	// inboundTXStamp: a kernel TX timestamp for the send numbered TXKey (0-based send count).
	inboundTXStamp
	// inboundQueuedError: an ICMP error the kernel queued for us (IP_RECVERR on datagram
	// sockets): Data is our original ICMP message as sent, From the reporting router.
	inboundQueuedError
	// inboundLocalError: the kernel refused a send after the fact (error queue, origin local),
	// e.g. EMSGSIZE under PMTUDo. Data is our request when the kernel returned it.
	inboundLocalError
)

// inbound is what Receive fills. Data aliases a buffer owned by the reader until copied.
type inbound struct {
	kind             inboundKind
	data             []byte
	includesIPHeader bool
	from, to         netip.Addr
	ttl              int
	rx               Timestamp
	// arrived is the user-space (monotonic) time the read returned: the engine decides
	// "late or not" with it, so a busy loop cannot turn a timely reply into a late one or
	// the other way round.
	arrived time.Time
	// txKey and txTime for inboundTXStamp, and for a packet when hasTX says a TX timestamp
	// read just before it rides along (one hand-over to the loop instead of two).
	txKey  uint32
	txTime time.Time
	hasTX  bool
	// nothingAfter: the read that followed this TX timestamp found the socket empty, so
	// direct mode can wait at once instead of probing again.
	nothingAfter bool
	// For inboundQueuedError: the ICMP type/code reported and the original destination.
	errType, errCode int
	origDst          netip.Addr
	// errNo for inboundLocalError.
	errNo error
	// truncatedBySocket: the datagram was longer than the read buffer (MSG_TRUNC).
	truncatedBySocket bool
	// truncatedByCapture: a recorded message of which the capture kept only a prefix
	// (offline); it is matched on what is there (see classifyReply).
	truncatedByCapture bool
	// buf is the reusable storage behind data.
	buf []byte
}

// errSkip from Receive means "nothing for the loop in this read; read again".
var errSkip = errors.New("probe: skip")

// errWouldBlock from TryReceive means nothing is waiting on the socket.
var errWouldBlock = errors.New("probe: nothing to read")

// directConn is a socket the loop can drive itself, with no reader goroutine and no channel
// between them (the flood fast path, see loop_direct.go and doc.go). A conn offers it when
// Direct reports true; then only the loop's goroutine may call Send, TryReceive and Wait.
type directConn interface {
	packetConn
	Direct() bool
	// TryReceive reads one message without blocking, as Receive does, or errWouldBlock.
	TryReceive(in *inbound) error
	// Wait blocks until the socket is readable, Interrupt is called, or d passes (d < 0:
	// no limit). It returns errInterrupted after an Interrupt; spurious returns are allowed.
	Wait(d time.Duration) error
	// Interrupt makes Wait return, now and from then on. Safe from any goroutine.
	Interrupt()
}

// errInterrupted from Wait: Interrupt was called (the session's context ended).
var errInterrupted = errors.New("probe: interrupted")

// openConn opens a socket of kind (or the best one for SocketAuto) for the address family.
// It is a variable so that tests (and the test network) can open sockets elsewhere.
// target narrows kernel filters where the platform has them; o.Identifier is already chosen.
var openConn = func(ctx context.Context, kind SocketKind, target netip.Addr, o *Options) (packetConn, error) {
	return openPlatformConn(ctx, kind, target, o)
}
