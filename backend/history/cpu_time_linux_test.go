package history

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user and system) the process has used, every thread
// counted (the garbage collector's too): on a shared machine the benchmarks compare it
// rather than wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
