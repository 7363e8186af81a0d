//go:build linux

package probe

import (
	"errors"
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

// TestDatagramRefusedOutsidePingGroup: where net.ipv4.ping_group_range excludes everyone
// (this host's "1 0"), even root cannot open a datagram socket, and the error says so and
// names the fix.
func TestDatagramRefusedOutsidePingGroup(t *testing.T) {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ping_group_range")
	if err != nil || string(b) != "1\t0\n" {
		t.Skipf("ping_group_range is %q here, not the closed \"1 0\"", b)
	}
	s, err := NewSession(Options{Target: "127.0.0.1", Socket: SocketDatagram, Count: 1}, RootPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Start(t.Context())
	if !errors.Is(err, ErrPrivilegeRequired) {
		t.Fatalf("Start = %v, want ErrPrivilegeRequired", err)
	}
	for _, want := range []string{"ping_group_range", "setcap"} {
		if !contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
