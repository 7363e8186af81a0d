package wire

import (
	"bytes"
	"testing"
)

// A quote whose bytes after the first 128 tile like an RFC 4884 extension structure must
// not be announced with length 0, or every receiver (this package, tshark) splits it. Found
// by FuzzParseICMP: a time exceeded message that changed on its second round trip.
func TestQuoteThatLooksLikeLegacyExtensionsKeepsItsBytes(t *testing.T) {
	quote := bytes.Repeat([]byte{0x30}, 128)
	// extension header (version 2) and one 8-byte object: tiles exactly, bad checksum.
	quote = append(quote, 0x20, 0, 0, 0, 0, 8, 1, 1, 0, 0, 0, 0)
	for _, f := range []Family{IPv4, IPv6} {
		typ := ICMPv4TimeExceeded
		if f == IPv6 {
			typ = ICMPv6TimeExceeded
		}
		m := &Message{Family: f, Type: typ, Body: &TimeExceeded{Data: quote}}
		var ph *PseudoHeader
		if f == IPv6 {
			ph = &PseudoHeader{Src: doc6a, Dst: doc6b}
		}
		out, err := m.Marshal(ph)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := int(errorLength(f, out[4:])), (len(quote)+lengthUnit(f)-1)/lengthUnit(f); got != want {
			t.Errorf("%v: length field %d, want %d (the whole quote)", f, got, want)
		}
		back, err := ParseMessage(f, out)
		if err != nil {
			t.Fatal(err)
		}
		te := back.Body.(*TimeExceeded)
		if !bytes.Equal(te.Data, quote) || len(te.Extensions) != 0 {
			t.Errorf("%v: parsed back as %d quoted bytes and %d of extensions, want %d and 0", f, len(te.Data), len(te.Extensions), len(quote))
		}
	}
	// A plain quote keeps length 0.
	if n := noExtensionsLength(IPv4, bytes.Repeat([]byte{0x45}, 200)); n != 0 {
		t.Errorf("plain 200-byte quote: length %d, want 0", n)
	}
}
