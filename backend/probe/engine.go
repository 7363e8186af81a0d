package probe

import (
	"errors"
	"fmt"
	"net/netip"
	"sync/atomic"
	"syscall"
	"time"

	"echoscope/backend/wire"
)

// engine is all send/match state of one session. Only the loop goroutine touches it.
type engine struct {
	opts      Options
	target    netip.Addr
	handler   Handler
	conn      packetConn
	fam       wire.Family
	id        uint16 // identifier on the wire (the kernel's for datagram sockets)
	rewritten bool   // the kernel rewrites the identifier (Linux datagram)
	tokenMode bool   // payload >= 16 bytes: match on the token too
	anySource bool   // broadcast/multicast target: replies come from many hosts
	byAPI     bool   // the OS API matched replies itself (Windows IcmpSendEcho2)
	size      int
	timeout   time.Duration
	interval  time.Duration

	ring         *requestRing
	newest       uint64 // number of the newest request (= requests sent)
	maxAnswered  uint64 // highest request number that got a first reply
	expireCursor uint64 // requests below this are all resolved
	stats        *statsAcc

	// txIndex maps kernel TX timestamp keys (OPT_ID counts successful sends from 0) to
	// request numbers; txKeyed says the socket delivers such stamps at all (else the
	// index is not kept: one memory page less to touch per send at flood rates).
	txIndex   []uint64
	txCounter uint32
	txKeyed   bool

	payloadBuf []byte // the session's payload template (payloadTemplate), stamped per send
	msgBuf     []byte
	scratch    []byte // payload scratch for requestBytes

	// held: events waiting for TX timestamps that the socket reports in batches (see
	// emit); lazy is that socket, nil when stamps arrive one by one before the replies.
	held []heldEvent
	lazy txBatcher
	// directStopped and directIn belong to the direct loop (runDirect).
	directStopped atomic.Bool
	directIn      inbound
	// lateFilter: a socket whose kernel filter waits for the first foreign echo reply
	// (direct mode, see filter_linux.go); nil once attached or when there is none.
	lateFilter filterAttacher
	rttPending bool // the message being classified is a first reply whose RTT counts

	// offline: the engine judges a recording (ClassifyOffline), not a live socket;
	// tokenUnknown: the recording's payloads have room for a token, but it is not known.
	offline      bool
	tokenUnknown bool
	// recordedQueue holds, offline, the numbers of recorded requests in send order from
	// its head on: a recording's numbers jump (by 65536 when one sequence repeats), so
	// expiry walks these rather than every number in between (see expireRecorded).
	recordedQueue []uint64
	recordedHead  int
	// recordedReqs holds, offline, each ring slot's recorded request (its bytes and send
	// time), beside the ring so that a live session's slots stay one cache line.
	recordedReqs []recordedReq
	// errorNotes holds the words of the last ICMP error that quoted a request still in the
	// ring (request.hasErrorNote), by request number; an entry goes with its slot's reuse.
	errorNotes map[uint64]string
	// expireSteps counts requests looked at by expiry, so a test can bound its work.
	expireSteps uint64

	// discard: the session has no handler, so events are not built with bytes (the flood
	// benchmark and callers that want statistics only pay for no copies).
	discard bool
	// statsOnly: the handler gets EventStats alone (Session.StatisticsOnly): sends and
	// losses build no event at all, received messages are classified and counted exactly
	// as ever but their events go no further than the statistics.
	statsOnly bool
	// errorResolved counts requests resolved by an ICMP or local error (Options.ErrorsAnswer);
	// stopNow is set by the first error under Options.StopOnError; fatal ends the session
	// with an error (a broadcast target the kernel refuses without -b).
	// adaptiveFloor: Options.Adaptive's shortest interval (the policy's).
	adaptiveFloor time.Duration
	errorResolved uint64
	stopNow       bool
	fatal         error
	// ownTrafficOnly: the caller may see only messages tied to its own requests
	// (Policy.OwnTrafficOnly); the others are counted as foreign and not emitted.
	ownTrafficOnly bool
	// statsWanted is set from other goroutines (Session.RequestStats): emit an EventStats
	// at the next turn of the loop.
	statsWanted *atomic.Bool
	// queue carries the events to the handler's goroutine (nil: the handler is called
	// directly, as offline or without a handler); its counters join every snapshot.
	queue *eventQueue
}

func newEngine(o Options, target netip.Addr, conn packetConn, h Handler) *engine {
	e := &engine{
		opts:      o,
		target:    target,
		handler:   h,
		conn:      conn,
		fam:       wire.IPv4,
		id:        o.Identifier,
		size:      o.PayloadSize(),
		timeout:   o.EffectiveTimeout(),
		interval:  o.EffectiveInterval(),
		anySource: o.Broadcast || target.IsMulticast(),
	}
	if conn.IPv6() {
		e.fam = wire.IPv6
	}
	if port, ok := conn.RewrittenID(); ok {
		e.id, e.rewritten = port, true
	}
	e.tokenMode = hasToken(e.size)
	if m, ok := conn.(interface{ MatchedByAPI() bool }); ok {
		e.byAPI = m.MatchedByAPI()
	}
	sizing := e.interval
	if o.Adaptive {
		sizing = min(sizing, FloodInterval) // -A may reach a flood's pace
	}
	size := ringSizeFor(e.timeout+o.Linger, sizing)
	e.ring = newRequestRing(size)
	e.txIndex = make([]uint64, size)
	e.txKeyed, _ = conn.Clocks()
	e.stats = newStatsAcc(o.EffectiveLossWindow(), o.Token)
	e.payloadBuf = payloadTemplate(e.size, o.Token, o.Pattern)
	e.scratch = make([]byte, e.size)
	e.msgBuf = make([]byte, 0, wire.EchoHeaderLen+e.size)
	e.expireCursor = 1
	return e
}

// filterAttacher is a socket that attaches its kernel filter only when asked.
type filterAttacher interface {
	AttachFilter() error
}

// send builds and writes request number newest+1 and records it (see recordRequest).
func (e *engine) send(now time.Time) {
	idx := e.newest + 1
	payloadNanos := now.UnixNano()
	stampPayload(e.payloadBuf, payloadNanos)
	e.msgBuf = wire.AppendEcho(e.msgBuf[:0], e.fam, wire.EchoRequestType(e.fam),
		wire.Echo{ID: e.opts.Identifier, Seq: uint16(idx), Data: e.payloadBuf}, nil)
	sentAt, err := e.conn.Send(e.msgBuf, e.target)
	if sentAt.IsZero() {
		sentAt = now
	}
	e.recordRequest(idx, payloadNanos, nil, Timestamp{Time: sentAt, Clock: ClockUser}, len(e.msgBuf), err)
}

// recordRequest enters request number idx (sequence uint16(idx)) into the ring and the
// statistics and emits its EventSend: a request this engine just sent (payloadNanos tells
// its bytes) or, offline, one from a recording (recorded holds its ICMP message).
func (e *engine) recordRequest(idx uint64, payloadNanos int64, recorded []byte, sent Timestamp, size int, err error) {
	e.newest = idx
	if e.offline {
		e.recordedQueue = append(e.recordedQueue, idx)
	}
	q := e.ring.at(idx)
	if q.index != 0 && q.state == reqOutstanding {
		// Cannot happen with the ring sized by timeout/interval, unless the clock stalls;
		// resolve the old request rather than lose track of it silently.
		e.lose(q, "dropped from the request ring before its timeout", sent.Time)
	}
	if q.hasErrorNote {
		delete(e.errorNotes, q.index)
	}
	*q = request{index: idx, payloadNanos: payloadNanos, sentUser: sent.Time}
	if e.offline {
		if e.recordedReqs == nil {
			e.recordedReqs = make([]recordedReq, len(e.ring.slots))
		}
		e.recordedReqs[idx&e.ring.mask] = recordedReq{index: idx, msg: recorded, sent: sent}
	}
	e.stats.sent(sent.Time)
	if e.statsOnly {
		// Nobody sees a send event: build none (it would be most of a flood's events).
		if err != nil {
			e.lose(q, SendFailedNote+err.Error(), sent.Time)
			e.sendFailed(err)
			return
		}
		e.keyTX(idx)
		return
	}
	ev := Event{Kind: EventSend, Index: idx, Seq: uint16(idx), ID: e.id, To: e.target, TTL: -1,
		ICMPType: int(wire.EchoRequestType(e.fam)), Size: size, Sent: e.sentOf(q),
		Bytes: e.requestBytes(q)}
	ev.Note = e.sendNote()
	if err != nil {
		ev.Note = SendFailedNote + err.Error()
		e.emit(&ev)
		e.lose(q, SendFailedNote+err.Error(), sent.Time)
		e.sendFailed(err)
		return
	}
	e.keyTX(idx)
	e.emit(&ev)
}

// SendFailedNote starts the Note of an EventSend whose send call failed (the request is
// lost at once and counted as an error); the reason follows.
const SendFailedNote = "send failed: "

// sendFailed counts a local send error as an error (iputils: "+N errors") and applies the
// stop rules. A broadcast address the kernel refuses (EACCES without SO_BROADCAST) ends the
// session: nothing can leave, and "N packets transmitted" would be untrue.
func (e *engine) sendFailed(err error) {
	e.stats.countApart(ClassICMPError)
	if e.opts.ErrorsAnswer {
		e.errorResolved++ // its request is lost already (recordRequest)
	}
	if errors.Is(err, syscall.EACCES) && !e.opts.Broadcast && e.fatal == nil {
		e.fatal = fmt.Errorf("%w: %s (the kernel refuses to send to it without the broadcast option)", ErrBroadcast, e.target)
		e.stopNow = true
	}
	if e.opts.StopOnError {
		e.stopNow = true
	}
}

// errorAnswered applies Options.ErrorsAnswer and StopOnError to an ICMP error that quotes
// request index (already emitted and counted).
func (e *engine) errorAnswered(index uint64, note string, now time.Time) {
	if e.opts.StopOnError {
		e.stopNow = true
	}
	if !e.opts.ErrorsAnswer {
		return
	}
	if q := e.ring.get(index); q != nil && q.state == reqOutstanding {
		e.errorResolved++
		e.lose(q, "answered by an error", now)
	}
}

// keyTX records that the next kernel TX timestamp key belongs to request idx.
func (e *engine) keyTX(idx uint64) {
	if e.txKeyed {
		e.txIndex[uint64(e.txCounter)&e.ring.mask] = idx
		e.txCounter++
	}
}

func (e *engine) sendNote() string {
	switch {
	case e.rewritten && e.fam == wire.IPv4:
		return fmt.Sprintf("datagram socket: the kernel set the identifier to its local port %#04x and recomputed the checksum", e.id)
	case e.rewritten:
		return fmt.Sprintf("datagram socket: the kernel set the identifier to its local port %#04x and fills the checksum (shown as 0)", e.id)
	case e.fam == wire.IPv6:
		return "raw ICMPv6 socket: the kernel fills the checksum (shown as 0)"
	}
	return ""
}

// requestBytes rebuilds the bytes of request q as they went on the wire (with the kernel's
// identifier for datagram sockets). It allocates once (the bytes belong to an Event); nil
// when events are discarded.
func (e *engine) requestBytes(q *request) []byte {
	if e.discard {
		return nil
	}
	if rec := e.recordedOf(q); rec != nil {
		return append([]byte(nil), rec...)
	}
	copy(e.scratch, e.payloadBuf)
	stampPayload(e.scratch, q.payloadNanos)
	return wire.AppendEcho(make([]byte, 0, wire.EchoHeaderLen+e.size), e.fam,
		wire.EchoRequestType(e.fam), wire.Echo{ID: e.id, Seq: uint16(q.index), Data: e.scratch}, nil)
}

// sentOf is request q's best known send time: as recorded (offline), the kernel's TX
// timestamp once it came, else the user-space time read just before the send.
func (e *engine) sentOf(q *request) Timestamp {
	if r := e.recordedReq(q); r != nil {
		return r.sent
	}
	if q.kernelTX != 0 {
		return Timestamp{Time: time.Unix(0, q.kernelTX), Clock: ClockKernelTX}
	}
	return Timestamp{Time: q.sentUser, Clock: ClockUser}
}

// recordedOf is the ICMP message of request q as recorded (nil for a request this engine sent).
func (e *engine) recordedOf(q *request) []byte {
	if r := e.recordedReq(q); r != nil {
		return r.msg
	}
	return nil
}

// recordedReq is what the recording holds of request q (nil for a live session).
func (e *engine) recordedReq(q *request) *recordedReq {
	if e.recordedReqs == nil {
		return nil
	}
	if r := &e.recordedReqs[q.index&e.ring.mask]; r.index == q.index {
		return r
	}
	return nil
}

// errorNote is the words of the last ICMP error that quoted request q ("" when none did).
func (e *engine) errorNote(q *request) string {
	if !q.hasErrorNote {
		return ""
	}
	return e.errorNotes[q.index]
}

// setErrorNote keeps note as the last ICMP error that quoted request q.
func (e *engine) setErrorNote(q *request, note string) {
	if e.errorNotes == nil {
		e.errorNotes = make(map[uint64]string)
	}
	e.errorNotes[q.index], q.hasErrorNote = note, true
}

// maxStampSkew is how far a kernel TX timestamp may lie from the user-space time taken
// just before the send call and still be believed to belong to that send.
const maxStampSkew = 50 * time.Millisecond

// txStamp replaces a request's user-space send time with the kernel's TX timestamp.
func (e *engine) txStamp(key uint32, t time.Time) {
	// Keys older than the ring are gone; the subtraction wraps harmlessly for uint32.
	if e.txCounter-key > uint32(len(e.txIndex)) || key >= e.txCounter {
		return
	}
	q := e.ring.get(e.txIndex[uint64(key)&e.ring.mask])
	if q == nil {
		return
	}
	// The kernel numbers stamps per sendmsg that got as far as building a packet; a send
	// that failed after that would shift every later key by one. A stamp far from the
	// request's own send time is therefore not trusted: the user-space time stays.
	if d := t.Sub(q.sentUser.Round(0)); d < -maxStampSkew || d > maxStampSkew {
		return
	}
	q.kernelTX = t.UnixNano()
}

// lose resolves q as lost and emits its one EventLoss.
func (e *engine) lose(q *request, why string, now time.Time) {
	q.state = reqLost
	e.stats.lost()
	if e.statsOnly {
		return // counted; no event to word
	}
	if note := e.errorNote(q); note != "" {
		why += "; answered only by " + note
	}
	size := wire.EchoHeaderLen + e.size
	if rec := e.recordedOf(q); rec != nil {
		size = len(rec)
	}
	e.emit(&Event{Kind: EventLoss, Index: q.index, Seq: uint16(q.index), ID: e.id, To: e.target, TTL: -1,
		ICMPType: int(wire.EchoRequestType(e.fam)), Size: size, Sent: e.sentOf(q),
		Request: e.requestBytes(q), Note: why, Received: Timestamp{Time: now, Clock: ClockUser}})
}

// expire declares lost every outstanding request whose timeout has passed, in send order.
func (e *engine) expire(now time.Time) {
	if e.offline {
		e.expireRecorded(now)
		return
	}
	for e.expireCursor <= e.newest {
		q := e.ring.get(e.expireCursor)
		if q != nil && q.state == reqOutstanding {
			// now < expiry(q), as one subtraction of monotonic readings: in a flood this
			// runs for every packet (the request just sent is the oldest outstanding one).
			if now.Sub(q.sentUser) < e.timeout {
				return
			}
			e.lose(q, fmt.Sprintf("no reply within the %v timeout", e.timeout), now)
		}
		e.expireCursor++
	}
}

// expiry is when request q times out.
func (e *engine) expiry(q *request) time.Time { return q.sentUser.Add(e.timeout) }

// nextExpiry is when the oldest outstanding request times out (zero when none).
func (e *engine) nextExpiry() time.Time {
	for i := e.expireCursor; i <= e.newest; i++ {
		if q := e.ring.get(i); q != nil && q.state == reqOutstanding {
			return e.expiry(q)
		}
		e.expireCursor = i + 1
	}
	return time.Time{}
}

// loseAll resolves every outstanding request at the end of the session.
func (e *engine) loseAll(why string, now time.Time) {
	for i := e.expireCursor; i <= e.newest; i++ {
		if q := e.ring.get(i); q != nil && q.state == reqOutstanding {
			e.lose(q, why, now)
		}
	}
	e.expireCursor = e.newest + 1
}
