package history

import (
	"context"
	"encoding/binary"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"echoscope/backend/capture"
	"echoscope/backend/capture/capturetest"
	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// importBytes writes a capture to a file, imports it and returns the result, the stored
// rows and the file (for tshark).
func importBytes(t *testing.T, name string, data []byte) (ImportResult, []Packet, string, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s := openTemp(t)
	ctx := context.Background()
	res, err := s.ImportCapture(ctx, path, ImportOptions{Timeout: time.Second})
	if err != nil {
		return res, nil, path, err
	}
	rows, err := s.Packets(ctx, res.SessionID, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return res, rows, path, nil
}

// exchange4 is n echo requests from host to target and their replies, as IPv4 datagrams,
// 1 ms apart, replies 100 us after their request; wrap may put something between the IPv4
// header and the ICMP message (it returns the protocol number and the bytes to insert).
func exchange4(t *testing.T, n int, between func() (uint8, []byte)) ([][]byte, []time.Time) {
	t.Helper()
	var pkts [][]byte
	var times []time.Time
	base := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	data := []byte("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRST") // 56 bytes, as ping
	for seq := range uint16(n) {
		for k, typ := range []uint8{wire.ICMPv4EchoRequest, wire.ICMPv4EchoReply} {
			src, dst := host, target
			if k == 1 {
				src, dst = target, host
			}
			icmp := wire.AppendEcho(nil, wire.IPv4, typ, wire.Echo{ID: 0x4242, Seq: seq, Data: data}, nil)
			proto, extra := uint8(wire.ProtocolICMP), []byte(nil)
			if between != nil {
				proto, extra = between()
			}
			b, err := wire.AppendIPv4Header(nil, wire.IPv4Header{TotalLength: uint16(20 + len(extra) + len(icmp)),
				TTL: 64, Protocol: proto, Src: src, Dst: dst})
			if err != nil {
				t.Fatal(err)
			}
			pkts = append(pkts, append(append(b, extra...), icmp...))
			times = append(times, base.Add(time.Duration(seq)*time.Millisecond+time.Duration(k)*100*time.Microsecond))
		}
	}
	return pkts, times
}

func ethernet(ip []byte) []byte {
	et := []byte{0x08, 0x00}
	if ip[0]>>4 == 6 {
		et = []byte{0x86, 0xdd}
	}
	return append(append(make([]byte, 12), et...), ip...)
}

func classes(rows []Packet) string {
	var s []string
	for _, r := range rows {
		c := string(r.Kind)
		if r.Class != "" {
			c += ":" + string(r.Class)
		}
		s = append(s, c)
	}
	return strings.Join(s, " ")
}

// Replies cut short by the capture's snap length (80 of 98 bytes captured) are matched on
// the bytes they have and labelled truncated: on time, their requests answered, as tshark
// pairs them too. (They were judged corrupt and their requests lost: 100 % loss.)
func TestImportTruncatedFramesAreMatched(t *testing.T) {
	ips, times := exchange4(t, 4, nil)
	b := capture.PcapHeader(capture.LinkTypeEthernet, true, 80)
	for i, ip := range ips {
		frame := ethernet(ip)
		b = capturetest.PcapRecord(b, binary.LittleEndian, true, times[i], frame[:min(80, len(frame))], len(frame))
	}
	res, rows, path, err := importBytes(t, "snap80.pcap", b)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Lost != 0 || res.Stats.Received != 4 || res.Stats.Corrupt != 0 || res.Extract.Truncated != 8 {
		t.Fatalf("stats %+v, extract %+v", res.Stats, res.Extract)
	}
	for _, r := range rows {
		if r.Kind == probe.EventReply && (r.Class != probe.ClassOnTime || !strings.Contains(r.Note, "truncated by the capture")) {
			t.Fatalf("reply %d: %s, %q", r.N, r.Class, r.Note)
		}
	}
	paired := 0
	for _, l := range tsharkFields(t, path, "icmp.resp_to") {
		if l[0] != "" {
			paired++
		}
	}
	if paired != 4 {
		t.Fatalf("tshark paired %d replies", paired)
	}
}

// ICMP behind an IPv4 Authentication Header is walked to (it was "not ICMP: protocol 51"),
// and tshark reads the same exchange.
func TestImportICMPBehindIPv4AH(t *testing.T) {
	ah := func() (uint8, []byte) {
		// next header ICMP, payload length 4 (6 words: 24 bytes), SPI, sequence, 12 bytes ICV.
		h := []byte{wire.ProtocolICMP, 4, 0, 0, 0, 0, 0x10, 0x01, 0, 0, 0, 1}
		return protocolAH, append(h, make([]byte, 12)...)
	}
	ips, times := exchange4(t, 3, ah)
	res, rows, path, err := importBytes(t, "ah.pcap", capturetest.Pcap(binary.LittleEndian, true, capture.LinkTypeRaw, ips, times))
	if err != nil {
		t.Fatal(err)
	}
	if got := classes(rows); got != "send reply:on-time send reply:on-time send reply:on-time" || res.Extract.NotICMP != 0 {
		t.Fatalf("rows %s, extract %+v", got, res.Extract)
	}
	if rows[1].RTT != 100*time.Microsecond || rows[1].Seq != 0 || rows[5].Seq != 2 {
		t.Fatalf("reply %+v", rows[1])
	}
	// tshark pairs the same three (icmp.resptime in ms on each reply).
	var paired int
	for _, l := range tsharkFields(t, path, "icmp.resptime") {
		if l[0] == "0.1" {
			paired++
		}
	}
	if paired != 3 {
		t.Fatalf("tshark paired %d replies at 0.1 ms", paired)
	}
}

// PPP (9) and Cisco HDLC (104) captures import; a link type this importer does not read
// is named in the refusal instead of "no ICMP".
func TestImportLinkTypes(t *testing.T) {
	ips, times := exchange4(t, 2, nil)
	frame := map[int]func([]byte) []byte{
		capture.LinkTypePPP:   func(ip []byte) []byte { return append([]byte{0xff, 0x03, 0x00, 0x21}, ip...) },
		capture.LinkTypeCHDLC: func(ip []byte) []byte { return append([]byte{0x0f, 0x00, 0x08, 0x00}, ip...) },
		capture.LinkTypePPPSerial: func(ip []byte) []byte {
			return append([]byte{0xff, 0x03, 0x00, 0x21}, ip...)
		},
	}
	for link, wrap := range frame {
		var frames [][]byte
		for _, ip := range ips {
			frames = append(frames, wrap(ip))
		}
		_, rows, _, err := importBytes(t, "link.pcap", capturetest.Pcap(binary.LittleEndian, false, uint32(link), frames, times))
		if err != nil || classes(rows) != "send reply:on-time send reply:on-time" {
			t.Fatalf("%s: %s, %v", capture.LinkTypeName(link), classes(rows), err)
		}
	}
	_, _, _, err := importBytes(t, "ipnet.pcap", capturetest.Pcap(binary.LittleEndian, false, 226, ips, times))
	if !errors.Is(err, ErrNoICMP) || !strings.Contains(err.Error(), "4 of them of Solaris ipnet (226), a link type this importer does not read") {
		t.Fatalf("ipnet: %v", err)
	}
}

// An ICMPv6 reply routed through a segment routing header (segments left 1) carries the
// checksum its sender computed for the final destination (RFC 8200 section 8.1): it is on
// time, not corrupt, and belongs to the ping to that destination.
func TestImportRoutedICMPv6Reply(t *testing.T) {
	a, b, c := netip.MustParseAddr("2001:db8::a"), netip.MustParseAddr("2001:db8::b"), netip.MustParseAddr("2001:db8::c")
	data := []byte("routed")
	req := wire.AppendEcho(nil, wire.IPv6, wire.ICMPv6EchoRequest, wire.Echo{ID: 9, Seq: 1, Data: data}, &wire.PseudoHeader{Src: a, Dst: c})
	rep := wire.AppendEcho(nil, wire.IPv6, wire.ICMPv6EchoReply, wire.Echo{ID: 9, Seq: 1, Data: data}, &wire.PseudoHeader{Src: c, Dst: a})
	ip6 := func(src, dst netip.Addr, next uint8, rest []byte) []byte {
		h := []byte{0x60, 0, 0, 0}
		h = binary.BigEndian.AppendUint16(h, uint16(len(rest)))
		h = append(h, next, 64)
		s, d := src.As16(), dst.As16()
		return append(append(append(h, s[:]...), d[:]...), rest...)
	}
	// The reply goes to b first; Segment List[0] = a is where it ends.
	srh := []byte{wire.ProtocolICMPv6, 4, 4, 1, 1, 0, 0, 0}
	aa, bb := a.As16(), b.As16()
	srh = append(append(srh, aa[:]...), bb[:]...)
	pkts := [][]byte{ip6(a, c, wire.ProtocolICMPv6, req), ip6(c, b, wire.ProtocolRouting, append(srh, rep...))}
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	_, rows, _, err := importBytes(t, "routed.pcap", capturetest.Pcap(binary.LittleEndian, true, capture.LinkTypeRaw, pkts,
		[]time.Time{t0, t0.Add(time.Millisecond)}))
	if err != nil {
		t.Fatal(err)
	}
	if got := classes(rows); got != "send reply:on-time" {
		t.Fatalf("rows %s (%q)", got, rows[len(rows)-1].Note)
	}
}
