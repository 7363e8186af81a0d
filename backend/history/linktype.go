package history

import (
	"encoding/binary"
	"fmt"
)

// EtherTypes that matter here.
const (
	etherTypeIPv4  = 0x0800
	etherTypeIPv6  = 0x86DD
	etherTypeVLAN  = 0x8100 // IEEE 802.1Q
	etherTypeQinQ  = 0x88A8 // IEEE 802.1ad
	etherTypeQinQ2 = 0x9100 // pre-standard double tagging
)

// errNotIP marks frames that carry something other than IPv4/IPv6 (ARP, LLDP...).
var errNotIP = fmt.Errorf("not an IP packet")

// ipPayload strips the link-layer header of a frame and returns the IP datagram inside.
func ipPayload(link int, b []byte) ([]byte, error) {
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
	}
	return nil, fmt.Errorf("link type %d is not supported", link)
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
	return byEtherType(et, b[pos:])
}

func byEtherType(et uint16, b []byte) ([]byte, error) {
	if et == etherTypeIPv4 || et == etherTypeIPv6 {
		return b, nil
	}
	return nil, fmt.Errorf("ethertype 0x%04x: %w", et, errNotIP)
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
	return nil, fmt.Errorf("loopback address family %d: %w", fam, errNotIP)
}
