package cli

import (
	"fmt"
	"strings"
)

// getopt reads a command line as GNU getopt_long does for both programs echoscope-ping
// stands in for (iputils ping and fping): short options that may be bundled (-qc3), whose
// value is the rest of the word or else the next word; long options whose value follows '='
// or else is the next word; operands anywhere (argument permutation), and every word after
// "--" an operand. The two modes differ only in their tables and their callbacks.
type getopt struct {
	shortWithArg string // short options that take a value
	shortFlags   string // short options without one
	// refused, when not nil, returns why a short option is refused before it is looked up
	// (fping's and iputils' options that echoscope-ping does not implement), or nil.
	refused func(c byte) error
	// long tells whether long option name exists and takes a value; optionalValue names a
	// long option whose value may be given with '=' only (iputils mode's --json=full).
	long          func(name string) (takesValue, known bool)
	optionalValue string
	// mistake makes getopt's own complaints ("invalid option -- 'x'") into the mode's error.
	mistake func(msg string) error
	short   func(c byte, val string) error // applies a short option; val is "" for flags
	longOpt func(name, val string) error   // applies a long option; val is "" without one
	operand func(word string)
}

func (g *getopt) mistakef(format string, a ...any) error { return g.mistake(fmt.Sprintf(format, a...)) }

// parse reads args (without the program name), stopping at the first error.
func (g *getopt) parse(args []string) error {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			for _, w := range args[i+1:] {
				g.operand(w)
			}
			return nil
		case strings.HasPrefix(a, "--"):
			name, val, hasVal := strings.Cut(a[2:], "=")
			takesValue, known := g.long(name)
			if !known {
				return g.mistakef("unrecognized option '%s'", a)
			}
			if takesValue && !hasVal {
				if i+1 >= len(args) {
					return g.mistakef("option '--%s' requires an argument", name)
				}
				i++
				val = args[i]
			} else if !takesValue && hasVal && name != g.optionalValue {
				return g.mistakef("option '--%s' doesn't allow an argument", name)
			}
			if err := g.longOpt(name, val); err != nil {
				return err
			}
		case len(a) > 1 && a[0] == '-':
			if err := g.shortBundle(args, &i); err != nil {
				return err
			}
		default:
			g.operand(a)
		}
	}
	return nil
}

// shortBundle applies the short options of args[*i] in order; an option that takes a value
// ends the word, and takes the next word when the rest of this one is empty.
func (g *getopt) shortBundle(args []string, i *int) error {
	a := args[*i]
	for j := 1; j < len(a); j++ {
		c := a[j]
		if g.refused != nil {
			if err := g.refused(c); err != nil {
				return err
			}
		}
		if strings.IndexByte(g.shortWithArg, c) >= 0 {
			val := a[j+1:]
			if val == "" {
				if *i+1 >= len(args) {
					return g.mistakef("option requires an argument -- '%c'", c)
				}
				*i++
				val = args[*i]
			}
			return g.short(c, val)
		}
		if strings.IndexByte(g.shortFlags, c) < 0 {
			return g.mistakef("invalid option -- '%c'", c)
		}
		if err := g.short(c, ""); err != nil {
			return err
		}
	}
	return nil
}
