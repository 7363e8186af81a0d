package wire

import (
	"encoding/binary"
	"math/bits"
)

// Checksum returns the RFC 1071 Internet checksum of b: the one's complement of the one's
// complement sum of b read as big-endian 16-bit words, an odd trailing byte padded with a
// zero byte on the right. To verify a message, take the checksum over it with the checksum
// field in place: a correct message gives 0.
func Checksum(b []byte) uint16 {
	return ^Fold(Sum(0, b))
}

// Sum adds b to a running one's complement sum and returns the new sum, folded to 16 bits
// (so it can be fed back in without overflow). Use it to checksum a message in parts, such
// as the ICMPv6 pseudo-header then the message: every part except the last must have an
// even length, because an odd part would shift the byte pairing of the next one.
//
// The loop adds 64 bits at a time with carry. That is equivalent to adding 16-bit words
// because 2^16 = 1 (mod 0xffff): the one's complement sum is the same whatever the word
// width, once the carries are folded back in (RFC 1071 section 2 (B), "byte order
// independence" and "parallel summation").
func Sum(initial uint32, b []byte) uint32 {
	acc := uint64(initial)
	var carry uint64
	for len(b) >= 32 {
		acc, carry = bits.Add64(acc, binary.BigEndian.Uint64(b[0:8]), carry)
		acc, carry = bits.Add64(acc, binary.BigEndian.Uint64(b[8:16]), carry)
		acc, carry = bits.Add64(acc, binary.BigEndian.Uint64(b[16:24]), carry)
		acc, carry = bits.Add64(acc, binary.BigEndian.Uint64(b[24:32]), carry)
		b = b[32:]
	}
	for len(b) >= 8 {
		acc, carry = bits.Add64(acc, binary.BigEndian.Uint64(b), carry)
		b = b[8:]
	}
	// Fold the last carry in; if that overflows, acc was 0xffff...ff and is now 0, so
	// adding the second carry cannot overflow again.
	acc, carry = bits.Add64(acc, 0, carry)
	acc += carry

	// Fold 64 -> 32 bits; the sum of two 32-bit halves fits in 33 bits, fold once more.
	s := (acc >> 32) + (acc & 0xffffffff)
	s = (s >> 32) + (s & 0xffffffff)
	if len(b) >= 4 {
		s += uint64(binary.BigEndian.Uint32(b))
		b = b[4:]
	}
	if len(b) >= 2 {
		s += uint64(binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint64(b[0]) << 8 // odd byte: the high half of a word whose low half is zero
	}
	return uint32(Fold64(s))
}

// Fold folds a 32-bit running sum to 16 bits by adding the carries back in (end-around
// carry), as many times as needed.
func Fold(s uint32) uint16 {
	for s > 0xffff {
		s = (s >> 16) + (s & 0xffff)
	}
	return uint16(s)
}

// Fold64 is Fold for a 64-bit running sum.
func Fold64(s uint64) uint16 {
	for s > 0xffff {
		s = (s >> 16) + (s & 0xffff)
	}
	return uint16(s)
}
