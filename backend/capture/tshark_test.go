package capture

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"echoscope/backend/capture/capturetest"
)

// Every link type read here gives the addresses tshark 4.0 finds in the same file (so the
// PPP, C-HDLC and PPPoE framings are read as tcpdump and Wireshark write and read them).
func TestLinkTypesAgreeWithTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	ips, times := fixtureDatagrams(t)
	dir := t.TempDir()
	for name, w := range linkWrappers() {
		var frames [][]byte
		for _, ip := range ips {
			frames = append(frames, w.wrap(ip))
		}
		data := capturetest.Pcap(binary.LittleEndian, true, w.link, frames, times)
		path := filepath.Join(dir, strings.NewReplacer(" ", "_", "(", "", ")", "", "+", "_").Replace(name)+".pcap")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(tshark, "-n", "-r", path, "-T", "fields", "-e", "ip.src", "-e", "ipv6.src", "-e", "ip.dst", "-e", "ipv6.dst").Output()
		if err != nil {
			t.Fatalf("%s: tshark: %v", name, err)
		}
		var want []string
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			want = append(want, strings.Join(strings.Fields(line), " "))
		}
		_, got, err := readAll(data)
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range got {
			ip, err := LinkPayload(f.LinkType, f.Data)
			if err != nil {
				t.Fatalf("%s frame %d: %v", name, i, err)
			}
			var src, dst netip.Addr
			if ip[0]>>4 == 4 {
				src, dst = netip.AddrFrom4([4]byte(ip[12:16])), netip.AddrFrom4([4]byte(ip[16:20]))
			} else {
				src, dst = netip.AddrFrom16([16]byte(ip[8:24])), netip.AddrFrom16([16]byte(ip[24:40]))
			}
			if line := fmt.Sprintf("%s %s", src, dst); i >= len(want) || line != want[i] {
				t.Errorf("%s frame %d: %q, tshark %q", name, i, line, want[min(i, len(want)-1)])
			}
		}
	}
}

// What the Writer writes, the Reader reads back, and tshark reads it too.
func TestWriterRoundTrip(t *testing.T) {
	ips, times := fixtureDatagrams(t)
	var buf bytes.Buffer
	w := NewWriter(&buf, WriterOptions{LinkType: LinkTypeRaw, App: "test", Interface: "lo"})
	for i, ip := range ips {
		w.WritePacket(times[i], ip, fmt.Sprintf("packet %d", i))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	format, frames, err := readAll(buf.Bytes())
	if err != nil || format != FormatPcapng || len(frames) != len(ips) {
		t.Fatalf("%s %d frames %v", format, len(frames), err)
	}
	for i, f := range frames {
		if !bytes.Equal(f.Data, ips[i]) || !f.Time.Equal(times[i]) || f.LinkType != LinkTypeRaw {
			t.Fatalf("frame %d differs", i)
		}
	}
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	path := filepath.Join(t.TempDir(), "w.pcapng")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tshark, "-n", "-r", path, "-T", "fields", "-e", "frame.time_epoch", "-e", "frame.comment").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(ips) || !strings.HasSuffix(lines[3], "packet 3") ||
		!strings.HasPrefix(lines[3], fmt.Sprintf("%d.%09d", times[3].Unix(), times[3].Nanosecond())) {
		t.Fatalf("tshark read %q", lines)
	}
}
