package probe

// A raw ICMP socket receives every ICMP message the host receives: other processes' echo
// replies (all of them on IPv6, those from the same target on IPv4, where the kernel filter
// passes the target's replies), and ICMP errors quoting other processes' datagrams (a port
// unreachable carries the start of someone's UDP payload). A caller who holds no privilege
// of their own but runs the setcap'd helper must not read those: iputils, setcap'd the same
// way, shows none of them. Such a caller's sessions run with Policy.OwnTrafficOnly.
//
// Who counts as privileged (PolicyForCurrentUser): a real uid of 0, or, on Linux, CAP_NET_RAW
// in the effective set of a process whose exec the kernel did not mark as privilege-raising
// (AT_SECURE is 0): the capability then came with the caller (ambient capabilities, a
// capability-granting service manager or container), not from the helper's file capability
// or a setuid/setgid bit. Everyone else is confined, whatever the binary may do.

// shownToCaller is the rule for a confined caller: a received message belongs to the caller
// when the engine tied it to one of this session's requests (Event.Index != 0): an echo reply
// with its identifier, sequence and token (also when it came from another address: that is
// still a reply to our own request, as iputils' DIFFERENT ADDRESS!), or an ICMP error whose
// quoted datagram is one of its requests. Anything else (another identifier or token, a
// sequence never sent, an error about someone else's datagram, a message too short to tell)
// is not shown: it is counted in Stats.Foreign and no byte, address, identifier or note of it
// leaves the engine.
func shownToCaller(ev *Event) bool { return ev.Index != 0 }
