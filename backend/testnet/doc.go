// Package testnet builds private test networks for Echoscope's tests and benchmarks: a
// network namespace joined to this one (or to a second, "client" namespace) by a veth pair
// carrying IPv4 from the benchmarking range 198.18.0.0/15 (RFC 2544) and IPv6 from the
// unique-local prefix fd00:ec5c::/48, each test host on its own /24 and /64. Nothing here
// sends a packet anywhere but to those addresses.
//
// Inside a host namespace either the kernel answers pings (plain host), or the kernel is
// told to stay silent (net.ipv4.icmp_echo_ignore_all=1, net.ipv6.icmp.echo_ignore_all=1)
// and a user-space chaos Responder answers instead, with injected faults: delay, drop,
// duplicate, reorder, bad checksum, truncation, wrong identifier, wrong sequence, a reply
// from another address, destination unreachable, time exceeded, and a flood of foreign echo
// replies (`tc netem` is not available on the kernels this runs on).
//
// Everything needs root and the `ip` command; NewT skips the test cleanly otherwise, and
// always removes what it made (t.Cleanup). Sweep removes leftovers of crashed runs: names
// start with NamePrefix and each host records its owner's pid.
package testnet
