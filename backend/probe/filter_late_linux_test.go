//go:build linux

package probe

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// filterLen is the number of BPF instructions attached to fd (SO_GET_FILTER), 0 for none.
func filterLen(t *testing.T, fd int) int {
	t.Helper()
	var n uint32 // with no buffer, the kernel answers with the program's length
	_, _, errno := unix.Syscall6(unix.SYS_GETSOCKOPT, uintptr(fd), unix.SOL_SOCKET, unix.SO_GET_FILTER,
		0, uintptr(unsafe.Pointer(&n)), 0)
	if errno != 0 {
		t.Fatalf("SO_GET_FILTER: %v", errno)
	}
	return int(n)
}

// TestDirectSocketAttachesFilterWhenAsked: a raw IPv4 socket in direct mode opens without
// its BPF program and attaches it on AttachFilter, once; the general path attaches it at once.
func TestDirectSocketAttachesFilterWhenAsked(t *testing.T) {
	requireRoot(t)
	direct, err := openLinux(SocketRaw, false, &Options{Flood: true, Identifier: 0x1234}, loop4)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	if n := filterLen(t, direct.direct.fd); n != 0 {
		t.Fatalf("direct socket opened with a %d-instruction filter", n)
	}
	for range 2 {
		if err := direct.AttachFilter(); err != nil {
			t.Fatal(err)
		}
	}
	if n := filterLen(t, direct.direct.fd); n == 0 {
		t.Fatalf("no filter after AttachFilter")
	}

	general, err := openLinux(SocketRaw, false, &Options{Identifier: 0x1234}, loop4)
	if err != nil {
		t.Fatal(err)
	}
	defer general.Close()
	var fd int
	if err := general.rc.Control(func(f uintptr) { fd = int(f) }); err != nil {
		t.Fatal(err)
	}
	if n := filterLen(t, fd); n == 0 {
		t.Errorf("general socket without its filter")
	}
}
