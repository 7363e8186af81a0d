package wire

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// ErrPaste: pasted text that is not one of the forms ParsePasted reads, or whose parts
// disagree (offsets, lengths, an ASCII column that is not the bytes'). The message says
// what was understood before the problem.
var ErrPaste = errors.New("wire: cannot read the pasted text")

// PasteOptions says how to read pasted text.
type PasteOptions struct {
	// Base64 reads the text as base64 (standard or URL alphabet, padding optional,
	// whitespace ignored). It is a switch, never a guess: "deadbeef" is both hex and base64.
	Base64 bool
}

// Pasted is what ParsePasted read.
type Pasted struct {
	Bytes []byte
	// Format names the form the text was read as ("tcpdump -x/-X output", "plain hex"...).
	Format string
	// Skipped counts the lines before a dump that were not part of it (the summary line
	// tcpdump prints above its hex).
	Skipped int
}

// Describe says in one sentence how the text was read: "read as xxd output: 84 bytes".
func (p Pasted) Describe() string {
	s := fmt.Sprintf("read as %s: %d bytes", p.Format, len(p.Bytes))
	if p.Skipped > 0 {
		s += fmt.Sprintf(" (%s before the dump skipped)", plural(p.Skipped, "line"))
	}
	return s
}

// Formats ParsePasted names.
const (
	FormatPlainHex  = "plain hex"
	FormatWireshark = "Wireshark/tshark hex dump"
	FormatTcpdump   = "tcpdump -x/-X output"
	FormatXxd       = "xxd output"
	FormatHexdumpC  = "hexdump -C output"
	FormatOffsetHex = "hex dump with offsets"
	FormatArray     = "byte array"
	FormatEscaped   = "escaped byte string"
	FormatBase64    = "base64"
)

// ParsePasted reads a packet as people paste it: plain hex with any separators; a hex dump
// with an offset column (Wireshark/tshark, tcpdump -x/-xx/-X/-XX, xxd, hexdump -C, od -An
// -tx1), its ASCII column checked against the bytes; a C, Go or Python byte array; a string
// of escapes (\x08\x00, Python b'...'); base64 when opts.Base64 says so. Offsets must follow
// the bytes read, or the text is refused (ErrPaste) with what was understood; nothing is
// guessed silently. Empty input is ErrEmpty.
func ParsePasted(text string, opts PasteOptions) (Pasted, error) {
	trimmed := strings.TrimSpace(text)
	if trimmed == "" {
		return Pasted{}, fmt.Errorf("%w: nothing pasted", ErrEmpty)
	}
	if opts.Base64 {
		b, err := parseBase64(trimmed)
		return Pasted{Bytes: b, Format: FormatBase64}, err
	}
	lines := splitLines(text)
	if err := refuseWordDump(lines); err != nil {
		return Pasted{}, err
	}
	if p, ok, err := parseDump(lines); ok || err != nil {
		return p, err
	}
	if isLiteral(trimmed) {
		return parseLiteral(trimmed)
	}
	for i, l := range lines {
		if strings.TrimSpace(l) == "*" {
			return Pasted{}, fmt.Errorf("%w: line %d is \"*\", which od and hexdump print for lines repeating the one above, "+
				"and without an offset column the number of repeats is lost: run od with -v (od -An -tx1 -v) or keep the offsets", ErrPaste, i+1)
		}
	}
	b, err := parsePlainHex(trimmed)
	return Pasted{Bytes: b, Format: FormatPlainHex}, err
}

func splitLines(text string) []string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, "\r")
	}
	return lines
}

// parsePlainHex is ParseHex with the other separators people use between bytes.
func parsePlainHex(s string) ([]byte, error) {
	return ParseHex(strings.Map(func(r rune) rune {
		switch r {
		case ',', ';', '-', '_', '|':
			return ' '
		}
		return r
	}, s))
}

func parseBase64(s string) ([]byte, error) {
	clean := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
	var firstErr error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		b, err := enc.DecodeString(clean)
		if err == nil {
			if len(b) == 0 {
				return nil, fmt.Errorf("%w: no bytes in the base64", ErrEmpty)
			}
			return b, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, fmt.Errorf("%w: not base64 (%v)", ErrPaste, firstErr)
}
