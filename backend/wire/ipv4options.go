package wire

import "fmt"

// IPv4 option types (RFC 791 section 3.1; the copy bit and class are part of the number).
const (
	IPv4OptEndOfList       uint8 = 0
	IPv4OptNoOperation     uint8 = 1
	IPv4OptRecordRoute     uint8 = 7
	IPv4OptTimestamp       uint8 = 68
	IPv4OptSecurity        uint8 = 130
	IPv4OptLooseSource     uint8 = 131
	IPv4OptStrictSource    uint8 = 137
	IPv4OptRouterAlert     uint8 = 148
	IPv4OptStreamID        uint8 = 136
	ipv4OptMinMultiByteLen       = 2
)

// IPv4Option is one option of an IPv4 header.
type IPv4Option struct {
	Type   uint8
	Offset int    // offset of the type byte within the options area
	Len    int    // bytes the option occupies (1 for EOL and NOP)
	Data   []byte // bytes after type and length (aliases the input)
}

// IPv4OptionName names an option type, "" when unknown.
func IPv4OptionName(t uint8) string {
	switch t {
	case IPv4OptEndOfList:
		return "End of Option List"
	case IPv4OptNoOperation:
		return "No Operation"
	case IPv4OptRecordRoute:
		return "Record Route"
	case IPv4OptTimestamp:
		return "Timestamp"
	case IPv4OptSecurity:
		return "Security"
	case IPv4OptLooseSource:
		return "Loose Source Route"
	case IPv4OptStrictSource:
		return "Strict Source Route"
	case IPv4OptRouterAlert:
		return "Router Alert"
	case IPv4OptStreamID:
		return "Stream ID"
	}
	return ""
}

// ParseIPv4Options splits an IPv4 options area into options. End of Option List stops
// the walk; the bytes after it are padding and are not returned. A length byte that is
// below 2 or runs past the area returns the options read so far and ErrBadOption.
func ParseIPv4Options(b []byte) ([]IPv4Option, error) {
	var opts []IPv4Option
	for off := 0; off < len(b); {
		t := b[off]
		switch t {
		case IPv4OptEndOfList:
			return append(opts, IPv4Option{Type: t, Offset: off, Len: 1}), nil
		case IPv4OptNoOperation:
			opts = append(opts, IPv4Option{Type: t, Offset: off, Len: 1})
			off++
			continue
		}
		if off+1 >= len(b) {
			return opts, fmt.Errorf("IPv4 option %d at %d: no length byte: %w", t, off, ErrBadOption)
		}
		n := int(b[off+1])
		if n < ipv4OptMinMultiByteLen || off+n > len(b) {
			return opts, fmt.Errorf("IPv4 option %d at %d: length %d with %d bytes left: %w", t, off, n, len(b)-off, ErrBadOption)
		}
		opts = append(opts, IPv4Option{Type: t, Offset: off, Len: n, Data: b[off+2 : off+n]})
		off += n
	}
	return opts, nil
}
