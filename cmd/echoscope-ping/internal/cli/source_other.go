//go:build !linux

package cli

import "syscall"

// bindToDeviceControl: only Linux binds sockets to a device; elsewhere the plain route.
func bindToDeviceControl(string) func(network, address string, c syscall.RawConn) error {
	return nil
}
