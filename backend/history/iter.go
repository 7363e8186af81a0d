package history

import (
	"context"
	"iter"

	"echoscope/backend/export"
)

// exportPage is how many rows an export reads per query.
const exportPage = 4096

// AllPackets iterates over a session's rows in order, a page at a time, so exports of
// huge sessions run in constant memory. Ranging again queries again.
func (s *Store) AllPackets(ctx context.Context, session int64) iter.Seq2[Packet, error] {
	return func(yield func(Packet, error) bool) {
		var next int64
		for {
			page, err := s.Packets(ctx, session, next, exportPage)
			if err != nil {
				yield(Packet{}, err)
				return
			}
			for _, p := range page {
				if !yield(p, nil) {
					return
				}
			}
			if len(page) < exportPage {
				return
			}
			next = page[len(page)-1].N + 1
		}
	}
}

// PacketSlice adapts rows in memory (an import not yet stored, a test) to the exporters.
func PacketSlice(pkts []Packet) iter.Seq2[Packet, error] { return export.PacketSlice(pkts) }
