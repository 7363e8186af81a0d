package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"
)

// A --pcap file is written as the run goes; only its end can be long: Flush writes every
// request still held (waiting for its reply or its timeout) at once. On a terminal, a flush
// estimated to take more than a second shows how far it is on stderr; in a pipe or a file it
// never does (scripts read stderr).

// slowWriteBytesPerSec is a rate a disk keeps up even when busy: a flush of more than this
// many bytes may take more than a second.
const slowWriteBytesPerSec = 50 << 20

// writeProgressEvery is the least time between two progress lines.
const writeProgressEvery = 100 * time.Millisecond

// isTerminal reports whether w is a terminal (a tty), not a pipe or a file.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	return term.IsTerminal(int(f.Fd()))
}

// showWriteProgress: progress only on a terminal, and only for a write that may take more
// than a second (more than slowBytes bytes).
func showWriteProgress(terminal bool, estimatedBytes, slowBytes int64) bool {
	return terminal && estimatedBytes > slowBytes
}

// countingWriter counts the bytes that reach the file, and tells onWrite while it is set.
type countingWriter struct {
	w       io.Writer
	n       int64
	onWrite func(written int64)
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	if c.onWrite != nil {
		c.onWrite(c.n)
	}
	return n, err
}

// writeProgress prints "\r<prog>: writing <name>: 12.3 of 45.6 MB" at most every
// writeProgressEvery, and a last line with a newline at the end.
type writeProgress struct {
	out   io.Writer
	name  string
	from  int64 // bytes in the file when the flush began
	total int64 // estimated bytes the flush writes
	last  time.Time
}

func (p *writeProgress) update(written int64) {
	if now := time.Now(); now.Sub(p.last) >= writeProgressEvery {
		p.last = now
		p.print(written)
	}
}

func (p *writeProgress) print(written int64) {
	done := min(written-p.from, p.total)
	fmt.Fprintf(p.out, "\r%s: writing %s: %.1f of %.1f MB", prog, p.name, float64(done)/1e6, float64(p.total)/1e6)
}

func (p *writeProgress) end(written int64) {
	p.total = max(p.total, written-p.from)
	p.print(written)
	fmt.Fprintln(p.out)
}
