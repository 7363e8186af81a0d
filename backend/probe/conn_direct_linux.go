//go:build linux

package probe

import (
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// direct is the state of a socket in direct mode: a plain file descriptor, kept out of Go's
// poller (every packet would otherwise also wake the poller's epoll on the other core), read
// with MSG_DONTWAIT and waited on with ppoll together with an eventfd that Interrupt signals.
type direct struct {
	mu          sync.Mutex // orders Interrupt (any goroutine) against close of the eventfd
	wakeClosed  bool
	on          bool
	fd          int
	wakeFd      int // eventfd: Interrupt writes it, Wait polls it
	interrupted bool
	// batchTX: TX timestamps stay in the error queue until ReadErrorQueue collects them.
	batchTX bool
	// filter: the raw IPv4 BPF program, held back until AttachFilter (filter_linux.go).
	filter *unix.SockFprog
	batch  *errQueueBatch
	// The destination as a raw sockaddr, built once per target instead of per send.
	dst   netip.Addr
	sa4   unix.RawSockaddrInet4
	sa6   unix.RawSockaddrInet6
	saLen uintptr
	pfd   [2]unix.PollFd
}

func (d *direct) open(fd int) error {
	w, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		return fmt.Errorf("probe: eventfd for the direct loop: %w", err)
	}
	d.on, d.fd, d.wakeFd = true, fd, w
	return nil
}

func (d *direct) close() error {
	d.mu.Lock()
	d.wakeClosed = true
	unix.Close(d.wakeFd)
	d.mu.Unlock()
	if err := unix.Close(d.fd); err != nil {
		return fmt.Errorf("probe: close: %w", err)
	}
	return nil
}

// Direct reports whether the loop must drive this socket itself (see directConn).
func (c *linuxConn) Direct() bool { return c.direct.on }

// TryReceive is one non-blocking read (see receiveFrom).
func (c *linuxConn) TryReceive(in *inbound) error {
	if c.closed.Load() {
		return fmt.Errorf("%w: direct socket", ErrClosed)
	}
	err, wouldBlock := c.receiveFrom(c.direct.fd, in)
	if wouldBlock {
		return errWouldBlock
	}
	return err
}

// receiveDirect is Receive for a socket in direct mode (used only by its owner goroutine).
func (c *linuxConn) receiveDirect(in *inbound) error {
	for {
		err := c.TryReceive(in)
		if !errors.Is(err, errWouldBlock) {
			return err
		}
		if err := c.Wait(-1); errors.Is(err, errInterrupted) {
			return fmt.Errorf("%w: %w", ErrClosed, err)
		}
	}
}

// Wait blocks in ppoll (a blocking system call the scheduler knows about, so the thread's P
// is handed on while it sleeps) until the socket is readable, Interrupt, or d.
func (c *linuxConn) Wait(d time.Duration) error {
	return c.waitFor(unix.POLLIN, d)
}

func (c *linuxConn) waitFor(events int16, d time.Duration) error {
	dm := &c.direct
	if dm.interrupted {
		return errInterrupted
	}
	dm.pfd = [2]unix.PollFd{{Fd: int32(dm.fd), Events: events}, {Fd: int32(dm.wakeFd), Events: unix.POLLIN}}
	var ts *unix.Timespec
	if d >= 0 {
		t := unix.NsecToTimespec(int64(d))
		ts = &t
	}
	_, err := unix.Ppoll(dm.pfd[:], ts, nil)
	if err != nil && !errors.Is(err, unix.EINTR) {
		return fmt.Errorf("probe: ppoll: %w", err)
	}
	if dm.pfd[1].Revents != 0 {
		dm.interrupted = true
		return errInterrupted
	}
	if dm.pfd[0].Revents&unix.POLLERR != 0 {
		// Something waits in the error queue that no pending send accounts for (a queued
		// ICMP error): read it next, or ppoll would return at once forever.
		c.errPending = true
	}
	return nil
}

// Interrupt wakes Wait through the eventfd.
func (c *linuxConn) Interrupt() {
	dm := &c.direct
	dm.mu.Lock()
	defer dm.mu.Unlock()
	if dm.wakeClosed {
		return // the socket is closed: nobody waits any more
	}
	var one = [8]byte{1}
	// A full counter (EAGAIN) means it is signalled already.
	unix.Write(dm.wakeFd, one[:]) //nolint:errcheck
}

// sendDirect writes with sendto on the plain descriptor. MSG_DONTWAIT and RawSyscall: the
// call cannot block, so the scheduler need not be told; a full send buffer waits in ppoll.
func (c *linuxConn) sendDirect(msg []byte, dst netip.Addr) (time.Time, error) {
	dm := &c.direct
	if dst != dm.dst || dm.saLen == 0 {
		dm.dst = dst
		if c.v6 {
			dm.sa6 = unix.RawSockaddrInet6{Family: unix.AF_INET6, Addr: dst.As16(), Scope_id: zoneIndex(dst.Zone())}
			dm.saLen = unsafe.Sizeof(dm.sa6)
		} else {
			dm.sa4 = unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: dst.As4()}
			dm.saLen = unsafe.Sizeof(dm.sa4)
		}
	}
	sa := unsafe.Pointer(&dm.sa4)
	if c.v6 {
		sa = unsafe.Pointer(&dm.sa6)
	}
	for {
		if c.closed.Load() {
			return time.Now(), fmt.Errorf("%w: direct socket", ErrClosed)
		}
		sent := time.Now()
		if c.txStamps {
			c.txPending.Add(1) // before the send: the stamp may be queued before sendto returns
		}
		_, e := rawSyscall6(unix.SYS_SENDTO, uintptr(dm.fd), uintptr(unsafe.Pointer(&msg[0])),
			uintptr(len(msg)), unix.MSG_DONTWAIT, uintptr(sa), dm.saLen)
		if e == 0 {
			return sent, nil
		}
		errno := unix.Errno(e)
		if c.txStamps {
			c.txPending.Add(-1) // no packet, no stamp
		}
		if errno != unix.EAGAIN {
			return sent, c.sendError(dst, errno)
		}
		if err := c.waitFor(unix.POLLOUT, time.Second); errors.Is(err, errInterrupted) {
			return sent, fmt.Errorf("%w: %w", ErrClosed, err)
		}
	}
}
