package agent

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Framing: every message is a 4-byte big-endian length N followed by N bytes of JSON (one
// Message). A length prefix rather than newline-delimited JSON keeps the reader from ever
// buffering an unbounded line, and lets it skip an oversize frame without losing its place.

// MaxFrameSize bounds one frame's body. The largest legitimate frame is an event carrying two
// 64 KiB packets as hex (~260 KiB) plus fields; 1 MiB leaves room without letting a peer make
// the other side allocate gigabytes.
const MaxFrameSize = 1 << 20

// frameHeaderLen is the length prefix.
const frameHeaderLen = 4

var (
	// ErrFrameTooLarge: the length prefix exceeds the limit. The body has been skipped, so the
	// stream is still in step and the next frame can be read.
	ErrFrameTooLarge = errors.New("agent: frame too large")
	// ErrEmptyFrame: a zero-length frame (not a message). The stream is still in step.
	ErrEmptyFrame = errors.New("agent: empty frame")
	// ErrMalformed: the frame body is not a valid message. The stream is still in step.
	ErrMalformed = errors.New("agent: malformed message")
	// ErrUnsupportedVersion: the message carries a protocol version this side does not speak.
	ErrUnsupportedVersion = errors.New("agent: unsupported protocol version")
	// ErrTruncated: the stream ended in the middle of a frame. The stream is unusable.
	ErrTruncated = errors.New("agent: truncated frame")
)

// Recoverable reports whether a read error left the stream in step, so that the reader may
// answer with an error message and go on reading.
func Recoverable(err error) bool {
	return errors.Is(err, ErrFrameTooLarge) || errors.Is(err, ErrEmptyFrame) ||
		errors.Is(err, ErrMalformed) || errors.Is(err, ErrUnsupportedVersion)
}

// Reader reads framed messages. It is not safe for concurrent use.
type Reader struct {
	r   io.Reader
	max int
	hdr [frameHeaderLen]byte
}

// NewReader returns a Reader that refuses frames larger than maxFrame bytes (MaxFrameSize if
// maxFrame <= 0).
func NewReader(r io.Reader, maxFrame int) *Reader {
	if maxFrame <= 0 || maxFrame > MaxFrameSize {
		maxFrame = MaxFrameSize
	}
	return &Reader{r: r, max: maxFrame}
}

// ReadFrame returns the next frame body. io.EOF means the stream ended cleanly between frames.
func (fr *Reader) ReadFrame() ([]byte, error) {
	if _, err := io.ReadFull(fr.r, fr.hdr[:]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%w: stream ended inside the %d-byte length prefix", ErrTruncated, frameHeaderLen)
		}
		return nil, err // io.EOF at a frame boundary, or a read error
	}
	n := binary.BigEndian.Uint32(fr.hdr[:])
	if n == 0 {
		return nil, ErrEmptyFrame
	}
	if uint64(n) > uint64(fr.max) {
		// Skip the body so the next frame is read from the right place.
		skipped, err := io.CopyN(io.Discard, fr.r, int64(n))
		if err != nil {
			return nil, fmt.Errorf("%w: oversize frame of %d bytes ended after %d", ErrTruncated, n, skipped)
		}
		return nil, fmt.Errorf("%w: %d bytes (limit %d)", ErrFrameTooLarge, n, fr.max)
	}
	body := make([]byte, n)
	if got, err := io.ReadFull(fr.r, body); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%w: %d of %d body bytes", ErrTruncated, got, n)
		}
		return nil, err
	}
	return body, nil
}

// ReadMessage reads and decodes the next message. Errors for which Recoverable is true leave
// the stream usable; any other error ends it.
func (fr *Reader) ReadMessage() (Message, error) {
	body, err := fr.ReadFrame()
	if err != nil {
		return Message{}, err
	}
	return DecodeMessage(body)
}

// DecodeMessage parses one frame body and checks the envelope (version and type present).
func DecodeMessage(body []byte) (Message, error) {
	var m Message
	if err := json.Unmarshal(body, &m); err != nil {
		return Message{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if m.Version != ProtocolVersion {
		return m, fmt.Errorf("%w: got %d, this side speaks %d", ErrUnsupportedVersion, m.Version, ProtocolVersion)
	}
	if m.Type == "" {
		return m, fmt.Errorf("%w: no type", ErrMalformed)
	}
	return m, nil
}

// Writer writes framed messages. It is safe for concurrent use: several sessions' event
// goroutines share one stdout, and a frame must never interleave with another.
type Writer struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// WriteFrame writes one frame body.
func (fw *Writer) WriteFrame(body []byte) error {
	if len(body) == 0 {
		return ErrEmptyFrame
	}
	if len(body) > MaxFrameSize {
		return fmt.Errorf("%w: %d bytes (limit %d)", ErrFrameTooLarge, len(body), MaxFrameSize)
	}
	fw.mu.Lock()
	defer fw.mu.Unlock()
	// One write per frame: header and body together, so a reader never sees half a frame
	// from a failed second write.
	fw.buf = fw.buf[:0]
	fw.buf = binary.BigEndian.AppendUint32(fw.buf, uint32(len(body)))
	fw.buf = append(fw.buf, body...)
	if _, err := fw.w.Write(fw.buf); err != nil {
		return fmt.Errorf("agent: write frame: %w", err)
	}
	return nil
}

// WriteMessage encodes and writes one message, filling in the protocol version.
func (fw *Writer) WriteMessage(m Message) error {
	m.Version = ProtocolVersion
	body, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("agent: encode %s message: %w", m.Type, err)
	}
	return fw.WriteFrame(body)
}
