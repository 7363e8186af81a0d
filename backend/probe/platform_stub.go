package probe

import (
	"context"
	"fmt"
)

func openPlatformConn(ctx context.Context, kind SocketKind, v6 bool, o *Options) (packetConn, error) {
	return nil, fmt.Errorf("%w: sockets not written yet", ErrUnsupported)
}

func platformKinds() []SocketKind { return []SocketKind{SocketRaw, SocketDatagram} }

func tryOpen(k SocketKind, fam Family) error {
	c, err := openPlatformConn(context.Background(), k, fam == Family6, &Options{})
	if err != nil {
		return err
	}
	return c.Close()
}
