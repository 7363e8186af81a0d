package service

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"echoscope/backend/history"
)

// ErrImport: a capture could not be imported (the message says why); nothing was stored.
var ErrImport = errors.New("import failed")

var importFilters = []FileFilter{
	{DisplayName: "Captures (*.pcap, *.pcapng, *.cap)", Pattern: "*.pcap;*.pcapng;*.cap"},
	{DisplayName: "All files", Pattern: "*"},
}

// ImportCapture asks for a capture file (the native open dialog) and starts importing it
// as a job (job:progress in bytes read of both readings of the file, then job:done with an
// ImportResult). A cancelled dialog resolves with Cancelled and starts nothing.
func (s *PingService) ImportCapture() (JobStart, error) {
	path, err := s.cfg.Dialogs.OpenFile("Import a capture (pcap or pcapng)", importFilters)
	if err != nil {
		return JobStart{}, fmt.Errorf("%w: %w", ErrImport, err)
	}
	if path == "" {
		return JobStart{Kind: JobImport, Cancelled: true}, nil
	}
	return s.startImport(path)
}

// startImport starts the import job.
func (s *PingService) startImport(path string) (JobStart, error) {
	if path == "" {
		return JobStart{}, invalidRequest("import: no file name")
	}
	if _, err := s.history(); err != nil {
		return JobStart{}, err
	}
	label := "Importing " + filepath.Base(path)
	return s.jobs.start(JobImport, label, UnitBytes, func(ctx context.Context, report func(done, total int64)) (any, error) {
		return s.importFrom(ctx, path, report)
	}), nil
}

// importCaptureFrom imports a pcap or pcapng file without a dialog, on the caller's
// goroutine (a file dropped on the window, tests). Unexported, so Wails does not bind it:
// page JavaScript must not name files to read; the page imports through ImportCapture's
// dialog (see TestNoBoundMethodTakesAPath).
func (s *PingService) importCaptureFrom(path string) (ImportResult, error) {
	if path == "" {
		return ImportResult{}, invalidRequest("import: no file name")
	}
	return s.importFrom(s.ctx, path, func(int64, int64) {})
}

// importFrom imports a capture: its ICMP echo traffic is judged by the engine's rules and
// stored as a session labelled with the file's name. A corrupt file, or one without ICMP
// echo traffic, is an error in words; so is a cancelled ctx (ctx.Err()); either way nothing
// is stored. The file is read twice (plan, then judge and store): report is told the bytes
// of both readings done of twice the file's size, so it only grows.
func (s *PingService) importFrom(ctx context.Context, path string, report func(done, total int64)) (ImportResult, error) {
	store, err := s.history()
	if err != nil {
		return ImportResult{}, err
	}
	name := filepath.Base(path)
	progress := func(p history.ImportProgress) {
		report(int64(p.Pass-1)*p.Total+p.Done, 2*p.Total)
	}
	res, err := store.ImportCapture(ctx, path, history.ImportOptions{Progress: progress})
	switch {
	case err != nil && ctx.Err() != nil:
		return ImportResult{}, ctx.Err()
	case errors.Is(err, history.ErrNoICMP):
		// history says why: how many frames, and a link type it does not read.
		why := strings.TrimPrefix(err.Error(), "import "+name+": "+history.ErrNoICMP.Error())
		return ImportResult{}, &importError{msg: "no ICMP echo or ICMP error packets in " + name + why, err: err}
	case errors.Is(err, history.ErrCapture):
		// "not a pcap or pcapng file: ...", "truncated at byte N: ...": history's words
		// without its prefixes.
		msg := strings.TrimPrefix(err.Error(), "import "+name+": ")
		msg = strings.TrimPrefix(msg, history.ErrCapture.Error()+": ")
		return ImportResult{}, &importError{msg: name + ": " + msg, err: err}
	case err != nil:
		return ImportResult{}, fmt.Errorf("%w: %s: %w", ErrImport, name, err)
	}
	ss, err := store.Session(s.ctx, res.SessionID)
	if err != nil {
		return ImportResult{}, fmt.Errorf("%w: %w", ErrHistory, err)
	}
	ext := res.Extract
	return ImportResult{SessionID: strconv.FormatInt(res.SessionID, 10), Path: path, Packets: res.Rows,
		Target: ss.Target, Skipped: ext.Frames - ext.Imported, Warnings: importWarnings(ext)}, nil
}

// importWarnings says in words which frames were left out and why.
func importWarnings(e history.ExtractStats) []string {
	w := []string{}
	add := func(n int, what string) {
		if n > 0 {
			w = append(w, fmt.Sprintf("%d %s", n, what))
		}
	}
	add(e.NotIP, "frames were not IP (ARP, other protocols): left out")
	add(e.NotICMP, "IP packets were not ICMP: left out")
	add(e.OtherICMP, "ICMP messages were neither echo nor error (neighbour discovery, ...): left out")
	add(e.Fragments, "IP fragments are not reassembled: left out")
	add(e.Malformed, "frames could not be read: left out")
	if e.Unsupported > 0 {
		add(e.Unsupported, "frames have a link type this importer does not read ("+e.UnsupportedLink+"): left out")
	}
	add(e.Truncated, "packets were cut short by the capture's snap length: matched on the bytes they have")
	if e.CutShort != "" {
		w = append(w, e.CutShort)
	}
	if e.FirstProblem != "" {
		w = append(w, "first unreadable frame: "+e.FirstProblem)
	}
	return w
}

// importError reads as the one sentence a person needs and still matches ErrImport and the
// history error behind it (errors.Is ErrCapture, ErrNoICMP...).
type importError struct {
	msg string
	err error
}

func (e *importError) Error() string   { return e.msg }
func (e *importError) Unwrap() []error { return []error{ErrImport, e.err} }
