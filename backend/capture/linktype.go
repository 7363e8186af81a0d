package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Link types (https://www.tcpdump.org/linktypes.html).
const (
	LinkTypeNull      = 0
	LinkTypeEthernet  = 1
	LinkTypePPP       = 9
	LinkTypePPPSerial = 50 // PPP in HDLC-like framing (RFC 1662), or Cisco HDLC framing
	LinkTypePPPoE     = 51 // PPPoE session (RFC 2516), no Ethernet header
	LinkTypeRaw       = 101
	LinkTypeCHDLC     = 104 // Cisco HDLC
	LinkTypeLoop      = 108
	LinkTypeLinuxSLL  = 113
	LinkTypePPPDir    = 204 // PPP with a leading direction byte
	LinkTypeCHDLCDir  = 205 // Cisco HDLC with a leading direction byte
	LinkTypeIPv4      = 228
	LinkTypeIPv6      = 229
	LinkTypeSLL2      = 276
)

// linkNames names link types, read or not, so a refusal can say which one a capture has.
var linkNames = map[int]string{
	LinkTypeNull: "BSD loopback", LinkTypeEthernet: "Ethernet", 6: "Token Ring", 7: "ARCnet (BSD)",
	8: "SLIP", LinkTypePPP: "PPP", 10: "FDDI", 12: "raw IP", 14: "raw IP",
	LinkTypePPPSerial: "PPP in HDLC-like framing", LinkTypePPPoE: "PPPoE",
	LinkTypeRaw: "raw IP", LinkTypeCHDLC: "Cisco HDLC", 105: "IEEE 802.11",
	LinkTypeLoop: "OpenBSD loopback", LinkTypeLinuxSLL: "Linux cooked capture",
	127: "IEEE 802.11 radiotap", 129: "ARCnet (Linux)", 147: "user-defined (147)",
	166: "PPP for pppd", 192: "PPI", 195: "IEEE 802.15.4", LinkTypePPPDir: "PPP with direction",
	LinkTypeCHDLCDir: "Cisco HDLC with direction", 220: "USB (Linux)", 226: "Solaris ipnet",
	LinkTypeIPv4: "raw IPv4", LinkTypeIPv6: "raw IPv6", 242: "IP over InfiniBand",
	249: "netlink", 252: "Wireshark upper PDU", LinkTypeSLL2: "Linux cooked capture v2",
}

// LinkTypeName is a link type's name and number, as "Cisco HDLC (104)".
func LinkTypeName(link int) string {
	if n, ok := linkNames[link]; ok {
		return fmt.Sprintf("%s (%d)", n, link)
	}
	return fmt.Sprintf("link type %d", link)
}

var (
	// ErrNotIP: the frame carries something other than IPv4 or IPv6 (ARP, LLDP, PPP
	// control protocols...).
	ErrNotIP = errors.New("not an IP packet")
	// ErrUnsupportedLink: the frame's link type is not one LinkPayload reads.
	ErrUnsupportedLink = errors.New("link type not read by this importer")
)

// EtherTypes that matter here.
const (
	etherTypeIPv4  = 0x0800
	etherTypeIPv6  = 0x86DD
	etherTypeVLAN  = 0x8100 // IEEE 802.1Q
	etherTypeQinQ  = 0x88A8 // IEEE 802.1ad
	etherTypeQinQ2 = 0x9100 // pre-standard double tagging
	etherTypePPPoE = 0x8864 // PPPoE session stage
)

// LinkPayload strips the link-layer header of a frame and returns the IP datagram inside.
// Errors wrap ErrNotIP (another protocol), ErrUnsupportedLink (a link type not read here;
// the message names it) or say what is malformed.
func LinkPayload(link int, b []byte) ([]byte, error) {
	switch link {
	case LinkTypeRaw, 12, 14, LinkTypeIPv4, LinkTypeIPv6: // 12 and 14: DLT_RAW on some BSDs
		return b, nil
	case LinkTypeEthernet:
		return afterEthernet(b)
	case LinkTypeLinuxSLL:
		// cooked v1: packet type, ARPHRD, address length, 8 address bytes, protocol.
		if len(b) < 16 {
			return nil, fmt.Errorf("Linux cooked header: %d bytes, need 16", len(b))
		}
		return byEtherType(binary.BigEndian.Uint16(b[14:]), b[16:])
	case LinkTypeSLL2:
		// cooked v2: protocol first, then interface index, ARPHRD, type, address.
		if len(b) < 20 {
			return nil, fmt.Errorf("Linux cooked v2 header: %d bytes, need 20", len(b))
		}
		return byEtherType(binary.BigEndian.Uint16(b[0:]), b[20:])
	case LinkTypeNull, LinkTypeLoop:
		return afterNull(link, b)
	case LinkTypePPP:
		return afterPPP(b)
	case LinkTypePPPSerial:
		// The first byte tells the framing: 0xff is PPP's all-stations address, 0x0f or
		// 0x8f is Cisco HDLC (RFC 1547 section 4.3.1).
		if len(b) > 0 && (b[0] == 0x0f || b[0] == 0x8f) {
			return afterCHDLC(b)
		}
		return afterPPP(b)
	case LinkTypeCHDLC:
		return afterCHDLC(b)
	case LinkTypePPPDir, LinkTypeCHDLCDir:
		if len(b) < 1 {
			return nil, fmt.Errorf("%s: no direction byte", LinkTypeName(link))
		}
		if link == LinkTypePPPDir {
			return afterPPP(b[1:])
		}
		return afterCHDLC(b[1:])
	case LinkTypePPPoE:
		return afterPPPoE(b)
	}
	return nil, fmt.Errorf("%w: %s", ErrUnsupportedLink, LinkTypeName(link))
}

// Readable reports whether LinkPayload reads frames of this link type.
func Readable(link int) bool {
	_, err := LinkPayload(link, nil)
	return !errors.Is(err, ErrUnsupportedLink)
}

func afterEthernet(b []byte) ([]byte, error) {
	if len(b) < 14 {
		return nil, fmt.Errorf("Ethernet header: %d bytes, need 14", len(b))
	}
	et, pos := binary.BigEndian.Uint16(b[12:]), 14
	for et == etherTypeVLAN || et == etherTypeQinQ || et == etherTypeQinQ2 {
		if len(b) < pos+4 {
			return nil, fmt.Errorf("VLAN tag at %d: %d bytes left, need 4", pos, len(b)-pos)
		}
		et, pos = binary.BigEndian.Uint16(b[pos+2:]), pos+4
	}
	if et == etherTypePPPoE {
		return afterPPPoE(b[pos:])
	}
	return byEtherType(et, b[pos:])
}

func byEtherType(et uint16, b []byte) ([]byte, error) {
	if et == etherTypeIPv4 || et == etherTypeIPv6 {
		return b, nil
	}
	return nil, fmt.Errorf("ethertype 0x%04x: %w", et, ErrNotIP)
}

// afterNull reads the 4-byte address family of BSD loopback: in the capturing host's
// byte order for LINKTYPE_NULL, network order for LINKTYPE_LOOP. AF_INET is 2 everywhere;
// AF_INET6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (macOS) or 10 (Linux).
func afterNull(link int, b []byte) ([]byte, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("loopback header: %d bytes, need 4", len(b))
	}
	fam := binary.BigEndian.Uint32(b)
	if link == LinkTypeNull && fam&0xffff == 0 {
		fam = binary.LittleEndian.Uint32(b) // written by a little-endian host
	}
	switch fam {
	case 2, 10, 24, 28, 30:
		return b[4:], nil
	}
	return nil, fmt.Errorf("loopback address family %d: %w", fam, ErrNotIP)
}

// PPP protocol numbers (RFC 1332, RFC 5072).
const (
	pppIPv4 = 0x0021
	pppIPv6 = 0x0057
)

// afterPPP reads a PPP frame as tcpdump writes it (LINKTYPE_PPP): optionally the HDLC-like
// address and control bytes 0xff 0x03 (RFC 1662), then the protocol field, one byte when
// compressed (RFC 1661 section 6.5: an odd first byte) or two.
func afterPPP(b []byte) ([]byte, error) {
	if len(b) >= 2 && b[0] == 0xff && b[1] == 0x03 {
		b = b[2:]
	}
	if len(b) < 1 {
		return nil, fmt.Errorf("PPP header: no protocol field")
	}
	var proto uint16
	if b[0]&1 == 1 {
		proto, b = uint16(b[0]), b[1:]
	} else {
		if len(b) < 2 {
			return nil, fmt.Errorf("PPP header: %d bytes, need 2 for the protocol", len(b))
		}
		proto, b = binary.BigEndian.Uint16(b), b[2:]
	}
	if proto == pppIPv4 || proto == pppIPv6 {
		return b, nil
	}
	return nil, fmt.Errorf("PPP protocol 0x%04x: %w", proto, ErrNotIP)
}

// afterCHDLC reads Cisco HDLC: address (0x0f unicast, 0x8f broadcast), control 0, and an
// EtherType.
func afterCHDLC(b []byte) ([]byte, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("Cisco HDLC header: %d bytes, need 4", len(b))
	}
	return byEtherType(binary.BigEndian.Uint16(b[2:]), b[4:])
}

// afterPPPoE reads a PPPoE session header (RFC 2516 section 4: version/type, code, session
// id, length) and the PPP protocol field after it.
func afterPPPoE(b []byte) ([]byte, error) {
	if len(b) < 8 {
		return nil, fmt.Errorf("PPPoE header: %d bytes, need 8", len(b))
	}
	if b[0] != 0x11 || b[1] != 0 {
		return nil, fmt.Errorf("PPPoE version/type 0x%02x code 0x%02x is not a session packet: %w", b[0], b[1], ErrNotIP)
	}
	return afterPPP(b[6:])
}
