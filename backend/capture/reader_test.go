package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"time"

	"echoscope/backend/capture/capturetest"
)

func TestReadFixtures(t *testing.T) {
	for _, c := range []struct {
		file   string
		format Format
		frames int
		link   int
	}{
		{"loopback.pcapng", FormatPcapng, 20, LinkTypeEthernet},
		{"loopback.pcap", FormatPcap, 20, LinkTypeEthernet},
		{"any-sll.pcapng", FormatPcapng, 4, LinkTypeLinuxSLL},
	} {
		t.Run(c.file, func(t *testing.T) {
			format, frames, err := readAll(capturetest.Fixture(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			if format != c.format || len(frames) != c.frames || frames[0].LinkType != c.link {
				t.Fatalf("%s: %d frames, link %d", format, len(frames), frames[0].LinkType)
			}
			for i, f := range frames {
				if f.Time.Year() < 2020 || (i > 0 && f.Time.Before(frames[i-1].Time)) {
					t.Fatalf("frame %d time %v", i, f.Time)
				}
				if ip, err := LinkPayload(f.LinkType, f.Data); err != nil || ip[0]>>4 != 4 && ip[0]>>4 != 6 {
					t.Fatalf("frame %d: %v", i, err)
				}
			}
		})
	}
}

// Every pcap byte order and timestamp magic, and every link type read, gives the same
// datagrams at the same times (to the microsecond for microsecond files).
func TestReadPcapVariantsAndLinkTypes(t *testing.T) {
	ips, times := fixtureDatagrams(t)
	for name, w := range linkWrappers() {
		var frames [][]byte
		for _, ip := range ips {
			frames = append(frames, w.wrap(ip))
		}
		for _, order := range []capturetest.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			for _, nano := range []bool{false, true} {
				t.Run(name+"/"+order.String()+map[bool]string{false: "/micro", true: "/nano"}[nano], func(t *testing.T) {
					_, got, err := readAll(capturetest.Pcap(order, nano, w.link, frames, times))
					if err != nil {
						t.Fatal(err)
					}
					if len(got) != len(ips) {
						t.Fatalf("%d frames", len(got))
					}
					for i, f := range got {
						want := times[i]
						if !nano {
							want = want.Truncate(time.Microsecond)
						}
						ip, err := LinkPayload(f.LinkType, f.Data)
						if err != nil || !bytes.Equal(ip, ips[i]) || !f.Time.Equal(want) {
							t.Fatalf("frame %d: time %v want %v, bytes equal %v, %v", i, f.Time, want, bytes.Equal(ip, ips[i]), err)
						}
					}
				})
			}
		}
	}
}

// A big-endian pcapng with two interfaces of different link types and resolutions, and
// a Simple Packet Block.
func TestReadPcapngInterfacesAndResolutions(t *testing.T) {
	ips, _ := fixtureDatagrams(t)
	base := time.Date(2026, 5, 6, 7, 8, 9, 123456789, time.UTC)
	ifaces := []capturetest.Iface{{Link: LinkTypeRaw, Tsresol: 9}, {Link: LinkTypeIPv6, Tsresol: 0}, {Link: LinkTypeIPv4, Tsresol: 0x80 | 10}}
	pkts := []capturetest.Packet{
		{Iface: 0, Units: uint64(base.UnixNano()), Data: ips[0]},
		{Iface: 1, Units: uint64(base.UnixMicro()), Data: ips[10]},
		{Iface: 2, Units: uint64(base.Unix()) << 10, Data: ips[1]},
		{Simple: true, Data: ips[2]},
	}
	for _, order := range []capturetest.ByteOrder{binary.BigEndian, binary.LittleEndian} {
		_, frames, err := readAll(capturetest.Pcapng(order, ifaces, pkts))
		if err != nil {
			t.Fatal(err)
		}
		if len(frames) != 4 {
			t.Fatalf("%d frames", len(frames))
		}
		wantTimes := []time.Time{base, base.Truncate(time.Microsecond), base.Truncate(time.Second), {}}
		wantLinks := []int{LinkTypeRaw, LinkTypeIPv6, LinkTypeIPv4, LinkTypeRaw}
		for i, f := range frames {
			if f.LinkType != wantLinks[i] || !f.Time.Equal(wantTimes[i]) {
				t.Errorf("%s frame %d: link %d time %v, want %d %v", order, i, f.LinkType, f.Time, wantLinks[i], wantTimes[i])
			}
		}
	}
}

func TestCorruptCapturesNameTheOffset(t *testing.T) {
	ng := capturetest.Fixture(t, "loopback.pcapng")
	pc := capturetest.Fixture(t, "loopback.pcap")
	cases := map[string]struct {
		data      []byte
		want      string
		truncated bool
	}{
		"empty":             {nil, "not a pcap or pcapng file: 0 bytes", false},
		"not a capture":     {[]byte("GIF89a......"), "not a pcap or pcapng file: it starts with 47 49 46 38", false},
		"pcap header cut":   {pc[:20], "truncated at byte 0: pcap file header needs 24 bytes", true},
		"pcap record cut":   {pc[:24+16+10], "truncated at byte 32: pcap record claims", true},
		"pcap record head":  {pc[:24+8], "truncated at byte 24: pcap record header needs 16 bytes, 8 left", true},
		"pcapng cut":        {ng[:len(ng)-3], "truncated at byte 3096: block type 0x00000005 claims 108 bytes, 105 left in the file", true},
		"pcapng block long": {setU32(ng, 4, 1<<20), "truncated at byte 4: block type 0x0a0d0d0a claims 1048576 bytes", true},
		"pcapng odd length": {setU32(ng, 4, 27), "offset 4: block type 0x0a0d0d0a has length 27", false},
		"pcapng bad magic":  {setU32(ng, 8, 0x11223344), "offset 8: section header byte-order magic", false},
		"pcapng huge block": {setU32(ng, 4, 1<<30), "offset 4: block type 0x0a0d0d0a claims 1073741824 bytes", false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, _, err := readAll(c.data)
			if !errors.Is(err, ErrBadFile) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want ErrBadFile containing %q", err, c.want)
			}
			if errors.Is(err, ErrTruncated) != c.truncated {
				t.Fatalf("ErrTruncated %v, want %v", errors.Is(err, ErrTruncated), c.truncated)
			}
		})
	}
}

// A capture cut short gives every complete record before the cut, then says where.
func TestTruncatedCaptureKeepsCompleteRecords(t *testing.T) {
	ng := capturetest.Fixture(t, "loopback.pcapng")
	_, all, err := readAll(ng)
	if err != nil {
		t.Fatal(err)
	}
	cutAt := all[7].Offset + 10 // inside the eighth packet's block
	_, frames, err := readAll(ng[:cutAt])
	var te *TruncatedError
	if !errors.As(err, &te) || te.Offset != all[7].Offset+4 {
		t.Fatalf("error %v, want a TruncatedError at %d", err, all[7].Offset+4)
	}
	if len(frames) != 7 {
		t.Fatalf("%d frames before the cut, want 7", len(frames))
	}
}

func setU32(b []byte, off int, v uint32) []byte {
	c := append([]byte(nil), b...)
	binary.LittleEndian.PutUint32(c[off:], v)
	return c
}
