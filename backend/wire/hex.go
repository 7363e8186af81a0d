package wire

import (
	"fmt"
	"strings"
)

// ParseHex reads bytes written as hex digits, as people paste them: whitespace and ':'
// between digits are ignored, and a "0x" or "0X" prefix is accepted at the start of the
// input and after any separator ("0x45 0x00", "45:00", "4500 0054"). It returns ErrEmpty
// when no digits are given, ErrOddHex for an odd number of digits and ErrBadHex (with the
// position) for any other character.
func ParseHex(s string) ([]byte, error) {
	out := make([]byte, 0, len(s)/2)
	var high byte
	digits := 0
	tokenStart := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' || c == '\f' || c == '\v':
			tokenStart = true
			continue
		case tokenStart && c == '0' && i+1 < len(s) && (s[i+1] == 'x' || s[i+1] == 'X') && digits%2 == 0:
			i++ // skip "0x"
			tokenStart = false
			continue
		}
		tokenStart = false
		v, ok := hexValue(c)
		if !ok {
			return nil, fmt.Errorf("%w: %q at position %d", ErrBadHex, printable(s, i), i+1)
		}
		if digits%2 == 0 {
			high = v << 4
		} else {
			out = append(out, high|v)
		}
		digits++
	}
	if digits == 0 {
		return nil, fmt.Errorf("%w: no hex digits", ErrEmpty)
	}
	if digits%2 != 0 {
		return nil, fmt.Errorf("%w (%d)", ErrOddHex, digits)
	}
	return out, nil
}

func hexValue(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// printable returns the (possibly multi-byte) character at i for error messages.
func printable(s string, i int) string {
	for j, r := range s {
		if j >= i {
			return string(r)
		}
	}
	return strings.ToValidUTF8(s[i:i+1], "?")
}
