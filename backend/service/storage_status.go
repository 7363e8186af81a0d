package service

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"echoscope/backend/history"
)

// EventHistoryStatus carries a StorageStatus whenever it changes (the disk store failed, or
// the service fell back to memory).
const EventHistoryStatus EventName = "history:status"

// storeHandle is one opened history: the disk database, or the in-memory fallback. A
// running session keeps the handle it started on, whichever is current later.
type storeHandle struct {
	store    *history.Store
	writer   *history.Writer
	inMemory bool
	// failure is the first write failure's message, kept: rows went missing, and a
	// commit that succeeds later does not bring them back.
	failure atomic.Pointer[string]
}

// writeFailure is "" while every write succeeded.
func (h *storeHandle) writeFailure() string {
	if p := h.failure.Load(); p != nil {
		return *p
	}
	return ""
}

// storage is the service's history: opened on first use, replaced by an in-memory store
// when the disk cannot take it, with the status the page shows.
type storage struct {
	mu      sync.Mutex
	opened  bool
	current *storeHandle
	retired []*storeHandle // earlier handles: sessions may still write to them
	status  StorageStatus
	err     error
}

// history returns the current store, opening it on first use. When the disk
// store cannot be opened the in-memory fallback is returned, and the status says why.
func (s *PingService) history() (*history.Store, error) {
	h, err := s.storeHandle()
	if err != nil {
		return nil, err
	}
	return h.store, nil
}

func (s *PingService) storeHandle() (*storeHandle, error) {
	s.storage.mu.Lock()
	defer s.storage.mu.Unlock()
	if !s.storage.opened {
		s.storage.opened = true
		s.openDisk()
	}
	return s.storage.current, s.storage.err
}

// openDisk opens the configured store, or falls back to memory (storage.mu held).
func (s *PingService) openDisk() {
	st, err := s.cfg.OpenStore()
	if err != nil {
		s.fallBackLocked(err)
		return
	}
	h := &storeHandle{store: st}
	h.writer = st.NewWriter(history.WriterOptions{OnError: func(err error) { s.writeFailed(h, err) }})
	s.storage.current = h
	s.storage.status = StorageStatus{OK: true, Path: st.Path()}
}

// fallBack replaces a disk store that refused a session by an in-memory one.
func (s *PingService) fallBack(cause error) (*storeHandle, error) {
	s.storage.mu.Lock()
	defer s.storage.mu.Unlock()
	if s.storage.current != nil && s.storage.current.inMemory {
		return s.storage.current, nil
	}
	s.fallBackLocked(cause)
	return s.storage.current, s.storage.err
}

func (s *PingService) fallBackLocked(cause error) {
	path := s.storePath()
	if s.storage.current != nil {
		s.storage.retired = append(s.storage.retired, s.storage.current)
	}
	mem, err := history.OpenWith(history.OpenOptions{InMemory: true})
	if err != nil {
		s.storage.current = nil
		s.storage.err = fmt.Errorf("%w: %w (and no in-memory store either: %w)", ErrHistory, cause, err)
		s.setStatusLocked(StorageStatus{Path: path, Error: s.storage.err.Error()})
		return
	}
	h := &storeHandle{store: mem, inMemory: true}
	bound := &memoryBound{maxRows: s.cfg.MemoryRows}
	h.writer = mem.NewWriter(history.WriterOptions{OnCommit: func(committed uint64) { s.boundMemory(h, bound, committed) }})
	s.storage.current = h
	s.storage.err = nil
	s.setStatusLocked(StorageStatus{Path: path, InMemory: true,
		Error: fmt.Sprintf("history cannot be saved (%s): pinging goes on; this run's sessions are kept in memory until Echoscope closes",
			storageReason(cause, path))})
}

// writeFailed is the disk writer's OnError (on its goroutine): the first storage failure
// is kept on the handle and becomes the status. Events of a deleted session are no failure.
func (s *PingService) writeFailed(h *storeHandle, err error) {
	if errors.Is(err, history.ErrNotFound) {
		return
	}
	path := h.store.Path()
	msg := fmt.Sprintf("history cannot be saved (%s): pinging goes on; rows that could not be written are not kept",
		storageReason(err, path))
	if !h.failure.CompareAndSwap(nil, &msg) {
		return
	}
	s.storage.mu.Lock()
	defer s.storage.mu.Unlock()
	if s.storage.current == h {
		s.setStatusLocked(StorageStatus{Path: path, Error: msg})
	}
}

// setStatusLocked records the status and tells the page when it changed.
func (s *PingService) setStatusLocked(st StorageStatus) {
	if st == s.storage.status {
		return
	}
	s.storage.status = st
	s.cfg.Emitter.Emit(EventHistoryStatus, st)
}

// StorageStatus says whether history is being saved to disk, and if not, why (in words).
func (s *PingService) StorageStatus() (StorageStatus, error) {
	_, _ = s.storeHandle() // open it, so the status is known
	s.storage.mu.Lock()
	defer s.storage.mu.Unlock()
	return s.storage.status, nil
}

// storePath is the database file for messages: the configured one, or the default.
func (s *PingService) storePath() string {
	if s.cfg.StorePath != "" {
		return s.cfg.StorePath
	}
	if dir, err := history.DefaultDataDir(); err == nil {
		return filepath.Join(dir, history.DatabaseFile)
	}
	return ""
}

// storageReason names what is wrong with the disk in a few words, with the path.
func storageReason(err error, path string) string {
	switch {
	case errors.Is(err, history.ErrStorageFull):
		return "disk full: " + path
	case errors.Is(err, history.ErrReadOnly):
		return "read-only: " + path
	case errors.Is(err, history.ErrCorrupt):
		return "the database is damaged: " + path
	case errors.Is(err, history.ErrSchemaTooNew):
		return "written by a newer Echoscope: " + path
	}
	// SQLite says only "unable to open database file"; the directory says why.
	if path != "" {
		if why := probeDir(filepath.Dir(path)); why != "" {
			return why + ": " + path
		}
	}
	return err.Error()
}

// probeDir tries to create a file in dir and returns the system's reason when it cannot
// ("read-only file system", "no space left on device"), "" when it can.
func probeDir(dir string) string {
	f, err := os.CreateTemp(dir, ".echoscope-probe-*")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return pe.Err.Error()
		}
		return err.Error()
	}
	f.Close()
	os.Remove(f.Name())
	return ""
}

// flushLive commits a running session's pending rows before they are read. A storage
// failure is not an error here: it is in the status, and the rows that could not be
// written are simply not there.
func flushLive(ctx context.Context, ls *liveSession) error {
	if ls == nil || ls.ended() {
		return nil
	}
	err := ls.handle.writer.Flush(ctx)
	if err != nil && ls.handle.writeFailure() == "" && !errors.Is(err, history.ErrNotFound) {
		return fmt.Errorf("%w: %w", ErrHistory, err)
	}
	return nil
}

// storeFor parses a session id from the frontend and finds the store the session lives
// in: a session of this run keeps the store it started on (the disk, or the in-memory
// fallback); any other is looked up in the current one. live is the session's live state,
// nil for a stored session of an earlier run.
func (s *PingService) storeFor(sessionID string) (id int64, store *history.Store, live *liveSession, err error) {
	if id, err = parseSessionID(sessionID); err != nil {
		return 0, nil, nil, err
	}
	s.mu.Lock()
	ls := s.sessions[id]
	s.mu.Unlock()
	if ls != nil {
		return id, ls.handle.store, ls, nil
	}
	store, err = s.history()
	return id, store, nil, err
}
