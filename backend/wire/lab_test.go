package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

// lessonSpec is the classic example's packet: echo request, identifier 13, sequence 37,
// no payload.
func lessonSpec(mode string) LabSpec {
	return LabSpec{Family: IPv4, Type: 8, ID: 13, Seq: 37, Mode: mode}
}

func TestClassicExampleChecksumOnTheLessonPacket(t *testing.T) {
	msg := []byte{0x08, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x25} // checksum field zero
	if got := ClassicExampleChecksum(msg); got != 0xf2ff {
		t.Fatalf("ClassicExampleChecksum = %#04x, want 0xf2ff", got)
	}
	if got := Checksum(msg); got != 0xf7cd {
		t.Fatalf("Checksum = %#04x, want 0xf7cd", got)
	}
	tr := TraceClassicExampleChecksum(msg)
	// It adds 0x0000 (bytes 1,2), 0x0000 (3,4), 0x0d00 (5,6) and never reads bytes 0 and 7.
	wantWords := []uint16{0x0000, 0x0000, 0x0d00}
	if len(tr.Steps) != len(wantWords) {
		t.Fatalf("%d steps, want %d: %+v", len(tr.Steps), len(wantWords), tr.Steps)
	}
	for i, w := range wantWords {
		if tr.Steps[i].Word != w || tr.Steps[i].High != 2*i+1 {
			t.Errorf("step %d: %+v, want word %#04x from byte %d", i, tr.Steps[i], w, 2*i+1)
		}
	}
	if fmt.Sprint(tr.Unread) != "[0 7]" {
		t.Errorf("unread bytes %v, want [0 7]", tr.Unread)
	}
	if tr.Folded != 0x0d00 || tr.Result != 0xf2ff {
		t.Errorf("folded %#04x result %#04x, want 0x0d00 0xf2ff", tr.Folded, tr.Result)
	}
}

// The trace and the function are the same computation, and odd lengths read every byte but
// the first while even lengths also skip the last.
func TestClassicTraceAgreesWithTheFunction(t *testing.T) {
	for n := 0; n < 40; n++ {
		msg := make([]byte, n)
		for i := range msg {
			msg[i] = byte(i*37 + 11)
		}
		tr := TraceClassicExampleChecksum(msg)
		if tr.Result != ClassicExampleChecksum(msg) {
			t.Fatalf("len %d: trace %#04x, function %#04x", n, tr.Result, ClassicExampleChecksum(msg))
		}
		want := []int{}
		if n > 0 {
			want = append(want, 0)
		}
		if n >= 2 && n%2 == 0 {
			want = append(want, n-1)
		}
		if n == 1 {
			want = []int{0}
		}
		if len(tr.Unread) != len(want) {
			t.Fatalf("len %d: unread %v, want %v", n, tr.Unread, want)
		}
		for i := range want {
			if tr.Unread[i] != want[i] {
				t.Fatalf("len %d: unread %v, want %v", n, tr.Unread, want)
			}
		}
	}
}

func TestBuildLabLessonPacketInEachMode(t *testing.T) {
	for _, c := range []struct {
		mode string
		want uint16
	}{{LabChecksumCorrect, 0xf7cd}, {LabChecksumClassic, 0xf2ff}} {
		msg, err := BuildLab(lessonSpec(c.mode))
		if err != nil {
			t.Fatal(err)
		}
		if len(msg) != 8 || binary.BigEndian.Uint16(msg[2:]) != c.want {
			t.Fatalf("%s: % x, want checksum %#04x", c.mode, msg, c.want)
		}
		a := AnalyzeLab(IPv4, msg, netip.Addr{}, netip.Addr{})
		if a.Correct != 0xf7cd || a.Classic != 0xf2ff || !a.Verifiable {
			t.Fatalf("%s: analysis correct %#04x classic %#04x", c.mode, a.Correct, a.Classic)
		}
		wantVerdict := map[string]string{LabChecksumCorrect: "correct", LabChecksumClassic: "classic"}[c.mode]
		if a.Verdict != wantVerdict || a.Sendable != "" {
			t.Fatalf("%s: verdict %q sendable %q", c.mode, a.Verdict, a.Sendable)
		}
		if a.Fields == nil || a.Fields.ID != 13 || a.Fields.Seq != 37 || a.Fields.Checksum != c.want {
			t.Fatalf("%s: fields %+v", c.mode, a.Fields)
		}
	}
	s := lessonSpec(LabChecksumKeep)
	s.Checksum = 0x1234
	msg, err := BuildLab(s)
	if err != nil || binary.BigEndian.Uint16(msg[2:]) != 0x1234 {
		t.Fatalf("keep: % x %v", msg, err)
	}
	if a := AnalyzeLab(IPv4, msg, netip.Addr{}, netip.Addr{}); a.Verdict != "wrong" {
		t.Fatalf("keep 0x1234: verdict %q", a.Verdict)
	}
}

func TestBuildLabPayloads(t *testing.T) {
	s := lessonSpec(LabChecksumCorrect)
	s.PayloadKind, s.Payload, s.Size = LabPayloadPattern, "ab cd", 5
	msg, err := BuildLab(s)
	if err != nil || string(msg[8:]) != "\xab\xcd\xab\xcd\xab" {
		t.Fatalf("pattern: % x %v", msg, err)
	}
	if !VerifyChecksum(IPv4, msg, nil) {
		t.Fatal("odd-length packet with the correct mode does not verify")
	}
	if a := AnalyzeLab(IPv4, msg, netip.Addr{}, netip.Addr{}); !a.OddLength || a.Fields.PayloadText != "" {
		t.Fatalf("odd length %v, text %q", a.OddLength, a.Fields.PayloadText)
	}
	s.PayloadKind, s.Payload = LabPayloadText, "hi"
	if msg, _ = BuildLab(s); string(msg[8:]) != "hi" {
		t.Fatalf("text: % x", msg)
	}
	s.PayloadKind, s.Payload = LabPayloadHex, "0x01 02"
	if msg, _ = BuildLab(s); string(msg[8:]) != "\x01\x02" {
		t.Fatalf("hex: % x", msg)
	}
	for _, bad := range []LabSpec{
		{Family: IPv4, PayloadKind: LabPayloadHex, Payload: "zz"},
		{Family: IPv4, PayloadKind: LabPayloadPattern, Payload: "", Size: 3},
		{Family: IPv4, PayloadKind: LabPayloadPattern, Payload: "00", Size: 65508},
		{Family: IPv4, PayloadKind: "morse"},
		{Family: IPv4, Mode: "almost"},
		{Family: 0},
		{Family: IPv6, Type: 128}, // no addresses for the pseudo-header
	} {
		if _, err := BuildLab(bad); err == nil {
			t.Errorf("BuildLab(%+v) built a packet", bad)
		}
	}
}

func TestBuildLabICMPv6UsesThePseudoHeader(t *testing.T) {
	lo := netip.MustParseAddr("::1")
	s := LabSpec{Family: IPv6, Type: 128, ID: 13, Seq: 37, Src: lo, Dst: lo, Mode: LabChecksumCorrect}
	msg, err := BuildLab(s)
	if err != nil {
		t.Fatal(err)
	}
	if !VerifyChecksum(IPv6, msg, &PseudoHeader{Src: lo, Dst: lo}) {
		t.Fatalf("% x does not verify over ::1 -> ::1", msg)
	}
	a := AnalyzeLab(IPv6, msg, lo, lo)
	if a.Verdict != "correct" || a.Sendable != "" {
		t.Fatalf("verdict %q sendable %q", a.Verdict, a.Sendable)
	}
	if a := AnalyzeLab(IPv6, msg, netip.Addr{}, netip.Addr{}); a.Verdict != "unverifiable" {
		t.Fatalf("without addresses: verdict %q", a.Verdict)
	}
}

func TestCraftedEchoAllowedRefusesEveryOtherType(t *testing.T) {
	for f, req := range map[Family]uint8{IPv4: 8, IPv6: 128} {
		for typ := 0; typ < 256; typ++ {
			msg := []byte{byte(typ), 0, 0, 0, 0, 1, 0, 1}
			err := CraftedEchoAllowed(f, msg)
			if uint8(typ) == req {
				if err != nil {
					t.Fatalf("%v type %d refused: %v", f, typ, err)
				}
				continue
			}
			if !errors.Is(err, ErrCraftRefused) || !strings.Contains(err.Error(), "only echo requests") {
				t.Fatalf("%v type %d: %v", f, typ, err)
			}
		}
	}
	if err := CraftedEchoAllowed(IPv4, []byte{8, 0, 0}); !errors.Is(err, ErrCraftRefused) {
		t.Fatalf("3 bytes: %v", err)
	}
	if err := CraftedEchoAllowed(IPv4, make([]byte, 8+65508)); !errors.Is(err, ErrCraftRefused) {
		t.Fatalf("oversized: %v", err)
	}
}

func FuzzAnalyzeLab(f *testing.F) {
	f.Add([]byte{8, 0, 0xf2, 0xff, 0, 13, 0, 37}, true)
	f.Add([]byte{128, 0, 0, 0, 0, 1, 0, 2, 3}, false)
	lo := netip.MustParseAddr("::1")
	f.Fuzz(func(t *testing.T, msg []byte, v4 bool) {
		fam := IPv6
		if v4 {
			fam = IPv4
		}
		a := AnalyzeLab(fam, msg, lo, lo)
		if a.Length != len(msg) || a.ClassicRun.Result != a.Classic {
			t.Fatalf("length %d, classic %#04x vs trace %#04x", a.Length, a.Classic, a.ClassicRun.Result)
		}
		if a.Verdict == "correct" && a.Sendable == "" && !VerifyChecksum(fam, msg, &PseudoHeader{Src: lo, Dst: lo}) {
			t.Fatalf("verdict correct but the message does not verify: % x", msg)
		}
	})
}
