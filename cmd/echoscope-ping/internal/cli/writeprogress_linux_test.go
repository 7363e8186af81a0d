package cli

import (
	"bytes"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"echoscope/backend/probe"
)

// openPTY returns a pseudo-terminal's two ends (master, the terminal).
func openPTY(t *testing.T) (*os.File, *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	if err := unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(master.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close() })
	return master, tty
}

func TestIsTerminalTellsAPipeFromATerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if isTerminal(w) || isTerminal(&bytes.Buffer{}) {
		t.Fatal("a pipe or a buffer was taken for a terminal")
	}
	_, tty := openPTY(t)
	if !isTerminal(tty) {
		t.Fatal("a pseudo-terminal was not taken for a terminal")
	}
}

func TestWriteProgressOnlyOnATerminalForLongWrites(t *testing.T) {
	long := int64(slowWriteBytesPerSec) * 3
	if showWriteProgress(false, long, slowWriteBytesPerSec) {
		t.Fatal("progress in a pipe")
	}
	if showWriteProgress(true, slowWriteBytesPerSec/2, slowWriteBytesPerSec) {
		t.Fatal("progress for a write of half a second")
	}
	if !showWriteProgress(true, long, slowWriteBytesPerSec) {
		t.Fatal("no progress for a three-second write on a terminal")
	}
}

// heldRecorder is a --pcap recorder holding n echo requests that nothing answered yet (the
// flush at the end writes them all), its "slow" size lowered so that this flush counts as long.
func heldRecorder(t *testing.T, n int) *recorder {
	t.Helper()
	rec, err := openRecorder(&cliConfig{pcapPath: filepath.Join(t.TempDir(), "held.pcapng")})
	if err != nil {
		t.Fatal(err)
	}
	lo := netip.MustParseAddr("127.0.0.1")
	rec.start(lo)
	rec.slowBytes = 1000
	t0 := time.Now()
	for i := range n {
		icmp := make([]byte, 64)
		icmp[0] = 8 // echo request
		icmp[6], icmp[7] = byte(i>>8), byte(i)
		rec.event(probe.Event{Kind: probe.EventSend, Index: uint64(i + 1), Seq: uint16(i), ID: 7, Bytes: icmp,
			From: lo, To: lo, TTL: 64, ICMPType: 8, Size: 64, Sent: probe.Timestamp{Time: t0.Add(time.Duration(i) * time.Millisecond)}})
	}
	if rec.pcap.Pending() != n {
		t.Fatalf("%d rows held, want %d", rec.pcap.Pending(), n)
	}
	return rec
}

// The same long flush: progress on a terminal, not a byte of it in a pipe.
func TestRecorderFlushProgressOnATerminalNeverInAPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := heldRecorder(t, 200).finish(w); err != nil {
		t.Fatal(err)
	}
	w.Close()
	piped, _ := io.ReadAll(r)
	r.Close()
	if len(piped) != 0 {
		t.Fatalf("a pipe got %q", piped)
	}

	master, tty := openPTY(t)
	if err := heldRecorder(t, 200).finish(tty); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	n, err := master.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(buf[:n]); !strings.Contains(got, "writing held.pcapng:") || !strings.Contains(got, " MB") {
		t.Fatalf("the terminal got %q", got)
	}
}
