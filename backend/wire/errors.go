package wire

import "errors"

// Sentinel errors. Functions wrap them with %w and context (offsets, lengths), so test
// with errors.Is.
var (
	// ErrTooShort: the input ends before the structure being read.
	ErrTooShort = errors.New("wire: too short")
	// ErrBadVersion: an IP header whose version nibble is not the one expected.
	ErrBadVersion = errors.New("wire: bad IP version")
	// ErrBadHeaderLength: an IPv4 IHL below 5, or an extension header length that does not fit.
	ErrBadHeaderLength = errors.New("wire: bad header length")
	// ErrBadFamily: a Family other than IPv4 or IPv6 where one is required.
	ErrBadFamily = errors.New("wire: address family must be IPv4 or IPv6")
	// ErrNotEcho: ParseEcho was given a message that is not an echo request or reply.
	ErrNotEcho = errors.New("wire: not an echo request or reply")
	// ErrNotError: Quoted was asked of a message that does not quote a datagram.
	ErrNotError = errors.New("wire: message quotes no datagram")
	// ErrBadOption: an IPv4 option whose length byte is impossible.
	ErrBadOption = errors.New("wire: malformed IPv4 option")
	// ErrBadAddress: an address of the wrong family (e.g. an IPv4 address in an IPv6 pseudo-header).
	ErrBadAddress = errors.New("wire: address of the wrong family")
	// ErrFragment: a non-first fragment, whose payload has no upper-layer header to parse.
	ErrFragment = errors.New("wire: non-first fragment")
	// ErrEmpty: no bytes at all.
	ErrEmpty = errors.New("wire: empty input")
	// ErrOddHex: a hex string with an odd number of digits.
	ErrOddHex = errors.New("wire: odd number of hex digits")
	// ErrBadHex: a character that is neither a hex digit nor an accepted separator.
	ErrBadHex = errors.New("wire: invalid hex character")
)
