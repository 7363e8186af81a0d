package history

import (
	"context"
	"fmt"
)

// RowFilter selects which rows of a session the packet table lists.
type RowFilter string

const (
	// FilterAll is every row, foreign ones included.
	FilterAll RowFilter = "all"
	// FilterOurs is every row but another program's ICMP: the table's default view.
	FilterOurs RowFilter = "ours"
	// FilterRequests is the requests sent.
	FilterRequests RowFilter = "requests"
	// FilterReplies is the echo replies to our requests, whatever their class.
	FilterReplies RowFilter = "replies"
	// FilterProblems is losses, late, duplicate, out-of-order and corrupt replies, and the
	// ICMP errors our requests caused.
	FilterProblems RowFilter = "problems"
	// FilterForeign is another program's ICMP.
	FilterForeign RowFilter = "foreign"
)

// rowFilters is each filter's WHERE term. The text must equal the partial index's
// predicate (migration v4), which is how SQLite knows the index covers the query.
var rowFilters = map[RowFilter]string{
	FilterOurs:     "class <> 'foreign'",
	FilterRequests: "kind = 'send'",
	FilterReplies:  "kind = 'reply' AND class <> 'foreign'",
	FilterProblems: "kind = 'loss' OR class IN ('late', 'duplicate', 'out-of-order', 'corrupt', 'icmp-error')",
	FilterForeign:  "class = 'foreign'",
}

// ParseRowFilter checks a filter's name; the empty name is FilterAll.
func ParseRowFilter(name string) (RowFilter, error) {
	f := RowFilter(name)
	if f == "" || f == FilterAll {
		return FilterAll, nil
	}
	if _, ok := rowFilters[f]; !ok {
		return "", fmt.Errorf("unknown row filter %q (want all, ours, requests, replies, problems or foreign)", name)
	}
	return f, nil
}

// FilteredPackets returns up to limit rows of a session that pass filter, starting at the
// rank-th such row (0-based). Each row keeps its real position in N. The page walks only
// the filter's own index: the rows skipped are index entries of that filter, never the
// rows it hides.
func (s *Store) FilteredPackets(ctx context.Context, session int64, filter RowFilter, rank, limit int64) ([]Packet, error) {
	where, ok := rowFilters[filter]
	if !ok {
		return s.Packets(ctx, session, rank, limit)
	}
	if limit <= 0 || rank < 0 {
		return nil, nil
	}
	// The positions come from the partial index alone (a covering scan); only the page's
	// rows are then read from the table.
	out, err := s.queryPackets(ctx, "SELECT "+packetColumns+" FROM packets WHERE session_id = ? AND n IN ("+
		"SELECT n FROM packets WHERE session_id = ? AND ("+where+") ORDER BY n LIMIT ? OFFSET ?) ORDER BY n",
		session, session, limit, rank)
	if err != nil {
		return nil, fmt.Errorf("%s packets of session %d at %d: %w", filter, session, rank, err)
	}
	return out, nil
}

// CountFiltered is the number of a session's rows that pass filter.
func (s *Store) CountFiltered(ctx context.Context, session int64, filter RowFilter) (int64, error) {
	where, ok := rowFilters[filter]
	if !ok {
		return s.CountPackets(ctx, session)
	}
	var n int64
	err := s.db.QueryRowContext(ctx,
		"SELECT count(*) FROM packets WHERE session_id = ? AND ("+where+")", session).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count %s packets of session %d: %w", filter, session, classify(err))
	}
	return n, nil
}
