//go:build linux

package probe

import (
	"errors"
	"fmt"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// errQueueSlots is how many error-queue messages one recvmmsg collects. TX timestamps carry
// no data (OPT_TSONLY); the rarer queued errors carry our request, cut at errQueueData.
const (
	errQueueSlots = 32
	errQueueData  = 2048
	errQueueOOB   = 256
)

// mmsghdr is struct mmsghdr: a msghdr and the length received, padded to pointer size.
type mmsghdr struct {
	hdr unix.Msghdr
	n   uint32
	_   [unsafe.Sizeof(uintptr(0)) - 4]byte
}

// errQueueBatch is the memory of one recvmmsg over the error queue, allocated once.
type errQueueBatch struct {
	msgs  [errQueueSlots]mmsghdr
	iov   [errQueueSlots]unix.Iovec
	names [errQueueSlots]unix.RawSockaddrAny
	data  [errQueueSlots][errQueueData]byte
	oob   [errQueueSlots][errQueueOOB]byte
}

// BatchesTX reports whether TX timestamps wait in the error queue for ReadErrorQueue.
func (c *linuxConn) BatchesTX() bool { return c.direct.on && c.direct.batchTX }

// ReadErrorQueue empties the error queue with recvmmsg, errQueueSlots messages per call.
func (c *linuxConn) ReadErrorQueue(stamp func(key uint32, t time.Time), other func(in *inbound)) error {
	dm := &c.direct
	if dm.batch == nil {
		dm.batch = new(errQueueBatch)
	}
	b := dm.batch
	var in inbound
	for {
		for i := range b.msgs {
			b.iov[i] = unix.Iovec{Base: &b.data[i][0]}
			b.iov[i].SetLen(errQueueData)
			b.msgs[i] = mmsghdr{hdr: unix.Msghdr{Name: (*byte)(unsafe.Pointer(&b.names[i])),
				Namelen: uint32(unsafe.Sizeof(b.names[i])), Iov: &b.iov[i], Iovlen: 1, Control: &b.oob[i][0]}}
			b.msgs[i].hdr.SetControllen(errQueueOOB)
		}
		// MSG_DONTWAIT: cannot block, so RawSyscall (as recvmsg).
		r, _, errno := unix.RawSyscall6(unix.SYS_RECVMMSG, uintptr(dm.fd), uintptr(unsafe.Pointer(&b.msgs[0])),
			errQueueSlots, unix.MSG_ERRQUEUE|unix.MSG_DONTWAIT, 0, 0)
		if errno == unix.EAGAIN {
			return nil
		}
		if errno != 0 {
			return fmt.Errorf("probe: recvmmsg (error queue): %w", errno)
		}
		n := int(r)
		for i := range n {
			m := &b.msgs[i]
			nameLen := min(int(m.hdr.Namelen), int(unsafe.Sizeof(b.names[i])))
			from := rawSockaddrAddr(unsafe.Slice((*byte)(unsafe.Pointer(&b.names[i])), nameLen))
			data := b.data[i][:min(int(m.n), errQueueData)]
			err := c.fillQueued(&in, data, b.oob[i][:m.hdr.Controllen], int(m.hdr.Flags), from)
			switch {
			case in.kind == inboundTXStamp:
				c.txPending.Add(-1)
				if err == nil {
					stamp(in.txKey, in.txTime)
				}
			case err == nil:
				other(&in)
			case !errors.Is(err, errSkip):
				// An unreadable control message: the entry is lost, the next ones are not.
			}
		}
		// A short batch emptied the queue; with no stamp outstanding, another call would
		// most likely find nothing (a late queued error still shows as POLLERR in Wait).
		if n < errQueueSlots || c.txPending.Load() <= 0 {
			return nil
		}
	}
}
