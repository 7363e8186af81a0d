package history

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"echoscope/backend/capture"
	"echoscope/backend/probe"
)

// MaxImportBytes is the largest capture file ImportCapture reads. The import streams, so
// memory does not grow with the file; the bound keeps an import to minutes.
const MaxImportBytes = 1 << 30

// ImportOptions tune ImportCapture.
type ImportOptions struct {
	// Timeout after which a reply counts as late and its request lost; 0 means the
	// engine's default (probe.DefaultTimeout).
	Timeout time.Duration
	// Label names the session; empty means the file's base name.
	Label string
	// Progress, when set, is called as the import reads the file (twice: once to plan,
	// once to judge and store), from the importing goroutine, at most every importBatch
	// packets and at the end of each reading.
	Progress func(ImportProgress)
}

// ImportProgress is how far an import is.
type ImportProgress struct {
	// Pass is 1 while the file is read to plan (flows, targets, times), 2 while it is read
	// again to judge and store.
	Pass int `json:"pass"`
	// Done is how many bytes of the file this pass has read; Total is the file's size.
	Done  int64 `json:"done"`
	Total int64 `json:"total"`
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

// importBatch is how many rows an import stores per transaction, and how often it looks at
// its context and reports progress.
const importBatch = 4096

// captureSource opens a capture for reading from the start (each pass reads it afresh).
type captureSource struct {
	open func() (io.ReadCloser, error)
	size int64
}

// frames reads the capture's frames and hands each to each (which returns false to stop).
// Frames are counted into st by each (extractFrame); a capture cut short ends the frames
// without an error, and says where in st.CutShort. With maxFrames > 0 it reads no more
// frames than that: the second reading stops where the first did, should the file have
// grown in between (a capture still being written).
func (c captureSource) frames(ctx context.Context, pass int, o *ImportOptions, st *ExtractStats, format *capture.Format, maxFrames int, each func(*capture.Frame) bool) error {
	f, err := c.open()
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := capture.NewReader(f)
	if err != nil {
		return err
	}
	if format != nil {
		*format = r.Format()
	}
	for n := 1; maxFrames <= 0 || n <= maxFrames; n++ {
		fr, err := r.Next()
		if err != nil {
			// Looked at only on an error: the target errors.As fills escapes, an
			// allocation a frame when it was declared for every frame.
			if errors.Is(err, io.EOF) {
				break
			}
			var cut *capture.TruncatedError
			if errors.As(err, &cut) {
				st.CutShort = fmt.Sprintf("the file is cut short at byte %d (%s): its %d complete records before the cut were read, and their ICMP imported",
					cut.Offset, cut.Detail, st.Frames)
				break
			}
			return err
		}
		if !each(fr) {
			return nil
		}
		if n%importBatch == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if o.Progress != nil {
				o.Progress(ImportProgress{Pass: pass, Done: r.Offset(), Total: c.size})
			}
		}
	}
	if o.Progress != nil {
		o.Progress(ImportProgress{Pass: pass, Done: r.Offset(), Total: c.size})
	}
	return ctx.Err()
}

// planned is the first reading: what the plan needs of each ICMP packet (plannedPacket), in
// time order, taken from the frame's bytes in place. Frames are counted into st.
func (c captureSource) planned(ctx context.Context, o *ImportOptions, st *ExtractStats, format *capture.Format) orderedSource[plannedPacket] {
	return inTimeOrder(func(yield func(time.Time, *plannedPacket) bool) error {
		return c.frames(ctx, 1, o, st, format, 0, func(fr *capture.Frame) bool {
			x, ok := viewFrame(fr, st)
			if !ok {
				return true
			}
			n := plannedOf(&x.p)
			return yield(n.at, &n)
		})
	})
}

// packets is the second reading: the capture's ICMP packets as rows (their bytes copied),
// in time order, no more than maxFrames frames.
func (c captureSource) packets(ctx context.Context, o *ImportOptions, maxFrames int) packetSource {
	return inTimeOrder(func(yield func(time.Time, *extracted) bool) error {
		var st ExtractStats // counted by the first reading
		return c.frames(ctx, 2, o, &st, nil, maxFrames, func(fr *capture.Frame) bool {
			x, ok := extractFrame(fr, &st)
			return !ok || yield(x.p.Time.Time, &x)
		})
	})
}

// classified is a capture judged: the plan of its flows and what reading it found.
type classified struct {
	format capture.Format
	plan   *importPlan
	ext    ExtractStats
}

// planCapture is the first reading: flows, targets and times, and the frames counted.
func planCapture(ctx context.Context, src captureSource, o *ImportOptions) (*classified, error) {
	c := &classified{plan: newImportPlan(o.timeout())}
	err := src.planned(ctx, o, &c.ext, &c.format)(func(n *plannedPacket) bool {
		c.plan.add(n)
		return true
	})
	if err != nil {
		return nil, err
	}
	c.plan.finish()
	if c.ext.Imported == 0 {
		return c, fmt.Errorf("%w: %s", ErrNoICMP, c.ext.noICMPReason())
	}
	return c, nil
}

// judgeCapture is the second reading: every packet judged by its flow's engine and handed to
// emit as a row, in time order with the loss rows; it returns the statistics.
func judgeCapture(ctx context.Context, src captureSource, o *ImportOptions, c *classified, emit func(Packet) error) (probe.Stats, error) {
	j := newJudge(c.plan, o.timeout(), emit)
	var emitErr error
	err := src.packets(ctx, o, max(c.ext.Frames, 1))(func(x *extracted) bool {
		emitErr = j.add(x)
		return emitErr == nil
	})
	if err == nil {
		err = emitErr
	}
	if err != nil {
		return probe.Stats{}, err
	}
	return j.finish()
}

func (o *ImportOptions) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return probe.DefaultTimeout
}

// ClassifyCapture parses a capture held in memory and returns its ICMP echo traffic as rows
// classified by the engine's own rules (losses included) with statistics, without storing
// anything. A capture without any ICMP echo or error packet is an error wrapping ErrNoICMP.
// (ImportCapture does the same on a file in bounded memory.)
func ClassifyCapture(data []byte, o ImportOptions) (capture.Format, []Packet, ExtractStats, probe.Stats, error) {
	src := captureSource{size: int64(len(data)), open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
	ctx := context.Background()
	c, err := planCapture(ctx, src, &o)
	if err != nil {
		if c != nil {
			return c.format, nil, c.ext, probe.Stats{}, err
		}
		return "", nil, ExtractStats{}, probe.Stats{}, err
	}
	var rows []Packet
	st, err := judgeCapture(ctx, src, &o, c, func(p Packet) error {
		p.N = int64(len(rows))
		rows = append(rows, p)
		return nil
	})
	return c.format, rows, c.ext, st, err
}

// ImportCapture reads a pcap or pcapng file and stores its ICMP echo traffic as a new
// session labelled with the file's name. It streams: the file is read twice (to plan,
// then to judge and store in batches), holding what is outstanding, never the whole
// capture. Cancelling ctx stops it and stores no session. A capture cut short imports its
// complete records (ExtractStats.CutShort says where it was cut).
func (s *Store) ImportCapture(ctx context.Context, path string, o ImportOptions) (ImportResult, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import %s: %w", path, err)
	} else if fi.Size() > MaxImportBytes {
		return ImportResult{}, fmt.Errorf("import %s: %d bytes, more than the %d this importer takes: %w",
			path, fi.Size(), int64(MaxImportBytes), ErrCapture)
	}
	label := o.Label
	if label == "" {
		label = filepath.Base(path)
	}
	src := captureSource{size: fi.Size(), open: func() (io.ReadCloser, error) { return os.Open(path) }}
	c, err := planCapture(ctx, src, &o)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import %s: %w", label, err)
	}
	res := ImportResult{Format: string(c.format), Extract: c.ext}
	target := c.plan.target()
	info := SessionInfo{Target: target, Engine: EngineImported, ImportedFrom: label,
		Options: probe.Options{Target: target, Timeout: o.Timeout}}
	if a, err := netip.ParseAddr(target); err == nil {
		info.Addr = a.String()
	}
	info.Started = c.plan.start
	if info.Started.IsZero() {
		info.Started = time.Now()
	}
	if res.SessionID, err = s.BeginSession(ctx, info); err != nil {
		return res, fmt.Errorf("import %s: %w", label, err)
	}
	fail := func(err error) (ImportResult, error) {
		// Do not leave half an import, even when ctx is what stopped it.
		s.DeleteSession(context.WithoutCancel(ctx), res.SessionID) //nolint:errcheck // best effort
		id := res.SessionID
		res.SessionID = 0
		return res, fmt.Errorf("import %s (session %d removed): %w", label, id, err)
	}
	st := newBatchStorer(ctx, s, res.SessionID)
	res.Stats, err = judgeCapture(ctx, src, &o, c, st.add)
	rows, storeErr := st.close()
	res.Rows = rows
	if err == nil {
		err = storeErr
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return fail(err)
	}
	end := later(c.plan.end, c.plan.start)
	if err := s.FinishSession(ctx, res.SessionID, probe.Summary{Stats: res.Stats, End: end}); err != nil {
		return fail(err)
	}
	return res, nil
}
