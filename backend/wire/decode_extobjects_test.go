package wire

import (
	"encoding/binary"
	"net/netip"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var (
	extRouter = netip.MustParseAddr("192.0.2.1")
	extHost   = netip.MustParseAddr("192.0.2.100")
	extTarget = netip.MustParseAddr("198.51.100.7")
)

// mplsAndInterfaceExtensions is an RFC 4884 extension structure as a traceroute through an
// MPLS core receives it: a label stack of two entries (RFC 4950) and the incoming
// interface's index, address, name and MTU (RFC 5837), checksum filled in.
func mplsAndInterfaceExtensions(badChecksum bool) []byte {
	ext := []byte{0x20, 0, 0, 0}
	mpls := []byte{0, 12, extClassMPLS, 1}
	mpls = binary.BigEndian.AppendUint32(mpls, 16005<<12|0<<9|0<<8|1)
	mpls = binary.BigEndian.AppendUint32(mpls, 24001<<12|5<<9|1<<8|254)
	ext = append(ext, mpls...)
	ifinfo := []byte{0, 0, extClassInterface, 0<<6 | ifInfoIfIndex | ifInfoAddress | ifInfoName | ifInfoMTU}
	ifinfo = binary.BigEndian.AppendUint32(ifinfo, 7)
	ifinfo = append(ifinfo, 0, 1, 0, 0, 192, 0, 2, 9)
	ifinfo = append(ifinfo, append([]byte{12}, "ge-0/0/1\x00\x00\x00"...)...)
	ifinfo = binary.BigEndian.AppendUint32(ifinfo, 1500)
	binary.BigEndian.PutUint16(ifinfo, uint16(len(ifinfo)))
	ext = append(ext, ifinfo...)
	binary.BigEndian.PutUint16(ext[2:], Checksum(ext))
	if badChecksum {
		ext[2] ^= 0x55
	}
	return ext
}

// timeExceededWithExtensions is an IPv4 Time Exceeded quoting a UDP probe, padded to 128
// bytes, followed by ext; length is the RFC 4884 length field (0 as older routers send).
func timeExceededWithExtensions(t testing.TB, length uint8, ext []byte) []byte {
	t.Helper()
	probe, err := AppendIPv4Header(nil, IPv4Header{TotalLength: 60, TTL: 1, Protocol: 17, Src: extHost, Dst: extTarget})
	if err != nil {
		t.Fatal(err)
	}
	probe = append(probe, 0x82, 0x9b, 0x82, 0x9c, 0, 40, 0, 0)
	quote := append(probe, make([]byte, minExtendedQuote-len(probe))...)
	icmp := append([]byte{ICMPv4TimeExceeded, 0, 0, 0, 0, length, 0, 0}, quote...)
	icmp = append(icmp, ext...)
	binary.BigEndian.PutUint16(icmp[2:], Checksum(icmp))
	ip, err := AppendIPv4Header(nil, IPv4Header{TotalLength: uint16(20 + len(icmp)), TTL: 255, Protocol: ProtocolICMP,
		Src: extRouter, Dst: extHost})
	if err != nil {
		t.Fatal(err)
	}
	return append(ip, icmp...)
}

func fieldValues(r Report, layer, name string) []string {
	var v []string
	for _, f := range r.Fields {
		if f.Layer == layer && f.Name == name {
			v = append(v, f.Value)
		}
	}
	return v
}

// RFC 4884 section 5: an extension structure after a 128-byte quote announced with length 0
// is decoded (label stack, interface information) with its checksum verified; a length of
// 32 words says the same in the RFC's own way. With a wrong checksum it is still decoded and
// the checksum called wrong (as tshark does); bytes after 128 that are no extension
// structure stay quote.
func TestExtensionsAfterLegacyQuote(t *testing.T) {
	for _, length := range []uint8{0, minExtendedQuote / 4} {
		pkt := timeExceededWithExtensions(t, length, mplsAndInterfaceExtensions(false))
		r := Decode(pkt, Options{})
		if err := checkReport(pkt, r); err != nil {
			t.Fatal(err)
		}
		if len(r.Warnings) != 0 {
			t.Errorf("length %d: warnings %q", length, r.Warnings)
		}
		var ext *ChecksumReport
		for i := range r.Checksums {
			if r.Checksums[i].Layer == LayerExtensions {
				ext = &r.Checksums[i]
			}
		}
		if ext == nil || !ext.Correct || !ext.Verifiable {
			t.Fatalf("length %d: extension checksum %+v", length, ext)
		}
		for name, want := range map[string]string{
			"Label": "16005 24001", "Traffic Class": "0 5", "Bottom of Stack": "0 1", "TTL": "1 254",
			"Interface Index": "7", "Address": "192.0.2.9", "Interface Name": `"ge-0/0/1"`, "MTU": "1500",
			"Interface Role": "0",
		} {
			if got := strings.Join(fieldValues(r, LayerExtensions, name), " "); got != want {
				t.Errorf("length %d: %s = %q, want %q", length, name, got, want)
			}
		}
	}
	r := Decode(timeExceededWithExtensions(t, 0, mplsAndInterfaceExtensions(true)), Options{})
	if got := strings.Join(fieldValues(r, LayerExtensions, "Label"), " "); got != "16005 24001" ||
		len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "ICMP extension checksum") {
		t.Fatalf("bad extension checksum: labels %q, warnings %q", got, r.Warnings)
	}
	// Bytes after 128 that are no extension structure (version 3; then objects that do not
	// tile it) stay quote.
	for _, mangle := range []func([]byte){func(e []byte) { e[0] = 0x30 }, func(e []byte) { e[2] ^= 0x55; e[5] = 13 }} {
		ext := mplsAndInterfaceExtensions(false)
		mangle(ext)
		pkt := timeExceededWithExtensions(t, 0, ext)
		r := Decode(pkt, Options{})
		if err := checkReport(pkt, r); err != nil {
			t.Fatal(err)
		}
		for _, f := range r.Fields {
			if f.Layer == LayerExtensions {
				t.Fatalf("no extension structure, yet extension field %+v", f)
			}
		}
	}
	// The parsed message splits it the same way.
	m, err := ParseMessage(IPv4, timeExceededWithExtensions(t, 0, mplsAndInterfaceExtensions(false))[20:])
	if err != nil {
		t.Fatal(err)
	}
	if te := m.Body.(*TimeExceeded); len(te.Data) != minExtendedQuote || len(te.Extensions) == 0 {
		t.Fatalf("parsed quote %d bytes, extensions %d", len(te.Data), len(te.Extensions))
	}
}

// tshark 4.0 reads the same labels, interface information and checksum verdict.
func TestExtensionsAgreeWithTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	for _, bad := range []bool{false, true} {
		compareExtensionsWithTshark(t, tshark, timeExceededWithExtensions(t, 0, mplsAndInterfaceExtensions(bad)), bad)
	}
}

func compareExtensionsWithTshark(t *testing.T, tshark string, pkt []byte, badChecksum bool) {
	path := filepath.Join(t.TempDir(), "ext.pcap")
	writeRawPcap(t, path, [][]byte{pkt})
	fields := []string{"icmp.ext.checksum.status", "icmp.mpls.label", "icmp.mpls.ttl", "icmp.mpls.s",
		"icmp.int_info.index", "icmp.int_info.ipv4", "icmp.int_info.name", "icmp.int_info.mtu"}
	args := []string{"-n", "-r", path, "-T", "fields", "-E", "aggregator= "}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimRight(string(out), "\n"), "\t")
	r := Decode(pkt, Options{})
	v := func(name string) string { return strings.Join(fieldValues(r, LayerExtensions, name), " ") }
	status := "1"
	if badChecksum {
		status = "0"
	}
	ours := []string{status, v("Label"), v("TTL"), v("Bottom of Stack"),
		v("Interface Index"), v("Address"), strings.Trim(v("Interface Name"), `"`), v("MTU")}
	for i := range fields {
		if i >= len(got) || !strings.EqualFold(got[i], ours[i]) {
			t.Errorf("%s: tshark %q, decode %q", fields[i], got[min(i, len(got)-1)], ours[i])
		}
	}
}
