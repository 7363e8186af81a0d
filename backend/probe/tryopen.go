//go:build linux || windows

package probe

import (
	"context"
	"net/netip"
)

// tryOpen opens and closes a socket of kind k for family fam, aimed at loopback, so that
// Capabilities reports what this process can really open (privilege, sysctls, OS support)
// rather than guessing from the user id.
func tryOpen(k SocketKind, fam Family) error {
	target := netip.AddrFrom4([4]byte{127, 0, 0, 1})
	if fam == Family6 {
		target = netip.IPv6Loopback()
	}
	c, err := openPlatformConn(context.Background(), k, target, &Options{})
	if err != nil {
		return err
	}
	return c.Close()
}
