package probe

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// The Echoscope payload (docs/wire-json.md): bytes 0-7 the session token, bytes 8-15 the
// send time in Unix nanoseconds, both big-endian, then the fill. With fewer than
// PayloadHeaderLen bytes the whole payload is fill and matching falls back to id+seq.
//
// The fill is the pattern repeated, or without a pattern the byte k at payload offset k
// (mod 256), close to iputils' incrementing fill. Because the whole payload follows from
// (token, send time, pattern), the engine never stores request bytes: it can rebuild and
// compare them, which keeps memory bounded whatever the payload size.

// payloadTemplate returns the payload every request of a session carries, with a zero send
// time: two requests differ only in those 8 bytes, so a send writes just them (stampPayload)
// and a reply's fill is checked with one memory comparison (comparePayload).
func payloadTemplate(size int, token uint64, pattern []byte) []byte {
	p := make([]byte, size)
	fillPayload(p, token, 0, pattern)
	return p
}

// stampPayload writes the send time into a payload built by payloadTemplate.
func stampPayload(p []byte, sendNanos int64) {
	if len(p) >= PayloadHeaderLen {
		binary.BigEndian.PutUint64(p[8:16], uint64(sendNanos))
	}
}

// fillPayload writes the payload of size len(p).
func fillPayload(p []byte, token uint64, sendNanos int64, pattern []byte) {
	start := 0
	if len(p) >= PayloadHeaderLen {
		binary.BigEndian.PutUint64(p[0:8], token)
		binary.BigEndian.PutUint64(p[8:16], uint64(sendNanos))
		start = PayloadHeaderLen
	}
	for k := start; k < len(p); k++ {
		p[k] = fillByte(k, start, pattern)
	}
}

func fillByte(k, start int, pattern []byte) byte {
	if len(pattern) == 0 {
		return byte(k)
	}
	return pattern[(k-start)%len(pattern)]
}

// hasToken reports whether a payload of this size carries the token.
func hasToken(size int) bool { return size >= PayloadHeaderLen }

// payloadToken reads the token of a received payload (ok false when too short).
func payloadToken(data []byte) (uint64, bool) {
	if len(data) < 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(data[0:8]), true
}

// comparePayload checks a received payload against the one sent (the session's template
// with sendNanos in it): "" when identical, otherwise a short human reason. It does not
// allocate on the good path.
func comparePayload(data, template []byte, sendNanos int64) string {
	size := len(template)
	if len(data) < size {
		return fmt.Sprintf("truncated: %d of %d payload bytes", len(data), size)
	}
	if len(data) > size {
		return fmt.Sprintf("payload longer than sent: %d bytes, sent %d", len(data), size)
	}
	start := 0
	if size >= PayloadHeaderLen {
		if t, sent := binary.BigEndian.Uint64(data[0:8]), binary.BigEndian.Uint64(template[0:8]); t != sent {
			return fmt.Sprintf("payload differs: token %#016x, sent %#016x", t, sent)
		}
		if ts := int64(binary.BigEndian.Uint64(data[8:16])); ts != sendNanos {
			return fmt.Sprintf("payload differs: send time %d, sent %d", ts, sendNanos)
		}
		start = PayloadHeaderLen
	}
	if bytes.Equal(data[start:], template[start:]) {
		return ""
	}
	for k := start; k < size; k++ {
		if data[k] != template[k] {
			return fmt.Sprintf("payload differs at byte %d: %#02x, sent %#02x", k, data[k], template[k])
		}
	}
	return ""
}
