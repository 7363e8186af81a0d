package wire

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Explain is err's message for a person reading the page: the Go package prefix "wire: "
// that the sentinels carry (useful in logs, noise on screen) is dropped wherever it occurs in
// the chain, and the text starts with a capital letter. The detail (offsets, lengths) stays.
func Explain(err error) string {
	if err == nil {
		return ""
	}
	msg := strings.TrimPrefix(err.Error(), "wire: ")
	msg = strings.ReplaceAll(msg, ": wire: ", ": ")
	r, size := utf8.DecodeRuneInString(msg)
	if r == utf8.RuneError {
		return msg
	}
	return string(unicode.ToUpper(r)) + msg[size:]
}
