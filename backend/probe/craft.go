package probe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"echoscope/backend/wire"
)

// Crafted packets: one ICMP echo request whose bytes a person wrote (the Packet Lab), sent
// once to one unicast address over a raw socket, and the echo reply that matches it, if any.
// Only echo requests are accepted (wire.CraftedEchoAllowed); the checksum, identifier,
// sequence, code and payload may be anything, which is the point: a wrong checksum is sent
// wrong, and the receiving kernel drops it without a word.
//
// What the kernel does to the bytes on Linux raw sockets: an ip4:icmp socket adds the IPv4
// header and sends the ICMP message exactly as written. An ICMPv6 raw socket always computes
// the ICMPv6 checksum over the pseudo-header and writes it at offset 2 (RFC 3542 section
// 3.1; IPV6_CHECKSUM cannot be turned off for ICMPv6), so a crafted ICMPv6 checksum never
// reaches the wire: CraftResult says so.

// CraftRequest is one crafted echo request.
type CraftRequest struct {
	Family Family     `json:"family"` // Family4 or Family6, the family of Message
	Target netip.Addr `json:"target"` // one unicast address
	// Message is the ICMP message (no IP header): an echo request of Family.
	Message []byte `json:"message"`
	// Timeout is how long to wait for the reply (CraftTimeoutMin..CraftTimeoutMax).
	Timeout time.Duration `json:"timeout"`
}

// Bounds of CraftRequest.Timeout.
const (
	CraftTimeoutMin = 10 * time.Millisecond
	CraftTimeoutMax = 60 * time.Second
)

// CraftResult is what came of a crafted request.
type CraftResult struct {
	// Reply is the matching echo reply's ICMP message; nil when TimedOut.
	Reply    []byte        `json:"reply,omitempty"`
	From     netip.Addr    `json:"from,omitzero"`
	RTT      time.Duration `json:"rtt"`
	TimedOut bool          `json:"timedOut"`
	// KernelChecksum: the kernel replaced the checksum (ICMPv6 raw sockets).
	KernelChecksum bool `json:"kernelChecksum"`
}

// ErrCraft: a crafted request refused before sending (not an echo request, not unicast,
// timeout out of range).
var ErrCraft = errors.New("crafted packet refused")

// ValidateCraft checks a crafted request before anything is opened.
func ValidateCraft(r CraftRequest) error {
	var wf wire.Family
	switch r.Family {
	case Family4:
		wf = wire.IPv4
	case Family6:
		wf = wire.IPv6
	default:
		return fmt.Errorf("%w: family must be 4 or 6, not %d", ErrCraft, r.Family)
	}
	if err := wire.CraftedEchoAllowed(wf, r.Message); err != nil {
		return fmt.Errorf("%w: %w", ErrCraft, err)
	}
	t := unmapIfV4(r.Target)
	switch {
	case !t.IsValid():
		return fmt.Errorf("%w: no destination address", ErrCraft)
	case (r.Family == Family4) != t.Is4():
		return fmt.Errorf("%w: %s is not an IPv%d address", ErrCraft, t, r.Family)
	case t.IsUnspecified(), isBroadcastish(t), t.IsLinkLocalUnicast() && t.Zone() != "":
		return fmt.Errorf("%w: %s is not one unicast destination; a crafted packet goes to exactly one host", ErrCraft, t)
	}
	if r.Timeout < CraftTimeoutMin || r.Timeout > CraftTimeoutMax {
		return fmt.Errorf("%w: timeout %v is out of range, allowed %v..%v", ErrCraft, r.Timeout, CraftTimeoutMin, CraftTimeoutMax)
	}
	return nil
}

// SendCrafted validates r, sends its message once over a raw socket and waits up to
// r.Timeout for the echo reply from r.Target with the same identifier, sequence and data.
// Other ICMP traffic the raw socket sees (every ICMP message on the host) is skipped.
func SendCrafted(ctx context.Context, r CraftRequest) (CraftResult, error) {
	if err := ValidateCraft(r); err != nil {
		return CraftResult{}, err
	}
	target := unmapIfV4(r.Target)
	network, reply := "ip4:icmp", wire.EchoReplyType(wire.IPv4)
	if r.Family == Family6 {
		network, reply = "ip6:ipv6-icmp", wire.EchoReplyType(wire.IPv6)
	}
	conn, err := net.ListenPacket(network, "")
	if err != nil {
		return CraftResult{}, fmt.Errorf("%w: a crafted packet needs a raw socket (%s): %w", ErrPrivilegeRequired, network, err)
	}
	defer conn.Close()
	deadline := time.Now().Add(r.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	_ = conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()

	sent := time.Now()
	if _, err := conn.WriteTo(r.Message, &net.IPAddr{IP: target.AsSlice(), Zone: target.Zone()}); err != nil {
		return CraftResult{}, fmt.Errorf("send crafted packet to %s: %w", target, err)
	}
	res := CraftResult{KernelChecksum: r.Family == Family6}
	buf := make([]byte, 65536)
	for {
		n, from, err := conn.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				res.TimedOut = true
				return res, nil
			}
			return res, fmt.Errorf("read reply: %w", err)
		}
		ip, ok := from.(*net.IPAddr)
		if !ok {
			continue
		}
		src, _ := netip.AddrFromSlice(ip.IP)
		if unmapIfV4(src) != target || !matchesCraft(buf[:n], r.Message, reply) {
			continue
		}
		res.RTT = time.Since(sent)
		res.Reply = append([]byte(nil), buf[:n]...)
		res.From = target
		return res, nil
	}
}

// matchesCraft: msg is an echo reply (type reply) with the request's identifier, sequence
// and data, as the classic example checked (it compared identifier and sequence).
func matchesCraft(msg, req []byte, reply uint8) bool {
	return len(msg) >= wire.EchoHeaderLen && msg[0] == reply &&
		bytes.Equal(msg[4:8], req[4:8]) && bytes.Equal(msg[8:], req[8:])
}
