//go:build linux

package probe

import (
	"fmt"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// attachIDRange gives a monitor's shared raw socket a kernel filter that passes echo replies
// carrying one of the monitor's identifiers (base..base+n-1) and every other message type
// the socket's ICMP filter lets through (errors, which are sorted by their quoted
// identifier in user space). Without it the socket would queue every echo reply the host
// receives: a flood by another program fills its buffer and the monitor's own replies are
// dropped before they are read. An echo reply with another identifier from a target is
// therefore never seen by a monitor (a Session's filter passes those as foreign).
func attachIDRange(c packetConn, base uint16, n int) error {
	lc, ok := c.(*linuxConn)
	if !ok {
		return nil // a test's socket
	}
	prog, err := idRangeFilter(lc.v6, base, n)
	if err != nil {
		return err
	}
	if lc.direct.on { // ReadInLoop: a plain descriptor, outside Go's poller
		return attachFilter(lc.direct.fd, prog)
	}
	var serr error
	if err := lc.rc.Control(func(fd uintptr) { serr = attachFilter(int(fd), prog) }); err != nil {
		return fmt.Errorf("probe: monitor filter: %w", err)
	}
	return serr
}

// idRangeFilter is the BPF program of attachIDRange. IPv4 raw sockets see the IP header
// (its length in X), IPv6 ones start at the ICMPv6 header.
func idRangeFilter(v6 bool, base uint16, n int) (*unix.SockFprog, error) {
	const accept, drop = 0x40000, 0
	reply := uint32(0)
	if v6 {
		reply = 129
	}
	var insns []bpf.Instruction
	if v6 {
		insns = []bpf.Instruction{
			bpf.LoadAbsolute{Off: 0, Size: 1}, // A = ICMPv6 type
			bpf.JumpIf{Cond: bpf.JumpEqual, Val: reply, SkipTrue: 1},
			bpf.RetConstant{Val: accept},
			bpf.LoadAbsolute{Off: 4, Size: 2}, // A = identifier
		}
	} else {
		insns = []bpf.Instruction{
			bpf.LoadMemShift{Off: 0},          // X = IHL*4
			bpf.LoadIndirect{Off: 0, Size: 1}, // A = ICMP type
			bpf.JumpIf{Cond: bpf.JumpEqual, Val: reply, SkipTrue: 1},
			bpf.RetConstant{Val: accept},
			bpf.LoadIndirect{Off: 4, Size: 2}, // A = identifier
		}
	}
	insns = append(insns,
		bpf.ALUOpConstant{Op: bpf.ALUOpSub, Val: uint32(base)}, // below base wraps to huge
		bpf.JumpIf{Cond: bpf.JumpGreaterOrEqual, Val: uint32(n), SkipTrue: 1},
		bpf.RetConstant{Val: accept},
		bpf.RetConstant{Val: drop},
	)
	return assembleFilter(insns)
}

// readTXInline makes a direct-mode socket read each TX timestamp from the error queue
// before the next packet, as the general path does, instead of leaving them queued for a
// batch (a flood's engine collects those; a monitor routes every stamp as it comes).
func readTXInline(c packetConn) {
	if lc, ok := c.(*linuxConn); ok {
		lc.direct.batchTX = false
	}
}
