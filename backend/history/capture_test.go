package history

import (
	"encoding/binary"
	"testing"

	"echoscope/backend/capture"
	"echoscope/backend/capture/capturetest"
)

// Every frame of the real fixtures is ICMP echo and is extracted.
func TestExtractFixtures(t *testing.T) {
	for file, frames := range map[string]int{"loopback.pcapng": 20, "loopback.pcap": 20, "any-sll.pcapng": 4} {
		rows, st, err := extractAll(fixture(t, file))
		if err != nil || len(rows) != frames || st.Imported != frames || st.Frames != frames {
			t.Fatalf("%s: %d rows, %+v, %v", file, len(rows), st, err)
		}
	}
}

func etherTypeFor(ip []byte) []byte {
	if ip[0]>>4 == 6 {
		return []byte{0x86, 0xdd}
	}
	return []byte{0x08, 0x00}
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
	rows, st, err := extractAll(capturetest.Pcap(binary.LittleEndian, true, capture.LinkTypeEthernet, frames, times[:len(frames)]))
	if err != nil {
		t.Fatal(err)
	}
	want := ExtractStats{Frames: 7, Imported: 1, Fragments: 3, NotICMP: 1, NotIP: 1, Malformed: 1}
	st.FirstProblem = ""
	if st != want || len(rows) != 1 {
		t.Fatalf("stats %+v, want %+v", st, want)
	}
}
