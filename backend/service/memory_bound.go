package service

import (
	"fmt"
	"log/slog"
	"strings"
)

// DefaultMemoryRows is how many rows the in-memory fallback store keeps: a few hundred
// bytes each (bytes, notes, index), so about 100-200 MB at most, however long the run.
const DefaultMemoryRows = 500_000

// memoryTrimFraction: the bound is applied each time this fraction of it has been committed
// again, so the store overshoots it by at most that much between two trims, and a trim
// (one primary-key range delete) is paid once per many thousand rows, not per commit.
const memoryTrimFraction = 10

// memoryBound is the in-memory store's row budget; used only on its writer's goroutine.
type memoryBound struct {
	maxRows    int64
	lastTrim   uint64 // committed count at the last trim
	forgetting bool   // rows have been forgotten; the status says so
}

// forgettingNote ends the fallback status once the bound forgets rows, so the banner says
// that this run's older rows are going.
func forgettingNote(maxRows int64) string {
	return fmt.Sprintf("; only the newest %d rows are kept, older rows of this run are being forgotten", maxRows)
}

// boundMemory is the in-memory writer's OnCommit: every maxRows/memoryTrimFraction commits
// the oldest rows beyond maxRows are deleted, and the first time any are, the status (and
// the banner) says so.
func (s *PingService) boundMemory(h *storeHandle, b *memoryBound, committed uint64) {
	step := uint64(max(1, b.maxRows/memoryTrimFraction))
	if committed-b.lastTrim < step {
		return
	}
	b.lastTrim = committed
	forgot, err := h.store.ForgetOldestRows(s.ctx, b.maxRows)
	if err != nil {
		// Memory stays unbounded until the next try; pinging is not affected.
		slog.Warn("in-memory history: forgetting old rows failed", "err", err)
		return
	}
	if forgot == 0 {
		return
	}
	s.charts.clear() // an ended session's cached chart may show rows that are gone
	if b.forgetting {
		return
	}
	b.forgetting = true
	s.storage.mu.Lock()
	defer s.storage.mu.Unlock()
	if s.storage.current != h {
		return
	}
	st := s.storage.status
	if !strings.HasSuffix(st.Error, forgettingNote(b.maxRows)) {
		st.Error += forgettingNote(b.maxRows)
		s.setStatusLocked(st)
	}
}
