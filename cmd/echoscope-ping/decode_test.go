package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"echoscope/backend/wire"
)

var updateDecodeGolden = flag.Bool("update-decode", false, "rewrite testdata/decode/*.golden from the current output")

// Packets in hex, as a user would paste them.
const (
	// The textbook echo request (id 13, seq 37) with its correct checksum.
	hexEchoRequest = "08 00 f7 cd 00 0d 00 25"
	// Loopback echo reply with IPv4 header, captured with tshark (backend/wire fixtures).
	hexEchoReplyIPv4 = "45 00 00 34 d4 ea 00 00 40 01 a7 dc 7f 00 00 01 7f 00 00 01 00 00 58 b2 3f a0 00 01 cf e0 08 6b 00 00 00 00 43 10 00 00 00 00 00 00 10 11 12 13 14 15 16 17"
	// Loopback ICMPv6 echo request with its IPv6 header, captured with tshark.
	hexEchoIPv6 = "60 03 95 b6 00 20 3a 40 00000000000000000000000000000001 00000000000000000000000000000001 80 00 24 1e 40 0e 00 01 d2 e0 08 6b 00 00 00 00 f3 d9 00 00 00 00 00 00 10 11 12 13 14 15 16 17"
	// The same ICMPv6 message without its IPv6 header.
	hexEchoICMPv6Bare = "80 00 24 1e 40 0e 00 01 d2 e0 08 6b 00 00 00 00 f3 d9 00 00 00 00 00 00 10 11 12 13 14 15 16 17"
	// A router's time exceeded for 10.0.0.1's echo request to 10.0.0.9 (id 0x1c2d seq 5).
	hexTimeExceeded = "4500003812340000400153930a0000fe0a0000010b002437000000004500002c12340000010193940a0000010a0000090800ac961c2d0005"
)

func TestDecodeGolden(t *testing.T) {
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		code  int
	}{
		{"echo-request", []string{hexEchoRequest}, "", 0},
		{"echo-request-trace", []string{"--trace", "0x0800f7cd", "0x000d0025"}, "", 0},
		{"echo-reply-ipv4", []string{hexEchoReplyIPv4}, "", 0},
		{"echo-reply-ipv4-stdin-json", []string{"--json", "-"}, hexEchoReplyIPv4 + "\n", 0},
		{"icmpv6-echo-with-header", []string{"--trace", hexEchoIPv6}, "", 0},
		{"icmpv6-echo-bare", []string{"-6", hexEchoICMPv6Bare}, "", 0},
		{"icmpv6-echo-bare-addresses", []string{hexEchoICMPv6Bare, "--src", "::1", "--dst", "::1"}, "", 0},
		{"time-exceeded", []string{hexTimeExceeded}, "", 0},
		{"echoscope-payload", []string{"--payload", "echoscope", "0800 0000 0001 0002 deadbeef00000001 187a2d156b1f5e00 6162"}, "", 0},
		{"truncated", []string{hexEchoReplyIPv4[:3*40]}, "", 0},
		{"bad-checksum", []string{strings.Replace(hexEchoReplyIPv4, "58 b2", "58 b3", 1)}, "", 0},
		{"garbage", []string{"hello world"}, "", 2},
		{"odd-digits", []string{"450"}, "", 2},
		{"empty-stdin", []string{"-"}, " \n", 2},
		{"too-short", []string{"08:00"}, "", 2},
		{"no-arguments", nil, "", 2},
		// Pasted as the tools print it (backend/wire/testdata/paste): the offsets are not data.
		{"wireshark-line", []string{"0000   08 00 f7 cd 00 0d 00 25"}, "", 0},
		{"tcpdump-X-stdin", []string{"-"}, pasteFixture(t, "tcpdump-X.txt"), 0},
		{"base64", []string{"--base64", "CAD3zQANACU="}, "", 0},
		{"offsets-disagree", []string{"-"}, "0000  08 00 f7 cd\n0008  00 0d 00 25\n", 2},
		{"bad-flag", []string{"--frobnicate", "0800"}, "", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runDecode(tc.args, strings.NewReader(tc.stdin), &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tc.code, stderr.String())
			}
			if code == 2 && (strings.Count(strings.TrimRight(stderr.String(), "\n"), "\n") > 1 || stdout.Len() != 0) {
				t.Errorf("an error must be a short message on stderr only; stdout %q, stderr %q", stdout.String(), stderr.String())
			}
			got := fmt.Sprintf("$ echoscope-ping decode %s\nexit %d\n--- stdout\n%s--- stderr\n%s", strings.Join(tc.args, " "), code, stdout.String(), stderr.String())
			golden := filepath.Join("testdata", "decode", tc.name+".golden")
			if *updateDecodeGolden {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestDecodeGolden -update-decode to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s:\n%s", golden, got)
			}
		})
	}
}

func pasteFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "backend", "wire", "testdata", "paste", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDecodeJSONIsTheReport(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runDecode([]string{"--json", hexTimeExceeded}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var r wire.Report
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	b, _ := wire.ParseHex(hexTimeExceeded)
	want := wire.Decode(b, wire.Options{})
	if r.Summary != want.Summary || len(r.Fields) != len(want.Fields) || len(r.Checksums) != 3 || r.Hex != want.Hex {
		t.Fatalf("JSON report differs from wire.Decode: %s", r.Summary)
	}
}

func TestRunDispatch(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"decode", hexEchoRequest}, nil, &stdout, &stderr); code != 0 || !strings.HasPrefix(stdout.String(), "ICMPv4 Echo Request") {
		t.Fatalf("decode via run: %d %q %q", code, stdout.String(), stderr.String())
	}
	stdout.Reset()
	if code := run([]string{"bogus"}, nil, &stdout, &stderr); code != 2 {
		t.Fatalf("unknown command: exit %d", code)
	}
}
