package service

import (
	"fmt"

	"echoscope/backend/history"
)

// FilteredRows returns up to limit rows of a session that pass filter ("all", "ours",
// "requests", "replies", "problems", "foreign"; see history.RowFilter), starting at the
// offset-th such row, with the filter's, the session's and the foreign row counts. The
// store pages and counts through the filter's own index, so a filtered page of a million-row
// session costs what the filter's rows cost. A running session's pending rows are committed
// first, as in Rows. A negative offset asks for the filter's last limit rows (the table
// following a running session); the page's Offset says where they start.
func (s *PingService) FilteredRows(sessionID, filter string, offset, limit int) (FilteredRowPage, error) {
	f, err := history.ParseRowFilter(filter)
	if err != nil {
		return FilteredRowPage{}, invalidRequest("rows: %v", err)
	}
	if limit < 0 {
		return FilteredRowPage{}, invalidRequest("rows: offset %d, limit %d", offset, limit)
	}
	id, store, live, err := s.storeFor(sessionID)
	if err != nil {
		return FilteredRowPage{}, err
	}
	sc, err := s.sessionContext(s.ctx, store, id, live)
	if err != nil {
		return FilteredRowPage{}, err
	}
	limit = min(limit, MaxPageRows)
	if err := flushLive(s.ctx, sc.live); err != nil {
		return FilteredRowPage{}, err
	}
	page := FilteredRowPage{SessionID: sessionID, Filter: string(f), Offset: int64(offset)}
	if page.SessionRows, err = store.CountPackets(s.ctx, id); err != nil {
		return FilteredRowPage{}, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	if page.ForeignRows, err = store.CountFiltered(s.ctx, id, history.FilterForeign); err != nil {
		return FilteredRowPage{}, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	switch f {
	case history.FilterAll:
		page.FilterRows = page.SessionRows
	case history.FilterForeign:
		page.FilterRows = page.ForeignRows
	default:
		if page.FilterRows, err = store.CountFiltered(s.ctx, id, f); err != nil {
			return FilteredRowPage{}, fmt.Errorf("%w: %w", ErrHistory, err)
		}
	}
	if offset < 0 {
		page.Offset = max(0, page.FilterRows-int64(limit))
	}
	pkts, err := store.FilteredPackets(s.ctx, id, f, page.Offset, int64(limit))
	if err != nil {
		return FilteredRowPage{}, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	page.Rows = make([]Row, 0, len(pkts))
	for _, p := range pkts {
		page.Rows = append(page.Rows, rowFromPacket(p, sc.familyOf(&p)))
	}
	return page, nil
}

// RowRank says where row n of a session stands in filter: Rank is the number of the
// filter's rows before it, so a row that passes is at Rank in the filtered table and one
// that does not would sit just before Rank. The table uses it to scroll to a row selected
// elsewhere (the chart, the inspector's links) without loading the rows before it.
func (s *PingService) RowRank(sessionID, filter string, n int) (RowRank, error) {
	f, err := history.ParseRowFilter(filter)
	if err != nil {
		return RowRank{}, invalidRequest("row rank: %v", err)
	}
	if n < 0 {
		return RowRank{}, invalidRequest("row rank: row %d", n)
	}
	id, store, live, err := s.storeFor(sessionID)
	if err != nil {
		return RowRank{}, err
	}
	if err := flushLive(s.ctx, live); err != nil {
		return RowRank{}, err
	}
	rank, passes, err := store.FilterRank(s.ctx, id, f, int64(n))
	if err != nil {
		return RowRank{}, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	return RowRank{SessionID: sessionID, Filter: string(f), Row: int64(n), Rank: rank, Passes: passes}, nil
}
