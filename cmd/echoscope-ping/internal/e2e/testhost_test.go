//go:build linux

package e2e

import (
	"strings"
	"testing"

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
