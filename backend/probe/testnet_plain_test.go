//go:build linux

package probe

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"echoscope/backend/testnet"
)

// TestPlainTestHost pings a namespaced host whose kernel answers, over every socket kind
// and IP version, from a client namespace whose ping_group_range allows datagram sockets.
func TestPlainTestHost(t *testing.T) {
	h := testnet.NewT(t, testnet.Config{ClientNamespace: true, OpenPingGroup: true})
	for _, tc := range []struct {
		name string
		kind SocketKind
		v6   bool
		rule MatchRule
	}{
		{"IPv4/raw", SocketRaw, false, RuleIDSeqToken},
		{"IPv6/raw", SocketRaw, true, RuleIDSeqToken},
		{"IPv4/datagram", SocketDatagram, false, RuleSeqTokenRewritten},
		{"IPv6/datagram", SocketDatagram, true, RuleSeqTokenRewritten},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target, local := h.PeerV4, h.LocalV4
			if tc.v6 {
				target, local = h.PeerV6, h.LocalV6
			}
			events, sum := collect(t, Options{Target: target.String(), Socket: tc.kind, Count: 3,
				Interval: 10 * time.Millisecond, Timeout: 5 * time.Second}, inClient(h))
			if sum.Sent != 3 || sum.Received != 3 || sum.Lost != 0 || sum.Foreign != 0 {
				t.Fatalf("stats %+v", sum.Stats)
			}
			for _, ev := range events {
				if ev.Kind == EventReply && ev.Rule != tc.rule {
					t.Errorf("rule %q, want %q", ev.Rule, tc.rule)
				}
				if ev.Kind == EventReply && ev.From != target {
					t.Errorf("reply from %v", ev.From)
				}
				if ev.Kind == EventReply && ev.To != local {
					t.Errorf("reply to %v, want %v", ev.To, local)
				}
				if ev.Kind == EventReply && ev.TTL != 64 {
					t.Errorf("ttl %d, want 64 (one veth hop, no router)", ev.TTL)
				}
			}
			if sum.IdentifierRewritten != (tc.kind == SocketDatagram) {
				t.Errorf("IdentifierRewritten = %v", sum.IdentifierRewritten)
			}
		})
	}
}

// TestSocketOptions: every iputils-style socket option is accepted by each socket kind and
// the pings still get through; the source binds by address and by interface name.
func TestSocketOptions(t *testing.T) {
	h := testnet.NewT(t, testnet.Config{ClientNamespace: true, OpenPingGroup: true})
	for _, sc := range socketCases {
		target, local := h.PeerV4, h.LocalV4
		if sc.v6 {
			target, local = h.PeerV6, h.LocalV6
		}
		for _, o := range []Options{
			{TTL: 5, TOS: 0x10, PMTU: PMTUDo},
			{PMTU: PMTUDont, Pattern: []byte{0xff, 0x00}},
			{PMTU: PMTUWant, Size: 1400},
			{PMTU: PMTUProbe, Size: 0, SizeSet: true},
			{Source: local.String()},
			{Source: h.LocalIf},
		} {
			t.Run(fmt.Sprintf("%s/%+v", sc.name, o), func(t *testing.T) {
				o.Target, o.Socket, o.Count, o.Interval, o.Timeout = target.String(), sc.kind, 2, 10*time.Millisecond, 10*time.Second
				events, sum := collect(t, o, inClient(h))
				if sum.Received != 2 || sum.Lost != 0 || sum.Corrupt != 0 {
					t.Fatalf("stats %+v", sum.Stats)
				}
				for _, ev := range events {
					if ev.Kind == EventReply && ev.Size != 8+o.PayloadSize() {
						t.Errorf("reply size %d, want %d", ev.Size, 8+o.PayloadSize())
					}
				}
			})
		}
	}
}

// TestKernelClocks: on Linux every RTT comes from kernel TX and RX timestamps.
func TestKernelClocks(t *testing.T) {
	h := testnet.NewT(t, testnet.Config{ClientNamespace: true, OpenPingGroup: true})
	for _, sc := range socketCases {
		t.Run(sc.name, func(t *testing.T) {
			target := h.PeerV4
			if sc.v6 {
				target = h.PeerV6
			}
			events, sum := collect(t, Options{Target: target.String(), Socket: sc.kind, Count: 3,
				Interval: 10 * time.Millisecond, Timeout: 10 * time.Second}, inClient(h))
			if !sum.KernelTX || !sum.KernelRX {
				t.Fatalf("kernel timestamps not enabled: tx=%v rx=%v", sum.KernelTX, sum.KernelRX)
			}
			// The TX timestamp travels through the error queue and, rarely, is read after the
			// reply; that reply then honestly says "user/kernel-rx". So: RX always from the
			// kernel, TX from the kernel for most replies.
			kernelTX := 0
			for _, ev := range events {
				if ev.Kind != EventReply {
					continue
				}
				if ev.RTTClocks == "kernel-tx/kernel-rx" {
					kernelTX++
				} else if ev.RTTClocks != "user/kernel-rx" {
					t.Errorf("seq %d: clocks %q", ev.Seq, ev.RTTClocks)
				}
				if ev.RTT <= 0 || ev.RTT > sum.Max {
					t.Errorf("seq %d: rtt %v (max %v)", ev.Seq, ev.RTT, sum.Max)
				}
			}
			if kernelTX < 2 {
				t.Errorf("only %d of 3 replies timed with the kernel TX timestamp", kernelTX)
			}
		})
	}
}

// TestDirectedBroadcastNeedsFlag: a subnet's broadcast address cannot be recognised from
// the address alone; the kernel refuses it without SO_BROADCAST, and the session ends with
// ErrBroadcast after the one refused request instead of reporting requests that never left.
func TestDirectedBroadcastNeedsFlag(t *testing.T) {
	h := testnet.NewT(t, testnet.Config{})
	b := h.PeerV4.As4()
	b[3] = 255
	bcast := netip.AddrFrom4(b)
	s, err := NewSession(Options{Target: bcast.String(), Socket: SocketRaw, Count: 3, Interval: 10 * time.Millisecond, Timeout: 100 * time.Millisecond}, RootPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := s.Run(context.Background())
	if !errors.Is(err, ErrBroadcast) || sum.Sent != 1 || sum.Lost != 1 {
		t.Fatalf("err %v, stats %+v", err, sum.Stats)
	}
}
