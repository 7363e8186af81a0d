package probe

import (
	"time"
)

// TraceOptions describe one traceroute run in mtr's manner: echo requests with TTL (hop
// limit) 1, 2, ... up to the destination, the whole path probed again every round.
// The zero value of each field means mtr's default. Plain data, like Options.
type TraceOptions struct {
	// Target is a host name or an IP address literal.
	Target string `json:"target"`
	// Family forces IPv4 or IPv6 (-4 / -6).
	Family Family `json:"family,omitempty"`
	// Socket selects the socket kind; SocketAuto picks the best available.
	Socket SocketKind `json:"socket,omitempty"`
	// Rounds is how many times the path is probed (mtr -c); 0 means DefaultTraceRounds.
	Rounds int `json:"rounds,omitempty"`
	// Interval is the time one round takes (mtr -i): its probes are spread evenly over it,
	// one every Interval divided by the number of hops of the round before (mtr's pacing;
	// before the path is known, by min(10, MaxHops)). 0 means DefaultInterval.
	Interval time.Duration `json:"interval,omitempty"`
	// MaxHops is the largest TTL sent (mtr -m); 0 means DefaultTraceMaxHops.
	MaxHops int `json:"maxHops,omitempty"`
	// Timeout is how long one probe waits for its answer; 0 means DefaultTraceTimeout.
	Timeout time.Duration `json:"timeout,omitempty"`
	// Size is the ICMP payload in bytes, as Options.Size (0 with SizeSet false: 56).
	Size    int  `json:"size"`
	SizeSet bool `json:"sizeSet,omitempty"`
	// ReverseDNS looks up the name of each hop's address, on a goroutine of its own (the
	// probes never wait for it); off by default, as mtr -n.
	ReverseDNS bool `json:"reverseDns,omitempty"`
	// Identifier and Token as in Options (0: chosen at random).
	Identifier uint16 `json:"identifier,omitempty"`
	Token      uint64 `json:"token,omitempty"`
}

// Trace defaults, as mtr's.
const (
	DefaultTraceRounds  = 10
	DefaultTraceMaxHops = 30
	// DefaultTraceTimeout is mtr's grace period: how long it waits for the last answers.
	DefaultTraceTimeout = 5 * time.Second
	// traceFirstSpread: before the first round ends, its probes go Interval/min(10, MaxHops)
	// apart, as mtr does before it knows the number of hops.
	traceFirstSpread = 10
)

// Bounds of TraceOptions (see limits.go for why every number a caller sends has one).
const (
	// MaxTraceRounds: a million rounds, 11 days at one a second.
	MaxTraceRounds = 1_000_000
	// MaxTraceHops is the TTL field's range.
	MaxTraceHops = 255
	// MinTraceInterval: at MaxTraceHops, 1 ms a round is still 3.9 µs a probe.
	MinTraceInterval = time.Millisecond
)

var traceBounds = []traceBound{
	{Bound{Field: "target", Min: 1, Max: MaxHostLen, Length: true}, func(o *TraceOptions) int64 { return int64(len(o.Target)) }},
	{Bound{Field: "rounds", Min: 1, Max: MaxTraceRounds, ZeroMeans: "10"}, func(o *TraceOptions) int64 { return int64(o.Rounds) }},
	{Bound{Field: "interval", Min: int64(MinTraceInterval), Max: int64(MaxInterval), Duration: true, ZeroMeans: "1s"},
		func(o *TraceOptions) int64 { return int64(o.Interval) }},
	{Bound{Field: "maxHops", Min: 1, Max: MaxTraceHops, ZeroMeans: "30"}, func(o *TraceOptions) int64 { return int64(o.MaxHops) }},
	{Bound{Field: "timeout", Min: int64(time.Millisecond), Max: int64(MaxTimeout), Duration: true, ZeroMeans: "5s"},
		func(o *TraceOptions) int64 { return int64(o.Timeout) }},
	{Bound{Field: "size", Min: 0, Max: MaxPayloadIPv6, Length: true}, func(o *TraceOptions) int64 {
		return int64(o.probeOptions().PayloadSize())
	}},
}

type traceBound struct {
	Bound
	value func(*TraceOptions) int64
}

// TraceOptionBounds returns the bounds ValidateTrace applies, in order.
func TraceOptionBounds() []Bound {
	out := make([]Bound, len(traceBounds))
	for i, b := range traceBounds {
		out[i] = b.Bound
	}
	return out
}

// EffectiveRounds, EffectiveInterval, EffectiveMaxHops and EffectiveTimeout return what the
// run will use.
func (o TraceOptions) EffectiveRounds() int { return orDefault(o.Rounds, DefaultTraceRounds) }
func (o TraceOptions) EffectiveInterval() time.Duration {
	return orDefault(o.Interval, DefaultInterval)
}
func (o TraceOptions) EffectiveMaxHops() int { return orDefault(o.MaxHops, DefaultTraceMaxHops) }
func (o TraceOptions) EffectiveTimeout() time.Duration {
	return orDefault(o.Timeout, DefaultTraceTimeout)
}

func orDefault[T int | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// fastestSpacing is the shortest time between two probes the run can reach: a round's
// Interval spread over MaxHops probes.
func (o TraceOptions) fastestSpacing() time.Duration {
	return max(o.EffectiveInterval()/time.Duration(o.EffectiveMaxHops()), 1)
}

// probeOptions are the engine options the trace's probes are sent and matched with. Their
// interval is the fastest pace the trace can reach, so the policy's rate limit and the
// request ring are judged against the worst case. An ICMP error answers a probe at once.
func (o TraceOptions) probeOptions() Options {
	return Options{Target: o.Target, Family: o.Family, Socket: o.Socket,
		Interval: o.fastestSpacing(), Timeout: o.EffectiveTimeout(),
		Size: o.Size, SizeSet: o.SizeSet, Identifier: o.Identifier, Token: o.Token,
		ErrorsAnswer: true}
}

// Validate checks o against its bounds and against p (through the probes' options: the
// policy's minimum interval and rate apply to the fastest probe spacing, Interval/MaxHops).
// Errors wrap ErrInvalidOption or ErrPolicy.
func (o TraceOptions) Validate(p Policy) error {
	if o.Target == "" {
		return invalidf("no target host")
	}
	for _, b := range traceBounds {
		if v := b.value(&o); !b.Allows(v) {
			if b.Length {
				return invalidf("%s is %d bytes, allowed: %s", b.Field, v, b.Range())
			}
			return invalidf("%s %s is out of range, allowed: %s", b.Field, b.format(v), b.Range())
		}
	}
	sp := o.fastestSpacing()
	rate := float64(time.Second) / float64(sp)
	if (p.MinInterval > 0 && sp < p.MinInterval) || (p.MaxRate > 0 && rate > p.MaxRate+1e-9) {
		floor := max(p.MinInterval, time.Duration(float64(time.Second)/max(p.MaxRate, 1e-9)))
		return policyf("a trace of up to %d hops every %v sends a probe every %v (%.0f/s), above the maximum %.0f/s for policy %q: make the interval at least %v, or lower the maximum hops",
			o.EffectiveMaxHops(), o.EffectiveInterval(), sp, rate, float64(time.Second)/float64(floor), p.Name,
			floor*time.Duration(o.EffectiveMaxHops()))
	}
	return o.probeOptions().Validate(p)
}
