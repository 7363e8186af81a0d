package capture

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"time"
)

// Writer writes a pcapng file: one little-endian section, one interface with nanosecond
// timestamps (if_tsresol 9), one Enhanced Packet Block per packet. Write errors stick and
// show in Flush.
type Writer struct {
	bw *bufio.Writer
}

// WriterOptions name the writing program and the interface.
type WriterOptions struct {
	LinkType  int
	App       string // shb_userappl
	Interface string // if_name
}

// NewWriter writes the section header and the interface description.
func NewWriter(out io.Writer, o WriterOptions) *Writer {
	w := &Writer{bw: bufio.NewWriter(out)}
	shb := binary.LittleEndian.AppendUint32(nil, byteOrderMagic)
	shb = binary.LittleEndian.AppendUint16(shb, 1)          // major
	shb = binary.LittleEndian.AppendUint16(shb, 0)          // minor
	shb = binary.LittleEndian.AppendUint64(shb, ^uint64(0)) // section length unknown
	w.block(blockSHB, shb, []option{{optShbUserApp, []byte(o.App)}})
	idb := binary.LittleEndian.AppendUint16(nil, uint16(o.LinkType))
	idb = binary.LittleEndian.AppendUint16(idb, 0)
	idb = binary.LittleEndian.AppendUint32(idb, 0) // snaplen 0: no limit
	w.block(blockIDB, idb, []option{{optIfName, []byte(o.Interface)}, {optIfTsresol, []byte{9}}})
	return w
}

// WritePacket adds one Enhanced Packet Block holding frame, captured at t (nanoseconds
// since 1970; a zero or earlier time is written as 0), with an opt_comment when comment
// is not empty.
func (w *Writer) WritePacket(t time.Time, frame []byte, comment string) {
	var ts uint64
	if !t.IsZero() && t.UnixNano() > 0 {
		ts = uint64(t.UnixNano())
	}
	b := binary.LittleEndian.AppendUint32(nil, 0) // interface 0
	b = binary.LittleEndian.AppendUint32(b, uint32(ts>>32))
	b = binary.LittleEndian.AppendUint32(b, uint32(ts))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(frame)))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(frame)))
	w.block(blockEPB, appendPadded(b, frame), []option{{optComment, []byte(comment)}})
}

// Flush writes out what is buffered and returns the first write error.
func (w *Writer) Flush() error {
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("pcapng: %w", err)
	}
	return nil
}

type option struct {
	code  uint16
	value []byte
}

// block writes type, total length, body, options (each padded to 32 bits, then
// opt_endofopt) and the trailing total length. Options too long for 16 bits are left out.
func (w *Writer) block(typ uint32, body []byte, opts []option) {
	var o []byte
	for _, op := range opts {
		if len(op.value) == 0 || len(op.value) > 0xffff {
			continue
		}
		o = binary.LittleEndian.AppendUint16(o, op.code)
		o = binary.LittleEndian.AppendUint16(o, uint16(len(op.value)))
		o = appendPadded(o, op.value)
	}
	if len(o) > 0 {
		o = append(o, optEndOfOpt, 0, 0, 0)
	}
	total := uint32(12 + len(body) + len(o))
	var head [8]byte
	binary.LittleEndian.PutUint32(head[0:], typ)
	binary.LittleEndian.PutUint32(head[4:], total)
	w.bw.Write(head[:])
	w.bw.Write(body)
	w.bw.Write(o)
	w.bw.Write(head[4:8])
}

func appendPadded(b, v []byte) []byte {
	b = append(b, v...)
	for i := len(v); i%4 != 0; i++ {
		b = append(b, 0)
	}
	return b
}
