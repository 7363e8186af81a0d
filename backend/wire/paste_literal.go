package wire

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Bytes written as source code: C, Go and Python arrays ({0x08, 0x00}, []byte{0x8, 0x0},
// [8, 0], bytes([8, 0])), xxd -i output, and strings of escapes (b'E\x00\x00T',
// "\x08\x00", or bare \x08\x00).

// isLiteral: the text is source code rather than hex or a dump.
func isLiteral(s string) bool {
	return strings.ContainsAny(s, "{}[]\\\"'") || strings.HasPrefix(s, "bytes(") || strings.HasPrefix(s, "bytearray(")
}

func parseLiteral(s string) (Pasted, error) {
	s = stripComments(s)
	if strings.ContainsAny(s, "\"'") {
		b, err := parseQuoted(s)
		return Pasted{Bytes: b, Format: FormatEscaped}, err
	}
	if strings.HasPrefix(strings.TrimSpace(s), "\\") {
		b, err := parseBareEscapes(strings.TrimSpace(s))
		return Pasted{Bytes: b, Format: FormatEscaped}, err
	}
	b, err := parseArray(s)
	return Pasted{Bytes: b, Format: FormatArray}, err
}

// stripComments removes /* */ and // comments outside strings (Wireshark's "Copy as C
// array" writes the ASCII of each line in a comment) and # comments (Python).
func stripComments(s string) string {
	var out strings.Builder
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			out.WriteByte(c)
			if c == '\\' && i+1 < len(s) {
				i++
				out.WriteByte(s[i])
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
			out.WriteByte(c)
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return out.String()
			}
			i += end + 3
			out.WriteByte(' ')
		case (c == '/' && i+1 < len(s) && s[i+1] == '/') || c == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			out.WriteByte('\n')
		default:
			out.WriteByte(c)
		}
	}
	return out.String()
}

// xxdLength is the line xxd -i writes after the array; its number is checked.
var xxdLength = regexp.MustCompile(`^unsigned int \w+ = ([0-9]+);$`)

// parseArray reads the elements between the first '{' (or, without braces, '[') and its
// closing bracket. What comes before is the declaration; after it only ')' and ';' (and
// xxd -i's length line, which must agree).
func parseArray(s string) ([]byte, error) {
	open, closing := "{", "}"
	if !strings.Contains(s, "{") {
		open, closing = "[", "]"
	}
	start := strings.Index(s, open)
	end := strings.LastIndex(s, closing)
	if start < 0 || end < start {
		return nil, fmt.Errorf("%w: a byte array needs its %s and %s", ErrPaste, open, closing)
	}
	if open == "[" {
		// "[]byte" has no elements: Go's slice type comes before its braces, handled above.
		if prefix := strings.TrimSpace(s[:start]); prefix != "" && prefix != "bytes(" && prefix != "bytearray(" && !strings.HasSuffix(prefix, "=") {
			return nil, fmt.Errorf("%w: %q before the list is not a declaration", ErrPaste, prefix)
		}
	}
	var out []byte
	elements := strings.Split(s[start+1:end], ",")
	for i, e := range elements {
		e = strings.TrimSpace(e)
		if e == "" && i == len(elements)-1 && i > 0 {
			break // trailing comma
		}
		v, err := arrayElement(e)
		if err != nil {
			return nil, fmt.Errorf("%w: element %d %q: %v (%d bytes read before it)", ErrPaste, i+1, e, err, len(out))
		}
		out = append(out, v)
	}
	if err := checkAfterArray(s[end+1:], len(out)); err != nil {
		return nil, err
	}
	return out, nil
}

func arrayElement(e string) (byte, error) {
	switch {
	case e == "":
		return 0, fmt.Errorf("empty")
	case strings.HasPrefix(e, "0x") || strings.HasPrefix(e, "0X"):
		v, err := strconv.ParseUint(e[2:], 16, 8)
		if err != nil || len(e) < 3 {
			return 0, fmt.Errorf("not a byte in hex (0x00 to 0xff)")
		}
		return byte(v), nil
	case len(e) > 1 && e[0] == '0':
		return 0, fmt.Errorf("a leading 0 is octal in C and decimal in Python: write it as 0x.. or without the 0")
	}
	v, err := strconv.ParseUint(e, 10, 8)
	if err != nil {
		return 0, fmt.Errorf("not a byte (0 to 255, or 0x00 to 0xff)")
	}
	return byte(v), nil
}

func checkAfterArray(after string, n int) error {
	for _, line := range strings.Split(after, "\n") {
		line = strings.TrimSpace(strings.Trim(strings.TrimSpace(line), ");"))
		if line == "" {
			continue
		}
		if m := xxdLength.FindStringSubmatch(line + ";"); m != nil {
			if m[1] != strconv.Itoa(n) {
				return fmt.Errorf("%w: the array holds %d bytes but its length line says %s", ErrPaste, n, m[1])
			}
			continue
		}
		return fmt.Errorf("%w: %q after the array (%d bytes read)", ErrPaste, shortLine(line), n)
	}
	return nil
}

// parseQuoted reads one or more quoted strings (C concatenation, Python b'...'), with what
// may surround them in code: a declaration ending in '=', bytes( ), '+', ';'.
func parseQuoted(s string) ([]byte, error) {
	var out []byte
	if eq := strings.Index(s, "="); eq >= 0 && !strings.ContainsAny(s[:eq], "\"'") {
		s = s[eq+1:]
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '+' || c == ';' || c == '(' || c == ')' || c == '\\':
			i++
			continue
		case c == '"' || c == '\'':
		case (c == 'b' || c == 'B') && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\''):
			i++
			c = s[i]
		case strings.HasPrefix(s[i:], "bytearray("):
			i += len("bytearray(")
			continue
		case strings.HasPrefix(s[i:], "bytes("):
			i += len("bytes(")
			continue
		default:
			return nil, fmt.Errorf("%w: %q outside the quotes (%d bytes read)", ErrPaste, string(c), len(out))
		}
		end, b, err := unquote(s, i+1, c)
		if err != nil {
			return nil, fmt.Errorf("%w (%d bytes read before it)", err, len(out))
		}
		out = append(out, b...)
		i = end + 1
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: the string holds no bytes", ErrEmpty)
	}
	return out, nil
}

// unquote decodes a string body from i up to the closing quote q; it returns the index
// of that quote.
func unquote(s string, i int, q byte) (int, []byte, error) {
	var out []byte
	for i < len(s) {
		c := s[i]
		switch {
		case c == q:
			return i, out, nil
		case c == '\\':
			n, b, err := escape(s, i)
			if err != nil {
				return 0, nil, err
			}
			out = append(out, b)
			i += n
		case c >= 0x20 && c < 0x7f:
			out = append(out, c)
			i++
		default:
			return 0, nil, fmt.Errorf("%w: character %q inside the string is not ASCII: write it as \\xHH", ErrPaste, printable(s, i))
		}
	}
	return 0, nil, fmt.Errorf("%w: the string is not closed by %c", ErrPaste, q)
}

// escape decodes the escape at s[i] ('\\'): how many characters it takes and its byte.
func escape(s string, i int) (int, byte, error) {
	if i+1 >= len(s) {
		return 0, 0, fmt.Errorf("%w: a \\ at the end", ErrPaste)
	}
	simple := map[byte]byte{'n': '\n', 'r': '\r', 't': '\t', 'a': 7, 'b': 8, 'f': 12, 'v': 11, '\\': '\\', '\'': '\'', '"': '"'}
	c := s[i+1]
	if v, ok := simple[c]; ok {
		return 2, v, nil
	}
	switch {
	case c == 'x':
		if i+4 > len(s) {
			return 0, 0, fmt.Errorf("%w: \\x needs two hex digits", ErrPaste)
		}
		v, err := strconv.ParseUint(s[i+2:i+4], 16, 8)
		if err != nil {
			return 0, 0, fmt.Errorf("%w: \\x%s is not two hex digits", ErrPaste, s[i+2:i+4])
		}
		return 4, byte(v), nil
	case c >= '0' && c <= '7':
		n := 1
		for n < 3 && i+1+n < len(s) && s[i+1+n] >= '0' && s[i+1+n] <= '7' {
			n++
		}
		v, err := strconv.ParseUint(s[i+1:i+1+n], 8, 16)
		if err != nil || v > 0xff {
			return 0, 0, fmt.Errorf("%w: octal escape \\%s is more than a byte", ErrPaste, s[i+1:i+1+n])
		}
		return 1 + n, byte(v), nil
	}
	return 0, 0, fmt.Errorf("%w: unknown escape \\%c", ErrPaste, c)
}

// parseBareEscapes reads \xHH sequences pasted without quotes; whitespace between them is
// ignored, anything else refused.
func parseBareEscapes(s string) ([]byte, error) {
	var out []byte
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\\' && i+1 < len(s) && s[i+1] == 'x':
			n, b, err := escape(s, i)
			if err != nil {
				return nil, fmt.Errorf("%w (%d bytes read before it)", err, len(out))
			}
			out = append(out, b)
			i += n
		default:
			return nil, fmt.Errorf("%w: %q at position %d: without quotes only \\xHH escapes are read (%d bytes read before it)",
				ErrPaste, printable(s, i), i+1, len(out))
		}
	}
	return out, nil
}
