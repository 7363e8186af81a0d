package probe

import "time"

// reqState is where a request stands.
type reqState uint8

const (
	reqOutstanding reqState = iota
	reqAnswered             // first reply arrived within the timeout
	reqLost                 // timed out (or the session ended) without a reply
)

// request is the bookkeeping of one sent echo request. Its bytes are not kept: they follow
// from the session's identifier, token and pattern and from payloadNanos (see payload.go);
// its sequence is uint16(index) and its identifier the engine's.
//
// It is 64 bytes, one cache line (TestRequestIsOneCacheLine): a flood writes a ring slot per
// packet, long evicted since its last use (the ring holds thousands), so every line more is
// a cache miss more per packet (hence no stored deadline). What only some sessions need lives
// beside the ring, in the engine: a recording's bytes and send time (engine.recordedReqs,
// offline only) and the words of an ICMP error that quoted a request (engine.errorNotes).
// The send time is kept as its parts: sentUser as read, and the kernel's TX time once known
// (see engine.sentOf, which builds the Timestamp).
type request struct {
	index        uint64    // 1-based, 0 = empty slot
	payloadNanos int64     // the send time written into the payload (payload.go)
	sentUser     time.Time // monotonic reading, for timeouts (engine.expiry) and user-clock RTT
	kernelTX     int64     // the kernel's TX timestamp in Unix nanoseconds, 0 while unknown
	state        reqState
	answeredLate bool // a late reply came after the loss
	hasErrorNote bool // an ICMP error quoted it: engine.errorNotes holds its words
	_            [13]byte
}

// recordedReq is what a request from a recording keeps beside the ring (offline only).
type recordedReq struct {
	index uint64
	msg   []byte    // the request's ICMP message as recorded
	sent  Timestamp // as recorded
}

// requestRing holds the most recent requests, indexed by request number. It is sized so a
// request lives in it longer than its timeout (see newRequestRing), so lookups of late
// replies still work; older ones are overwritten, keeping memory bounded for endless runs.
type requestRing struct {
	slots []request
	mask  uint64
}

// ringSizeFor returns a power of two covering timeout+linger at the given interval twice,
// at least 64 and at most 65536 (the sequence space: a larger ring could not be told apart
// by sequence number anyway).
func ringSizeFor(timeout, interval time.Duration) int {
	if interval <= 0 {
		interval = time.Millisecond
	}
	need := 2*int64(timeout/interval) + 64
	size := 64
	for int64(size) < need && size < 65536 {
		size <<= 1
	}
	return size
}

func newRequestRing(size int) *requestRing {
	return &requestRing{slots: make([]request, size), mask: uint64(size - 1)}
}

// at returns the slot for request number index (which may hold an older request).
func (r *requestRing) at(index uint64) *request { return &r.slots[index&r.mask] }

// get returns request number index if it is still in the ring.
func (r *requestRing) get(index uint64) *request {
	if index == 0 {
		return nil
	}
	q := r.at(index)
	if q.index != index {
		return nil
	}
	return q
}

// bySeq finds the most recent request with sequence seq, given the newest request number.
// Sequence numbers are the low 16 bits of the request number.
func (r *requestRing) bySeq(seq uint16, newest uint64) *request {
	if newest == 0 {
		return nil
	}
	back := uint64(uint16(newest) - seq)
	if back >= newest || back > r.mask {
		return nil
	}
	return r.get(newest - back)
}
