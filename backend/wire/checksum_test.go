package wire

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"
)

// referenceChecksum is RFC 1071 written the slow, obvious way: 16-bit words, odd byte
// padded on the right, carries folded at the end.
func referenceChecksum(b []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return ^uint16(sum)
}

func TestChecksumMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 300 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		if got, want := Checksum(b), referenceChecksum(b); got != want {
			t.Fatalf("len %d: Checksum = %#04x, reference = %#04x", n, got, want)
		}
	}
	// All 0xff bytes drive every carry path of the 64-bit loop.
	for _, n := range []int{0, 1, 7, 8, 9, 31, 32, 33, 64, 65535} {
		b := make([]byte, n)
		for i := range b {
			b[i] = 0xff
		}
		if got, want := Checksum(b), referenceChecksum(b); got != want {
			t.Errorf("all-ones len %d: Checksum = %#04x, reference = %#04x", n, got, want)
		}
	}
}

func TestChecksumRFC1071Example(t *testing.T) {
	// RFC 1071 section 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2 (after folding 2ddf0).
	b := []byte{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7}
	if got := Fold(Sum(0, b)); got != 0xddf2 {
		t.Fatalf("sum = %#04x, want 0xddf2", got)
	}
	if got := Checksum(b); got != ^uint16(0xddf2) {
		t.Fatalf("checksum = %#04x, want %#04x", got, ^uint16(0xddf2))
	}
}

func TestChecksumOddLength(t *testing.T) {
	// One byte 0xab is the word 0xab00: checksum 0x54ff.
	if got := Checksum([]byte{0xab}); got != 0x54ff {
		t.Fatalf("Checksum(ab) = %#04x, want 0x54ff", got)
	}
	// Appending a zero byte must not change the checksum (that is what padding means).
	b := []byte{0x12, 0x34, 0x56}
	if Checksum(b) != Checksum(append(b, 0)) {
		t.Fatal("odd length is not padded with a zero byte on the right")
	}
}

func TestChecksumOfCapturedPacketsVerifies(t *testing.T) {
	for name, pkt := range map[string][]byte{"request": ping4Request, "reply": ping4Reply} {
		if !VerifyIPv4HeaderChecksum(pkt) {
			t.Errorf("%s: IPv4 header checksum does not verify", name)
		}
		if !VerifyChecksum(IPv4, pkt[20:], nil) {
			t.Errorf("%s: ICMP checksum does not verify", name)
		}
	}
}

// TestTextbookChecksumLoopStartingAtByteOne pins the known textbook bug: a checksum loop
// that starts at byte 1 gives a different (wrong) checksum for the textbook's own packet,
// and Checksum does not make that mistake.
func TestTextbookChecksumLoopStartingAtByteOne(t *testing.T) {
	msg := []byte{0x08, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x25} // checksum field zero
	good := Checksum(msg)
	if good != 0xf7cd {
		t.Fatalf("Checksum = %#04x, want 0xf7cd", good)
	}
	bad := ClassicExampleChecksum(msg)
	if bad == good {
		t.Fatalf("the byte-1 loop gave the right answer %#04x; the test no longer shows the bug", bad)
	}
	binary.BigEndian.PutUint16(msg[2:], bad)
	if VerifyChecksum(IPv4, msg, nil) {
		t.Fatalf("a packet with the byte-1 checksum %#04x verifies", bad)
	}
	if !VerifyChecksum(IPv4, textbookRequest, nil) {
		t.Fatal("the textbook request with the correct checksum does not verify")
	}
}

func TestSumInParts(t *testing.T) {
	b := []byte("an even-length first part, then the rest (odd!)")
	whole := Checksum(b)
	for cut := 0; cut <= len(b); cut += 2 {
		if got := ^Fold(Sum(Sum(0, b[:cut]), b[cut:])); got != whole {
			t.Fatalf("cut %d: %#04x, want %#04x", cut, got, whole)
		}
	}
}

func ExampleChecksum() {
	// The textbook echo request (id 13, seq 37) with its checksum field zeroed.
	msg := []byte{0x08, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x25}
	c := Checksum(msg)
	binary.BigEndian.PutUint16(msg[2:], c)
	fmt.Printf("checksum %#04x, verifies to %#04x\n", c, Checksum(msg))
	// Output: checksum 0xf7cd, verifies to 0x0000
}

func BenchmarkChecksum(b *testing.B) {
	for _, n := range []int{64, 1500, 65535} {
		buf := make([]byte, n)
		for i := range buf {
			buf[i] = byte(i)
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				Checksum(buf)
			}
		})
	}
}

func BenchmarkReferenceChecksum1500(b *testing.B) {
	buf := make([]byte, 1500)
	b.SetBytes(1500)
	for b.Loop() {
		referenceChecksum(buf)
	}
}

func BenchmarkAppendEcho(b *testing.B) {
	buf := make([]byte, 0, 128)
	data := make([]byte, 56)
	ph := &PseudoHeader{Src: doc6a, Dst: doc6b}
	b.Run("IPv4", func(b *testing.B) {
		for b.Loop() {
			buf = AppendEcho(buf[:0], IPv4, ICMPv4EchoRequest, Echo{ID: 1, Seq: 2, Data: data}, nil)
		}
	})
	b.Run("IPv6", func(b *testing.B) {
		for b.Loop() {
			buf = AppendEcho(buf[:0], IPv6, ICMPv6EchoRequest, Echo{ID: 1, Seq: 2, Data: data}, ph)
		}
	})
}

func BenchmarkParseEcho(b *testing.B) {
	for b.Loop() {
		if _, err := ParseEcho(IPv4, ping4Reply[20:]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	for b.Loop() {
		Decode(ping4Reply, Options{})
	}
}
