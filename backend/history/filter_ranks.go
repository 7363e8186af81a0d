package history

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// rankStride is how many of a filter's rows lie between two remembered positions: a page
// or a rank then walks at most this many index entries past the nearest one.
const rankStride = 1024

// rankCacheSize is how many (session, filter) checkpoint lists a store keeps: a few
// sessions' filters, a few kilobytes each for a million rows.
const rankCacheSize = 24

// rankIndex remembers, for one filter of one session, the position of every rankStride-th
// of its rows, so that a page at any rank starts from the nearest one instead of walking
// the filter's index from its first row (OFFSET costs every entry it skips: 100-180 ms in
// the middle of a million-row session's requests or replies). Built lazily by the first
// filtered read and extended by later ones: rows are only ever appended to a session, at
// higher positions, and a stored row's class never changes, so what was walked stays true
// (until the session is deleted or its oldest rows are forgotten, which drop the cache).
type rankIndex struct {
	mu    sync.Mutex
	every []int64 // every[k]: the position of the filter's (k*rankStride)-th row
	count int64   // the filter's rows walked so far
	last  int64   // the position of the last row walked; -1 before any
}

type rankKey struct {
	session int64
	filter  RowFilter
}

// rankCache is a store's rankIndexes, the oldest dropped beyond rankCacheSize.
type rankCache struct {
	mu    sync.Mutex
	m     map[rankKey]*rankIndex
	order []rankKey
}

func (c *rankCache) get(k rankKey) *rankIndex {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ri, ok := c.m[k]; ok {
		return ri
	}
	if c.m == nil {
		c.m = map[rankKey]*rankIndex{}
	}
	if len(c.order) >= rankCacheSize {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	ri := &rankIndex{last: -1}
	c.m[k] = ri
	c.order = append(c.order, k)
	return ri
}

// forget drops one session's lists (it was deleted: its id may be used again), or every
// list when session < 0 (rows were forgotten).
func (c *rankCache) forget(session int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	kept := c.order[:0]
	for _, k := range c.order {
		if session < 0 || k.session == session {
			delete(c.m, k)
		} else {
			kept = append(kept, k)
		}
	}
	c.order = kept
}

// unionSQL selects the positions of a session's rows in groups after position after, in
// order: one range of packets_by_group per group, merged by SQLite (a compound SELECT whose
// arms come in position order needs no sort). Parameters: the session and after, per group.
func unionSQL(groups []rowGroup) string {
	arms := make([]string, len(groups))
	for i, g := range groups {
		arms[i] = "SELECT n FROM packets WHERE session_id = ? AND row_group = " + strconv.Itoa(int(g)) + " AND n > ?"
	}
	return strings.Join(arms, " UNION ALL ") + " ORDER BY n"
}

func unionArgs(groups []rowGroup, session, after int64, extra ...any) []any {
	args := make([]any, 0, 2*len(groups)+len(extra))
	for range groups {
		args = append(args, session, after)
	}
	return append(args, extra...)
}

// ranksFor returns the filter's rankIndex for a session, first walking the rows stored
// since it was last extended. The caller holds ri.mu until done with it.
func (s *Store) ranksFor(ctx context.Context, session int64, filter RowFilter, groups []rowGroup) (*rankIndex, error) {
	ri := s.ranks.get(rankKey{session, filter})
	ri.mu.Lock()
	rows, err := s.db.QueryContext(ctx, unionSQL(groups), unionArgs(groups, session, ri.last)...)
	if err != nil {
		ri.mu.Unlock()
		return nil, classify(err)
	}
	defer rows.Close()
	count, last := ri.count, ri.last
	every := ri.every
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			ri.mu.Unlock()
			return nil, classify(err)
		}
		if count%rankStride == 0 {
			every = append(every, n)
		}
		count++
		last = n
	}
	if err := rows.Err(); err != nil {
		ri.mu.Unlock()
		return nil, classify(err)
	}
	// Only a complete walk is kept: an error above leaves the list as it was.
	ri.every, ri.count, ri.last = every, count, last
	return ri, nil
}

// pagePositions is up to limit positions of the filter's rows from the rank-th on, walking
// from the nearest remembered position (ri.mu held).
func (s *Store) pagePositions(ctx context.Context, session int64, groups []rowGroup, ri *rankIndex, rank, limit int64) ([]int64, error) {
	if rank >= ri.count {
		return nil, nil
	}
	k := rank / rankStride
	from := ri.every[k] - 1 // "n > from": the checkpoint's row itself is the first
	rows, err := s.db.QueryContext(ctx, unionSQL(groups)+" LIMIT ? OFFSET ?",
		unionArgs(groups, session, from, limit, rank-k*rankStride)...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			return nil, classify(err)
		}
		out = append(out, n)
	}
	return out, classify(rows.Err())
}

// rankBefore is how many of the filter's rows lie before position n (ri.mu held): the
// nearest remembered position at or before n, then the rows between.
func (s *Store) rankBefore(ctx context.Context, session int64, groups []rowGroup, ri *rankIndex, n int64) (int64, error) {
	k := sort.Search(len(ri.every), func(i int) bool { return ri.every[i] >= n }) - 1
	if k < 0 {
		return 0, nil // at or before the filter's first row
	}
	q := "SELECT count(*) FROM packets WHERE session_id = ? AND row_group IN (" + groupList(groups) + ") AND n >= ? AND n < ?"
	var between int64
	if err := s.db.QueryRowContext(ctx, q, session, ri.every[k], n).Scan(&between); err != nil {
		return 0, classify(err)
	}
	return int64(k)*rankStride + between, nil
}
