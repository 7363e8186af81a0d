package wire

import "fmt"

// ICMPv4 message types (RFC 792, RFC 950, RFC 1256, RFC 8335).
const (
	ICMPv4EchoReply              uint8 = 0
	ICMPv4DestinationUnreachable uint8 = 3
	ICMPv4SourceQuench           uint8 = 4
	ICMPv4Redirect               uint8 = 5
	ICMPv4EchoRequest            uint8 = 8
	ICMPv4RouterAdvertisement    uint8 = 9
	ICMPv4RouterSolicitation     uint8 = 10
	ICMPv4TimeExceeded           uint8 = 11
	ICMPv4ParameterProblem       uint8 = 12
	ICMPv4Timestamp              uint8 = 13
	ICMPv4TimestampReply         uint8 = 14
	ICMPv4AddressMaskRequest     uint8 = 17
	ICMPv4AddressMaskReply       uint8 = 18
	ICMPv4ExtendedEchoRequest    uint8 = 42
	ICMPv4ExtendedEchoReply      uint8 = 43
)

// ICMPv6 message types (RFC 4443, RFC 4861, RFC 2710, RFC 3810, RFC 8335).
const (
	ICMPv6DestinationUnreachable uint8 = 1
	ICMPv6PacketTooBig           uint8 = 2
	ICMPv6TimeExceeded           uint8 = 3
	ICMPv6ParameterProblem       uint8 = 4
	ICMPv6EchoRequest            uint8 = 128
	ICMPv6EchoReply              uint8 = 129
	ICMPv6MLDQuery               uint8 = 130
	ICMPv6MLDReport              uint8 = 131
	ICMPv6MLDDone                uint8 = 132
	ICMPv6RouterSolicitation     uint8 = 133
	ICMPv6RouterAdvertisement    uint8 = 134
	ICMPv6NeighborSolicitation   uint8 = 135
	ICMPv6NeighborAdvertisement  uint8 = 136
	ICMPv6Redirect               uint8 = 137
	ICMPv6MLDv2Report            uint8 = 143
	ICMPv6ExtendedEchoRequest    uint8 = 160
	ICMPv6ExtendedEchoReply      uint8 = 161
)

// EchoRequestType is the echo request type of the family (8 or 128).
func EchoRequestType(f Family) uint8 {
	if f == IPv6 {
		return ICMPv6EchoRequest
	}
	return ICMPv4EchoRequest
}

// EchoReplyType is the echo reply type of the family (0 or 129).
func EchoReplyType(f Family) uint8 {
	if f == IPv6 {
		return ICMPv6EchoReply
	}
	return ICMPv4EchoReply
}

// IsEcho reports whether typ is an echo request or reply in the family.
func IsEcho(f Family, typ uint8) bool {
	return typ == EchoRequestType(f) || typ == EchoReplyType(f)
}

var icmpv4TypeNames = map[uint8]string{
	ICMPv4EchoReply:              "Echo Reply",
	ICMPv4DestinationUnreachable: "Destination Unreachable",
	ICMPv4SourceQuench:           "Source Quench (deprecated)",
	ICMPv4Redirect:               "Redirect",
	ICMPv4EchoRequest:            "Echo Request",
	ICMPv4RouterAdvertisement:    "Router Advertisement",
	ICMPv4RouterSolicitation:     "Router Solicitation",
	ICMPv4TimeExceeded:           "Time Exceeded",
	ICMPv4ParameterProblem:       "Parameter Problem",
	ICMPv4Timestamp:              "Timestamp",
	ICMPv4TimestampReply:         "Timestamp Reply",
	15:                           "Information Request (deprecated)",
	16:                           "Information Reply (deprecated)",
	ICMPv4AddressMaskRequest:     "Address Mask Request (deprecated)",
	ICMPv4AddressMaskReply:       "Address Mask Reply (deprecated)",
	30:                           "Traceroute (deprecated)",
	ICMPv4ExtendedEchoRequest:    "Extended Echo Request",
	ICMPv4ExtendedEchoReply:      "Extended Echo Reply",
}

var icmpv6TypeNames = map[uint8]string{
	ICMPv6DestinationUnreachable: "Destination Unreachable",
	ICMPv6PacketTooBig:           "Packet Too Big",
	ICMPv6TimeExceeded:           "Time Exceeded",
	ICMPv6ParameterProblem:       "Parameter Problem",
	ICMPv6EchoRequest:            "Echo Request",
	ICMPv6EchoReply:              "Echo Reply",
	ICMPv6MLDQuery:               "Multicast Listener Query",
	ICMPv6MLDReport:              "Multicast Listener Report",
	ICMPv6MLDDone:                "Multicast Listener Done",
	ICMPv6RouterSolicitation:     "Router Solicitation",
	ICMPv6RouterAdvertisement:    "Router Advertisement",
	ICMPv6NeighborSolicitation:   "Neighbor Solicitation",
	ICMPv6NeighborAdvertisement:  "Neighbor Advertisement",
	ICMPv6Redirect:               "Redirect",
	ICMPv6MLDv2Report:            "Multicast Listener Report v2",
	ICMPv6ExtendedEchoRequest:    "Extended Echo Request",
	ICMPv6ExtendedEchoReply:      "Extended Echo Reply",
}

// TypeName names an ICMP type of the family; unknown types read "Unknown type N".
func TypeName(f Family, typ uint8) string {
	names := icmpv4TypeNames
	if f == IPv6 {
		names = icmpv6TypeNames
	}
	if n, ok := names[typ]; ok {
		return n
	}
	return fmt.Sprintf("Unknown type %d", typ)
}

// knownType reports whether the type is assigned in the family (used by auto-detection).
func knownType(f Family, typ uint8) bool {
	if f == IPv6 {
		_, ok := icmpv6TypeNames[typ]
		return ok
	}
	_, ok := icmpv4TypeNames[typ]
	return ok
}

var icmpv4UnreachableCodes = []string{
	0: "Net Unreachable", 1: "Host Unreachable", 2: "Protocol Unreachable",
	3: "Port Unreachable", 4: "Fragmentation Needed and Don't Fragment was Set",
	5: "Source Route Failed", 6: "Destination Network Unknown", 7: "Destination Host Unknown",
	8: "Source Host Isolated", 9: "Network Administratively Prohibited",
	10: "Host Administratively Prohibited", 11: "Network Unreachable for Type of Service",
	12: "Host Unreachable for Type of Service", 13: "Communication Administratively Prohibited",
	14: "Host Precedence Violation", 15: "Precedence Cutoff in Effect",
}

var icmpv6UnreachableCodes = []string{
	0: "No Route to Destination", 1: "Communication Administratively Prohibited",
	2: "Beyond Scope of Source Address", 3: "Address Unreachable", 4: "Port Unreachable",
	5: "Source Address Failed Ingress/Egress Policy", 6: "Reject Route to Destination",
	7: "Error in Source Routing Header", 8: "Headers Too Long",
}

// CodeName names the code of an ICMP message, "" when the type has no named codes and
// "Unknown code N" when the type has codes but not this one.
func CodeName(f Family, typ, code uint8) string {
	var names []string
	switch {
	case f == IPv4 && typ == ICMPv4DestinationUnreachable:
		names = icmpv4UnreachableCodes
	case f == IPv6 && typ == ICMPv6DestinationUnreachable:
		names = icmpv6UnreachableCodes
	case f == IPv4 && typ == ICMPv4TimeExceeded, f == IPv6 && typ == ICMPv6TimeExceeded:
		names = []string{"Time to Live exceeded in Transit", "Fragment Reassembly Time Exceeded"}
		if f == IPv6 {
			names[0] = "Hop Limit exceeded in Transit"
		}
	case f == IPv4 && typ == ICMPv4ParameterProblem:
		names = []string{"Pointer indicates the error", "Missing a Required Option", "Bad Length"}
	case f == IPv6 && typ == ICMPv6ParameterProblem:
		names = []string{"Erroneous header field encountered", "Unrecognized Next Header type encountered",
			"Unrecognized IPv6 option encountered", "IPv6 First Fragment has incomplete IPv6 Header Chain"}
	case f == IPv4 && typ == ICMPv4Redirect:
		names = []string{"Redirect for the Network", "Redirect for the Host",
			"Redirect for the Type of Service and Network", "Redirect for the Type of Service and Host"}
	default:
		if code == 0 {
			return ""
		}
		return fmt.Sprintf("Unknown code %d", code)
	}
	if int(code) < len(names) {
		return names[code]
	}
	return fmt.Sprintf("Unknown code %d", code)
}
