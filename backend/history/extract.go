package history

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"sort"

	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// ExtractStats count the frames of a capture that were not imported, by reason.
type ExtractStats struct {
	Frames    int `json:"frames"`
	Imported  int `json:"imported"`
	NotIP     int `json:"notIp"`
	NotICMP   int `json:"notIcmp"`
	Fragments int `json:"fragments"` // IP fragments: not reassembled, so not imported
	OtherICMP int `json:"otherIcmp"` // ICMP that is neither echo nor an error (neighbour discovery...)
	Malformed int `json:"malformed"`
	// Unsupported: frames of a link type this reader does not know.
	Unsupported int `json:"unsupported"`
	// FirstProblem describes the first malformed or unsupported frame, with its offset.
	FirstProblem string `json:"firstProblem,omitempty"`
}

// extractICMP turns the capture's ICMP echo and error packets into rows (whole IP
// datagrams, IncludesIPHeader set), in time order, unclassified.
func extractICMP(c *Capture) ([]Packet, ExtractStats) {
	var st ExtractStats
	var rows []Packet
	problem := func(f *Frame, err error) {
		if st.FirstProblem == "" {
			st.FirstProblem = fmt.Sprintf("frame at offset %d: %v", f.Offset, err)
		}
	}
	for i := range c.Frames {
		f := &c.Frames[i]
		st.Frames++
		ip, err := ipPayload(f.LinkType, f.Data)
		switch {
		case errors.Is(err, errNotIP):
			st.NotIP++
			continue
		case err != nil && f.LinkType != LinkTypeEthernet && f.LinkType != LinkTypeLinuxSLL && f.LinkType != LinkTypeSLL2 &&
			f.LinkType != LinkTypeNull && f.LinkType != LinkTypeLoop:
			st.Unsupported++
			problem(f, err)
			continue
		case err != nil:
			st.Malformed++
			problem(f, err)
			continue
		}
		p, skip, err := packetFromIP(ip)
		if err != nil {
			st.Malformed++
			problem(f, err)
			continue
		}
		switch skip {
		case skipNotICMP:
			st.NotICMP++
			continue
		case skipFragment:
			st.Fragments++
			continue
		case skipOtherICMP:
			st.OtherICMP++
			continue
		}
		p.Time = probe.Timestamp{Time: f.Time, Clock: "capture"}
		if f.OrigLen > len(f.Data) {
			p.Note = fmt.Sprintf("capture truncated the frame: %d of %d bytes", len(f.Data), f.OrigLen)
		}
		rows = append(rows, p)
		st.Imported++
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Time.Time.Before(rows[j].Time.Time) })
	return rows, st
}

type skipReason int

const (
	keep skipReason = iota
	skipNotICMP
	skipFragment
	skipOtherICMP
)

// packetFromIP reads an IP datagram and returns its row when it is ICMP echo or error.
func packetFromIP(b []byte) (Packet, skipReason, error) {
	if len(b) == 0 {
		return Packet{}, keep, fmt.Errorf("empty IP packet")
	}
	var fam wire.Family
	var icmp []byte
	var src, dst netip.Addr
	var ttl int
	switch b[0] >> 4 {
	case 4:
		h, payload, err := wire.SplitIPv4(b)
		if err != nil {
			return Packet{}, keep, err
		}
		if h.IsFragment() {
			return Packet{}, skipFragment, nil
		}
		if h.Protocol != wire.ProtocolICMP {
			return Packet{}, skipNotICMP, nil
		}
		fam, icmp, src, dst, ttl = wire.IPv4, payload, h.Src, h.Dst, int(h.TTL)
	case 6:
		h, err := wire.ParseIPv6Header(b)
		if err != nil {
			return Packet{}, keep, err
		}
		exts, proto, off, err := wire.WalkIPv6Extensions(h.NextHeader, b[wire.IPv6HeaderLen:])
		if errors.Is(err, wire.ErrFragment) {
			return Packet{}, skipFragment, nil
		}
		if err != nil {
			return Packet{}, keep, err
		}
		for _, e := range exts {
			if e.Type == ipv6FragmentHeader {
				return Packet{}, skipFragment, nil
			}
		}
		if proto != wire.ProtocolICMPv6 {
			return Packet{}, skipNotICMP, nil
		}
		end := min(len(b), wire.IPv6HeaderLen+int(h.PayloadLength))
		start := min(wire.IPv6HeaderLen+off, end)
		fam, icmp, src, dst, ttl = wire.IPv6, b[start:end], h.Src, h.Dst, int(h.HopLimit)
	default:
		return Packet{}, keep, fmt.Errorf("IP version %d", b[0]>>4)
	}
	if len(icmp) < wire.ICMPHeaderLen {
		return Packet{}, keep, fmt.Errorf("%s: %d bytes of ICMP, need %d", fam.ICMPName(), len(icmp), wire.ICMPHeaderLen)
	}
	p := Packet{Bytes: append([]byte(nil), b...), IncludesIPHeader: true, From: src, To: dst,
		TTL: ttl, ICMPType: int(icmp[0]), ICMPCode: int(icmp[1]), Size: len(icmp)}
	switch {
	case icmp[0] == wire.EchoRequestType(fam):
		p.Kind = probe.EventSend
	case icmp[0] == wire.EchoReplyType(fam):
		p.Kind = probe.EventReply
	case isErrorType(fam, icmp[0]):
		p.Kind = probe.EventICMPError
	default:
		return Packet{}, skipOtherICMP, nil
	}
	if p.Kind != probe.EventICMPError && len(icmp) >= wire.EchoHeaderLen {
		p.ID, p.Seq = binary.BigEndian.Uint16(icmp[4:]), binary.BigEndian.Uint16(icmp[6:])
	}
	return p, keep, nil
}

const ipv6FragmentHeader = 44

// isErrorType: the ICMP error messages that quote a datagram.
func isErrorType(f wire.Family, t uint8) bool {
	if f == wire.IPv4 {
		return t == wire.ICMPv4DestinationUnreachable || t == wire.ICMPv4TimeExceeded ||
			t == wire.ICMPv4ParameterProblem || t == wire.ICMPv4SourceQuench || t == wire.ICMPv4Redirect
	}
	return t == wire.ICMPv6DestinationUnreachable || t == wire.ICMPv6PacketTooBig ||
		t == wire.ICMPv6TimeExceeded || t == wire.ICMPv6ParameterProblem
}
