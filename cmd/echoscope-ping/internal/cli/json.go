package cli

import (
	"encoding/hex"
	"encoding/json"
	"io"

	"echoscope/backend/probe"
)

// jsonEvent is one --json line: the engine's event with the packet bytes as lowercase hex
// (what `echoscope-ping decode` reads) instead of JSON's base64. The outer Bytes and Request
// fields shadow the embedded ones.
type jsonEvent struct {
	Type string `json:"type"` // "event"
	probe.Event
	Bytes   string  `json:"bytes,omitempty"`
	Request string  `json:"request,omitempty"`
	RTTMs   float64 `json:"rttMs,omitempty"`
}

// jsonSummary is the last --json line.
type jsonSummary struct {
	Type string `json:"type"` // "summary"
	probe.Summary
	// SocketName spells out Summary.Socket ("raw", "datagram"), which is a number in JSON.
	SocketName string `json:"socketName"`
	Error      string `json:"error,omitempty"`
	ExitCode   int    `json:"exitCode"`
}

// jsonPrinter writes one JSON object per line. Writes go through the caller's serialised
// writer; encoding errors cannot happen for these types, and a failed stdout write has nowhere
// better to be reported.
type jsonPrinter struct {
	enc *json.Encoder
}

func newJSONPrinter(w io.Writer) *jsonPrinter { return &jsonPrinter{enc: json.NewEncoder(w)} }

func (p *jsonPrinter) Event(ev probe.Event) {
	je := jsonEvent{Type: "event", Event: ev, Bytes: hex.EncodeToString(ev.Bytes), Request: hex.EncodeToString(ev.Request)}
	if ev.RTT > 0 {
		je.RTTMs = float64(ev.RTT.Nanoseconds()) / 1e6
	}
	_ = p.enc.Encode(je)
}

func (p *jsonPrinter) Summary(s probe.Summary, runErr error, code int) {
	js := jsonSummary{Type: "summary", Summary: s, SocketName: s.Socket.String(), ExitCode: code}
	if runErr != nil {
		js.Error = runErr.Error()
		js.ExitCode = 2
	}
	_ = p.enc.Encode(js)
}

// jsonFailure is the only --json line when the session could not start.
type jsonFailure struct {
	Type     string `json:"type"` // "error"
	Error    string `json:"error"`
	ExitCode int    `json:"exitCode"`
}

func (p *jsonPrinter) Failure(msg string) {
	_ = p.enc.Encode(jsonFailure{Type: "error", Error: msg, ExitCode: 2})
}
