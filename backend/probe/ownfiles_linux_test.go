//go:build linux

package probe

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// kcmpFiles is the KCMP_FILES type of kcmp(2): do two tasks share one file table?
const kcmpFiles = 2

// threadsWithOwnFiles counts this process's threads whose file table is not the main
// thread's (kcmp: 0 means the same table).
func threadsWithOwnFiles(t *testing.T) int {
	t.Helper()
	pid := os.Getpid()
	dir, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Fatal(err)
	}
	own := 0
	for _, d := range dir {
		tid, err := strconv.Atoi(d.Name())
		if err != nil || tid == pid {
			continue
		}
		r, _, e := unix.Syscall6(unix.SYS_KCMP, uintptr(pid), uintptr(tid), kcmpFiles, 0, 0, 0)
		if e == unix.ESRCH {
			continue // the thread ended meanwhile
		}
		if e != 0 {
			t.Fatalf("kcmp(%d, %d, KCMP_FILES): %v", pid, tid, e)
		}
		if r != 0 {
			own++
		}
	}
	return own
}

// rawSocketOpen reports whether a raw IPv4 socket with this inode exists in the current
// network namespace (/proc/net/raw, whatever table holds it).
func rawSocketOpen(t *testing.T, inode uint64) bool {
	t.Helper()
	b, err := os.ReadFile("/proc/net/raw")
	if err != nil {
		t.Fatal(err)
	}
	want := strconv.FormatUint(inode, 10)
	for _, line := range strings.Split(string(b), "\n")[1:] {
		// sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
		if f := strings.Fields(line); len(f) > 9 && f[9] == want {
			return true
		}
	}
	return false
}

// TestFloodLoopHasItsOwnFileTable: while a flood runs, exactly one thread of the process
// has a file table of its own (the loop's, ownfiles_linux.go), none before; every request
// is answered through the copies of the socket in it; when Run returns the socket is
// released in both tables, not left open in the loop thread's copy; and the thread then
// ends (the main thread, which the runtime never ends, must not have been the one).
func TestFloodLoopHasItsOwnFileTable(t *testing.T) {
	requireRoot(t)
	if n := threadsWithOwnFiles(t); n != 0 {
		t.Fatalf("%d threads with their own file table before the flood", n)
	}
	const n = 20000 // long enough to look at the threads while it runs
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var session *Session
	type seen struct {
		own   int
		inode uint64
		err   error
	}
	during := make(chan seen, 1)
	s, err := NewSession(Options{Target: "127.0.0.1", Socket: SocketRaw, Count: n, Flood: true,
		Timeout: 5 * time.Second}, RootPolicy(), func(ev Event) {
		if ev.Kind != EventReply || ev.Index != 1 {
			return
		}
		var st unix.Stat_t
		err := unix.Fstat(session.conn.(*linuxConn).direct.fd, &st)
		if err != nil {
			err = fmt.Errorf("fstat of the flood's socket: %w", err)
		}
		during <- seen{own: threadsWithOwnFiles(t), inode: st.Ino, err: err}
	})
	if err != nil {
		t.Fatal(err)
	}
	session = s
	sum, err := s.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Sent != n || sum.Received != n {
		t.Fatalf("summary %+v", sum.Stats)
	}
	var d seen
	select {
	case d = <-during:
	default:
		t.Fatal("no reply event with index 1")
	}
	if d.err != nil {
		t.Fatal(d.err)
	}
	if d.own != 1 {
		t.Errorf("%d threads with their own file table during the flood, want 1 (the loop's)", d.own)
	}
	if rawSocketOpen(t, d.inode) {
		t.Errorf("the flood's socket (inode %d) is still open after Run returned", d.inode)
	}
	// The runtime ends the loop's thread just after the goroutine returns, not before Run
	// does: wait for it, with a bound far above what it takes.
	for deadline := time.Now().Add(10 * time.Second); threadsWithOwnFiles(t) != 0; {
		if time.Now().After(deadline) {
			t.Fatalf("%d threads still have their own file table 10 s after the flood", threadsWithOwnFiles(t))
		}
		time.Sleep(time.Millisecond)
	}
}

// TestRingDroppedOnOwnThreadIsClosed: a ring the loop gives up on its own thread (after a
// failure) is closed in the process's table too, with the socket: closed on that thread
// alone, the process's copy of its descriptor would stay open for good.
func TestRingDroppedOnOwnThreadIsClosed(t *testing.T) {
	requireRoot(t)
	if !ringAvailable(t) {
		t.Skip("io_uring is not available")
	}
	t.Setenv(forceRingEnv, "1")
	o := Options{Target: "127.0.0.1", Socket: SocketRaw, Flood: true}
	c, err := openLinux(SocketRaw, false, &o, netip.MustParseAddr("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	if c.direct.ring == nil {
		t.Fatal("no ring on a direct socket where io_uring is available")
	}
	ringFd := c.direct.ring.fd
	var onOwn bool
	onOwnFileTable(c, func(own bool) {
		onOwn = own
		c.direct.dropRing()
	})
	if !onOwn {
		t.Fatal("the loop did not run on a thread with its own file table")
	}
	if _, err := unix.FcntlInt(uintptr(ringFd), unix.F_GETFD, 0); err != nil {
		t.Fatalf("the dropped ring's descriptor is already closed in the process's table: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := unix.FcntlInt(uintptr(ringFd), unix.F_GETFD, 0); err != unix.EBADF {
		t.Fatalf("the dropped ring's descriptor %d is still open after Close (%v)", ringFd, err)
	}
}
