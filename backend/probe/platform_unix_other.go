//go:build !linux && !windows

package probe

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
)

func platformKinds() []SocketKind { return []SocketKind{SocketRaw, SocketDatagram} }

func tryOpen(k SocketKind, fam Family) error {
	c, err := openNetConn(k, fam == Family6, &Options{})
	if err != nil {
		return err
	}
	return c.Close()
}

func openPlatformConn(_ context.Context, kind SocketKind, target netip.Addr, o *Options) (packetConn, error) {
	v6 := target.Is6() && !target.Is4In6()
	switch kind {
	case SocketRaw, SocketDatagram:
		c, err := openNetConn(kind, v6, o)
		if errors.Is(err, ErrPrivilegeRequired) {
			return nil, fmt.Errorf("%w. %s", err, privilegeHint())
		}
		return c, err
	case SocketWindows:
		return nil, fmt.Errorf("%w: the Windows ICMP API exists only on Windows", ErrUnsupported)
	}
	raw, rawErr := openNetConn(SocketRaw, v6, o)
	if rawErr == nil {
		return raw, nil
	}
	dg, dgErr := openNetConn(SocketDatagram, v6, o)
	if dgErr == nil {
		return dg, nil
	}
	return nil, fmt.Errorf("%w: raw: %v; datagram: %v (%w). %s", ErrNoSocket, rawErr, dgErr, ErrPrivilegeRequired, privilegeHint())
}
