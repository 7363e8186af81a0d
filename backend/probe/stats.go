package probe

import (
	"net/netip"
	"time"
)

// Stats are the running statistics of a session. The counts are exact and separate:
//
//	Sent       = Received + Lost + Outstanding
//	Received   counts first replies within the timeout (on time + out of order)
//	Lost       requests without a reply by their timeout or the session's end, including those
//	           answered only by an ICMP error (as iputils: "+N errors, 100% packet loss")
//	OutOfOrder is the part of Received that arrived after a later request's reply
//	Late       first replies after the timeout (their requests stay in Lost)
//	Duplicates further replies to an already answered request
//	Corrupt, Foreign, Errors count received messages of those classes; Errors also counts
//	           local send errors (as iputils: "+N errors")
//
// LossPercent = Lost / (Sent - Outstanding), never negative. RTT figures cover Received replies only
// (as iputils); Min/Avg/Max/Mdev are computed as iputils (mdev = sqrt(E[x^2] - E[x]^2)).
type Stats struct {
	Sent        uint64 `json:"sent"`
	Received    uint64 `json:"received"`
	Lost        uint64 `json:"lost"`
	Outstanding uint64 `json:"outstanding"`
	Duplicates  uint64 `json:"duplicates"`
	OutOfOrder  uint64 `json:"outOfOrder"`
	Late        uint64 `json:"late"`
	Corrupt     uint64 `json:"corrupt"`
	Foreign     uint64 `json:"foreign"`
	Errors      uint64 `json:"errors"`
	// SendsLate counts requests sent later than their schedule by more than the slip
	// threshold (an overloaded machine); SendLateMax is the largest such slip.
	SendsLate   uint64        `json:"sendsLate"`
	SendLateMax time.Duration `json:"sendLateMax"`

	Min  time.Duration `json:"min"`
	Avg  time.Duration `json:"avg"`
	Max  time.Duration `json:"max"`
	Mdev time.Duration `json:"mdev"`
	P50  time.Duration `json:"p50"`
	P90  time.Duration `json:"p90"`
	P99  time.Duration `json:"p99"`
	// Jitter is the RFC 3550 (6.4.1) interarrival jitter estimate over consecutive received replies.
	Jitter time.Duration `json:"jitter"`
	// EWMA is iputils' flood "ewma": the RTTs of received replies in whole microseconds,
	// smoothed with weight 1/8 (rtt += x - rtt/8), so echoscope-ping -f prints it as ping does.
	EWMA time.Duration `json:"ewma"`

	// LossPercent over the whole session; WindowLossPercent over the last WindowSize finished
	// requests (WindowSize may be smaller than Options.LossWindow early on).
	LossPercent       float64 `json:"lossPercent"`
	WindowLossPercent float64 `json:"windowLossPercent"`
	WindowSize        int     `json:"windowSize"`

	// Elapsed is the time since the first request was sent (iputils "time").
	Elapsed time.Duration `json:"elapsed"`

	// WithDuplicates are the RTT figures as iputils computes its rtt line and status line:
	// over first replies and duplicates together (a duplicate's RTT runs from its request's
	// send time). Min/Avg/Max/Mdev/EWMA above cover first replies only.
	WithDuplicates RTTFigures `json:"withDuplicates"`

	// StatsCoalesced counts statistics events the handler never saw because a newer one
	// replaced them while it lagged; EventsDropped counts packet events it never got because
	// its queue was full (see Handler): the sends went out on time either way.
	StatsCoalesced uint64 `json:"statsCoalesced"`
	EventsDropped  uint64 `json:"eventsDropped"`
}

// RTTFigures are one set of RTT statistics (zero when no RTT was counted).
type RTTFigures struct {
	Min  time.Duration `json:"min"`
	Avg  time.Duration `json:"avg"`
	Max  time.Duration `json:"max"`
	Mdev time.Duration `json:"mdev"`
	EWMA time.Duration `json:"ewma"`
}

// Summary is what Run returns: the final statistics and how the session ran.
type Summary struct {
	Stats
	// Target as given, Addr as resolved.
	Target string     `json:"target"`
	Addr   netip.Addr `json:"addr"`
	// Socket is the kind actually used; Privilege the effective privilege.
	Socket    SocketKind `json:"socket"`
	Privilege Privilege  `json:"privilege"`
	// IdentifierRewritten: the kernel put its own identifier in our requests (Linux datagram).
	IdentifierRewritten bool `json:"identifierRewritten"`
	// PayloadSize and whether the payload carried the token (>= 16 bytes).
	PayloadSize  int  `json:"payloadSize"`
	TokenMatched bool `json:"tokenMatched"`
	// OwnTrafficOnly: the caller saw only messages tied to its own requests; Foreign counts
	// the others, which were not shown (Policy.OwnTrafficOnly).
	OwnTrafficOnly bool `json:"ownTrafficOnly,omitempty"`
	// Clocks available: kernel TX / RX timestamps.
	KernelTX bool      `json:"kernelTx"`
	KernelRX bool      `json:"kernelRx"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
}
