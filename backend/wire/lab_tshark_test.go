package wire

import (
	"net/netip"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLessonPacketsAgreeWithTshark puts the Lab lesson's two packets (the classic example's
// echo request with the RFC 1071 checksum 0xF7CD, and with the classic loop's 0xF2FF) in
// IPv4 headers from 127.0.0.1 to itself, and has tshark, an outside authority, read every
// field and judge both checksums: good for the first, bad for the second, as the Lab says.
func TestLessonPacketsAgreeWithTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	lo := netip.MustParseAddr("127.0.0.1")
	var pkts [][]byte
	for _, mode := range []string{LabChecksumCorrect, LabChecksumClassic} {
		msg, err := BuildLab(lessonSpec(mode))
		if err != nil {
			t.Fatal(err)
		}
		pkts = append(pkts, ipv4Packet(t, lo, lo, 64, 1, msg, nil))
	}
	pcap := filepath.Join(t.TempDir(), "lesson.pcap")
	writeRawPcap(t, pcap, pkts)
	out, err := exec.Command(tshark, "-r", pcap, "-T", "fields", "-E", "separator=,",
		"-e", "icmp.type", "-e", "icmp.code", "-e", "icmp.checksum", "-e", "icmp.checksum.status",
		"-e", "icmp.ident", "-e", "icmp.seq").Output()
	if err != nil {
		t.Fatalf("tshark: %v: %s", err, stderrOf(err))
	}
	want := []string{
		"8,0,0xf7cd,1,13,37", // status 1: good (tshark always checks ICMP checksums)
		"8,0,0xf2ff,0,13,37", // status 0: bad
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(want) {
		t.Fatalf("tshark printed %q", out)
	}
	for i, line := range lines {
		if line != want[i] {
			t.Errorf("packet %d: tshark %q, want %q", i, line, want[i])
		}
		a := AnalyzeLab(IPv4, pkts[i][IPv4HeaderLen:], lo, lo)
		verdict := map[bool]string{true: "1", false: "0"}[a.Verdict == "correct"]
		if f := strings.Split(line, ","); f[3] != verdict {
			t.Errorf("packet %d: tshark says %s, the Lab says %s", i, f[3], a.Verdict)
		}
	}
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}
