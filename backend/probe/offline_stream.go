package probe

import (
	"fmt"
	"time"

	"echoscope/backend/wire"
)

// OfflineStream judges a recording one message at a time, in time order, by the same
// rules as ClassifyOffline, holding only what a live session holds: the requests still in
// its ring. A capture of any length is judged in bounded memory (history's import streams
// through it). Events go to the handler as they are decided: for each message its own
// event, and before it every loss whose timeout fell at or before the message's time.
type OfflineStream struct {
	e         *engine
	fam       wire.Family
	prev      uint64 // number of the last recorded request
	last      time.Time
	current   Event
	hasEvent  bool
	onLoss    func(Event)
	finished  bool
	statsLast time.Time
}

// OfflineStreamConfig is an OfflineConfig plus what ClassifyOffline learns by reading the
// whole recording first and a stream must be told.
type OfflineStreamConfig struct {
	OfflineConfig
	// PayloadSize is the data length of the requests (the first request's).
	PayloadSize int
	// Ring is how many requests the stream keeps for matching late and duplicate replies
	// (rounded up to a power of two, 64 to 65536): ClassifyOffline keeps the whole span of
	// its recording's request numbers; a live session keeps twice what is sent within a
	// timeout.
	Ring int
}

// NewOfflineStream starts judging a recording. onLoss receives each lost request's
// EventLoss as its timeout is passed (by Add, Expire or Finish).
func NewOfflineStream(cfg OfflineStreamConfig, onLoss func(Event)) (*OfflineStream, error) {
	if !cfg.Target.IsValid() {
		return nil, fmt.Errorf("%w: no target", ErrRecording)
	}
	fam := wire.IPv4
	if cfg.Target.Is6() && !cfg.Target.Is4In6() {
		fam = wire.IPv6
	}
	s := &OfflineStream{fam: fam, onLoss: onLoss}
	o := Options{Target: cfg.Target.String(), Identifier: cfg.Identifier, Token: cfg.Token,
		Timeout: cfg.Timeout, Broadcast: cfg.Broadcast, LossWindow: cfg.LossWindow,
		Size: max(cfg.PayloadSize, 0), SizeSet: true}
	s.e = newOfflineEngine(o, cfg.OfflineConfig, fam, uint64(max(cfg.Ring, 1)), func(ev Event) {
		if ev.Kind == EventLoss {
			s.onLoss(ev)
			return
		}
		s.current, s.hasEvent = ev, true
	})
	if cfg.Token == 0 && s.e.tokenMode {
		// Unknown token: matched on identifier and sequence, and the payload compared
		// with the recorded request's.
		s.e.tokenMode, s.e.tokenUnknown = false, true
	}
	return s, nil
}

// Add judges the next message (its time must not be before the previous one's, or it is
// judged as if it came then) and returns its event: EventSend for a request, the
// classified EventReply or EventICMPError for a received message. A "sent" message that
// is not an echo request of the configured identifier is an error wrapping ErrRecording.
func (s *OfflineStream) Add(m OfflineMessage) (Event, error) {
	e := s.e
	s.hasEvent = false
	if m.At.Time.After(s.last) {
		s.last = m.At.Time
	}
	if m.Sent {
		icmp, seq, err := recordedRequest(e.opts.Identifier, e.rewritten, s.fam, &m)
		if err != nil {
			return Event{}, err
		}
		// The next number above prev whose low 16 bits are the sequence.
		idx := s.prev&^0xffff | uint64(seq)
		if idx <= s.prev {
			idx += 1 << 16
		}
		s.prev = idx
		e.expire(m.At.Time)
		e.recordRequest(idx, 0, icmp, m.At, len(icmp), nil)
	} else {
		in := inbound{kind: inboundPacket, data: append([]byte(nil), m.Bytes...),
			includesIPHeader: m.IncludesIPHeader, from: m.From, to: m.To, ttl: m.TTL,
			rx: m.At, arrived: m.At.Time, truncatedByCapture: m.Truncated}
		e.handleInbound(&in)
	}
	if !s.hasEvent {
		return Event{}, fmt.Errorf("%w: message gave no event", ErrRecording)
	}
	return s.current, nil
}

// recordedRequest checks a recorded request and returns its ICMP message (a copy) and
// sequence number.
func recordedRequest(id uint16, rewritten bool, fam wire.Family, m *OfflineMessage) ([]byte, uint16, error) {
	icmp := m.Bytes
	if m.IncludesIPHeader {
		_, payload, err := wire.SplitIPv4(m.Bytes)
		if err != nil {
			return nil, 0, fmt.Errorf("%w: sent message: %w", ErrRecording, err)
		}
		icmp = payload
	}
	em, err := wire.ParseEcho(fam, icmp)
	if err != nil || em.Type != wire.EchoRequestType(fam) {
		return nil, 0, fmt.Errorf("%w: sent message is not an %s echo request", ErrRecording, fam.ICMPName())
	}
	if em.ID != id && !rewritten {
		return nil, 0, fmt.Errorf("%w: sent message has identifier %#04x, not %#04x", ErrRecording, em.ID, id)
	}
	return append([]byte(nil), icmp...), em.Seq, nil
}

// NextExpiry is when the oldest outstanding request times out; zero when none is.
func (s *OfflineStream) NextExpiry() time.Time {
	e := s.e
	for e.recordedHead < len(e.recordedQueue) {
		e.expireSteps++
		if q := e.ring.get(e.recordedQueue[e.recordedHead]); q != nil && q.state == reqOutstanding {
			return e.expiry(q)
		}
		e.popRecorded()
	}
	return time.Time{}
}

// Expire declares lost (through onLoss) every request whose timeout fell at or before now:
// the caller's clock is the recording's, moved on by another flow's message.
func (s *OfflineStream) Expire(now time.Time) { s.e.expire(now) }

// Finish ends the recording: what is still outstanding is lost at its timeout. It returns
// the statistics, as a live session's Summary would carry them.
func (s *OfflineStream) Finish() Stats {
	e := s.e
	last := s.last
	if !s.finished {
		for ; e.recordedHead < len(e.recordedQueue); e.popRecorded() {
			e.expireSteps++
			if q := e.ring.get(e.recordedQueue[e.recordedHead]); q != nil && q.state == reqOutstanding {
				e.lose(q, fmt.Sprintf("no reply in the recording within the %v timeout", e.timeout), e.expiry(q))
				last = later(last, e.expiry(q))
			}
		}
		s.finished, s.statsLast = true, last
	}
	return e.stats.snapshot(s.statsLast)
}

// ExpireSteps is how many queued requests expiry has looked at so far: the work behind
// timeouts, which must grow with the requests recorded, not with the numbers between
// them.
func (s *OfflineStream) ExpireSteps() uint64 { return s.e.expireSteps }

// expireRecorded is expire for a recording: it walks the recorded requests in send order
// (recordedQueue), so its work is proportional to the requests recorded, however far
// apart their numbers are.
func (e *engine) expireRecorded(now time.Time) {
	for e.recordedHead < len(e.recordedQueue) {
		e.expireSteps++
		idx := e.recordedQueue[e.recordedHead]
		if q := e.ring.get(idx); q != nil && q.state == reqOutstanding {
			expires := e.expiry(q)
			if now.Before(expires) {
				return
			}
			// A recording has no "now": the loss is due at the timeout.
			e.lose(q, fmt.Sprintf("no reply within the %v timeout", e.timeout), expires)
		}
		e.popRecorded()
	}
}

// popRecorded drops the head of recordedQueue, reusing the slice's room once half of it
// is behind the head.
func (e *engine) popRecorded() {
	e.recordedHead++
	if e.recordedHead == len(e.recordedQueue) {
		e.recordedQueue, e.recordedHead = e.recordedQueue[:0], 0
	} else if e.recordedHead > 1024 && e.recordedHead*2 > len(e.recordedQueue) {
		n := copy(e.recordedQueue, e.recordedQueue[e.recordedHead:])
		e.recordedQueue, e.recordedHead = e.recordedQueue[:n], 0
	}
}
