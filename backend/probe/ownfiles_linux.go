//go:build linux

package probe

import (
	"runtime"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// A Go process has several threads, and they share one file table; so every system call on
// a descriptor (the flood's sendto and recvmsg, ppoll) takes a reference to the file and
// drops it again, an atomic pair on a shared counter that single-threaded iputils never pays
// (the kernel's fdget skips it when the calling thread's table is not shared: "fput" in a
// profile of the flood, absent from iputils'). onOwnFileTable gives the flood's loop a thread
// whose table is its own: a new goroutine, locked to a thread (never the main one, see
// loopOnOwnThread), which unshares its file table (unshare(CLONE_FILES): the thread gets a
// copy, in which every descriptor open at that moment names the same open file as in the
// process's table).
//
// What that costs, and how it is handled:
//   - The thread must never run anything else: the goroutine is never unlocked, so when it
//     returns the runtime ends the thread (and the copy of the table with it).
//   - Descriptors opened afterwards by other threads are not in the copy: the socket, its
//     eventfd and its ring are all opened before the loop starts, and the runtime's network
//     poller is started first (ensurePoller), since a timer set on this thread may write its
//     eventfd.
//   - A descriptor open in both tables is released only when both close it: the caller closes
//     the conn's in the process's table as before (after the loop), and the loop's thread
//     closes its copies (ownDescriptors) before it reports that the loop is over, so the
//     socket is gone when Run returns. Anything else open when the flood started (another
//     session's socket closed meanwhile, a pipe) stays open in the copy until the flood ends.
//   - A locked goroutine that yields to the scheduler hands its processor to another thread
//     and back (futex wake-ups, two context switches): the loop does not call Gosched on its
//     own thread (runDirect) and is only preempted by the runtime's monitor every 10 ms.
//
// If unshare fails (a seccomp filter, say) the thread is unlocked again and the loop runs on
// it with the shared table, as before. Measured in scripts/bench/floodcalls (docs/benchmarks.md).
func onOwnFileTable(dc directConn, loop func(ownThread bool)) {
	ensurePoller()
	done := make(chan struct{})
	go loopOnOwnThread(dc, loop, done, nil)
	<-done
}

// loopOnOwnThread is onOwnFileTable's goroutine. It must not keep the process's main thread:
// that thread's table is the one /proc/PID/fd shows, and the runtime never ends it (a
// goroutine that exits locked to it wedges it instead), so its copy would stay, with every
// descriptor in it, for the process's life. On the main thread (the caller waiting for the
// loop has just left it free) it holds that thread while it starts its successor, which
// therefore gets another one, and lets go once the successor has locked its own (taken).
func loopOnOwnThread(dc directConn, loop func(ownThread bool), done, taken chan struct{}) {
	runtime.LockOSThread()
	if unix.Gettid() == unix.Getpid() {
		next := make(chan struct{})
		go loopOnOwnThread(dc, loop, done, next)
		<-next
		runtime.UnlockOSThread()
		return
	}
	if taken != nil {
		close(taken)
	}
	defer close(done)
	if err := unix.Unshare(unix.CLONE_FILES); err != nil {
		runtime.UnlockOSThread()
		loop(false)
		return
	}
	// Never unlocked (see onOwnFileTable): the runtime ends this thread when the goroutine
	// returns.
	loop(true)
	if o, ok := dc.(ownDescriptors); ok {
		for _, fd := range o.descriptors() {
			unix.Close(fd) //nolint:errcheck // this thread's copy; the table goes with the thread
		}
	}
}

// ownDescriptors is a directConn whose descriptors the loop's thread closes in its own
// table when the loop is over (see onOwnFileTable).
type ownDescriptors interface {
	descriptors() []int
}

var pollerStarted sync.Once

// ensurePoller makes sure the runtime's network poller exists (its epoll and eventfd
// descriptors are opened when the first timer is set): opened later by another thread,
// they would be missing from the loop thread's table, and a timer set from that thread
// writes the poller's eventfd.
func ensurePoller() {
	pollerStarted.Do(func() { time.AfterFunc(time.Hour, func() {}).Stop() })
}
