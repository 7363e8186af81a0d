package cli

import (
	"encoding/binary"
	"fmt"

	"echoscope/backend/probe"
)

// icmpErrorText names an ICMP error the way iputils ping does (ping4_common.c pr_icmph and
// ping6_common.c print_icmp), so "From ... icmp_seq=N <text>" lines read the same.
func icmpErrorText(ev probe.Event) string {
	icmp := icmpPart(ev)
	if ev.From.Is4() || ev.From.Is4In6() || (!ev.From.IsValid() && ev.IncludesIPHeader) {
		return icmp4ErrorText(ev.ICMPType, ev.ICMPCode, icmp)
	}
	return icmp6ErrorText(ev.ICMPType, ev.ICMPCode, icmp)
}

// icmpPart returns the ICMP message from the event's bytes (skipping an IPv4 header).
func icmpPart(ev probe.Event) []byte {
	b := ev.Bytes
	if ev.IncludesIPHeader && len(b) > 0 {
		ihl := int(b[0]&0x0f) * 4
		if ihl < 20 || ihl > len(b) {
			return nil
		}
		b = b[ihl:]
	}
	return b
}

// word32 is the "rest of header" of an ICMP error (MTU, pointer, gateway), 0 if absent.
func word32(icmp []byte) uint32 {
	if len(icmp) < 8 {
		return 0
	}
	return binary.BigEndian.Uint32(icmp[4:8])
}

var unreach4 = []string{
	"Destination Net Unreachable",
	"Destination Host Unreachable",
	"Destination Protocol Unreachable",
	"Destination Port Unreachable",
	"Frag needed and DF set", // with (mtu = N), see below
	"Source Route Failed",
	"Destination Net Unknown",
	"Destination Host Unknown",
	"Source Host Isolated",
	"Destination Net Prohibited",
	"Destination Host Prohibited",
	"Destination Net Unreachable for Type of Service",
	"Destination Host Unreachable for Type of Service",
	"Packet filtered",
	"Precedence Violation",
	"Precedence Cutoff",
}

func icmp4ErrorText(typ, code int, icmp []byte) string {
	switch typ {
	case 3:
		if code == 4 {
			return fmt.Sprintf("Frag needed and DF set (mtu = %d)", word32(icmp)&0xffff)
		}
		if code >= 0 && code < len(unreach4) {
			return unreach4[code]
		}
		return fmt.Sprintf("Dest Unreachable, Bad Code: %d", code)
	case 4:
		return "Source Quench"
	case 5:
		return fmt.Sprintf("Redirect (code %d)", code)
	case 11:
		switch code {
		case 0:
			return "Time to live exceeded"
		case 1:
			return "Frag reassembly time exceeded"
		}
		return fmt.Sprintf("Time exceeded, Bad Code: %d", code)
	case 12:
		return fmt.Sprintf("Parameter problem: pointer = %d", word32(icmp)>>24)
	}
	return fmt.Sprintf("Bad ICMP type: %d", typ)
}

var unreach6 = []string{
	"No route",
	"Administratively prohibited",
	"Beyond scope of source address",
	"Address unreachable",
	"Port unreachable",
	"Source address failed ingress/egress policy",
	"Reject route to destination",
}

func icmp6ErrorText(typ, code int, icmp []byte) string {
	switch typ {
	case 1:
		if code >= 0 && code < len(unreach6) {
			return "Destination unreachable: " + unreach6[code]
		}
		return fmt.Sprintf("Destination unreachable: Unknown code %d", code)
	case 2:
		return fmt.Sprintf("Packet too big: mtu=%d", word32(icmp))
	case 3:
		switch code {
		case 0:
			return "Time exceeded: Hop limit"
		case 1:
			return "Time exceeded: Defragmentation failure"
		}
		return fmt.Sprintf("Time exceeded: code %d", code)
	case 4:
		what := "code " + fmt.Sprint(code)
		switch code {
		case 0:
			what = "Erroneous header field"
		case 1:
			what = "Unrecognized Next Header"
		case 2:
			what = "Unrecognized IPv6 Option"
		}
		return fmt.Sprintf("Parameter problem: %s at %d", what, word32(icmp))
	}
	return fmt.Sprintf("Unknown icmp type: %d", typ)
}
