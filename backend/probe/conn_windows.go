//go:build windows

package probe

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"echoscope/backend/wire"
)

// The Windows ICMP helper API (iphlpapi.dll) pings without administrator rights. It sends
// the request itself and returns only the reply's address, status, round trip time (in
// milliseconds), TTL and data: never the reply's bytes. The engine therefore receives a
// reply rebuilt from those fields, matched by the API (RuleWindowsAPI), and says so.
var (
	iphlpapi            = windows.NewLazySystemDLL("iphlpapi.dll")
	procIcmpCreateFile  = iphlpapi.NewProc("IcmpCreateFile")
	procIcmp6CreateFile = iphlpapi.NewProc("Icmp6CreateFile")
	procIcmpCloseHandle = iphlpapi.NewProc("IcmpCloseHandle")
	procIcmpSendEcho2   = iphlpapi.NewProc("IcmpSendEcho2")
	procIcmp6SendEcho2  = iphlpapi.NewProc("Icmp6SendEcho2")
)

// ipOptionInformation is IP_OPTION_INFORMATION.
type ipOptionInformation struct {
	TTL         uint8
	TOS         uint8
	Flags       uint8
	OptionsSize uint8
	OptionsData uintptr
}

// icmpEchoReply is ICMP_ECHO_REPLY (IPv4).
type icmpEchoReply struct {
	Address       uint32
	Status        uint32
	RoundTripTime uint32
	DataSize      uint16
	Reserved      uint16
	Data          uintptr
	Options       ipOptionInformation
}

// icmpv6EchoReplyLen is sizeof(ICMPV6_ECHO_REPLY): a packed 26-byte IPV6_ADDRESS_EX, then
// Status and RoundTripTime aligned to 4; the echoed data follows it in the buffer.
const icmpv6EchoReplyLen = 36

const (
	ipFlagDF = 0x2
	// maxInFlight bounds the goroutines blocked in IcmpSendEcho2 (each holds an OS thread
	// for up to the timeout); requests beyond it fail to send and are reported lost.
	maxInFlight = 256
)

// statusToICMP maps IP_STATUS codes (ipexport.h) to the ICMP error they stand for.
var statusToICMP = map[uint32][2]uint8{
	11002: {3, 0},  // IP_DEST_NET_UNREACHABLE
	11003: {3, 1},  // IP_DEST_HOST_UNREACHABLE
	11004: {3, 2},  // IP_DEST_PROT_UNREACHABLE
	11005: {3, 3},  // IP_DEST_PORT_UNREACHABLE
	11009: {3, 4},  // IP_PACKET_TOO_BIG
	11013: {11, 0}, // IP_TTL_EXPIRED_TRANSIT
	11014: {11, 1}, // IP_TTL_EXPIRED_REASSEM
	11015: {12, 0}, // IP_PARAM_PROBLEM
}

// statusToICMPv6 maps the same statuses for ICMPv6 (RFC 4443 types).
var statusToICMPv6 = map[uint32][2]uint8{
	11002: {1, 0}, 11003: {1, 3}, 11004: {1, 4}, 11005: {1, 4},
	11009: {2, 0}, 11013: {3, 0}, 11014: {3, 1}, 11015: {4, 0},
}

const ipReqTimedOut = 11010

type winAPIConn struct {
	v6      bool
	handle  uintptr
	opts    Options
	timeout time.Duration
	results chan inbound
	done    chan struct{}
	slots   chan struct{}
	once    sync.Once
	wg      sync.WaitGroup
}

func openWinAPI(v6 bool, o *Options) (*winAPIConn, error) {
	if o.DontRoute || o.Mark != 0 || o.SendBuffer > 0 {
		return nil, fmt.Errorf("%w: bypassing routing, firewall marks and the send buffer size are set on Linux only", ErrUnsupported)
	}
	proc := procIcmpCreateFile
	if v6 {
		proc = procIcmp6CreateFile
	}
	if err := proc.Find(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	h, _, callErr := proc.Call()
	if windows.Handle(h) == windows.InvalidHandle {
		return nil, fmt.Errorf("probe: %s: %w", proc.Name, callErr)
	}
	return &winAPIConn{v6: v6, handle: h, opts: *o, timeout: o.EffectiveTimeout(),
		results: make(chan inbound, 64), done: make(chan struct{}), slots: make(chan struct{}, maxInFlight)}, nil
}

func (c *winAPIConn) Kind() SocketKind            { return SocketWindows }
func (c *winAPIConn) IPv6() bool                  { return c.v6 }
func (c *winAPIConn) Clocks() (tx, rx bool)       { return false, false }
func (c *winAPIConn) RewrittenID() (uint16, bool) { return 0, false }
func (c *winAPIConn) MatchedByAPI() bool          { return true }

func (c *winAPIConn) Close() error {
	c.once.Do(func() {
		close(c.done)
		go func() { // in-flight calls end by their timeout; close the handle after them
			c.wg.Wait()
			procIcmpCloseHandle.Call(c.handle)
		}()
	})
	return nil
}

func (c *winAPIConn) Receive(in *inbound) error {
	select {
	case r := <-c.results:
		*in = r
		return nil
	case <-c.done:
		return fmt.Errorf("%w: windows icmp handle", ErrClosed)
	}
}

func (c *winAPIConn) Send(msg []byte, dst netip.Addr) (time.Time, error) {
	now := time.Now()
	fam := wire.IPv4
	if c.v6 {
		fam = wire.IPv6
	}
	em, err := wire.ParseEcho(fam, msg)
	if err != nil {
		return now, fmt.Errorf("probe: windows send: %w", err)
	}
	select {
	case c.slots <- struct{}{}:
	default:
		return now, errors.New("probe: too many requests waiting in IcmpSendEcho2")
	}
	req := append([]byte(nil), msg...)
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer func() { <-c.slots }()
		in := c.echo(fam, em, req, dst, now)
		select {
		case c.results <- in:
		case <-c.done:
		}
	}()
	return now, nil
}

// echo performs one blocking IcmpSendEcho2/Icmp6SendEcho2 call and turns the outcome into
// what a socket would have delivered.
func (c *winAPIConn) echo(fam wire.Family, em wire.EchoMessage, req []byte, dst netip.Addr, sent time.Time) inbound {
	data := em.Data
	var dataPtr uintptr
	if len(data) > 0 {
		dataPtr = uintptr(unsafe.Pointer(&data[0]))
	}
	opt := ipOptionInformation{TTL: uint8(c.opts.TTL), TOS: uint8(c.opts.TOS)}
	if opt.TTL == 0 {
		opt.TTL = 128
	}
	if c.opts.PMTU == PMTUDo || c.opts.PMTU == PMTUProbe {
		opt.Flags = ipFlagDF
	}
	reply := make([]byte, icmpv6EchoReplyLen+int(unsafe.Sizeof(icmpEchoReply{}))+len(data)+8+64)
	timeoutMs := uintptr(c.timeout / time.Millisecond)
	var n uintptr
	if c.v6 {
		var src, to windows.RawSockaddrInet6
		to.Family = windows.AF_INET6
		to.Addr = dst.As16()
		src.Family = windows.AF_INET6
		n, _, _ = procIcmp6SendEcho2.Call(c.handle, 0, 0, 0,
			uintptr(unsafe.Pointer(&src)), uintptr(unsafe.Pointer(&to)),
			dataPtr, uintptr(len(data)), uintptr(unsafe.Pointer(&opt)),
			uintptr(unsafe.Pointer(&reply[0])), uintptr(len(reply)), timeoutMs)
	} else {
		a4 := dst.As4()
		n, _, _ = procIcmpSendEcho2.Call(c.handle, 0, 0, 0,
			uintptr(binary.LittleEndian.Uint32(a4[:])), // IPAddr: network byte order in memory
			dataPtr, uintptr(len(data)), uintptr(unsafe.Pointer(&opt)),
			uintptr(unsafe.Pointer(&reply[0])), uintptr(len(reply)), timeoutMs)
	}
	var (
		status uint32
		rtt    time.Duration
		from   netip.Addr
		ttl    = -1
		echoed []byte
	)
	if c.v6 {
		from = netip.AddrFrom16([16]byte(reply[6:22]))
		status = binary.LittleEndian.Uint32(reply[28:32])
		rtt = time.Duration(binary.LittleEndian.Uint32(reply[32:36])) * time.Millisecond
		end := min(icmpv6EchoReplyLen+len(data), len(reply))
		echoed = reply[icmpv6EchoReplyLen:end]
	} else {
		r := (*icmpEchoReply)(unsafe.Pointer(&reply[0]))
		var a [4]byte
		binary.LittleEndian.PutUint32(a[:], r.Address)
		from, status = netip.AddrFrom4(a), r.Status
		rtt = time.Duration(r.RoundTripTime) * time.Millisecond
		ttl = int(r.Options.TTL)
		// Data points into reply; take it as an offset so no pointer is forged from a uintptr.
		if off := int(r.Data - uintptr(unsafe.Pointer(&reply[0]))); r.Data != 0 && off >= 0 && off+int(r.DataSize) <= len(reply) {
			echoed = reply[off : off+int(r.DataSize)]
		}
	}
	rx := Timestamp{Time: sent.Add(rtt), Clock: ClockWindowsAPI}
	arrived := sent.Add(rtt) // keeps the monotonic reading of sent
	if n == 0 && status == 0 {
		status = ipReqTimedOut
	}
	if status == 0 {
		// Rebuild the reply the API hid from us (type, code 0, our id/seq, the echoed data).
		b := wire.AppendEcho(nil, fam, wire.EchoReplyType(fam), wire.Echo{ID: em.ID, Seq: em.Seq, Data: echoed}, nil)
		return inbound{kind: inboundPacket, data: b, from: from, ttl: ttl, rx: rx, arrived: arrived}
	}
	table := statusToICMP
	if c.v6 {
		table = statusToICMPv6
	}
	tc, ok := table[status]
	if !ok {
		// Timed out or failed locally: nothing arrived; the engine's own timer reports the loss.
		return inbound{kind: inboundLocalError, data: req, origDst: dst, errNo: windows.Errno(status), rx: rx, arrived: arrived}
	}
	return inbound{kind: inboundQueuedError, data: req, origDst: dst, from: from, rx: rx, arrived: arrived,
		errType: int(tc[0]), errCode: int(tc[1])}
}

func platformKinds() []SocketKind { return []SocketKind{SocketRaw, SocketWindows} }

func openPlatformConn(_ context.Context, kind SocketKind, target netip.Addr, o *Options) (packetConn, error) {
	v6 := target.Is6() && !target.Is4In6()
	switch kind {
	case SocketRaw:
		c, err := openNetConn(SocketRaw, v6, o)
		if errors.Is(err, ErrPrivilegeRequired) {
			return nil, fmt.Errorf("%w. %s", err, privilegeHint())
		}
		return c, err
	case SocketWindows:
		return openWinAPI(v6, o)
	case SocketDatagram:
		return nil, fmt.Errorf("%w: Windows has no ICMP datagram sockets; use the windows kind", ErrUnsupported)
	}
	if isRealRoot() {
		if raw, err := openNetConn(SocketRaw, v6, o); err == nil {
			return raw, nil
		}
	}
	return openWinAPI(v6, o)
}
