//go:build linux

package probe

import (
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// WaitHeld is Wait without telling the scheduler: ppoll through a raw system call, so the
// goroutine keeps its processor while the thread sleeps. A monitor's direct loop sleeps
// about a millisecond at a time (1000 targets at 1 s); a blocking call of that length
// makes the runtime's monitor thread take the processor away after its 20 µs tick and
// wake another thread for it, and the loop's return then waits for a processor again: at
// 1000 sleeps a second that hand-off cost more than everything it replaced (a thread
// wake-up and a futex each way, docs/benchmarks.md). The caller keeps d short (the loop
// yields the processor every few milliseconds in any case), since nothing else of the
// process runs on this processor meanwhile and a stop of the world waits for it.
func (c *linuxConn) WaitHeld(d time.Duration) error {
	dm := &c.direct
	if dm.interrupted {
		return errInterrupted
	}
	dm.pfd = [2]unix.PollFd{{Fd: int32(dm.fd), Events: unix.POLLIN}, {Fd: int32(dm.wakeFd), Events: unix.POLLIN}}
	ts := unix.NsecToTimespec(int64(max(d, 0)))
	_, errno := rawSyscall6(unix.SYS_PPOLL, uintptr(unsafe.Pointer(&dm.pfd[0])), 2,
		uintptr(unsafe.Pointer(&ts)), 0, 0, 0)
	if errno != 0 && unix.Errno(errno) != unix.EINTR {
		return unix.Errno(errno)
	}
	if dm.pfd[1].Revents != 0 {
		dm.interrupted = true
		return errInterrupted
	}
	if dm.pfd[0].Revents&unix.POLLERR != 0 {
		c.errPending = true // as waitFor: read the error queue next
	}
	return nil
}
