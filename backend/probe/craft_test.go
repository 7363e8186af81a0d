package probe

import (
	"context"
	"encoding/binary"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"echoscope/backend/wire"
)

// lessonPacket is the classic example's echo request (identifier 13, sequence 37, no
// payload) with its checksum filled as mode says (wire.LabChecksumCorrect: 0xF7CD;
// wire.LabChecksumClassic: the example's 0xF2FF).
func lessonPacket(t *testing.T, mode string) []byte {
	t.Helper()
	msg, err := wire.BuildLab(wire.LabSpec{Family: wire.IPv4, Type: 8, ID: 13, Seq: 37, Mode: mode})
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

func TestValidateCraftRefusesInWords(t *testing.T) {
	lo := netip.MustParseAddr("127.0.0.1")
	good := CraftRequest{Family: Family4, Target: lo, Message: lessonPacket(t, wire.LabChecksumClassic), Timeout: time.Second}
	if err := ValidateCraft(good); err != nil {
		t.Fatalf("the lesson's broken packet is refused: %v", err)
	}
	reply := append([]byte{0, 0}, good.Message[2:]...)
	for _, c := range []struct {
		name string
		edit func(*CraftRequest)
		want string
	}{
		{"echo reply", func(r *CraftRequest) { r.Message = reply }, "only echo requests can be sent: type 0 (Echo Reply)"},
		{"ICMPv6 type on IPv4", func(r *CraftRequest) { r.Message = append([]byte{128}, r.Message[1:]...) }, "type 128"},
		{"short", func(r *CraftRequest) { r.Message = r.Message[:5] }, "shorter than the 8-byte echo header"},
		{"broadcast", func(r *CraftRequest) { r.Target = netip.MustParseAddr("255.255.255.255") }, "not one unicast destination"},
		{"multicast", func(r *CraftRequest) { r.Target = netip.MustParseAddr("224.0.0.1") }, "not one unicast destination"},
		{"unspecified", func(r *CraftRequest) { r.Target = netip.MustParseAddr("0.0.0.0") }, "not one unicast destination"},
		{"wrong family", func(r *CraftRequest) { r.Target = netip.MustParseAddr("::1") }, "is not an IPv4 address"},
		{"no target", func(r *CraftRequest) { r.Target = netip.Addr{} }, "no destination address"},
		{"timeout", func(r *CraftRequest) { r.Timeout = time.Hour }, "timeout 1h0m0s is out of range"},
		{"family", func(r *CraftRequest) { r.Family = 0 }, "family must be 4 or 6"},
	} {
		r := good
		c.edit(&r)
		err := ValidateCraft(r)
		if !errors.Is(err, ErrCraft) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want ErrCraft saying %q", c.name, err, c.want)
		}
	}
}

// TestCraftedLessonPacketsOnLoopback sends the classic example's packet to 127.0.0.1 twice:
// with the RFC 1071 checksum it is answered, and the reply's identifier and sequence are
// those sent (the example's own check); with the example's checksum the kernel drops it and
// the sender sees only its timeout. Another program pinging 127.0.0.1 with identifier 13
// and sequence 37 at the same moment could answer for it: rerun once if it flakes.
func TestCraftedLessonPacketsOnLoopback(t *testing.T) {
	requireRoot(t)
	lo := netip.MustParseAddr("127.0.0.1")
	ctx := context.Background()
	res, err := SendCrafted(ctx, CraftRequest{Family: Family4, Target: lo, Message: lessonPacket(t, wire.LabChecksumCorrect), Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if res.TimedOut || len(res.Reply) < 8 || res.Reply[0] != 0 {
		t.Fatalf("correct checksum: no echo reply: %+v", res)
	}
	if id, seq := binary.BigEndian.Uint16(res.Reply[4:]), binary.BigEndian.Uint16(res.Reply[6:]); id != 13 || seq != 37 {
		t.Fatalf("reply id %d seq %d, want 13 and 37", id, seq)
	}
	if !wire.VerifyChecksum(wire.IPv4, res.Reply, nil) || res.From != lo {
		t.Fatalf("reply % x from %v", res.Reply, res.From)
	}
	res, err = SendCrafted(ctx, CraftRequest{Family: Family4, Target: lo, Message: lessonPacket(t, wire.LabChecksumClassic), Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if !res.TimedOut || res.Reply != nil {
		t.Fatalf("the example's checksum 0xF2FF was answered: %+v", res)
	}
}

// TestCraftedICMPv6ChecksumIsTheKernels shows what the Lab tells its users: an ICMPv6 raw
// socket replaces whatever checksum the bytes carry, so even a wrong one is answered.
func TestCraftedICMPv6ChecksumIsTheKernels(t *testing.T) {
	requireRoot(t)
	lo := netip.MustParseAddr("::1")
	msg := []byte{128, 0, 0xde, 0xad, 0x31, 0x7a, 0, 1, 'l', 'a', 'b'}
	res, err := SendCrafted(context.Background(), CraftRequest{Family: Family6, Target: lo, Message: msg, Timeout: 2 * time.Second})
	if err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	}
	if res.TimedOut || !res.KernelChecksum {
		t.Fatalf("ICMPv6 with checksum 0xdead: %+v (the kernel should have fixed it)", res)
	}
	if !wire.VerifyChecksum(wire.IPv6, res.Reply, &wire.PseudoHeader{Src: lo, Dst: lo}) {
		t.Fatalf("reply % x has a bad checksum", res.Reply)
	}
}
