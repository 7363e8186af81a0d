package wire

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Hex dumps with an offset column: every line starts with the offset of its first byte,
// then the bytes in hex groups, then (for most tools) the same bytes as ASCII. The offsets
// are checked against the bytes read, so the offset column is never read as data and a
// missing or extra line is refused rather than decoded wrong.
//
//	Wireshark/tshark   "0000  45 00 00 54 ...   E..T"          4 hex digits, 2+ spaces
//	tcpdump -x/-X      "\t0x0000:  4500 0054 ...  E..T"        0x, colon, 16-bit groups
//	xxd                "00000000: 4500 0054 ...  E..T"         8 digits, colon
//	hexdump -C         "00000000  45 00 ...  |E..T|"           8 digits, "*" for repeats,
//	                                                           a last line with the length

// offsetPattern matches a line's offset column: "0x0010:", "00000010:" or a bare 4 to 8
// digit offset followed by two spaces, a tab or the end of the line.
var offsetPattern = regexp.MustCompile(`^[ \t]*(?:(0x[0-9a-fA-F]{1,8}):(?:[ \t]|$)|([0-9a-fA-F]{1,8}):(?:[ \t]|$)|([0-9a-fA-F]{4,8})(?:  |\t|$))`)

// dumpLine is one line of a dump: its offset and the text after it.
type dumpLine struct {
	number int // 1-based line number in the paste
	offset int
	body   string
	// repeat: the next line is "*" (the tool left out lines equal to this one).
	repeat bool
}

type dumpStyle struct {
	format string
	form   int // which group of offsetPattern matched: 1 tcpdump, 2 xxd, 3 bare
	digits int
}

// parseDump reads lines as a hex dump. ok is false when the text is not a dump at all
// (no line starts with an offset), so the caller reads it another way.
func parseDump(lines []string) (Pasted, bool, error) {
	style, first, ok := findDump(lines)
	if !ok {
		return Pasted{}, false, nil
	}
	var dl []dumpLine
	for i := first; i < len(lines); i++ {
		line := lines[i]
		switch strings.TrimSpace(line) {
		case "":
			continue // blank lines change nothing: the offsets decide
		case "*":
			if len(dl) == 0 {
				return Pasted{}, true, fmt.Errorf("%w: line %d is \"*\" with no line above it to repeat", ErrPaste, i+1)
			}
			dl[len(dl)-1].repeat = true
			continue
		}
		off, body, lineStyle, ok := splitOffset(line)
		if !ok || lineStyle.form != style.form || (style.form == 3 && lineStyle.digits != style.digits) {
			return Pasted{}, true, fmt.Errorf("%w: line %d %q is not a line of the %s that starts on line %d (%s)",
				ErrPaste, i+1, shortLine(line), style.format, first+1, understood(style, dl))
		}
		dl = append(dl, dumpLine{number: i + 1, offset: off, body: body})
	}
	if len(dl) == 1 && style.form == 3 && strings.TrimSpace(dl[0].body) == "" {
		return Pasted{}, false, nil // a lone number: plain hex, not a dump
	}
	b, err := dumpBytes(style, dl)
	if err != nil {
		return Pasted{}, true, err
	}
	if len(b) == 0 {
		return Pasted{}, true, fmt.Errorf("%w: the %s holds no bytes", ErrEmpty, style.format)
	}
	return Pasted{Bytes: b, Format: style.format, Skipped: first}, true, nil
}

// findDump finds the first line with an offset of 0 (a dump starts there) and the style of
// its offset. Lines before it (tcpdump's summary) are skipped and counted.
func findDump(lines []string) (dumpStyle, int, bool) {
	for i, line := range lines {
		off, body, style, ok := splitOffset(line)
		if !ok || off != 0 {
			continue
		}
		// A bare offset needs bytes after it: "0000" alone is plain hex.
		if style.form == 3 && strings.TrimSpace(body) == "" {
			continue
		}
		return style, i, true
	}
	return dumpStyle{}, 0, false
}

func splitOffset(line string) (offset int, body string, style dumpStyle, ok bool) {
	m := offsetPattern.FindStringSubmatchIndex(line)
	if m == nil {
		return 0, "", dumpStyle{}, false
	}
	for form := 1; form <= 3; form++ {
		if m[2*form] < 0 {
			continue
		}
		text := line[m[2*form]:m[2*form+1]]
		v, err := strconv.ParseUint(strings.TrimPrefix(text, "0x"), 16, 32)
		if err != nil {
			return 0, "", dumpStyle{}, false
		}
		style = dumpStyle{form: form, digits: len(strings.TrimPrefix(text, "0x"))}
		switch {
		case form == 1:
			style.format = FormatTcpdump
		case form == 2:
			style.format = FormatXxd
		case style.digits == 4:
			style.format = FormatWireshark
		case style.digits == 8 && strings.Contains(line, "|"):
			style.format = FormatHexdumpC
		default:
			style.format = FormatOffsetHex
		}
		// The body keeps the line's columns (offset replaced by spaces) so the ASCII
		// column of every line starts at the same place.
		return int(v), strings.Repeat(" ", m[1]) + line[m[1]:], style, true
	}
	return 0, "", dumpStyle{}, false
}

// wordDump matches the first line of od's and hexdump's default output: a 7-digit offset
// and a single space.
var wordDump = regexp.MustCompile(`^[0-9a-fA-F]{7}( |$)`)

// refuseWordDump refuses od and hexdump output without -C/-tx1: their 2-byte words are in
// the machine's byte order and od's offsets are octal, so the bytes cannot be read safely.
func refuseWordDump(lines []string) error {
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if wordDump.MatchString(l) {
			return fmt.Errorf("%w: 7-digit offsets are od's or hexdump's default output, whose 2-byte words are in the "+
				"machine's byte order (and od's offsets are octal): use hexdump -C or od -An -tx1 -v", ErrPaste)
		}
		return nil
	}
	return nil
}

// dumpBytes reads the bytes of every line, each line's count given by the next offset.
func dumpBytes(style dumpStyle, dl []dumpLine) ([]byte, error) {
	var out []byte
	asciiColumn := -1
	for i, l := range dl {
		if l.offset != len(out) {
			return nil, fmt.Errorf("%w: line %d has offset 0x%x but the lines before it hold 0x%x (%d) bytes (%s)",
				ErrPaste, l.number, l.offset, len(out), len(out), understood(style, dl[:i]))
		}
		want := -1
		if i+1 < len(dl) && !l.repeat {
			want = dl[i+1].offset - l.offset
		}
		b, column, err := lineBytes(l, want, asciiColumn, i+1 == len(dl) && len(dl) > 1)
		if err != nil {
			return nil, fmt.Errorf("%w (%s)", err, understood(style, dl[:i]))
		}
		if column >= 0 && asciiColumn < 0 {
			asciiColumn = column
		}
		out = append(out, b...)
		if l.repeat {
			if i+1 >= len(dl) || len(b) == 0 {
				return nil, fmt.Errorf("%w: the \"*\" after line %d (lines repeating it) needs a next offset to say how many", ErrPaste, l.number)
			}
			gap := dl[i+1].offset - len(out)
			if gap < 0 || gap%len(b) != 0 {
				return nil, fmt.Errorf("%w: after the \"*\" below line %d the offset 0x%x is not a whole number of %d-byte lines on (%s)",
					ErrPaste, l.number, dl[i+1].offset, len(b), understood(style, dl[:i+1]))
			}
			for range gap / len(b) {
				out = append(out, b...)
			}
		}
	}
	return out, nil
}

// lineBytes reads the hex groups of one line. With want >= 0 the line must hold exactly
// that many bytes and anything after them must be their ASCII rendering. With want < 0
// (the last line) the split between bytes and ASCII is found: at the ASCII column of the
// lines above when known, else the only split whose rest is the bytes' ASCII or nothing.
func lineBytes(l dumpLine, want, asciiColumn int, last bool) ([]byte, int, error) {
	groups := hexGroups(l.body)
	var b []byte
	type split struct {
		n      int // bytes
		column int // where the rest starts
		gap    int // blanks between the last group and the rest
		ascii  bool
	}
	var fits []split
	for _, grp := range groups {
		if want >= 0 && len(b) >= want {
			break
		}
		if !grp.hex {
			break
		}
		b = append(b, grp.bytes...)
		if want < 0 {
			rest := l.body[grp.end:]
			if strings.TrimSpace(rest) == "" || asciiMatches(rest, b) {
				column := restColumn(l.body, grp.end)
				fits = append(fits, split{n: len(b), column: column, gap: column - grp.end, ascii: strings.TrimSpace(rest) != ""})
			}
		}
	}
	if want >= 0 {
		if len(b) != want {
			return nil, -1, fmt.Errorf("%w: line %d holds %d bytes of hex but the next offset says %d", ErrPaste, l.number, len(b), want)
		}
		end := groupsEnd(groups, want)
		rest := l.body[end:]
		if strings.TrimSpace(rest) != "" && !asciiMatches(rest, b) {
			return nil, -1, fmt.Errorf("%w: on line %d the text after the %d bytes, %q, is neither hex nor their ASCII", ErrPaste, l.number, want, strings.TrimSpace(rest))
		}
		column := -1
		if strings.TrimSpace(rest) != "" {
			column = restColumn(l.body, end)
		}
		return b, column, nil
	}
	switch {
	case strings.TrimSpace(l.body) == "":
		return nil, -1, nil // hexdump's last line: the total length alone
	case len(fits) == 0:
		return nil, -1, fmt.Errorf("%w: on line %d the text after the hex is not the ASCII of the bytes before it", ErrPaste, l.number)
	case len(fits) == 1:
		return b[:fits[0].n], -1, nil
	}
	if asciiColumn >= 0 {
		// The lines above have an ASCII column, so this one has: the split whose ASCII starts
		// nearest that column (a leading space byte may shift it by one).
		best := -1
		for i, f := range fits {
			if f.ascii && (best < 0 || abs(f.column-asciiColumn) < abs(fits[best].column-asciiColumn)) {
				best = i
			}
		}
		if best >= 0 {
			return b[:fits[best].n], -1, nil
		}
	}
	// A lone line: the tools set their ASCII column off by more blanks (three or more, the
	// padding of a short line) than ever separate two hex groups.
	var wide []split
	for _, f := range fits {
		if f.gap >= 3 && f.n < fits[len(fits)-1].n {
			wide = append(wide, f)
		}
	}
	if !last && len(wide) == 1 {
		return b[:wide[0].n], -1, nil
	}
	if last {
		// Lines above had no ASCII column: neither has this one.
		f := fits[len(fits)-1]
		return b[:f.n], -1, nil
	}
	return nil, -1, fmt.Errorf("%w: line %d reads two ways: %d bytes followed by their ASCII, or %d bytes; paste the whole dump or leave the ASCII column out",
		ErrPaste, l.number, fits[0].n, fits[len(fits)-1].n)
}

// hexGroup is one whitespace-separated token of a dump line.
type hexGroup struct {
	end   int // index after the token in the line
	hex   bool
	bytes []byte
}

func hexGroups(body string) []hexGroup {
	var out []hexGroup
	i := 0
	for i < len(body) {
		for i < len(body) && (body[i] == ' ' || body[i] == '\t') {
			i++
		}
		start := i
		for i < len(body) && body[i] != ' ' && body[i] != '\t' {
			i++
		}
		if start == i {
			break
		}
		tok := body[start:i]
		g := hexGroup{end: i}
		if len(tok)%2 == 0 {
			if b, err := ParseHex(tok); err == nil && !strings.ContainsAny(tok, "xX:") {
				g.hex, g.bytes = true, b
			}
		}
		out = append(out, g)
	}
	return out
}

// groupsEnd is where the group that completes n bytes ends.
func groupsEnd(groups []hexGroup, n int) int {
	count := 0
	for _, g := range groups {
		count += len(g.bytes)
		if count >= n {
			return g.end
		}
	}
	return 0
}

// restColumn is the column where the text after index end starts.
func restColumn(body string, end int) int {
	for end < len(body) && (body[end] == ' ' || body[end] == '\t') {
		end++
	}
	return end
}

// asciiMatches reports whether rest is the ASCII column of b as the dump tools print it:
// printable bytes as themselves, others as '.', a space as ' ' (xxd, tshark) or '.'
// (tcpdump); hexdump -C wraps it in '|'. Spaces at either end of the column may have been
// trimmed.
func asciiMatches(rest string, b []byte) bool {
	s := strings.TrimSpace(rest)
	if asciiColumn(s, b) {
		return true
	}
	// hexdump -C: the column between '|'s (bytes that are themselves '|' are tried above).
	return len(s) >= 2 && strings.HasPrefix(s, "|") && strings.HasSuffix(s, "|") && asciiColumn(s[1:len(s)-1], b)
}

func asciiColumn(s string, b []byte) bool {
	if s == "" {
		return false
	}
	// Spaces at the ends of the column were trimmed with the line: skip leading and
	// trailing space bytes of b that s does not show.
	for lead := 0; lead < len(b); lead++ {
		rest := b[lead:]
		if len(s) <= len(rest) && allSpaces(rest[len(s):]) && asciiEqual(s, rest[:len(s)]) {
			return true
		}
		if b[lead] != ' ' {
			break
		}
	}
	return false
}

func allSpaces(b []byte) bool {
	for _, x := range b {
		if x != ' ' {
			return false
		}
	}
	return true
}

func asciiEqual(s string, b []byte) bool {
	for i := range len(s) {
		c, x := s[i], b[i]
		switch {
		case x > 0x20 && x < 0x7f:
			if c != x {
				return false
			}
		case x == ' ':
			if c != ' ' && c != '.' {
				return false
			}
		default:
			if c != '.' {
				return false
			}
		}
	}
	return true
}

// understood says what was read before a problem, for the error message.
func understood(style dumpStyle, before []dumpLine) string {
	if len(before) == 0 {
		return "read as " + style.format + ", nothing before it"
	}
	return fmt.Sprintf("read as %s: lines %d-%d fit, offsets 0x%x to 0x%x",
		style.format, before[0].number, before[len(before)-1].number, before[0].offset, before[len(before)-1].offset)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func shortLine(line string) string {
	line = strings.TrimSpace(line)
	if len(line) > 40 {
		return line[:40] + "…"
	}
	return line
}
