//go:build linux

package testnet

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"echoscope/backend/wire"
)

// Responder answers echo requests inside a test host's namespace, with the fault of its
// Chaos configuration. The host must have been built with SilenceKernel, or the kernel
// answers too. One reader goroutine per IP version; delayed replies leave in order from a
// delayLine.
type Responder struct {
	host  *Host
	chaos Chaos

	recv   [2]*os.File // [0] IPv4, [1] IPv6: raw ICMP sockets seeing echo requests only
	send   [2]int      // IPPROTO_RAW sockets (header included) for crafted replies
	arrive [2]atomic.Uint64

	mu      sync.Mutex
	held    [2]*heldReply // FaultReorder: the reply waiting for the next one
	delays  *delayLine    // FaultDelay, started with the first delayed reply
	closed  bool
	wg      sync.WaitGroup
	sent    atomic.Uint64
	sendErr atomic.Value // last send error, for diagnosis
}

type heldReply struct {
	fam      wire.Family
	src, dst netip.Addr
	icmp     []byte
}

// StartResponder opens the responder's sockets inside h's namespace and starts answering.
func StartResponder(h *Host, c Chaos) (*Responder, error) {
	if c.Fault == "" {
		c.Fault = FaultNone
	}
	if _, err := ParseFault(string(c.Fault)); err != nil {
		return nil, err
	}
	r := &Responder{host: h, chaos: c, send: [2]int{-1, -1}}
	err := h.InPeer(func() error {
		for i, fam := range []wire.Family{wire.IPv4, wire.IPv6} {
			f, err := openRequestSocket(fam)
			if err != nil {
				return err
			}
			r.recv[i] = f
			domain := unix.AF_INET
			if fam == wire.IPv6 {
				domain = unix.AF_INET6
			}
			fd, err := unix.Socket(domain, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.IPPROTO_RAW)
			if err != nil {
				return fmt.Errorf("testnet: raw send socket: %w", err)
			}
			r.send[i] = fd
		}
		return nil
	})
	if err != nil {
		r.Close()
		return nil, err
	}
	for i := range r.recv {
		r.wg.Add(1)
		go r.readLoop(i)
	}
	return r, nil
}

// NewResponderT starts a responder for the test and stops it when the test ends.
func NewResponderT(t interface {
	Helper()
	Fatalf(string, ...any)
	Cleanup(func())
}, h *Host, c Chaos) *Responder {
	t.Helper()
	r, err := StartResponder(h, c)
	if err != nil {
		t.Fatalf("testnet: responder: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func openRequestSocket(fam wire.Family) (*os.File, error) {
	domain, proto := unix.AF_INET, unix.IPPROTO_ICMP
	if fam == wire.IPv6 {
		domain, proto = unix.AF_INET6, unix.IPPROTO_ICMPV6
	}
	fd, err := unix.Socket(domain, unix.SOCK_RAW|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, proto)
	if err != nil {
		return nil, fmt.Errorf("testnet: raw %s socket: %w", fam, err)
	}
	if fam == wire.IPv4 {
		blocked := ^uint32(1 << wire.ICMPv4EchoRequest) // bit set = type filtered out
		err = unix.SetsockoptInt(fd, unix.SOL_RAW, unix.ICMP_FILTER, int(int32(blocked)))
	} else {
		var f unix.ICMPv6Filter
		for i := range f.Data {
			f.Data[i] = 0xffffffff
		}
		t := wire.ICMPv6EchoRequest
		f.Data[t>>5] &^= 1 << (t & 31)
		err = unix.SetsockoptICMPv6Filter(fd, unix.SOL_ICMPV6, unix.ICMPV6_FILTER, &f)
		if err == nil {
			err = unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_RECVPKTINFO, 1)
		}
		if err == nil {
			err = unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_RECVHOPLIMIT, 1)
		}
	}
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("testnet: request socket options: %w", err)
	}
	return os.NewFile(uintptr(fd), "testnet-responder-"+fam.String()), nil
}

// Requests returns how many echo requests arrived (IPv4 and IPv6 together).
func (r *Responder) Requests() uint64 { return r.arrive[0].Load() + r.arrive[1].Load() }

// Sent returns how many packets the responder sent.
func (r *Responder) Sent() uint64 { return r.sent.Load() }

// Close stops the responder; pending delayed or held replies are never sent.
func (r *Responder) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	delays := r.delays
	r.mu.Unlock()
	if delays != nil {
		delays.close()
	}
	var errs []error
	for _, f := range r.recv {
		if f != nil {
			errs = append(errs, f.Close())
		}
	}
	r.wg.Wait()
	for _, fd := range r.send {
		if fd >= 0 {
			errs = append(errs, unix.Close(fd))
		}
	}
	return errors.Join(errs...)
}

func (r *Responder) readLoop(i int) {
	defer r.wg.Done()
	fam := []wire.Family{wire.IPv4, wire.IPv6}[i]
	rc, err := r.recv[i].SyscallConn()
	if err != nil {
		return
	}
	buf := make([]byte, 65536)
	oob := make([]byte, 256)
	for {
		var n, oobn int
		var from unix.Sockaddr
		var rerr error
		err := rc.Read(func(fd uintptr) bool {
			n, oobn, _, from, rerr = unix.Recvmsg(int(fd), buf, oob, unix.MSG_DONTWAIT)
			return !errors.Is(rerr, syscall.EAGAIN)
		})
		if err != nil {
			return // closed
		}
		if rerr != nil {
			continue
		}
		req, ok := parseRequest(fam, buf[:n], oob[:oobn], from)
		if !ok {
			continue
		}
		req.n = r.arrive[i].Add(1)
		r.respond(req)
	}
}

// parseRequest reads an echo request: IPv4 arrives with its header, IPv6 without (the
// addresses come from recvmsg and IPV6_PKTINFO, and the header is rebuilt for quoting).
func parseRequest(fam wire.Family, b, oob []byte, from unix.Sockaddr) (*request, bool) {
	req := &request{fam: fam}
	icmp := b
	if fam == wire.IPv4 {
		h, payload, err := wire.SplitIPv4(b)
		if err != nil {
			return nil, false
		}
		req.client, req.addr, icmp = h.Src, h.Dst, payload
		req.original = append([]byte(nil), b...)
	} else {
		sa, ok := from.(*unix.SockaddrInet6)
		if !ok {
			return nil, false
		}
		req.client = netip.AddrFrom16(sa.Addr)
		hop := uint8(64)
		cmsgs, _ := unix.ParseSocketControlMessage(oob)
		for _, m := range cmsgs {
			if m.Header.Level == unix.IPPROTO_IPV6 && m.Header.Type == unix.IPV6_PKTINFO && len(m.Data) >= 16 {
				req.addr = netip.AddrFrom16([16]byte(m.Data[:16]))
			}
			if m.Header.Level == unix.IPPROTO_IPV6 && m.Header.Type == unix.IPV6_HOPLIMIT && len(m.Data) >= 4 {
				hop = uint8(binary.NativeEndian.Uint32(m.Data[:4]))
			}
		}
		if !req.addr.IsValid() {
			return nil, false
		}
		hdr, err := wire.AppendIPv6Header(make([]byte, 0, wire.IPv6HeaderLen+len(icmp)), wire.IPv6Header{
			PayloadLength: uint16(len(icmp)), NextHeader: wire.ProtocolICMPv6, HopLimit: hop,
			Src: req.client, Dst: req.addr,
		})
		if err != nil {
			return nil, false
		}
		req.original = append(hdr, icmp...)
	}
	em, err := wire.ParseEcho(fam, icmp)
	if err != nil || em.Type != wire.EchoRequestType(fam) {
		return nil, false
	}
	req.id, req.seq = em.ID, em.Seq
	req.data = append([]byte(nil), em.Data...)
	return req, true
}

// respond applies the fault to one request.
func (r *Responder) respond(req *request) {
	c := r.chaos
	src := req.addr
	alt := r.host.PeerAltV4
	if req.fam == wire.IPv6 {
		alt = r.host.PeerAltV6
	}
	good := func() []byte { return echoReply(req, src, req.id, req.seq, req.data) }
	if c.Fault == FaultNone || !c.spoils(req.n) {
		r.transmit(req.fam, src, req.client, good())
		r.releaseHeld(req.fam)
		return
	}
	switch c.Fault {
	case FaultDelay:
		r.later(c.Delay, req.fam, src, req.client, good())
	case FaultDrop:
	case FaultDuplicate:
		for range 1 + c.copies() {
			r.transmit(req.fam, src, req.client, good())
		}
	case FaultReorder:
		r.releaseHeld(req.fam) // never hold two: the older one goes first
		r.mu.Lock()
		r.held[famIndex(req.fam)] = &heldReply{fam: req.fam, src: src, dst: req.client, icmp: good()}
		r.mu.Unlock()
	case FaultBadChecksum:
		b := good()
		b[3] ^= 0x01 // one bit off; never turns 0x0000 into its one's complement twin 0xffff
		r.transmit(req.fam, src, req.client, b)
	case FaultTruncate:
		r.transmit(req.fam, src, req.client, echoReply(req, src, req.id, req.seq, req.data[:len(req.data)/2]))
	case FaultWrongID:
		r.transmit(req.fam, src, req.client, echoReply(req, src, req.id^0x8000, req.seq, req.data))
	case FaultWrongSeq:
		r.transmit(req.fam, src, req.client, echoReply(req, src, req.id, req.seq+0x4000, req.data))
	case FaultOtherAddress:
		r.transmit(req.fam, alt, req.client, echoReply(req, alt, req.id, req.seq, req.data))
	case FaultUnreachable:
		typ, code := wire.ICMPv4DestinationUnreachable, uint8(1) // host unreachable
		if req.fam == wire.IPv6 {
			typ, code = wire.ICMPv6DestinationUnreachable, 3 // address unreachable
		}
		r.transmit(req.fam, alt, req.client, icmpError(req, alt, typ, code))
	case FaultTimeExceeded:
		typ := wire.ICMPv4TimeExceeded
		if req.fam == wire.IPv6 {
			typ = wire.ICMPv6TimeExceeded
		}
		r.transmit(req.fam, alt, req.client, icmpError(req, alt, typ, 0))
	case FaultForeignFlood:
		// The flood goes first, so a pinger that stops at its last reply has seen it all.
		for k := range c.flood() {
			junk := make([]byte, len(req.data))
			for j := range junk {
				junk[j] = byte(rand.UintN(256))
			}
			id := req.id ^ uint16(0x1111*(k%15+1))
			r.transmit(req.fam, src, req.client, echoReply(req, src, id, uint16(rand.UintN(65536)), junk))
		}
		r.transmit(req.fam, src, req.client, good())
	}
}

func famIndex(f wire.Family) int {
	if f == wire.IPv6 {
		return 1
	}
	return 0
}

func (r *Responder) releaseHeld(fam wire.Family) {
	r.mu.Lock()
	h := r.held[famIndex(fam)]
	r.held[famIndex(fam)] = nil
	r.mu.Unlock()
	if h != nil {
		r.transmit(h.fam, h.src, h.dst, h.icmp)
	}
}

func (r *Responder) later(d time.Duration, fam wire.Family, src, dst netip.Addr, icmp []byte) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	if r.delays == nil {
		r.delays = startDelayLine(r.transmit)
	}
	line := r.delays
	r.mu.Unlock()
	line.add(delayedReply{due: time.Now().Add(d), fam: fam, src: src, dst: dst, icmp: icmp})
}

// transmit sends one ICMP message from src to dst with a header we wrote ourselves, so the
// source address and checksum are exactly what the fault wants.
func (r *Responder) transmit(fam wire.Family, src, dst netip.Addr, icmp []byte) {
	r.mu.Lock()
	closed := r.closed
	r.mu.Unlock()
	if closed || icmp == nil {
		return
	}
	pkt := datagram(fam, src, dst, icmp)
	var sa unix.Sockaddr
	if fam == wire.IPv6 {
		sa = &unix.SockaddrInet6{Addr: dst.As16()}
	} else {
		sa = &unix.SockaddrInet4{Addr: dst.As4()}
	}
	if err := unix.Sendto(r.send[famIndex(fam)], pkt, 0, sa); err != nil {
		r.sendErr.Store(err)
		return
	}
	r.sent.Add(1)
}

// LastSendError returns the most recent send failure, if any (for test diagnostics).
func (r *Responder) LastSendError() error {
	if err, ok := r.sendErr.Load().(error); ok {
		return err
	}
	return nil
}
