package main

import (
	"encoding/json"
	"strings"
	"testing"

	"echoscope/backend/wire"
)

// echoRequestHex is the IPv4 echo request captured on loopback in backend/wire's fixtures,
// pasted the way tshark -x prints it.
const echoRequestHex = `45 00 00 34 d4 e9 40 00 40 01 67 dd 7f 00 00 01
7f 00 00 01 08 00 50 b2 3f a0 00 01 cf e0 08 6b
00 00 00 00 43 10 00 00 00 00 00 00 10 11 12 13
14 15 16 17`

func TestDecodeHex(t *testing.T) {
	var r wire.Report
	if err := json.Unmarshal([]byte(decodeHex(echoRequestHex, jsOptions{})), &r); err != nil {
		t.Fatal(err)
	}
	if r.Error != "" || r.Length != 52 || !strings.Contains(r.Summary, "Echo Request id=0x3fa0 seq=1") {
		t.Fatalf("report %+v", r)
	}
	if r.Input != "read as plain hex: 52 bytes" {
		t.Errorf("input %q", r.Input)
	}
	// Wireshark's "Copy as Hex Dump": the offset column is not data.
	if err := json.Unmarshal([]byte(decodeHex("0000   08 00 f7 cd 00 0d 00 25", jsOptions{})), &r); err != nil {
		t.Fatal(err)
	}
	if r.Length != 8 || r.Input != "read as Wireshark/tshark hex dump: 8 bytes" || !strings.Contains(r.Summary, "Echo Request id=0x000d seq=37") {
		t.Errorf("Wireshark line: %q, %q", r.Summary, r.Input)
	}
	if err := json.Unmarshal([]byte(decodeHex("CAD3zQANACU=", jsOptions{Base64: true})), &r); err != nil {
		t.Fatal(err)
	}
	if r.Length != 8 || r.Input != "read as base64: 8 bytes" {
		t.Errorf("base64: %q, %q", r.Summary, r.Input)
	}
	for _, bad := range []struct {
		hex  string
		o    jsOptions
		want string
	}{
		{"4", jsOptions{}, "Odd number"},
		{"zz", jsOptions{}, "Invalid hex"},
		{"  ", jsOptions{}, "Empty"},
		{"0800", jsOptions{Family: 5}, "family must be 4 or 6"},
		{"0800", jsOptions{Src: "nonsense"}, "Options address"},
	} {
		out := decodeHex(bad.hex, bad.o)
		var r wire.Report
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r.Error, bad.want) || strings.Contains(r.Error, "wire:") || r.Fields == nil || r.Warnings == nil {
			t.Errorf("%q: %s", bad.hex, out)
		}
	}
}

func TestChecksumTraceHex(t *testing.T) {
	var tr struct {
		wire.ChecksumTrace
		Error string `json:"error"`
	}
	if err := json.Unmarshal([]byte(checksumTraceHex("0x0001 f203 f4f5 f6f7")), &tr); err != nil {
		t.Fatal(err)
	}
	if tr.Error != "" || tr.Sum != 0xddf2 || len(tr.Steps) != 4 || len(tr.Folds) != 1 {
		t.Fatalf("trace %+v", tr)
	}
	if err := json.Unmarshal([]byte(checksumTraceHex("xyz")), &tr); err != nil || tr.Error == "" {
		t.Fatalf("bad hex: %+v %v", tr, err)
	}
}

func TestFormatHex(t *testing.T) {
	var r formatResult
	if err := json.Unmarshal([]byte(formatHex("0800f7cd000d0025", "c", "echo")), &r); err != nil {
		t.Fatal(err)
	}
	if r.Text != "unsigned char echo[] = {\n  0x08, 0x00, 0xf7, 0xcd, 0x00, 0x0d, 0x00, 0x25\n};\nunsigned int echo_len = 8;\n" || r.Error != "" {
		t.Fatalf("C array %+v", r)
	}
	if err := json.Unmarshal([]byte(formatHex("0800", "base32", "")), &r); err != nil || r.Error == "" {
		t.Fatalf("unknown style: %+v %v", r, err)
	}
}
