//go:build linux

package probe

import "golang.org/x/sys/unix"

// SetHopLimit sets the TTL (IPv4) or unicast hop limit (IPv6) of the requests sent from now
// on. A trace calls it before each probe, from the loop that also sends, so each request
// leaves with the TTL chosen for it.
func (c *linuxConn) SetHopLimit(ttl int) error {
	level, opt := unix.IPPROTO_IP, unix.IP_TTL
	if c.v6 {
		level, opt = unix.IPPROTO_IPV6, unix.IPV6_UNICAST_HOPS
	}
	if c.direct.on {
		return unix.SetsockoptInt(c.direct.fd, level, opt, ttl)
	}
	var serr error
	err := c.rc.Control(func(fd uintptr) { serr = unix.SetsockoptInt(int(fd), level, opt, ttl) })
	if err != nil {
		return c.wrapClosed(err)
	}
	return serr
}
