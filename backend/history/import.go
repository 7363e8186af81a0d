package history

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"echoscope/backend/probe"
)

// MaxImportBytes is the largest capture file ImportCapture reads (it parses in memory).
const MaxImportBytes = 1 << 30

// ImportOptions tune ImportCapture.
type ImportOptions struct {
	// Timeout after which a reply counts as late and its request lost; 0 means the
	// engine's default (probe.DefaultTimeout).
	Timeout time.Duration
	// Label names the session; empty means the file's base name.
	Label string
}

// EngineImported is the engine of an imported session.
const EngineImported = "imported"

// ImportResult says what an import stored and what it left out.
type ImportResult struct {
	SessionID int64        `json:"sessionId"`
	Format    string       `json:"format"`
	Rows      int          `json:"rows"`
	Extract   ExtractStats `json:"extract"`
	Stats     probe.Stats  `json:"stats"`
}

// ClassifyCapture parses a capture and returns its ICMP echo traffic as rows classified by
// the engine's own rules (losses included) with statistics, without storing anything. A
// capture without any ICMP echo or error packet is an error wrapping ErrNoICMP.
func ClassifyCapture(data []byte, o ImportOptions) (*Capture, []Packet, ExtractStats, probe.Stats, error) {
	c, err := ReadCapture(data)
	if err != nil {
		return nil, nil, ExtractStats{}, probe.Stats{}, err
	}
	rows, ext := extractICMP(c)
	if len(rows) == 0 {
		return c, nil, ext, probe.Stats{}, fmt.Errorf("%w (%d frames)", ErrNoICMP, ext.Frames)
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = probe.DefaultTimeout
	}
	rows, st := classifyRows(rows, timeout)
	for i := range rows {
		rows[i].N = int64(i)
	}
	return c, rows, ext, st, nil
}

// ImportCapture reads a pcap or pcapng file and stores its ICMP echo traffic as a new
// session labelled with the file's name.
func (s *Store) ImportCapture(ctx context.Context, path string, o ImportOptions) (ImportResult, error) {
	if fi, err := os.Stat(path); err != nil {
		return ImportResult{}, fmt.Errorf("import %s: %w", path, err)
	} else if fi.Size() > MaxImportBytes {
		return ImportResult{}, fmt.Errorf("import %s: %d bytes, more than the %d this importer holds in memory: %w",
			path, fi.Size(), int64(MaxImportBytes), ErrCapture)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import %s: %w", path, err)
	}
	label := o.Label
	if label == "" {
		label = filepath.Base(path)
	}
	c, rows, ext, st, err := ClassifyCapture(data, o)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import %s: %w", label, err)
	}
	res := ImportResult{Format: c.Format, Rows: len(rows), Extract: ext, Stats: st}
	target := importTarget(rows)
	info := SessionInfo{Target: target, Engine: EngineImported, ImportedFrom: label,
		Options: probe.Options{Target: target, Timeout: o.Timeout}}
	if a, err := netip.ParseAddr(target); err == nil {
		info.Addr = a.String()
	}
	var start, end time.Time
	for _, r := range rows {
		if t := r.Time.Time; !t.IsZero() {
			if start.IsZero() || t.Before(start) {
				start = t
			}
			if t.After(end) {
				end = t
			}
		}
	}
	if start.IsZero() {
		start = time.Now()
	}
	info.Started = start
	if res.SessionID, err = s.BeginSession(ctx, info); err != nil {
		return res, fmt.Errorf("import %s: %w", label, err)
	}
	if err := s.AppendPackets(ctx, res.SessionID, rows); err != nil {
		s.DeleteSession(ctx, res.SessionID) //nolint:errcheck // best effort: do not leave half an import
		return res, fmt.Errorf("import %s: %w", label, err)
	}
	if end.Before(start) {
		end = start
	}
	if err := s.FinishSession(ctx, res.SessionID, probe.Summary{Stats: res.Stats, End: end}); err != nil {
		return res, fmt.Errorf("import %s: %w", label, err)
	}
	return res, nil
}

// importTarget names the session after the destination of its echo requests: the one
// address, or "N targets" when there are several.
func importTarget(rows []Packet) string {
	seen := map[netip.Addr]bool{}
	var first netip.Addr
	for _, r := range rows {
		if r.Kind == probe.EventSend && !seen[r.To] {
			if len(seen) == 0 {
				first = r.To
			}
			seen[r.To] = true
		}
	}
	switch len(seen) {
	case 0:
		return "no echo requests"
	case 1:
		return first.String()
	}
	return fmt.Sprintf("%d targets", len(seen))
}
