package service

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strings"
	"time"

	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// Errors of the PingService. Bound methods wrap them with the details a person needs.
var (
	// ErrInvalidRequest: a field of the ping form is out of range or malformed.
	ErrInvalidRequest = errors.New("invalid ping request")
	// ErrBadHost: the target is neither a host name nor an IP address.
	ErrBadHost = errors.New("not a host name or IP address")
	// ErrDNS: the host name did not resolve.
	ErrDNS = errors.New("DNS lookup failed")
	// ErrNoEngine: nothing on this machine can send ICMP echo requests (the text has the fix).
	ErrNoEngine = errors.New("no ping engine available")
	// ErrUnknownSession: no session with that id.
	ErrUnknownSession = errors.New("unknown session")
	// ErrNoSuchRow: the session has no row at that position.
	ErrNoSuchRow = errors.New("no such row")
	// ErrHistory: the packet store could not be opened or written.
	ErrHistory = errors.New("packet history unavailable")
)

// Upper bounds of the form. Beyond them a typo is likelier than intent.
const (
	maxCount     = 10_000_000
	maxIntervalS = 3600
	maxTimeoutS  = 3600
	maxHostLen   = 253
)

func invalidRequest(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidRequest}, args...)...)
}

// checkHost accepts host names (RFC 1123 letters, digits, '-', '.', '_') and IP literals
// (IPv6 with zone and brackets); it rejects what no resolver could ever answer, so that
// "exa mple" fails here with a clear word instead of as a confusing DNS error.
func checkHost(host string) error {
	if host == "" {
		return fmt.Errorf("%w: type a host name or an IPv4/IPv6 address", ErrBadHost)
	}
	literal := strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if _, err := netip.ParseAddr(literal); err == nil {
		return nil
	}
	if len(host) > maxHostLen {
		return fmt.Errorf("%w: %d characters is longer than a host name can be (%d)", ErrBadHost, len(host), maxHostLen)
	}
	for _, label := range strings.Split(strings.TrimSuffix(host, "."), ".") {
		if label == "" || len(label) > 63 {
			return fmt.Errorf("%w: %q has an empty or too long label", ErrBadHost, host)
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Errorf("%w: %q: a label cannot start or end with '-'", ErrBadHost, host)
		}
		for _, c := range label {
			ok := c == '-' || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
			if !ok {
				return fmt.Errorf("%w: %q contains %q", ErrBadHost, host, c)
			}
		}
	}
	return nil
}

// millis converts a form value in milliseconds to a duration, checking its range.
func millis(name string, v float64, maxSeconds int) (time.Duration, error) {
	if math.IsNaN(v) || v < 0 {
		return 0, invalidRequest("%s must be a positive number of milliseconds", name)
	}
	if v > float64(maxSeconds)*1000 {
		return 0, invalidRequest("%s %.0f ms is above the maximum of %d s", name, v, maxSeconds)
	}
	return time.Duration(v * float64(time.Millisecond)), nil
}

// recorded is the form as a session keeps it: the text fields trimmed as options reads them.
func (r PingRequest) recorded() PingRequest {
	r.Target = strings.TrimSpace(r.Target)
	r.Pattern = strings.TrimSpace(r.Pattern)
	r.Source = strings.TrimSpace(r.Source)
	return r
}

// options turns the form into engine options, with a message naming the field at fault.
func (r PingRequest) options() (probe.Options, error) {
	var o probe.Options
	o.Target = strings.TrimSpace(r.Target)
	if err := checkHost(o.Target); err != nil {
		return o, err
	}
	if r.Count < 0 || r.Count > maxCount {
		return o, invalidRequest("count %d out of range 0..%d (0 pings until Stop)", r.Count, maxCount)
	}
	o.Count = r.Count
	var err error
	if o.Interval, err = millis("interval", r.IntervalMs, maxIntervalS); err != nil {
		return o, err
	}
	if o.Timeout, err = millis("timeout", r.TimeoutMs, maxTimeoutS); err != nil {
		return o, err
	}
	switch r.Family {
	case 0:
	case 4:
		o.Family = probe.Family4
	case 6:
		o.Family = probe.Family6
	default:
		return o, invalidRequest("IP version %d (want 4, 6 or automatic)", r.Family)
	}
	maxSize := probe.MaxPayloadIPv4
	if o.Family == probe.Family6 {
		maxSize = probe.MaxPayloadIPv6
	}
	if r.Size < 0 || r.Size > maxSize {
		return o, invalidRequest("payload size %d out of range 0..%d bytes", r.Size, maxSize)
	}
	o.Size, o.SizeSet = r.Size, r.SizeSet
	if p := strings.TrimSpace(r.Pattern); p != "" {
		b, err := wire.ParseHex(p)
		if err != nil {
			return o, invalidRequest("pattern: %v", err)
		}
		if len(b) > probe.MaxPatternLen {
			return o, invalidRequest("pattern is %d bytes, at most %d", len(b), probe.MaxPatternLen)
		}
		o.Pattern = b
	}
	if r.TTL < 0 || r.TTL > 255 {
		return o, invalidRequest("TTL %d out of range 1..255 (0: system default)", r.TTL)
	}
	o.TTL = r.TTL
	if r.DontFragment {
		o.PMTU = probe.PMTUDo
	}
	o.Source = strings.TrimSpace(r.Source)
	return o, nil
}
