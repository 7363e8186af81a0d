package history

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"
	"sort"
	"time"

	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// Classifier classifies imported rows in time order (setting Class, Rule, Note, Index,
// Sent, RTT) and adds a loss row for every request without a timely reply. It is an
// interface so that the engine's own matcher can take over once backend/probe exposes it
// for offline use.
type Classifier interface {
	Classify(rows []Packet, timeout time.Duration) []Packet
}

// RuleCaptureIDSeq is how imported replies are matched: a capture shows both addresses,
// the identifier and the sequence, and no session token is known to compare.
const RuleCaptureIDSeq probe.MatchRule = "addresses+id+seq (imported capture)"

// CaptureClock names timestamps that came from a capture file.
const CaptureClock probe.ClockSource = "capture"

// OfflineClassifier applies the engine's classes to captured traffic: on-time,
// out-of-order, late (after the timeout), duplicate, foreign (no matching request),
// corrupt (bad checksum, truncated, payload differs from the request) and icmp-error
// (tied to a request through the quoted header).
type OfflineClassifier struct{}

type echoKey struct {
	src, dst netip.Addr
	id, seq  uint16
}

type flowKey struct {
	src, dst netip.Addr
	id       uint16
}

type pending struct {
	index    uint64
	row      *Packet
	answered bool // a first reply came (on time or late)
	timely   bool // ... within the timeout
}

// Classify implements Classifier.
func (OfflineClassifier) Classify(rows []Packet, timeout time.Duration) []Packet {
	reqs := map[echoKey]*pending{}
	newestAnswered := map[flowKey]uint64{}
	var order []*pending
	var index uint64
	for i := range rows {
		p := &rows[i]
		fam, icmp := icmpOf(p)
		switch p.Kind {
		case probe.EventSend:
			index++
			p.Index = index
			st := &pending{index: index, row: p}
			reqs[echoKey{p.From, p.To, p.ID, p.Seq}] = st
			order = append(order, st)
			if bad := checksumProblem(fam, icmp, p.From, p.To); bad != "" {
				p.Note = joinNote(p.Note, bad)
			}
		case probe.EventReply:
			classifyReply(p, fam, icmp, reqs[echoKey{p.To, p.From, p.ID, p.Seq}], newestAnswered, timeout)
		case probe.EventICMPError:
			classifyQuoted(p, fam, icmp, reqs)
		}
	}
	var losses []Packet
	for _, st := range order {
		if st.timely {
			continue
		}
		r := st.row
		losses = append(losses, Packet{Kind: probe.EventLoss, Index: st.index, Seq: r.Seq, ID: r.ID,
			Time: probe.Timestamp{Time: r.Time.Time.Add(timeout), Clock: CaptureClock}, Sent: r.Time,
			TTL: -1, From: r.From, To: r.To, Note: fmt.Sprintf("no reply within %s", timeout)})
	}
	if len(losses) == 0 {
		return rows
	}
	out := append(rows, losses...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Time.Before(out[j].Time.Time) })
	return out
}

func classifyReply(p *Packet, fam wire.Family, icmp []byte, req *pending, newest map[flowKey]uint64, timeout time.Duration) {
	p.Rule = probe.RuleNone
	if req == nil {
		p.Class = probe.ClassForeign
		p.Note = joinNote(p.Note, fmt.Sprintf("no request with identifier 0x%04x, sequence %d from %s in the capture", p.ID, p.Seq, p.To))
		return
	}
	p.Index, p.Sent, p.Rule = req.index, req.row.Time, RuleCaptureIDSeq
	p.RTT, p.RTTClocks = p.Time.Time.Sub(req.row.Time.Time), "capture/capture"
	if bad := checksumProblem(fam, icmp, p.From, p.To); bad != "" {
		p.Class, p.Note = probe.ClassCorrupt, joinNote(p.Note, bad)
		return
	}
	if p.Note != "" { // truncated by the capture: the payload cannot be compared
		p.Class = probe.ClassCorrupt
		return
	}
	_, reqICMP := icmpOf(req.row)
	if len(icmp) >= wire.EchoHeaderLen && len(reqICMP) >= wire.EchoHeaderLen &&
		!bytes.Equal(icmp[wire.EchoHeaderLen:], reqICMP[wire.EchoHeaderLen:]) {
		p.Class, p.Note = probe.ClassCorrupt, "payload differs from the request's"
		return
	}
	flow := flowKey{p.To, p.From, p.ID}
	switch {
	case req.answered:
		p.Class = probe.ClassDuplicate
	case p.RTT > timeout:
		p.Class, req.answered = probe.ClassLate, true
	case newest[flow] > req.index:
		p.Class, req.answered, req.timely = probe.ClassOutOfOrder, true, true
	default:
		p.Class, req.answered, req.timely = probe.ClassOnTime, true, true
	}
	if req.index > newest[flow] && p.Class != probe.ClassDuplicate && p.Class != probe.ClassLate {
		newest[flow] = req.index
	}
}

// classifyQuoted ties an ICMP error to the request its quoted header shows.
func classifyQuoted(p *Packet, fam wire.Family, icmp []byte, reqs map[echoKey]*pending) {
	p.Class, p.Rule = probe.ClassForeign, probe.RuleNone
	name := wire.TypeName(fam, uint8(p.ICMPType))
	if c := wire.CodeName(fam, uint8(p.ICMPType), uint8(p.ICMPCode)); c != "" {
		name += ": " + c
	}
	m, err := wire.ParseMessage(fam, icmp)
	if err != nil {
		p.Note = joinNote(p.Note, name+" (unparseable: "+err.Error()+")")
		return
	}
	q, err := m.Quoted()
	if err != nil {
		p.Note = joinNote(p.Note, name+" (no quoted datagram)")
		return
	}
	em, ok := q.Echo()
	if !ok || em.Type != wire.EchoRequestType(fam) {
		p.Note = joinNote(p.Note, name+" quoting something other than an echo request")
		return
	}
	src, dst := q.IPv4.Src, q.IPv4.Dst
	if q.Family == wire.IPv6 {
		src, dst = q.IPv6.Src, q.IPv6.Dst
	}
	p.ID, p.Seq = em.ID, em.Seq
	req := reqs[echoKey{src, dst, em.ID, em.Seq}]
	if req == nil {
		p.Note = joinNote(p.Note, name+" quoting a request not in the capture")
		return
	}
	p.Class, p.Rule, p.Index, p.Sent = probe.ClassICMPError, probe.RuleQuotedIDSeq, req.index, req.row.Time
	p.Note = joinNote(p.Note, fmt.Sprintf("%s from %s", name, p.From))
}

// icmpOf returns the ICMP message inside an imported row (which holds the IP datagram).
func icmpOf(p *Packet) (wire.Family, []byte) {
	b := p.Bytes
	if !p.IncludesIPHeader || len(b) == 0 {
		return familyOf(p), b
	}
	if b[0]>>4 == 4 {
		_, payload, err := wire.SplitIPv4(b)
		if err != nil {
			return wire.IPv4, nil
		}
		return wire.IPv4, payload
	}
	h, err := wire.ParseIPv6Header(b)
	if err != nil {
		return wire.IPv6, nil
	}
	_, _, off, err := wire.WalkIPv6Extensions(h.NextHeader, b[wire.IPv6HeaderLen:])
	if err != nil {
		return wire.IPv6, nil
	}
	end := min(len(b), wire.IPv6HeaderLen+int(h.PayloadLength))
	return wire.IPv6, b[min(wire.IPv6HeaderLen+off, end):end]
}

// checksumProblem verifies the ICMP checksum (with the pseudo-header for ICMPv6).
func checksumProblem(fam wire.Family, icmp []byte, src, dst netip.Addr) string {
	if len(icmp) < wire.ICMPHeaderLen {
		return fmt.Sprintf("truncated: %d bytes of ICMP", len(icmp))
	}
	var ph *wire.PseudoHeader
	var initial uint32
	if fam == wire.IPv6 {
		ph = &wire.PseudoHeader{Src: src, Dst: dst}
		initial = ph.Sum(len(icmp))
	}
	if wire.VerifyChecksum(fam, icmp, ph) {
		return ""
	}
	got := binary.BigEndian.Uint16(icmp[2:4])
	c := append([]byte(nil), icmp...)
	c[2], c[3] = 0, 0
	return fmt.Sprintf("bad checksum 0x%04x, want 0x%04x", got, ^wire.Fold(wire.Sum(initial, c)))
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
