//go:build !linux

package probe

// SetHopLimit sets the TTL (IPv4) or unicast hop limit (IPv6) of the requests sent from now
// on (see the Linux version).
func (c *netConn) SetHopLimit(ttl int) error {
	if c.v6 {
		return c.p6.SetHopLimit(ttl)
	}
	return c.p4.SetTTL(ttl)
}
