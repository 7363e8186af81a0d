package history

import (
	"context"
	"fmt"
	"io"
)

// ExportPcapng writes a stored session as pcapng (see WritePcapng).
func (s *Store) ExportPcapng(ctx context.Context, session int64, w io.Writer) (PcapngResult, error) {
	if _, err := s.Session(ctx, session); err != nil {
		return PcapngResult{}, fmt.Errorf("export: %w", err)
	}
	return WritePcapng(w, s.AllPackets(ctx, session))
}

// ExportCSV writes a stored session's packet table as CSV (see WriteCSV).
func (s *Store) ExportCSV(ctx context.Context, session int64, w io.Writer) (int, error) {
	if _, err := s.Session(ctx, session); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	return WriteCSV(w, s.AllPackets(ctx, session))
}

// ExportJSON writes a stored session with its statistics and rows as JSON (see WriteJSON).
func (s *Store) ExportJSON(ctx context.Context, session int64, w io.Writer) (int, error) {
	ss, err := s.Session(ctx, session)
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	return WriteJSON(w, ss, s.AllPackets(ctx, session))
}
