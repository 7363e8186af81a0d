package history

import (
	"context"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := OpenWith(OpenOptions{Path: filepath.Join(t.TempDir(), "h.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func beginTest(t testing.TB, s *Store, target string, started time.Time) int64 {
	t.Helper()
	id, err := s.BeginSession(context.Background(), SessionInfo{Target: target, Addr: "127.0.0.1",
		Engine: "raw", Options: probe.Options{Target: target, Count: 3}, Started: started})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

var (
	loop4 = netip.MustParseAddr("127.0.0.1")
	loop6 = netip.MustParseAddr("::1")
)

// echoPair builds a send event and its on-time reply, as the engine would emit them over a
// raw socket (IPv4 replies carry their IP header; IPv6 ones do not).
func echoPair(t testing.TB, fam wire.Family, seq uint16, at time.Time) (probe.Event, probe.Event) {
	t.Helper()
	src, dst := loop4, loop4
	if fam == wire.IPv6 {
		src, dst = loop6, loop6
	}
	ph := &wire.PseudoHeader{Src: src, Dst: dst}
	data := []byte("0123456789abcdefpayload!")
	req := wire.AppendEcho(nil, fam, wire.EchoRequestType(fam), wire.Echo{ID: 0x1c2d, Seq: seq, Data: data}, ph)
	rep := wire.AppendEcho(nil, fam, wire.EchoReplyType(fam), wire.Echo{ID: 0x1c2d, Seq: seq, Data: data}, ph)
	sent := probe.Timestamp{Time: at, Clock: probe.ClockKernelTX}
	recv := probe.Timestamp{Time: at.Add(150 * time.Microsecond), Clock: probe.ClockKernelRX}
	send := probe.Event{Kind: probe.EventSend, Index: uint64(seq) + 1, Seq: seq, ID: 0x1c2d, Bytes: req,
		To: dst, TTL: -1, ICMPType: int(req[0]), Size: len(req), Sent: sent}
	reply := probe.Event{Kind: probe.EventReply, Class: probe.ClassOnTime, Rule: probe.RuleIDSeqToken,
		Index: uint64(seq) + 1, Seq: seq, ID: 0x1c2d, Bytes: rep, From: dst, To: src, TTL: 64,
		ICMPType: int(rep[0]), Size: len(rep), Sent: sent, Received: recv, RTT: 150 * time.Microsecond,
		RTTClocks: "kernel-tx/kernel-rx", Request: req}
	if fam == wire.IPv4 {
		ip, err := wire.AppendIPv4Header(nil, wire.IPv4Header{TotalLength: uint16(20 + len(rep)), TTL: 64,
			Protocol: wire.ProtocolICMP, Src: dst, Dst: src})
		if err != nil {
			t.Fatal(err)
		}
		reply.Bytes, reply.IncludesIPHeader = append(ip, rep...), true
	}
	return send, reply
}
