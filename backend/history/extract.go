package history

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"

	"echoscope/backend/capture"
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
	// Unsupported: frames of a link type this reader does not know; UnsupportedLink names
	// the first such link type.
	Unsupported     int    `json:"unsupported"`
	UnsupportedLink string `json:"unsupportedLink,omitempty"`
	// Truncated: imported frames the capture's snap length cut short (matched on the bytes
	// they have).
	Truncated int `json:"truncated"`
	// FirstProblem describes the first malformed or unsupported frame, with its offset.
	FirstProblem string `json:"firstProblem,omitempty"`
	// CutShort says where a capture that ends inside a record was cut; the complete
	// records before it were imported.
	CutShort string `json:"cutShort,omitempty"`
}

// noICMPReason says why a capture gave nothing to import, in words: "no ICMP echo or
// ICMP error packets" alone hides a link type this importer does not read.
func (st *ExtractStats) noICMPReason() string {
	why := fmt.Sprintf("%d frames", st.Frames)
	if st.Unsupported > 0 {
		why += fmt.Sprintf("; %d of them of %s, a link type this importer does not read", st.Unsupported, st.UnsupportedLink)
	}
	if st.CutShort != "" {
		why += "; " + st.CutShort
	}
	return why
}

// extracted is one captured ICMP echo or error packet as a row, and whether the capture
// cut its IP datagram short.
type extracted struct {
	p         Packet
	truncated bool
}

// extractFrame turns one frame into a row (the whole IP datagram, IncludesIPHeader set,
// unclassified) when it carries ICMP echo or an ICMP error, counting it in st either way.
// The row holds a copy of the frame's bytes.
func extractFrame(f *capture.Frame, st *ExtractStats) (extracted, bool) {
	x, ok := viewFrame(f, st)
	if ok {
		x.p.Bytes = append([]byte(nil), x.p.Bytes...)
	}
	return x, ok
}

// viewFrame is extractFrame with the row's Bytes being the frame's own (the capture
// reader's buffer, valid until its next frame): the planning reading takes what it needs at
// once and copies nothing.
func viewFrame(f *capture.Frame, st *ExtractStats) (extracted, bool) {
	st.Frames++
	problem := func(err error) {
		if st.FirstProblem == "" {
			st.FirstProblem = fmt.Sprintf("frame at offset %d: %v", f.Offset, err)
		}
	}
	ip, err := capture.LinkPayload(f.LinkType, f.Data)
	switch {
	case errors.Is(err, capture.ErrNotIP):
		st.NotIP++
		return extracted{}, false
	case errors.Is(err, capture.ErrUnsupportedLink):
		st.Unsupported++
		if st.UnsupportedLink == "" {
			st.UnsupportedLink = capture.LinkTypeName(f.LinkType)
		}
		problem(err)
		return extracted{}, false
	case err != nil:
		st.Malformed++
		problem(err)
		return extracted{}, false
	}
	p, skip, truncated, err := packetOfIP(ip)
	if err != nil {
		st.Malformed++
		problem(err)
		return extracted{}, false
	}
	switch skip {
	case skipNotICMP:
		st.NotICMP++
		return extracted{}, false
	case skipFragment:
		st.Fragments++
		return extracted{}, false
	case skipOtherICMP:
		st.OtherICMP++
		return extracted{}, false
	}
	p.Time = probe.Timestamp{Time: f.Time, Clock: CaptureClock}
	if f.Truncated() {
		p.Note = fmt.Sprintf("capture truncated the frame: %d of %d bytes", len(f.Data), f.OrigLen)
	}
	if truncated {
		st.Truncated++
	}
	st.Imported++
	return extracted{p: p, truncated: truncated}, true
}

type skipReason int

const (
	keep skipReason = iota
	skipNotICMP
	skipFragment
	skipOtherICMP
)

// packetOfIP reads an IP datagram and returns its row when it is ICMP echo or error, and
// whether the datagram is shorter than its header says (a capture's snap length). The row's
// Bytes is b itself, not a copy: the import's readings view frames in place (viewFrame) and
// a stored lean row derives its header fields with it (lean_rows.go); who keeps the row
// beyond b's life copies its bytes.
func packetOfIP(b []byte) (Packet, skipReason, bool, error) {
	if len(b) == 0 {
		return Packet{}, keep, false, fmt.Errorf("empty IP packet")
	}
	var fam wire.Family
	var icmp []byte
	var src, dst netip.Addr
	var ttl int
	truncated := false
	switch b[0] >> 4 {
	case 4:
		h, payload, proto, err := ipv4Upper(b)
		if err != nil {
			return Packet{}, keep, false, err
		}
		if h.IsFragment() {
			return Packet{}, skipFragment, false, nil
		}
		if proto != wire.ProtocolICMP {
			return Packet{}, skipNotICMP, false, nil
		}
		fam, icmp, src, dst, ttl = wire.IPv4, payload, h.Src, h.Dst, int(h.TTL)
		truncated = int(h.TotalLength) > len(b)
	case 6:
		h, err := wire.ParseIPv6Header(b)
		if err != nil {
			return Packet{}, keep, false, err
		}
		exts, proto, off, err := wire.WalkIPv6Extensions(h.NextHeader, b[wire.IPv6HeaderLen:])
		if errors.Is(err, wire.ErrFragment) {
			return Packet{}, skipFragment, false, nil
		}
		if err != nil {
			return Packet{}, keep, false, err
		}
		for _, e := range exts {
			if e.Type == ipv6FragmentHeader {
				return Packet{}, skipFragment, false, nil
			}
		}
		if proto != wire.ProtocolICMPv6 {
			return Packet{}, skipNotICMP, false, nil
		}
		end := min(len(b), wire.IPv6HeaderLen+int(h.PayloadLength))
		start := min(wire.IPv6HeaderLen+off, end)
		// Behind a routing header the packet is bound for its last segment: that is the
		// conversation it belongs to, and the address its ICMPv6 checksum covers.
		dst = wire.FinalDestination(h.Dst, b[wire.IPv6HeaderLen:], exts)
		fam, icmp, src, ttl = wire.IPv6, b[start:end], h.Src, int(h.HopLimit)
		truncated = wire.IPv6HeaderLen+int(h.PayloadLength) > len(b)
	default:
		return Packet{}, keep, false, fmt.Errorf("IP version %d", b[0]>>4)
	}
	if len(icmp) < wire.ICMPHeaderLen {
		return Packet{}, keep, false, fmt.Errorf("%s: %d bytes of ICMP, need %d", fam.ICMPName(), len(icmp), wire.ICMPHeaderLen)
	}
	p := Packet{Bytes: b, IncludesIPHeader: true, From: src, To: dst,
		TTL: ttl, ICMPType: int(icmp[0]), ICMPCode: int(icmp[1]), Size: len(icmp)}
	switch {
	case icmp[0] == wire.EchoRequestType(fam):
		p.Kind = probe.EventSend
	case icmp[0] == wire.EchoReplyType(fam):
		p.Kind = probe.EventReply
	case isErrorType(fam, icmp[0]):
		p.Kind = probe.EventICMPError
	default:
		return Packet{}, skipOtherICMP, false, nil
	}
	if p.Kind != probe.EventICMPError && len(icmp) >= wire.EchoHeaderLen {
		p.ID, p.Seq = binary.BigEndian.Uint16(icmp[4:]), binary.BigEndian.Uint16(icmp[6:])
	}
	return p, keep, truncated, nil
}

const (
	ipv6FragmentHeader = 44
	protocolAH         = 51 // IP Authentication Header (RFC 4302)
)

// ipv4Upper splits an IPv4 datagram into its header and upper-layer payload, stepping over
// Authentication Headers (RFC 4302: next header, payload length in 32-bit words minus 2),
// so ICMP protected by AH is read as ICMP. It returns the payload's protocol.
func ipv4Upper(b []byte) (wire.IPv4Header, []byte, uint8, error) {
	h, payload, err := wire.SplitIPv4(b)
	if err != nil {
		return h, nil, 0, err
	}
	proto := h.Protocol
	for proto == protocolAH && !h.IsFragment() {
		if len(payload) < 2 {
			return h, nil, 0, fmt.Errorf("IPv4 authentication header: %d bytes, need 2", len(payload))
		}
		n := (int(payload[1]) + 2) * 4
		if n > len(payload) {
			return h, nil, 0, fmt.Errorf("IPv4 authentication header of %d bytes, %d present", n, len(payload))
		}
		proto, payload = payload[0], payload[n:]
	}
	return h, payload, proto, nil
}

// isErrorType: the ICMP error messages that quote a datagram.
func isErrorType(f wire.Family, t uint8) bool {
	if f == wire.IPv4 {
		return t == wire.ICMPv4DestinationUnreachable || t == wire.ICMPv4TimeExceeded ||
			t == wire.ICMPv4ParameterProblem || t == wire.ICMPv4SourceQuench || t == wire.ICMPv4Redirect
	}
	return t == wire.ICMPv6DestinationUnreachable || t == wire.ICMPv6PacketTooBig ||
		t == wire.ICMPv6TimeExceeded || t == wire.ICMPv6ParameterProblem
}
