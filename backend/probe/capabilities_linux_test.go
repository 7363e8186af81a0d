//go:build linux

package probe

import (
	"os"
	"testing"
)

func TestCapabilitiesAsRoot(t *testing.T) {
	requireRoot(t)
	c := DetectCapabilities()
	if c.Privilege != PrivilegeRoot || c.Best != SocketRaw || c.Hint != "" {
		t.Fatalf("capabilities %+v", c)
	}
	for _, k := range c.Kinds {
		if k.Kind == SocketRaw && (!k.IPv4 || !k.IPv6) {
			t.Errorf("raw not available: %+v", k)
		}
	}
}

func TestPrivilegeHintNamesTheFix(t *testing.T) {
	h := PrivilegeHint()
	for _, want := range []string{"setcap cap_net_raw=ep", "ping_group_range"} {
		if !contains(h, want) {
			t.Errorf("hint %q lacks %q", h, want)
		}
	}
	if os.Geteuid() == 0 && hasEffectiveCap(capNetRaw) == false {
		t.Errorf("root without CAP_NET_RAW in CapEff?")
	}
}
