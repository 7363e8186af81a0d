package probe

import (
	"fmt"
	"net/netip"

	"echoscope/backend/wire"
)

// classifyError ties an ICMP error received on a raw socket to the request it quotes:
// the quoted destination must be the target, the quoted identifier ours, the quoted
// sequence one we sent, and (when quoted) the token ours.
func (e *engine) classifyError(ev *Event, icmp []byte) {
	ev.Class, ev.Rule = ClassForeign, RuleNone
	m, err := wire.ParseMessage(e.fam, icmp)
	if err != nil {
		ev.Note = "unparseable ICMP error: " + err.Error()
		return
	}
	what := errorName(e.fam, m.Type, m.Code)
	qd, err := m.Quoted()
	if err != nil {
		ev.Note = what + ": quoted datagram unparseable: " + err.Error()
		return
	}
	em, ok := qd.Echo()
	if !ok || em.Type != wire.EchoRequestType(e.fam) {
		ev.Note = what + " about a packet that is not an echo request"
		return
	}
	dst := qd.IPv4.Dst
	if qd.Family == wire.IPv6 {
		dst = qd.IPv6.Dst
	}
	e.matchQuoted(ev, what, em, dst, ev.From)
}

// classifyQueuedError handles errors the kernel queued for a datagram socket (IP_RECVERR):
// the data is our own request as sent, the offender is the reporting host. The ICMP error
// message itself is never visible on these sockets.
func (e *engine) classifyQueuedError(in *inbound, ev *Event) {
	*ev = Event{Kind: EventICMPError, Bytes: in.data, From: in.from, TTL: -1, Received: in.rx,
		ICMPType: in.errType, ICMPCode: in.errCode, Size: len(in.data), Class: ClassForeign, Rule: RuleNone}
	what := errorName(e.fam, uint8(in.errType), uint8(in.errCode))
	if in.kind == inboundLocalError {
		what = fmt.Sprintf("local error: %v", in.errNo)
		ev.ICMPType, ev.ICMPCode = 0, 0
	}
	em, err := wire.ParseEcho(e.fam, in.data)
	if err != nil || em.Type != wire.EchoRequestType(e.fam) {
		ev.Note = what + " (kernel error queue) about a packet that is not our echo request"
		return
	}
	e.matchQuoted(ev, what, em, in.origDst, in.from)
	if e.byAPI {
		ev.Note += " (reported as an IcmpSendEcho2 status: the bytes are our request; Windows hides the ICMP message itself)"
	} else {
		ev.Note += " (reported by the kernel's error queue: the bytes are our request; the ICMP message itself is not visible on datagram sockets)"
	}
}

func (e *engine) matchQuoted(ev *Event, what string, em wire.EchoMessage, dst, reporter netip.Addr) {
	ev.ID, ev.Seq = em.ID, em.Seq
	if !e.anySource && dst.IsValid() && unmapIfV4(dst.WithZone("")) != e.target.WithZone("") {
		ev.Note = fmt.Sprintf("%s about a request to %s, not to the target", what, dst)
		return
	}
	if em.ID != e.id {
		ev.Note = fmt.Sprintf("%s about identifier %#04x, not ours (%#04x)", what, em.ID, e.id)
		return
	}
	q := e.ring.bySeq(em.Seq, e.newest)
	if q == nil {
		ev.Note = fmt.Sprintf("%s about sequence %d, never sent by this session", what, em.Seq)
		return
	}
	ev.Rule = RuleQuotedIDSeq
	if e.tokenMode {
		if tok, ok := payloadToken(em.Data); ok {
			if tok != e.opts.Token {
				ev.Note = fmt.Sprintf("%s quoting token %#016x, not this session's", what, tok)
				return
			}
			ev.Rule = RuleQuotedIDSeqToken
		}
	}
	ev.Class = ClassICMPError
	ev.Index, ev.Sent, ev.Request = q.index, e.sentOf(q), e.requestBytes(q)
	ev.RTT, ev.RTTClocks = rttBetween(ev.Sent, ev.Received)
	ev.Note = what
	if reporter.IsValid() {
		ev.Note = fmt.Sprintf("%s from %s", what, reporter)
	}
	e.setErrorNote(q, ev.Note)
}

func errorName(f wire.Family, typ, code uint8) string {
	name := wire.TypeName(f, typ)
	if c := wire.CodeName(f, typ, code); c != "" {
		return name + ": " + c
	}
	return name
}
