//go:build linux

package testnet

import (
	"errors"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// pingFromClient runs iputils ping in the chain's client namespace and returns its output.
func pingFromClient(t *testing.T, c *Chain, args ...string) string {
	t.Helper()
	out, _ := exec.Command("ip", append([]string{"netns", "exec", c.ClientNS, "ping", "-n"}, args...)...).CombinedOutput()
	return string(out)
}

// Each router answers a probe that runs out of TTL at it from its address towards the
// client, and the destination answers the echo itself, in both address families.
func TestChainHopsAnswerInOrder(t *testing.T) {
	c := NewChainT(t, ChainConfig{})
	if len(c.Nodes) != 4 || len(c.HopsV4()) != 4 {
		t.Fatalf("a default chain has 3 routers and a destination: %v", c.Nodes)
	}
	for fam, hops := range map[string][]string{"-4": addrs(c.HopsV4()), "-6": addrs(c.HopsV6())} {
		target := hops[len(hops)-1]
		for ttl, hop := range hops[:len(hops)-1] {
			out := pingFromClient(t, c, fam, "-c", "1", "-W", "2", "-t", strconv.Itoa(ttl+1), target)
			if !strings.Contains(out, "From "+hop+" icmp_seq=1 Time to live exceeded") &&
				!strings.Contains(out, "From "+hop+" icmp_seq=1 Time exceeded: Hop limit") {
				t.Errorf("%s ttl %d: want Time Exceeded from %s:\n%s", fam, ttl+1, hop, out)
			}
		}
		out := pingFromClient(t, c, fam, "-c", "1", "-W", "2", target)
		if !strings.Contains(out, "bytes from "+target+": icmp_seq=1") {
			t.Errorf("%s: no reply from the destination %s:\n%s", fam, target, out)
		}
	}
}

// The rate-limiting router sends exactly ChainRateLimitBurst Time Exceeded messages to a new
// destination and then none, while the routers without a limit answer every probe.
func TestChainRateLimitedRouterAllowsItsBurst(t *testing.T) {
	c := NewChainT(t, ChainConfig{RateLimited: 2})
	hops := addrs(c.HopsV4())
	target := c.TargetV4().String()
	out := pingFromClient(t, c, "-c", "10", "-i", "0.01", "-W", "1", "-t", "2", target)
	if n := strings.Count(out, "From "+hops[1]+" icmp_seq="); n != ChainRateLimitBurst {
		t.Errorf("router 2 sent %d Time Exceeded messages, want %d:\n%s", n, ChainRateLimitBurst, out)
	}
	v6 := c.TargetV6().String()
	out = pingFromClient(t, c, "-6", "-c", "10", "-i", "0.01", "-W", "1", "-t", "2", v6)
	if n := strings.Count(out, "From "+c.HopsV6()[1].String()+" icmp_seq="); n != ChainRateLimitBurst {
		t.Errorf("router 2 sent %d IPv6 Time Exceeded messages, want %d:\n%s", n, ChainRateLimitBurst, out)
	}
	out = pingFromClient(t, c, "-c", "10", "-i", "0.01", "-W", "1", "-t", "3", target)
	if n := strings.Count(out, "From "+hops[2]+" icmp_seq="); n != 10 {
		t.Errorf("router 3 (no limit) sent %d Time Exceeded messages, want 10:\n%s", n, out)
	}
}

// The second client address of SecondClientV6 reaches the destination through the chain and
// gets the rate-limiting router's whole burst again after the first address used its own.
func TestChainSecondClientV6HasItsOwnBucket(t *testing.T) {
	c := NewChainT(t, ChainConfig{RateLimited: 2})
	second, err := c.SecondClientV6()
	if err != nil {
		t.Fatal(err)
	}
	target, router2 := c.TargetV6().String(), c.HopsV6()[1].String()
	for _, src := range []string{c.SourceV6().String(), second.String()} {
		out := pingFromClient(t, c, "-6", "-I", src, "-c", "10", "-i", "0.01", "-W", "1", "-t", "2", target)
		if n := strings.Count(out, "From "+router2+" icmp_seq="); n != ChainRateLimitBurst {
			t.Errorf("from %s router 2 sent %d Time Exceeded messages, want %d:\n%s", src, n, ChainRateLimitBurst, out)
		}
	}
	out := pingFromClient(t, c, "-6", "-I", second.String(), "-c", "1", "-W", "2", target)
	if !strings.Contains(out, "bytes from "+target+": icmp_seq=1") {
		t.Errorf("no reply to the second address:\n%s", out)
	}
}

func addrs[T interface{ String() string }](in []T) []string {
	out := make([]string, len(in))
	for i, a := range in {
		out[i] = a.String()
	}
	return out
}

// With ClientHere the client end is in this namespace: the hops answer pings from here, and
// Close leaves no interface or route behind.
func TestChainWithClientHere(t *testing.T) {
	c, err := NewChain(ChainConfig{Routers: 2, ClientHere: true})
	if err != nil {
		if errors.Is(err, ErrUnavailable) {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	defer c.Close()
	if c.ClientNS != "" || len(c.Nodes) != 3 {
		t.Fatalf("client namespace %q, nodes %v", c.ClientNS, c.Nodes)
	}
	out, _ := exec.Command("ping", "-n", "-c", "1", "-W", "2", "-t", "2", c.TargetV4().String()).CombinedOutput()
	if !strings.Contains(string(out), "From "+c.HopsV4()[1].String()+" icmp_seq=1 Time to live exceeded") {
		t.Errorf("router 2 did not answer from here:\n%s", out)
	}
	local := c.Links[0].LocalIf
	target := c.TargetV4()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if linkExists(local) {
		t.Errorf("interface %s left behind", local)
	}
	routes, _ := exec.Command("ip", "route", "get", target.String()).CombinedOutput()
	if strings.Contains(string(routes), local) {
		t.Errorf("a route through %s left behind: %s", local, routes)
	}
}
