//go:build linux

package testnet

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// NamePrefix starts the name of every namespace this package creates.
const NamePrefix = "echoscope-t"

// maxHosts is how many /24s the benchmarking range 198.18.0.0/15 holds.
const maxHosts = 512

// stateDir holds one pid file per host index; the lock file serialises allocation across
// processes (tests of several packages, a bench script) so no two hosts share a subnet.
const stateDir = "/run/echoscope-testnet"

// ErrUnavailable: this machine cannot build test hosts (not root, no `ip`, no netns).
var ErrUnavailable = errors.New("testnet: network namespaces unavailable")

// Config chooses what kind of test host to build.
type Config struct {
	// ClientNamespace puts the local end of the veth pair in a namespace of its own instead
	// of the caller's, so that tests can change sysctls for the pinging side (the datagram
	// socket's net.ipv4.ping_group_range) without touching the host.
	ClientNamespace bool
	// OpenPingGroup sets net.ipv4.ping_group_range to "0 2147483647" in the client
	// namespace (requires ClientNamespace): any group may open ICMP datagram sockets there.
	OpenPingGroup bool
	// SilenceKernel turns off the kernel's echo replies in the host namespace, for a Responder.
	SilenceKernel bool
}

// Host is one test host. Addresses of the local end ("Local") are on the caller's side
// (ClientNS, or the caller's namespace), Peer addresses in NS; PeerAlt is a second address
// of the host, used as the source of "reply from another address" and of ICMP errors.
type Host struct {
	Index    int    `json:"index"`
	NS       string `json:"namespace"`
	ClientNS string `json:"clientNamespace,omitempty"`
	LocalIf  string `json:"localInterface"`
	PeerIf   string `json:"peerInterface"`

	LocalV4   netip.Addr `json:"localV4"`
	PeerV4    netip.Addr `json:"peerV4"`
	PeerAltV4 netip.Addr `json:"peerAltV4"`
	LocalV6   netip.Addr `json:"localV6"`
	PeerV6    netip.Addr `json:"peerV6"`
	PeerAltV6 netip.Addr `json:"peerAltV6"`

	closed bool
}

// Available returns nil when test hosts can be built here, else an error wrapping
// ErrUnavailable that says why.
func Available() error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("%w: not root", ErrUnavailable)
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return fmt.Errorf("%w: no ip command: %v", ErrUnavailable, err)
	}
	if _, err := os.Stat("/proc/self/ns/net"); err != nil {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return nil
}

// NewT builds a test host for t, skips t when that is impossible here, and removes the
// host when t ends.
func NewT(t testing.TB, cfg Config) *Host {
	t.Helper()
	if err := Available(); err != nil {
		t.Skip(err)
	}
	h, err := New(cfg)
	if err != nil {
		t.Fatalf("testnet: %v", err)
	}
	t.Cleanup(func() {
		if err := h.Close(); err != nil {
			t.Errorf("testnet cleanup: %v", err)
		}
	})
	return h
}

// New builds a test host. The caller must Close it (also on failure paths).
func New(cfg Config) (*Host, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	if cfg.OpenPingGroup && !cfg.ClientNamespace {
		return nil, errors.New("testnet: OpenPingGroup needs ClientNamespace (the host's own ping_group_range is left alone)")
	}
	h, unlock, err := allocate(cfg)
	if err != nil {
		return nil, err
	}
	err = h.build(cfg)
	unlock()
	if err != nil {
		h.Close()
		return nil, err
	}
	return h, nil
}

// allocate reserves the lowest free index under an exclusive lock.
func allocate(cfg Config) (*Host, func(), error) {
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("testnet: %w", err)
	}
	lock, err := os.OpenFile(filepath.Join(stateDir, "lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("testnet: %w", err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		lock.Close()
		return nil, nil, fmt.Errorf("testnet: lock: %w", err)
	}
	unlock := func() { lock.Close() } // closing drops the flock
	sweepLocked()
	for i := range maxHosts {
		pidFile := filepath.Join(stateDir, strconv.Itoa(i)+".pid")
		if _, err := os.Stat(pidFile); err == nil {
			continue
		}
		if nsExists(nsName(i)) {
			continue
		}
		if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
			unlock()
			return nil, nil, fmt.Errorf("testnet: %w", err)
		}
		return newHost(i, cfg), unlock, nil
	}
	unlock()
	return nil, nil, fmt.Errorf("testnet: all %d test host slots are in use", maxHosts)
}

func nsName(i int) string { return fmt.Sprintf("%s%d", NamePrefix, i) }

func nsExists(name string) bool {
	_, err := os.Stat(filepath.Join("/run/netns", name))
	return err == nil
}

func newHost(i int, cfg Config) *Host {
	hi, lo := byte(18+i/256), byte(i%256)
	v4 := func(last byte) netip.Addr { return netip.AddrFrom4([4]byte{198, hi, lo, last}) }
	v6 := func(last byte) netip.Addr {
		return netip.AddrFrom16([16]byte{0xfd, 0x00, 0xec, 0x5c, 0, 0, byte(i >> 8), byte(i), 15: last})
	}
	h := &Host{
		Index: i, NS: nsName(i),
		LocalIf: fmt.Sprintf("esct%da", i), PeerIf: fmt.Sprintf("esct%db", i),
		LocalV4: v4(1), PeerV4: v4(2), PeerAltV4: v4(3),
		LocalV6: v6(1), PeerV6: v6(2), PeerAltV6: v6(3),
	}
	if cfg.ClientNamespace {
		h.ClientNS = h.NS + "c"
	}
	return h
}

// build runs the ip/sysctl commands. Each step's failure is returned with its output.
func (h *Host) build(cfg Config) error {
	local, peer := []string{}, []string{"-n", h.NS}
	create := [][]string{{"netns", "add", h.NS}}
	if h.ClientNS != "" {
		local = []string{"-n", h.ClientNS}
		create = append(create, []string{"netns", "add", h.ClientNS})
	}
	cat := func(a []string, b ...string) []string { return append(append([]string{}, a...), b...) }
	create = append(create, cat(local, "link", "add", h.LocalIf, "type", "veth", "peer", "name", h.PeerIf, "netns", h.NS))
	addrs := [][]string{
		cat(local, "addr", "add", h.LocalV4.String()+"/24", "dev", h.LocalIf),
		cat(local, "-6", "addr", "add", h.LocalV6.String()+"/64", "dev", h.LocalIf, "nodad"),
		cat(peer, "addr", "add", h.PeerV4.String()+"/24", "dev", h.PeerIf),
		cat(peer, "addr", "add", h.PeerAltV4.String()+"/24", "dev", h.PeerIf),
		cat(peer, "-6", "addr", "add", h.PeerV6.String()+"/64", "dev", h.PeerIf, "nodad"),
		cat(peer, "-6", "addr", "add", h.PeerAltV6.String()+"/64", "dev", h.PeerIf, "nodad"),
	}
	up := [][]string{
		cat(local, "link", "set", h.LocalIf, "up"),
		cat(peer, "link", "set", h.PeerIf, "up"),
		cat(peer, "link", "set", "lo", "up"),
	}
	if h.ClientNS != "" {
		up = append(up, cat(local, "link", "set", "lo", "up"))
	}
	if err := runAll(create); err != nil {
		return err
	}
	if err := h.disableDAD(); err != nil {
		return err
	}
	if err := runAll(addrs); err != nil {
		return err
	}
	if err := runAll(up); err != nil {
		return err
	}
	if err := h.pinNeighbours(); err != nil {
		return err
	}
	if cfg.SilenceKernel {
		if err := run("ip", "netns", "exec", h.NS, "sysctl", "-qw",
			"net.ipv4.icmp_echo_ignore_all=1", "net.ipv6.icmp.echo_ignore_all=1"); err != nil {
			return err
		}
	}
	if cfg.OpenPingGroup {
		if err := run("ip", "netns", "exec", h.ClientNS, "sysctl", "-qw", "net.ipv4.ping_group_range=0 2147483647"); err != nil {
			return err
		}
	}
	return nil
}

// pinNeighbours adds permanent ARP/neighbour entries on both ends. A fresh veth pair takes
// about a second before its first IPv6 neighbour solicitation is answered, which would
// delay every test's first IPv6 packet; with the entries pinned nothing waits.
func (h *Host) pinNeighbours() error {
	localMAC, err := linkMAC(h.ClientNS, h.LocalIf)
	if err != nil {
		return err
	}
	peerMAC, err := linkMAC(h.NS, h.PeerIf)
	if err != nil {
		return err
	}
	var steps [][]string
	for _, a := range []netip.Addr{h.PeerV4, h.PeerAltV4, h.PeerV6, h.PeerAltV6} {
		steps = append(steps, nsArgs(h.ClientNS, "neigh", "replace", a.String(), "lladdr", peerMAC, "dev", h.LocalIf, "nud", "permanent"))
	}
	for _, a := range []netip.Addr{h.LocalV4, h.LocalV6} {
		steps = append(steps, nsArgs(h.NS, "neigh", "replace", a.String(), "lladdr", localMAC, "dev", h.PeerIf, "nud", "permanent"))
	}
	return runAll(steps)
}

func nsArgs(ns string, args ...string) []string {
	if ns == "" {
		return args
	}
	return append([]string{"-n", ns}, args...)
}

func linkMAC(ns, ifname string) (string, error) {
	out, err := exec.Command("ip", nsArgs(ns, "-j", "link", "show", "dev", ifname)...).Output()
	if err != nil {
		return "", fmt.Errorf("testnet: link %s: %w", ifname, err)
	}
	var links []struct {
		Address string `json:"address"`
	}
	if err := json.Unmarshal(out, &links); err != nil || len(links) != 1 || links[0].Address == "" {
		return "", fmt.Errorf("testnet: no MAC address for %s (%s)", ifname, strings.TrimSpace(string(out)))
	}
	return links[0].Address, nil
}

func runAll(steps [][]string) error {
	for _, s := range steps {
		if err := run("ip", s...); err != nil {
			return err
		}
	}
	return nil
}

// disableDAD: link-local addresses would otherwise wait about a second for duplicate
// address detection before neighbour discovery works, delaying every test's first IPv6
// packet. It is turned off per interface, on our two only, so nothing else changes.
func (h *Host) disableDAD() error {
	for _, side := range []struct{ ns, ifname string }{{h.ClientNS, h.LocalIf}, {h.NS, h.PeerIf}} {
		key := "net.ipv6.conf." + side.ifname + ".accept_dad=0"
		var err error
		if side.ns == "" {
			err = run("sysctl", "-qw", key)
		} else {
			err = run("ip", "netns", "exec", side.ns, "sysctl", "-qw", key)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func run(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("testnet: %s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// Close removes the namespaces (which removes the veth pair with them) and the pid file.
// It is safe to call twice.
func (h *Host) Close() error {
	if h.closed {
		return nil
	}
	h.closed = true
	var errs []error
	for _, ns := range []string{h.ClientNS, h.NS} {
		if ns != "" && nsExists(ns) {
			errs = append(errs, run("ip", "netns", "del", ns))
		}
	}
	// A veth end left in this namespace (if the peer never moved) goes too.
	// Deleting the namespace destroys the pair, asynchronously: the link may vanish between
	// the check and the delete, which is success too.
	if h.ClientNS == "" {
		if _, err := os.Stat(filepath.Join("/sys/class/net", h.LocalIf)); err == nil {
			if err := run("ip", "link", "del", h.LocalIf); err != nil && linkExists(h.LocalIf) {
				errs = append(errs, err)
			}
		}
	}
	if err := os.Remove(filepath.Join(stateDir, strconv.Itoa(h.Index)+".pid")); err != nil && !os.IsNotExist(err) {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func linkExists(name string) bool {
	_, err := os.Stat(filepath.Join("/sys/class/net", name))
	return err == nil
}

// Sweep removes test hosts whose owning process is gone (crashed or killed runs).
func Sweep() error {
	if err := Available(); err != nil {
		return err
	}
	h, unlock, err := allocate(Config{})
	if err != nil {
		return err
	}
	// allocate swept under the lock; give back the slot it reserved.
	unlock()
	return h.Close()
}

// sweepLocked removes hosts whose pid file names a dead process, and namespaces with our
// prefix that have no pid file at all. Called with the lock held.
func sweepLocked() {
	entries, _ := os.ReadDir("/run/netns")
	owned := map[string]bool{}
	for i := range maxHosts {
		pidFile := filepath.Join(stateDir, strconv.Itoa(i)+".pid")
		b, err := os.ReadFile(pidFile)
		if err != nil {
			continue
		}
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		if pid > 0 && syscall.Kill(pid, 0) == nil {
			owned[nsName(i)] = true
			continue
		}
		stale := newHost(i, Config{ClientNamespace: true})
		stale.Close()
	}
	for _, e := range entries {
		name := e.Name()
		base := strings.TrimSuffix(name, "c")
		if strings.HasPrefix(name, NamePrefix) && !owned[base] {
			run("ip", "netns", "del", name)
		}
	}
}
