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
// first, as in Rows.
func (s *PingService) FilteredRows(sessionID, filter string, offset, limit int) (FilteredRowPage, error) {
	f, err := history.ParseRowFilter(filter)
	if err != nil {
		return FilteredRowPage{}, invalidRequest("rows: %v", err)
	}
	if offset < 0 || limit < 0 {
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
	pkts, err := store.FilteredPackets(s.ctx, id, f, int64(offset), int64(limit))
	if err != nil {
		return FilteredRowPage{}, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	page.Rows = make([]Row, 0, len(pkts))
	for _, p := range pkts {
		page.Rows = append(page.Rows, rowFromPacket(p, sc.familyOf(&p)))
	}
	return page, nil
}
