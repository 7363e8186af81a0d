package wire

import (
	"bytes"
	"strings"
	"testing"
)

// The copy formats are the tools' own: byte for byte what tshark -x and xxd -i print for
// the same packet (testdata/paste), and ParsePasted reads each back.
func TestFormatBytesAsTheToolsDo(t *testing.T) {
	frame, ip := readFixture(t, "frame.bin"), readFixture(t, "ip.bin")
	dump, err := FormatBytes(frame, CopyHexDump, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimRight(string(readFixture(t, "tshark-x.txt")), "\n") + "\n"; dump != want {
		t.Errorf("hex dump differs from tshark -x:\n%s\nwant\n%s", dump, want)
	}
	c, _ := FormatBytes(ip, CopyC, "ip_bin")
	if want := string(readFixture(t, "xxd-i.txt")); c != want {
		t.Errorf("C array differs from xxd -i:\n%s\nwant\n%s", c, want)
	}
	for _, format := range []string{CopyHex, CopyC, CopyHexDump} {
		for _, b := range [][]byte{frame, ip, {0x08}, bytes.Repeat([]byte{0x20}, 17)} {
			text, err := FormatBytes(b, format, "")
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParsePasted(text, PasteOptions{})
			if err != nil || !bytes.Equal(back.Bytes, b) {
				t.Errorf("%s of %x reads back as %x, %v", format, b, back.Bytes, err)
			}
		}
	}
	if _, err := FormatBytes(ip, "base32", ""); err == nil {
		t.Error("unknown format accepted")
	}
}

func FuzzFormatBytesReadsBack(f *testing.F) {
	f.Add([]byte{0x45, 0x00, 0x20, 0x20})
	f.Add([]byte("E..T   |abcd|"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) == 0 {
			return
		}
		for _, format := range []string{CopyHex, CopyC, CopyHexDump} {
			text, _ := FormatBytes(b, format, "")
			back, err := ParsePasted(text, PasteOptions{})
			if err != nil || !bytes.Equal(back.Bytes, b) {
				t.Fatalf("%s of %x reads back as %x, %v\n%s", format, b, back.Bytes, err, text)
			}
		}
	})
}
