package wire

import "encoding/binary"

// Notes that a ChecksumTrace attaches to its steps.
const (
	NoteOddByte       = "odd byte padded with 0x00"
	NoteChecksumField = "checksum field taken as 0"
	NotePseudoSrc     = "pseudo-header: source address"
	NotePseudoDst     = "pseudo-header: destination address"
	NotePseudoLength  = "pseudo-header: upper-layer length"
	NotePseudoNext    = "pseudo-header: next header (58)"
)

// TraceChecksum works out the RFC 1071 checksum of b step by step, exactly as given (no
// field zeroed): the trace's Result equals Checksum(b). Offsets are indexes into b.
func TraceChecksum(b []byte) ChecksumTrace {
	var t tracer
	t.words(0, b, "", -1)
	return t.finish()
}

// tracer accumulates a ChecksumTrace one part at a time.
type tracer struct {
	trace ChecksumTrace
	sum   uint32
}

// add adds one word. A 32-bit running sum could overflow only after 65537 words of
// 0xffff; before that could happen, the carries are folded in early and recorded.
func (t *tracer) add(offset int, word uint16, note string) {
	if t.sum > 0xffff0000 {
		t.fold()
	}
	t.sum += uint32(word)
	t.trace.Steps = append(t.trace.Steps, ChecksumStep{Offset: offset, Word: word, Sum: t.sum, Note: note})
}

func (t *tracer) fold() {
	carry := t.sum >> 16
	after := t.sum&0xffff + carry
	t.trace.Folds = append(t.trace.Folds, ChecksumFold{Before: t.sum, Carry: carry, After: after})
	t.sum = after
}

// words adds b as 16-bit words, the first step labelled note. base is the offset of b[0]
// in the report (-1: not in the packet, every step gets -1). zeroAt, when >= 0, is the
// index in b of a 2-byte checksum field to take as zero.
func (t *tracer) words(base int, b []byte, note string, zeroAt int) {
	at := func(i int) int {
		if base < 0 {
			return -1
		}
		return base + i
	}
	for i := 0; i < len(b); i += 2 {
		n := note
		if i > 0 {
			n = ""
		}
		var w uint16
		switch {
		case i == zeroAt:
			w, n = 0, joinNote(n, NoteChecksumField)
		case i+1 < len(b):
			w = binary.BigEndian.Uint16(b[i:])
		default:
			w, n = uint16(b[i])<<8, joinNote(n, NoteOddByte)
		}
		t.add(at(i), w, n)
	}
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// pseudoHeader adds the IPv6 pseudo-header (RFC 8200 section 8.1) for an ICMPv6 message of
// length n. srcAt/dstAt are where the addresses sit in the report (-1 if given in Options).
func (t *tracer) pseudoHeader(ph *PseudoHeader, srcAt, dstAt, n int) {
	src, dst := ph.Src.As16(), ph.Dst.As16()
	t.words(srcAt, src[:], NotePseudoSrc, -1)
	t.words(dstAt, dst[:], NotePseudoDst, -1)
	var tail [8]byte
	binary.BigEndian.PutUint32(tail[0:4], uint32(n))
	tail[7] = ProtocolICMPv6
	t.words(-1, tail[0:4], NotePseudoLength, -1)
	t.words(-1, tail[4:8], NotePseudoNext, -1)
}

func (t *tracer) finish() ChecksumTrace {
	for t.sum > 0xffff {
		t.fold()
	}
	t.trace.Sum = uint16(t.sum)
	t.trace.Result = ^uint16(t.sum)
	if t.trace.Steps == nil {
		t.trace.Steps = []ChecksumStep{}
	}
	if t.trace.Folds == nil {
		t.trace.Folds = []ChecksumFold{}
	}
	return t.trace
}
