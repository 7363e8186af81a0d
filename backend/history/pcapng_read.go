package history

import (
	"encoding/binary"
	"math"
	"time"
)

// ngInterface is what an Interface Description Block says about later packets.
type ngInterface struct {
	link    int
	snaplen uint32
	// Timestamp resolution: units per second as 10^exp or 2^exp (if_tsresol).
	base2    bool
	exp      uint8
	offset   int64 // if_tsoffset, seconds
	resolSet bool
}

// time converts a pcapng timestamp (in the interface's units) to a time.
func (ifc *ngInterface) time(units uint64) time.Time {
	var ns int64
	switch {
	case ifc.base2:
		ns = int64(float64(units) / math.Exp2(float64(ifc.exp)) * 1e9)
	case ifc.exp <= 9:
		ns = int64(units) * int64(math.Pow10(9-int(ifc.exp)))
	default:
		ns = int64(units / uint64(math.Pow10(int(ifc.exp)-9)))
	}
	return time.Unix(ifc.offset, ns)
}

// readPcapng parses a pcapng file (draft-ietf-opsawg-pcapng): Section Header, Interface
// Description, Enhanced and Simple Packet Blocks; other blocks are skipped. Each section
// has its own byte order and interfaces.
func readPcapng(data []byte) (*Capture, error) {
	c := &Capture{Format: "pcapng"}
	var order binary.ByteOrder = binary.LittleEndian
	var ifaces []ngInterface
	sawSHB := false
	for off := 0; off < len(data); {
		if len(data)-off < 12 {
			return c, truncatedErr(int64(off), "pcapng block header needs 12 bytes, %d left", len(data)-off)
		}
		typ := order.Uint32(data[off:])
		if binary.LittleEndian.Uint32(data[off:]) == blockSHB {
			if len(data)-off < 28 {
				return c, truncatedErr(int64(off), "section header block needs 28 bytes, %d left", len(data)-off)
			}
			switch binary.LittleEndian.Uint32(data[off+8:]) {
			case byteOrderMagic:
				order = binary.LittleEndian
			case 0x4D3C2B1A:
				order = binary.BigEndian
			default:
				return c, captureErr(int64(off+8), "section header byte-order magic % x is neither order of 1a2b3c4d", data[off+8:off+12])
			}
			typ, sawSHB, ifaces = blockSHB, true, nil
		}
		if !sawSHB {
			return c, captureErr(int64(off), "pcapng file does not start with a section header block")
		}
		total := order.Uint32(data[off+4:])
		if total < 12 || total%4 != 0 {
			return c, captureErr(int64(off+4), "block type 0x%08x has length %d (must be a multiple of 4, at least 12)", typ, total)
		}
		if total > maxRecord {
			return c, captureErr(int64(off+4), "block type 0x%08x claims %d bytes", typ, total)
		}
		if int(total) > len(data)-off {
			return c, truncatedErr(int64(off+4), "block type 0x%08x claims %d bytes, %d left in the file", typ, total, len(data)-off)
		}
		if trail := order.Uint32(data[off+int(total)-4:]); trail != total {
			return c, captureErr(int64(off+int(total)-4), "block type 0x%08x: trailing length %d differs from leading %d", typ, trail, total)
		}
		body := data[off+8 : off+int(total)-4]
		var err error
		switch typ {
		case blockIDB:
			var ifc ngInterface
			ifc, err = parseIDB(order, body, int64(off))
			ifaces = append(ifaces, ifc)
		case blockEPB:
			err = c.addEPB(order, body, ifaces, int64(off))
		case blockSPB:
			err = c.addSPB(order, body, ifaces, int64(off))
		}
		if err != nil {
			return c, err
		}
		off += int(total)
	}
	return c, nil
}

func parseIDB(order binary.ByteOrder, body []byte, off int64) (ngInterface, error) {
	if len(body) < 8 {
		return ngInterface{}, captureErr(off, "interface description block body of %d bytes, need 8", len(body))
	}
	ifc := ngInterface{link: int(order.Uint16(body)), snaplen: order.Uint32(body[4:]), exp: 6}
	err := walkOptions(order, body[8:], off+16, func(code uint16, v []byte) error {
		switch code {
		case optIfTsresol:
			if len(v) != 1 {
				return captureErr(off, "if_tsresol of %d bytes, want 1", len(v))
			}
			ifc.base2, ifc.exp, ifc.resolSet = v[0]&0x80 != 0, v[0]&0x7f, true
			if !ifc.base2 && ifc.exp > 18 {
				return captureErr(off, "if_tsresol 10^-%d is beyond what 64-bit timestamps can mean", ifc.exp)
			}
		case 14: // if_tsoffset
			if len(v) != 8 {
				return captureErr(off, "if_tsoffset of %d bytes, want 8", len(v))
			}
			ifc.offset = int64(order.Uint64(v))
		}
		return nil
	})
	return ifc, err
}

// walkOptions calls fn for each option until opt_endofopt or the end of b.
func walkOptions(order binary.ByteOrder, b []byte, off int64, fn func(code uint16, v []byte) error) error {
	for pos := 0; pos+4 <= len(b); {
		code, n := order.Uint16(b[pos:]), int(order.Uint16(b[pos+2:]))
		if code == optEndOfOpt {
			return nil
		}
		padded := (n + 3) &^ 3
		if padded > len(b)-pos-4 {
			return captureErr(off+int64(pos), "option %d claims %d bytes, %d left in the block", code, n, len(b)-pos-4)
		}
		if err := fn(code, b[pos+4:pos+4+n]); err != nil {
			return err
		}
		pos += 4 + padded
	}
	return nil
}

func (c *Capture) addEPB(order binary.ByteOrder, body []byte, ifaces []ngInterface, off int64) error {
	if len(body) < 20 {
		return captureErr(off, "enhanced packet block body of %d bytes, need 20", len(body))
	}
	id := order.Uint32(body)
	if int64(id) >= int64(len(ifaces)) {
		return captureErr(off+8, "packet for interface %d, but %d interfaces are described", id, len(ifaces))
	}
	ts := uint64(order.Uint32(body[4:]))<<32 | uint64(order.Uint32(body[8:]))
	capLen, orig := order.Uint32(body[12:]), order.Uint32(body[16:])
	if int64(capLen) > int64(len(body)-20) {
		return captureErr(off+20, "packet claims %d captured bytes, the block holds %d", capLen, len(body)-20)
	}
	ifc := &ifaces[id]
	c.Frames = append(c.Frames, Frame{Offset: off, Time: ifc.time(ts), LinkType: ifc.link,
		Data: body[20 : 20+capLen], OrigLen: int(orig)})
	return nil
}

// addSPB reads a Simple Packet Block: interface 0, no timestamp, the captured length is
// the smaller of the original length and the interface's snap length.
func (c *Capture) addSPB(order binary.ByteOrder, body []byte, ifaces []ngInterface, off int64) error {
	if len(body) < 4 {
		return captureErr(off, "simple packet block body of %d bytes, need 4", len(body))
	}
	if len(ifaces) == 0 {
		return captureErr(off, "simple packet block before any interface description")
	}
	orig := order.Uint32(body)
	n := min(int64(orig), int64(len(body)-4))
	if s := ifaces[0].snaplen; s > 0 {
		n = min(n, int64(s))
	}
	c.Frames = append(c.Frames, Frame{Offset: off, LinkType: ifaces[0].link, Data: body[4 : 4+n], OrigLen: int(orig)})
	return nil
}
