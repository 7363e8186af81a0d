package capture

import (
	"fmt"
	"math"
	"math/bits"
	"time"
)

// The times a Go program can carry as Unix nanoseconds (int64): 1677-09-21 to 2262-04-11.
// The history store keeps times so; a capture's time outside this range is refused in
// words rather than wrapped to a wrong date.
var (
	minUnixNano = time.Unix(0, math.MinInt64)
	maxUnixNano = time.Unix(0, math.MaxInt64)
)

// tsResolution is an interface's timestamp unit (pcapng if_tsresol): 10^-exp seconds, or
// 2^-exp seconds when base2.
type tsResolution struct {
	base2 bool
	exp   uint8
}

// pow10 holds 10^0 .. 10^19, every power of ten a uint64 holds.
var pow10 = func() (p [20]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// split turns a timestamp in the resolution's units into whole seconds and nanoseconds,
// in integer arithmetic only: float64 has 53 bits of mantissa, so a 64-bit count of 2^-30
// or 2^-32 units divided in floating point lands up to ~100 ns off. Fractions of a
// nanosecond are truncated, as for decimal units finer than nanoseconds.
func (r tsResolution) split(units uint64) (sec uint64, nsec uint64) {
	if r.base2 {
		if r.exp == 0 {
			return units, 0
		}
		if r.exp >= 64 {
			// Every count is below one second; ns = units * 1e9 / 2^exp.
			hi, lo := bits.Mul64(units, 1e9)
			return 0, shiftRight128(hi, lo, uint(r.exp))
		}
		sec = units >> r.exp
		frac := units & (1<<r.exp - 1)
		hi, lo := bits.Mul64(frac, 1e9)
		return sec, shiftRight128(hi, lo, uint(r.exp))
	}
	unit := pow10[r.exp] // r.exp <= 19, checked when the interface is read
	sec, rem := units/unit, units%unit
	if r.exp <= 9 {
		return sec, rem * pow10[9-r.exp]
	}
	return sec, rem / pow10[r.exp-9]
}

// shiftRight128 is (hi:lo) >> n for n < 128, as the low 64 bits (callers know it fits).
func shiftRight128(hi, lo uint64, n uint) uint64 {
	switch {
	case n == 0:
		return lo
	case n < 64:
		return lo>>n | hi<<(64-n)
	}
	return hi >> (n - 64)
}

// unixTime is seconds (plus an offset in seconds, if_tsoffset) and nanoseconds as a time,
// or an error in words when it falls outside what Unix nanoseconds can carry.
func unixTime(offset int64, sec, nsec uint64) (time.Time, error) {
	const limit = 1 << 62 // far beyond the range, and safe from overflow when added
	if sec > limit || offset > limit || offset < -limit {
		return time.Time{}, fmt.Errorf("timestamp %d s (offset %d s) is outside the years 1678 to 2262 that Unix nanoseconds can hold", sec, offset)
	}
	t := time.Unix(offset+int64(sec), int64(nsec))
	if t.Before(minUnixNano) || t.After(maxUnixNano) {
		return time.Time{}, fmt.Errorf("timestamp %s is outside the years 1678 to 2262 that Unix nanoseconds can hold", t.UTC().Format(time.RFC3339Nano))
	}
	return t, nil
}
