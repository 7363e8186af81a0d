package history

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"echoscope/backend/probe"
)

// Packet blocks (schema v9, packet_blocks): an imported session's rows stored blockRows
// consecutive positions to a table row, so that SQLite stores one row and one index entry
// per block instead of per frame (docs/benchmarks.md, "Import speed: one cgo call a
// statement, and the page size", and "several frames per row"). A block is two blobs:
// meta, the rows' columns one row after the other, and bytes, the rows' datagrams one after
// the other (their lengths are in meta). A row is stored lean (its header columns derived
// from its bytes on reading, as a lean packets row: lean_rows.go) when isLean allows, whole
// otherwise. Decoding never trusts the stored bytes: anything that does not read is an
// error in words (FuzzBlockCodec).

// blockRows is how many consecutive positions one block holds at most.
const blockRows = 64

// blockFormat is the first byte of a block's meta: the layout below.
const blockFormat = 1

// Row flags in meta.
const (
	blockWhole     = 1 << iota // the row's header columns are stored (not derived from its bytes)
	blockHasBytes              // the row's bytes are a value (possibly empty), not NULL
	blockIncludeIP             // includes_ip, for whole rows
	blockFlagsAll  = blockWhole | blockHasBytes | blockIncludeIP
)

// packedBlock is a block as stored: its rows' columns and bytes, and how many of its rows
// fall in each filter group (groups[g-1] for rowGroup g).
type packedBlock struct {
	count  int
	groups [groupForeign]int64
	meta   []byte
	bytes  []byte
}

// packBlock encodes rows (at most blockRows) as one block, appending to the buffers of
// into (reused from block to block).
func packBlock(into packedBlock, rows []Packet) packedBlock {
	b := packedBlock{count: len(rows), meta: append(into.meta[:0], blockFormat), bytes: into.bytes[:0]}
	for i := range rows {
		p := &rows[i]
		b.groups[groupOf(p.Kind, p.Class)-1]++
		whole := !isLean(p)
		var flags uint64
		if whole {
			flags |= blockWhole
			if p.IncludesIPHeader {
				flags |= blockIncludeIP
			}
		}
		if p.Bytes != nil {
			flags |= blockHasBytes
		}
		m := binary.AppendUvarint(b.meta, flags)
		m = appendText(m, string(p.Kind))
		m = binary.AppendUvarint(m, p.Index)
		m = binary.AppendVarint(m, nanos(p.Time.Time))
		m = binary.AppendVarint(m, nanos(p.Sent.Time))
		m = binary.AppendUvarint(m, uint64(p.Seq))
		m = appendText(m, string(p.Class))
		m = appendText(m, string(p.Rule))
		m = appendText(m, p.Note)
		m = binary.AppendVarint(m, int64(p.RTT))
		m = binary.AppendUvarint(m, uint64(len(p.Bytes)))
		if whole {
			m = appendText(m, string(p.Time.Clock))
			m = appendText(m, string(p.Sent.Clock))
			m = binary.AppendUvarint(m, uint64(p.ID))
			m = appendText(m, p.RTTClocks)
			m = binary.AppendVarint(m, int64(p.TTL))
			m = appendText(m, addrText(p.From))
			m = appendText(m, addrText(p.To))
			m = binary.AppendVarint(m, int64(p.ICMPType))
			m = binary.AppendVarint(m, int64(p.ICMPCode))
			m = binary.AppendVarint(m, int64(p.Size))
		}
		b.meta = m
		b.bytes = append(b.bytes, p.Bytes...)
	}
	return b
}

func appendText(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// blockReader reads a block's meta, remembering the first thing that did not read.
type blockReader struct {
	meta []byte
	err  error
	what string // the field being read, for the error
}

func (r *blockReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%s: "+format, append([]any{r.what}, args...)...)
	}
}

func (r *blockReader) uvarint(what string, most uint64) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.meta)
	if !r.advance(what, n) {
		return 0
	}
	if v > most {
		r.fail("%d is more than %d", v, most)
		return 0
	}
	return v
}

func (r *blockReader) varint(what string) int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.meta)
	if !r.advance(what, n) {
		return 0
	}
	return v
}

// advance moves past a varint of n bytes read for what (binary's n: 0 or less when the bytes
// end or overflow inside it, which fails the read).
func (r *blockReader) advance(what string, n int) bool {
	r.what = what
	if n <= 0 {
		r.fail("the block's columns end or overflow inside it")
		return false
	}
	r.meta = r.meta[n:]
	return true
}

// smallInt is a varint that must fit an int column of 32 bits (TTL, ICMP type, code, size).
func (r *blockReader) smallInt(what string) int {
	v := r.varint(what)
	if r.err == nil && (v < -1<<31 || v > 1<<31-1) {
		r.fail("%d is out of range", v)
		return 0
	}
	return int(v)
}

func (r *blockReader) text(what string) string {
	n := r.uvarint(what+"'s length", 1<<31)
	if r.err == nil && n > uint64(len(r.meta)) {
		r.fail("%d bytes, but the block's columns end %d bytes on", n, len(r.meta))
	}
	if r.err != nil {
		return ""
	}
	s := string(r.meta[:n])
	r.meta = r.meta[n:]
	return s
}

// errBlockRows: a block says it holds no rows or more than a block can.
var errBlockRows = errors.New("a block holds 1 to 64 rows")

// unpackBlock decodes a stored block of count rows at positions firstN on of session, with
// the same values scanPacket reads from a packets row stored whole or lean.
func unpackBlock(session, firstN int64, count int, meta, bytes []byte) ([]Packet, error) {
	if count < 1 || count > blockRows {
		return nil, fmt.Errorf("block of session %d at %d: %d rows: %w", session, firstN, count, errBlockRows)
	}
	if len(meta) == 0 || meta[0] != blockFormat {
		return nil, fmt.Errorf("block of session %d at %d: not a block of format %d", session, firstN, blockFormat)
	}
	r := blockReader{meta: meta[1:]}
	out := make([]Packet, count)
	failed := -1
	for i := range out {
		p := &out[i]
		p.SessionID, p.N = session, firstN+int64(i)
		flags := r.uvarint("flags", blockFlagsAll)
		p.Kind = probe.EventKind(r.text("kind"))
		p.Index = r.uvarint("request index", 1<<63-1)
		p.Time.Time = fromNanos(r.varint("time"))
		p.Sent.Time = fromNanos(r.varint("send time"))
		p.Seq = uint16(r.uvarint("sequence", 0xffff))
		p.Class = probe.Class(r.text("class"))
		p.Rule = probe.MatchRule(r.text("rule"))
		p.Note = r.text("note")
		p.RTT = time.Duration(r.varint("round trip"))
		size := r.uvarint("bytes' length", uint64(len(bytes)))
		if r.err == nil {
			if flags&blockHasBytes != 0 {
				p.Bytes = bytes[:size:size]
			}
			bytes = bytes[size:]
		}
		if r.err != nil {
			failed = i
			break
		}
		if flags&blockWhole == 0 {
			p.TTL = -1 // as a lean packets row's column default, kept when its bytes do not read
			deriveLean(p)
			continue
		}
		p.IncludesIPHeader = flags&blockIncludeIP != 0
		p.Time.Clock = probe.ClockSource(r.text("clock"))
		p.Sent.Clock = probe.ClockSource(r.text("send clock"))
		p.ID = uint16(r.uvarint("identifier", 0xffff))
		p.RTTClocks = r.text("round trip's clocks")
		p.TTL = r.smallInt("TTL")
		p.From, p.To = parseAddr(r.text("source")), parseAddr(r.text("destination"))
		p.ICMPType, p.ICMPCode, p.Size = r.smallInt("ICMP type"), r.smallInt("ICMP code"), r.smallInt("size")
		if r.err != nil {
			failed = i
			break
		}
	}
	switch {
	case r.err != nil:
		return nil, fmt.Errorf("block of session %d at %d, row %d: %w", session, firstN, firstN+int64(failed), r.err)
	case len(r.meta) != 0:
		return nil, fmt.Errorf("block of session %d at %d: %d bytes of columns after its %d rows", session, firstN, len(r.meta), count)
	case len(bytes) != 0:
		return nil, fmt.Errorf("block of session %d at %d: %d bytes of datagrams after its %d rows", session, firstN, len(bytes), count)
	}
	return out, nil
}
