//go:build linux

package probe

import (
	"context"
	"net/netip"

	"echoscope/backend/testnet"
)

// inClient makes the session open its socket inside the test host's client namespace, so
// datagram sockets can use that namespace's ping_group_range.
func inClient(h *testnet.Host) func(*Session) {
	return func(s *Session) {
		open := s.newConn
		s.newConn = func(ctx context.Context, kind SocketKind, target netip.Addr, o *Options) (packetConn, error) {
			var c packetConn
			err := h.InClient(func() error {
				var err error
				c, err = open(ctx, kind, target, o)
				return err
			})
			return c, err
		}
	}
}
