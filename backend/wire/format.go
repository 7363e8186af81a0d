package wire

import (
	"fmt"
	"strings"
)

// Copy formats: the bytes as people paste them elsewhere. Each is read back by ParsePasted.
const (
	CopyHex     = "hex"     // "0800f7cd..."
	CopyC       = "c"       // xxd -i: unsigned char packet[] = { 0x08, ... };
	CopyHexDump = "hexdump" // Wireshark/tshark -x: offset, 16 bytes, ASCII
)

// FormatBytes writes b in a copy format; name is the C array's name (CopyC only).
func FormatBytes(b []byte, format, name string) (string, error) {
	switch format {
	case CopyHex:
		return fmt.Sprintf("%x", b), nil
	case CopyC:
		return formatC(b, name), nil
	case CopyHexDump:
		return formatHexDump(b), nil
	}
	return "", fmt.Errorf("copy format %q: want hex, c or hexdump", format)
}

// formatC writes what `xxd -i` writes for a file named name: 12 bytes a line and the length.
func formatC(b []byte, name string) string {
	if name == "" {
		name = "packet"
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "unsigned char %s[] = {\n", name)
	for i := 0; i < len(b); i += 12 {
		line := b[i:min(i+12, len(b))]
		sb.WriteString(" ")
		for j, x := range line {
			fmt.Fprintf(&sb, " 0x%02x", x)
			if i+j < len(b)-1 {
				sb.WriteByte(',')
			}
		}
		sb.WriteByte('\n')
	}
	fmt.Fprintf(&sb, "};\nunsigned int %s_len = %d;\n", name, len(b))
	return sb.String()
}

// formatHexDump writes what `tshark -x` (and Wireshark's "Copy as Hex Dump") writes:
// a 4-digit offset, 16 bytes in hex, and their ASCII with '.' for what is not printable.
func formatHexDump(b []byte) string {
	var sb strings.Builder
	for off := 0; off < len(b); off += 16 {
		line := b[off:min(off+16, len(b))]
		fmt.Fprintf(&sb, "%04x  ", off)
		for i := range 16 {
			if i < len(line) {
				fmt.Fprintf(&sb, "%02x ", line[i])
			} else {
				sb.WriteString("   ")
			}
		}
		sb.WriteString("  ")
		for _, c := range line {
			if c < 0x20 || c > 0x7e {
				c = '.'
			}
			sb.WriteByte(c)
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}
