package probe

import "runtime"

// Privilege is the effective privilege of this process for ICMP.
type Privilege string

const (
	// PrivilegeRoot: uid 0 (Unix).
	PrivilegeRoot Privilege = "root"
	// PrivilegeNetRaw: not root, but CAP_NET_RAW is effective (Linux setcap / ambient).
	PrivilegeNetRaw Privilege = "cap_net_raw"
	// PrivilegeAdministrator: an elevated Windows process.
	PrivilegeAdministrator Privilege = "administrator"
	// PrivilegeNone: an ordinary user.
	PrivilegeNone Privilege = "unprivileged"
)

// KindAvailability tells whether one socket kind can be opened here, and why not.
type KindAvailability struct {
	Kind      SocketKind `json:"kind"`
	IPv4      bool       `json:"ipv4"`
	IPv6      bool       `json:"ipv6"`
	Available bool       `json:"available"`
	// Reason is set when not available: the error from trying to open it.
	Reason string `json:"reason,omitempty"`
}

// Capabilities describe what this process can do here. Detection opens (and closes) each
// socket kind once; it sends nothing.
type Capabilities struct {
	OS        string             `json:"os"`
	Privilege Privilege          `json:"privilege"`
	Kinds     []KindAvailability `json:"kinds"`
	// Best is the kind SocketAuto would pick (SocketAuto when none is available).
	Best SocketKind `json:"best"`
	// Hint says, for a human, how to get better fidelity on this OS (the exact setcap
	// command, the ping_group_range sysctl, running elevated...). Empty when raw works.
	Hint string `json:"hint,omitempty"`
}

// DetectCapabilities probes which socket kinds can be opened by this process.
func DetectCapabilities() Capabilities {
	c := Capabilities{OS: runtime.GOOS, Privilege: effectivePrivilege(), Best: SocketAuto}
	for _, k := range platformKinds() {
		ka := KindAvailability{Kind: k}
		err4 := tryOpen(k, Family4)
		err6 := tryOpen(k, Family6)
		ka.IPv4, ka.IPv6 = err4 == nil, err6 == nil
		ka.Available = ka.IPv4 || ka.IPv6
		switch {
		case err4 != nil:
			ka.Reason = err4.Error()
		case err6 != nil:
			ka.Reason = "ipv6: " + err6.Error()
		}
		if ka.Available && c.Best == SocketAuto {
			c.Best = k
		}
		c.Kinds = append(c.Kinds, ka)
	}
	if c.Best != SocketRaw {
		c.Hint = privilegeHint()
	}
	return c
}

// PrivilegeHint returns the human "how to get raw sockets" advice for this OS.
func PrivilegeHint() string { return privilegeHint() }
