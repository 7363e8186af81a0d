//go:build linux

package testnet

import (
	"fmt"
	"path/filepath"
	"runtime"

	"golang.org/x/sys/unix"
)

// Do runs f on an OS thread that entered namespace ns (a name under /run/netns; "" means
// the caller's own namespace, where f simply runs). Sockets f creates belong to that
// namespace for good and may be used from any goroutine afterwards. The thread is never
// handed back to the Go scheduler: the goroutine exits still locked, so the runtime
// discards the thread instead of reusing one whose namespace was changed.
func Do(ns string, f func() error) error {
	if ns == "" {
		return f()
	}
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		// No UnlockOSThread: see above.
		fd, err := unix.Open(filepath.Join("/run/netns", ns), unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			errc <- fmt.Errorf("testnet: open namespace %s: %w", ns, err)
			return
		}
		defer unix.Close(fd)
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("testnet: enter namespace %s: %w", ns, err)
			return
		}
		errc <- f()
	}()
	return <-errc
}

// InPeer runs f inside the host's namespace (see Do).
func (h *Host) InPeer(f func() error) error { return Do(h.NS, f) }

// InClient runs f on the pinging side: the client namespace when there is one, else here.
func (h *Host) InClient(f func() error) error { return Do(h.ClientNS, f) }
