package wire

import (
	"encoding/json"
	"strings"
	"testing"
)

// field finds the first field of layer and name.
func field(t *testing.T, r Report, layer, name string) Field {
	t.Helper()
	for _, f := range r.Fields {
		if f.Layer == layer && f.Name == name {
			return f
		}
	}
	t.Fatalf("no field %s/%s in %s", layer, name, r.Summary)
	return Field{}
}

func hasWarning(r Report, part string) bool {
	for _, w := range r.Warnings {
		if strings.Contains(w, part) {
			return true
		}
	}
	return false
}

func decodeChecked(t *testing.T, b []byte, opts Options) Report {
	t.Helper()
	r := Decode(b, opts)
	if err := checkReport(b, r); err != nil {
		t.Fatalf("invariant: %v\nsummary: %s", err, r.Summary)
	}
	return r
}

func TestDecodeCapturedEcho(t *testing.T) {
	t.Run("IPv4", func(t *testing.T) {
		r := decodeChecked(t, ping4Reply, Options{})
		if r.Summary != "IPv4 127.0.0.1 > 127.0.0.1, ICMPv4 Echo Reply id=0x3fa0 seq=1, 52 bytes" {
			t.Errorf("summary %q", r.Summary)
		}
		if got := strings.Join(r.Layers, ","); got != "IPv4,ICMPv4,Data" {
			t.Errorf("layers %s", got)
		}
		if f := field(t, r, "IPv4", "Flags: Don't Fragment"); f.Meaning != "Don't Fragment: not set" || f.BitOffset != 1 || f.BitLength != 1 || f.Depth != 1 {
			t.Errorf("DF field %+v", f)
		}
		if f := field(t, r, "IPv4", "Header Checksum"); f.Meaning != "checksum 0xa7dc (correct)" {
			t.Errorf("header checksum %+v", f)
		}
		if len(r.Checksums) != 2 || !r.Checksums[0].Correct || !r.Checksums[1].Correct || r.Checksums[1].Start != 20 || r.Checksums[1].End != 52 {
			t.Errorf("checksums %+v", r.Checksums)
		}
		if len(r.Warnings) != 0 {
			t.Errorf("warnings %q", r.Warnings)
		}
	})
	t.Run("IPv6", func(t *testing.T) {
		r := decodeChecked(t, ping6Reply, Options{})
		if r.Summary != "IPv6 ::1 > ::1, ICMPv6 Echo Reply id=0x400e seq=1, 72 bytes" {
			t.Errorf("summary %q", r.Summary)
		}
		c := r.Checksums[0]
		if !c.Verifiable || !c.Correct || !c.PseudoHeader || c.Computed != 0x231e {
			t.Errorf("checksum %+v", c)
		}
		notes := map[string]bool{}
		for _, s := range c.Trace.Steps {
			notes[s.Note] = true
		}
		for _, n := range []string{NotePseudoSrc, NotePseudoDst, NotePseudoLength, NotePseudoNext, NoteChecksumField} {
			if !notes[n] {
				t.Errorf("trace lacks note %q", n)
			}
		}
		if f := field(t, r, "IPv6", "Flow Label"); f.Value != "0x9039d" || f.Offset != 1 || f.BitOffset != 4 || f.BitLength != 20 {
			t.Errorf("flow label %+v", f)
		}
	})
	t.Run("IPv6 bare", func(t *testing.T) {
		r := decodeChecked(t, ping6Request[40:], Options{})
		if r.Checksums[0].Verifiable || !hasWarning(r, "not verifiable") || r.Layers[0] != "ICMPv6" {
			t.Errorf("bare ICMPv6: %+v %q", r.Checksums[0], r.Warnings)
		}
		r = decodeChecked(t, ping6Request[40:], Options{Src: loop6, Dst: loop6})
		if c := r.Checksums[0]; !c.Verifiable || !c.Correct || c.Trace.Steps[0].Offset != -1 {
			t.Errorf("bare ICMPv6 with addresses: %+v", c)
		}
	})
}

func TestDecodeWrongChecksums(t *testing.T) {
	b := append([]byte{}, ping4Request...)
	b[len(b)-1] ^= 0xff // payload damaged: ICMP checksum wrong
	b[8]--              // TTL changed without updating the header checksum
	r := decodeChecked(t, b, Options{})
	if f := field(t, r, "ICMPv4", "Checksum"); f.Meaning != "checksum 0x50b2 (wrong: should be 0x4fe1)" {
		t.Errorf("ICMP checksum meaning %q", f.Meaning)
	}
	if f := field(t, r, "IPv4", "Header Checksum"); !strings.HasPrefix(f.Meaning, "checksum 0x67dd (wrong: should be 0x68dd)") {
		t.Errorf("header checksum meaning %q", f.Meaning)
	}
	if !hasWarning(r, "ICMPv4 checksum 0x50b2 is wrong") || !hasWarning(r, "IPv4 header checksum") {
		t.Errorf("warnings %q", r.Warnings)
	}
}

func TestDecodeTimeExceeded(t *testing.T) {
	b := timeExceeded4(t)
	r := decodeChecked(t, b, Options{})
	want := "IPv4 10.0.0.254 > 10.0.0.1, ICMPv4 Time Exceeded (Time to Live exceeded in Transit), quoting ICMPv4 Echo Request id=0x1c2d seq=5 to 10.0.0.9, 56 bytes"
	if r.Summary != want {
		t.Errorf("summary\n%q\nwant\n%q", r.Summary, want)
	}
	if got := strings.Join(r.Layers, ","); got != "IPv4,ICMPv4,Quoted IPv4,Quoted ICMPv4" {
		t.Errorf("layers %s", got)
	}
	if f := field(t, r, "Quoted IPv4", "TTL"); f.Value != "1" || f.Offset != 36 {
		t.Errorf("quoted TTL %+v", f)
	}
	if f := field(t, r, "Quoted ICMPv4", "Sequence Number"); f.Value != "5" || f.Offset != 54 {
		t.Errorf("quoted seq %+v", f)
	}
	if len(r.Checksums) != 3 || r.Checksums[2].Layer != "Quoted IPv4" || !r.Checksums[2].Correct {
		t.Errorf("checksums %+v", r.Checksums)
	}
	if len(r.Warnings) != 0 {
		t.Errorf("warnings %q", r.Warnings)
	}
}

func TestDecodeErrorMessages(t *testing.T) {
	quote4 := echoRequest4(t, 64, []byte("payload!"))[:28]
	quote6 := ping6Request[:48]
	ext := []byte{0x20, 0x00, 0x00, 0x00, 0x00, 0x08, 0x01, 0x01, 0x00, 0x01, 0x41, 0x01}
	ext[2], ext[3] = byte(Checksum(ext)>>8), byte(Checksum(ext))
	ph := &PseudoHeader{Src: doc6a, Dst: loop6}
	for _, tc := range []struct {
		name   string
		b      []byte
		opts   Options
		fields map[string]string // "layer/name" -> value
		inSum  string
	}{
		{"IPv4 frag needed", marshal(t, Message{Family: IPv4, Type: 3, Code: 4, Body: &DstUnreach{NextHopMTU: 1400, Data: quote4}}, nil), Options{},
			map[string]string{"ICMPv4/Next-Hop MTU": "1400", "Quoted IPv4/Destination Address": "10.0.0.9"}, "MTU=1400"},
		{"IPv4 port unreachable", marshal(t, Message{Family: IPv4, Type: 3, Code: 3, Body: &DstUnreach{Data: quote4}}, nil), Options{},
			map[string]string{"ICMPv4/Code": "3"}, "(Port Unreachable)"},
		{"IPv4 parameter problem", marshal(t, Message{Family: IPv4, Type: 12, Body: &ParamProb{Pointer: 8, Data: quote4}}, nil), Options{},
			map[string]string{"ICMPv4/Pointer": "8"}, "Parameter Problem"},
		{"IPv4 time exceeded with extensions", marshal(t, Message{Family: IPv4, Type: 11, Body: &TimeExceeded{Data: quote4, Extensions: ext}}, nil), Options{},
			map[string]string{"ICMPv4/Length": "32", "ICMP Extensions/Version": "2", "ICMP Extensions/Class-Num": "1"}, "quoting ICMPv4 Echo Request"},
		{"IPv6 packet too big", marshal(t, Message{Family: IPv6, Type: 2, Body: &PacketTooBig{MTU: 1280, Data: quote6}}, ph), Options{Src: doc6a, Dst: loop6},
			map[string]string{"ICMPv6/MTU": "1280", "Quoted ICMPv6/Identifier": "0x400e"}, "MTU=1280"},
		{"IPv6 time exceeded in IPv6", ipv6Packet(doc6a, loop6, 58, marshal(t, Message{Family: IPv6, Type: 3, Body: &TimeExceeded{Data: quote6}}, ph)), Options{},
			map[string]string{"Quoted IPv6/Hop Limit": "64", "Quoted ICMPv6/Sequence Number": "1"}, "quoting ICMPv6 Echo Request id=0x400e seq=1 to ::1"},
		{"IPv6 parameter problem", marshal(t, Message{Family: IPv6, Type: 4, Code: 1, Body: &ParamProb{Pointer: 6, Data: quote6}}, ph), Options{Family: IPv6, Src: doc6a, Dst: loop6},
			map[string]string{"ICMPv6/Pointer": "6"}, "Unrecognized Next Header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := decodeChecked(t, tc.b, tc.opts)
			for k, v := range tc.fields {
				layer, name, _ := strings.Cut(k, "/")
				if f := field(t, r, layer, name); f.Value != v {
					t.Errorf("%s = %q (%s), want %q", k, f.Value, f.Meaning, v)
				}
			}
			if !strings.Contains(r.Summary, tc.inSum) {
				t.Errorf("summary %q lacks %q", r.Summary, tc.inSum)
			}
			for _, c := range r.Checksums {
				if c.Verifiable && !c.Correct {
					t.Errorf("checksum %s wrong: %+v", c.Layer, c)
				}
			}
			if len(r.Warnings) != 0 {
				t.Errorf("warnings %q", r.Warnings)
			}
		})
	}
}

func TestDecodeTruncated(t *testing.T) {
	for _, n := range []int{1, 5, 19, 20, 21, 23, 24, 27, 28, 40, 51} {
		r := decodeChecked(t, ping4Request[:n], Options{Family: IPv4})
		if n >= 20 && !hasWarning(r, "truncated") {
			t.Errorf("%d bytes: no truncation warning: %q", n, r.Warnings)
		}
	}
	r := decodeChecked(t, ping4Request[:40], Options{})
	if !hasWarning(r, "truncated: IPv4 total length 52 but 40 bytes present") {
		t.Errorf("warnings %q", r.Warnings)
	}
	if c := r.Checksums[1]; c.Verifiable || c.Correct {
		t.Errorf("truncated ICMP checksum verifiable: %+v", c)
	}
	r = decodeChecked(t, ping4Request[:15], Options{})
	if r.Layers[0] != "ICMPv4" {
		t.Errorf("15 bytes starting 0x45 are read as %v (too short for an IPv4 header)", r.Layers)
	}
	r = decodeChecked(t, ping4Request[20:25], Options{})
	if f := field(t, r, "ICMPv4", "Identifier (truncated)"); f.Length != 1 {
		t.Errorf("truncated identifier %+v", f)
	}
	for _, b := range [][]byte{nil, {8}, {8, 0, 0}} {
		r := decodeChecked(t, b, Options{})
		if r.Error == "" || len(r.Fields) != 0 {
			t.Errorf("%x: error %q, %d fields", b, r.Error, len(r.Fields))
		}
	}
	r = decodeChecked(t, ping6Request[:60], Options{})
	if !hasWarning(r, "IPv6 payload length 32") {
		t.Errorf("IPv6 truncated warnings %q", r.Warnings)
	}
}

func TestReportJSONTags(t *testing.T) {
	r := Decode(ping4Request, Options{})
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var generic map[string]any
	if err := json.Unmarshal(raw, &generic); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"summary", "length", "hex", "layers", "fields", "checksums", "warnings"} {
		if _, ok := generic[k]; !ok {
			t.Errorf("report JSON lacks %q", k)
		}
	}
	if _, ok := generic["error"]; ok {
		t.Error("error present on a good packet")
	}
	version := generic["fields"].([]any)[0].(map[string]any)
	if version["bitOffset"] != 0.0 || version["bitLength"] != 4.0 {
		t.Errorf("Version field JSON %v: bitOffset 0 must be present", version)
	}
	ttl := generic["fields"].([]any)[11].(map[string]any)
	if _, ok := ttl["bitOffset"]; ok || ttl["name"] != "TTL" {
		t.Errorf("whole-byte field JSON %v carries bit offsets", ttl)
	}
	c := generic["checksums"].([]any)[0].(map[string]any)
	for _, k := range []string{"layer", "fieldOffset", "start", "end", "pseudoHeader", "received", "computed", "correct", "verifiable", "trace"} {
		if _, ok := c[k]; !ok {
			t.Errorf("checksum JSON lacks %q", k)
		}
	}
	step := c["trace"].(map[string]any)["steps"].([]any)[5].(map[string]any)
	if step["note"] != NoteChecksumField || step["offset"] != 10.0 {
		t.Errorf("step 5 %v", step)
	}
}

func TestTraceChecksumMatchesChecksum(t *testing.T) {
	for _, b := range [][]byte{{}, {0xab}, ping4Request, ping6Request, make([]byte, 200000)} {
		tr := TraceChecksum(b)
		if tr.Result != Checksum(b) {
			t.Errorf("len %d: trace result %#x, Checksum %#x", len(b), tr.Result, Checksum(b))
		}
	}
	tr := TraceChecksum([]byte{0x12, 0x34, 0x56})
	if len(tr.Steps) != 2 || tr.Steps[1].Word != 0x5600 || tr.Steps[1].Note != NoteOddByte {
		t.Errorf("odd trace %+v", tr.Steps)
	}
	// RFC 1071 example: 0x2ddf0 folds to 0xddf2 with carry 2.
	tr = TraceChecksum([]byte{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7})
	if len(tr.Folds) != 1 || tr.Folds[0] != (ChecksumFold{Before: 0x2ddf0, Carry: 2, After: 0xddf2}) || tr.Sum != 0xddf2 {
		t.Errorf("RFC 1071 trace %+v", tr)
	}
}
