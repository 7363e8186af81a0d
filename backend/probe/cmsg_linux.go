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
