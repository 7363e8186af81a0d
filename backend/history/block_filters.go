package history

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The packet table's filters for a session stored as blocks (blocks.go). A block holds the
// count of its rows in each filter group (g1 to g5, beside its position in the index
// packet_blocks_groups), so a filter's count, and the block that holds its rank-th row, are
// read from the index alone: one entry per blockRows rows, where a packets session walks
// an entry per row (with remembered ranks, filter_ranks.go). Only the block where a page
// starts or a rank is counted to is decoded for its rows' groups.

// blockGroupSum is the SQL sum of a block's rows in groups ("g2 + g3").
func blockGroupSum(groups []rowGroup) string {
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = "g" + strconv.Itoa(int(g))
	}
	return strings.Join(parts, " + ")
}

// blockFilterRows returns up to limit rows of a block session in groups from the rank-th
// such row on, in order.
func (s *Store) blockFilterRows(ctx context.Context, session int64, groups []rowGroup, rank, limit int64) ([]Packet, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT first_n, "+blockGroupSum(groups)+
		" FROM packet_blocks WHERE session_id = ? ORDER BY first_n", session)
	if err != nil {
		return nil, classify(err)
	}
	start, before := int64(-1), int64(0) // the block holding the rank-th row; the rows in groups before it
	for rows.Next() {
		var first, in int64
		if err := rows.Scan(&first, &in); err != nil {
			rows.Close()
			return nil, classify(err)
		}
		if before+in > rank {
			start = first
			break
		}
		before += in
	}
	rows.Close()
	if err := rows.Err(); err != nil || start < 0 {
		return nil, classify(err)
	}
	return s.blockRowsFrom(ctx, session, groups, start, rank-before, limit)
}

// blockRowsFrom returns up to limit rows of a block session in groups at or after position
// from, the first skip of them left out, in order.
func (s *Store) blockRowsFrom(ctx context.Context, session int64, groups []rowGroup, from, skip, limit int64) ([]Packet, error) {
	var out []Packet
	err := s.eachBlockRow(ctx, session, from, -1, func(p *Packet) bool {
		if !slices.Contains(groups, groupOf(p.Kind, p.Class)) {
			return true
		}
		if skip > 0 {
			skip--
			return true
		}
		out = append(out, *p)
		return int64(len(out)) < limit
	})
	return out, err
}

// blockOursPosition is oursPosition for a block session: rank plus the foreign rows at or
// before the candidate, read from the blocks that hold any (few: see oursComplementMax).
func (s *Store) blockOursPosition(ctx context.Context, session, rank int64) (int64, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT first_n, count FROM packet_blocks WHERE session_id = ? AND g5 > 0 ORDER BY first_n", session)
	if err != nil {
		return 0, classify(err)
	}
	var blocks [][2]int64 // first position, rows
	for rows.Next() {
		var first, count int64
		if err := rows.Scan(&first, &count); err != nil {
			rows.Close()
			return 0, classify(err)
		}
		blocks = append(blocks, [2]int64{first, count})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, classify(err)
	}
	pos := rank
	for _, block := range blocks {
		if block[0] > pos {
			break
		}
		past := false
		// This block's rows only: after the row budget dropped a block's first rows, the
		// next block starts less than blockRows after it.
		err := s.eachBlockRow(ctx, session, block[0], block[0]+block[1], func(p *Packet) bool {
			if groupOf(p.Kind, p.Class) != groupForeign {
				return true
			}
			if p.N > pos {
				past = true
				return false
			}
			pos++ // a foreign row at or before the candidate pushes it one further
			return true
		})
		if err != nil || past {
			return pos, err
		}
	}
	return pos, nil
}

// blockCountBefore counts a block session's rows in groups before position before (every
// row when before < 0): the whole blocks before it from the index, then the block holding
// it row by row.
func (s *Store) blockCountBefore(ctx context.Context, session int64, groups []rowGroup, before int64) (int64, error) {
	q := "SELECT coalesce(sum(" + blockGroupSum(groups) + "), 0), coalesce(max(first_n + count), 0) FROM packet_blocks WHERE session_id = ?"
	args := []any{session}
	if before >= 0 {
		q += " AND first_n < ? AND first_n + count <= ?"
		args = append(args, before, before)
	}
	var n, end int64
	if err := s.db.QueryRowContext(ctx, q, args...).Scan(&n, &end); err != nil {
		return 0, classify(err)
	}
	if before < 0 || end >= before {
		return n, nil
	}
	err := s.eachBlockRow(ctx, session, end, before, func(p *Packet) bool {
		if slices.Contains(groups, groupOf(p.Kind, p.Class)) {
			n++
		}
		return true
	})
	return n, err
}

// blockRowGroup is the filter group of a block session's row at position n.
func (s *Store) blockRowGroup(ctx context.Context, session, n int64) (rowGroup, error) {
	group := rowGroup(0)
	err := s.eachBlockRow(ctx, session, n, n+1, func(p *Packet) bool {
		group = groupOf(p.Kind, p.Class)
		return false
	})
	if err == nil && group == 0 {
		err = fmt.Errorf("no row %d in session %d", n, session)
	}
	return group, err
}
