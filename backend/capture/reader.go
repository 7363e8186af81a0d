package capture

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// Frame is one packet record of a capture file. Data is valid until the next call to
// Reader.Next: copy what must outlive it.
type Frame struct {
	// Offset is the record's byte offset in the file (for messages and the UI).
	Offset int64
	// Time is when the packet was captured; zero for a pcapng Simple Packet Block.
	Time     time.Time
	LinkType int
	// Data is the captured bytes, shorter than OrigLen when the capture's snap length cut
	// the packet.
	Data    []byte
	OrigLen int
}

// Truncated reports whether the capture kept fewer bytes than the packet had.
func (f *Frame) Truncated() bool { return f.OrigLen > len(f.Data) }

// Format names a capture file format.
type Format string

const (
	FormatPcap   Format = "pcap"
	FormatPcapng Format = "pcapng"
)

// Reader reads a capture one record at a time.
type Reader struct {
	in     *bufio.Reader
	off    int64 // offset of the next unread byte
	format Format
	buf    []byte // the current record; reused
	frame  Frame
	pcap   pcapState
	ng     pcapngState
	err    error // sticky: once a read failed, Next repeats it
}

// NewReader reads the file header (pcap) or first section header (pcapng) and is ready
// for Next. A file of neither format is an error wrapping ErrBadFile.
func NewReader(in io.Reader) (*Reader, error) {
	r := &Reader{in: bufio.NewReaderSize(in, 1<<16)}
	head, err := r.in.Peek(4)
	if len(head) < 4 {
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: not a pcap or pcapng file: %d bytes, too short for any capture format", ErrBadFile, len(head))
	}
	le, be := binary.LittleEndian.Uint32(head), binary.BigEndian.Uint32(head)
	switch {
	case le == blockSHB:
		r.format = FormatPcapng
		return r, nil // the section header is read as the first block by Next
	case le == pcapMagicMicro || le == pcapMagicNano || be == pcapMagicMicro || be == pcapMagicNano:
		r.format = FormatPcap
		return r, r.readPcapHeader()
	}
	return nil, fmt.Errorf("%w: not a pcap or pcapng file: it starts with % x, no capture format's magic number", ErrBadFile, head)
}

// Format is the file's format.
func (r *Reader) Format() Format { return r.format }

// Offset is how many bytes of the file have been read: the progress of a reader.
func (r *Reader) Offset() int64 { return r.off }

// Next returns the next packet record, io.EOF after the last one, or an error wrapping
// ErrBadFile (ErrTruncated when the file ends inside a record). Blocks that carry no packet
// are skipped. The frame and its Data are valid until the next call.
func (r *Reader) Next() (*Frame, error) {
	if r.err != nil {
		return nil, r.err
	}
	var err error
	if r.format == FormatPcap {
		err = r.nextPcap()
	} else {
		err = r.nextPcapng()
	}
	if err != nil {
		r.err = err
		return nil, err
	}
	return &r.frame, nil
}

// readFull reads n bytes into the reusable buffer. At the end of the file it returns how
// many bytes there were and io.ErrUnexpectedEOF (io.EOF when none).
func (r *Reader) readFull(n int) ([]byte, int, error) {
	if cap(r.buf) < n {
		r.buf = make([]byte, n)
	}
	b := r.buf[:n]
	got, err := io.ReadFull(r.in, b)
	r.off += int64(got)
	return b, got, err
}

// atEOF reports whether err is the end of the file rather than a failing read.
func atEOF(err error) bool { return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) }
