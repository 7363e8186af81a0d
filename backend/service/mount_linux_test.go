package service

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// mountTmpfs mounts a tmpfs of the given size (e.g. "256k") with extra mount flags
// (unix.MS_RDONLY) on a fresh temporary directory, root only, and unmounts it in Cleanup
// whatever happens. Root ignores file modes, so a read-only or full disk has to be real.
func mountTmpfs(t *testing.T, size string, flags uintptr) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a tmpfs")
	}
	dir := t.TempDir()
	if err := unix.Mount("tmpfs", dir, "tmpfs", flags, "size="+size); err != nil {
		t.Skipf("cannot mount tmpfs: %v", err)
	}
	t.Cleanup(func() {
		if err := unix.Unmount(dir, unix.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}
