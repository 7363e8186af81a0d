//go:build windows

package probe

import "golang.org/x/sys/windows"

// isRealRoot: an elevated token counts as root for the policy (as Administrator may flood).
func isRealRoot() bool { return windows.GetCurrentProcessToken().IsElevated() }

func effectivePrivilege() Privilege {
	if isRealRoot() {
		return PrivilegeAdministrator
	}
	return PrivilegeNone
}

func privilegeHint() string {
	return "Echoscope uses the Windows ICMP API (IcmpSendEcho2), which shows replies but not their " +
		"raw bytes. For raw sockets (full packets), run Echoscope as Administrator."
}

// callerHasOwnRawCapability: only Linux has capabilities apart from root (or elevation).
func callerHasOwnRawCapability() bool { return false }
