package wire

import "fmt"

// TimeExceeded is the body of a time exceeded message (RFC 792, RFC 4443 3.3): code 0 when
// a router's TTL/hop limit reached zero (what traceroute provokes), code 1 when fragment
// reassembly timed out.
type TimeExceeded struct {
	Length     uint8  // RFC 4884 length of the quote; Marshal computes it
	Data       []byte // the quoted original datagram
	Extensions []byte // raw RFC 4884 extension structure, if any
}

// Len implements Body.
func (t *TimeExceeded) Len(f Family) int { return errorBodyLen(f, t.Data, t.Extensions) }

func (t *TimeExceeded) quoted() []byte { return t.Data }

func (t *TimeExceeded) appendTo(b []byte, f Family) []byte {
	head := len(b)
	b = append(b, 0, 0, 0, 0)
	b, length := appendQuote(b, f, t.Data, t.Extensions)
	putErrorLength(b[head:], f, length)
	return b
}

func parseTimeExceeded(f Family, _, _ uint8, b []byte) (Body, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("body %d bytes, need 4: %w", len(b), ErrTooShort)
	}
	t := &TimeExceeded{Length: errorLength(f, b)}
	t.Data, t.Extensions = splitQuote(f, t.Length, b[4:])
	return t, nil
}
