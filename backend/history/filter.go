package history

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"echoscope/backend/probe"
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

// rowGroup is a row's filter group, the packets.row_group column (groupOf; migration v5's
// CASE gives the rows stored before it the same numbers).
type rowGroup int

const (
	groupRequest      rowGroup = 1 // kind send
	groupReply        rowGroup = 2 // a reply on time (or unclassified)
	groupProblemReply rowGroup = 3 // a late, duplicate, out-of-order or corrupt reply
	groupProblem      rowGroup = 4 // a loss, or an ICMP error our request caused
	groupForeign      rowGroup = 5 // another program's ICMP, whatever its kind
)

// groupOf is the filter group of a row of kind and class: another program's ICMP first,
// whatever its kind.
func groupOf(kind probe.EventKind, class probe.Class) rowGroup {
	switch {
	case class == probe.ClassForeign:
		return groupForeign
	case kind == probe.EventSend:
		return groupRequest
	case kind == probe.EventReply:
		switch class {
		case probe.ClassLate, probe.ClassDuplicate, probe.ClassOutOfOrder, probe.ClassCorrupt:
			return groupProblemReply
		}
		return groupReply
	}
	return groupProblem
}

// filterGroups is each filter's groups. FilterOurs is every group but groupForeign and is
// paged as the complement of the foreign rows (see FilteredPackets); FilterAll is positional.
var filterGroups = map[RowFilter][]rowGroup{
	FilterRequests: {groupRequest},
	FilterReplies:  {groupReply, groupProblemReply},
	FilterProblems: {groupProblemReply, groupProblem},
	FilterForeign:  {groupForeign},
}

// oursGroups is FilterOurs as groups, paged like the other filters when a session has
// more than oursComplementMax foreign rows; with fewer (the usual case: none or a few), it
// is paged as the complement of the foreign rows, which needs no walk of its own.
var oursGroups = []rowGroup{groupRequest, groupReply, groupProblemReply, groupProblem}

const oursComplementMax = 4 * rankStride

// ParseRowFilter checks a filter's name; the empty name is FilterAll.
func ParseRowFilter(name string) (RowFilter, error) {
	f := RowFilter(name)
	switch {
	case f == "" || f == FilterAll:
		return FilterAll, nil
	case f == FilterOurs:
		return f, nil
	}
	if _, ok := filterGroups[f]; !ok {
		return "", fmt.Errorf("unknown row filter %q (want all, ours, requests, replies, problems or foreign)", name)
	}
	return f, nil
}

// groupList is groups as SQL text ("2, 3"): constants, never input.
func groupList(groups []rowGroup) string {
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = strconv.Itoa(int(g))
	}
	return strings.Join(parts, ", ")
}

// FilteredPackets returns up to limit rows of a session that pass filter, starting at the
// rank-th such row (0-based). Each row keeps its real position in N. FilterOurs counts
// positions, like CountPackets: a position whose row the store refused (StoredPackets less
// than CountPackets) counts as one of its rows, so such a session is best listed by position
// (the table does so); the other filters count only stored rows.
func (s *Store) FilteredPackets(ctx context.Context, session int64, filter RowFilter, rank, limit int64) ([]Packet, error) {
	if filter == FilterAll || filter == "" {
		return s.Packets(ctx, session, rank, limit)
	}
	if limit <= 0 || rank < 0 {
		return nil, nil
	}
	var out []Packet
	blocks, err := s.isBlockSession(ctx, session)
	if err != nil {
		return nil, err
	}
	if filter == FilterOurs {
		// Every row but the foreign ones: with few foreign rows, the rank-th is found by
		// walking the foreign positions before it, then the page is read in position order.
		// A session stored as blocks is read the same way (forgotten rows count as in packets).
		var foreign, start int64
		if foreign, err = s.CountFiltered(ctx, session, FilterForeign); err != nil {
			return nil, err
		}
		switch {
		case foreign > oursComplementMax && blocks:
			out, err = s.blockFilterRows(ctx, session, oursGroups, rank, limit)
		case foreign > oursComplementMax:
			out, err = s.filteredPage(ctx, session, filter, oursGroups, rank, limit)
		case blocks:
			if start, err = s.blockOursPosition(ctx, session, rank); err == nil {
				out, err = s.blockRowsFrom(ctx, session, oursGroups, start, 0, limit)
			}
		default:
			if start, err = s.oursPosition(ctx, session, rank); err == nil {
				out, err = s.queryPackets(ctx, "SELECT "+packetColumns+" FROM packets WHERE session_id = ? AND n >= ? AND row_group <> "+
					strconv.Itoa(int(groupForeign))+" ORDER BY n LIMIT ?", session, start, limit)
			}
		}
	} else {
		groups, ok := filterGroups[filter]
		switch {
		case !ok:
			return nil, fmt.Errorf("unknown row filter %q", filter)
		case blocks:
			out, err = s.blockFilterRows(ctx, session, groups, rank, limit)
		default:
			out, err = s.filteredPage(ctx, session, filter, groups, rank, limit)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s packets of session %d at %d: %w", filter, session, rank, err)
	}
	return out, nil
}

// filteredPage reads a page of a group filter: its positions from the index, walked from
// the nearest remembered rank (filter_ranks.go), then those rows from the table.
func (s *Store) filteredPage(ctx context.Context, session int64, filter RowFilter, groups []rowGroup, rank, limit int64) ([]Packet, error) {
	ri, err := s.ranksFor(ctx, session, filter, groups)
	if err != nil {
		return nil, err
	}
	positions, err := s.pagePositions(ctx, session, groups, ri, rank, limit)
	ri.mu.Unlock()
	if err != nil || len(positions) == 0 {
		return nil, err
	}
	args := make([]any, 0, len(positions)+1)
	args = append(args, session)
	for _, n := range positions {
		args = append(args, n)
	}
	return s.queryPackets(ctx, "SELECT "+packetColumns+" FROM packets WHERE session_id = ? AND n IN (?"+
		strings.Repeat(", ?", len(positions)-1)+") ORDER BY n", args...)
}

// oursPosition is the position of a session's rank-th row that is not foreign: rank plus
// the foreign rows before it.
func (s *Store) oursPosition(ctx context.Context, session, rank int64) (int64, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT n FROM packets WHERE session_id = ? AND row_group = "+
		strconv.Itoa(int(groupForeign))+" ORDER BY n", session)
	if err != nil {
		return 0, classify(err)
	}
	defer rows.Close()
	pos := rank
	for rows.Next() {
		var foreign int64
		if err := rows.Scan(&foreign); err != nil {
			return 0, classify(err)
		}
		if foreign > pos {
			break
		}
		pos++ // a foreign row at or before the candidate pushes it one further
	}
	return pos, classify(rows.Err())
}

// CountFiltered is the number of a session's rows that pass filter.
func (s *Store) CountFiltered(ctx context.Context, session int64, filter RowFilter) (int64, error) {
	return s.countBefore(ctx, session, filter, -1)
}

// countBefore counts a session's rows that pass filter and sit before position before
// (every row when before < 0), from the index alone.
func (s *Store) countBefore(ctx context.Context, session int64, filter RowFilter, before int64) (int64, error) {
	if filter == FilterAll || filter == "" || filter == FilterOurs {
		all := before
		if before < 0 {
			var err error
			if all, err = s.CountPackets(ctx, session); err != nil {
				return 0, err
			}
		}
		if filter == FilterOurs {
			foreign, err := s.countBefore(ctx, session, FilterForeign, before)
			return all - foreign, err
		}
		return all, nil
	}
	groups, ok := filterGroups[filter]
	if !ok {
		return 0, fmt.Errorf("unknown row filter %q", filter)
	}
	if blocks, err := s.isBlockSession(ctx, session); err != nil {
		return 0, err
	} else if blocks {
		n, err := s.blockCountBefore(ctx, session, groups, before)
		if err != nil {
			return 0, fmt.Errorf("count %s packets of session %d: %w", filter, session, err)
		}
		return n, nil
	}
	ri, err := s.ranksFor(ctx, session, filter, groups)
	if err != nil {
		return 0, fmt.Errorf("count %s packets of session %d: %w", filter, session, err)
	}
	defer ri.mu.Unlock()
	if before < 0 {
		return ri.count, nil
	}
	n, err := s.rankBefore(ctx, session, groups, ri, before)
	if err != nil {
		return 0, fmt.Errorf("count %s packets of session %d before %d: %w", filter, session, before, err)
	}
	return n, nil
}

// FilterRank says where the row at position n stands in filter: its rank (the number of
// the filter's rows before it) and whether it passes the filter. A row that does not pass
// has the rank of the first row after it, so the table can put the cursor beside it.
func (s *Store) FilterRank(ctx context.Context, session int64, filter RowFilter, n int64) (rank int64, passes bool, err error) {
	if n < 0 {
		return 0, false, fmt.Errorf("no row %d in session %d", n, session)
	}
	var group rowGroup
	blocks, err := s.isBlockSession(ctx, session)
	if err != nil {
		return 0, false, err
	}
	if blocks {
		if group, err = s.blockRowGroup(ctx, session, n); err != nil {
			return 0, false, err
		}
	} else {
		err = s.db.QueryRowContext(ctx, "SELECT row_group FROM packets WHERE session_id = ? AND n = ?", session, n).Scan(&group)
	}
	if err == sql.ErrNoRows {
		return 0, false, fmt.Errorf("no row %d in session %d", n, session)
	}
	if err != nil {
		return 0, false, fmt.Errorf("row %d of session %d: %w", n, session, classify(err))
	}
	if rank, err = s.countBefore(ctx, session, filter, n); err != nil {
		return 0, false, err
	}
	switch filter {
	case FilterAll, "":
		passes = true
	case FilterOurs:
		passes = group != groupForeign
	default:
		for _, g := range filterGroups[filter] {
			passes = passes || g == group
		}
	}
	return rank, passes, nil
}
