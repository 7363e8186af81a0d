//go:build darwin

package probe

import "os"

func effectivePrivilege() Privilege {
	if os.Geteuid() == 0 {
		return PrivilegeRoot
	}
	return PrivilegeNone
}

func privilegeHint() string {
	return "macOS allows unprivileged ICMP datagram sockets, which hide the IP header. " +
		"For raw sockets run echoscope-ping as root (sudo), or install it setuid root: " +
		"sudo chown root echoscope-ping && sudo chmod u+s echoscope-ping."
}

// callerHasOwnRawCapability: only Linux has capabilities apart from root (or elevation).
func callerHasOwnRawCapability() bool { return false }
