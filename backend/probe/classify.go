package probe

import (
	"fmt"
	"net/netip"
	"time"

	"echoscope/backend/wire"
)

// handleInbound classifies one received message, updates the statistics and emits its
// event. The classes are exclusive; see Class for their meaning.
func (e *engine) handleInbound(in *inbound) {
	if !in.arrived.IsZero() {
		// Resolve timeouts as of the arrival, before classifying: whether a reply is late
		// depends on when it came, not on when the loop got round to it.
		e.expire(in.arrived)
	}
	if in.hasTX {
		e.txStamp(in.txKey, in.txTime)
	}
	var ev Event
	switch in.kind {
	case inboundTXStamp:
		e.txStamp(in.txKey, in.txTime)
		return
	case inboundQueuedError, inboundLocalError:
		e.classifyQueuedError(in, &ev)
	default:
		e.classifyPacket(in, &ev)
	}
	e.emitReceived(&ev)
}

// emitReceived counts a classified message and hands it to the handler, unless the caller
// may see only its own traffic and this is not (see shownToCaller): then it only counts.
func (e *engine) emitReceived(ev *Event) {
	hidden := e.ownTrafficOnly && !shownToCaller(ev)
	if hidden {
		ev.Class = ClassForeign // not known to be ours, whatever else it looked like
	}
	if ev.Class == ClassDuplicate {
		e.stats.duplicate(ev.RTT)
	} else {
		e.stats.countApart(ev.Class)
	}
	if ev.Class == ClassForeign && e.lateFilter != nil && ev.Kind == EventReply {
		// Someone else pings from here: from now on the kernel drops their replies.
		// A failure only leaves them to be classified here, as this one was.
		e.lateFilter.AttachFilter() //nolint:errcheck
		e.lateFilter = nil
	}
	if hidden {
		return
	}
	if e.discard {
		ev.Bytes = nil // not copied out of the read buffer, which the next read reuses
	}
	e.emit(ev)
	if ev.Class == ClassICMPError && ev.Index != 0 {
		at := ev.Received.Time
		if at.IsZero() {
			at = time.Now()
		}
		e.errorAnswered(ev.Index, ev.Note, at)
	}
}

// classifyPacket classifies a message from the network into ev, which must be the zero
// Event (handleInbound's, zeroed where it is declared: zeroing its 300-odd bytes a second
// time here was a measurable part of the engine's time per packet in a flood).
func (e *engine) classifyPacket(in *inbound, ev *Event) {
	ev.Kind, ev.Bytes, ev.IncludesIPHeader = EventReply, in.data, in.includesIPHeader
	ev.From, ev.To, ev.TTL, ev.Received, ev.Rule = in.from, in.to, in.ttl, in.rx, RuleNone
	icmp := in.data
	truncated := ""
	if in.truncatedBySocket {
		truncated = "truncated: longer than the receive buffer"
	}
	if in.includesIPHeader {
		h, payload, err := wire.SplitIPv4(in.data)
		if err != nil {
			ev.Class, ev.Note = ClassForeign, "unparseable IPv4 header: "+err.Error()
			return
		}
		ev.From, ev.To, ev.TTL = h.Src, h.Dst, int(h.TTL)
		if int(h.TotalLength) > len(in.data) {
			truncated = fmt.Sprintf("truncated: IPv4 total length %d but %d bytes present", h.TotalLength, len(in.data))
		}
		icmp = payload
	}
	ev.Size = len(icmp)
	if len(icmp) < wire.ICMPHeaderLen {
		ev.Class, ev.Note = ClassCorrupt, fmt.Sprintf("truncated: %d bytes of ICMP", len(icmp))
		return
	}
	ev.ICMPType, ev.ICMPCode = int(icmp[0]), int(icmp[1])
	switch {
	case icmp[0] == wire.EchoReplyType(e.fam):
		e.classifyReply(ev, icmp, truncated, in.truncatedByCapture)
	case isErrorType(e.fam, icmp[0]):
		ev.Kind = EventICMPError
		e.classifyError(ev, icmp)
	default:
		ev.Class = ClassForeign
		ev.Note = fmt.Sprintf("%s %s is not part of an echo exchange", e.fam.ICMPName(), wire.TypeName(e.fam, icmp[0]))
	}
}

func isErrorType(f wire.Family, t uint8) bool {
	if f == wire.IPv6 {
		return t >= 1 && t <= 4
	}
	return t == wire.ICMPv4DestinationUnreachable || t == wire.ICMPv4TimeExceeded ||
		t == wire.ICMPv4ParameterProblem || t == wire.ICMPv4SourceQuench || t == wire.ICMPv4Redirect
}

// classifyReply decides the class of an echo reply. Order matters: first whether it is ours
// at all (identifier, token, sequence, source), then whether it is intact, then its timing.
//
// A reply the capture cut short (capturePrefix) is judged on the bytes it has: its
// checksum cannot be checked and its payload is compared as far as it goes; its class is
// its timing's, and its note says it was truncated.
func (e *engine) classifyReply(ev *Event, icmp []byte, truncated string, capturePrefix bool) {
	if len(icmp) < wire.EchoHeaderLen {
		ev.Class, ev.Note = ClassCorrupt, fmt.Sprintf("truncated: echo reply of %d bytes, header needs %d", len(icmp), wire.EchoHeaderLen)
		return
	}
	em, err := wire.ParseEcho(e.fam, icmp)
	if err != nil {
		ev.Class, ev.Note = ClassForeign, err.Error()
		return
	}
	ev.ID, ev.Seq = em.ID, em.Seq
	ev.Class = ClassForeign
	if !e.rewritten && em.ID != e.id {
		ev.Note = fmt.Sprintf("identifier %#04x is not ours (%#04x)", em.ID, e.id)
		return
	}
	if e.tokenMode {
		if tok, ok := payloadToken(em.Data); ok && tok != e.opts.Token {
			ev.Note = fmt.Sprintf("token %#016x is not this session's", tok)
			return
		}
	}
	q := e.ring.bySeq(em.Seq, e.newest)
	if q == nil {
		ev.Note = fmt.Sprintf("sequence %d was never sent by this session (or is too old)", em.Seq)
		return
	}
	ev.Index, ev.Sent, ev.Request = q.index, e.sentOf(q), e.requestBytes(q)
	if !e.fromTarget(ev.From) {
		ev.Note = fmt.Sprintf("different address: reply from %s, the target is %s", ev.From, e.target)
		return
	}
	ev.Rule = e.replyRule()
	ev.RTT, ev.RTTClocks = rttBetween(ev.Sent, ev.Received)

	ev.Class = ClassCorrupt
	switch {
	case capturePrefix:
		if note := e.payloadPrefixProblem(q, em.Data); note != "" {
			ev.Note = note
			return
		}
		ev.Note = fmt.Sprintf("truncated by the capture: %d bytes of ICMP kept, matched on those (checksum not checked)", len(icmp))
	case truncated != "":
		ev.Note = truncated
		return
	default:
		if note := e.checkChecksum(icmp, ev.From, ev.To); note != "" {
			ev.Note = note
			return
		}
		if note := e.payloadProblem(q, em.Data); note != "" {
			ev.Note = note
			return
		}
	}
	prefixNote := ev.Note // a truncated capture's, kept beside the timing's

	switch {
	case q.state == reqAnswered || q.answeredLate:
		ev.Class = ClassDuplicate
	case q.state == reqLost:
		ev.Class = ClassLate
		ev.Note = fmt.Sprintf("arrived after the %v timeout; the request stays lost", e.timeout)
		q.answeredLate = true
		e.maxAnswered = max(e.maxAnswered, q.index)
	default:
		ev.Class = ClassOnTime
		outOfOrder := q.index < e.maxAnswered
		if outOfOrder {
			ev.Class = ClassOutOfOrder
			ev.Note = fmt.Sprintf("request %d was answered before this one", e.maxAnswered)
		}
		q.state = reqAnswered
		e.maxAnswered = max(e.maxAnswered, q.index)
		e.stats.answered(outOfOrder)
		e.rttPending = true // the RTT joins the statistics when the event goes out (see emit)
	}
	if prefixNote != "" && ev.Note != prefixNote {
		ev.Note = prefixNote + "; " + ev.Note
	}
}

// payloadProblem compares a reply's payload with its request's: rebuilt from the session's
// token, send time and pattern, or, offline, as recorded.
func (e *engine) payloadProblem(q *request, data []byte) string {
	rec := e.recordedOf(q)
	if rec == nil {
		return comparePayload(data, e.payloadBuf, q.payloadNanos)
	}
	sent := rec[min(wire.EchoHeaderLen, len(rec)):]
	if len(data) < len(sent) {
		return fmt.Sprintf("truncated: %d of %d payload bytes", len(data), len(sent))
	}
	if len(data) > len(sent) {
		return fmt.Sprintf("payload longer than sent: %d bytes, sent %d", len(data), len(sent))
	}
	for k := range sent {
		if data[k] != sent[k] {
			return fmt.Sprintf("payload differs at byte %d: %#02x, sent %#02x", k, data[k], sent[k])
		}
	}
	return ""
}

// payloadPrefixProblem compares the bytes a truncated capture kept of a reply's payload
// with the start of its request's.
func (e *engine) payloadPrefixProblem(q *request, data []byte) string {
	rec := e.recordedOf(q)
	if rec == nil {
		return ""
	}
	sent := rec[min(wire.EchoHeaderLen, len(rec)):]
	for k := range min(len(data), len(sent)) {
		if data[k] != sent[k] {
			return fmt.Sprintf("payload differs at byte %d: %#02x, sent %#02x", k, data[k], sent[k])
		}
	}
	return ""
}

func (e *engine) replyRule() MatchRule {
	switch {
	case e.tokenUnknown && !e.rewritten:
		return RuleRecordedIDSeq
	case e.byAPI:
		return RuleWindowsAPI
	case e.tokenMode && e.rewritten:
		return RuleSeqTokenRewritten
	case e.tokenMode:
		return RuleIDSeqToken
	case e.rewritten:
		return RuleSeqOnly
	}
	return RuleIDSeq
}

// fromTarget applies the source check (fping #206): a reply must come from the target,
// unless the target reaches many hosts. Unknown sources are given the benefit of the doubt.
func (e *engine) fromTarget(from netip.Addr) bool {
	if e.anySource || !from.IsValid() || from == e.target {
		return true
	}
	if e.target.IsUnspecified() {
		// 0.0.0.0 and :: mean this host: the kernel answers from its loopback address.
		return unmapIfV4(from).IsLoopback()
	}
	return unmapIfV4(from.WithZone("")) == e.target.WithZone("")
}

// checkChecksum verifies what the kernel did not: raw IPv4 receives arrive with any
// checksum; ICMPv6 raw and all datagram sockets have them verified (and bad ones dropped)
// by the kernel, but checking again costs little when the addresses are known.
func (e *engine) checkChecksum(icmp []byte, from, to netip.Addr) string {
	var initial uint32
	if e.fam == wire.IPv6 {
		if !from.Is6() || !to.Is6() {
			return ""
		}
		ph := wire.PseudoHeader{Src: from.WithZone(""), Dst: to.WithZone("")}
		initial = ph.Sum(len(icmp))
	}
	if ^wire.Fold(wire.Sum(initial, icmp)) == 0 {
		return ""
	}
	got := uint16(icmp[2])<<8 | uint16(icmp[3])
	want := ^wire.Fold(wire.Sum(wire.Sum(initial, icmp[0:2]), icmp[4:]))
	return fmt.Sprintf("bad checksum %#04x, want %#04x", got, want)
}

// rttBetween returns received - sent and the clock pair it was measured with.
func rttBetween(sent, received Timestamp) (time.Duration, string) {
	if sent.IsZero() || received.IsZero() {
		return 0, ""
	}
	return received.Time.Sub(sent.Time), clockPair(sent.Clock, received.Clock)
}

// clockPair names a pair of clocks; the usual pairs are constants, so a reply's RTT costs no
// allocation at flood rates.
func clockPair(sent, received ClockSource) string {
	switch {
	case sent == ClockKernelTX && received == ClockKernelRX:
		return "kernel-tx/kernel-rx"
	case sent == ClockUser && received == ClockKernelRX:
		return "user/kernel-rx"
	case sent == ClockUser && received == ClockUser:
		return "user/user"
	case sent == ClockKernelTX && received == ClockUser:
		return "kernel-tx/user"
	}
	return string(sent) + "/" + string(received)
}
