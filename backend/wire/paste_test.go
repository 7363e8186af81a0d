package wire

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "paste", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestParsePastedToolOutput reads the real output of each tool (testdata/paste/README.md
// says how it was made) and must give back exactly the bytes the tool was run on.
func TestParsePastedToolOutput(t *testing.T) {
	cases := []struct {
		file, want, format string
		skipped            int
		base64             bool
	}{
		{"tshark-x.txt", "frame.bin", FormatWireshark, 0, false},
		{"tcpdump-x.txt", "ip.bin", FormatTcpdump, 1, false},
		{"tcpdump-X.txt", "ip.bin", FormatTcpdump, 1, false},
		{"tcpdump-xx.txt", "frame.bin", FormatTcpdump, 1, false},
		{"tcpdump-XX.txt", "frame.bin", FormatTcpdump, 1, false},
		{"xxd.txt", "ip.bin", FormatXxd, 0, false},
		{"xxd-g1.txt", "ip.bin", FormatXxd, 0, false},
		{"xxd-a-zeros.txt", "zeros.bin", FormatXxd, 0, false},
		{"xxd-p.txt", "ip.bin", FormatPlainHex, 0, false},
		{"xxd-i.txt", "ip.bin", FormatArray, 0, false},
		{"hexdump-C.txt", "ip.bin", FormatHexdumpC, 0, false},
		{"hexdump-C-zeros.txt", "zeros.bin", FormatHexdumpC, 0, false},
		{"od-An-tx1.txt", "ip.bin", FormatPlainHex, 0, false},
		{"od-An-tx1-v-zeros.txt", "zeros.bin", FormatPlainHex, 0, false},
		{"go-fmt.txt", "ip.bin", FormatArray, 0, false},
		{"python-list.txt", "ip.bin", FormatArray, 0, false},
		{"python-bytes.txt", "ip.bin", FormatEscaped, 0, false},
		{"base64.txt", "ip.bin", FormatBase64, 0, true},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			got, err := ParsePasted(string(readFixture(t, c.file)), PasteOptions{Base64: c.base64})
			if err != nil {
				t.Fatalf("ParsePasted: %v", err)
			}
			if want := readFixture(t, c.want); !bytes.Equal(got.Bytes, want) {
				t.Fatalf("bytes differ from %s:\n got %x\nwant %x", c.want, got.Bytes, want)
			}
			if got.Format != c.format || got.Skipped != c.skipped {
				t.Errorf("read as %q skipping %d lines, want %q skipping %d", got.Format, got.Skipped, c.format, c.skipped)
			}
		})
	}
}

// TestParsePastedRefusesToolOutput: forms whose bytes cannot be known for sure are refused
// with the reason, never decoded wrong.
func TestParsePastedRefusesToolOutput(t *testing.T) {
	cases := []struct{ file, words string }{
		{"hexdump-plain.txt", "machine's byte order"},
		{"od-tx1.txt", "use hexdump -C or od -An -tx1 -v"},
		{"od-An-tx1-zeros.txt", "od -An -tx1 -v"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			_, err := ParsePasted(string(readFixture(t, c.file)), PasteOptions{})
			if !errors.Is(err, ErrPaste) || !strings.Contains(err.Error(), c.words) {
				t.Fatalf("err = %v, want ErrPaste saying %q", err, c.words)
			}
		})
	}
}

func TestParsePastedForms(t *testing.T) {
	cases := []struct {
		name, text, want, format string
	}{
		// Wireshark's "Copy as Hex Dump" of an 8-byte echo request: the offset is not data.
		{"wireshark line", "0000   08 00 f7 cd 00 0d 00 25", "0800f7cd000d0025", FormatWireshark},
		{"tcpdump line", "0x0000:  0800 f7cd 000d 0025", "0800f7cd000d0025", FormatTcpdump},
		{"wireshark with ASCII", "0000   08 00 f7 cd 00 0d 00 25   .......%", "0800f7cd000d0025", FormatWireshark},
		{"hexdump with pipes", "00000000  61 62 63 64  |abcd|\n00000004\n", "61626364", FormatHexdumpC},
		{"C array", "static const unsigned char pkt[8] = {\n0x08, 0x00, 0xf7, 0xcd, /* .... */\n0x00, 0x0d, 0x00, 0x25 /* ...% */\n};", "0800f7cd000d0025", FormatArray},
		{"Go bytes", "[]byte{0x8, 0x0, 0xf7, 0xcd}", "0800f7cd", FormatArray},
		{"Python bytes()", "bytes([8, 0, 247, 205])", "0800f7cd", FormatArray},
		{"bare escapes", `\x08\x00\xf7\xcd`, "0800f7cd", FormatEscaped},
		{"C strings", "\"\\x08\\x00\"\n\"\\xf7\\xcd\"", "0800f7cd", FormatEscaped},
		{"Python b-string", `b'\x08\x00ab'`, "08006162", FormatEscaped},
		{"plain with separators", "08-00-f7-cd, 00;0d", "0800f7cd000d", FormatPlainHex},
		{"plain colons", "00:11:22:33", "00112233", FormatPlainHex},
		{"plain 0x list", "0x08 0x00 0xf7 0xcd", "0800f7cd", FormatPlainHex},
		{"plain starting 0000", "0000 0800", "00000800", FormatPlainHex},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParsePasted(c.text, PasteOptions{})
			if err != nil {
				t.Fatalf("ParsePasted: %v", err)
			}
			if h := bytesHex(got.Bytes); h != c.want || got.Format != c.format {
				t.Fatalf("got %s as %q, want %s as %q", h, got.Format, c.want, c.format)
			}
		})
	}
}

func TestParsePastedRefuses(t *testing.T) {
	cases := []struct{ name, text, words string }{
		{"offset gap", "0000  45 00 00 54\n0008  00 00", "line 1 holds 4 bytes of hex but the next offset says 8"},
		{"offset jumps", "0000  45 00 00 54\n0010  00 00", "line 1 holds 4 bytes of hex but the next offset says 16"},
		{"offset wrong start", "0x0000:  4500 0054\n0x0004:  0000\n0x0010:  0000", "line 2 holds 2 bytes"},
		{"two packets", "0000  45 00\n0002  00 54\n\n0000  45 00", "line 4 has offset 0x0 but the lines before it hold 0x4"},
		{"foreign line in dump", "0000  45 00 00 54\nhello", "line 2 \"hello\" is not a line of the"},
		{"ascii mismatch", "0000  41 42   xy\n0002  43", "is neither hex nor their ASCII"},
		{"octal-looking element", "{010, 0x00}", "leading 0 is octal"},
		{"big element", "{0x100}", "not a byte in hex"},
		{"unclosed string", `b'\x08`, "not closed"},
		{"bad escape in bare", `\x08 zz`, "without quotes only"},
		{"xxd -i length mismatch", "unsigned char a[] = {\n  0x45, 0x00\n};\nunsigned int a_len = 3;", "length line says 3"},
		{"base64 not asked", "RQAAVA==", "invalid hex character"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParsePasted(c.text, PasteOptions{})
			if err == nil || !strings.Contains(err.Error(), c.words) {
				t.Fatalf("got %x, err %v; want an error saying %q", got.Bytes, err, c.words)
			}
		})
	}
	if _, err := ParsePasted("  \n ", PasteOptions{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("blank: err = %v, want ErrEmpty", err)
	}
	if _, err := ParsePasted("not*base64", PasteOptions{Base64: true}); !errors.Is(err, ErrPaste) {
		t.Errorf("bad base64: err = %v, want ErrPaste", err)
	}
}

func TestPastedDescribe(t *testing.T) {
	p, err := ParsePasted(string(readFixture(t, "tcpdump-X.txt")), PasteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Describe(), "read as tcpdump -x/-X output: 84 bytes (1 line before the dump skipped)"; got != want {
		t.Errorf("Describe() = %q, want %q", got, want)
	}
}

func bytesHex(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, x := range b {
		out = append(out, digits[x>>4], digits[x&15])
	}
	return string(out)
}

// FuzzParsePasted: any text gives bytes or an error, never a panic; whatever it reads as
// plain hex of its own output comes back the same.
func FuzzParsePasted(f *testing.F) {
	for _, name := range []string{"tshark-x.txt", "tcpdump-X.txt", "xxd-a-zeros.txt", "hexdump-C-zeros.txt", "xxd-i.txt", "python-bytes.txt", "go-fmt.txt"} {
		b, err := os.ReadFile(filepath.Join("testdata", "paste", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), false)
	}
	f.Add("RQAAVA==", true)
	f.Add("0000   08 00 f7 cd", false)
	f.Fuzz(func(t *testing.T, text string, b64 bool) {
		p, err := ParsePasted(text, PasteOptions{Base64: b64})
		if err != nil {
			if p.Bytes != nil {
				t.Fatalf("error %v with bytes %x", err, p.Bytes)
			}
			return
		}
		if len(p.Bytes) == 0 || p.Format == "" {
			t.Fatalf("no error but %d bytes, format %q", len(p.Bytes), p.Format)
		}
		again, err := ParsePasted(bytesHex(p.Bytes), PasteOptions{})
		if err != nil || !bytes.Equal(again.Bytes, p.Bytes) {
			t.Fatalf("plain hex of the result reads back as %x, %v", again.Bytes, err)
		}
	})
}
