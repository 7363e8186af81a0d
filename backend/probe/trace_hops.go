package probe

import (
	"fmt"
	"math"
	"net/netip"
	"time"
)

// TraceHop is what one TTL of the path gave, in mtr's terms.
type TraceHop struct {
	// TTL is the hop's number: the TTL (hop limit) its probes were sent with.
	TTL int `json:"ttl"`
	// Addrs are the addresses that answered at this TTL, first seen first (several when the
	// path balances load); at most MaxTraceHopAddrs. Names are their reverse DNS names,
	// parallel to Addrs ("" when none, or when ReverseDNS is off).
	Addrs []netip.Addr `json:"addrs"`
	Names []string     `json:"names,omitempty"`
	// Sent probes, and Received answers (the first answer of a probe within its timeout:
	// an ICMP Time Exceeded from a router, an echo reply from the destination, or another
	// ICMP error quoting the probe).
	Sent     int `json:"sent"`
	Received int `json:"received"`
	// Last, Best, Worst, Avg and StDev are the answers' round-trip times (StDev the sample
	// standard deviation, as mtr); all zero when nothing answered.
	Last  time.Duration `json:"last"`
	Best  time.Duration `json:"best"`
	Worst time.Duration `json:"worst"`
	Avg   time.Duration `json:"avg"`
	StDev time.Duration `json:"stdev"`
	// RateLimited says that this hop's loss does not carry on to the hops after it (they
	// answered more often): what a router rate-limiting the ICMP errors it sends looks like,
	// not traffic dropped there (mtr's classic misreading). Note says it in words.
	RateLimited bool   `json:"rateLimited,omitempty"`
	Note        string `json:"note,omitempty"`
	// Answers are the messages that answered this hop's probes, newest last, with their
	// bytes and the request each quotes or answers (Event.Request, matched by Event.Rule):
	// at most MaxTraceAnswersPerHop, the oldest dropped first.
	Answers []TraceAnswer `json:"answers"`

	mean, ssd float64 // Welford's running mean and sum of squares, in microseconds
}

// TraceAnswer is one message that answered a probe, with the round and TTL of that probe.
type TraceAnswer struct {
	Round int   `json:"round"`
	TTL   int   `json:"ttl"`
	Event Event `json:"event"`
}

// Per-hop bounds on what a trace keeps.
const (
	// MaxTraceHopAddrs: mtr's MAXPATH.
	MaxTraceHopAddrs = 8
	// MaxTraceAnswersPerHop: the latest messages of each hop, for the inspector.
	MaxTraceAnswersPerHop = 64
)

// LossPercent is the share of this hop's probes that got no answer, in percent.
func (h *TraceHop) LossPercent() float64 {
	if h.Sent == 0 {
		return 0
	}
	return 100 * float64(h.Sent-h.Received) / float64(h.Sent)
}

// answered adds one first answer in time.
func (h *TraceHop) answered(round int, ev Event) {
	h.Received++
	h.seen(ev.From)
	us := float64(ev.RTT) / float64(time.Microsecond)
	if h.Received == 1 {
		h.Best, h.Worst = ev.RTT, ev.RTT
	}
	h.Last = ev.RTT
	h.Best, h.Worst = min(h.Best, ev.RTT), max(h.Worst, ev.RTT)
	old := h.mean
	h.mean += (us - old) / float64(h.Received)
	h.ssd += (us - old) * (us - h.mean)
	h.Avg = time.Duration(h.mean * float64(time.Microsecond))
	if h.Received > 1 {
		h.StDev = time.Duration(math.Sqrt(h.ssd/float64(h.Received-1)) * float64(time.Microsecond))
	}
	if len(h.Answers) == MaxTraceAnswersPerHop {
		copy(h.Answers, h.Answers[1:])
		h.Answers = h.Answers[:len(h.Answers)-1]
	}
	h.Answers = append(h.Answers, TraceAnswer{Round: round, TTL: h.TTL, Event: ev})
}

func (h *TraceHop) seen(a netip.Addr) {
	if !a.IsValid() || len(h.Addrs) == MaxTraceHopAddrs {
		return
	}
	for _, x := range h.Addrs {
		if x == a {
			return
		}
	}
	h.Addrs = append(h.Addrs, a)
}

// noteRateLimits marks every hop whose loss is higher than that of some later hop that
// answered: the probes passed that router (a later hop answered them more often), only its
// answers went missing.
func noteRateLimits(hops []TraceHop) {
	for i := range hops {
		h := &hops[i]
		loss := h.LossPercent()
		if h.Sent == 0 || loss == 0 {
			continue
		}
		best := -1
		for j := i + 1; j < len(hops); j++ {
			if hops[j].Received > 0 && (best < 0 || hops[j].LossPercent() < hops[best].LossPercent()) {
				best = j
			}
		}
		if best < 0 || hops[best].LossPercent() >= loss {
			continue
		}
		h.RateLimited = true
		if h.Received == 0 {
			h.Note = fmt.Sprintf("no answer from this hop, yet hop %d answered %.1f%% of its probes: the probes pass; this router does not send (or rate-limits) ICMP Time Exceeded, it does not drop traffic",
				hops[best].TTL, 100-hops[best].LossPercent())
			continue
		}
		h.Note = fmt.Sprintf("%.1f%% loss here does not carry on to later hops (hop %d: %.1f%%): this router rate-limits the ICMP errors it sends; it does not drop traffic",
			loss, hops[best].TTL, hops[best].LossPercent())
	}
}

// reportedHops is the part of the path a report shows, as mtr: up to the destination when it
// answered, else up to one hop past the last that answered, never beyond maxHops.
func reportedHops(hops []TraceHop, dest, maxHops int) []TraceHop {
	n := 0
	if dest > 0 {
		n = dest
	} else {
		for i := range hops {
			if hops[i].Received > 0 {
				n = i + 2
			}
		}
	}
	n = min(n, maxHops, len(hops))
	return hops[:n]
}
