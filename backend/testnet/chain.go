//go:build linux

package testnet

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"testing"
)

// A Chain is a path of routers for traceroute tests: a client namespace, Routers router
// namespaces (forwarding on) and a destination namespace, in a line joined by veth pairs:
//
//	client ─link0─ r1 ─link1─ r2 ─link2─ r3 ─link3─ destination
//
// Each link takes one test host slot (its /24 and /64, left end .1/::1, right end .2/::2),
// so chains and hosts never share a subnet, and each slot's namespace is the node at the
// right end of its link (the client is the first slot's "c" namespace): Sweep and the pid
// files clean up after a crashed run as they do for hosts. Every node gets a route for every
// link it is not on, through its neighbour on that side, and none other: nothing can fall to
// a default route, there is none.
//
// ICMP error rate limits: every router answers without limit (net.ipv4.icmp_ratemask=0,
// net.ipv6.icmp.ratelimit=0), except the one named by ChainConfig.RateLimited, which keeps
// the kernel's token bucket with a 10 s refill: a new destination starts with a full bucket
// of ChainRateLimitBurst messages, and the next one is allowed only 10 s later. A test
// shorter than that therefore gets exactly ChainRateLimitBurst Time Exceeded messages from
// that router per address family, then silence, while its forwarding goes on untouched: the
// loss a traceroute sees there does not carry on to the later hops (net.ipv4.icmp_ratelimit
// and net.ipv6.icmp.ratelimit are 10000 ms). On IPv4 each destination address has a bucket
// of its own; on IPv6 the addresses of one of the client's /64s share one (SecondClientV6
// adds an address with a bucket of its own).
type Chain struct {
	// ClientNS is the pinging side's namespace, Nodes the routers' and then the
	// destination's namespaces in path order.
	ClientNS string
	Nodes    []string
	// Links are the address plans of the links in path order: link k joins node k-1 (the
	// client for k = 0) at its Local addresses with node k at its Peer addresses.
	Links []*Host

	closed bool
}

// ChainConfig chooses the shape of a chain.
type ChainConfig struct {
	// Routers between client and destination: 1..8; 0 means 3.
	Routers int
	// RateLimited is the 1-based number of the router that rate-limits its ICMP errors
	// (0: none does).
	RateLimited int
	// ClientHere puts the client end in the caller's namespace instead of one of its own (for
	// a program that must run here, such as the app under test): its veth end, its address
	// and a route to each of the chain's subnets then live here until Close. The chain
	// changes nothing else here (no sysctl but its own interface's duplicate address
	// detection).
	ClientHere bool
}

// ChainRateLimitBurst is how many ICMP errors the rate-limiting router of a chain sends to
// one destination before it falls silent for 10 s: the kernel's XRLIM_BURST_FACTOR, as
// measured by TestChainRateLimitedRouterAllowsItsBurst.
const ChainRateLimitBurst = 6

// chainRateLimitMillis is the rate-limiting router's refill period (see Chain).
const chainRateLimitMillis = 10000

// NewChainT builds a chain for t, skips t when that is impossible here, and removes the
// chain when t ends.
func NewChainT(t testing.TB, cfg ChainConfig) *Chain {
	t.Helper()
	if err := Available(); err != nil {
		t.Skip(err)
	}
	c, err := NewChain(cfg)
	if err != nil {
		t.Fatalf("testnet: %v", err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("testnet chain cleanup: %v", err)
		}
	})
	return c
}

// NewChain builds a chain. The caller must Close it.
func NewChain(cfg ChainConfig) (*Chain, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	if cfg.Routers == 0 {
		cfg.Routers = 3
	}
	if cfg.Routers < 1 || cfg.Routers > 8 {
		return nil, fmt.Errorf("testnet: a chain has 1..8 routers, not %d", cfg.Routers)
	}
	if cfg.RateLimited < 0 || cfg.RateLimited > cfg.Routers {
		return nil, fmt.Errorf("testnet: router %d to rate-limit is not one of the %d routers", cfg.RateLimited, cfg.Routers)
	}
	c := &Chain{}
	for range cfg.Routers + 1 {
		h, unlock, err := allocate(Config{})
		if err != nil {
			c.Close()
			return nil, err
		}
		unlock() // the pid file holds the slot from now on
		c.Links = append(c.Links, h)
		c.Nodes = append(c.Nodes, h.NS)
	}
	if !cfg.ClientHere {
		c.ClientNS = c.Links[0].NS + "c"
	}
	if err := c.build(cfg); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// node returns the namespace of node p: 0 is the client ("" when it is the caller's), 1..
// the routers, then the destination.
func (c *Chain) node(p int) string {
	if p == 0 {
		return c.ClientNS
	}
	return c.Nodes[p-1]
}

func (c *Chain) build(cfg ChainConfig) error {
	nodes := len(c.Links) + 1
	for p := range nodes {
		ns := c.node(p)
		if ns == "" {
			continue // the caller's namespace: left as it is
		}
		if err := run("ip", "netns", "add", ns); err != nil {
			return err
		}
		if err := run("ip", nsArgs(ns, "link", "set", "lo", "up")...); err != nil {
			return err
		}
	}
	for k, l := range c.Links {
		left, right := c.node(k), c.node(k+1)
		if err := run("ip", nsArgs(left, "link", "add", l.LocalIf, "type", "veth", "peer", "name", l.PeerIf, "netns", right)...); err != nil {
			return err
		}
		// Before the links come up, so their addresses are usable at once (no duplicate
		// address detection, as test hosts).
		for _, end := range []struct{ ns, ifname string }{{left, l.LocalIf}, {right, l.PeerIf}} {
			if err := sysctl(end.ns, "net.ipv6.conf."+end.ifname+".accept_dad=0"); err != nil {
				return err
			}
		}
		steps := [][]string{
			nsArgs(left, "addr", "add", l.LocalV4.String()+"/24", "dev", l.LocalIf),
			nsArgs(left, "-6", "addr", "add", l.LocalV6.String()+"/64", "dev", l.LocalIf, "nodad"),
			nsArgs(right, "addr", "add", l.PeerV4.String()+"/24", "dev", l.PeerIf),
			nsArgs(right, "-6", "addr", "add", l.PeerV6.String()+"/64", "dev", l.PeerIf, "nodad"),
			nsArgs(left, "link", "set", l.LocalIf, "up"),
			nsArgs(right, "link", "set", l.PeerIf, "up"),
		}
		if err := runAll(steps); err != nil {
			return err
		}
	}
	for p := range nodes {
		if err := c.route(p); err != nil {
			return err
		}
	}
	for r := 1; r < nodes-1; r++ {
		settings := []string{"net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"}
		if r == cfg.RateLimited {
			limit := strconv.Itoa(chainRateLimitMillis)
			settings = append(settings, "net.ipv4.icmp_ratelimit="+limit, "net.ipv6.icmp.ratelimit="+limit)
		} else {
			settings = append(settings, "net.ipv4.icmp_ratemask=0", "net.ipv4.icmp_ratelimit=0", "net.ipv6.icmp.ratelimit=0")
		}
		if err := sysctl(c.node(r), settings...); err != nil {
			return err
		}
	}
	return nil
}

// route gives node p a route to every link it is not on, through its neighbour on that side.
func (c *Chain) route(p int) error {
	ns := c.node(p)
	var steps [][]string
	for k, l := range c.Links {
		var via *Host
		var v4, v6 netip.Addr
		switch {
		case k == p || k == p-1:
			continue // on the node itself
		case k > p:
			via = c.Links[p] // the link to the right: its right end
			v4, v6 = via.PeerV4, via.PeerV6
		default:
			via = c.Links[p-1] // to the left: the left end of the node's left link
			v4, v6 = via.LocalV4, via.LocalV6
		}
		steps = append(steps,
			nsArgs(ns, "route", "add", prefix4(l), "via", v4.String()),
			nsArgs(ns, "-6", "route", "add", prefix6(l), "via", v6.String()))
	}
	return runAll(steps)
}

func prefix4(l *Host) string {
	p, _ := l.LocalV4.Prefix(24)
	return p.String()
}

func prefix6(l *Host) string {
	p, _ := l.LocalV6.Prefix(64)
	return p.String()
}

// sysctl sets settings in namespace ns ("" is the caller's).
func sysctl(ns string, settings ...string) error {
	if ns == "" {
		return run("sysctl", append([]string{"-qw"}, settings...)...)
	}
	return run("ip", append([]string{"netns", "exec", ns, "sysctl", "-qw"}, settings...)...)
}

// SourceV4 and SourceV6 are the client's addresses.
func (c *Chain) SourceV4() netip.Addr { return c.Links[0].LocalV4 }
func (c *Chain) SourceV6() netip.Addr { return c.Links[0].LocalV6 }

// TargetV4 and TargetV6 are the destination's addresses.
func (c *Chain) TargetV4() netip.Addr { return c.Links[len(c.Links)-1].PeerV4 }
func (c *Chain) TargetV6() netip.Addr { return c.Links[len(c.Links)-1].PeerV6 }

// HopsV4 are the addresses that answer a probe sent with TTL 1, 2, ...: each router's
// address on the link towards the client (where the kernel takes the source of an ICMP
// error it sends back), then the destination.
func (c *Chain) HopsV4() []netip.Addr {
	out := make([]netip.Addr, len(c.Links))
	for k, l := range c.Links {
		out[k] = l.PeerV4
	}
	return out
}

// HopsV6 is HopsV4 for hop limits.
func (c *Chain) HopsV6() []netip.Addr {
	out := make([]netip.Addr, len(c.Links))
	for k, l := range c.Links {
		out[k] = l.PeerV6
	}
	return out
}

// SecondClientV6 gives the client a second IPv6 address in a /64 of its own
// (fd00:ec5c:1:N::1, N the slot of the chain's first link: outside every test host's
// prefix, fd00:ec5c:0:N::/64), and every other node a route back to it through its
// neighbour on the client's side. Two programs tracing at once, or one after the other,
// each get the rate-limiting router's full burst when each sends from its own /64: the
// router's ICMPv6 token bucket is per route (two addresses of the client's /64 shared one,
// TestChainSecondClientV6HasItsOwnBucket), where IPv4's is per address.
func (c *Chain) SecondClientV6() (netip.Addr, error) {
	i := c.Links[0].Index
	addr := netip.AddrFrom16([16]byte{0xfd, 0x00, 0xec, 0x5c, 0, 1, byte(i >> 8), byte(i), 15: 1})
	prefix := netip.PrefixFrom(addr, 64).Masked().String()
	steps := [][]string{nsArgs(c.ClientNS, "-6", "addr", "add", addr.String()+"/64", "dev", c.Links[0].LocalIf, "nodad")}
	for p := 1; p <= len(c.Links); p++ {
		steps = append(steps, nsArgs(c.node(p), "-6", "route", "add", prefix, "via", c.Links[p-1].LocalV6.String()))
	}
	if err := runAll(steps); err != nil {
		return netip.Addr{}, err
	}
	return addr, nil
}

// InClient runs f in the client namespace (see Do; here when ClientHere).
func (c *Chain) InClient(f func() error) error { return Do(c.ClientNS, f) }

// Close removes every namespace of the chain (the veth pairs go with them) and frees its
// slots. It is safe to call twice.
func (c *Chain) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	var errs []error
	if c.ClientNS != "" && nsExists(c.ClientNS) {
		errs = append(errs, run("ip", "netns", "del", c.ClientNS))
	}
	for _, l := range c.Links {
		errs = append(errs, l.Close()) // the node namespace named after the slot, and its pid file
	}
	return errors.Join(errs...)
}
