//go:build linux

package e2e

import (
	"encoding/csv"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"echoscope/backend/export"
	"echoscope/backend/testnet"
)

// --pcap writes each request at the send time its RTT was measured from, so tshark's
// icmp.resptime equals the RTT echoscope-ping reports (its --csv rows) within 1 us, for
// every pair, on a test host whose kernel answers.
func TestPcapResponseTimesAreTheRTTs(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	h := testnet.NewT(t, testnet.Config{ClientNamespace: true})
	dir := t.TempDir()
	pcap, csvPath := filepath.Join(dir, "run.pcapng"), filepath.Join(dir, "run.csv")
	r := run(t, "ip", "netns", "exec", h.ClientNS, bin, "-c", "20", "-i", "0.01", "--pcap", pcap, "--csv", csvPath, h.PeerV4.String())
	if r.code != 0 {
		t.Fatalf("ping: %s", r)
	}
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) int { return slices.Index(export.CSVHeader, name) }
	rtts := map[string]float64{} // seq -> ms
	id, clocks := "", map[string]int{}
	for _, row := range rows[1:] {
		if row[col("kind")] == "reply" && row[col("class")] == "on-time" {
			ms, err := strconv.ParseFloat(row[col("rtt_ms")], 64)
			if err != nil {
				t.Fatalf("row %v: %v", row, err)
			}
			rtts[row[col("seq")]], id = ms, row[col("id")]
			clocks[row[col("rtt_clocks")]]++
		}
	}
	if len(rtts) != 20 {
		t.Fatalf("%d on-time replies of 20", len(rtts))
	}
	out, err := exec.Command(tshark, "-n", "-r", pcap, "-Y", "icmp.type == 0 && icmp.ident == "+id,
		"-T", "fields", "-e", "icmp.seq", "-e", "icmp.resptime").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for _, line := range lines {
		f := strings.Split(line, "\t")
		want, ok := rtts[f[0]]
		got, err := strconv.ParseFloat(f[len(f)-1], 64)
		if len(f) != 2 || !ok || err != nil {
			t.Fatalf("tshark line %q", line)
		}
		if d := math.Abs(got-want) * float64(time.Millisecond); d > float64(time.Microsecond) {
			t.Errorf("seq %s: tshark %.6f ms, echoscope-ping %.6f ms", f[0], got, want)
		}
	}
	if len(lines) != 20 {
		t.Fatalf("tshark paired %d replies", len(lines))
	}
	t.Logf("RTT clocks: %v", clocks)
}
