package probe

import (
	"fmt"
	"time"
)

// Policy is what a caller may ask for. The CLI and the agent apply UserPolicy to every
// non-root caller, whatever privileges the binary itself holds (setcap), like iputils does.
type Policy struct {
	// Name shows in error messages ("root", "user").
	Name string
	// MinInterval is the shortest Interval allowed (iputils: 2 ms for users, none for root).
	MinInterval time.Duration
	// AllowFlood allows Options.Flood.
	AllowFlood bool
	// MaxSize caps Options.Size below the protocol maximum (0 = protocol maximum).
	MaxSize int
	// MaxRate caps requests per second implied by Interval (0 = unlimited).
	MaxRate float64
	// MaxCount caps Count (0 = unlimited, endless allowed).
	MaxCount int
	// AllowMark allows Options.Mark (SO_MARK; iputils asks for CAP_NET_ADMIN, root only).
	AllowMark bool
	// MaxPreload caps Options.Preload (0 = MaxPreload).
	MaxPreload int
	// MinAdaptiveInterval is the shortest interval Options.Adaptive may reach (iputils -A:
	// 200 ms unless root).
	MinAdaptiveInterval time.Duration
	// OwnTrafficOnly: the caller sees only the messages tied to its own requests; every
	// other ICMP message the socket receives is counted as foreign, without its bytes or
	// addresses (see owntraffic.go). Set for callers without privileges of their own.
	OwnTrafficOnly bool
	// MaxTargets caps the targets of one monitor (0 = MaxMonitorTargets); the rate limits
	// above count across a monitor's targets (see MonitorOptions.Validate).
	MaxTargets int
}

// MaxUserTargets is the most targets a user's monitor may have: a /22 (1024 addresses),
// what the app offers without asking twice.
const MaxUserTargets = 1024

// RootPolicy allows everything the protocol allows.
func RootPolicy() Policy { return Policy{Name: "root", AllowFlood: true, AllowMark: true} }

// UserPolicy is the non-root policy: interval >= 2 ms, no flood, payload at most 65507/65527
// bytes with a rate cap of 500 requests/s (the 2 ms floor), and only the caller's own
// traffic shown. Broadcast still needs the explicit flag, as for everyone.
func UserPolicy() Policy {
	return Policy{
		Name:           "user",
		MinInterval:    2 * time.Millisecond,
		AllowFlood:     false,
		MaxSize:        0,
		MaxRate:        500,
		MaxPreload:     MaxUserPreload,
		OwnTrafficOnly: true,
		MaxTargets:     MaxUserTargets,
		// iputils ping -A: "Minimal interval is 200msec unless super-user".
		MinAdaptiveInterval: 200 * time.Millisecond,
	}
}

// PolicyForCurrentUser returns RootPolicy when the real user is root (uid 0 on Unix,
// elevated on Windows), UserPolicy otherwise. A setcap'd binary run by a user is a user.
// A user whose process holds CAP_NET_RAW of its own (not from this binary's file
// capability: see owntraffic.go) keeps the user's limits but sees all traffic, as they
// could with any raw socket of their own.
func PolicyForCurrentUser() Policy {
	if isRealRoot() {
		return RootPolicy()
	}
	p := UserPolicy()
	p.OwnTrafficOnly = !callerHasOwnRawCapability()
	return p
}

// Validate checks o against the protocol and against p. Errors wrap ErrInvalidOption or
// ErrPolicy. It does not resolve the target (NewSession does).
func (o Options) Validate(p Policy) error {
	if o.Target == "" {
		return invalidf("no target host")
	}
	switch o.Family {
	case FamilyAuto, Family4, Family6:
	default:
		return invalidf("family %d (want 0, 4 or 6)", int(o.Family))
	}
	switch o.Socket {
	case SocketAuto, SocketRaw, SocketDatagram, SocketWindows:
	default:
		return invalidf("socket kind %d", int(o.Socket))
	}
	switch o.PMTU {
	case PMTUDefault, PMTUDo, PMTUDont, PMTUWant, PMTUProbe:
	default:
		return invalidf("pmtu mode %d", int(o.PMTU))
	}
	if err := o.checkBounds(); err != nil {
		return err
	}
	if o.CountReplies && (o.Count == 0 || o.Deadline == 0) {
		return invalidf("counting replies needs a count and a deadline (it would never end otherwise)")
	}
	size := o.PayloadSize()
	if o.Family != Family6 && size > MaxPayloadIPv4 {
		return invalidf("payload size %d out of range 0..%d for IPv4", size, MaxPayloadIPv4)
	}

	if o.Mark != 0 && !p.AllowMark {
		return policyf("a firewall mark is for root only (policy %q)", p.Name)
	}
	if p.MaxPreload > 0 && o.Preload > p.MaxPreload {
		return policyf("preload %d is above the maximum %d for policy %q", o.Preload, p.MaxPreload, p.Name)
	}
	if o.Flood && !p.AllowFlood {
		return policyf("flood mode is for root only (policy %q)", p.Name)
	}
	iv := o.EffectiveInterval()
	if p.MinInterval > 0 && iv < p.MinInterval {
		return policyf("interval %v is below the minimum %v for policy %q", iv, p.MinInterval, p.Name)
	}
	if p.MaxRate > 0 && float64(time.Second)/float64(iv) > p.MaxRate+1e-9 {
		return policyf("rate %.0f/s is above the maximum %.0f/s for policy %q",
			float64(time.Second)/float64(iv), p.MaxRate, p.Name)
	}
	if p.MaxSize > 0 && size > p.MaxSize {
		return policyf("payload size %d is above the maximum %d for policy %q", size, p.MaxSize, p.Name)
	}
	if p.MaxCount > 0 && (o.Count == 0 || o.Count > p.MaxCount) {
		return policyf("count must be 1..%d for policy %q", p.MaxCount, p.Name)
	}
	return nil
}

// String describes the policy for logs and error messages.
func (p Policy) String() string {
	return fmt.Sprintf("%s(min interval %v, flood %v)", p.Name, p.MinInterval, p.AllowFlood)
}
