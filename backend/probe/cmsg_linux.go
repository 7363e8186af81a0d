//go:build linux

package probe

import (
	"encoding/binary"
	"net/netip"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// parseTimespec reads the first struct timespec (64-bit seconds and nanoseconds on the
// platforms Go supports with SO_TIMESTAMPNS_OLD == SO_TIMESTAMPNS) of a control message.
// For SCM_TIMESTAMPING the first of its three timespecs is the software timestamp.
func parseTimespec(b []byte) (time.Time, bool) {
	var ts unix.Timespec
	if len(b) < int(unsafe.Sizeof(ts)) {
		return time.Time{}, false
	}
	ts = *(*unix.Timespec)(unsafe.Pointer(&b[0]))
	if ts.Sec == 0 && ts.Nsec == 0 {
		return time.Time{}, false
	}
	return time.Unix(int64(ts.Sec), int64(ts.Nsec)), true
}

func nativeInt32(b []byte) int32 {
	return int32(binary.NativeEndian.Uint32(b[:4]))
}

// parseExtendedErr reads struct sock_extended_err and the offender address after it
// (SO_EE_OFFENDER).
func parseExtendedErr(b []byte) (unix.SockExtendedErr, netip.Addr, bool) {
	var ee unix.SockExtendedErr
	size := int(unsafe.Sizeof(ee))
	if len(b) < size {
		return ee, netip.Addr{}, false
	}
	ee = *(*unix.SockExtendedErr)(unsafe.Pointer(&b[0]))
	return ee, rawSockaddrAddr(b[size:]), true
}

// rawSockaddrAddr decodes a struct sockaddr_in / sockaddr_in6 in memory.
func rawSockaddrAddr(b []byte) netip.Addr {
	if len(b) < 2 {
		return netip.Addr{}
	}
	switch binary.NativeEndian.Uint16(b[0:2]) {
	case unix.AF_INET:
		if len(b) >= 8 {
			return netip.AddrFrom4([4]byte(b[4:8]))
		}
	case unix.AF_INET6:
		if len(b) >= 24 {
			return netip.AddrFrom16([16]byte(b[8:24]))
		}
	}
	return netip.Addr{}
}

func sockaddrAddr(sa unix.Sockaddr) netip.Addr {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrFrom4(a.Addr)
	case *unix.SockaddrInet6:
		return netip.AddrFrom16(a.Addr)
	}
	return netip.Addr{}
}

// recvmsg is unix.Recvmsg without its per-call getsockopt(SO_PROTOCOL) (x/sys asks the
// socket's protocol to decode every AF_INET source address): one syscall per read instead
// of two matters at flood rates. It returns the source as a netip.Addr, unless noName: then
// the kernel is not asked for it (from stays invalid), for reads whose data carry the source
// anyway (see linuxConn.nameInHeader).
func recvmsg(fd int, p, oob []byte, flags int, noName bool) (n, oobn, recvflags int, from netip.Addr, err error) {
	if noName {
		// The flood's reads: no address buffer to clear (112 bytes per packet) and none to decode.
		n, oobn, recvflags, _, err = recvmsgInto(fd, p, oob, flags, nil)
		return n, oobn, recvflags, netip.Addr{}, err
	}
	var rsa unix.RawSockaddrAny
	n, oobn, recvflags, namelen, err := recvmsgInto(fd, p, oob, flags, &rsa)
	if err != nil {
		return 0, 0, 0, netip.Addr{}, err
	}
	return n, oobn, recvflags, nameAddr(&rsa, namelen), nil
}

// recvmsgInto is one recvmsg, the source address written into rsa (none asked for when nil).
func recvmsgInto(fd int, p, oob []byte, flags int, rsa *unix.RawSockaddrAny) (n, oobn, recvflags int, namelen uint32, err error) {
	iov := unix.Iovec{Base: &p[0]}
	iov.SetLen(len(p))
	msg := unix.Msghdr{Iov: &iov, Iovlen: 1}
	if rsa != nil {
		msg.Name, msg.Namelen = (*byte)(unsafe.Pointer(rsa)), uint32(unsafe.Sizeof(*rsa))
	}
	if len(oob) > 0 {
		msg.Control = &oob[0]
		msg.SetControllen(len(oob))
	}
	// Every caller passes MSG_DONTWAIT, so the call cannot block: RawSyscall spares the
	// scheduler hand-off that Syscall makes around it.
	r, errno := rawSyscall6(unix.SYS_RECVMSG, uintptr(fd), uintptr(unsafe.Pointer(&msg)), uintptr(flags), 0, 0, 0)
	if errno != 0 {
		return 0, 0, 0, 0, unix.Errno(errno)
	}
	return int(r), int(msg.Controllen), int(msg.Flags), msg.Namelen, nil
}

// nameAddr decodes the source address a read wrote into rsa (namelen bytes of it).
func nameAddr(rsa *unix.RawSockaddrAny, namelen uint32) netip.Addr {
	n := min(int(namelen), int(unsafe.Sizeof(*rsa)))
	return rawSockaddrAddr(unsafe.Slice((*byte)(unsafe.Pointer(rsa)), n))
}
