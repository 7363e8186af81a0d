package probe

// rawSyscall6 is unix.RawSyscall6 without the two calls it goes through (x/sys jumps to
// package syscall, which calls the runtime's stub): a flood makes two system calls per
// packet, and on a kernel that flushes the TLB at every system call (PTI without PCID)
// each extra frame and code page touched on the way back costs a page walk. Like
// RawSyscall it does not tell the scheduler, so it is only for calls that cannot block
// (MSG_DONTWAIT). It returns the result, or errno when the call failed.
func rawSyscall6(trap, a1, a2, a3, a4, a5, a6 uintptr) (r1, errno uintptr)
