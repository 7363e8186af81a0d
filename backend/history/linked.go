package history

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"echoscope/backend/probe"
)

// AnswerRow is a row that answered a request: its position, what it is, and its RTT.
type AnswerRow struct {
	N     int64
	Kind  probe.EventKind
	Class probe.Class
	RTT   time.Duration
	// To is where the answer was sent: the request's source address as the kernel chose it.
	To netip.Addr
}

// MaxAnswerRows bounds the answers AnswersTo returns: a request answered more often than
// this is a duplicate storm, and the first answers say what happened.
const MaxAnswerRows = 16

// AnswersTo returns the rows that answered request index (replies of every class,
// duplicates and late ones included, and ICMP errors quoting it), in order. Answers always
// come after the request's rows, so the search runs over positions (after, after+window]:
// one range of the (session_id, n) index however long the session is.
func (s *Store) AnswersTo(ctx context.Context, session int64, index uint64, after, window int64) ([]AnswerRow, error) {
	if blocks, err := s.isBlockSession(ctx, session); err != nil {
		return nil, err
	} else if blocks {
		out := []AnswerRow{}
		err := s.eachBlockRow(ctx, session, after+1, after+window+1, func(p *Packet) bool {
			if p.Index == index && (p.Kind == probe.EventReply || p.Kind == probe.EventICMPError) {
				out = append(out, AnswerRow{N: p.N, Kind: p.Kind, Class: p.Class, RTT: p.RTT, To: p.To})
			}
			return len(out) < MaxAnswerRows
		})
		if err != nil {
			return nil, fmt.Errorf("answers to request %d of session %d: %w", index, session, err)
		}
		return out, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT n, kind, class, rtt_ns, dst, CASE WHEN derived THEN bytes END FROM packets
		WHERE session_id = ? AND n > ? AND n <= ? AND req_index = ? AND kind IN (?, ?)
		ORDER BY n LIMIT ?`,
		session, after, after+window, int64(index), string(probe.EventReply), string(probe.EventICMPError), MaxAnswerRows)
	if err != nil {
		return nil, fmt.Errorf("answers to request %d of session %d: %w", index, session, classify(err))
	}
	defer rows.Close()
	out := []AnswerRow{}
	for rows.Next() {
		var a AnswerRow
		var kind, class, dst string
		var rtt int64
		var lean []byte // a lean row's bytes, which hold its destination (lean_rows.go)
		if err := rows.Scan(&a.N, &kind, &class, &rtt, &dst, &lean); err != nil {
			return nil, fmt.Errorf("answers to request %d: %w", index, classify(err))
		}
		a.Kind, a.Class, a.RTT, a.To = probe.EventKind(kind), probe.Class(class), time.Duration(rtt), parseAddr(dst)
		if lean != nil {
			a.To = leanHeader(lean).To
		}
		out = append(out, a)
	}
	return out, classify(rows.Err())
}
