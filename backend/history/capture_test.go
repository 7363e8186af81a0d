package history

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestReadFixtures(t *testing.T) {
	for _, c := range []struct {
		file, format string
		frames, link int
	}{
		{"loopback.pcapng", "pcapng", 20, LinkTypeEthernet},
		{"loopback.pcap", "pcap", 20, LinkTypeEthernet},
		{"any-sll.pcapng", "pcapng", 4, LinkTypeLinuxSLL},
	} {
		t.Run(c.file, func(t *testing.T) {
			capt, err := ReadCapture(fixture(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			if capt.Format != c.format || len(capt.Frames) != c.frames || capt.Frames[0].LinkType != c.link {
				t.Fatalf("%s: %d frames, link %d", capt.Format, len(capt.Frames), capt.Frames[0].LinkType)
			}
			for i, f := range capt.Frames {
				if f.Time.Year() < 2020 || (i > 0 && f.Time.Before(capt.Frames[i-1].Time)) {
					t.Fatalf("frame %d time %v", i, f.Time)
				}
			}
			rows, st := extractICMP(capt)
			if len(rows) != c.frames || st.Imported != c.frames {
				t.Fatalf("extracted %d rows, %+v", len(rows), st)
			}
		})
	}
}

// Every pcap byte order and timestamp magic, and every link type, gives the same datagrams
// at the same times (to the microsecond for microsecond files).
func TestReadPcapVariantsAndLinkTypes(t *testing.T) {
	ips, times := fixtureDatagrams(t)
	wrap := map[string]struct {
		link uint32
		wrap func(ip []byte) []byte
	}{
		"raw": {LinkTypeRaw, func(ip []byte) []byte { return ip }},
		"ethernet+802.1Q+802.1ad": {LinkTypeEthernet, func(ip []byte) []byte {
			h := append(make([]byte, 12), 0x88, 0xa8, 0, 5, 0x81, 0x00, 0, 7)
			return append(append(h, etherTypeFor(ip)...), ip...)
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
	}
	for name, w := range wrap {
		var frames [][]byte
		for _, ip := range ips {
			frames = append(frames, w.wrap(ip))
		}
		for _, order := range []byteOrder{binary.LittleEndian, binary.BigEndian} {
			for _, nano := range []bool{false, true} {
				t.Run(name+"/"+order.String()+map[bool]string{false: "/micro", true: "/nano"}[nano], func(t *testing.T) {
					c, err := ReadCapture(buildPcap(order, nano, w.link, frames, times))
					if err != nil {
						t.Fatal(err)
					}
					rows, st := extractICMP(c)
					if len(rows) != len(ips) {
						t.Fatalf("%d rows, %+v", len(rows), st)
					}
					for i, r := range rows {
						want := times[i]
						if !nano {
							want = want.Truncate(time.Microsecond)
						}
						if !bytes.Equal(r.Bytes, ips[i]) || !r.Time.Time.Equal(want) {
							t.Fatalf("row %d: time %v want %v, bytes equal %v", i, r.Time.Time, want, bytes.Equal(r.Bytes, ips[i]))
						}
					}
				})
			}
		}
	}
}

func etherTypeFor(ip []byte) []byte {
	if ip[0]>>4 == 6 {
		return []byte{0x86, 0xdd}
	}
	return []byte{0x08, 0x00}
}

func bsdFamily(ip []byte) uint32 {
	if ip[0]>>4 == 6 {
		return 30 // macOS AF_INET6
	}
	return 2
}

// A big-endian pcapng with two interfaces of different link types and resolutions, and
// a Simple Packet Block.
func TestReadPcapngInterfacesAndResolutions(t *testing.T) {
	ips, _ := fixtureDatagrams(t)
	base := time.Date(2026, 5, 6, 7, 8, 9, 123456789, time.UTC)
	ifaces := []ngIface{{link: LinkTypeRaw, tsresol: 9}, {link: LinkTypeIPv6, tsresol: 0}, {link: LinkTypeIPv4, tsresol: 0x80 | 10}}
	pkts := []ngPacket{
		{iface: 0, units: uint64(base.UnixNano()), data: ips[0]},
		{iface: 1, units: uint64(base.UnixMicro()), data: ips[10]},
		{iface: 2, units: uint64(base.Unix()) << 10, data: ips[1]},
		{simple: true, data: ips[2]},
	}
	for _, order := range []byteOrder{binary.BigEndian, binary.LittleEndian} {
		c, err := ReadCapture(buildPcapng(order, ifaces, pkts))
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Frames) != 4 {
			t.Fatalf("%d frames", len(c.Frames))
		}
		wantTimes := []time.Time{base, base.Truncate(time.Microsecond), base.Truncate(time.Second), {}}
		wantLinks := []int{LinkTypeRaw, LinkTypeIPv6, LinkTypeIPv4, LinkTypeRaw}
		for i, f := range c.Frames {
			if f.LinkType != wantLinks[i] || !f.Time.Equal(wantTimes[i]) && !(wantTimes[i].IsZero() && f.Time.Unix() == 0) {
				t.Errorf("%s frame %d: link %d time %v, want %d %v", order, i, f.LinkType, f.Time, wantLinks[i], wantTimes[i])
			}
		}
		rows, st := extractICMP(c)
		if len(rows) != 4 || st.Imported != 4 {
			t.Fatalf("%+v", st)
		}
	}
}

func TestCorruptCapturesNameTheOffset(t *testing.T) {
	ng := fixture(t, "loopback.pcapng")
	pc := fixture(t, "loopback.pcap")
	cases := map[string]struct {
		data []byte
		want string
	}{
		"empty":             {nil, "not a pcap or pcapng file: 0 bytes"},
		"not a capture":     {[]byte("GIF89a......"), "not a pcap or pcapng file: it starts with 47 49 46 38"},
		"pcap header cut":   {pc[:20], "truncated at byte 0: pcap file header needs 24 bytes"},
		"pcap record cut":   {pc[:24+16+10], "truncated at byte 32: pcap record claims"},
		"pcap record head":  {pc[:24+8], "truncated at byte 24: pcap record header needs 16 bytes, 8 left"},
		"pcapng cut":        {ng[:len(ng)-3], "truncated at byte 3096: block type 0x00000005 claims 108 bytes, 105 left in the file"},
		"pcapng block long": {setU32(ng, 4, 1<<20), "truncated at byte 4: block type 0x0a0d0d0a claims 1048576 bytes"},
		"pcapng odd length": {setU32(ng, 4, 27), "offset 4: block type 0x0a0d0d0a has length 27"},
		"pcapng bad magic":  {setU32(ng, 8, 0x11223344), "offset 8: section header byte-order magic"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ReadCapture(c.data)
			if !errors.Is(err, ErrCapture) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want ErrCapture containing %q", err, c.want)
			}
		})
	}
}

func setU32(b []byte, off int, v uint32) []byte {
	c := append([]byte(nil), b...)
	binary.LittleEndian.PutUint32(c[off:], v)
	return c
}

func TestExtractSkipsFragmentsAndOtherTraffic(t *testing.T) {
	ips, times := fixtureDatagrams(t)
	v4 := append([]byte(nil), ips[0]...)
	frag4 := append([]byte(nil), v4...)
	frag4[6] |= 0x20 // more fragments
	later4 := append([]byte(nil), v4...)
	binary.BigEndian.PutUint16(later4[6:], 100) // offset 800 bytes
	udp := append([]byte(nil), v4...)
	udp[9] = 17
	v6 := ips[10]
	frag6 := append(append(append([]byte(nil), v6[:40]...), 58, 0, 0, 0, 0, 0, 0, 1), v6[40:]...)
	frag6[6] = 44
	binary.BigEndian.PutUint16(frag6[4:], binary.BigEndian.Uint16(v6[4:])+8)
	arp := append(make([]byte, 12), 0x08, 0x06, 0, 1)
	eth := func(ip []byte) []byte { return append(append(make([]byte, 12), etherTypeFor(ip)...), ip...) }
	frames := [][]byte{eth(v4), eth(frag4), eth(later4), eth(udp), eth(frag6), arp, eth([]byte{0x45, 0})}
	c, err := ReadCapture(buildPcap(binary.LittleEndian, true, LinkTypeEthernet, frames, times[:len(frames)]))
	if err != nil {
		t.Fatal(err)
	}
	rows, st := extractICMP(c)
	want := ExtractStats{Frames: 7, Imported: 1, Fragments: 3, NotICMP: 1, NotIP: 1, Malformed: 1}
	st.FirstProblem = ""
	if st != want || len(rows) != 1 {
		t.Fatalf("stats %+v, want %+v", st, want)
	}
}
