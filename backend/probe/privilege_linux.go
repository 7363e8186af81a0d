//go:build linux

package probe

import (
	"bufio"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// capNetRaw is CAP_NET_RAW's bit number (linux/capability.h).
const capNetRaw = 13

func effectivePrivilege() Privilege {
	if os.Geteuid() == 0 {
		return PrivilegeRoot
	}
	if hasEffectiveCap(capNetRaw) {
		return PrivilegeNetRaw
	}
	return PrivilegeNone
}

// atSecure is the auxiliary vector entry the kernel sets to 1 when this exec raised the
// process's privileges (setuid/setgid, or file capabilities for a non-root user).
const atSecure = 23

// callerHasOwnRawCapability: CAP_NET_RAW is effective and did not come from this exec (the
// kernel did not set AT_SECURE), so the caller held it already. Unknown means no.
func callerHasOwnRawCapability() bool {
	return hasEffectiveCap(capNetRaw) && !privilegeRaisingExec()
}

// privilegeRaisingExec reports AT_SECURE; when the auxiliary vector cannot be read it
// answers true, which confines the caller.
func privilegeRaisingExec() bool {
	auxv, err := unix.Auxv()
	if err != nil {
		return true
	}
	for _, kv := range auxv {
		if kv[0] == atSecure {
			return kv[1] != 0
		}
	}
	return true
}

// hasEffectiveCap reads CapEff from /proc/self/status (no libcap needed).
func hasEffectiveCap(bit uint) bool {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "CapEff:"); ok {
			mask, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
			return err == nil && mask&(1<<bit) != 0
		}
	}
	return false
}

func privilegeHint() string {
	exe, err := os.Executable()
	if err != nil || exe == "" {
		exe = "/path/to/echoscope-ping"
	}
	return "Raw ICMP sockets need CAP_NET_RAW. Give it to the helper once: " +
		"sudo setcap cap_net_raw=ep " + exe + " . Or allow unprivileged ICMP datagram sockets " +
		"for your group: sudo sysctl -w net.ipv4.ping_group_range=\"0 2147483647\" " +
		"(persist it in /etc/sysctl.d/)."
}
