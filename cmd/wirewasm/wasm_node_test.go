package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"echoscope/backend/wire"
)

// TestWasmInNode builds the real WebAssembly module and calls it from Node.js through
// wasm_exec.js, as the frontend does. Skipped when node is not installed or -short.
func TestWasmInNode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a wasm module")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	wasm := filepath.Join(t.TempDir(), "wire.wasm")
	build := exec.Command(goBin, "build", "-o", wasm, ".")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("GOOS=js GOARCH=wasm go build: %v\n%s", err, out)
	}
	calls := []map[string]any{
		{"fn": "decode", "args": []any{echoRequestHex}},
		{"fn": "decode", "args": []any{"80 00 24 1e 40 0e 00 01", map[string]any{"family": 6, "echoscopePayload": true}}},
		{"fn": "decode", "args": []any{"not hex"}},
		{"fn": "decode", "args": []any{}},
		{"fn": "checksumTrace", "args": []any{"08:00:00:00:00:0d:00:25"}},
		// The options object's switches reach Go: base64, and a checksum left for the kernel.
		{"fn": "decode", "args": []any{"CAD3zQANACU=", map[string]any{"base64": true}}},
		{"fn": "decode", "args": []any{"80 00 00 00 40 0e 00 01", map[string]any{"family": 6, "src": "::1", "dst": "::1", "kernelChecksum": true}}},
		{"fn": "format", "args": []any{"0800f7cd", "hexdump"}},
	}
	in, _ := json.Marshal(calls)
	cmd := exec.Command(node, filepath.Join("testdata", "call.cjs"), filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"), wasm)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var got struct {
		Version string
		Results []struct {
			Value  string
			Thrown string
		}
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node output %q: %v", out, err)
	}
	if !strings.HasPrefix(got.Version, "echoscope-wire ") || len(got.Results) != len(calls) {
		t.Fatalf("version %q, %d results", got.Version, len(got.Results))
	}
	reports := make([]wire.Report, 4)
	for i := range reports {
		if got.Results[i].Thrown != "" {
			t.Fatalf("call %d threw %s", i, got.Results[i].Thrown)
		}
		if err := json.Unmarshal([]byte(got.Results[i].Value), &reports[i]); err != nil {
			t.Fatalf("call %d: %v: %s", i, err, got.Results[i].Value)
		}
	}
	r := reports[0]
	if r.Summary != "IPv4 127.0.0.1 > 127.0.0.1, ICMPv4 Echo Request id=0x3fa0 seq=1, 52 bytes" || r.Fields[11].Name != "TTL" || r.Fields[11].Value != "64" {
		t.Errorf("decode: %s / %+v", r.Summary, r.Fields[11])
	}
	if r := reports[1]; r.Layers[0] != "ICMPv6" || len(r.Warnings) == 0 {
		t.Errorf("family 6: layers %v warnings %q", r.Layers, r.Warnings)
	}
	if !strings.HasPrefix(reports[2].Error, "Invalid hex") || !strings.Contains(reports[3].Error, "bad arguments") {
		t.Errorf("errors %q, %q", reports[2].Error, reports[3].Error)
	}
	var tr wire.ChecksumTrace
	if err := json.Unmarshal([]byte(got.Results[4].Value), &tr); err != nil || tr.Result != 0xf7cd {
		t.Errorf("checksumTrace %s: %v", got.Results[4].Value, err)
	}
	var b64, kernel wire.Report
	if err := json.Unmarshal([]byte(got.Results[5].Value), &b64); err != nil || b64.Input != "read as base64: 8 bytes" || b64.Length != 8 {
		t.Errorf("base64 option: %s (%v)", got.Results[5].Value, err)
	}
	var formatted formatResult
	if err := json.Unmarshal([]byte(got.Results[7].Value), &formatted); err != nil || formatted.Text != "0000  08 00 f7 cd"+strings.Repeat(" ", 3*12)+"   ....\n" {
		t.Errorf("format: %s (%v)", got.Results[7].Value, err)
	}
	if err := json.Unmarshal([]byte(got.Results[6].Value), &kernel); err != nil || len(kernel.Checksums) != 1 || !kernel.Checksums[0].KernelFilled {
		t.Errorf("kernelChecksum option: %s (%v)", got.Results[6].Value, err)
	}
}
