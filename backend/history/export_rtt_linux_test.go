//go:build linux

package history

import (
	"bytes"
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"echoscope/backend/probe"
)

// A real session's pcapng export gives Wireshark the app's RTTs: for every reply, tshark's
// icmp.resptime (reply time minus its request's) equals the stored RTT within 1 us. The
// request is written at the send time its RTT was measured from (the kernel's TX stamp where
// there was one), not at the user-space time the engine first knew (which made tshark read
// 0.032-0.066 ms where the table said 0.012-0.016 ms).
func TestExportedResponseTimesAreTheAppsRTTs(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: a raw socket to 127.0.0.1")
	}
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	s := openTemp(t)
	ctx := context.Background()
	id := beginTest(t, s, "127.0.0.1", time.Now())
	w := s.NewWriter(WriterOptions{})
	sess, err := probe.NewSession(probe.Options{Target: "127.0.0.1", Count: 20, Interval: 10 * time.Millisecond,
		Timeout: 2 * time.Second, Socket: probe.SocketRaw}, probe.RootPolicy(), func(ev probe.Event) {
		if ev.Kind != probe.EventStats {
			w.Add(id, ev)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := sess.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rtts := map[uint16]time.Duration{} // our replies' RTTs by sequence
	kernelTX := 0
	for p, err := range s.AllPackets(ctx, id) {
		if err != nil {
			t.Fatal(err)
		}
		if p.Kind == probe.EventReply && p.Class == probe.ClassOnTime {
			rtts[p.Seq] = p.RTT
			if p.Sent.Clock == probe.ClockKernelTX {
				kernelTX++
			}
		}
	}
	if len(rtts) != 20 {
		t.Fatalf("%d on-time replies of 20 (%+v)", len(rtts), sum.Stats)
	}
	var buf bytes.Buffer
	if _, err := s.ExportPcapng(ctx, id, &buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "session.pcapng")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	compareResponseTimes(t, tshark, path, sess.Options().Identifier, rtts)
	t.Logf("%d of 20 RTTs from the kernel's TX stamp", kernelTX)
}

// compareResponseTimes checks tshark's icmp.resptime for each reply with identifier id
// against want (by sequence), within 1 us.
func compareResponseTimes(t *testing.T, tshark, path string, id uint16, want map[uint16]time.Duration) {
	t.Helper()
	out, err := exec.Command(tshark, "-n", "-r", path, "-Y", "icmp.type == 0 && icmp.ident == "+strconv.Itoa(int(id)),
		"-T", "fields", "-e", "icmp.seq", "-e", "icmp.resptime").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	seen := 0
	for _, line := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
		f := bytes.Split(line, []byte("\t"))
		if len(f) != 2 {
			t.Fatalf("tshark line %q", line)
		}
		seq, _ := strconv.Atoi(string(f[0]))
		ms, err := strconv.ParseFloat(string(f[1]), 64)
		rtt, ok := want[uint16(seq)]
		if err != nil || !ok {
			t.Fatalf("tshark line %q: no response time or no such reply", line)
		}
		if d := math.Abs(ms*1e6 - float64(rtt.Nanoseconds())); d > 1000 {
			t.Errorf("seq %d: tshark %.6f ms, the app %v (%.0f ns apart)", seq, ms, rtt, d)
		}
		seen++
	}
	if seen != len(want) {
		t.Fatalf("tshark paired %d replies, the app %d", seen, len(want))
	}
}
