package agent

import (
	"context"
	"encoding/binary"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"echoscope/backend/probe"
)

// TestCraftedLessonThroughTheHelper is the lesson end to end through the real helper: the
// classic example's packet with the RFC 1071 checksum (0xF7CD) is answered by 127.0.0.1
// with identifier 13 and sequence 37, as the example checked; with the example's own
// checksum (0xF2FF) it gets silence; an echo reply is refused in words.
func TestCraftedLessonThroughTheHelper(t *testing.T) {
	c := spawn(t)
	needRaw(t, c)
	lo := netip.MustParseAddr("127.0.0.1")
	ctx := context.Background()
	good := []byte{8, 0, 0xf7, 0xcd, 0, 13, 0, 37}
	res, err := c.Craft(ctx, probe.CraftRequest{Family: probe.Family4, Target: lo, Message: good, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if res.TimedOut || len(res.Reply) < 8 || binary.BigEndian.Uint16(res.Reply[4:]) != 13 || binary.BigEndian.Uint16(res.Reply[6:]) != 37 {
		t.Fatalf("RFC 1071 packet: %+v", res)
	}
	// The helper spaces crafted packets like a ping session's interval.
	_, err = c.Craft(ctx, probe.CraftRequest{Family: probe.Family4, Target: lo, Message: good, Timeout: time.Second})
	if !errors.Is(err, probe.ErrPolicy) || !strings.Contains(err.Error(), "crafted packets at most one per") {
		t.Fatalf("second packet at once: %v", err)
	}
	time.Sleep(craftGap(probe.PolicyForCurrentUser()))
	broken := []byte{8, 0, 0xf2, 0xff, 0, 13, 0, 37}
	res, err = c.Craft(ctx, probe.CraftRequest{Family: probe.Family4, Target: lo, Message: broken, Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if !res.TimedOut || res.Reply != nil {
		t.Fatalf("the example's checksum was answered: %+v", res)
	}
	_, err = c.Craft(ctx, probe.CraftRequest{Family: probe.Family4, Target: lo, Message: []byte{0, 0, 0xff, 0xff, 0, 0, 0, 0}, Timeout: time.Second})
	var re *RemoteError
	if !errors.As(err, &re) || re.Body.Code != CodeCraft || !strings.Contains(re.Body.Message, "only echo requests can be sent: type 0 (Echo Reply)") {
		t.Fatalf("echo reply: %v", err)
	}
}

func TestEnginesThatCannotCraftSayWhy(t *testing.T) {
	r := probe.CraftRequest{Family: probe.Family4, Target: netip.MustParseAddr("127.0.0.1"), Message: []byte{8, 0, 0xf7, 0xcd, 0, 13, 0, 37}, Timeout: time.Second}
	for kind, want := range map[probe.SocketKind]string{
		probe.SocketDatagram: "write the identifier and the checksum themselves",
		probe.SocketWindows:  "builds the header and checksum itself",
	} {
		_, err := SendCrafted(context.Background(), &localEngine{kind: kind}, r)
		if !errors.Is(err, ErrCannotCraft) || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: %v", kind, err)
		}
	}
}
