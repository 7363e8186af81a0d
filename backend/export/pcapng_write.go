package export

import (
	"fmt"
	"io"
	"iter"

	"echoscope/backend/capture"
)

// Link types of the datagrams an export writes (see backend/capture).
const (
	LinkTypeRaw  = capture.LinkTypeRaw
	LinkTypeIPv4 = capture.LinkTypeIPv4
	LinkTypeIPv6 = capture.LinkTypeIPv6
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
	w      *capture.Writer
	framer Framer
	res    PcapngResult
}

// NewPcapngWriter writes the section header and the one interface (nanosecond timestamps).
// Write errors show in Flush.
func NewPcapngWriter(out io.Writer, linkType int) *PcapngWriter {
	return &PcapngWriter{res: PcapngResult{LinkType: linkType},
		w: capture.NewWriter(out, capture.WriterOptions{LinkType: linkType, App: "Echoscope", Interface: "echoscope"})}
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
	w.w.WritePacket(p.Time.Time, frame, comment)
	w.res.Packets++
}

// Flush writes out what is buffered and reports the counts and the first write error.
func (w *PcapngWriter) Flush() (PcapngResult, error) {
	if err := w.w.Flush(); err != nil {
		return w.res, fmt.Errorf("pcapng export: %w", err)
	}
	return w.res, nil
}
