package service

import (
	"bufio"
	"echoscope/backend/capture"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"echoscope/backend/probe"
)

// A capture taken by dumpcap on loopback while Echoscope pings 127.0.0.1 imports as the
// same session: every one of our replies on time, matched by the session token as live.
// Other processes' pings on loopback become flows of their own.
func TestImportOfALiveLoopbackCapture(t *testing.T) {
	dumpcap, err := exec.LookPath("dumpcap")
	if err != nil {
		t.Skip("dumpcap not installed")
	}
	dir := t.TempDir()
	svc, rec := newServiceAt(t, dir)
	if os.Geteuid() != 0 {
		t.Skip("needs root for raw ICMP sockets and capturing")
	}
	file := filepath.Join(t.TempDir(), "live.pcapng")
	capture := exec.Command(dumpcap, "-i", "lo", "-f", "icmp", "-w", file)
	stderr, err := capture.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := capture.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { capture.Process.Kill(); capture.Wait() }) //nolint:errcheck // may have exited
	// dumpcap says "Capturing on 'Loopback: lo'" once its filter is in place.
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		said := false
		for sc.Scan() {
			if !said && strings.Contains(sc.Text(), "Capturing on") {
				said = true
				ready <- true
			}
		}
		if !said {
			ready <- false
		}
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatal("dumpcap exited before capturing")
		}
	case <-time.After(30 * time.Second): // a failure deadline, not a timing assertion
		t.Fatal("dumpcap did not start capturing")
	}

	sess, err := svc.Start(PingRequest{Target: "127.0.0.1", Count: 10, IntervalMs: 20, TimeoutMs: 2000})
	if err != nil {
		t.Fatal(err)
	}
	end := waitEnded(t, rec)
	ourID := firstSendID(t, svc, sess.ID)
	// The kernel hands packets to dumpcap in blocks; stop it only once our last reply is in
	// the file, or it may stop with them still in its ring.
	for deadline := time.Now().Add(30 * time.Second); !fileHasReply(file, ourID, 10); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) { // a failure deadline, not a timing assertion
			t.Fatal("our last reply never reached the capture file")
		}
	}
	if err := capture.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := capture.Wait(); err != nil {
		t.Fatalf("dumpcap: %v", err)
	}

	imp, err := svc.importCaptureFrom(file)
	if err != nil {
		t.Fatal(err)
	}
	live, err := svc.openNow(t, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Our requests are the ones carrying our identifier; find them among everything captured.
	ours := map[string]int{}
	var rules []string
	for off := 0; ; off += MaxPageRows {
		p, err := svc.Rows(imp.SessionID, off, MaxPageRows)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Rows {
			if r.ID != ourID || (r.Kind != "send" && r.Kind != "reply") {
				continue
			}
			ours[r.Kind+":"+r.Class]++
			if r.Kind == "reply" && r.Class == "on-time" {
				d, err := svc.Packet(imp.SessionID, int(r.N))
				if err != nil {
					t.Fatal(err)
				}
				rules = append(rules, d.Rule)
			}
		}
		if len(p.Rows) < MaxPageRows {
			break
		}
	}
	// dumpcap drops packets when other tests flood loopback: judge what the file holds.
	requests, replies := capturedEchoes(t, file, ourID)
	matched := ours["reply:on-time"]
	if requests < 10 {
		matched += ours["reply:foreign"] // a reply whose request dumpcap dropped matches none
	}
	if replies == 0 || ours["send:"] != requests || matched != replies || requests > 10 ||
		uint64(replies) > live.Stats.Received {
		t.Fatalf("imported our session as %v; the file has %d requests and %d replies of ours, live had %d replies (%+v)",
			ours, requests, replies, live.Stats.Received, end)
	}
	for _, r := range rules {
		if r != string(probe.RuleIDSeqToken) {
			t.Fatalf("imported replies matched by %q, want %q as live", r, probe.RuleIDSeqToken)
		}
	}
}

// firstSendID is the identifier a session's requests carry.
func firstSendID(t *testing.T, svc *PingService, id string) uint16 {
	t.Helper()
	page, err := svc.Rows(id, 0, MaxPageRows)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Rows {
		if r.Kind == "send" {
			return r.ID
		}
	}
	t.Fatal("no request in the session")
	return 0
}

// fileHasReply: the capture file (being written) holds the echo reply (id, seq).
func fileHasReply(path string, id, seq uint16) bool {
	found := false
	eachEcho(path, id, func(typ uint8, s uint16) { found = found || (typ == 0 && s == seq) })
	return found
}

// capturedEchoes counts the echo requests and replies with identifier id in the file.
func capturedEchoes(t *testing.T, path string, id uint16) (requests, replies int) {
	t.Helper()
	eachEcho(path, id, func(typ uint8, _ uint16) {
		switch typ {
		case 8:
			requests++
		case 0:
			replies++
		}
	})
	return requests, replies
}

// eachEcho calls fn with the type and sequence of every ICMP echo message with identifier
// id in a loopback capture (Ethernet framing, IPv4 without options).
func eachEcho(path string, id uint16, fn func(typ uint8, seq uint16)) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	r, err := capture.NewReader(f)
	if err != nil {
		return
	}
	for {
		fr, err := r.Next() // a file being written may end in half a block: stop there
		if err != nil {
			return
		}
		// Ethernet (14) + IPv4 (20, protocol 1) + echo: type, code, checksum, id, seq.
		if len(fr.Data) >= 42 && fr.Data[23] == 1 && binary.BigEndian.Uint16(fr.Data[38:]) == id {
			fn(fr.Data[34], binary.BigEndian.Uint16(fr.Data[40:]))
		}
	}
}
