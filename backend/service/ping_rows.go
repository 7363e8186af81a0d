package service

import (
	"context"
	"encoding/hex"
	"fmt"
	"net/netip"
	"runtime"

	"echoscope/backend/history"
	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// MaxPageRows caps one Rows call (the table asks for a screenful and some margin).
const MaxPageRows = 1000

// lookBackRows bounds how far Packet searches backwards for a reply's request row and for
// the rows that answered first: at 1000 requests per second with a 10 s timeout a request's
// send row is at most ~20000 rows before its late reply.
const (
	lookBackRows = 40_000
	lookBackPage = 1000
)

// sessionContext is what rows need from their session: the family for type names, and for
// the inspector the engine, socket, target and timeout.
type sessionContext struct {
	family  wire.Family
	engine  string
	socket  string
	target  string
	timeout float64
	live    *liveSession
	// imported: a capture may hold several pings, so a row's target is its own flow's.
	imported bool
	// captureFile is the imported capture's base name.
	captureFile string
}

// sessionContext describes session id: from its live state (ls, from storeFor) when it
// runs or ran in this process, else from the store.
func (s *PingService) sessionContext(ctx context.Context, store *history.Store, id int64, ls *liveSession) (sessionContext, error) {
	if ls != nil {
		return sessionContext{family: ls.family, engine: ls.info.Engine, socket: ls.info.Socket,
			target: ls.info.Addr, timeout: ls.info.TimeoutMs, live: ls}, nil
	}
	ss, err := store.Session(ctx, id)
	if err != nil {
		return sessionContext{}, fmt.Errorf("%w %d: %w", ErrUnknownSession, id, err)
	}
	info := storedSessionInfo(ss)
	return sessionContext{family: familyOf(parseAddrOrZero(ss.Addr)), engine: info.Engine, socket: info.Socket,
		target: ss.Addr, timeout: info.TimeoutMs, imported: info.Imported, captureFile: info.ImportedFrom}, nil
}

// familyOf is a row's IP family: the session's, except in an imported capture, which may
// hold IPv4 and IPv6 pings side by side (its session address is then empty).
func (sc sessionContext) familyOf(p *history.Packet) wire.Family {
	if sc.imported {
		for _, a := range []netip.Addr{p.From, p.To} {
			if a.IsValid() {
				return familyOf(a)
			}
		}
	}
	return sc.family
}

// Rows returns up to limit rows of a session from offset (0-based), paged from the store.
// A running session's pending rows are committed first, so every row a frame announced can
// be paged at once.
func (s *PingService) Rows(sessionID string, offset, limit int) (RowPage, error) {
	id, store, live, err := s.storeFor(sessionID)
	if err != nil {
		return RowPage{}, err
	}
	sc, err := s.sessionContext(s.ctx, store, id, live)
	if err != nil {
		return RowPage{}, err
	}
	if offset < 0 || limit < 0 {
		return RowPage{}, invalidRequest("rows: offset %d, limit %d", offset, limit)
	}
	limit = min(limit, MaxPageRows)
	if err := flushLive(s.ctx, sc.live); err != nil {
		return RowPage{}, err
	}
	pkts, err := store.Packets(s.ctx, id, int64(offset), int64(limit))
	if err != nil {
		return RowPage{}, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	total, err := store.CountPackets(s.ctx, id)
	if err != nil {
		return RowPage{}, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	page := RowPage{SessionID: sessionID, Offset: int64(offset), TotalRows: total, Rows: make([]Row, 0, len(pkts))}
	for _, p := range pkts {
		page.Rows = append(page.Rows, rowFromPacket(p, sc.familyOf(&p)))
	}
	return page, nil
}

// Packet returns everything the packet inspector shows about one row.
func (s *PingService) Packet(sessionID string, row int) (PacketDetail, error) {
	id, store, live, err := s.storeFor(sessionID)
	if err != nil {
		return PacketDetail{}, err
	}
	sc, err := s.sessionContext(s.ctx, store, id, live)
	if err != nil {
		return PacketDetail{}, err
	}
	if err := flushLive(s.ctx, sc.live); err != nil {
		return PacketDetail{}, err
	}
	pkts, err := store.Packets(s.ctx, id, int64(row), 1)
	if err != nil {
		return PacketDetail{}, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	if len(pkts) == 0 || row < 0 {
		return PacketDetail{}, fmt.Errorf("%w: session %s row %d", ErrNoSuchRow, sessionID, row)
	}
	p := pkts[0]
	d := detailOf(sessionID, p, sc)
	if (p.Kind == probe.EventSend || p.Kind == probe.EventLoss) && p.Index > 0 {
		var source netip.Addr
		if d.Answers, source, err = answersTo(s.ctx, store, id, p); err != nil {
			return PacketDetail{}, err
		}
		// A send row does not record the source address the kernel chose; its answer's
		// destination is that address (needed to verify an ICMPv6 checksum).
		if d.From == "" && source.IsValid() {
			d.From = source.String()
		}
	}
	if (p.Kind == probe.EventReply || p.Kind == probe.EventICMPError) && p.Index > 0 {
		req, before, err := s.relatedRows(store, id, p)
		if err != nil {
			return PacketDetail{}, err
		}
		if req != nil {
			d.RequestRow = req.N
			d.RequestHex = hex.EncodeToString(history.ICMPMessage(req))
			// The reply's own Sent carries the kernel TX stamp when there is one (the send
			// row only has the user-space time), so the request's time is a fallback.
			if d.SentAt == "" {
				d.SentAt, d.SentClock = rfc3339Nano(req.Time.Time), string(req.Time.Clock)
			}
			d.KernelIdentifier = req.ID
		}
		d.AnsweredBefore = before
		if sc.imported && req != nil && req.To.IsValid() {
			d.Target = req.To.String()
		}
	}
	if sc.imported && d.Target == "" {
		if t := history.FlowTarget(&p); t.IsValid() {
			d.Target = t.String()
		}
	}
	return d, nil
}

// detailOf fills what the row itself knows.
func detailOf(sessionID string, p history.Packet, sc sessionContext) PacketDetail {
	d := PacketDetail{SessionID: sessionID, Row: p.N, Kind: string(p.Kind), Class: string(p.Class),
		Rule: string(p.Rule), Note: p.Note, Index: p.Index, Seq: p.Seq, ID: p.ID, Engine: sc.engine,
		Socket: sc.socket, Target: sc.target, TTL: p.TTL, Size: p.Size,
		SentAt: rfc3339Nano(p.Sent.Time), SentClock: string(p.Sent.Clock), RTTClocks: p.RTTClocks,
		KernelIdentifier: p.ID, TimeoutMs: sc.timeout, AnsweredBefore: []int64{},
		Answers: []AnswerRef{}, RequestRow: -1, Imported: sc.imported, CaptureFile: sc.captureFile}
	if d.Rule == "" {
		d.Rule = string(probe.RuleNone)
		if p.Kind == probe.EventSend || p.Kind == probe.EventLoss {
			d.Rule = ""
		}
	}
	if p.From.IsValid() {
		d.From = p.From.String()
	}
	if p.To.IsValid() {
		d.To = p.To.String()
	}
	d.Family = 4
	if sc.familyOf(&p) == wire.IPv6 {
		d.Family = 6
	}
	switch p.Kind {
	case probe.EventSend, probe.EventLoss:
		// The request as sent, ICMP header on: an imported request carries its IP header.
		d.RequestHex = hex.EncodeToString(history.ICMPMessage(&p))
		d.TTL = -1
	default:
		d.ReplyHex = hex.EncodeToString(p.Bytes)
		d.ReplyIncludesIPHeader = p.IncludesIPHeader
		d.ReceivedAt, d.ReceivedClock = rfc3339Nano(p.Time.Time), string(p.Time.Clock)
	}
	if p.RTT > 0 {
		v := ms(p.RTT)
		d.RTTMs = &v
	}
	// Linux datagram sockets put the socket's port where our identifier was.
	d.IdentifierRewritten = sc.socket == probe.SocketDatagram.String() && runtime.GOOS == "linux"
	return d
}

// lookAheadRows bounds how far after a request its answers are searched: as lookBackRows,
// the rows a 10 s timeout (and late replies after it) spans at 1000 requests per second.
const lookAheadRows = lookBackRows

// answersTo lists the rows that answered the request of a send or loss row, and the address
// the first answer went to (the request's source).
func answersTo(ctx context.Context, store *history.Store, id int64, p history.Packet) ([]AnswerRef, netip.Addr, error) {
	rows, err := store.AnswersTo(ctx, id, p.Index, p.N, lookAheadRows)
	if err != nil {
		return nil, netip.Addr{}, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	var source netip.Addr
	if len(rows) > 0 {
		source = rows[0].To
	}
	out := make([]AnswerRef, 0, len(rows))
	for _, a := range rows {
		ref := AnswerRef{Row: a.N, Kind: string(a.Kind), Class: string(a.Class)}
		if a.RTT > 0 {
			v := ms(a.RTT)
			ref.RTTMs = &v
		}
		out = append(out, ref)
	}
	return out, source, nil
}

// relatedRows searches backwards from a received row for its request's send row and, for
// duplicates and out-of-order replies, the rows that answered first.
func (s *PingService) relatedRows(store *history.Store, id int64, p history.Packet) (*history.Packet, []int64, error) {
	before := []int64{}
	wantBefore := p.Class == probe.ClassDuplicate || p.Class == probe.ClassOutOfOrder
	end := p.N
	for end > 0 && p.N-end < lookBackRows {
		start := max(0, end-lookBackPage)
		page, err := store.Packets(s.ctx, id, start, end-start)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %w", ErrHistory, err)
		}
		for i := len(page) - 1; i >= 0; i-- {
			q := &page[i]
			if q.Kind == probe.EventSend && q.Index == p.Index {
				return q, before, nil
			}
			if !wantBefore || q.Kind != probe.EventReply || len(before) >= 8 {
				continue
			}
			dupOf := p.Class == probe.ClassDuplicate && q.Index == p.Index
			earlierLater := p.Class == probe.ClassOutOfOrder && q.Index > p.Index
			if dupOf || earlierLater {
				before = append(before, q.N)
			}
		}
		end = start
	}
	return nil, before, nil
}
