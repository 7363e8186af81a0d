package wire

import (
	"net/netip"
	"strings"
	"testing"
)

// The textbook echo request: the sum of its words with the checksum as 0 is 0x0832, and
// the checksum is its complement 0xf7cd; the receiver adds all words, checksum included,
// and gets 0xffff.
func TestReceiverSum(t *testing.T) {
	b, _ := ParseHex("0800f7cd000d0025")
	r := Decode(b, Options{})
	c := r.Checksums[0]
	if c.Trace.Sum != 0x0832 || c.Trace.Result != 0xf7cd || c.ReceiverSum != 0xffff || !c.Correct {
		t.Fatalf("sum 0x%04x result 0x%04x receiver 0x%04x correct %v", c.Trace.Sum, c.Trace.Result, c.ReceiverSum, c.Correct)
	}
	b[2], b[3] = 0, 0
	c = Decode(b, Options{}).Checksums[0]
	if c.ReceiverSum != 0x0832 || c.Correct {
		t.Fatalf("checksum 0: receiver sum 0x%04x, correct %v; want 0x0832, false", c.ReceiverSum, c.Correct)
	}
}

// An ICMPv6 echo request as Echoscope writes it: checksum 0, which the kernel fills
// (RFC 3542). With KernelChecksum it is worded so, with the value the wire carries.
func TestKernelFilledChecksum(t *testing.T) {
	msg, _ := ParseHex("80000000400e0001d2e0086b00000000f3d900000000000010111213141516 17")
	opts := Options{Family: IPv6, Src: netip.MustParseAddr("::1"), Dst: netip.MustParseAddr("::1")}
	plain := Decode(msg, opts)
	if c := plain.Checksums[0]; c.KernelFilled || c.Correct || len(plain.Warnings) != 1 {
		t.Fatalf("without the option the 0 is wrong: %+v %v", c, plain.Warnings)
	}
	opts.KernelChecksum = true
	r := Decode(msg, opts)
	c := r.Checksums[0]
	if !c.KernelFilled || c.Computed != 0x241e || c.ReceiverSum != 0xffff || len(r.Warnings) != 0 {
		t.Fatalf("kernel filled: %+v, warnings %v", c, r.Warnings)
	}
	for _, f := range r.Fields {
		if f.Name == "Checksum" && f.Meaning != "checksum 0x0000: left 0 for the kernel to fill; on the wire it is 0x241e" {
			t.Errorf("meaning %q", f.Meaning)
		}
	}
	if !strings.Contains(r.Summary, "Echo Request") {
		t.Errorf("summary %q", r.Summary)
	}
	// A real wrong checksum stays wrong.
	msg[2] = 0x12
	if c := Decode(msg, opts).Checksums[0]; c.KernelFilled || c.Correct {
		t.Fatalf("0x12.. is not left for the kernel: %+v", c)
	}
}
