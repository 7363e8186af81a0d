package wire

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestExplainDropsThePackageNameAndCapitalises(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{ErrBadHex, "Invalid hex character"},
		{fmt.Errorf("%w: line 1 holds 4 bytes", ErrPaste), "Cannot read the pasted text: line 1 holds 4 bytes"},
		{fmt.Errorf("%w: %w", ErrPaste, ErrOddHex), "Cannot read the pasted text: odd number of hex digits"},
		{errors.New("plain words"), "Plain words"},
		{nil, ""},
	} {
		if got := Explain(c.err); got != c.want {
			t.Errorf("Explain(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func TestExplainOfEveryParseErrorNeverNamesThePackage(t *testing.T) {
	for _, text := range []string{"zz", "abc", "", "0000 45 00\n0008 00"} {
		_, err := ParsePasted(text, PasteOptions{})
		if err == nil {
			continue
		}
		if got := Explain(err); strings.Contains(got, "wire:") {
			t.Errorf("Explain(ParsePasted(%q)) = %q names the package", text, got)
		}
	}
}
