package export

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"iter"
	"time"
)

// Link types (https://www.tcpdump.org/linktypes.html) and pcapng block and option codes
// (draft-ietf-opsawg-pcapng).
const (
	LinkTypeNull     = 0
	LinkTypeEthernet = 1
	LinkTypeRaw      = 101
	LinkTypeLoop     = 108
	LinkTypeLinuxSLL = 113
	LinkTypeIPv4     = 228
	LinkTypeIPv6     = 229
	LinkTypeSLL2     = 276

	blockSHB = 0x0A0D0D0A
	blockIDB = 0x00000001
	blockEPB = 0x00000006

	byteOrderMagic = 0x1A2B3C4D

	optEndOfOpt   = 0
	optComment    = 1
	optShbUserApp = 4
	optIfName     = 2
	optIfTsresol  = 9
)

// PcapngResult counts what an export wrote.
type PcapngResult struct {
	Packets int `json:"packets"`
	// Synthesized: packets whose IP header Echoscope built (see the per-packet comments).
	Synthesized int `json:"synthesized"`
	// Skipped: rows with no packet of their own (losses).
	Skipped  int `json:"skipped"`
	LinkType int `json:"linkType"`
}

// WritePcapng writes the rows as a pcapng file: one section, one interface with
// nanosecond timestamps (if_tsresol 9) and the link type that fits the datagrams
// (LINKTYPE_IPV4, LINKTYPE_IPV6, or LINKTYPE_RAW when both occur), one Enhanced Packet
// Block per packet with its classification in opt_comment. The rows are read twice.
func WritePcapng(out io.Writer, pkts iter.Seq2[Packet, error]) (PcapngResult, error) {
	var f Framer
	var has4, has6 bool
	for p, err := range pkts {
		if err != nil {
			return PcapngResult{}, fmt.Errorf("pcapng export: %w", err)
		}
		f.Learn(&p)
		if frame, _, ok := f.Frame(&p); ok && len(frame) > 0 {
			has4 = has4 || frame[0]>>4 == 4
			has6 = has6 || frame[0]>>4 == 6
		}
	}
	link := LinkTypeRaw
	switch {
	case has4 && !has6:
		link = LinkTypeIPv4
	case has6 && !has4:
		link = LinkTypeIPv6
	}
	w := NewPcapngWriter(out, link)
	w.framer = f
	for p, err := range pkts {
		if err != nil {
			return w.res, fmt.Errorf("pcapng export: %w", err)
		}
		w.Write(&p)
	}
	return w.Flush()
}

// PcapngWriter writes packets one at a time as they happen (a live run), where
// WritePcapng cannot read its rows twice: the caller picks the link type up front
// (LinkTypeRaw takes both IP versions).
type PcapngWriter struct {
	bw     *bufio.Writer
	framer Framer
	res    PcapngResult
}

// NewPcapngWriter writes the section header and the one interface (nanosecond timestamps).
// Write errors show in Flush.
func NewPcapngWriter(out io.Writer, linkType int) *PcapngWriter {
	w := &PcapngWriter{bw: bufio.NewWriter(out), res: PcapngResult{LinkType: linkType}}
	writeBlock(w.bw, blockSHB, shbBody(), []option{{optShbUserApp, []byte("Echoscope")}})
	idb := binary.LittleEndian.AppendUint16(nil, uint16(linkType))
	idb = binary.LittleEndian.AppendUint16(idb, 0)
	idb = binary.LittleEndian.AppendUint32(idb, 0) // snaplen 0: no limit
	writeBlock(w.bw, blockIDB, idb, []option{{optIfName, []byte("echoscope")}, {optIfTsresol, []byte{9}}})
	return w
}

// Write adds one Enhanced Packet Block for p; rows without a packet of their own (losses)
// are counted as skipped.
func (w *PcapngWriter) Write(p *Packet) {
	w.framer.Learn(p)
	frame, comment, ok := w.framer.Frame(p)
	if !ok {
		w.res.Skipped++
		return
	}
	if !p.IncludesIPHeader {
		w.res.Synthesized++
	}
	writeBlock(w.bw, blockEPB, epbBody(p.Time.Time, frame), []option{{optComment, []byte(comment)}})
	w.res.Packets++
}

// Flush writes out what is buffered and reports the counts and the first write error.
func (w *PcapngWriter) Flush() (PcapngResult, error) {
	if err := w.bw.Flush(); err != nil {
		return w.res, fmt.Errorf("pcapng export: %w", err)
	}
	return w.res, nil
}

func shbBody() []byte {
	b := binary.LittleEndian.AppendUint32(nil, byteOrderMagic)
	b = binary.LittleEndian.AppendUint16(b, 1)             // major
	b = binary.LittleEndian.AppendUint16(b, 0)             // minor
	return binary.LittleEndian.AppendUint64(b, ^uint64(0)) // section length unknown
}

func epbBody(t time.Time, frame []byte) []byte {
	var ts uint64
	if !t.IsZero() && t.UnixNano() > 0 {
		ts = uint64(t.UnixNano())
	}
	b := binary.LittleEndian.AppendUint32(nil, 0) // interface 0
	b = binary.LittleEndian.AppendUint32(b, uint32(ts>>32))
	b = binary.LittleEndian.AppendUint32(b, uint32(ts))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(frame)))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(frame)))
	return appendPadded(b, frame)
}

type option struct {
	code  uint16
	value []byte
}

// writeBlock writes type, total length, body, options (each padded to 32 bits, then
// opt_endofopt) and the trailing total length. Write errors stick in the bufio.Writer.
func writeBlock(w *bufio.Writer, typ uint32, body []byte, opts []option) {
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
	w.Write(head[:])
	w.Write(body)
	w.Write(o)
	w.Write(head[4:8])
}

func appendPadded(b, v []byte) []byte {
	b = append(b, v...)
	for i := len(v); i%4 != 0; i++ {
		b = append(b, 0)
	}
	return b
}
