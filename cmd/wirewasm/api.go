// Command wirewasm is backend/wire compiled to WebAssembly for the frontend: the GUI
// decodes bytes with the same Go code as the backend and the CLI (no second codec).
//
// Built with GOOS=js GOARCH=wasm, it registers
//
//	globalThis.echoscopeWire = {
//	  version: string,
//	  decode(text: string, options?: {echoscopePayload?: boolean, family?: 4|6, src?: string, dst?: string, base64?: boolean, kernelChecksum?: boolean}): string,
//	  checksumTrace(hex: string): string,
//	  labBuild(spec: string): string,      // the Packet Lab (lab.go)
//	  labAnalyze(request: string): string,
//	  format(hex: string, style: "hex"|"c"|"hexdump", name?: string): string,
//	}
//
// decode reads the text with wire.ParsePasted (hex, any tool's hex dump, byte arrays; base64
// when options.base64) and returns the JSON Report of docs/wire-json.md with Input saying
// how the text was read; src/dst (IPv6 addresses) let a bare ICMPv6 message have its
// checksum verified. checksumTrace returns the JSON
// ChecksumTrace of the raw bytes, with an extra "error" member when the hex is bad. Neither
// throws: bad input comes back as JSON with "error" set. Then the program blocks forever.
//
// This file holds the logic, testable without a browser; main_js.go does the wiring.
package main

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"runtime/debug"

	"echoscope/backend/wire"
)

// jsOptions mirrors the optional options object of decode.
type jsOptions struct {
	EchoscopePayload bool   `json:"echoscopePayload"`
	Family           int    `json:"family"`
	Src              string `json:"src"`
	Dst              string `json:"dst"`
	Base64           bool   `json:"base64"`
	KernelChecksum   bool   `json:"kernelChecksum"`
}

// toWire converts options; unknown or malformed values are reported, not ignored.
func (o jsOptions) toWire() (wire.Options, error) {
	opts := wire.Options{EchoscopePayload: o.EchoscopePayload, KernelChecksum: o.KernelChecksum}
	switch o.Family {
	case 0:
	case 4:
		opts.Family = wire.IPv4
	case 6:
		opts.Family = wire.IPv6
	default:
		return opts, fmt.Errorf("options.family must be 4 or 6, not %d", o.Family)
	}
	for _, a := range []struct {
		s   string
		dst *netip.Addr
	}{{o.Src, &opts.Src}, {o.Dst, &opts.Dst}} {
		if a.s == "" {
			continue
		}
		addr, err := netip.ParseAddr(a.s)
		if err != nil {
			return opts, fmt.Errorf("options address: %w", err)
		}
		*a.dst = addr
	}
	return opts, nil
}

// decodeHex is globalThis.echoscopeWire.decode.
func decodeHex(hexText string, o jsOptions) string {
	opts, err := o.toWire()
	if err != nil {
		return errorReport(err)
	}
	pasted, err := wire.ParsePasted(hexText, wire.PasteOptions{Base64: o.Base64})
	if err != nil {
		return errorReport(err)
	}
	r := wire.Decode(pasted.Bytes, opts)
	r.Input = pasted.Describe()
	return marshal(r)
}

// errorReport is a Report with only error set (and empty arrays, as the contract says).
func errorReport(err error) string {
	r := wire.Decode(nil, wire.Options{})
	r.Error = wire.Explain(err)
	r.Summary = "undecodable: " + wire.Explain(err)
	return marshal(r)
}

// traceResult is a ChecksumTrace with an error member for bad input.
type traceResult struct {
	wire.ChecksumTrace
	Error string `json:"error,omitempty"`
}

// formatResult is what format returns: the text, or an error.
type formatResult struct {
	Text  string `json:"text"`
	Error string `json:"error,omitempty"`
}

// formatHex is globalThis.echoscopeWire.format: the bytes as hex, a C array or a hex dump
// (wire.FormatBytes), for copying.
func formatHex(hexText, style, name string) string {
	b, err := wire.ParseHex(hexText)
	if err != nil {
		return marshal(formatResult{Error: wire.Explain(err)})
	}
	text, err := wire.FormatBytes(b, style, name)
	if err != nil {
		return marshal(formatResult{Error: wire.Explain(err)})
	}
	return marshal(formatResult{Text: text})
}

// checksumTraceHex is globalThis.echoscopeWire.checksumTrace.
func checksumTraceHex(hexText string) string {
	b, err := wire.ParseHex(hexText)
	if err != nil {
		return marshal(traceResult{ChecksumTrace: wire.TraceChecksum(nil), Error: wire.Explain(err)})
	}
	return marshal(traceResult{ChecksumTrace: wire.TraceChecksum(b)})
}

func marshal(v any) string {
	out, err := json.Marshal(v)
	if err != nil { // only unsupported types fail; the report has none
		return fmt.Sprintf(`{"error":%q}`, err.Error())
	}
	return string(out)
}

// version names the build: the module version, or the VCS revision for a dev build.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "echoscope-wire (unknown build)"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v = s.Value[:12]
		}
	}
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	return "echoscope-wire " + v
}
