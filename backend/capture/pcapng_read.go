package capture

import (
	"encoding/binary"
	"io"
)

// ngInterface is what an Interface Description Block says about later packets.
type ngInterface struct {
	link    int
	snaplen uint32
	resol   tsResolution
	offset  int64 // if_tsoffset, seconds
}

// pcapngState is the current section: its byte order and interfaces.
type pcapngState struct {
	order  binary.ByteOrder
	ifaces []ngInterface
	sawSHB bool
}

// nextPcapng reads blocks until one carries a packet. Each section has its own byte
// order and interfaces.
func (r *Reader) nextPcapng() error {
	for {
		start := r.off
		head, got, err := r.readFull(8)
		switch {
		case err == io.EOF:
			return io.EOF
		case atEOF(err):
			return truncatedErr(start, "pcapng block header needs 12 bytes, %d left", got)
		case err != nil:
			return err
		}
		st := &r.ng
		if binary.LittleEndian.Uint32(head) == blockSHB {
			if err := r.startSection(start, head); err != nil {
				return err
			}
			continue
		}
		if !st.sawSHB {
			return formatErr(start, "pcapng file does not start with a section header block")
		}
		typ, total := st.order.Uint32(head), st.order.Uint32(head[4:])
		if err := checkBlockLength(start, typ, total); err != nil {
			return err
		}
		if typ != blockIDB && typ != blockEPB && typ != blockSPB {
			if err := r.skipBlock(start, typ, total); err != nil {
				return err
			}
			continue
		}
		rest, got, err := r.readFull(int(total) - 8)
		if atEOF(err) {
			return truncatedErr(start+4, "block type 0x%08x claims %d bytes, %d left in the file", typ, total, 8+got)
		} else if err != nil {
			return err
		}
		if trail := st.order.Uint32(rest[len(rest)-4:]); trail != total {
			return formatErr(start+int64(total)-4, "block type 0x%08x: trailing length %d differs from leading %d", typ, trail, total)
		}
		body := rest[:len(rest)-4]
		switch typ {
		case blockIDB:
			ifc, err := parseIDB(st.order, body, start)
			if err != nil {
				return err
			}
			st.ifaces = append(st.ifaces, ifc)
		case blockEPB:
			return r.readEPB(body, start)
		case blockSPB:
			return r.readSPB(body, start)
		}
	}
}

func checkBlockLength(start int64, typ, total uint32) error {
	if total < 12 || total%4 != 0 {
		return formatErr(start+4, "block type 0x%08x has length %d (must be a multiple of 4, at least 12)", typ, total)
	}
	if total > maxRecord && (typ == blockIDB || typ == blockEPB || typ == blockSPB || typ == blockSHB) {
		return formatErr(start+4, "block type 0x%08x claims %d bytes", typ, total)
	}
	return nil
}

// startSection reads a Section Header Block whose first 8 bytes are head: its byte-order
// magic, version and options. Later blocks use its byte order; interfaces start afresh.
func (r *Reader) startSection(start int64, head []byte) error {
	head = append([]byte(nil), head...) // readFull reuses the buffer
	magic, got, err := r.readFull(4)
	if atEOF(err) {
		return truncatedErr(start, "section header block needs 28 bytes, %d left", 8+got)
	} else if err != nil {
		return err
	}
	var order binary.ByteOrder
	switch binary.LittleEndian.Uint32(magic) {
	case byteOrderMagic:
		order = binary.LittleEndian
	case 0x4D3C2B1A:
		order = binary.BigEndian
	default:
		return formatErr(start+8, "section header byte-order magic % x is neither order of 1a2b3c4d", magic)
	}
	total := order.Uint32(head[4:])
	if err := checkBlockLength(start, blockSHB, total); err != nil {
		return err
	}
	if total < 28 {
		return formatErr(start+4, "section header block of %d bytes, need 28", total)
	}
	rest, got, err := r.readFull(int(total) - 12)
	if atEOF(err) {
		return truncatedErr(start+4, "block type 0x%08x claims %d bytes, %d left in the file", blockSHB, total, 12+got)
	} else if err != nil {
		return err
	}
	if trail := order.Uint32(rest[len(rest)-4:]); trail != total {
		return formatErr(start+int64(total)-4, "block type 0x%08x: trailing length %d differs from leading %d", blockSHB, trail, total)
	}
	// Version 1.0 is what everyone writes; 1.2 was written by some early libraries and
	// reads the same. A major version 2 would be a different format: tshark refuses it,
	// and so does this reader rather than misread it as 1.
	major, minor := order.Uint16(rest), order.Uint16(rest[2:])
	if major != 1 {
		return formatErr(start+12, "pcapng version %d.%d: only major version 1 is defined (tshark refuses it too)", major, minor)
	}
	r.ng = pcapngState{order: order, sawSHB: true}
	return nil
}

// skipBlock reads past a block that carries no packet, holding only its trailer.
func (r *Reader) skipBlock(start int64, typ, total uint32) error {
	n, err := r.in.Discard(int(total) - 12)
	r.off += int64(n)
	if err == nil {
		var trail []byte
		var got int
		trail, got, err = r.readFull(4)
		n += got
		if err == nil {
			if t := r.ng.order.Uint32(trail); t != total {
				return formatErr(start+int64(total)-4, "block type 0x%08x: trailing length %d differs from leading %d", typ, t, total)
			}
			return nil
		}
	}
	if atEOF(err) {
		return truncatedErr(start+4, "block type 0x%08x claims %d bytes, %d left in the file", typ, total, 8+n)
	}
	return err
}

func parseIDB(order binary.ByteOrder, body []byte, off int64) (ngInterface, error) {
	if len(body) < 8 {
		return ngInterface{}, formatErr(off, "interface description block body of %d bytes, need 8", len(body))
	}
	ifc := ngInterface{link: int(order.Uint16(body)), snaplen: order.Uint32(body[4:]), resol: tsResolution{exp: 6}}
	err := walkOptions(order, body[8:], off+16, func(code uint16, v []byte) error {
		switch code {
		case optIfTsresol:
			if len(v) != 1 {
				return formatErr(off, "if_tsresol of %d bytes, want 1", len(v))
			}
			ifc.resol = tsResolution{base2: v[0]&0x80 != 0, exp: v[0] & 0x7f}
			if !ifc.resol.base2 && ifc.resol.exp >= uint8(len(pow10)) {
				return formatErr(off, "if_tsresol 10^-%d is beyond what 64-bit timestamps can mean", ifc.resol.exp)
			}
		case optIfTsoffset:
			if len(v) != 8 {
				return formatErr(off, "if_tsoffset of %d bytes, want 8", len(v))
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
			return formatErr(off+int64(pos), "option %d claims %d bytes, %d left in the block", code, n, len(b)-pos-4)
		}
		if err := fn(code, b[pos+4:pos+4+n]); err != nil {
			return err
		}
		pos += 4 + padded
	}
	return nil
}

func (r *Reader) readEPB(body []byte, off int64) error {
	order, ifaces := r.ng.order, r.ng.ifaces
	if len(body) < 20 {
		return formatErr(off, "enhanced packet block body of %d bytes, need 20", len(body))
	}
	id := order.Uint32(body)
	if int64(id) >= int64(len(ifaces)) {
		return formatErr(off+8, "packet for interface %d, but %d interfaces are described", id, len(ifaces))
	}
	units := uint64(order.Uint32(body[4:]))<<32 | uint64(order.Uint32(body[8:]))
	capLen, orig := order.Uint32(body[12:]), order.Uint32(body[16:])
	if int64(capLen) > int64(len(body)-20) {
		return formatErr(off+20, "packet claims %d captured bytes, the block holds %d", capLen, len(body)-20)
	}
	ifc := &ifaces[id]
	sec, nsec := ifc.resol.split(units)
	t, err := unixTime(ifc.offset, sec, nsec)
	if err != nil {
		return formatErr(off+12, "%v", err)
	}
	r.frame = Frame{Offset: off, Time: t, LinkType: ifc.link, Data: body[20 : 20+capLen], OrigLen: int(orig)}
	return nil
}

// readSPB reads a Simple Packet Block: interface 0, no timestamp, the captured length is
// the smaller of the original length and the interface's snap length.
func (r *Reader) readSPB(body []byte, off int64) error {
	order, ifaces := r.ng.order, r.ng.ifaces
	if len(body) < 4 {
		return formatErr(off, "simple packet block body of %d bytes, need 4", len(body))
	}
	if len(ifaces) == 0 {
		return formatErr(off, "simple packet block before any interface description")
	}
	orig := order.Uint32(body)
	n := min(int64(orig), int64(len(body)-4))
	if s := ifaces[0].snaplen; s > 0 {
		n = min(n, int64(s))
	}
	r.frame = Frame{Offset: off, LinkType: ifaces[0].link, Data: body[4 : 4+n], OrigLen: int(orig)}
	return nil
}
