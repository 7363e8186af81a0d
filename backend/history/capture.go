package history

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"
)

// Frame is one packet record of a capture file.
type Frame struct {
	// Offset is the record's byte offset in the file (for error messages and the UI).
	Offset   int64
	Time     time.Time
	LinkType int
	Data     []byte // the captured bytes (may be shorter than OrigLen); aliases the file
	OrigLen  int
}

// Capture is a parsed capture file.
type Capture struct {
	Format string // "pcap" or "pcapng"
	Frames []Frame
}

// maxRecord bounds one record's claimed length, so a corrupt length field yields an error
// naming it rather than an attempt to read gigabytes.
const maxRecord = 1 << 28

// ReadCapture parses a pcap (either byte order, microsecond or nanosecond magic) or
// pcapng file held in memory. A damaged file gives an error wrapping ErrCapture that names
// the offset and what was wrong; it never panics.
func ReadCapture(data []byte) (*Capture, error) {
	if len(data) < 4 {
		return nil, fmt.Errorf("%w: not a pcap or pcapng file: %d bytes, too short for any capture format", ErrCapture, len(data))
	}
	if binary.LittleEndian.Uint32(data) == blockSHB {
		return readPcapng(data)
	}
	switch {
	case bytes.Equal(data[:4], []byte{0xd4, 0xc3, 0xb2, 0xa1}), bytes.Equal(data[:4], []byte{0xa1, 0xb2, 0xc3, 0xd4}),
		bytes.Equal(data[:4], []byte{0x4d, 0x3c, 0xb2, 0xa1}), bytes.Equal(data[:4], []byte{0xa1, 0xb2, 0x3c, 0x4d}):
		return readPcap(data)
	}
	return nil, fmt.Errorf("%w: not a pcap or pcapng file: it starts with % x, no capture format's magic number", ErrCapture, data[:4])
}

func captureErr(offset int64, format string, args ...any) error {
	return fmt.Errorf("%w: offset %d: %s", ErrCapture, offset, fmt.Sprintf(format, args...))
}

// truncatedErr: the file ends inside a header or record that starts at offset (a capture
// cut short: copied while being written, or a download broke off).
func truncatedErr(offset int64, format string, args ...any) error {
	return fmt.Errorf("%w: truncated at byte %d: %s", ErrCapture, offset, fmt.Sprintf(format, args...))
}

// readPcap parses the classic libpcap format
// (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html).
func readPcap(data []byte) (*Capture, error) {
	const headerLen, recordLen = 24, 16
	if len(data) < headerLen {
		return nil, truncatedErr(0, "pcap file header needs %d bytes, %d present", headerLen, len(data))
	}
	var order binary.ByteOrder = binary.LittleEndian
	magic := order.Uint32(data)
	if magic != 0xa1b2c3d4 && magic != 0xa1b23c4d {
		order = binary.BigEndian
		magic = order.Uint32(data)
	}
	nanos := magic == 0xa1b23c4d
	if major := order.Uint16(data[4:]); major != 2 {
		return nil, captureErr(4, "pcap version %d.%d, only 2.x is defined", major, order.Uint16(data[6:]))
	}
	link := int(order.Uint32(data[20:]) & 0x0fffffff) // the upper bits carry FCS information
	c := &Capture{Format: "pcap"}
	for off := headerLen; off < len(data); {
		if len(data)-off < recordLen {
			return c, truncatedErr(int64(off), "pcap record header needs %d bytes, %d left", recordLen, len(data)-off)
		}
		sec, frac := order.Uint32(data[off:]), order.Uint32(data[off+4:])
		incl, orig := order.Uint32(data[off+8:]), order.Uint32(data[off+12:])
		if incl > maxRecord {
			return c, captureErr(int64(off+8), "pcap record claims %d captured bytes", incl)
		}
		body := off + recordLen
		if int(incl) > len(data)-body {
			return c, truncatedErr(int64(off+8), "pcap record claims %d captured bytes, %d left in the file", incl, len(data)-body)
		}
		ns := int64(frac) * 1000
		if nanos {
			ns = int64(frac)
		}
		c.Frames = append(c.Frames, Frame{Offset: int64(off), Time: time.Unix(int64(sec), ns),
			LinkType: link, Data: data[body : body+int(incl)], OrigLen: int(orig)})
		off = body + int(incl)
	}
	return c, nil
}
