//go:build linux

package probe

import (
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
			target := h.PeerV4
			if tc.v6 {
				target = h.PeerV6
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
