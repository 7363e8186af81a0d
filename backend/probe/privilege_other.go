//go:build !linux && !darwin && !windows

package probe

import "os"

func effectivePrivilege() Privilege {
	if os.Geteuid() == 0 {
		return PrivilegeRoot
	}
	return PrivilegeNone
}

func privilegeHint() string {
	return "Raw ICMP sockets need root on this system: run echoscope-ping as root."
}

// callerHasOwnRawCapability: only Linux has capabilities apart from root (or elevation).
func callerHasOwnRawCapability() bool { return false }
