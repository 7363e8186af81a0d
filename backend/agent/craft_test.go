package agent

import (
	"context"
	"encoding/json"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"echoscope/backend/probe"
)

// craftServer starts a helper whose crafted sends go to send (never the network) and whose
// rate-limit clock is *now.
func craftServer(t *testing.T, policy probe.Policy, now *time.Time, send func(context.Context, probe.CraftRequest) (probe.CraftResult, error)) *harness {
	var mu sync.Mutex
	return startServerWith(t, policy, fakeFactory, func(c *ServerConfig) {
		c.SendCrafted = send
		c.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return *now }
	})
}

func lessonCraft(msg []byte) probe.CraftRequest {
	return probe.CraftRequest{Family: probe.Family4, Target: netip.MustParseAddr("127.0.0.1"), Message: msg, Timeout: time.Second}
}

// The lesson's broken packet (checksum 0xF2FF) is an echo request: it is sent as it is.
var lessonBroken = []byte{8, 0, 0xf2, 0xff, 0, 13, 0, 37}

func answered(_ context.Context, r probe.CraftRequest) (probe.CraftResult, error) {
	reply := append([]byte{0, 0}, r.Message[2:]...)
	return probe.CraftResult{Reply: reply, From: r.Target, RTT: time.Millisecond}, nil
}

func TestHelperSendsACraftedEchoRequest(t *testing.T) {
	now := time.Unix(1000, 0)
	var got probe.CraftRequest
	h := craftServer(t, probe.UserPolicy(), &now, func(ctx context.Context, r probe.CraftRequest) (probe.CraftResult, error) {
		got = r
		return answered(ctx, r)
	})
	h.send(TypeCraft, "c1", lessonCraft(lessonBroken))
	m := h.next()
	var res probe.CraftResult
	if m.Type != TypeCrafted || m.Session != "c1" || json.Unmarshal(m.Body, &res) != nil {
		t.Fatalf("got %s %q %s", m.Type, m.Session, m.Body)
	}
	if string(got.Message) != string(lessonBroken) || res.Reply[0] != 0 {
		t.Fatalf("sent % x, result %+v", got.Message, res)
	}
}

// TestHelperRefusesEveryCraftedTypeButEchoRequest: every ICMPv4 and ICMPv6 type but echo
// request is refused with code craft and a sentence naming the type; nothing is sent.
func TestHelperRefusesEveryCraftedTypeButEchoRequest(t *testing.T) {
	now := time.Unix(1000, 0)
	sent := 0
	h := craftServer(t, probe.RootPolicy(), &now, func(ctx context.Context, r probe.CraftRequest) (probe.CraftResult, error) {
		sent++
		return answered(ctx, r)
	})
	for _, fam := range []struct {
		f      probe.Family
		target string
		echo   byte
	}{{probe.Family4, "127.0.0.1", 8}, {probe.Family6, "::1", 128}} {
		for typ := 0; typ < 256; typ++ {
			if byte(typ) == fam.echo {
				continue
			}
			r := probe.CraftRequest{Family: fam.f, Target: netip.MustParseAddr(fam.target), Message: []byte{byte(typ), 0, 0, 0, 0, 1, 0, 1}, Timeout: time.Second}
			h.send(TypeCraft, "c", r)
			e := h.expectError("c", CodeCraft)
			if !strings.Contains(e.Message, "only echo requests can be sent: type ") {
				t.Fatalf("IPv%d type %d: %q", fam.f, typ, e.Message)
			}
		}
	}
	for _, target := range []string{"255.255.255.255", "224.0.0.251", "0.0.0.0"} {
		h.send(TypeCraft, "c", probe.CraftRequest{Family: probe.Family4, Target: netip.MustParseAddr(target), Message: lessonBroken, Timeout: time.Second})
		if e := h.expectError("c", CodeCraft); !strings.Contains(e.Message, "not one unicast destination") {
			t.Fatalf("%s: %q", target, e.Message)
		}
	}
	h.sendRaw(`{"v":1,"type":"craft","session":"c","body":{"family":4,"target":"127.0.0.1","message":"CAAAAAABAAE=","timeout":1000000000,"ttl":1}}`)
	h.expectError("c", CodeMalformed)
	if sent != 0 {
		t.Fatalf("%d refused packets were sent", sent)
	}
}

// TestHelperRateLimitsCraftedPackets: one in flight, and no faster than the policy's
// interval floor (the user policy's 500 requests/s: 2 ms apart).
func TestHelperRateLimitsCraftedPackets(t *testing.T) {
	now := time.Unix(1000, 0)
	release := make(chan struct{})
	h := craftServer(t, probe.UserPolicy(), &now, func(ctx context.Context, r probe.CraftRequest) (probe.CraftResult, error) {
		<-release
		return answered(ctx, r)
	})
	h.send(TypeCraft, "a", lessonCraft(lessonBroken))
	h.send(TypeCraft, "b", lessonCraft(lessonBroken))
	if e := h.expectError("b", CodePolicy); !strings.Contains(e.Message, "one at a time") {
		t.Fatalf("second in flight: %q", e.Message)
	}
	close(release)
	if m := h.next(); m.Type != TypeCrafted || m.Session != "a" {
		t.Fatalf("got %s %q", m.Type, m.Session)
	}
	h.send(TypeCraft, "c", lessonCraft(lessonBroken)) // same instant as "a"
	if e := h.expectError("c", CodePolicy); !strings.Contains(e.Message, "at most one per 2ms") {
		t.Fatalf("too soon: %q", e.Message)
	}
	if got := craftGap(probe.RootPolicy()); got != CraftMinGap {
		t.Fatalf("root gap %v, want %v", got, CraftMinGap)
	}
}
