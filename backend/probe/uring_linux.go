//go:build linux

package probe

import (
	"fmt"
	"net/netip"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// sendRecvRing is a tiny io_uring that makes a flood's two socket calls per packet (send the
// request, read what is waiting) one system call: both are queued, then one io_uring_enter
// issues them in order and returns with both results. On loopback and veth hosts the reply
// is already queued by the time the send returns (the kernel answers in the same softirq),
// so the read finds it; otherwise the read reports EAGAIN and the loop waits in ppoll as
// ever. Where system calls are dear (a VM with PTI and no PCID flushes the TLB at each one)
// this is what lets the flood keep up with iputils' C loop. Both operations carry
// MSG_DONTWAIT, so the kernel never parks them (REQ_F_NOWAIT: EAGAIN comes back at once)
// and io_uring_enter cannot block; that is why it may go through rawSyscall6.
//
// The ring is created with no setup flags: SINGLE_ISSUER (and DEFER_TASKRUN, which needs
// it) would tie the ring to one OS thread, and a goroutine moves between threads.
type sendRecvRing struct {
	fd       int
	ringMem  []byte // SQ and CQ rings (one mapping: IORING_FEAT_SINGLE_MMAP, kernel 5.4+)
	sqeMem   []byte
	sqTail   *uint32
	sqMask   uint32
	sqArray  []uint32
	sqes     []uringSQE
	cqHead   *uint32
	cqTail   *uint32
	cqMask   uint32
	cqes     []uringCQE
	sendHdr  unix.Msghdr
	sendIov  unix.Iovec
	recvHdr  unix.Msghdr
	recvIov  unix.Iovec
	recvName unix.RawSockaddrAny
}

// The kernel's structures (include/uapi/linux/io_uring.h); only the fields used are named.
type uringSQOffsets struct {
	head, tail, ringMask, ringEntries, flags, dropped, array, resv1 uint32
	userAddr                                                        uint64
}

type uringCQOffsets struct {
	head, tail, ringMask, ringEntries, overflow, cqes, flags, resv1 uint32
	userAddr                                                        uint64
}

type uringParams struct {
	sqEntries, cqEntries, flags, sqThreadCPU, sqThreadIdle, features, wqFd uint32
	resv                                                                   [3]uint32
	sqOff                                                                  uringSQOffsets
	cqOff                                                                  uringCQOffsets
}

type uringSQE struct {
	opcode, flags uint8
	ioprio        uint16
	fd            int32
	off, addr     uint64
	len, opFlags  uint32
	userData      uint64
	bufIndex      uint16
	personality   uint16
	fileIndex     uint32
	addr3, pad    uint64
}

type uringCQE struct {
	userData uint64
	res      int32
	flags    uint32
}

const (
	uringOpSendmsg        = 9
	uringOpRecvmsg        = 10
	uringOffSQRing        = 0
	uringOffSQEs          = 0x10000000
	uringFeatSingleMmap   = 1 << 0
	uringEnterGetEvents   = 1 << 0
	uringEntries          = 4
	uringUserDataSend     = 1
	uringUserDataRecv     = 2
	uringSQESize          = 64
	uringCQESize          = 16
	uringParamsStructSize = 120
)

// Compile-time checks that the Go structures have the kernel's sizes.
var (
	_ [uringSQESize - unsafe.Sizeof(uringSQE{})]struct{}
	_ [unsafe.Sizeof(uringSQE{}) - uringSQESize]struct{}
	_ [uringCQESize - unsafe.Sizeof(uringCQE{})]struct{}
	_ [unsafe.Sizeof(uringCQE{}) - uringCQESize]struct{}
	_ [uringParamsStructSize - unsafe.Sizeof(uringParams{})]struct{}
	_ [unsafe.Sizeof(uringParams{}) - uringParamsStructSize]struct{}
)

// newSendRecvRing sets up the ring, or says why it cannot (no io_uring in this kernel,
// io_uring_disabled, a seccomp filter: callers then use plain sendto and recvmsg).
func newSendRecvRing() (*sendRecvRing, error) {
	var p uringParams
	fd, errno := rawSyscall6(unix.SYS_IO_URING_SETUP, uringEntries, uintptr(unsafe.Pointer(&p)), 0, 0, 0, 0)
	if errno != 0 {
		return nil, fmt.Errorf("probe: io_uring_setup: %w", unix.Errno(errno))
	}
	r := &sendRecvRing{fd: int(fd)}
	if p.features&uringFeatSingleMmap == 0 {
		r.close()
		return nil, fmt.Errorf("probe: io_uring without IORING_FEAT_SINGLE_MMAP (kernel before 5.4)")
	}
	size := max(uintptr(p.sqOff.array)+uintptr(p.sqEntries)*4, uintptr(p.cqOff.cqes)+uintptr(p.cqEntries)*uringCQESize)
	var err error
	r.ringMem, err = unix.Mmap(r.fd, uringOffSQRing, int(size), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_POPULATE)
	if err != nil {
		r.close()
		return nil, fmt.Errorf("probe: io_uring ring mmap: %w", err)
	}
	r.sqeMem, err = unix.Mmap(r.fd, uringOffSQEs, int(p.sqEntries)*uringSQESize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_POPULATE)
	if err != nil {
		r.close()
		return nil, fmt.Errorf("probe: io_uring SQE mmap: %w", err)
	}
	base := unsafe.Pointer(&r.ringMem[0])
	at := func(off uint32) *uint32 { return (*uint32)(unsafe.Add(base, off)) }
	r.sqTail, r.sqMask = at(p.sqOff.tail), *at(p.sqOff.ringMask)
	r.sqArray = unsafe.Slice(at(p.sqOff.array), p.sqEntries)
	r.cqHead, r.cqTail, r.cqMask = at(p.cqOff.head), at(p.cqOff.tail), *at(p.cqOff.ringMask)
	r.cqes = unsafe.Slice((*uringCQE)(unsafe.Add(base, p.cqOff.cqes)), p.cqEntries)
	r.sqes = unsafe.Slice((*uringSQE)(unsafe.Pointer(&r.sqeMem[0])), p.sqEntries)
	r.sendHdr.Iov, r.sendHdr.Iovlen = &r.sendIov, 1
	r.recvHdr.Iov, r.recvHdr.Iovlen = &r.recvIov, 1
	return r, nil
}

func (r *sendRecvRing) close() {
	if r.sqeMem != nil {
		unix.Munmap(r.sqeMem) //nolint:errcheck
	}
	if r.ringMem != nil {
		unix.Munmap(r.ringMem) //nolint:errcheck
	}
	unix.Close(r.fd)
}

// ringRead is the outcome of the read half of sendRecv, as recvmsg would report it.
type ringRead struct {
	n, oobn, flags int
	errno          unix.Errno // 0: n bytes were read
	from           netip.Addr // the sender
}

// ringResult is what sendRecv learnt: the send's error (0: sent) when sendKnown, and the
// read when readKnown. Both are known unless err is set.
type ringResult struct {
	sendErrno            unix.Errno
	read                 ringRead
	sendKnown, readKnown bool
}

// sendRecv sends msg to the raw sockaddr sa (of length saLen) on fd and then reads one
// message into buf and oob, both with MSG_DONTWAIT, in one io_uring_enter; noName leaves
// the read's source address out, as recvmsg's noName does. An error means the ring is not
// to be used again; res still tells whether the send happened.
func (r *sendRecvRing) sendRecv(fd int, msg []byte, sa unsafe.Pointer, saLen uintptr, buf, oob []byte, noName bool) (res ringResult, err error) {
	r.sendIov.Base = &msg[0]
	r.sendIov.SetLen(len(msg))
	r.sendHdr.Name, r.sendHdr.Namelen = (*byte)(sa), uint32(saLen)
	r.recvIov.Base = &buf[0]
	r.recvIov.SetLen(len(buf))
	r.recvHdr.Name, r.recvHdr.Namelen = (*byte)(unsafe.Pointer(&r.recvName)), uint32(unsafe.Sizeof(r.recvName))
	if noName {
		r.recvHdr.Name, r.recvHdr.Namelen = nil, 0
	}
	r.recvHdr.Control, r.recvHdr.Flags = &oob[0], 0
	r.recvHdr.SetControllen(len(oob))

	tail := atomic.LoadUint32(r.sqTail)
	r.queue(tail, uringOpSendmsg, fd, &r.sendHdr, uringUserDataSend)
	r.queue(tail+1, uringOpRecvmsg, fd, &r.recvHdr, uringUserDataRecv)
	atomic.StoreUint32(r.sqTail, tail+2) // publishes both entries to the kernel

	const want = 2
	for tries := 0; ; tries++ {
		// io_uring_enter returns the number submitted when it submitted any, so an error
		// means nothing was: after EINTR (Go's handlers restart system calls, so hardly
		// ever) the entries are still queued and the call can be made again.
		_, errno := rawSyscall6(unix.SYS_IO_URING_ENTER, uintptr(r.fd), want, want, uringEnterGetEvents, 0, 0)
		if errno == 0 {
			break
		}
		if unix.Errno(errno) != unix.EINTR || tries == 3 {
			return res, fmt.Errorf("probe: io_uring_enter: %w", unix.Errno(errno))
		}
	}
	// Without IORING_SETUP_SUBMIT_ALL, submission stops at an entry that fails before it
	// is issued (its completion carries the error) and leaves the rest queued: a missing
	// completion below then ends the ring's use, and closing it discards the leftover.
	for head := atomic.LoadUint32(r.cqHead); head != atomic.LoadUint32(r.cqTail); head++ {
		c := r.cqes[head&r.cqMask]
		switch c.userData {
		case uringUserDataSend:
			res.sendKnown = true
			if c.res < 0 {
				res.sendErrno = unix.Errno(-c.res)
			}
		case uringUserDataRecv:
			res.readKnown = true
			rd := &res.read
			if c.res < 0 {
				rd.errno = unix.Errno(-c.res)
			} else {
				rd.n = int(c.res)
				rd.oobn = int(r.recvHdr.Controllen)
				rd.flags = int(r.recvHdr.Flags)
				if !noName {
					rd.from = nameAddr(&r.recvName, r.recvHdr.Namelen)
				}
			}
		}
		atomic.StoreUint32(r.cqHead, head+1)
	}
	if !res.sendKnown || !res.readKnown {
		// Not expected with MSG_DONTWAIT. An operation still in flight would complete
		// into a later call; the caller gives up the ring (closing it cancels them).
		return res, fmt.Errorf("probe: io_uring_enter returned without both completions (send %v, read %v)", res.sendKnown, res.readKnown)
	}
	return res, nil
}

// queue fills submission entry number n (a position in the ring, not yet published).
func (r *sendRecvRing) queue(n uint32, op uint8, fd int, hdr *unix.Msghdr, userData uint64) {
	i := n & r.sqMask
	r.sqes[i] = uringSQE{opcode: op, fd: int32(fd), addr: uint64(uintptr(unsafe.Pointer(hdr))),
		len: 1, opFlags: unix.MSG_DONTWAIT, userData: userData}
	r.sqArray[i] = i
}
