package probe

import (
	"time"
)

// Family selects the IP version.
type Family int

const (
	// FamilyAuto uses whatever the target resolves to, preferring IPv4 (as iputils ping).
	FamilyAuto Family = 0
	// Family4 forces IPv4 (ping -4).
	Family4 Family = 4
	// Family6 forces IPv6 (ping -6).
	Family6 Family = 6
)

func (f Family) String() string {
	switch f {
	case Family4:
		return "ipv4"
	case Family6:
		return "ipv6"
	default:
		return "auto"
	}
}

// SocketKind is how packets reach the network.
type SocketKind int

const (
	// SocketAuto picks the best kind available: raw, then datagram (or the Windows API).
	SocketAuto SocketKind = iota
	// SocketRaw is a raw ICMP socket (ip4:icmp / ip6:ipv6-icmp). Needs root or CAP_NET_RAW
	// (Administrator on Windows). IPv4 receives include the IP header; IPv6 ones do not.
	SocketRaw
	// SocketDatagram is an unprivileged ICMP datagram socket (udp4/udp6). On Linux the kernel
	// rewrites the identifier to the local port, fills the checksum and strips the IP header.
	SocketDatagram
	// SocketWindows is IcmpSendEcho2/Icmp6SendEcho2 from iphlpapi.dll (Windows, no admin).
	// Only the reply's data, address, TTL and status are visible, never the raw reply bytes.
	SocketWindows
)

func (k SocketKind) String() string {
	switch k {
	case SocketRaw:
		return "raw"
	case SocketDatagram:
		return "datagram"
	case SocketWindows:
		return "windows"
	default:
		return "auto"
	}
}

// ParseSocketKind accepts "auto", "raw", "datagram" (or "dgram") and "windows".
func ParseSocketKind(s string) (SocketKind, error) {
	switch s {
	case "", "auto":
		return SocketAuto, nil
	case "raw":
		return SocketRaw, nil
	case "datagram", "dgram", "udp":
		return SocketDatagram, nil
	case "windows", "iphlpapi":
		return SocketWindows, nil
	}
	return SocketAuto, invalidf("socket kind %q (want auto, raw, datagram or windows)", s)
}

// PMTUMode is path MTU discovery / don't-fragment handling, as ping -M.
type PMTUMode int

const (
	// PMTUDefault leaves the system default alone.
	PMTUDefault PMTUMode = iota
	// PMTUDo sets don't-fragment and refuses to send packets larger than the known path MTU (-M do).
	PMTUDo
	// PMTUDont never sets don't-fragment (-M dont).
	PMTUDont
	// PMTUWant does discovery but fragments locally when the packet is too large (-M want).
	PMTUWant
	// PMTUProbe sets don't-fragment and ignores the cached path MTU (-M probe).
	PMTUProbe
)

func (m PMTUMode) String() string {
	switch m {
	case PMTUDo:
		return "do"
	case PMTUDont:
		return "dont"
	case PMTUWant:
		return "want"
	case PMTUProbe:
		return "probe"
	default:
		return "default"
	}
}

// ParsePMTUMode accepts the ping -M words: do, dont, want, probe (and "" for default).
func ParsePMTUMode(s string) (PMTUMode, error) {
	switch s {
	case "":
		return PMTUDefault, nil
	case "do":
		return PMTUDo, nil
	case "dont":
		return PMTUDont, nil
	case "want":
		return PMTUWant, nil
	case "probe":
		return PMTUProbe, nil
	}
	return PMTUDefault, invalidf("pmtu mode %q (want do, dont, want or probe)", s)
}

// Defaults, as iputils ping.
const (
	DefaultInterval = time.Second
	DefaultTimeout  = 10 * time.Second
	DefaultSize     = 56
	// FloodInterval is the pace of flood mode when no interval is given: as fast as replies
	// come back, but at least one request per 10 ms (iputils -f).
	FloodInterval = 10 * time.Millisecond
	// DefaultLossWindow is how many recent requests the sliding-window loss covers.
	DefaultLossWindow = 100
	// MaxUserPreload is the largest Preload a user (not root) may ask for, as iputils -l.
	MaxUserPreload = 3
	// MaxPreload and MaxSendBuffer bound Preload and SendBuffer for everyone.
	MaxPreload    = 65536
	MaxSendBuffer = 1 << 26
	// MaxPatternLen is the longest payload pattern (ping -p takes up to 16 bytes).
	MaxPatternLen = 16
	// PayloadHeaderLen is the token (8 bytes) + send time (8 bytes) at the start of each payload.
	// With a smaller payload the engine matches on identifier and sequence alone.
	PayloadHeaderLen = 16
	// MaxPayloadIPv4 is 65535 - 20 (IPv4 header) - 8 (ICMP header).
	MaxPayloadIPv4 = 65507
	// MaxPayloadIPv6 is 65535 (payload length) - 8 (ICMPv6 header), without jumbograms.
	MaxPayloadIPv6 = 65527
)

// Options describe one ping session. The zero value of each field means "the iputils default".
// Options are plain data (JSON-friendly) so that the agent protocol can carry them as they are.
type Options struct {
	// Target is a host name or an IP address literal (IPv6 zones allowed: fe80::1%eth0).
	Target string `json:"target"`
	// Family forces IPv4 or IPv6 (-4 / -6).
	Family Family `json:"family,omitempty"`
	// Socket selects the socket kind; SocketAuto picks the best available.
	Socket SocketKind `json:"socket,omitempty"`

	// Count is the number of requests to send (-c); 0 means until Deadline or cancellation.
	Count int `json:"count,omitempty"`
	// Interval between requests (-i); 0 means DefaultInterval (FloodInterval with Flood).
	Interval time.Duration `json:"interval,omitempty"`
	// Timeout is how long one request waits for its reply before it is lost (-W);
	// 0 means DefaultTimeout. A reply after its timeout is classified late.
	Timeout time.Duration `json:"timeout,omitempty"`
	// Deadline ends the whole session after this long, whatever Count says (-w); 0 means none.
	// Requests still within their timeout when the deadline falls are reported lost.
	Deadline time.Duration `json:"deadline,omitempty"`

	// Size is the ICMP payload length in bytes (-s), 0 up to the protocol maximum. Size 0
	// with SizeSet false means DefaultSize (56); set SizeSet for a real zero-byte payload.
	Size int `json:"size"`
	// SizeSet tells that Size was chosen explicitly (so Size 0 really means 0 bytes).
	SizeSet bool `json:"sizeSet,omitempty"`
	// Pattern fills the payload after the 16-byte header, repeated (-p); up to MaxPatternLen
	// bytes; empty means the bytes 0x00, 0x01, 0x02, ... as iputils.
	Pattern []byte `json:"pattern,omitempty"`

	// TTL (IPv4) or hop limit (IPv6) of outgoing requests (-t); 0 means the system default.
	TTL int `json:"ttl,omitempty"`
	// PMTU is the don't-fragment / path MTU discovery mode (-M).
	PMTU PMTUMode `json:"pmtu,omitempty"`
	// TOS is the IPv4 type of service / IPv6 traffic class byte (-Q); 0 leaves it alone.
	TOS int `json:"tos,omitempty"`
	// Source is a local address or an interface name to send from (-I).
	Source string `json:"source,omitempty"`

	// DontRoute bypasses the routing table (SO_DONTROUTE, ping -r): the target must be on a
	// directly attached network. Linux only.
	DontRoute bool `json:"dontRoute,omitempty"`
	// Mark tags outgoing requests with this firewall mark (SO_MARK, ping -m); 0 sets none.
	// Needs CAP_NET_ADMIN, and the policy's AllowMark (root only, as iputils). Linux only.
	Mark uint32 `json:"mark,omitempty"`
	// SendBuffer sets the socket's send buffer in bytes (SO_SNDBUF, ping -S); 0 leaves the
	// system default. The kernel caps it at net.core.wmem_max. Linux only.
	SendBuffer int `json:"sendBuffer,omitempty"`
	// Preload sends this many requests at once at the start, then keeps the interval (ping
	// -l); 0 or 1 sends one. Users may preload at most MaxUserPreload (iputils' limit).
	Preload int `json:"preload,omitempty"`

	// Adaptive adapts the interval to the round-trip time after every first reply (ping
	// -A): the smoothed RTT (Stats.EWMA) rounded to the millisecond, at least the policy's
	// MinAdaptiveInterval; below a millisecond the next request goes as the reply arrives,
	// at least one every FloodInterval, as a flood. Interval is the pace until a reply came.
	Adaptive bool `json:"adaptive,omitempty"`

	// Broadcast allows pinging a broadcast address (-b); without it such targets are refused.
	Broadcast bool `json:"broadcast,omitempty"`
	// Flood sends a request as soon as a reply arrives (each first reply), or every Interval
	// (FloodInterval by default), whichever is sooner (-f). Root only under UserPolicy.
	Flood bool `json:"flood,omitempty"`

	// Identifier is the echo identifier to use (-e); 0 makes NewSession pick a random one.
	// Datagram sockets on Linux ignore it (the kernel puts its local port there).
	Identifier uint16 `json:"identifier,omitempty"`
	// Token is the 64-bit session token written into every payload; 0 makes NewSession pick
	// a random one.
	Token uint64 `json:"token,omitempty"`

	// ErrorsAnswer resolves a request as soon as an ICMP error quotes it (or its send fails
	// locally): it is lost at once instead of at its timeout, so a Count session ends when
	// every request got a reply or an error (iputils ping: "nreceived + nerrors >= npackets").
	// Off, a request answered only by an error waits for its timeout, in case a reply follows.
	ErrorsAnswer bool `json:"errorsAnswer,omitempty"`
	// StopOnError ends the session at the first ICMP error about one of its requests or the
	// first local send error (iputils ping -w stops there).
	StopOnError bool `json:"stopOnError,omitempty"`
	// CountReplies makes Count the number of replies wanted instead of requests: requests go
	// on until Count replies came (or Deadline, which it needs, passes), as iputils ping
	// -c N -w D does ("wait until the host is up").
	CountReplies bool `json:"countReplies,omitempty"`

	// Linger keeps listening this long after the last request is resolved (answered or lost),
	// so late replies and duplicates still get classified; 0 ends at once (as iputils).
	Linger time.Duration `json:"linger,omitempty"`

	// StatsEvery emits an EventStats every this long; 0 means never (the final Summary
	// is always returned by Run).
	StatsEvery time.Duration `json:"statsEvery,omitempty"`
	// LossWindow is how many of the most recent finished requests WindowLoss covers;
	// 0 means DefaultLossWindow.
	LossWindow int `json:"lossWindow,omitempty"`

	// forceDirect runs a non-flood session through the direct loop too, so tests can hold
	// both loops to the same scenarios. Not part of the API (and never serialised).
	forceDirect bool
	// userSendTimes: no kernel TX timestamps are asked for (Session.UserSendTimes).
	userSendTimes bool
}

// directIO tells whether the session's socket is driven by the loop itself (flood mode,
// where a reader goroutine and channel hand-offs would cost more than the I/O).
func (o *Options) directIO() bool { return o.Flood || o.forceDirect }

// PayloadSize returns the effective payload length: Size when set, DefaultSize otherwise.
func (o Options) PayloadSize() int {
	if o.SizeSet || o.Size != 0 {
		return o.Size
	}
	return DefaultSize
}

// EffectiveInterval returns the interval the session will use.
func (o Options) EffectiveInterval() time.Duration {
	if o.Interval > 0 {
		return o.Interval
	}
	if o.Flood {
		return FloodInterval
	}
	return DefaultInterval
}

// EffectiveTimeout returns the per-request timeout the session will use.
func (o Options) EffectiveTimeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

// EffectiveLossWindow returns the sliding loss window size the session will use.
func (o Options) EffectiveLossWindow() int {
	if o.LossWindow > 0 {
		return o.LossWindow
	}
	return DefaultLossWindow
}
