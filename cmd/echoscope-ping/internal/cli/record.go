package cli

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"

	"echoscope/backend/export"
	"echoscope/backend/probe"
)

// recorder writes the run's packets to the --pcap and --csv files as events arrive. The
// files are created before any packet is sent, so a bad path fails the run up front; the
// writers start once the target's family is known (it picks the pcapng link type).
type recorder struct {
	pcapFile, csvFile *os.File
	pcapOut           *countingWriter
	pcapPath          string
	// slowBytes is the size of a flush that may take more than a second; 0 means
	// slowWriteBytesPerSec (tests lower it).
	slowBytes int64
	pcap      *export.PcapngWriter
	csv       *export.CSVWriter
	rows      int64
	err       error // the first write error, reported at the end
}

// openRecorder creates the files cfg asks for; nil when it asks for none.
func openRecorder(cfg *cliConfig) (*recorder, error) {
	if cfg.pcapPath == "" && cfg.csvPath == "" {
		return nil, nil
	}
	r := &recorder{}
	var err error
	if cfg.pcapPath != "" {
		if r.pcapFile, err = os.Create(cfg.pcapPath); err != nil {
			return nil, fmt.Errorf("--pcap: %w", err)
		}
		r.pcapPath = cfg.pcapPath
	}
	if cfg.csvPath != "" {
		if r.csvFile, err = os.Create(cfg.csvPath); err != nil {
			r.close()
			return nil, fmt.Errorf("--csv: %w", err)
		}
	}
	return r, nil
}

// start writes the file headers; target's family picks the capture's link type.
func (r *recorder) start(target netip.Addr) {
	if r.pcapFile != nil {
		link := export.LinkTypeIPv4
		if !target.Unmap().Is4() {
			link = export.LinkTypeIPv6
		}
		r.pcapOut = &countingWriter{w: r.pcapFile}
		r.pcap = export.NewPcapngWriter(r.pcapOut, link)
	}
	if r.csvFile != nil {
		r.csv, r.err = export.NewCSVWriter(r.csvFile)
	}
}

// event records one engine event; statistics are not packets and are left out, as in
// the GUI's history. Called on the engine's goroutine only.
func (r *recorder) event(ev probe.Event) {
	if ev.Kind == probe.EventStats || r.err != nil {
		return
	}
	p := export.PacketFromEvent(ev)
	p.N = r.rows
	r.rows++
	if r.pcap != nil {
		r.pcap.Write(&p)
	}
	if r.csv != nil {
		r.err = r.csv.Write(&p)
	}
}

// finish flushes both files (also after SIGINT: Run returns on cancellation) and closes
// them, returning the first error. A long --pcap flush shows progress on a terminal stderr.
func (r *recorder) finish(stderr io.Writer) error {
	errs := []error{r.err}
	if r.pcap != nil {
		var progress *writeProgress
		slow := r.slowBytes
		if slow == 0 {
			slow = slowWriteBytesPerSec
		}
		if est := r.flushEstimate(); showWriteProgress(isTerminal(stderr), est, slow) {
			progress = &writeProgress{out: stderr, name: filepath.Base(r.pcapPath), from: r.pcapOut.n, total: est}
			r.pcapOut.onWrite = progress.update
		}
		_, err := r.pcap.Flush()
		if progress != nil {
			progress.end(r.pcapOut.n)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("--pcap: %w", err))
		}
	}
	if r.csv != nil {
		if err := r.csv.Flush(); err != nil {
			errs = append(errs, fmt.Errorf("--csv: %w", err))
		}
	}
	return errors.Join(append(errs, r.close())...)
}

// flushEstimate is the bytes Flush will write: the rows held, at the mean size of the
// rows written so far (a pcapng block is never under 100 bytes).
func (r *recorder) flushEstimate() int64 {
	written := max(r.rows-int64(r.pcap.Pending()), 1)
	perRow := max(r.pcapOut.n/written, 100)
	return int64(r.pcap.Pending()) * perRow
}

// close closes the files once; later calls do nothing.
func (r *recorder) close() error {
	var errs []error
	for _, f := range []**os.File{&r.pcapFile, &r.csvFile} {
		if *f != nil {
			errs = append(errs, (*f).Close())
			*f = nil
		}
	}
	return errors.Join(errs...)
}
