package e2e

import (
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"echoscope/backend/export"
)

// tsharkICMP lists "type/seq/checksum-status" for every ICMP packet in a capture file that
// carries the identifier of its echo requests. The recording also holds, rightly, the
// replies to other processes' pings on this host (a raw socket sees every ICMP message):
// those are left out, so the test does not fail whenever someone else pings loopback.
func tsharkICMP(t *testing.T, file string) []string {
	t.Helper()
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark not installed")
	}
	r := run(t, "tshark", "-r", file, "-T", "fields", "-e", "icmp.type", "-e", "icmp.ident", "-e", "icmp.seq", "-e", "icmp.checksum.status")
	if r.code != 0 {
		t.Fatalf("tshark: %s", r)
	}
	var packets [][]string
	ours := ""
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			t.Fatalf("tshark line %q: want 4 fields", line)
		}
		if f[0] == "8" {
			ours = f[1] // requests come only from this run: its socket filters other echo requests out
		}
		packets = append(packets, f)
	}
	var got []string
	for _, f := range packets {
		if f[1] == ours {
			got = append(got, f[0]+"/"+f[2]+"/"+f[3])
		}
	}
	return got
}

// --pcap writes every request and reply; Wireshark's dissector finds each checksum good
// (the raw socket's requests get their IP header synthesized).
func TestPcapHasRequestsAndRepliesWithGoodChecksums(t *testing.T) {
	needICMP(t)
	if os.Geteuid() != 0 {
		t.Skip("needs root (raw socket: the requests go out as written)")
	}
	file := filepath.Join(t.TempDir(), "run.pcapng")
	if r := run(t, bin, "-c", "3", "-i", "0.2", "--pcap", file, "127.0.0.1"); r.code != 0 {
		t.Fatalf("ping: %s", r)
	}
	got := tsharkICMP(t, file)
	want := []string{"8/1/1", "0/1/1", "8/2/1", "0/2/1", "8/3/1", "0/3/1"}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("tshark type/seq/checksum-status = %v, want %v", got, want)
	}
}

// --csv writes history's columns, one row per packet: a send and a reply per request.
func TestCSVOneRowPerPacket(t *testing.T) {
	needICMP(t)
	file := filepath.Join(t.TempDir(), "run.csv")
	if r := run(t, bin, "-c", "3", "-i", "0.2", "--csv", file, "127.0.0.1"); r.code != 0 {
		t.Fatalf("ping: %s", r)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], export.CSVHeader) {
		t.Fatalf("header = %v, want %v", rows, export.CSVHeader)
	}
	kinds := map[string][]string{} // kind -> seqs
	classCol := slices.Index(export.CSVHeader, "class")
	foreign := 0
	for i, row := range rows[1:] {
		if row[0] != strconv.Itoa(i) {
			t.Errorf("row %d numbered %q", i, row[0])
		}
		if row[len(row)-1] == "" {
			t.Errorf("row %d has no bytes: %v", i, row)
		}
		// Replies to other processes' pings on this host are recorded too, rightly, as
		// foreign: they are not this run's packets.
		if row[classCol] == "foreign" {
			foreign++
			continue
		}
		kinds[row[1]] = append(kinds[row[1]], row[5])
	}
	for _, kind := range []string{"send", "reply"} {
		if !slices.Equal(kinds[kind], []string{"1", "2", "3"}) {
			t.Errorf("%s rows have seqs %v, want 1 2 3 (rows %v)", kind, kinds[kind], rows)
		}
	}
	if n := len(rows) - 1 - foreign; n != 6 {
		t.Errorf("%d rows of this run after the header (and %d foreign), want 6", n, foreign)
	}
}

// A file that cannot be created stops the run with exit 2 before anything is sent.
func TestRecordFileThatCannotBeCreatedExitsTwo(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-dir", "f")
	for _, flag := range []string{"--pcap", "--csv"} {
		r := run(t, bin, "-c", "1", flag, missing, "127.0.0.1")
		if r.code != 2 || !strings.Contains(r.stderr, flag+": open "+missing) || strings.Contains(r.stdout, "PING") {
			t.Errorf("%s %s: want exit 2, the path in the error and no PING line; got %s", flag, missing, r)
		}
	}
}

// SIGINT ends the run and the capture still holds what was sent and received.
func TestPcapFlushedOnSIGINT(t *testing.T) {
	needICMP(t)
	file := filepath.Join(t.TempDir(), "run.pcapng")
	cmd := exec.Command(bin, "-i", "0.05", "--pcap", file, "127.0.0.1")
	signalAfterReplies(t, cmd, 2, syscall.SIGINT)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGINT: %v", err)
	}
	var requests, replies int
	for _, f := range tsharkICMP(t, file) {
		switch {
		case strings.HasPrefix(f, "8/"):
			requests++
		case strings.HasPrefix(f, "0/"):
			replies++
		}
	}
	if requests < 2 || replies < 2 {
		t.Errorf("capture after SIGINT has %d requests and %d replies, want at least 2 each", requests, replies)
	}
}
