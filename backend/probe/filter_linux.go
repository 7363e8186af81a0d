//go:build linux

package probe

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// A raw ICMP socket sees every ICMP message the host receives (go-ping #125, #139). Two
// kernel-side filters keep other processes' traffic from costing us a wake-up each:
//   - ICMP_FILTER / ICMPV6_FILTER pass only echo replies and the error types that can quote
//     our requests (so our own echo requests looped back on 127.0.0.1 are not seen either);
//   - on IPv4, a BPF program passes echo replies only when they carry our identifier or come
//     from the target. Replies from the target with a wrong identifier still reach us, so they
//     can be reported as foreign (the chaos tests rely on that). IPv6 raw sockets get no IP
//     header to filter on, so there other processes' echo replies are rejected in user space
//     (one copy and one foreign event each; see BenchmarkClassifyForeign).
//
// In direct mode (flood) the BPF program is attached only once a foreign echo reply
// shows that someone else is pinging, as iputils does: running it costs the kernel time on
// every reply, a few percent of a flood, for a filter that has nothing to do on a host
// where nobody else pings. What it would have dropped before then is counted as foreign.

// icmpv4Passed and icmpv6Passed are the types a raw socket receives.
var (
	icmpv4Passed = []uint8{0, 3, 11, 12}
	icmpv6Passed = []uint8{1, 2, 3, 4, 129}
)

func (c *linuxConn) installFilters(fd int, o *Options, target netip.Addr) error {
	if c.v6 {
		var f unix.ICMPv6Filter
		for i := range f.Data {
			f.Data[i] = 0xffffffff // bit set = blocked
		}
		for _, t := range icmpv6Passed {
			f.Data[t>>5] &^= 1 << (t & 31)
		}
		if err := unix.SetsockoptICMPv6Filter(fd, unix.SOL_ICMPV6, unix.ICMPV6_FILTER, &f); err != nil {
			return fmt.Errorf("probe: ICMPV6_FILTER: %w", err)
		}
		return nil
	}
	blocked := ^uint32(0)
	for _, t := range icmpv4Passed {
		blocked &^= 1 << t
	}
	if err := unix.SetsockoptInt(fd, unix.SOL_RAW, unix.ICMP_FILTER, int(int32(blocked))); err != nil {
		return fmt.Errorf("probe: ICMP_FILTER: %w", err)
	}
	if o.Identifier == 0 || !target.Is4() {
		return nil
	}
	prog, err := echoReplyFilter(o.Identifier, target)
	if err != nil {
		return err
	}
	if o.directIO() {
		c.direct.filter = prog // attached by AttachFilter, at the first foreign reply
		return nil
	}
	return attachFilter(fd, prog)
}

func attachFilter(fd int, prog *unix.SockFprog) error {
	if err := unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, prog); err != nil {
		return fmt.Errorf("probe: attach BPF filter: %w", err)
	}
	return nil
}

// AttachFilter attaches the BPF program held back in direct mode (see above); later calls
// do nothing. Only the loop's goroutine calls it.
func (c *linuxConn) AttachFilter() error {
	prog := c.direct.filter
	if prog == nil || c.closed.Load() {
		return nil
	}
	c.direct.filter = nil
	return attachFilter(c.direct.fd, prog)
}

// echoReplyFilter accepts non-echo-reply messages (already narrowed by ICMP_FILTER), and
// echo replies whose identifier is id or whose source address is target.
func echoReplyFilter(id uint16, target netip.Addr) (*unix.SockFprog, error) {
	t4 := target.As4()
	const accept, drop = 0x40000, 0
	insns := []bpf.Instruction{
		bpf.LoadMemShift{Off: 0},                                      // X = IHL*4
		bpf.LoadIndirect{Off: 0, Size: 1},                             // A = ICMP type
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 0, SkipTrue: 1},          // echo reply?
		bpf.RetConstant{Val: accept},                                  // other passed types
		bpf.LoadIndirect{Off: 4, Size: 2},                             // A = identifier
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(id), SkipTrue: 2}, // ours -> accept
		bpf.LoadAbsolute{Off: 12, Size: 4},                            // A = source address
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: binary.BigEndian.Uint32(t4[:]), SkipFalse: 1},
		bpf.RetConstant{Val: accept},
		bpf.RetConstant{Val: drop},
	}
	return assembleFilter(insns)
}

// assembleFilter turns a classic BPF program into the SO_ATTACH_FILTER form, for the
// session's filter and the monitor's alike.
func assembleFilter(insns []bpf.Instruction) (*unix.SockFprog, error) {
	raw, err := bpf.Assemble(insns)
	if err != nil {
		return nil, fmt.Errorf("probe: assemble BPF: %w", err)
	}
	filter := make([]unix.SockFilter, len(raw))
	for i, r := range raw {
		filter[i] = unix.SockFilter{Code: r.Op, Jt: r.Jt, Jf: r.Jf, K: r.K}
	}
	return &unix.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}, nil
}
