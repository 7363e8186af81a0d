package wire

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// Options steer Decode.
type Options struct {
	// Family forces how a packet without an IP header is read: IPv4 (ICMPv4) or IPv6
	// (ICMPv6). FamilyAuto guesses (see Decode).
	Family Family
	// EchoscopePayload labels the first 16 bytes of echo data as Echoscope's session token
	// and send time. Off by default: a foreign packet may carry anything there.
	EchoscopePayload bool
	// Src and Dst are the IPv6 addresses of a bare ICMPv6 message (no IPv6 header in the
	// bytes), needed to verify its checksum. Ignored when the IPv6 header is present.
	Src, Dst netip.Addr
	// KernelChecksum says the bytes are an ICMP message as written to a socket whose kernel
	// fills the checksum (ICMPv6 raw and datagram sockets, RFC 3542 section 3.1; ICMPv4
	// datagram sockets): a checksum of 0 there was left for the kernel, not wrong.
	KernelChecksum bool
}

// Layer names used in reports.
const (
	LayerIPv4         = "IPv4"
	LayerIPv6         = "IPv6"
	LayerICMPv4       = "ICMPv4"
	LayerICMPv6       = "ICMPv6"
	LayerEchoscope    = "Echoscope payload"
	LayerData         = "Data"
	LayerExtensions   = "ICMP Extensions"
	LayerQuotedPrefix = "Quoted "
)

// Decode turns a packet into a Report. b may start with an IPv4 header (version 4,
// IHL >= 5, protocol 1 or a correct header checksum), an IPv6 header (version 6 with
// ICMPv6 as next header, possibly after extension headers), or be a bare ICMP message:
// ICMPv4 unless opts.Family says IPv6, IPv6 addresses are given in opts, or the type is
// >= 128 and not an ICMPv4 type.
// Decode never fails: problems become warnings, and Report.Error is set only when
// nothing at all could be decoded (empty input, or a bare message under 4 bytes).
func Decode(b []byte, opts Options) Report {
	d := &decoder{b: b, opts: opts}
	d.r.Length = len(b)
	d.r.Hex = hex.EncodeToString(b)
	switch kind := detect(b, opts); kind {
	case kindEmpty:
		d.r.Error = "nothing to decode: no bytes"
	case kindIPv4:
		d.ipv4Packet()
	case kindIPv6:
		d.ipv6Packet()
	case kindICMPv4, kindICMPv6:
		f := IPv4
		if kind == kindICMPv6 {
			f = IPv6
		}
		if len(b) < ICMPHeaderLen {
			d.r.Error = fmt.Sprintf("too short: %d bytes, an %s message needs at least %d", len(b), f.ICMPName(), ICMPHeaderLen)
			break
		}
		var ph *PseudoHeader
		if f == IPv6 && opts.Src.Is6() && opts.Dst.Is6() {
			ph = &PseudoHeader{Src: opts.Src, Dst: opts.Dst}
		}
		d.icmp(f, 0, len(b), icmpContext{ph: ph, srcAt: -1, dstAt: -1, claimed: len(b)})
	}
	return d.finish()
}

type packetKind int

const (
	kindEmpty packetKind = iota
	kindIPv4
	kindIPv6
	kindICMPv4
	kindICMPv6
)

func detect(b []byte, opts Options) packetKind {
	if len(b) == 0 {
		return kindEmpty
	}
	switch b[0] >> 4 {
	case 4:
		if opts.Family != IPv6 && looksLikeIPv4(b) {
			return kindIPv4
		}
	case 6:
		if opts.Family != IPv4 && looksLikeIPv6(b) {
			return kindIPv6
		}
	}
	switch {
	case opts.Family == IPv6:
		return kindICMPv6
	case opts.Family == IPv4:
		return kindICMPv4
	case opts.Src.Is6() && opts.Dst.Is6() && !opts.Src.Is4In6():
		return kindICMPv6 // IPv6 addresses given for the pseudo-header: it is ICMPv6
	}
	if b[0] >= 128 && !knownType(IPv4, b[0]) {
		return kindICMPv6
	}
	return kindICMPv4
}

func looksLikeIPv4(b []byte) bool {
	if len(b) < IPv4HeaderLen || b[0]&0x0f < 5 {
		return false
	}
	return b[9] == ProtocolICMP || VerifyIPv4HeaderChecksum(b)
}

func looksLikeIPv6(b []byte) bool {
	if len(b) < IPv6HeaderLen {
		return false
	}
	_, proto, _, err := WalkIPv6Extensions(b[6], b[IPv6HeaderLen:])
	return proto == ProtocolICMPv6 && (err == nil || errors.Is(err, ErrFragment))
}

// decoder builds one Report.
type decoder struct {
	b    []byte
	opts Options
	r    Report

	ipSummary   string // "IPv4 127.0.0.1 > 127.0.0.1"
	icmpSummary string // "ICMPv4 Echo Request id=0x1c2d seq=1"
}

// add appends a field, recording its layer.
func (d *decoder) add(f Field) {
	if f.Length < 1 {
		return
	}
	if len(d.r.Layers) == 0 || !contains(d.r.Layers, f.Layer) {
		d.r.Layers = append(d.r.Layers, f.Layer)
	}
	d.r.Fields = append(d.r.Fields, f)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (d *decoder) warn(format string, args ...any) {
	d.r.Warnings = append(d.r.Warnings, fmt.Sprintf(format, args...))
}

// run adds a depth-0 field for the bytes [off, end), valued as hex (shortened when long).
func (d *decoder) run(layer, name string, off, end int, meaning string) {
	if off >= end {
		return
	}
	d.add(Field{Layer: layer, Name: name, Offset: off, Length: end - off, Value: hexRun(d.b[off:end]), Meaning: meaning})
}

// maxRunValue is how many bytes of a long byte run the Value shows; the whole run is in
// Report.Hex anyway.
const maxRunValue = 32

func hexRun(b []byte) string {
	if len(b) <= maxRunValue {
		return hex.EncodeToString(b)
	}
	return hex.EncodeToString(b[:maxRunValue]) + "…"
}

// cursor lays out the fixed fields of one header, stopping cleanly at the end of the
// bytes: the first field that does not fit becomes a "(truncated)" field covering what is
// left, a warning is recorded, and every later call reports false.
type cursor struct {
	d       *decoder
	layer   string
	end     int
	what    string // for the warning: "IPv4 header"
	stopped bool
}

func (c *cursor) fits(off, n int, name string) bool {
	if c.stopped {
		return false
	}
	if off+n <= c.end {
		return true
	}
	c.stopped = true
	if off < c.end {
		c.d.run(c.layer, name+" (truncated)", off, c.end, fmt.Sprintf("only %d of its %d bytes present", c.end-off, n))
	}
	c.d.warn("truncated: %s ends at byte %d, inside %s", c.what, c.end, name)
	return false
}

func (d *decoder) finish() Report {
	d.receiverChecks()
	r := d.r
	if r.Layers == nil {
		r.Layers = []string{}
	}
	if r.Fields == nil {
		r.Fields = []Field{}
	}
	if r.Checksums == nil {
		r.Checksums = []ChecksumReport{}
	}
	if r.Warnings == nil {
		r.Warnings = []string{}
	}
	parts := make([]string, 0, 3)
	for _, p := range []string{d.ipSummary, d.icmpSummary} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if r.Error != "" {
		parts = append(parts, "undecodable: "+r.Error)
	}
	parts = append(parts, plural(len(d.b), "byte"))
	r.Summary = strings.Join(parts, ", ")
	return r
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// checksumMeaning words a checksum verdict for a field map.
func checksumMeaning(c ChecksumReport, unverifiable string) string {
	switch {
	case !c.Verifiable:
		return fmt.Sprintf("checksum 0x%04x (not verifiable: %s)", c.Received, unverifiable)
	case c.Correct:
		return fmt.Sprintf("checksum 0x%04x (correct)", c.Received)
	}
	return fmt.Sprintf("checksum 0x%04x (wrong: should be 0x%04x)", c.Received, c.Computed)
}
