package probe

import (
	"fmt"
	"time"
)

// The bounds of every numeric option, in one table: Options.Validate checks them for every
// caller (the CLI, the GUI's in-process engines and, above all, the privileged helper, whose
// agent protocol carries Options as they are), and docs/architecture.md lists them (a test
// holds the two together). Without upper bounds one frame could crash the helper
// ("lossWindow": 1<<62 made a slice that large) or make it flood its client (statsEvery 1ns:
// 45,000 stats frames a second).
//
// Enumerations (family, socket, pmtu) and the caller's policy (minimum interval, rate,
// flood) are checked by Validate beside this table; identifier and token are bounded by
// their types (uint16, uint64), which the JSON decoder enforces.

// Bound is the range one option may take: Min..Max, or 0 when ZeroMeans says what 0 stands
// for. Durations are in nanoseconds (Duration is then true).
type Bound struct {
	// Field is the option's JSON name, as in the agent protocol.
	Field string
	// Min and Max are inclusive.
	Min, Max int64
	// Duration: Min, Max and the value are time.Durations.
	Duration bool
	// Length: the value is a length in bytes of a text or byte field.
	Length bool
	// ZeroMeans is what 0 stands for when 0 lies outside Min..Max ("" when it does not).
	ZeroMeans string

	value func(*Options) int64
	// monitorValue reads a monitor's own numbers (MonitorBounds); nil for option bounds.
	monitorValue func(*MonitorOptions) int64
}

// Upper bounds that are not protocol maxima. Each is far beyond any useful run and small
// enough that nothing derived from it (ring sizes, timers, counters) can misbehave.
const (
	// MaxCount: 10^12 requests, 115 days of a 100,000/s flood.
	MaxCount = 1_000_000_000_000
	// MaxInterval between requests.
	MaxInterval = 24 * time.Hour
	// MinTimeout and MaxTimeout bound the per-request timeout (iputils -W stops at 35 min).
	MinTimeout = time.Microsecond
	MaxTimeout = time.Hour
	// MaxDeadline: a session's whole duration.
	MaxDeadline = 366 * 24 * time.Hour
	// MaxLinger: listening for stragglers after the last request.
	MaxLinger = time.Hour
	// MinStatsEvery keeps a session at 1000 statistics events a second at most.
	MinStatsEvery = time.Millisecond
	MaxStatsEvery = time.Hour
	// MaxLossWindow is the sequence space: a window longer than that cannot be told apart.
	MaxLossWindow = 65536
	// MaxHostLen bounds Target and Source: a DNS name is at most 253 bytes, an IPv6 literal
	// with a zone far less; longer ones only make the resolver work for nothing.
	MaxHostLen = 255
)

var optionBounds = []Bound{
	{Field: "target", Min: 1, Max: MaxHostLen, Length: true, value: func(o *Options) int64 { return int64(len(o.Target)) }},
	{Field: "source", Min: 0, Max: MaxHostLen, Length: true, value: func(o *Options) int64 { return int64(len(o.Source)) }},
	{Field: "count", Min: 1, Max: MaxCount, ZeroMeans: "until the deadline or a stop",
		value: func(o *Options) int64 { return int64(o.Count) }},
	{Field: "interval", Min: 1, Max: int64(MaxInterval), Duration: true, ZeroMeans: "1s; 10ms with flood",
		value: func(o *Options) int64 { return int64(o.Interval) }},
	{Field: "timeout", Min: int64(MinTimeout), Max: int64(MaxTimeout), Duration: true, ZeroMeans: "10s",
		value: func(o *Options) int64 { return int64(o.Timeout) }},
	{Field: "deadline", Min: int64(time.Millisecond), Max: int64(MaxDeadline), Duration: true, ZeroMeans: "none",
		value: func(o *Options) int64 { return int64(o.Deadline) }},
	{Field: "size", Min: 0, Max: MaxPayloadIPv6, Length: true,
		value: func(o *Options) int64 { return int64(o.PayloadSize()) }},
	{Field: "pattern", Min: 0, Max: MaxPatternLen, Length: true, value: func(o *Options) int64 { return int64(len(o.Pattern)) }},
	{Field: "ttl", Min: 1, Max: 255, ZeroMeans: "the system default", value: func(o *Options) int64 { return int64(o.TTL) }},
	{Field: "tos", Min: 0, Max: 255, value: func(o *Options) int64 { return int64(o.TOS) }},
	{Field: "linger", Min: int64(time.Millisecond), Max: int64(MaxLinger), Duration: true, ZeroMeans: "none",
		value: func(o *Options) int64 { return int64(o.Linger) }},
	{Field: "statsEvery", Min: int64(MinStatsEvery), Max: int64(MaxStatsEvery), Duration: true, ZeroMeans: "never",
		value: func(o *Options) int64 { return int64(o.StatsEvery) }},
	{Field: "lossWindow", Min: 1, Max: MaxLossWindow, ZeroMeans: "100",
		value: func(o *Options) int64 { return int64(o.LossWindow) }},
	{Field: "preload", Min: 0, Max: MaxPreload, value: func(o *Options) int64 { return int64(o.Preload) }},
	{Field: "sendBuffer", Min: 1, Max: MaxSendBuffer, ZeroMeans: "the system default",
		value: func(o *Options) int64 { return int64(o.SendBuffer) }},
}

// OptionBounds returns the bounds Validate applies, in the order it checks them.
func OptionBounds() []Bound {
	out := make([]Bound, len(optionBounds))
	copy(out, optionBounds)
	for i := range out {
		out[i].value = nil
	}
	return out
}

// Allows reports whether v is within the bound.
func (b Bound) Allows(v int64) bool {
	return (v >= b.Min && v <= b.Max) || (v == 0 && b.ZeroMeans != "")
}

// Range describes the allowed values in words, e.g. "0 (never) or 10ms..1h0m0s".
func (b Bound) Range() string {
	r := b.format(b.Min) + ".." + b.format(b.Max)
	if b.Length {
		r += " bytes"
	}
	if b.ZeroMeans != "" {
		r = "0 (" + b.ZeroMeans + ") or " + r
	}
	return r
}

func (b Bound) format(v int64) string {
	if b.Duration {
		return time.Duration(v).String()
	}
	return fmt.Sprint(v)
}

// checkBounds returns the first option outside its bound, as an ErrInvalidOption.
func (o *Options) checkBounds() error {
	for _, b := range optionBounds {
		if v := b.value(o); !b.Allows(v) {
			what := b.format(v)
			if b.Length {
				what = fmt.Sprintf("is %d bytes,", v)
				return invalidf("%s %s allowed: %s", b.Field, what, b.Range())
			}
			return invalidf("%s %s is out of range, allowed: %s", b.Field, what, b.Range())
		}
	}
	return nil
}

// monitorBounds are the numbers of a monitor beside its Options (which every target is
// checked against as a Session's): MonitorOptions.Validate applies them, and
// docs/architecture.md lists them with the option bounds. Backoff, a fraction, is checked
// beside them (0, or 1..MaxMonitorBackoff).
var monitorBounds = []Bound{
	{Field: "targets", Min: 1, Max: MaxMonitorTargets,
		monitorValue: func(m *MonitorOptions) int64 { return int64(len(m.Targets)) }},
}

// MonitorBounds returns the bounds of a monitor's own numbers.
func MonitorBounds() []Bound {
	out := make([]Bound, len(monitorBounds))
	copy(out, monitorBounds)
	for i := range out {
		out[i].monitorValue = nil
	}
	return out
}

// checkBounds returns the first monitor number outside its bound.
func (mo *MonitorOptions) checkBounds() error {
	for _, b := range monitorBounds {
		if v := b.monitorValue(mo); !b.Allows(v) {
			return invalidf("%s %d is out of range, allowed: %s", b.Field, v, b.Range())
		}
	}
	return nil
}
