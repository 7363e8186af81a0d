//go:build linux

package e2e

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"echoscope/backend/testnet"
)

// The fping mode (a monitor on a shared raw socket) as nobody with the capped copy: root's
// ping to the same target and its UDP datagrams to a closed port (whose port unreachables
// quote the secret) run meanwhile. Nobody is shown none of it: root's echo replies carry
// other identifiers and never pass the monitor's kernel filter, and the errors quote no
// request of the monitor, so they are counted as unattributed and nothing of them is
// written, bytes or addresses.
func TestAsNobodyTheFpingModeShowsOnlyTheCallersOwnTraffic(t *testing.T) {
	c := prepareNobody(t)
	h := ownTrafficHost(t)
	for _, target := range []netip.Addr{h.PeerV4, h.PeerV6} {
		t.Run(fmt.Sprintf("IPv%d", map[bool]int{true: 4, false: 6}[target.Is4()]), func(t *testing.T) {
			secret := fmt.Sprintf("SECRET-of-root-%d", time.Now().UnixNano())
			out := fpingAround(t, h, c.capped, target, secret)
			noSecret(t, "the fping mode's --json as nobody", out, secret)
			unattributed := -1
			for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
				var obj struct {
					Type         string `json:"type"`
					Index        uint64 `json:"index"`
					Class        string `json:"class"`
					From         string `json:"from"`
					Unattributed int    `json:"unattributed"`
				}
				if err := json.Unmarshal([]byte(l), &obj); err != nil {
					t.Fatalf("not JSON: %q", l)
				}
				switch obj.Type {
				case "reply", "icmp_error":
					if obj.Index == 0 || obj.Class == "foreign" {
						t.Errorf("nobody was shown a message not tied to its requests: %s", l)
					}
				case "monitor_summary":
					unattributed = obj.Unattributed
				}
			}
			if unattributed != 3 {
				t.Errorf("unattributed %d, want the 3 port unreachables (root's echo replies never pass the filter)\n%s", unattributed, out)
			}
		})
	}
}

// fpingAround runs `echoscope-ping --fping --json -l` as nobody in the client namespace
// around root's traffic, and stops it with SIGINT two replies after that traffic.
func fpingAround(t *testing.T, h *testnet.Host, path string, target netip.Addr, secret string) string {
	t.Helper()
	cmdline := []string{"ip", "netns", "exec", h.ClientNS, "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
		path, "--fping", "--json", "-l", "-p", "100", "-t", "5000", target.String()}
	// A loop stopped by SIGINT ends with fping's exit status: 0, every target answered.
	stdout, _ := aroundOtherTraffic(t, h, cmdline, target, secret, isJSONReply)
	return stdout
}
