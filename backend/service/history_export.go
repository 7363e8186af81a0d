package service

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"echoscope/backend/history"
)

// ErrExport: an export could not be written (the message says why: disk full, no
// permission...); no half-written file is left behind.
var ErrExport = errors.New("export failed")

// Export formats.
const (
	FormatPcapng = "pcapng"
	FormatCSV    = "csv"
	FormatJSON   = "json"
)

var exportFilters = map[string]FileFilter{
	FormatPcapng: {DisplayName: "pcapng capture (*.pcapng)", Pattern: "*.pcapng"},
	FormatCSV:    {DisplayName: "CSV table (*.csv)", Pattern: "*.csv"},
	FormatJSON:   {DisplayName: "JSON session (*.json)", Pattern: "*.json"},
}

// ExportSession asks where to save a session (the native save dialog) and writes it as
// "pcapng", "csv" or "json". A cancelled dialog resolves with Cancelled, not an error.
func (s *PingService) ExportSession(sessionID, format string) (ExportResult, error) {
	filter, ok := exportFilters[format]
	if !ok {
		return ExportResult{}, invalidRequest("export format %q: want pcapng, csv or json", format)
	}
	id, store, _, err := s.storeFor(sessionID)
	if err != nil {
		return ExportResult{}, err
	}
	ss, err := s.storedSession(store, id)
	if err != nil {
		return ExportResult{}, err
	}
	path, err := s.cfg.Dialogs.SaveFile("Export session "+ss.Target, defaultExportName(ss, format), []FileFilter{filter})
	if err != nil {
		return ExportResult{}, fmt.Errorf("%w: %w", ErrExport, err)
	}
	if path == "" {
		return ExportResult{Cancelled: true, Format: format}, nil
	}
	// exportSessionTo looks the session up again: the dialog may have stayed open while it
	// was deleted (or while the store fell back to memory).
	return s.exportSessionTo(sessionID, format, path)
}

// defaultExportName is echoscope-<target>-<yyyymmdd-hhmmss>.<ext>, the time being the
// session's start, with characters file systems refuse (IPv6 colons...) replaced.
func defaultExportName(ss history.Session, format string) string {
	target := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '-'
	}, ss.Target)
	if target == "" {
		target = "session"
	}
	return fmt.Sprintf("echoscope-%s-%s.%s", target, ss.Started.Local().Format("20060102-150405"), format)
}

// exportSessionTo writes a session to path without a dialog. It writes a temporary file in
// the same directory and renames it into place, so a failed export (a full disk) leaves
// no half file, and the error says why. Unexported, so Wails does not bind it: page
// JavaScript must not name files to write; the page exports through ExportSession's dialog
// (see TestNoBoundMethodTakesAPath).
func (s *PingService) exportSessionTo(sessionID, format, path string) (ExportResult, error) {
	if _, ok := exportFilters[format]; !ok {
		return ExportResult{}, invalidRequest("export format %q: want pcapng, csv or json", format)
	}
	if path == "" {
		return ExportResult{}, invalidRequest("export: no file name")
	}
	id, store, live, err := s.storeFor(sessionID)
	if err != nil {
		return ExportResult{}, err
	}
	if _, err := s.storedSession(store, id); err != nil {
		return ExportResult{}, err
	}
	// A running session exports what it has so far, every announced row included.
	if err := flushLive(s.ctx, live); err != nil {
		return ExportResult{}, err
	}
	n, size, err := writeAtomically(path, func(w io.Writer) (int, error) {
		switch format {
		case FormatPcapng:
			res, err := store.ExportPcapng(s.ctx, id, w)
			return res.Packets, err
		case FormatCSV:
			return store.ExportCSV(s.ctx, id, w)
		default:
			return store.ExportJSON(s.ctx, id, w)
		}
	})
	if err != nil {
		return ExportResult{}, fmt.Errorf("%w: %s: %w", ErrExport, path, err)
	}
	return ExportResult{Path: path, Format: format, Packets: n, Bytes: size}, nil
}

// storedSession loads a session, an unknown id wrapping ErrUnknownSession.
func (s *PingService) storedSession(store *history.Store, id int64) (history.Session, error) {
	ss, err := store.Session(s.ctx, id)
	if errors.Is(err, history.ErrNotFound) {
		return ss, fmt.Errorf("%w: %d", ErrUnknownSession, id)
	}
	if err != nil {
		return ss, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	return ss, nil
}

// writeAtomically writes through write into a temporary file beside path, syncs it and
// renames it to path; on any failure the temporary file is removed.
func writeAtomically(path string, write func(io.Writer) (int, error)) (n int, size int64, err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, 0, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if n, err = write(f); err != nil {
		return n, 0, err
	}
	if err = f.Sync(); err != nil {
		return n, 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		return n, 0, err
	}
	if err = f.Close(); err != nil {
		return n, 0, err
	}
	// CreateTemp makes the file 0600; an export is a document the user shares.
	if err = os.Chmod(f.Name(), 0o644); err != nil {
		return n, 0, err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return n, 0, err
	}
	return n, fi.Size(), nil
}
