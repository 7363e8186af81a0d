package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
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

// ExportSession asks where to save a session (the native save dialog) and starts writing
// it as "pcapng", "csv" or "json" as a job (job:progress in rows, then job:done with an
// ExportResult). A cancelled dialog resolves with Cancelled and starts nothing.
func (s *PingService) ExportSession(sessionID, format string) (JobStart, error) {
	filter, ok := exportFilters[format]
	if !ok {
		return JobStart{}, invalidRequest("export format %q: want pcapng, csv or json", format)
	}
	id, store, _, err := s.storeFor(sessionID)
	if err != nil {
		return JobStart{}, err
	}
	ss, err := s.storedSession(store, id)
	if err != nil {
		return JobStart{}, err
	}
	path, err := s.cfg.Dialogs.SaveFile("Export session "+ss.Target, defaultExportName(ss, format), []FileFilter{filter})
	if err != nil {
		return JobStart{}, fmt.Errorf("%w: %w", ErrExport, err)
	}
	if path == "" {
		return JobStart{Kind: JobExport, Cancelled: true}, nil
	}
	return s.startExport(sessionID, format, path)
}

// startExport checks the request and starts the export job. The session is looked up
// again: the dialog may have stayed open while it was deleted.
func (s *PingService) startExport(sessionID, format, path string) (JobStart, error) {
	if err := s.checkExport(sessionID, format, path); err != nil {
		return JobStart{}, err
	}
	label := "Exporting to " + filepath.Base(path)
	return s.jobs.start(JobExport, label, UnitRows, func(ctx context.Context, report func(done, total int64)) (any, error) {
		return s.exportTo(ctx, sessionID, format, path, report)
	}), nil
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

// exportSessionTo writes a session to path without a dialog, on the caller's goroutine. It
// writes a temporary file in the same directory and renames it into place, so a failed export
// (a full disk) leaves no half file, and the error says why. Unexported, so Wails does not
// bind it: page JavaScript must not name files to write; the page exports through
// ExportSession's dialog (see TestNoBoundMethodTakesAPath).
func (s *PingService) exportSessionTo(sessionID, format, path string) (ExportResult, error) {
	if err := s.checkExport(sessionID, format, path); err != nil {
		return ExportResult{}, err
	}
	return s.exportTo(s.ctx, sessionID, format, path, func(int64, int64) {})
}

// checkExport refuses a bad format, an empty path or an unknown session before any work.
func (s *PingService) checkExport(sessionID, format, path string) error {
	if _, ok := exportFilters[format]; !ok {
		return invalidRequest("export format %q: want pcapng, csv or json", format)
	}
	if path == "" {
		return invalidRequest("export: no file name")
	}
	id, store, _, err := s.storeFor(sessionID)
	if err != nil {
		return err
	}
	_, err = s.storedSession(store, id)
	return err
}

// exportTo writes a temporary file in path's directory and renames it into place, so a
// failed or cancelled export (a full disk, ctx cancelled) leaves no half file, and the error
// says why. report is told the rows written of the session's rows.
func (s *PingService) exportTo(ctx context.Context, sessionID, format, path string, report func(done, total int64)) (ExportResult, error) {
	id, store, live, err := s.storeFor(sessionID)
	if err != nil {
		return ExportResult{}, err
	}
	// A running session exports what it has so far, every announced row included.
	if err := flushLive(ctx, live); err != nil {
		return ExportResult{}, err
	}
	ss, err := s.storedSession(store, id)
	if err != nil {
		return ExportResult{}, err
	}
	total, err := store.CountPackets(ctx, id)
	if err != nil {
		return ExportResult{}, fmt.Errorf("%w: %w", ErrExport, err)
	}
	report(0, total)
	rows := countedRows(store.AllPackets(ctx, id), func(done int64) { report(done, max(total, done)) })
	n, size, err := writeAtomically(path, func(w io.Writer) (int, error) {
		switch format {
		case FormatPcapng:
			res, err := history.WritePcapng(w, rows)
			return res.Packets, err
		case FormatCSV:
			return history.WriteCSV(w, rows)
		default:
			return history.WriteJSON(w, ss, rows)
		}
	})
	if err != nil {
		if ctx.Err() != nil {
			return ExportResult{}, ctx.Err()
		}
		return ExportResult{}, fmt.Errorf("%w: %s: %w", ErrExport, path, err)
	}
	return ExportResult{Path: path, Format: format, Packets: n, Bytes: size}, nil
}

// countedRows passes rows through, telling seen how many went by every rowsPerReport rows
// and at the end.
func countedRows(rows iter.Seq2[history.Packet, error], seen func(done int64)) iter.Seq2[history.Packet, error] {
	const rowsPerReport = 4096
	return func(yield func(history.Packet, error) bool) {
		var n int64
		defer func() { seen(n) }()
		for p, err := range rows {
			if err == nil {
				n++
				if n%rowsPerReport == 0 {
					seen(n)
				}
			}
			if !yield(p, err) {
				return
			}
		}
	}
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
