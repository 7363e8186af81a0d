package main

import "echoscope/backend/wire"

// The Lab's two long tables (the RFC 1071 walkthrough and the comparison with the classic
// loop) have a row per 16-bit word: 750 each for a 1500-byte packet, of which the page shows
// about 18. Sending every row as JSON on every keystroke was most of the Lab's JavaScript
// (docs/benchmarks.md), so a call may name the rows in view, and then gets only those; the
// page asks again, with the rows now in view, when a table scrolls past what it has.

// rowRange is rows [From, To) of a table.
type rowRange struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// labWindows names the rows the page shows of each table.
type labWindows struct {
	// Steps: rows of the walkthrough, the ICMP checksum's trace steps (pseudo-header words
	// included, for ICMPv6).
	Steps rowRange `json:"steps"`
	// Compare: rows of the comparison, the RFC 1071 words of the message (no pseudo-header)
	// beside the classic loop's words.
	Compare rowRange `json:"compare"`
}

// labStepsWindow says which rows the trimmed walkthrough holds.
type labStepsWindow struct {
	From  int `json:"from"`
	Total int `json:"total"`
}

// labCompareWindow holds the comparison's rows From..From+len: each side's words there.
type labCompareWindow struct {
	From    int                 `json:"from"`
	Total   int                 `json:"total"`
	RFC     []wire.ChecksumStep `json:"rfc"`
	Classic []wire.ClassicStep  `json:"classic"`
}

// labRows is what a windowed call returns beside the trimmed analysis.
type labRows struct {
	Steps   labStepsWindow   `json:"steps"`
	Compare labCompareWindow `json:"compare"`
}

// labOutput is the analysis as the page gets it: windowed when the call named its rows.
type labOutput struct {
	*wire.LabAnalysis
	// Windows is set when the call named its rows: the ICMP checksum's trace steps are then
	// rows Windows.Steps.From on, ClassicTrace.Steps is empty and Windows.Compare holds the
	// comparison's rows.
	Windows *labRows `json:"windows,omitempty"`
}

// clip returns rows r of a table of n rows, as slice bounds.
func clip(r rowRange, n int) (int, int) {
	from, to := max(r.From, 0), min(r.To, n)
	if from > n {
		from = n
	}
	if to < from {
		to = from
	}
	return from, to
}

// windowed trims a's rows to w (a is changed; it is the call's own).
func windowed(a *wire.LabAnalysis, w *labWindows) labOutput {
	if w == nil {
		return labOutput{LabAnalysis: a}
	}
	rows := &labRows{Compare: labCompareWindow{RFC: []wire.ChecksumStep{}, Classic: []wire.ClassicStep{}}}
	var message []wire.ChecksumStep
	for i, c := range a.Report.Checksums {
		if !c.IsICMPMessageChecksum() {
			continue
		}
		steps := c.Trace.Steps
		for _, s := range steps {
			if s.Offset >= 0 {
				message = append(message, s)
			}
		}
		from, to := clip(w.Steps, len(steps))
		rows.Steps = labStepsWindow{From: from, Total: len(steps)}
		// A new slice: the report's checksums share nothing with the caller's.
		a.Report.Checksums[i].Trace.Steps = append([]wire.ChecksumStep{}, steps[from:to]...)
	}
	classic := a.ClassicRun.Steps
	total := max(len(message), len(classic))
	from, to := clip(w.Compare, total)
	rows.Compare.From, rows.Compare.Total = from, total
	if f, t := clip(rowRange{from, to}, len(message)); f < t {
		rows.Compare.RFC = message[f:t]
	}
	if f, t := clip(rowRange{from, to}, len(classic)); f < t {
		rows.Compare.Classic = classic[f:t]
	}
	a.ClassicRun.Steps = []wire.ClassicStep{}
	return labOutput{LabAnalysis: a, Windows: rows}
}
