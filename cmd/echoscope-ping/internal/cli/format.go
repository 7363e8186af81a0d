package cli

import (
	"fmt"
	"io"
	"math"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"echoscope/backend/probe"
)

// textPrinter turns engine events into iputils ping's output, so that people and scripts that
// read ping can read echoscope-ping. It keeps the little state iputils' output depends on (the
// flood dots, -O's unanswered request). It is driven from the session's loop goroutine only;
// the running statistics are the engine's (EventStats), never counted here.
type textPrinter struct {
	w io.Writer
	// errW gets what iputils prints on stderr (local errors).
	errW   io.Writer
	cfg    *cliConfig
	target netip.Addr
	// names turns an address into what iputils prints for it ("localhost (127.0.0.1)" or
	// just "127.0.0.1"); nil prints addresses.
	names func(netip.Addr) string
	// now is the clock for -D when an event carries no receive time.
	now func() time.Time
	// mtu is the path MTU said after "local error: message too long" (0: unknown).
	mtu func() int

	lastSentIndex    uint64
	lastSentSeq      uint16
	lastSentAnswered bool
	// firstSend, lastSend: iputils' "time" is from the first request to the last one sent.
	firstSend, lastSend time.Time
}

func newTextPrinter(w io.Writer, cfg *cliConfig, target netip.Addr, names func(netip.Addr) string) *textPrinter {
	return &textPrinter{w: w, errW: io.Discard, cfg: cfg, target: target, names: names, now: time.Now,
		mtu: func() int { return 0 }}
}

// header is the first line: "PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data." for IPv4,
// "PING ::1(::1) 56 data bytes" for IPv6, preceded by "PATTERN: 0x.." when -p was given.
// For IPv6 iputils prints the address as its replies do ("host(host (fd00::2))"), so names
// (nil for numeric output) formats it. With -I, iputils names the source and the device
// ("from 10.251.3.1 cmp0: "; the device is empty when -I gave an address).
func header(cfg *cliConfig, target string, addr netip.Addr, names func(netip.Addr) string, src source) string {
	var b strings.Builder
	if len(cfg.opts.Pattern) > 0 && !cfg.quiet {
		fmt.Fprintf(&b, "PATTERN: 0x%x\n", cfg.opts.Pattern)
	}
	from := ""
	if cfg.opts.Source != "" && src.addr.IsValid() {
		from = fmt.Sprintf("from %s %s: ", src.addr, src.device)
	}
	size := cfg.opts.PayloadSize()
	if addr.Is4() || addr.Is4In6() {
		shown := addr.Unmap()
		if shown.IsUnspecified() {
			shown = netip.AddrFrom4([4]byte{127, 0, 0, 1}) // iputils names where 0.0.0.0 goes
		}
		fmt.Fprintf(&b, "PING %s (%s) %s%d(%d) bytes of data.\n", target, shown, from, size, size+8+20)
	} else {
		if addr.Zone() != "" {
			addr = addr.WithZone(zoneName(addr.Zone()))
		}
		shown := addr.String()
		if names != nil && !cfg.numeric {
			shown = names(addr)
		}
		fmt.Fprintf(&b, "PING %s(%s) %s%d data bytes\n", target, shown, from, size)
	}
	return b.String()
}

// formatRTT prints an RTT the way iputils does: microsecond resolution, fewer decimals as the
// value grows (0.045, 1.23, 12.3, 123).
func formatRTT(d time.Duration) string {
	us := d.Microseconds()
	switch {
	case us >= 100000-50:
		return strconv.FormatInt((us+500)/1000, 10)
	case us >= 10000-5:
		return fmt.Sprintf("%d.%01d", (us+50)/1000, ((us+50)%1000)/100)
	case us >= 1000:
		return fmt.Sprintf("%d.%02d", (us+5)/1000, ((us+5)%1000)/10)
	default:
		return fmt.Sprintf("%d.%03d", us/1000, us%1000)
	}
}

// msec3 prints a duration as milliseconds with three decimals ("0.047"), as the rtt summary.
// It truncates to the microsecond like the reply lines, so that a single reply's time and its
// min/avg/max agree (iputils keeps whole microseconds throughout).
func msec3(d time.Duration) string {
	us := d.Microseconds()
	return fmt.Sprintf("%d.%03d", us/1000, us%1000)
}

func (p *textPrinter) addr(a netip.Addr) string {
	if a.Is6() && a.Zone() == "" && (a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast()) && p.target.Zone() != "" {
		// A link-local reply came in by the target's zone: iputils names it (fe80::1%eth0).
		a = a.WithZone(zoneName(p.target.Zone()))
	}
	if p.names == nil || p.cfg.numeric {
		return a.String()
	}
	return p.names(a)
}

// zoneName is an IPv6 zone as iputils prints it: the interface's name, also when the
// zone was given as its index (fe80::1%2 -> fe80::1%eth0).
func zoneName(zone string) string {
	if n, err := strconv.Atoi(zone); err == nil {
		if ifi, err := net.InterfaceByIndex(n); err == nil {
			return ifi.Name
		}
	}
	return zone
}

func (p *textPrinter) timestampPrefix(ev probe.Event) string {
	if !p.cfg.timestamps {
		return ""
	}
	t := ev.Received.Time
	if t.IsZero() {
		t = p.now()
	}
	return fmt.Sprintf("[%d.%06d] ", t.Unix(), t.Nanosecond()/1000)
}

// isSendFailure tells an EventSend whose send call failed (a local error).
func isSendFailure(ev probe.Event) bool {
	return ev.Kind == probe.EventSend && strings.HasPrefix(ev.Note, probe.SendFailedNote)
}

// isLocalError tells an error the kernel queued about our own request before it left
// (datagram sockets: "local error: message too long").
func isLocalError(ev probe.Event) bool {
	return ev.Kind == probe.EventICMPError && strings.HasPrefix(ev.Note, "local error")
}

// localError words a failed send as iputils does ("local error: message too long,
// mtu=1500"), for stderr.
func (p *textPrinter) localError(ev probe.Event) string {
	why := strings.TrimPrefix(ev.Note, probe.SendFailedNote)
	if strings.Contains(why, "message too long") {
		why = "message too long"
		if mtu := p.mtu(); mtu > 0 {
			why += fmt.Sprintf(", mtu=%d", mtu)
		}
	}
	return "local error: " + why
}

// noteSend keeps the send times iputils' "time" spans and says a local send error on
// stderr, as iputils does (also under -j, whose stdout has no place for it).
func (p *textPrinter) noteSend(ev probe.Event) {
	if ev.Kind != probe.EventSend {
		return
	}
	if p.firstSend.IsZero() {
		p.firstSend = ev.Sent.Time
	}
	p.lastSend = ev.Sent.Time
	if isSendFailure(ev) && !p.cfg.quiet && !p.cfg.opts.Flood {
		fmt.Fprintf(p.errW, "%s: %s\n", prog, p.localError(ev))
	}
}

// Event prints one event.
func (p *textPrinter) Event(ev probe.Event) {
	p.noteSend(ev)
	if p.cfg.opts.Flood {
		p.floodEvent(ev)
		return
	}
	if p.cfg.quiet {
		return
	}
	switch ev.Kind {
	case probe.EventSend:
		if p.cfg.outstanding && p.lastSentIndex != 0 && !p.lastSentAnswered {
			fmt.Fprintf(p.w, "%sno answer yet for icmp_seq=%d\n", p.timestampPrefix(ev), p.lastSentSeq)
		}
		p.lastSentIndex, p.lastSentSeq, p.lastSentAnswered = ev.Index, ev.Seq, false
	case probe.EventReply:
		if ev.Index != 0 && ev.Index == p.lastSentIndex {
			p.lastSentAnswered = true
		}
		if line := p.replyLine(ev); line != "" {
			bell := ""
			if p.cfg.audible && ev.Class == probe.ClassOnTime {
				bell = "\a" // iputils rings before the newline
			}
			fmt.Fprintf(p.w, "%s%s%s\n", p.timestampPrefix(ev), line, bell)
		}
	case probe.EventICMPError:
		if ev.Index != 0 && ev.Index == p.lastSentIndex {
			p.lastSentAnswered = true
		}
		if ev.Class == probe.ClassForeign && !p.cfg.verbose {
			return
		}
		if isLocalError(ev) {
			// The kernel's own report of a send that failed, said already (localError).
			return
		}
		fmt.Fprintf(p.w, "%s%s\n", p.timestampPrefix(ev), p.errorLine(ev))
	}
}

// floodEvent prints iputils' flood dots: a dot per request, a backspace per reply, E for errors.
func (p *textPrinter) floodEvent(ev probe.Event) {
	if p.cfg.quiet {
		return
	}
	switch ev.Kind {
	case probe.EventSend:
		io.WriteString(p.w, ".")
	case probe.EventReply:
		if ev.Class == probe.ClassOnTime || ev.Class == probe.ClassOutOfOrder {
			io.WriteString(p.w, "\b \b")
		}
	case probe.EventICMPError:
		if ev.Class == probe.ClassICMPError {
			io.WriteString(p.w, "\bE")
		}
	}
}

// replyLine is "64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.045 ms" with iputils'
// markers, and ours for what iputils cannot tell apart. Foreign replies only with -v.
func (p *textPrinter) replyLine(ev probe.Event) string {
	// The engine calls a reply from another address foreign even when it otherwise matches
	// one of our requests; iputils prints those as replies marked (DIFFERENT ADDRESS!).
	differentAddress := ev.Class == probe.ClassForeign && ev.Index != 0 && strings.HasPrefix(ev.Note, "different address")
	if ev.Class == probe.ClassForeign && !differentAddress {
		if !p.cfg.verbose {
			return ""
		}
		return fmt.Sprintf("%d bytes from %s: icmp_id=%d icmp_seq=%d (FOREIGN: %s)", ev.Size, p.addr(ev.From), ev.ID, ev.Seq, orDefault(ev.Note, "not ours"))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d bytes from %s: icmp_seq=%d", ev.Size, p.addr(ev.From), ev.Seq)
	if ev.TTL >= 0 {
		fmt.Fprintf(&b, " ttl=%d", ev.TTL)
	}
	if ev.RTT > 0 {
		fmt.Fprintf(&b, " time=%s ms", formatRTT(ev.RTT))
	}
	switch ev.Class {
	case probe.ClassDuplicate:
		b.WriteString(" (DUP!)")
	case probe.ClassLate:
		b.WriteString(" (LATE!)")
	case probe.ClassOutOfOrder:
		b.WriteString(" (OUT OF ORDER!)")
	case probe.ClassCorrupt:
		b.WriteString(corruptMarker(ev.Note))
	}
	if differentAddress || (ev.From.IsValid() && p.target.IsValid() && !sameHost(ev.From, p.target) && !p.cfg.opts.Broadcast) {
		b.WriteString(" (DIFFERENT ADDRESS!)")
	}
	return b.String()
}

// sameHost tells that a reply from from answers a ping to target: the same address
// whatever the zone (::1%lo is ::1), and this host's loopback for 0.0.0.0 and ::, which
// the kernel answers from its loopback address.
func sameHost(from, target netip.Addr) bool {
	f, t := from.Unmap().WithZone(""), target.Unmap().WithZone("")
	if t.IsUnspecified() {
		return f.IsLoopback() || f == t
	}
	return f == t
}

// corruptMarker keeps iputils' "(BAD CHECKSUM!)" for checksum failures and names the other
// kinds of damage the same way.
func corruptMarker(note string) string {
	n := strings.ToLower(note)
	switch {
	case strings.Contains(n, "checksum"):
		return " (BAD CHECKSUM!)"
	case strings.Contains(n, "truncat"):
		return " (TRUNCATED!)"
	case note != "":
		return " (CORRUPT: " + note + ")"
	default:
		return " (CORRUPT!)"
	}
}

// errorLine is "From 198.18.0.2 icmp_seq=3 Destination Host Unreachable".
func (p *textPrinter) errorLine(ev probe.Event) string {
	text := icmpErrorText(ev)
	if ev.Class == probe.ClassForeign {
		return fmt.Sprintf("From %s: %s (FOREIGN: %s)", p.addr(ev.From), text, orDefault(ev.Note, "not ours"))
	}
	return fmt.Sprintf("From %s icmp_seq=%d %s", p.addr(ev.From), ev.Seq, text)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Loss line for -O is printed on the next send (see Event); this prints the final statistics.

// statistics is iputils' final block, from the blank line to the rtt line.
func (p *textPrinter) statistics(target string, st probe.Stats) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n--- %s ping statistics ---\n", target)
	fmt.Fprintf(&b, "%d packets transmitted, %d received", st.Sent, st.Received)
	plus := func(n uint64, what string) {
		if n > 0 {
			fmt.Fprintf(&b, ", +%d %s", n, what)
		}
	}
	plus(st.Duplicates, "duplicates")
	plus(st.Corrupt, "corrupted")
	plus(st.Errors, "errors")
	plus(st.Late, "late")
	plus(st.OutOfOrder, "out of order")
	if p.cfg.verbose {
		// Other processes' pings are not this session's business unless asked (iputils
		// never mentions them; a raw socket on a busy host sees thousands).
		plus(st.Foreign, "foreign")
	}
	loss := 0.0
	if st.Sent > 0 {
		loss = float64(st.Sent-min(st.Received, st.Sent)) * 100 / float64(st.Sent)
	}
	fmt.Fprintf(&b, ", %s%% packet loss, time %dms\n", cFormatG(loss), (p.sendSpan(st) + time.Millisecond/2).Milliseconds())
	sep := ""
	if w := st.WithDuplicates; st.Received > 0 && w.Max > 0 {
		// iputils' rtt line counts duplicates' RTTs too (tsum over nreceived + nrepeats).
		fmt.Fprintf(&b, "rtt min/avg/max/mdev = %s/%s/%s/%s ms", msec3(w.Min), msec3(w.Avg), msec3(w.Max), msec3(w.Mdev))
		sep = ", "
	}
	if ipg, ewma, ok := ipgEWMA(p.cfg, st, p.sendSpan(st)); ok {
		fmt.Fprintf(&b, "%sipg/ewma %s/%s ms", sep, ipg, ewma)
	}
	b.WriteString("\n")
	return b.String()
}

// sendSpan is iputils' "time": from the first request to the last one sent (its cur_time
// minus start_time), not to the end of the wait for replies. A quiet flood's printer sees
// no events: then the engine's Elapsed, which differs by the last reply's RTT.
func (p *textPrinter) sendSpan(st probe.Stats) time.Duration {
	if p.firstSend.IsZero() {
		return max(0, st.Elapsed)
	}
	return max(0, p.lastSend.Sub(p.firstSend))
}

// ipgEWMA are iputils' "ipg/ewma" figures, printed for floods, -A and -i 0 once a reply came
// and more than one request went out: the mean gap between requests and the smoothed RTT.
func ipgEWMA(cfg *cliConfig, st probe.Stats, span time.Duration) (ipg, ewma string, ok bool) {
	if st.Received == 0 || st.Sent < 2 || !(cfg.opts.Flood || cfg.opts.Adaptive || cfg.opts.Interval == time.Nanosecond) {
		return "", "", false
	}
	us := span.Microseconds() / int64(st.Sent-1)
	return fmt.Sprintf("%d.%03d", us/1000, us%1000), msec3(st.WithDuplicates.EWMA), true
}

// cFormatG formats like C's printf("%g"): six significant digits, trailing zeros dropped.
func cFormatG(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "0"
	}
	return strconv.FormatFloat(f, 'g', 6, 64)
}

// exitCode follows iputils: 0 when replies came, 1 when none did (or, with both -c and -w,
// fewer than -c), 2 is for errors and decided elsewhere.
func exitCode(o probe.Options, st probe.Stats) int {
	if st.Received == 0 {
		return 1
	}
	if o.Deadline > 0 && o.Count > 0 && st.Received < uint64(o.Count) {
		return 1
	}
	return 0
}
