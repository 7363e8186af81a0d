package wire

import "fmt"

// Family is an IP version: IPv4 (ICMPv4) or IPv6 (ICMPv6). The zero value means "not
// given" (auto-detect where the API allows it).
type Family uint8

// The two families, numbered as the IP version field.
const (
	FamilyAuto Family = 0
	IPv4       Family = 4
	IPv6       Family = 6
)

// IP protocol numbers (IANA "Assigned Internet Protocol Numbers") that the decoder names.
const (
	ProtocolHopByHop uint8 = 0
	ProtocolICMP     uint8 = 1
	ProtocolTCP      uint8 = 6
	ProtocolUDP      uint8 = 17
	ProtocolRouting  uint8 = 43
	ProtocolFragment uint8 = 44
	ProtocolESP      uint8 = 50
	ProtocolAH       uint8 = 51
	ProtocolICMPv6   uint8 = 58
	ProtocolNoNext   uint8 = 59
	ProtocolDestOpts uint8 = 60
)

func (f Family) String() string {
	switch f {
	case IPv4:
		return "IPv4"
	case IPv6:
		return "IPv6"
	case FamilyAuto:
		return "auto"
	}
	return fmt.Sprintf("Family(%d)", uint8(f))
}

// ICMPName is "ICMPv4" or "ICMPv6", the layer name used in reports.
func (f Family) ICMPName() string {
	if f == IPv6 {
		return "ICMPv6"
	}
	return "ICMPv4"
}

// ICMPProtocol is the IP protocol number carrying ICMP for this family (1 or 58).
func (f Family) ICMPProtocol() uint8 {
	if f == IPv6 {
		return ProtocolICMPv6
	}
	return ProtocolICMP
}

func (f Family) valid() bool { return f == IPv4 || f == IPv6 }

// ProtocolName names an IP protocol number, "" when unknown to this package.
func ProtocolName(p uint8) string {
	switch p {
	case ProtocolHopByHop:
		return "IPv6 Hop-by-Hop Options"
	case ProtocolICMP:
		return "ICMP"
	case 2:
		return "IGMP"
	case 4:
		return "IPv4-in-IP"
	case ProtocolTCP:
		return "TCP"
	case ProtocolUDP:
		return "UDP"
	case 41:
		return "IPv6-in-IP"
	case ProtocolRouting:
		return "IPv6 Routing"
	case ProtocolFragment:
		return "IPv6 Fragment"
	case 47:
		return "GRE"
	case ProtocolESP:
		return "ESP"
	case ProtocolAH:
		return "AH"
	case ProtocolICMPv6:
		return "ICMPv6"
	case ProtocolNoNext:
		return "No Next Header"
	case ProtocolDestOpts:
		return "IPv6 Destination Options"
	case 132:
		return "SCTP"
	}
	return ""
}
