package capture

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

type linkWrapper struct {
	link uint32
	wrap func(ip []byte) []byte
}

// linkWrappers frame an IP datagram as each link type the reader takes would carry it.
func linkWrappers() map[string]linkWrapper {
	return map[string]linkWrapper{
		"raw": {LinkTypeRaw, func(ip []byte) []byte { return ip }},
		"ethernet+802.1Q+802.1ad": {LinkTypeEthernet, func(ip []byte) []byte {
			h := append(make([]byte, 12), 0x88, 0xa8, 0, 5, 0x81, 0x00, 0, 7)
			return append(append(h, etherTypeFor(ip)...), ip...)
		}},
		"ethernet+pppoe": {LinkTypeEthernet, func(ip []byte) []byte {
			h := append(make([]byte, 12), 0x88, 0x64, 0x11, 0, 0, 1, 0, byte(len(ip)+2))
			return append(append(h, pppProto(ip)...), ip...)
		}},
		"sll": {LinkTypeLinuxSLL, func(ip []byte) []byte {
			return append(append(make([]byte, 14), etherTypeFor(ip)...), ip...)
		}},
		"sll2": {LinkTypeSLL2, func(ip []byte) []byte {
			return append(append(etherTypeFor(ip), make([]byte, 18)...), ip...)
		}},
		"null little-endian": {LinkTypeNull, func(ip []byte) []byte {
			return append(binary.LittleEndian.AppendUint32(nil, bsdFamily(ip)), ip...)
		}},
		"loop": {LinkTypeLoop, func(ip []byte) []byte {
			return append(binary.BigEndian.AppendUint32(nil, bsdFamily(ip)), ip...)
		}},
		// tcpdump's PPP: address and control, then the protocol.
		"ppp hdlc-like": {LinkTypePPP, func(ip []byte) []byte {
			return append(append([]byte{0xff, 0x03}, pppProto(ip)...), ip...)
		}},
		// PPP without framing and with a compressed (one-byte) protocol field.
		"ppp compressed": {LinkTypePPP, func(ip []byte) []byte {
			return append([]byte{pppProto(ip)[1]}, ip...)
		}},
		"ppp serial": {LinkTypePPPSerial, func(ip []byte) []byte {
			return append(append([]byte{0xff, 0x03}, pppProto(ip)...), ip...)
		}},
		"ppp serial (cisco)": {LinkTypePPPSerial, func(ip []byte) []byte {
			return append(append([]byte{0x0f, 0x00}, etherTypeFor(ip)...), ip...)
		}},
		"c-hdlc": {LinkTypeCHDLC, func(ip []byte) []byte {
			return append(append([]byte{0x8f, 0x00}, etherTypeFor(ip)...), ip...)
		}},
		"pppoe": {LinkTypePPPoE, func(ip []byte) []byte {
			return append(append([]byte{0x11, 0, 0, 1, 0, byte(len(ip) + 2)}, pppProto(ip)...), ip...)
		}},
		"ppp with direction": {LinkTypePPPDir, func(ip []byte) []byte {
			return append(append([]byte{1, 0xff, 0x03}, pppProto(ip)...), ip...)
		}},
	}
}

func etherTypeFor(ip []byte) []byte {
	if ip[0]>>4 == 6 {
		return []byte{0x86, 0xdd}
	}
	return []byte{0x08, 0x00}
}

func pppProto(ip []byte) []byte {
	if ip[0]>>4 == 6 {
		return []byte{0x00, 0x57}
	}
	return []byte{0x00, 0x21}
}

func bsdFamily(ip []byte) uint32 {
	if ip[0]>>4 == 6 {
		return 30 // macOS AF_INET6
	}
	return 2
}

// A link type the reader does not take is named, not called "no ICMP".
func TestUnsupportedLinkTypesAreNamed(t *testing.T) {
	for link, want := range map[int]string{
		226: "Solaris ipnet (226)", 7: "ARCnet (BSD) (7)", 242: "IP over InfiniBand (242)", 4242: "link type 4242",
	} {
		_, err := LinkPayload(link, []byte{0x45, 0, 0, 0})
		if !errors.Is(err, ErrUnsupportedLink) || !strings.Contains(err.Error(), want) || Readable(link) {
			t.Errorf("link %d: %v, want %q", link, err, want)
		}
	}
	for _, w := range linkWrappers() {
		if !Readable(int(w.link)) {
			t.Errorf("link %d should be readable", w.link)
		}
	}
}

// PPP control protocols and other EtherTypes are "not IP", not malformed.
func TestNotIPOnPPPAndHDLC(t *testing.T) {
	for name, c := range map[string]struct {
		link int
		b    []byte
	}{
		"ppp lcp":      {LinkTypePPP, []byte{0xff, 0x03, 0xc0, 0x21, 1, 2, 3, 4}},
		"c-hdlc slarp": {LinkTypeCHDLC, []byte{0x8f, 0x00, 0x80, 0x35, 0, 0, 0, 1}},
		"pppoe disc":   {LinkTypePPPoE, []byte{0x11, 0x09, 0, 0, 0, 0, 0, 0}},
	} {
		if _, err := LinkPayload(c.link, c.b); !errors.Is(err, ErrNotIP) {
			t.Errorf("%s: %v, want ErrNotIP", name, err)
		}
	}
}
