//go:build linux

package probe

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
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

	// ring sends and reads in one system call (uring_linux.go); nil where io_uring is not
	// available or was switched off (noRingEnv), and the loop then calls sendto and
	// recvmsg. The read that rode along with the last send waits in stash until
	// TryReceive, in the ring's own buffers (rxBuf, rxOob), while stashed.
	ring    *sendRecvRing
	dropped *sendRecvRing // a ring given up during the loop, closed with the socket
	rxBuf   []byte
	rxOob   []byte
	stash   ringRead
	stashed bool
	// trial measures the ring against plain calls on the first sends and keeps the faster
	// (flood_path.go); its zero value keeps the ring (forceRingEnv).
	trial pathTrial
	// Sends through the ring and through sendto while a ring exists (tests check the paths
	// taken).
	ringSends, plainSends uint64
}

// noRingEnv, set to 1, keeps direct mode on plain sendto and recvmsg (to compare the two,
// or to rule the ring out when chasing a problem); forceRingEnv, set to 1, sends every
// request through the ring without measuring which path is faster (see flood_path.go).
const (
	noRingEnv    = "ECHOSCOPE_NO_IO_URING"
	forceRingEnv = "ECHOSCOPE_FORCE_IO_URING"
)

func (d *direct) open(fd int) error {
	w, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		return fmt.Errorf("probe: eventfd for the direct loop: %w", err)
	}
	d.on, d.fd, d.wakeFd = true, fd, w
	if os.Getenv(noRingEnv) != "1" {
		// Without a ring (an old kernel, io_uring_disabled, a container's seccomp
		// filter) the loop works as well, with one system call more per packet.
		if r, err := newSendRecvRing(); err == nil {
			d.ring, d.rxBuf, d.rxOob = r, make([]byte, 65536+64), make([]byte, 512)
			if os.Getenv(forceRingEnv) != "1" {
				d.trial = newPathTrial()
			}
		}
	}
	return nil
}

// dropRing stops using the ring for good (it failed once: its state is unknown). It is
// closed with the socket, not now: the loop may run on a thread with its own file table
// (ownfiles_linux.go), where a close would leave the process's copy open.
func (d *direct) dropRing() {
	d.dropped, d.ring, d.stashed = d.ring, nil, false
}

// descriptors are the socket's, its eventfd's and its ring's (see ownDescriptors).
func (c *linuxConn) descriptors() []int {
	dm := &c.direct
	fds := []int{dm.fd, dm.wakeFd}
	for _, r := range []*sendRecvRing{dm.ring, dm.dropped} {
		if r != nil {
			fds = append(fds, r.fd)
		}
	}
	return fds
}

func (d *direct) close() error {
	d.mu.Lock()
	d.wakeClosed = true
	unix.Close(d.wakeFd)
	d.mu.Unlock()
	for _, r := range []*sendRecvRing{d.ring, d.dropped} {
		if r != nil {
			r.close() // the loop is over: Close comes after Run returns
		}
	}
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
	if dm := &c.direct; dm.stashed {
		// The read made together with the last send: the socket's first message then.
		dm.stashed = false
		rd := &dm.stash
		var e error
		if rd.errno != 0 {
			e = rd.errno
		}
		err, wouldBlock := c.afterRecv(in, dm.rxBuf[:rd.n], dm.rxOob[:rd.oobn], rd.flags, rd.from, e)
		if wouldBlock {
			return errWouldBlock
		}
		return err
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
	var pathChosen, useRing bool
	for {
		if c.closed.Load() {
			return time.Now(), fmt.Errorf("%w: direct socket", ErrClosed)
		}
		sent := time.Now()
		if c.txStamps {
			c.txPending.Add(1) // before the send: the stamp may be queued before sendto returns
		}
		if !pathChosen {
			// Once per request, also when EAGAIN makes it wait and try again.
			pathChosen, useRing = true, dm.ring != nil && dm.trial.next(sent)
		}
		var e uintptr
		if ringSent, ringErrno := c.sendAndRead(msg, sa, useRing); ringSent {
			e = uintptr(ringErrno)
		} else {
			if dm.ring != nil {
				dm.plainSends++
			}
			_, e = rawSyscall6(unix.SYS_SENDTO, uintptr(dm.fd), uintptr(unsafe.Pointer(&msg[0])),
				uintptr(len(msg)), unix.MSG_DONTWAIT, uintptr(sa), dm.saLen)
		}
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

// sendAndRead sends msg through the ring together with a read of the socket, whose result
// waits in the stash for TryReceive. It reports whether the send was made (and its errno);
// false when the ring is not to be used for this request (useRing: the path trial's
// choice) or cannot be used now, and the caller sends with sendto.
func (c *linuxConn) sendAndRead(msg []byte, sa unsafe.Pointer, useRing bool) (sent bool, errno unix.Errno) {
	dm := &c.direct
	// A pending error-queue read (receiveFrom) or an unread stash must come first: the
	// ring's read would overtake them.
	if !useRing || dm.ring == nil || dm.stashed || c.errPending {
		return false, 0
	}
	res, err := dm.ring.sendRecv(dm.fd, msg, sa, dm.saLen, dm.rxBuf, dm.rxOob, c.nameInHeader)
	if err != nil {
		dm.dropRing()
		if res.readKnown {
			dm.stash, dm.stashed = res.read, true // a message it did read is not to be lost
		}
		return res.sendKnown, res.sendErrno
	}
	dm.ringSends++
	dm.stash, dm.stashed = res.read, true
	return true, res.sendErrno
}
