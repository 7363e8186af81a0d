//go:build linux && !amd64

package probe

import "golang.org/x/sys/unix"

// rawSyscall6 is unix.RawSyscall6 (see rawsyscall_linux_amd64.go for why amd64 has its own).
func rawSyscall6(trap, a1, a2, a3, a4, a5, a6 uintptr) (r1, errno uintptr) {
	r, _, e := unix.RawSyscall6(trap, a1, a2, a3, a4, a5, a6)
	return r, uintptr(e)
}
