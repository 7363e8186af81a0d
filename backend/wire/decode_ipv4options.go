package wire

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// ipv4Options lays out the options area [off, end): one depth-0 "Options" field, a
// depth-1 field per option and depth-2 fields inside Record Route and Timestamp.
func (d *decoder) ipv4Options(layer string, off, end int) {
	opts, err := ParseIPv4Options(d.b[off:end])
	names := make([]string, 0, len(opts))
	for _, o := range opts {
		names = append(names, optionName(o.Type))
	}
	d.add(Field{Layer: layer, Name: "Options", Offset: off, Length: end - off, Value: hexRun(d.b[off:end]),
		Meaning: fmt.Sprintf("%s: %s", plural(end-off, "byte"), strings.Join(names, ", "))})
	last := off
	for _, o := range opts {
		at := off + o.Offset
		raw := d.b[at : at+o.Len]
		d.add(Field{Layer: layer, Name: "Option: " + optionName(o.Type), Offset: at, Length: o.Len, Value: hexRun(raw),
			Meaning: optionMeaning(o), Depth: 1})
		if o.Len >= 2 {
			d.optionInside(layer, at, o)
		}
		last = at + o.Len
	}
	if errors.Is(err, ErrBadOption) {
		d.add(Field{Layer: layer, Name: "Malformed Option", Offset: last, Length: end - last, Value: hexRun(d.b[last:end]),
			Meaning: "length byte missing, below 2 or past the header", Depth: 1})
		d.warn("%s options: %v", layer, err)
		return
	}
	if last < end {
		d.add(Field{Layer: layer, Name: "Padding", Offset: last, Length: end - last, Value: hexRun(d.b[last:end]),
			Meaning: "after End of Option List", Depth: 1})
	}
}

func optionName(t uint8) string {
	if n := IPv4OptionName(t); n != "" {
		return n
	}
	return fmt.Sprintf("type %d", t)
}

func optionMeaning(o IPv4Option) string {
	copied := "not copied"
	if o.Type&0x80 != 0 {
		copied = "copied"
	}
	return fmt.Sprintf("%s, %s, class %d, number %d; %s into fragments", optionName(o.Type), plural(o.Len, "byte"), o.Type>>5&3, o.Type&0x1f, copied)
}

// optionInside lays out the type, length and contents of a multi-byte option at depth 2.
func (d *decoder) optionInside(layer string, at int, o IPv4Option) {
	add := func(name string, off, n int, value, meaning string) {
		d.add(Field{Layer: layer, Name: name, Offset: off, Length: n, Value: value, Meaning: meaning, Depth: 2})
	}
	add("Option Type", at, 1, fmt.Sprint(o.Type), optionName(o.Type))
	add("Option Length", at+1, 1, fmt.Sprint(o.Len), plural(o.Len, "byte"))
	data := o.Data
	switch o.Type {
	case IPv4OptRecordRoute, IPv4OptLooseSource, IPv4OptStrictSource:
		if len(data) < 1 {
			return
		}
		ptr := int(data[0])
		add("Pointer", at+2, 1, fmt.Sprint(ptr), fmt.Sprintf("next free slot at option byte %d (slots start at 4)", ptr))
		for i := 1; i+4 <= len(data); i += 4 {
			a := netip.AddrFrom4([4]byte(data[i : i+4]))
			state := "empty"
			if i+3 < ptr {
				state = "recorded"
			}
			add(fmt.Sprintf("Route Address %d", (i-1)/4+1), at+2+i, 4, a.String(), state)
		}
		if rest := (len(data) - 1) % 4; rest != 0 {
			add("Route Data (partial)", at+2+len(data)-rest, rest, hexRun(data[len(data)-rest:]), "not a whole address")
		}
	case IPv4OptTimestamp:
		if len(data) < 2 {
			add("Option Data", at+2, len(data), hexRun(data), "too short for pointer and flags")
			return
		}
		add("Pointer", at+2, 1, fmt.Sprint(data[0]), fmt.Sprintf("next free slot at option byte %d (slots start at 5)", data[0]))
		d.bitField(layer, "Overflow", at+3, 0, 4, 2, uint64(data[1]>>4), "", fmt.Sprintf("%d hops could not record", data[1]>>4))
		d.bitField(layer, "Flag", at+3, 4, 4, 2, uint64(data[1]&0xf), "", timestampFlag(data[1]&0xf))
		entry := 4
		if data[1]&0xf != 0 {
			entry = 8
		}
		for i := 2; i < len(data); i += entry {
			n := min(entry, len(data)-i)
			add(fmt.Sprintf("Timestamp Entry %d", (i-2)/entry+1), at+2+i, n, hexRun(data[i:i+n]), "")
		}
	default:
		if len(data) > 0 {
			add("Option Data", at+2, len(data), hexRun(data), "")
		}
	}
}

func timestampFlag(f uint8) string {
	switch f {
	case 0:
		return "timestamps only"
	case 1:
		return "address and timestamp per hop"
	case 3:
		return "timestamps of prespecified addresses"
	}
	return "unknown flag"
}
