package main

import (
	"encoding/json"
	"fmt"
	"net/netip"

	"echoscope/backend/wire"
)

// The Packet Lab's two calls. Both take and return JSON text, never throw, and return
// {"analysis": LabAnalysis} or {"error": "..."}:
//
//	labBuild(spec: string)     spec is a wire.LabSpec as JSON ({family, type, code, id, seq,
//	                           payloadKind, payload, size, mode, checksum, src, dst})
//	labAnalyze(request: string) request is {hex, family, src, dst}: bytes typed by hand
//
// Either may also carry "window": {steps: {from, to}, compare: {from, to}}, the rows of the
// two walkthroughs in view; the analysis then holds only those (lab_window.go).

type labResult struct {
	Analysis *labOutput `json:"analysis,omitempty"`
	Error    string     `json:"error,omitempty"`
}

func labError(err error) string { return marshal(labResult{Error: wire.Explain(err)}) }

// labBuild is globalThis.echoscopeWire.labBuild.
func labBuild(specJSON string) string {
	var s struct {
		wire.LabSpec
		Window *labWindows `json:"window"`
	}
	if err := json.Unmarshal([]byte(specJSON), &s); err != nil {
		return labError(fmt.Errorf("lab spec: %w", err))
	}
	msg, err := wire.BuildLab(s.LabSpec)
	if err != nil {
		return labError(err)
	}
	a := wire.AnalyzeLab(s.Family, msg, s.Src, s.Dst)
	out := windowed(&a, s.Window)
	return marshal(labResult{Analysis: &out})
}

type labAnalyzeRequest struct {
	Hex    string      `json:"hex"`
	Family int         `json:"family"`
	Src    netip.Addr  `json:"src"`
	Dst    netip.Addr  `json:"dst"`
	Window *labWindows `json:"window"`
}

// labAnalyze is globalThis.echoscopeWire.labAnalyze.
func labAnalyze(requestJSON string) string {
	var r labAnalyzeRequest
	if err := json.Unmarshal([]byte(requestJSON), &r); err != nil {
		return labError(fmt.Errorf("lab request: %w", err))
	}
	f := wire.Family(r.Family)
	if f != wire.IPv4 && f != wire.IPv6 {
		return labError(fmt.Errorf("lab request: family must be 4 or 6, not %d", r.Family))
	}
	msg, err := wire.ParseHex(r.Hex)
	if err != nil {
		return labError(err)
	}
	a := wire.AnalyzeLab(f, msg, r.Src, r.Dst)
	out := windowed(&a, r.Window)
	return marshal(labResult{Analysis: &out})
}
