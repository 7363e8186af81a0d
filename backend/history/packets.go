package history

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"echoscope/backend/probe"
)

const insertPacketSQL = `INSERT INTO packets(session_id, n, kind, req_index, time_ns, clock,
	sent_ns, sent_clock, seq, ident, bytes, includes_ip, class, rule, note, rtt_ns,
	rtt_clocks, ttl, src, dst, icmp_type, icmp_code, size, row_group)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// insertPacket runs the prepared insertPacketSQL for p (p.SessionID and p.N set).
func insertPacket(ctx context.Context, stmt *sql.Stmt, p *Packet) error {
	_, err := stmt.ExecContext(ctx, appendPacketArgs(make([]any, 0, packetColumnCount), p)...)
	return err
}

// appendPacketArgs appends p's values in insertPacketSQL's order.
func appendPacketArgs(args []any, p *Packet) []any {
	// Every value is already a driver.Value (int64, not int): database/sql then passes it
	// on as it is instead of converting it by reflection (an import binds millions).
	return append(args, p.SessionID, p.N, string(p.Kind), int64(p.Index),
		nanos(p.Time.Time), string(p.Time.Clock), nanos(p.Sent.Time), string(p.Sent.Clock),
		int64(p.Seq), int64(p.ID), p.Bytes, p.IncludesIPHeader, string(p.Class), string(p.Rule),
		p.Note, int64(p.RTT), p.RTTClocks, int64(p.TTL), addrText(p.From), addrText(p.To),
		int64(p.ICMPType), int64(p.ICMPCode), int64(p.Size), int64(groupOf(p.Kind, p.Class)))
}

// packetColumnCount is the number of values insertPacketSQL takes.
const packetColumnCount = 24

// insertRowsPerStatement rows per insertPacketsSQL (24 values each, far below SQLite's
// 32766 host parameters).
const insertRowsPerStatement = 64

// insertPacketsSQL is insertPacketSQL for insertRowsPerStatement rows at once.
var insertPacketsSQL = insertRowsSQL(insertPacketSQL, insertRowsPerStatement)

// insertRowsSQL repeats the VALUES tuple of a one-row insert n times.
func insertRowsSQL(oneRow string, n int) string {
	one := oneRow[strings.Index(oneRow, "VALUES")+len("VALUES"):]
	return oneRow + strings.Repeat(","+one, n-1)
}

// packetColumns are what scanPacket reads: every column, and whether the row is lean (its
// header columns derived from its bytes, lean_rows.go).
const packetColumns = `session_id, n, kind, req_index, time_ns, clock, sent_ns, sent_clock,
	seq, ident, bytes, includes_ip, class, rule, note, rtt_ns, rtt_clocks, ttl, src, dst,
	icmp_type, icmp_code, size, derived`

func scanPacket(rows *sql.Rows) (Packet, error) {
	var p Packet
	var kind, clock, sentClock, class, rule, src, dst string
	var index, timeNs, sentNs, rtt int64
	var seq, ident int
	var derived bool
	err := rows.Scan(&p.SessionID, &p.N, &kind, &index, &timeNs, &clock, &sentNs, &sentClock,
		&seq, &ident, &p.Bytes, &p.IncludesIPHeader, &class, &rule, &p.Note, &rtt,
		&p.RTTClocks, &p.TTL, &src, &dst, &p.ICMPType, &p.ICMPCode, &p.Size, &derived)
	p.Kind, p.Index = probe.EventKind(kind), uint64(index)
	p.Time = probe.Timestamp{Time: fromNanos(timeNs), Clock: probe.ClockSource(clock)}
	p.Sent = probe.Timestamp{Time: fromNanos(sentNs), Clock: probe.ClockSource(sentClock)}
	p.Seq, p.ID = uint16(seq), uint16(ident)
	p.Class, p.Rule, p.RTT = probe.Class(class), probe.MatchRule(rule), time.Duration(rtt)
	p.From, p.To = parseAddr(src), parseAddr(dst)
	if derived && err == nil {
		deriveLean(&p)
	}
	return p, err
}

func (s *Store) queryPackets(ctx context.Context, q string, args ...any) ([]Packet, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []Packet
	for rows.Next() {
		p, err := scanPacket(rows)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, p)
	}
	return out, classify(rows.Err())
}

// Packets returns up to limit rows of a session starting at position offset (0-based), in
// order. Positions are stored, so any page costs one index seek, even a million rows in.
func (s *Store) Packets(ctx context.Context, session int64, offset, limit int64) ([]Packet, error) {
	if limit <= 0 || offset < 0 {
		return nil, nil
	}
	blocks, err := s.isBlockSession(ctx, session)
	if err != nil {
		return nil, err
	}
	var out []Packet
	if blocks {
		out, err = s.blockPackets(ctx, session, offset, limit)
	} else {
		out, err = s.queryPackets(ctx, "SELECT "+packetColumns+
			" FROM packets WHERE session_id = ? AND n >= ? ORDER BY n LIMIT ?", session, offset, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("packets of session %d at %d: %w", session, offset, err)
	}
	return out, nil
}

// PacketsAfter is keyset paging: up to limit rows whose position is greater than after
// (pass -1 for the first page, then the last row's N).
func (s *Store) PacketsAfter(ctx context.Context, session int64, after int64, limit int64) ([]Packet, error) {
	return s.Packets(ctx, session, after+1, limit)
}

// CountPackets is the number of rows stored for a session.
func (s *Store) CountPackets(ctx context.Context, session int64) (int64, error) {
	var n int64
	// Positions are dense from 0, so the count is the top position + 1: an index lookup in
	// whichever table holds the session's rows (the other gives 0).
	err := s.db.QueryRowContext(ctx, "SELECT max("+rowsOfSessionSQL("?")+")", session, session).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count packets of session %d: %w", session, classify(err))
	}
	return n, nil
}

// rowsOfSessionSQL is two SQL values, the positions a session's rows span in packets and
// in packet_blocks (one of them 0), for the session given by the SQL expression session
// (a parameter, or a column of an outer query): two index seeks.
func rowsOfSessionSQL(session string) string {
	return "coalesce((SELECT max(n) + 1 FROM packets p WHERE p.session_id = " + session + "), 0), " +
		"coalesce((SELECT first_n + count FROM packet_blocks b WHERE b.session_id = " + session +
		" ORDER BY first_n DESC LIMIT 1), 0)"
}

// StoredPackets is the number of rows a session really holds: CountPackets less the
// positions whose rows the store refused (disk full mid-session), which stay numbered. It
// counts the session's index entries, so it costs a walk over them (a fraction of a second
// for a million rows); CountPackets is one lookup.
func (s *Store) StoredPackets(ctx context.Context, session int64) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM packets WHERE session_id = ?) +
		(SELECT coalesce(sum(count), 0) FROM packet_blocks WHERE session_id = ?)`, session, session).Scan(&n); err != nil {
		return 0, fmt.Errorf("count stored packets of session %d: %w", session, classify(err))
	}
	return n, nil
}

// AppendPackets stores rows for a session in one transaction, numbering them after the
// rows already there. Used by import and tools; live sessions go through a Writer.
func (s *Store) AppendPackets(ctx context.Context, session int64, pkts []Packet) error {
	// A session is stored one way (blocks.go): rows appended to an imported session's blocks
	// would be read by no reader.
	if blocks, err := s.isBlockSession(ctx, session); err != nil {
		return err
	} else if blocks {
		return fmt.Errorf("append packets: session %d is an import, stored as blocks: it takes no more rows", session)
	}
	next, err := s.CountPackets(ctx, session)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("append packets: %w", classify(err))
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	// Rows go in insertRowsPerStatement at a time: one statement per row spends most of
	// its time in database/sql and the driver rather than in SQLite (an import stores
	// millions).
	var many, one *sql.Stmt
	args := make([]any, 0, insertRowsPerStatement*packetColumnCount)
	for i := 0; i < len(pkts); {
		n := 1
		stmt := &one
		sqlText := insertPacketSQL
		if len(pkts)-i >= insertRowsPerStatement {
			n, stmt, sqlText = insertRowsPerStatement, &many, insertPacketsSQL
		}
		if *stmt == nil {
			if *stmt, err = tx.PrepareContext(ctx, sqlText); err != nil {
				return fmt.Errorf("append packets: %w", classify(err))
			}
			defer (*stmt).Close()
		}
		args = args[:0]
		for k := i; k < i+n; k++ {
			p := pkts[k]
			p.SessionID, p.N = session, next+int64(k)
			args = appendPacketArgs(args, &p)
		}
		if _, err := (*stmt).ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("append packets: rows %d to %d: %w", i, i+n-1, classify(err))
		}
		i += n
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("append packets: %w", classify(err))
	}
	return nil
}
