package wire

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// readPcap returns the packets of a classic pcap file (little-endian, as tshark writes
// it), with the 14-byte Ethernet header stripped when the link type is Ethernet.
func readPcap(t *testing.T, path string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 24 || binary.LittleEndian.Uint32(b) != 0xa1b2c3d4 {
		t.Fatalf("%s: not a little-endian pcap", path)
	}
	link := binary.LittleEndian.Uint32(b[20:24])
	var pkts [][]byte
	for off := 24; off+16 <= len(b); {
		n := int(binary.LittleEndian.Uint32(b[off+8:]))
		if off+16+n > len(b) {
			t.Fatalf("%s: record runs past the end", path)
		}
		p := b[off+16 : off+16+n]
		if link == 1 {
			p = p[14:]
		}
		pkts = append(pkts, p)
		off += 16 + n
	}
	return pkts
}

// writeRawPcap writes packets that start with an IP header (LINKTYPE_RAW, 101).
func writeRawPcap(t *testing.T, path string, pkts [][]byte) {
	t.Helper()
	var buf bytes.Buffer
	hdr := []uint32{0xa1b2c3d4, 0x00040002, 0, 0, 65535, 101}
	for i, v := range hdr {
		if i == 1 {
			binary.Write(&buf, binary.LittleEndian, uint16(2))
			binary.Write(&buf, binary.LittleEndian, uint16(4))
			continue
		}
		binary.Write(&buf, binary.LittleEndian, v)
	}
	for i, p := range pkts {
		for _, v := range []uint32{uint32(1700000000 + i), 0, uint32(len(p)), uint32(len(p))} {
			binary.Write(&buf, binary.LittleEndian, v)
		}
		buf.Write(p)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCapturedFixturesMatchPcaps(t *testing.T) {
	for file, want := range map[string][][]byte{
		"ping4-lo.pcap": {ping4Request, ping4Reply},
		"ping6-lo.pcap": {ping6Request, ping6Reply},
	} {
		got := readPcap(t, filepath.Join("testdata", "capture", file))
		if len(got) != len(want) {
			t.Fatalf("%s: %d packets", file, len(got))
		}
		for i := range got {
			if !bytes.Equal(got[i], want[i]) {
				t.Errorf("%s packet %d differs from the fixture", file, i)
			}
		}
	}
}

// tsharkComparison maps a tshark field to the report fields carrying the same value, in
// order of occurrence (outer header first, then the quoted one).
type tsharkComparison struct {
	tshark string
	layers []string // report layers, any of which counts
	name   string
	scale  int // report value × scale = tshark value (IHL words -> bytes); 0 means 1
}

var tsharkComparisons = []tsharkComparison{
	{"ip.version", []string{"IPv4", "Quoted IPv4", "IPv6", "Quoted IPv6"}, "Version", 0},
	{"ip.hdr_len", []string{"IPv4", "Quoted IPv4"}, "IHL", 4},
	{"ip.len", []string{"IPv4", "Quoted IPv4"}, "Total Length", 0},
	{"ip.id", []string{"IPv4", "Quoted IPv4"}, "Identification", 0},
	{"ip.flags.df", []string{"IPv4", "Quoted IPv4"}, "Flags: Don't Fragment", 0},
	{"ip.frag_offset", []string{"IPv4", "Quoted IPv4"}, "Fragment Offset", 8},
	{"ip.ttl", []string{"IPv4", "Quoted IPv4"}, "TTL", 0},
	{"ip.proto", []string{"IPv4", "Quoted IPv4"}, "Protocol", 0},
	{"ip.checksum", []string{"IPv4", "Quoted IPv4"}, "Header Checksum", 0},
	{"ip.src", []string{"IPv4", "Quoted IPv4"}, "Source Address", 0},
	{"ip.dst", []string{"IPv4", "Quoted IPv4"}, "Destination Address", 0},
	{"icmp.type", []string{"ICMPv4", "Quoted ICMPv4"}, "Type", 0},
	{"icmp.code", []string{"ICMPv4", "Quoted ICMPv4"}, "Code", 0},
	{"icmp.checksum", []string{"ICMPv4", "Quoted ICMPv4"}, "Checksum", 0},
	{"icmp.ident", []string{"ICMPv4", "Quoted ICMPv4"}, "Identifier", 0},
	{"icmp.seq", []string{"ICMPv4", "Quoted ICMPv4"}, "Sequence Number", 0},
	{"icmp.mtu", []string{"ICMPv4"}, "Next-Hop MTU", 0},
	{"ipv6.flow", []string{"IPv6", "Quoted IPv6"}, "Flow Label", 0},
	{"ipv6.plen", []string{"IPv6", "Quoted IPv6"}, "Payload Length", 0},
	{"ipv6.nxt", []string{"IPv6", "Quoted IPv6"}, "Next Header", 0},
	{"ipv6.hlim", []string{"IPv6", "Quoted IPv6"}, "Hop Limit", 0},
	{"ipv6.src", []string{"IPv6", "Quoted IPv6"}, "Source Address", 0},
	{"ipv6.dst", []string{"IPv6", "Quoted IPv6"}, "Destination Address", 0},
	{"icmpv6.type", []string{"ICMPv6", "Quoted ICMPv6"}, "Type", 0},
	{"icmpv6.code", []string{"ICMPv6", "Quoted ICMPv6"}, "Code", 0},
	{"icmpv6.checksum", []string{"ICMPv6", "Quoted ICMPv6"}, "Checksum", 0},
	{"icmpv6.echo.identifier", []string{"ICMPv6", "Quoted ICMPv6"}, "Identifier", 0},
	{"icmpv6.echo.sequence_number", []string{"ICMPv6", "Quoted ICMPv6"}, "Sequence Number", 0},
	{"icmpv6.mtu", []string{"ICMPv6"}, "MTU", 0},
}

// normalize makes "0x00d4", "212" and "::1" comparable.
func normalize(v string) string {
	if n, err := strconv.ParseUint(strings.TrimPrefix(v, "0x"), 16, 64); strings.HasPrefix(v, "0x") && err == nil {
		return strconv.FormatUint(n, 10)
	}
	return v
}

// TestDecodeAgreesWithTshark dissects captured and built packets with tshark and compares
// its field values with Decode's, including the checksum verdicts.
func TestDecodeAgreesWithTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	quote4 := echoRequest4(t, 1, []byte("0123456789abcdef"))[:28]
	ph := &PseudoHeader{Src: doc6a, Dst: doc6b}
	badICMP := append([]byte{}, ping4Reply...)
	badICMP[30] ^= 0x55
	pkts := [][]byte{
		ping4Request, ping4Reply, ping6Request, ping6Reply, timeExceeded4(t), badICMP,
		ipv4Packet(t, router, hostA, 64, 1, marshal(t, Message{Family: IPv4, Type: 3, Code: 4, Body: &DstUnreach{NextHopMTU: 1400, Data: quote4}}, nil), nil),
		ipv6Packet(doc6a, doc6b, 58, marshal(t, Message{Family: IPv6, Type: 2, Body: &PacketTooBig{MTU: 1280, Data: ping6Request[:56]}}, ph)),
		ipv6Packet(doc6a, doc6b, 58, marshal(t, Message{Family: IPv6, Type: 3, Body: &TimeExceeded{Data: ping6Request[:48]}}, ph)),
	}
	pcap := filepath.Join(t.TempDir(), "built.pcap")
	writeRawPcap(t, pcap, pkts)
	args := []string{"-r", pcap, "-o", "ip.check_checksum:TRUE", "-T", "fields", "-E", "occurrence=a", "-E", "separator=/t", "-E", "aggregator=|"}
	for _, c := range tsharkComparisons {
		args = append(args, "-e", c.tshark)
	}
	args = append(args, "-e", "ip.checksum.status", "-e", "icmp.checksum.status", "-e", "icmpv6.checksum.status")
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) != len(pkts) {
		t.Fatalf("tshark printed %d lines for %d packets:\n%s", len(lines), len(pkts), out)
	}
	compared := 0
	for i, line := range lines {
		cols := strings.Split(line, "\t")
		r := Decode(pkts[i], Options{})
		for j, c := range tsharkComparisons {
			var want []string
			if cols[j] != "" {
				for _, v := range strings.Split(cols[j], "|") {
					want = append(want, normalize(v))
				}
			}
			var got []string
			for _, f := range r.Fields {
				if f.Name != c.name || !contains(c.layers, f.Layer) {
					continue
				}
				v := normalize(f.Value)
				if c.scale > 1 {
					n, _ := strconv.Atoi(v)
					v = strconv.Itoa(n * c.scale)
				}
				got = append(got, v)
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("packet %d (%s): %s: decode %q, tshark %q", i, r.Summary, c.tshark, got, want)
			}
			compared += len(want)
		}
		// Checksum verdicts: tshark's status is 1 (good), 0 (bad) or 2 (unverified), grouped
		// by protocol; it verifies the outer checksums and the quoted IPv4 header, as
		// Decode does, so the good and bad counts must agree.
		status := strings.Join(cols[len(tsharkComparisons):], "|")
		var mine []string
		for _, cr := range r.Checksums {
			if cr.Verifiable {
				mine = append(mine, map[bool]string{true: "1", false: "0"}[cr.Correct])
			}
		}
		joined := strings.Join(mine, "")
		if strings.Count(status, "0") != strings.Count(joined, "0") || strings.Count(status, "1") != strings.Count(joined, "1") {
			t.Errorf("packet %d: checksum verdicts: decode %v, tshark %q", i, mine, status)
		}
	}
	if compared < 150 {
		t.Errorf("only %d values compared", compared)
	}
	t.Logf("%d field values agree with tshark", compared)
}
