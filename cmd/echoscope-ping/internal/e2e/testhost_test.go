//go:build linux

package e2e

import (
	"strings"
	"testing"
	"time"

	"echoscope/backend/testnet"
)

// A silent host: no reply, exit 1, iputils' statistics.
func TestNoReplyExitsOne(t *testing.T) {
	h := testnet.NewT(t, testnet.Config{SilenceKernel: true, ClientNamespace: true})
	r := run(t, "ip", "netns", "exec", h.ClientNS, bin, "-c", "1", "-W", "0.2", h.PeerV4.String())
	if r.code != 1 || !strings.Contains(r.stdout, "1 packets transmitted, 0 received, 100% packet loss") {
		t.Fatal(r)
	}
}

// Each fault of the chaos responder shows up in the CLI's output the way iputils (or, for
// what iputils cannot tell apart, our own markers) says it.
func TestChaosMarkers(t *testing.T) {
	cases := []struct {
		chaos testnet.Chaos
		args  []string
		want  func(h *testnet.Host) string
	}{
		{testnet.Chaos{Fault: testnet.FaultDuplicate}, nil, func(*testnet.Host) string { return " ms (DUP!)\n" }},
		{testnet.Chaos{Fault: testnet.FaultBadChecksum}, nil, func(*testnet.Host) string { return " (BAD CHECKSUM!)\n" }},
		{testnet.Chaos{Fault: testnet.FaultTruncate}, nil, func(*testnet.Host) string { return " (TRUNCATED!)\n" }},
		{testnet.Chaos{Fault: testnet.FaultOtherAddress}, nil, func(h *testnet.Host) string {
			return "64 bytes from " + h.PeerAltV4.String() + ": icmp_seq=1 ttl=64 (DIFFERENT ADDRESS!)\n"
		}},
		{testnet.Chaos{Fault: testnet.FaultUnreachable}, nil, func(h *testnet.Host) string {
			return "From " + h.PeerAltV4.String() + " icmp_seq=1 Destination Host Unreachable\n"
		}},
		{testnet.Chaos{Fault: testnet.FaultTimeExceeded}, nil, func(h *testnet.Host) string {
			return "From " + h.PeerAltV4.String() + " icmp_seq=1 Time to live exceeded\n"
		}},
		{testnet.Chaos{Fault: testnet.FaultReorder, Every: 2}, []string{"-c", "4"}, func(*testnet.Host) string { return " ms (OUT OF ORDER!)\n" }},
		// Every reply 200 ms late for a 100 ms timeout; requests 500 ms apart keep the session
		// running until at least the first late reply is in.
		{testnet.Chaos{Fault: testnet.FaultDelay, Delay: 200 * time.Millisecond}, []string{"-W", "0.1", "-c", "3", "-i", "0.5"}, func(*testnet.Host) string { return " ms (LATE!)\n" }},
		{testnet.Chaos{Fault: testnet.FaultWrongID}, []string{"-v", "-c", "1", "-W", "0.3"}, func(*testnet.Host) string { return "(FOREIGN: identifier " }},
	}
	for _, c := range cases {
		t.Run(string(c.chaos.Fault), func(t *testing.T) {
			h := testnet.NewT(t, testnet.Config{ClientNamespace: true, SilenceKernel: true})
			testnet.NewResponderT(t, h, c.chaos)
			args := append([]string{"netns", "exec", h.ClientNS, bin, "-c", "2", "-i", "0.05", "-W", "1"}, c.args...)
			r := run(t, "ip", append(args, h.PeerV4.String())...)
			if want := c.want(h); !strings.Contains(r.stdout, want) {
				t.Errorf("output lacks %q:\n%s", want, r)
			}
		})
	}
}
