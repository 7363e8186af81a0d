package cli

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// bindToDeviceControl binds a probe socket to device (SO_BINDTODEVICE), so that the route
// looked up is the one the ICMP socket bound with -I will take.
func bindToDeviceControl(device string) func(network, address string, c syscall.RawConn) error {
	if device == "" {
		return nil
	}
	return func(_, _ string, c syscall.RawConn) error {
		var err error
		if cerr := c.Control(func(fd uintptr) { err = unix.BindToDevice(int(fd), device) }); cerr != nil {
			return cerr
		}
		return err
	}
}
