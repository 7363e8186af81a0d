//go:build linux

package probe

import (
	"bytes"
	"context"
	"net/netip"
	"os/exec"
	"strings"
	"testing"
	"time"

	"echoscope/backend/testnet"
	"echoscope/backend/wire"
)

// traceInChain makes the trace open its socket in the chain's client namespace.
func traceInChain(c *testnet.Chain, tr *Trace) { tr.newConn = openingIn(c.InClient, tr.newConn) }

func runTrace(t *testing.T, c *testnet.Chain, o TraceOptions, p Policy) TraceResult {
	t.Helper()
	tr, err := NewTrace(context.Background(), o, p)
	if err != nil {
		t.Fatal(err)
	}
	traceInChain(c, tr)
	res, err := tr.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// On a chain of three routers whose second rate-limits its ICMP errors (a burst of 6, then
// nothing for 10 s), ten rounds give exactly: every hop sent 10; routers 1 and 3 and the
// destination answered all 10; router 2 answered 6 (40 % loss), and only router 2 carries
// the rate-limit note, since its loss does not carry on to the later hops. Every answer is
// kept with its bytes and tied to the probe it quotes (identifier, sequence and payload of
// the request are in the message; the checksum is left out: ICMPv6 requests carry 0, which
// the kernel fills).
func TestTraceThreeRoutersOneRateLimited(t *testing.T) {
	c := testnet.NewChainT(t, testnet.ChainConfig{Routers: 3, RateLimited: 2})
	for _, fam := range []struct {
		name   string
		target netip.Addr
		hops   []netip.Addr
		teType uint8
	}{
		{"IPv4", c.TargetV4(), c.HopsV4(), wire.ICMPv4TimeExceeded},
		{"IPv6", c.TargetV6(), c.HopsV6(), 3},
	} {
		t.Run(fam.name, func(t *testing.T) {
			res := runTrace(t, c, TraceOptions{Target: fam.target.String(), Rounds: 10,
				Interval: 100 * time.Millisecond, Timeout: 500 * time.Millisecond}, RootPolicy())
			if res.DestinationHop != 4 || res.Rounds != 10 || len(res.Hops) != 4 {
				t.Fatalf("destination hop %d, rounds %d, %d hops; want 4, 10, 4: %+v", res.DestinationHop, res.Rounds, len(res.Hops), res.Hops)
			}
			wantReceived := []int{10, testnet.ChainRateLimitBurst, 10, 10}
			for i, h := range res.Hops {
				if h.TTL != i+1 || len(h.Addrs) != 1 || h.Addrs[0] != fam.hops[i] {
					t.Errorf("hop %d: ttl %d addresses %v, want %v", i+1, h.TTL, h.Addrs, fam.hops[i])
				}
				if h.Sent != 10 || h.Received != wantReceived[i] {
					t.Errorf("hop %d: sent %d received %d, want 10 and %d", i+1, h.Sent, h.Received, wantReceived[i])
				}
				if h.RateLimited != (i == 1) {
					t.Errorf("hop %d: rate-limited %v (note %q)", i+1, h.RateLimited, h.Note)
				}
				if h.Received > 0 && (h.Best <= 0 || h.Best > h.Avg || h.Avg > h.Worst || h.Last <= 0) {
					t.Errorf("hop %d: times best %v avg %v worst %v last %v", i+1, h.Best, h.Avg, h.Worst, h.Last)
				}
				if len(h.Answers) != h.Received {
					t.Fatalf("hop %d kept %d answers for %d received", i+1, len(h.Answers), h.Received)
				}
				for _, a := range h.Answers {
					ev := a.Event
					if a.TTL != i+1 || ev.From != fam.hops[i] || len(ev.Request) < 8 || !bytes.Contains(ev.Bytes, ev.Request[4:]) {
						t.Fatalf("hop %d round %d: from %v, request %x not quoted in %x", i+1, a.Round, ev.From, ev.Request, ev.Bytes)
					}
					if last := i == 3; last {
						if ev.Kind != EventReply || ev.Rule != RuleIDSeqToken {
							t.Errorf("destination answer %s by %q", ev.Kind, ev.Rule)
						}
					} else if ev.Kind != EventICMPError || ev.ICMPType != int(fam.teType) || ev.Rule != RuleQuotedIDSeqToken {
						t.Errorf("hop %d: %s type %d matched by %q, want Time Exceeded by %q", i+1, ev.Kind, ev.ICMPType, ev.Rule, RuleQuotedIDSeqToken)
					}
				}
			}
			if h := res.Hops[1]; !strings.Contains(h.Note, "40.0% loss here does not carry on to later hops") {
				t.Errorf("hop 2 note: %q", h.Note)
			}
		})
	}
}

// A caller confined to its own traffic sees only the Time Exceeded messages that quote its
// own probes: another session's, arriving on the same raw socket all along, are counted as
// foreign and appear nowhere in the result.
func TestTraceShowsOnlyOwnTrafficToConfinedCaller(t *testing.T) {
	c := testnet.NewChainT(t, testnet.ChainConfig{Routers: 2})
	ctx, stop := context.WithCancel(context.Background())
	other, err := NewSession(Options{Target: c.TargetV4().String(), TTL: 2, Interval: 10 * time.Millisecond,
		Timeout: 100 * time.Millisecond}, RootPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	open := other.newConn
	other.newConn = func(ctx context.Context, kind SocketKind, target netip.Addr, o *Options) (packetConn, error) {
		var pc packetConn
		err := c.InClient(func() error { var err error; pc, err = open(ctx, kind, target, o); return err })
		return pc, err
	}
	done := make(chan Summary, 1)
	go func() { s, _ := other.Run(ctx); done <- s }()
	time.Sleep(50 * time.Millisecond) // the other session's errors are flowing
	res := runTrace(t, c, TraceOptions{Target: c.TargetV4().String(), Rounds: 5,
		Interval: 100 * time.Millisecond, Timeout: 500 * time.Millisecond}, UserPolicy())
	stop()
	sum := <-done
	if sum.Stats.Received+sum.Stats.Errors == 0 && sum.Stats.Sent == 0 {
		t.Fatalf("the other session sent nothing: %+v", sum.Stats)
	}
	if !res.OwnTrafficOnly || res.Foreign == 0 {
		t.Fatalf("own traffic only %v, foreign %d: the other session's errors were not counted", res.OwnTrafficOnly, res.Foreign)
	}
	hops := c.HopsV4()
	if len(res.Hops) != 3 {
		t.Fatalf("%d hops, want 3", len(res.Hops))
	}
	for i, h := range res.Hops {
		if h.Sent != 5 || h.Received != 5 || len(h.Addrs) != 1 || h.Addrs[0] != hops[i] {
			t.Errorf("hop %d: sent %d received %d addresses %v", i+1, h.Sent, h.Received, h.Addrs)
		}
		for _, a := range h.Answers {
			if a.Event.ID != res.Identifier {
				t.Errorf("hop %d shows a message about identifier %#x, not ours (%#x)", i+1, a.Event.ID, res.Identifier)
			}
		}
	}
}

// On an unprivileged ICMP datagram socket (the fallback without the helper) the kernel hands
// each Time Exceeded over through the socket's error queue, as our own request with the
// router's address: the same path comes out, hop by hop, with the same figures.
func TestTraceOverDatagramSocket(t *testing.T) {
	c := testnet.NewChainT(t, testnet.ChainConfig{Routers: 2})
	if out, err := exec.Command("ip", "netns", "exec", c.ClientNS, "sysctl", "-qw", "net.ipv4.ping_group_range=0 2147483647").CombinedOutput(); err != nil {
		t.Fatalf("ping_group_range: %v %s", err, out)
	}
	res := runTrace(t, c, TraceOptions{Target: c.TargetV4().String(), Socket: SocketDatagram, Rounds: 4,
		Interval: 100 * time.Millisecond, Timeout: 500 * time.Millisecond}, UserPolicy())
	if res.Socket != SocketDatagram || res.DestinationHop != 3 || len(res.Hops) != 3 {
		t.Fatalf("socket %v, destination hop %d, %d hops", res.Socket, res.DestinationHop, len(res.Hops))
	}
	for i, h := range res.Hops {
		if h.Sent != 4 || h.Received != 4 || len(h.Addrs) != 1 || h.Addrs[0] != c.HopsV4()[i] {
			t.Errorf("hop %d: sent %d received %d addresses %v", i+1, h.Sent, h.Received, h.Addrs)
		}
		if i < 2 && !strings.Contains(h.Answers[0].Event.Note, "kernel's error queue") {
			t.Errorf("hop %d: %q", i+1, h.Answers[0].Event.Note)
		}
	}
}
