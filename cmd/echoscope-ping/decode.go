package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"text/tabwriter"

	"echoscope/backend/wire"
)

// maxDecodeInput bounds what decode reads from stdin: far more than any IP packet's hex.
const maxDecodeInput = 1 << 20

// errDecodeUsage marks argument errors (printed with the usage line).
var errDecodeUsage = errors.New("usage: echoscope-ping decode [--json] [--trace] [--base64] [--payload echoscope] [-4|-6] [--src ADDR --dst ADDR] TEXT|-")

// decodeArgs are the parsed arguments of the decode subcommand.
type decodeArgs struct {
	json, trace bool
	base64      bool
	opts        wire.Options
	hexParts    []string // hex from the command line, joined with spaces
	fromStdin   bool
}

// runDecode implements `echoscope-ping decode`: hex in, field map (or JSON Report) out.
// Exit codes: 0 decoded (even with warnings), 2 bad arguments or undecodable input.
func runDecode(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "echoscope-ping decode: %v\n", err)
		return 2
	}
	a, err := parseDecodeArgs(args)
	if err != nil {
		return fail(err)
	}
	text := strings.Join(a.hexParts, " ")
	if a.fromStdin {
		raw, err := io.ReadAll(io.LimitReader(stdin, maxDecodeInput+1))
		if err != nil {
			return fail(fmt.Errorf("reading stdin: %w", err))
		}
		if len(raw) > maxDecodeInput {
			return fail(fmt.Errorf("more than %d bytes of hex on stdin", maxDecodeInput))
		}
		text = string(raw)
	}
	pasted, err := wire.ParsePasted(text, wire.PasteOptions{Base64: a.base64})
	if err != nil {
		return fail(err)
	}
	r := wire.Decode(pasted.Bytes, a.opts)
	if r.Error != "" {
		return fail(errors.New(r.Error))
	}
	r.Input = pasted.Describe()
	if a.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return fail(err)
		}
		return 0
	}
	writeReport(stdout, r, a.trace)
	return 0
}

func parseDecodeArgs(args []string) (decodeArgs, error) {
	var a decodeArgs
	fs := flag.NewFlagSet("decode", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&a.json, "json", false, "print the Report as JSON")
	fs.BoolVar(&a.trace, "trace", false, "show each checksum worked step by step")
	fs.BoolVar(&a.base64, "base64", false, "read the input as base64 instead of hex or a hex dump")
	payload := fs.String("payload", "", `"echoscope" labels the Echoscope token and send time in echo data`)
	v4 := fs.Bool("4", false, "read a bare message as ICMPv4")
	v6 := fs.Bool("6", false, "read a bare message as ICMPv6")
	src := fs.String("src", "", "IPv6 source address, to verify a bare ICMPv6 checksum")
	dst := fs.String("dst", "", "IPv6 destination address, to verify a bare ICMPv6 checksum")
	// Flags may come before or after the hex: parse, take one positional, repeat.
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return a, fmt.Errorf("%w\n%w", err, errDecodeUsage)
		}
		if fs.NArg() == 0 {
			break
		}
		if fs.Arg(0) == "-" {
			a.fromStdin = true
		} else {
			a.hexParts = append(a.hexParts, fs.Arg(0))
		}
		rest = fs.Args()[1:]
	}
	switch {
	case a.fromStdin && len(a.hexParts) > 0:
		return a, fmt.Errorf("hex given both as arguments and as - (stdin)\n%w", errDecodeUsage)
	case !a.fromStdin && len(a.hexParts) == 0:
		return a, fmt.Errorf("no hex given (pass it as arguments, or - to read stdin)\n%w", errDecodeUsage)
	case *v4 && *v6:
		return a, fmt.Errorf("-4 and -6 together\n%w", errDecodeUsage)
	case *payload != "" && *payload != "echoscope":
		return a, fmt.Errorf("--payload %q: only \"echoscope\" is known\n%w", *payload, errDecodeUsage)
	}
	a.opts.EchoscopePayload = *payload == "echoscope"
	if *v4 {
		a.opts.Family = wire.IPv4
	}
	if *v6 {
		a.opts.Family = wire.IPv6
	}
	for _, p := range []struct {
		flag, value string
		addr        *netip.Addr
	}{{"--src", *src, &a.opts.Src}, {"--dst", *dst, &a.opts.Dst}} {
		if p.value == "" {
			continue
		}
		addr, err := netip.ParseAddr(p.value)
		if err != nil || !addr.Is6() {
			return a, fmt.Errorf("%s %q: not an IPv6 address", p.flag, p.value)
		}
		*p.addr = addr
	}
	return a, nil
}

// writeReport prints the report for people: summary, field table, hex dump, checksums
// (with the step trace when asked) and warnings.
func writeReport(w io.Writer, r wire.Report, trace bool) {
	fmt.Fprintln(w, r.Summary)
	if r.Input != "" && !strings.HasPrefix(r.Input, "read as "+wire.FormatPlainHex+":") {
		fmt.Fprintf(w, "(input %s)\n", r.Input)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OFFSET\tLEN\tLAYER\tFIELD\tVALUE\tMEANING")
	for _, f := range r.Fields {
		offset, length := fmt.Sprint(f.Offset), fmt.Sprint(f.Length)
		if f.BitLength > 0 {
			offset, length = fmt.Sprintf("%d.%d", f.Offset, f.BitOffset), fmt.Sprintf("%db", f.BitLength)
		}
		fmt.Fprintln(tw, trimCells(offset, length, f.Layer, strings.Repeat("  ", f.Depth)+f.Name, shorten(f.Value, 24), f.Meaning))
	}
	tw.Flush()
	fmt.Fprintln(w)
	writeHexDump(w, r.Hex)
	if len(r.Checksums) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Checksums (RFC 1071):")
		for _, c := range r.Checksums {
			writeChecksum(w, c, trace)
		}
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Warnings:")
		for _, warning := range r.Warnings {
			fmt.Fprintf(w, "  - %s\n", warning)
		}
	}
}

// trimCells joins table cells with tabs, dropping empty trailing cells so that the
// tabwriter does not pad lines with trailing spaces.
func trimCells(cells ...string) string {
	for len(cells) > 0 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	return strings.Join(cells, "\t")
}

// shorten keeps table cells readable; the full value is in --json and the hex dump.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// writeHexDump prints 16 bytes a line: offset, hex in two groups of 8, ASCII.
func writeHexDump(w io.Writer, hexText string) {
	b, err := wire.ParseHex(hexText)
	if err != nil {
		return
	}
	for off := 0; off < len(b); off += 16 {
		line := b[off:min(off+16, len(b))]
		var hexCol, ascii strings.Builder
		for i := range 16 {
			if i == 8 {
				hexCol.WriteByte(' ')
			}
			if i < len(line) {
				fmt.Fprintf(&hexCol, "%02x ", line[i])
				c := line[i]
				if c < 0x20 || c > 0x7e {
					c = '.'
				}
				ascii.WriteByte(c)
			} else {
				hexCol.WriteString("   ")
			}
		}
		fmt.Fprintf(w, "%04x  %s %s\n", off, hexCol.String(), ascii.String())
	}
}

func writeChecksum(w io.Writer, c wire.ChecksumReport, trace bool) {
	what := c.Layer
	if c.PseudoHeader {
		what += " + IPv6 pseudo-header"
	}
	verdict := "not verifiable"
	switch {
	case c.Verifiable && c.Correct:
		verdict = "correct"
	case c.Verifiable:
		verdict = fmt.Sprintf("WRONG, should be 0x%04x", c.Computed)
	}
	fmt.Fprintf(w, "  %s: bytes %d-%d, field at %d: 0x%04x %s\n", what, c.Start, c.End-1, c.FieldOffset, c.Received, verdict)
	if !trace {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "    OFFSET\tWORD\tRUNNING SUM\tNOTE")
	for _, s := range c.Trace.Steps {
		offset := fmt.Sprint(s.Offset)
		if s.Offset < 0 {
			offset = "-"
		}
		fmt.Fprintln(tw, "    "+trimCells(offset, fmt.Sprintf("0x%04x", s.Word), fmt.Sprintf("0x%08x", s.Sum), s.Note))
	}
	tw.Flush()
	for _, f := range c.Trace.Folds {
		fmt.Fprintf(w, "    fold: 0x%08x -> 0x%04x + carry 0x%x = 0x%08x\n", f.Before, f.Before&0xffff, f.Carry, f.After)
	}
	fmt.Fprintf(w, "    sum 0x%04x, checksum = ~sum = 0x%04x\n", c.Trace.Sum, c.Trace.Result)
	if c.Verifiable {
		onWire, valid := c.Received, "valid"
		if c.KernelFilled {
			onWire = c.Computed
		}
		if c.ReceiverSum != 0xffff {
			valid = "not 0xffff: invalid"
		}
		fmt.Fprintf(w, "    receiver's check: 0x%04x + checksum 0x%04x = 0x%04x (%s)\n", c.Trace.Sum, onWire, c.ReceiverSum, valid)
	}
}
