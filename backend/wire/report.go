package wire

import "encoding/json"

// Report is what Decode makes of a packet: the field map, the checksums and the problems
// found. Its JSON form is the contract in docs/wire-json.md, shared by the CLI
// (echoscope-ping decode --json), the WebAssembly build and the GUI; the frontend's
// interfaces (frontend/src/lib/wire/generated.ts) are generated from these structs by
// tools/wirets (make bindings), comments included.
type Report struct {
	// Summary is one line, e.g. "IPv4 127.0.0.1 > 127.0.0.1, ICMPv4 Echo Request id=0x1c2d seq=1, 64 bytes".
	Summary string `json:"summary"`
	// Length is the number of bytes decoded.
	Length int `json:"length"`
	// Hex is the bytes, lowercase hex, no spaces.
	Hex string `json:"hex"`
	// Layers, outermost first: ["IPv4", "ICMPv4", "Echoscope payload"]; error messages may
	// add "Quoted IPv4", "Quoted UDP", "Quoted Data" and "ICMP Extensions" (RFC 4884
	// objects decoded field by field: MPLS label stacks, interface information).
	Layers []string `json:"layers"`
	// Fields are in byte order within each layer, layers outermost first.
	Fields []Field `json:"fields"`
	// Checksums: every checksum the packet carries (IPv4 header, ICMP).
	Checksums []ChecksumReport `json:"checksums"`
	// Warnings are non-fatal problems, e.g. "truncated: IPv4 total length 84 but 60 bytes present".
	Warnings []string `json:"warnings"`
	// Error is set when nothing could be decoded (then Fields may be empty).
	Error string `json:"error,omitempty"`
	// Input says how pasted text was read ("read as xxd output: 84 bytes"), set by the
	// callers that read text with ParsePasted; empty when bytes were given directly.
	Input string `json:"input,omitempty"`
}

// Field is one named part of the packet. Fields with Depth 0 tile the packet: in byte
// order, without overlap, every bit covered once. Deeper fields refine the depth-0 field
// before them (the bits of Flags, the options inside Options).
type Field struct {
	Layer string `json:"layer"`
	Name  string `json:"name"`
	// Offset is the byte offset of the field's first byte in Report.Hex.
	Offset int `json:"offset"`
	// Length is the number of bytes the field touches (>= 1).
	Length int `json:"length"`
	// BitOffset, for sub-byte fields: the first bit within the first byte, 0 = most
	// significant (written whenever BitLength is, even when 0: see MarshalJSON).
	BitOffset int `json:"bitOffset,omitempty"`
	// BitLength, for sub-byte fields: the length in bits.
	BitLength int `json:"bitLength,omitempty"`
	// Value is the raw value: "0x45", "64", "0x1c2d", hex for byte runs.
	Value string `json:"value"`
	// Meaning is the value for people: "Echo Request", "TTL 64", "checksum 0x1c2d (correct)".
	Meaning string `json:"meaning"`
	// Depth is the nesting for the tree (0 = the layer's top level).
	Depth int `json:"depth,omitempty"`
}

// IsBits reports whether the field is a sub-byte (bit) field.
func (f Field) IsBits() bool { return f.BitLength > 0 }

// MarshalJSON writes bitOffset whenever bitLength is present, even when it is 0 (the most
// significant bit), which a plain omitempty would drop.
func (f Field) MarshalJSON() ([]byte, error) {
	type plain struct {
		Layer     string `json:"layer"`
		Name      string `json:"name"`
		Offset    int    `json:"offset"`
		Length    int    `json:"length"`
		BitOffset *int   `json:"bitOffset,omitempty"`
		BitLength *int   `json:"bitLength,omitempty"`
		Value     string `json:"value"`
		Meaning   string `json:"meaning"`
		Depth     int    `json:"depth,omitempty"`
	}
	p := plain{Layer: f.Layer, Name: f.Name, Offset: f.Offset, Length: f.Length, Value: f.Value, Meaning: f.Meaning, Depth: f.Depth}
	if f.BitLength > 0 {
		p.BitOffset, p.BitLength = &f.BitOffset, &f.BitLength
	}
	return json.Marshal(p)
}

// ChecksumReport is the verdict on one checksum the packet carries. When Verifiable is
// false (ICMPv6 without addresses, truncated message) Computed and Correct are zero and
// the Trace shows the sum over what is there, for teaching.
type ChecksumReport struct {
	Layer string `json:"layer"`
	// FieldOffset is the offset of the checksum field in Report.Hex.
	FieldOffset int `json:"fieldOffset"`
	// Start is the first byte covered; End one past the last.
	Start int `json:"start"`
	End   int `json:"end"`
	// PseudoHeader (ICMPv6): the IPv6 pseudo-header is part of the sum.
	PseudoHeader bool   `json:"pseudoHeader"`
	Received     uint16 `json:"received"`
	// Computed is worked out with the checksum field taken as zero.
	Computed uint16 `json:"computed"`
	Correct  bool   `json:"correct"`
	// Verifiable is false when the checksum cannot be checked (ICMPv6 without addresses).
	Verifiable bool `json:"verifiable"`
	// KernelFilled: the message was written with checksum 0 for the kernel to fill
	// (Options.KernelChecksum); Computed is what the kernel puts on the wire.
	KernelFilled bool `json:"kernelFilled"`
	// ReceiverSum is the receiver's check: the one's complement sum of every covered word
	// with the checksum as sent on the wire (Received, or Computed when KernelFilled),
	// pseudo-header included. 0xffff means the checksum is valid.
	ReceiverSum uint16        `json:"receiverSum"`
	Trace       ChecksumTrace `json:"trace"`
}

// IsICMPMessageChecksum says whether c is an ICMP message's checksum field (offset 2 of an
// ICMPv4 or ICMPv6 header), not an IP header's: the one the Lab builds, checks and walks
// through.
func (c ChecksumReport) IsICMPMessageChecksum() bool {
	return (c.Layer == LayerICMPv4 || c.Layer == LayerICMPv6) && c.FieldOffset == 2
}

// ChecksumTrace is the RFC 1071 sum worked step by step.
type ChecksumTrace struct {
	Steps []ChecksumStep `json:"steps"`
	Folds []ChecksumFold `json:"folds"`
	// Sum is the 16-bit one's complement sum after folding.
	Sum uint16 `json:"sum"`
	// Result is ^Sum & 0xffff: the checksum.
	Result uint16 `json:"result"`
}

// ChecksumStep is one 16-bit word added to the running sum. Offset is the word's place in
// the report's bytes, or -1 for pseudo-header parts that are not in the packet (the
// length and next-header words, or addresses given in Options).
type ChecksumStep struct {
	Offset int    `json:"offset"`
	Word   uint16 `json:"word"`
	// Sum is the 32-bit running sum after adding Word.
	Sum  uint32 `json:"sum"`
	Note string `json:"note,omitempty"`
}

// ChecksumFold is one end-around carry: the bits above 16 added back to the low 16.
type ChecksumFold struct {
	Before uint32 `json:"before"`
	Carry  uint32 `json:"carry"`
	After  uint32 `json:"after"`
}
