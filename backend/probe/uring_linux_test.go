//go:build linux

package probe

import (
	"errors"
	"net/netip"
	"testing"
	"unsafe"

	"echoscope/backend/wire"

	"golang.org/x/sys/unix"
)

// ringAvailable tells whether this kernel lets us set up an io_uring at all.
func ringAvailable(t *testing.T) bool {
	t.Helper()
	r, err := newSendRecvRing()
	if err != nil {
		t.Logf("no io_uring here (%v): direct mode uses sendto and recvmsg", err)
		return false
	}
	r.close()
	return true
}

// TestSendRecvRing: one io_uring_enter sends an echo request to 127.0.0.1 and reads the
// kernel's reply, with its sender address and its receive timestamp (the read's msghdr is
// written back as recvmsg would); a send the kernel refuses reports its errno.
func TestSendRecvRing(t *testing.T) {
	requireRoot(t)
	if !ringAvailable(t) {
		t.Skip("io_uring is not available")
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.IPPROTO_ICMP)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1); err != nil {
		t.Fatal(err)
	}
	// Only echo replies: our own requests, looped back, would otherwise be read first.
	if err := unix.SetsockoptInt(fd, unix.SOL_RAW, unix.ICMP_FILTER, ^1); err != nil {
		t.Fatal(err)
	}
	r, err := newSendRecvRing()
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	buf, oob := make([]byte, 2048), make([]byte, 512)
	const id = 0xec5c
	for seq := uint16(1); seq <= 3; seq++ {
		msg := wire.AppendEcho(nil, wire.IPv4, wire.EchoRequestType(wire.IPv4),
			wire.Echo{ID: id, Seq: seq, Data: []byte("echoscope io_uring test")}, nil)
		sa := unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: [4]byte{127, 0, 0, 1}}
		res, err := r.sendRecv(fd, msg, unsafe.Pointer(&sa), unsafe.Sizeof(sa), buf, oob, false)
		if err != nil {
			t.Fatal(err)
		}
		if !res.sendKnown || res.sendErrno != 0 || !res.readKnown {
			t.Fatalf("seq %d: %+v", seq, res)
		}
		// Other processes' loopback pings may come first; ours is among the next reads.
		rd, from := res.read, res.read.from
		for tries := 0; ; tries++ {
			if rd.errno != 0 {
				t.Fatalf("seq %d: read: %v", seq, rd.errno)
			}
			ok, stamp := ownReply(t, buf[:rd.n], oob[:rd.oobn], id, seq)
			if ok {
				if from != netip.MustParseAddr("127.0.0.1") {
					t.Errorf("seq %d: from %v", seq, from)
				}
				if !stamp {
					t.Errorf("seq %d: no SO_TIMESTAMPNS control message in %d bytes", seq, rd.oobn)
				}
				break
			}
			if tries > 100 {
				t.Fatalf("seq %d: no reply among %d reads", seq, tries)
			}
			n, oobn, flags, addr, err := recvmsg(fd, buf, oob, 0, false)
			if err != nil {
				t.Fatal(err)
			}
			rd, from = ringRead{n: n, oobn: oobn, flags: flags}, addr
		}
	}
	// The kernel refuses a broadcast destination without SO_BROADCAST: nothing leaves.
	msg := wire.AppendEcho(nil, wire.IPv4, wire.EchoRequestType(wire.IPv4), wire.Echo{ID: id, Seq: 9}, nil)
	sa := unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: [4]byte{255, 255, 255, 255}}
	res, err := r.sendRecv(fd, msg, unsafe.Pointer(&sa), unsafe.Sizeof(sa), buf, oob, false)
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(res.sendErrno, unix.EACCES) || !res.readKnown {
		t.Fatalf("broadcast without SO_BROADCAST: %+v", res)
	}
}

// ownReply reports whether an IPv4 packet is the echo reply id/seq, and whether oob holds
// a receive timestamp.
func ownReply(t *testing.T, pkt, oob []byte, id, seq uint16) (ok, stamped bool) {
	t.Helper()
	_, icmp, err := wire.SplitIPv4(pkt)
	if err != nil {
		t.Fatalf("reply: %v", err)
	}
	em, err := wire.ParseEcho(wire.IPv4, icmp)
	if err != nil || icmp[0] != wire.EchoReplyType(wire.IPv4) || em.ID != id || em.Seq != seq {
		return false, false
	}
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		t.Fatalf("control messages: %v", err)
	}
	for _, m := range msgs {
		if m.Header.Level == unix.SOL_SOCKET && m.Header.Type == unix.SO_TIMESTAMPNS {
			stamped = true
		}
	}
	return true, stamped
}
