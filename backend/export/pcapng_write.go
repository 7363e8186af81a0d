package export

import (
	"fmt"
	"io"
	"iter"

	"echoscope/backend/capture"
	"echoscope/backend/probe"
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
//
// A request is written with the send time its RTT is measured from, so that Wireshark's
// response time (icmp.resptime) is the RTT Echoscope shows: the engine emits a request
// with the user-space time of its send and learns the kernel's TX stamp later, carried by
// the request's reply (Sent). So a request is held until the first row about it (reply,
// error or loss) says when it left, and every row after it waits too, to keep the file's
// order; what is held is bounded by the requests outstanding (a loss resolves one at its
// timeout). Flush writes out whatever is still held, with its own time.
type PcapngWriter struct {
	w      *capture.Writer
	framer Framer
	res    PcapngResult
	held   []heldRow
	head   int
	// waiting maps a held request's number to its place in held (offset by dropped).
	waiting map[uint64]int
	dropped int
}

type heldRow struct {
	p    Packet
	wait bool // a request whose send time its reply has not told yet
}

// NewPcapngWriter writes the section header and the one interface (nanosecond timestamps).
// Write errors show in Flush.
func NewPcapngWriter(out io.Writer, linkType int) *PcapngWriter {
	return &PcapngWriter{res: PcapngResult{LinkType: linkType}, waiting: map[uint64]int{},
		w: capture.NewWriter(out, capture.WriterOptions{LinkType: linkType, App: "Echoscope", Interface: "echoscope"})}
}

// Write adds p: one Enhanced Packet Block (once what it waits for is known); rows without a
// packet of their own (losses) are counted as skipped.
func (w *PcapngWriter) Write(p *Packet) {
	w.framer.Learn(p)
	if p.Index != 0 && p.Kind != probe.EventSend {
		w.resolve(p)
	}
	wait := p.Kind == probe.EventSend && p.Index != 0
	if !wait && w.head == len(w.held) {
		w.write(p) // nothing held: no need to copy
		return
	}
	if wait {
		w.waiting[p.Index] = w.dropped + len(w.held)
	}
	w.held = append(w.held, heldRow{p: *p, wait: wait})
	w.release()
}

// resolve gives the held request p is about the send time p's RTT was measured from.
func (w *PcapngWriter) resolve(p *Packet) {
	at, ok := w.waiting[p.Index]
	if !ok {
		return
	}
	delete(w.waiting, p.Index)
	h := &w.held[at-w.dropped]
	h.wait = false
	if !p.Sent.IsZero() {
		h.p.Time = p.Sent
	}
}

// release writes the held rows up to the first request still waiting.
func (w *PcapngWriter) release() {
	for w.head < len(w.held) && !w.held[w.head].wait {
		w.write(&w.held[w.head].p)
		w.held[w.head] = heldRow{}
		w.head++
	}
	if w.head == len(w.held) {
		w.dropped += len(w.held)
		w.held, w.head = w.held[:0], 0
	} else if w.head > 1024 && w.head*2 > len(w.held) {
		n := copy(w.held, w.held[w.head:])
		clear(w.held[n:])
		w.dropped += w.head
		w.held, w.head = w.held[:n], 0
	}
}

func (w *PcapngWriter) write(p *Packet) {
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

// Pending is how many rows are held, waiting to be written (Flush writes them).
func (w *PcapngWriter) Pending() int { return len(w.held) - w.head }

// Flush writes what is still held (requests nothing answered yet, with their own time) and
// what is buffered, and reports the counts and the first write error.
func (w *PcapngWriter) Flush() (PcapngResult, error) {
	for i := w.head; i < len(w.held); i++ {
		w.held[i].wait = false
	}
	clear(w.waiting)
	w.release()
	if err := w.w.Flush(); err != nil {
		return w.res, fmt.Errorf("pcapng export: %w", err)
	}
	return w.res, nil
}
