//go:build linux

package probe

import (
	"context"
	"net/netip"

	"echoscope/backend/testnet"
)

// connOpener is the socket opener that sessions, monitors and traces hold in newConn.
type connOpener = func(ctx context.Context, kind SocketKind, target netip.Addr, o *Options) (packetConn, error)

// openingIn makes open run inside a test namespace: enter is a host's or a chain's
// InClient, so a datagram socket uses that namespace's ping_group_range and its routes.
func openingIn(enter func(func() error) error, open connOpener) connOpener {
	return func(ctx context.Context, kind SocketKind, target netip.Addr, o *Options) (packetConn, error) {
		var c packetConn
		err := enter(func() error {
			var err error
			c, err = open(ctx, kind, target, o)
			return err
		})
		return c, err
	}
}

// inClient makes the session open its socket inside the test host's client namespace, so
// datagram sockets can use that namespace's ping_group_range.
func inClient(h *testnet.Host) func(*Session) {
	return func(s *Session) { s.newConn = openingIn(h.InClient, s.newConn) }
}
