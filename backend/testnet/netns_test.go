//go:build linux

package testnet

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

func TestHostLifecycle(t *testing.T) {
	if err := Available(); err != nil {
		t.Skip(err)
	}
	h, err := New(Config{ClientNamespace: true, OpenPingGroup: true, SilenceKernel: true})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	for _, ns := range []string{h.NS, h.ClientNS} {
		if !nsExists(ns) {
			t.Errorf("namespace %s missing", ns)
		}
	}
	if !h.PeerV4.Is4() || !h.PeerV6.Is6() || h.PeerV4.As4()[0] != 198 || h.PeerV6.As16()[2] != 0xec {
		t.Errorf("addresses %v %v outside the test ranges", h.PeerV4, h.PeerV6)
	}
	out, err := exec.Command("ip", "netns", "exec", h.NS, "sysctl", "-n", "net.ipv4.icmp_echo_ignore_all").Output()
	if err != nil || string(out) != "1\n" {
		t.Errorf("kernel echo not silenced: %q %v", out, err)
	}
	out, err = exec.Command("ip", "netns", "exec", h.ClientNS, "sysctl", "-n", "net.ipv4.ping_group_range").Output()
	if err != nil || string(out) != "0\t2147483647\n" {
		t.Errorf("ping_group_range in the client namespace: %q %v", out, err)
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	for _, ns := range []string{h.NS, h.ClientNS} {
		if nsExists(ns) {
			t.Errorf("namespace %s left behind", ns)
		}
	}
	if _, err := os.Stat(filepath.Join(stateDir, strconv.Itoa(h.Index)+".pid")); !os.IsNotExist(err) {
		t.Errorf("pid file left behind: %v", err)
	}
}

func TestTwoHostsGetDistinctSubnets(t *testing.T) {
	a := NewT(t, Config{})
	b := NewT(t, Config{})
	if a.Index == b.Index || a.PeerV4 == b.PeerV4 || a.PeerV6 == b.PeerV6 {
		t.Fatalf("hosts share a slot: %+v %+v", a, b)
	}
}

// TestSweepRemovesDeadOwners: a host whose pid file names a dead process is removed by the
// next allocation (or Sweep); a live owner's host is left alone.
func TestSweepRemovesDeadOwners(t *testing.T) {
	live := NewT(t, Config{})
	dead, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer dead.Close()
	// Pretend a crashed process owned it: a pid that cannot exist (above pid_max's limit).
	pidFile := filepath.Join(stateDir, strconv.Itoa(dead.Index)+".pid")
	if err := os.WriteFile(pidFile, []byte("4194305"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Sweep(); err != nil {
		t.Fatal(err)
	}
	if nsExists(dead.NS) {
		t.Errorf("dead owner's namespace %s survived the sweep", dead.NS)
	}
	if !nsExists(live.NS) {
		t.Errorf("live owner's namespace %s was swept", live.NS)
	}
}

func TestParseFault(t *testing.T) {
	for _, f := range Faults() {
		if got, err := ParseFault(string(f)); err != nil || got != f {
			t.Errorf("ParseFault(%q) = %q, %v", f, got, err)
		}
	}
	if _, err := ParseFault("gremlins"); err == nil {
		t.Error("unknown fault accepted")
	}
}
