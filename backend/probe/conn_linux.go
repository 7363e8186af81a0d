//go:build linux

package probe

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// linuxConn is a raw or datagram ICMP socket driven through recvmsg/sendmsg so that control
// messages (TTL, hop limit, packet info, kernel timestamps, queued ICMP errors) are all seen.
// The fd is non-blocking and registered with Go's poller through os.NewFile.
type linuxConn struct {
	kind      SocketKind
	v6        bool
	file      *os.File
	rc        syscall.RawConn
	localPort uint16 // datagram: the identifier the kernel writes into our requests
	txStamps  bool
	rxStamps  bool
	broadcast bool // SO_BROADCAST set (Options.Broadcast)
	closed    atomic.Bool
	oob       []byte // reader-owned
	// txPending counts sends whose TX timestamp has not been read yet, and errPending says
	// the kernel signalled a queued error; the reader probes the error queue only then,
	// which saves a failing recvmsg per packet at flood rates.
	txPending  atomic.Int64
	errPending bool // reader-owned
	recvErrs   int  // reader-owned: consecutive failed reads
	// nameInHeader: packet reads do not ask the kernel for the source address. Set for raw
	// IPv4 sockets in direct mode (the flood), whose reads carry the IP header, where the
	// engine takes the source from (classifyPacket): the address copied out by every
	// recvmsg was 1.3 to 2 % of a flood's time per packet (docs/benchmarks.md). Error-queue
	// reads still ask for it (it names the request's destination there).
	nameInHeader bool
	// arrival times packet reads (reader-owned): one monotonic clock reading per packet.
	arrival arrivalClock

	// direct mode (flood): the loop drives the socket itself; see conn_direct_linux.go.
	direct direct
}

// timestampingFlags asks for software TX timestamps on the error queue (one per send,
// numbered from 0 by OPT_ID, without the packet: OPT_TSONLY) and software RX timestamps.
const timestampingFlags = unix.SOF_TIMESTAMPING_TX_SOFTWARE | unix.SOF_TIMESTAMPING_RX_SOFTWARE |
	unix.SOF_TIMESTAMPING_SOFTWARE | unix.SOF_TIMESTAMPING_OPT_ID | unix.SOF_TIMESTAMPING_OPT_TSONLY

func platformKinds() []SocketKind { return []SocketKind{SocketRaw, SocketDatagram} }

func openPlatformConn(_ context.Context, kind SocketKind, target netip.Addr, o *Options) (packetConn, error) {
	v6 := target.Is6() && !target.Is4In6()
	switch kind {
	case SocketRaw, SocketDatagram:
		c, err := openLinux(kind, v6, o, target)
		if errors.Is(err, ErrPrivilegeRequired) {
			return nil, fmt.Errorf("%w. %s", err, privilegeHint())
		}
		return c, err
	case SocketWindows:
		return nil, fmt.Errorf("%w: the Windows ICMP API exists only on Windows", ErrUnsupported)
	}
	raw, rawErr := openLinux(SocketRaw, v6, o, target)
	if rawErr == nil {
		return raw, nil
	}
	dg, dgErr := openLinux(SocketDatagram, v6, o, target)
	if dgErr == nil {
		return dg, nil
	}
	err := fmt.Errorf("%w: raw: %v; datagram: %v", ErrNoSocket, rawErr, dgErr)
	if errors.Is(rawErr, ErrPrivilegeRequired) {
		// Both the "no socket" and the "privilege" sentinel match, with the fix spelled out.
		err = fmt.Errorf("%w (%w). %s", err, ErrPrivilegeRequired, privilegeHint())
	}
	return nil, err
}

// openLinux opens and configures one socket. target (when valid) narrows the raw IPv4 BPF filter.
func openLinux(kind SocketKind, v6 bool, o *Options, target netip.Addr) (*linuxConn, error) {
	domain, proto := unix.AF_INET, unix.IPPROTO_ICMP
	if v6 {
		domain, proto = unix.AF_INET6, unix.IPPROTO_ICMPV6
	}
	typ := unix.SOCK_RAW
	if kind == SocketDatagram {
		typ = unix.SOCK_DGRAM
	}
	flags := unix.SOCK_CLOEXEC
	if !o.directIO() {
		flags |= unix.SOCK_NONBLOCK // for Go's poller; direct mode reads with MSG_DONTWAIT
	}
	fd, err := unix.Socket(domain, typ|flags, proto)
	if err != nil {
		return nil, socketError(kind, v6, err)
	}
	c := &linuxConn{kind: kind, v6: v6, broadcast: o.Broadcast, oob: make([]byte, 512)}
	if err := c.configure(fd, o, target); err != nil {
		unix.Close(fd)
		return nil, err
	}
	if o.directIO() {
		c.direct.batchTX = c.txStamps
		c.nameInHeader = kind == SocketRaw && !v6
		if err := c.direct.open(fd); err != nil {
			unix.Close(fd)
			return nil, err
		}
		return c, nil
	}
	c.file = os.NewFile(uintptr(fd), fmt.Sprintf("icmp-%s-%s", kind, map[bool]string{false: "v4", true: "v6"}[v6]))
	rc, err := c.file.SyscallConn()
	if err != nil {
		c.file.Close()
		return nil, fmt.Errorf("probe: socket raw conn: %w", err)
	}
	c.rc = rc
	return c, nil
}

func socketError(kind SocketKind, v6 bool, err error) error {
	fam := "IPv4"
	if v6 {
		fam = "IPv6"
	}
	if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
		if kind == SocketDatagram {
			return fmt.Errorf("%w: %s ICMP datagram socket: %v (this group is outside net.ipv4.ping_group_range)",
				ErrPrivilegeRequired, fam, err)
		}
		return fmt.Errorf("%w: %s raw ICMP socket: %v", ErrPrivilegeRequired, fam, err)
	}
	if errors.Is(err, unix.EAFNOSUPPORT) || errors.Is(err, unix.EPROTONOSUPPORT) {
		return fmt.Errorf("%w: %s %s ICMP socket: %v", ErrUnsupported, fam, kind, err)
	}
	return fmt.Errorf("probe: %s %s ICMP socket: %w", fam, kind, err)
}

// configure applies the options. Failures to enable optional features (timestamps) are not
// errors: the engine then falls back to user-space clocks and says so.
func (c *linuxConn) configure(fd int, o *Options, target netip.Addr) error {
	if err := c.applyIPOptions(fd, o); err != nil {
		return err
	}
	if err := c.bindSource(fd, o); err != nil {
		return err
	}
	if c.kind == SocketRaw {
		if err := c.installFilters(fd, o, target); err != nil {
			return err
		}
	}
	if c.kind == SocketDatagram {
		sa, err := unix.Getsockname(fd)
		if err != nil {
			return fmt.Errorf("probe: getsockname: %w", err)
		}
		switch a := sa.(type) {
		case *unix.SockaddrInet4:
			c.localPort = uint16(a.Port)
		case *unix.SockaddrInet6:
			c.localPort = uint16(a.Port)
		}
	}
	c.rxStamps = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1) == nil
	if !o.userSendTimes {
		c.txStamps = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TIMESTAMPING, timestampingFlags) == nil
	}
	return nil
}

func (c *linuxConn) Kind() SocketKind { return c.kind }
func (c *linuxConn) IPv6() bool       { return c.v6 }
func (c *linuxConn) Clocks() (tx, rx bool) {
	return c.txStamps, c.rxStamps
}

func (c *linuxConn) RewrittenID() (uint16, bool) {
	return c.localPort, c.kind == SocketDatagram
}

func (c *linuxConn) Close() error {
	if !c.closed.CompareAndSwap(false, true) {
		return nil
	}
	if c.direct.on {
		return c.direct.close()
	}
	return c.file.Close()
}

func (c *linuxConn) Send(msg []byte, dst netip.Addr) (time.Time, error) {
	if c.direct.on {
		return c.sendDirect(msg, dst)
	}
	var sa unix.Sockaddr
	if c.v6 {
		sa = &unix.SockaddrInet6{Addr: dst.As16(), ZoneId: zoneIndex(dst.Zone())}
	} else {
		sa = &unix.SockaddrInet4{Addr: dst.As4()}
	}
	var sent time.Time
	var serr error
	if c.txStamps {
		c.txPending.Add(1) // before the send: the stamp may be read before Sendto returns
	}
	err := c.rc.Write(func(fd uintptr) bool {
		sent = time.Now()
		serr = unix.Sendto(int(fd), msg, 0, sa)
		return !errors.Is(serr, unix.EAGAIN)
	})
	if c.txStamps && (err != nil || serr != nil) {
		c.txPending.Add(-1) // no packet, no stamp
	}
	if err != nil {
		return sent, c.wrapClosed(err)
	}
	return sent, c.sendError(dst, serr)
}

// sendError words a failed sendto (nil stays nil).
func (c *linuxConn) sendError(dst netip.Addr, serr error) error {
	if errors.Is(serr, unix.EACCES) && !c.broadcast {
		// The kernel refuses broadcast destinations without SO_BROADCAST.
		return fmt.Errorf("%w: send to %s: %w", ErrBroadcast, dst, serr)
	}
	if serr != nil {
		return fmt.Errorf("probe: send to %s: %w", dst, serr)
	}
	return nil
}

func (c *linuxConn) wrapClosed(err error) error {
	if c.closed.Load() || errors.Is(err, os.ErrClosed) {
		return fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return err
}

// Receive reads the error queue first when something is expected there (TX timestamps
// of our sends, queued ICMP errors), so a send's timestamp is seen before its reply, then
// reads one packet. A TX timestamp directly followed by a packet is delivered with it.
func (c *linuxConn) Receive(in *inbound) error {
	if c.direct.on {
		return c.receiveDirect(in)
	}
	var rerr error
	err := c.rc.Read(func(fd uintptr) bool {
		var wouldBlock bool
		rerr, wouldBlock = c.receiveFrom(int(fd), in)
		return !wouldBlock
	})
	if err != nil {
		return c.wrapClosed(err)
	}
	return rerr
}

// receiveFrom is one non-blocking read (of a timestamp, an error or a packet) into in;
// wouldBlock says nothing was waiting. Both the poller path and direct mode use it.
func (c *linuxConn) receiveFrom(fd int, in *inbound) (rerr error, wouldBlock bool) {
	if cap(in.buf) < 65536+64 {
		in.buf = make([]byte, 65536+64)
	}
	buf := in.buf[:cap(in.buf)]
	if c.errPending || (!c.direct.batchTX && c.txPending.Load() > 0) {
		n, oobn, flags, from, e := recvmsg(fd, buf, c.oob, unix.MSG_ERRQUEUE|unix.MSG_DONTWAIT, false)
		if e == nil {
			rerr = c.fillQueued(in, buf[:n], c.oob[:oobn], flags, from)
			if in.kind == inboundTXStamp {
				c.txPending.Add(-1)
				if rerr == nil {
					c.attachNextPacket(fd, in)
				}
			}
			return rerr, false
		}
		c.errPending = false
	}
	n, oobn, flags, from, e := recvmsg(fd, buf, c.oob, unix.MSG_DONTWAIT, c.nameInHeader)
	return c.afterRecv(in, buf[:n], c.oob[:oobn], flags, from, e)
}

// afterRecv turns the outcome of a packet read (recvmsg, or the read the direct loop's ring
// made with a send) into in, or into wouldBlock when nothing was waiting.
func (c *linuxConn) afterRecv(in *inbound, data, oob []byte, flags int, from netip.Addr, e error) (rerr error, wouldBlock bool) {
	if e == unix.EAGAIN { //nolint:errorlint // recvmsg returns the bare errno; this runs per packet
		return nil, true
	}
	if e != nil {
		// A datagram socket reports a queued ICMP error once as the error of a normal
		// read (sk_err); the error itself waits in the error queue. An error that keeps
		// coming back is a real one and goes to the reader, which gives up eventually.
		c.errPending = true
		c.recvErrs++
		rerr = errSkip
		if c.recvErrs > 2 {
			rerr = fmt.Errorf("probe: recvmsg: %w", e)
		}
		return rerr, false
	}
	c.recvErrs = 0
	return c.fillPacket(in, data, oob, flags, from), false
}

// attachNextPacket reads a packet already waiting after a TX timestamp and turns in into
// that packet carrying the timestamp; when none waits, in stays the timestamp alone.
func (c *linuxConn) attachNextPacket(fd int, in *inbound) {
	key, t := in.txKey, in.txTime
	buf := in.buf[:cap(in.buf)]
	n, oobn, flags, from, e := recvmsg(fd, buf, c.oob, unix.MSG_DONTWAIT, c.nameInHeader)
	if e != nil {
		if !errors.Is(e, unix.EAGAIN) {
			c.errPending = true
		} else {
			in.nothingAfter = true
		}
		return
	}
	if c.fillPacket(in, buf[:n], c.oob[:oobn], flags, from) == nil {
		in.hasTX, in.txKey, in.txTime = true, key, t
	}
}

// cmsg is one control message as ParseOneSocketControlMessage returns it.
type cmsg struct {
	level, typ int32
	Data       []byte
}

func (c *linuxConn) fillPacket(in *inbound, data, oob []byte, flags int, from netip.Addr) error {
	*in = inbound{kind: inboundPacket, buf: in.buf, data: data, ttl: -1,
		includesIPHeader: c.kind == SocketRaw && !c.v6}
	in.from = from
	if flags&unix.MSG_TRUNC != 0 {
		in.truncatedBySocket = true
	}
	// One message at a time: ParseSocketControlMessage would allocate a slice per packet.
	// A malformed control message ends the walk; they are extras, the packet stays.
	for rest := oob; len(rest) > 0; {
		hdr, data, next, err := unix.ParseOneSocketControlMessage(rest)
		if err != nil {
			break
		}
		rest = next
		m := cmsg{level: hdr.Level, typ: hdr.Type, Data: data}
		switch {
		case m.level == unix.SOL_SOCKET && m.typ == unix.SO_TIMESTAMPNS:
			if t, ok := parseTimespec(m.Data); ok {
				in.rx = Timestamp{Time: t, Clock: ClockKernelRX}
			}
		case m.level == unix.SOL_SOCKET && m.typ == unix.SO_TIMESTAMPING:
			if t, ok := parseTimespec(m.Data); ok && in.rx.Clock != ClockKernelRX {
				in.rx = Timestamp{Time: t, Clock: ClockKernelRX}
			}
		case m.level == unix.IPPROTO_IP && m.typ == unix.IP_TTL && len(m.Data) >= 4:
			in.ttl = int(nativeInt32(m.Data))
		case m.level == unix.IPPROTO_IPV6 && m.typ == unix.IPV6_HOPLIMIT && len(m.Data) >= 4:
			in.ttl = int(nativeInt32(m.Data))
		case m.level == unix.IPPROTO_IP && m.typ == unix.IP_PKTINFO && len(m.Data) >= 12:
			// struct in_pktinfo: ifindex, spec_dst, addr (the header's destination)
			in.to = netip.AddrFrom4([4]byte(m.Data[8:12]))
		case m.level == unix.IPPROTO_IPV6 && m.typ == unix.IPV6_PKTINFO && len(m.Data) >= 20:
			in.to = netip.AddrFrom16([16]byte(m.Data[0:16]))
		}
	}
	if in.rx.Clock != ClockKernelRX {
		// No kernel RX timestamp: the receive time is ours, so it is a full reading (the
		// arrival clock's wall half is extrapolated), and the only one.
		userNow := time.Now()
		in.arrived, in.rx = userNow, Timestamp{Time: userNow, Clock: ClockUser}
	} else {
		in.arrived = c.arrival.now()
	}
	return nil
}

// fillQueued decodes one error-queue message: a TX timestamp (origin TIMESTAMPING) or an
// ICMP error queued for a datagram socket (origin ICMP/ICMP6), whose data is our request.
func (c *linuxConn) fillQueued(in *inbound, data, oob []byte, _ int, from netip.Addr) error {
	userNow := time.Now()
	*in = inbound{kind: inboundQueuedError, buf: in.buf, data: data, ttl: -1, arrived: userNow,
		rx: Timestamp{Time: userNow, Clock: ClockUser}}
	in.origDst = from
	var stamp time.Time
	for rest := oob; len(rest) > 0; {
		hdr, data, next, err := unix.ParseOneSocketControlMessage(rest)
		if err != nil {
			return fmt.Errorf("probe: error queue control message: %w", err)
		}
		rest = next
		m := cmsg{level: hdr.Level, typ: hdr.Type, Data: data}
		switch {
		case m.level == unix.SOL_SOCKET && m.typ == unix.SO_TIMESTAMPING:
			stamp, _ = parseTimespec(m.Data)
		case (m.level == unix.IPPROTO_IP && m.typ == unix.IP_RECVERR) ||
			(m.level == unix.IPPROTO_IPV6 && m.typ == unix.IPV6_RECVERR):
			ee, offender, ok := parseExtendedErr(m.Data)
			if !ok {
				continue
			}
			switch ee.Origin {
			case unix.SO_EE_ORIGIN_TIMESTAMPING:
				in.kind = inboundTXStamp
				in.txKey = ee.Data
			case unix.SO_EE_ORIGIN_ICMP, unix.SO_EE_ORIGIN_ICMP6:
				in.errType, in.errCode = int(ee.Type), int(ee.Code)
				in.from = offender
			default:
				in.kind = inboundLocalError
				in.errNo = syscall.Errno(ee.Errno)
			}
		}
	}
	if in.kind == inboundTXStamp {
		if stamp.IsZero() {
			return errSkip
		}
		in.txTime = stamp
	}
	return nil
}
