package cli

import (
	"fmt"
	"io"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"echoscope/backend/probe"
)

// textPrinter turns engine events into iputils ping's output, so that people and scripts that
// read ping can read echoscope-ping. It keeps the little state iputils' output depends on (the
// flood dots, -O's unanswered request, the running tally). It is driven from the session's
// loop goroutine only; only the tally is read from elsewhere (SIGQUIT), and it has its lock.
type textPrinter struct {
	w      io.Writer
	cfg    *cliConfig
	target netip.Addr
	// names turns an address into what iputils prints for it ("localhost (127.0.0.1)" or
	// just "127.0.0.1"); nil prints addresses.
	names func(netip.Addr) string
	// now is the clock for -D when an event carries no receive time.
	now func() time.Time

	lastSentIndex    uint64
	lastSentSeq      uint16
	lastSentAnswered bool
	// tally has the running counts and iputils' ewma for ipg/ewma and SIGQUIT.
	tally tally
}

func newTextPrinter(w io.Writer, cfg *cliConfig, target netip.Addr, names func(netip.Addr) string) *textPrinter {
	return &textPrinter{w: w, cfg: cfg, target: target, names: names, now: time.Now}
}

// header is the first line: "PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data." for IPv4,
// "PING ::1(::1) 56 data bytes" for IPv6, preceded by "PATTERN: 0x.." when -p was given.
// For IPv6 iputils prints the address as its replies do ("host(host (fd00::2))"), so names
// (nil for numeric output) formats it.
func header(cfg *cliConfig, target string, addr netip.Addr, names func(netip.Addr) string) string {
	var b strings.Builder
	if len(cfg.opts.Pattern) > 0 {
		fmt.Fprintf(&b, "PATTERN: 0x%x\n", cfg.opts.Pattern)
	}
	size := cfg.opts.PayloadSize()
	if addr.Is4() || addr.Is4In6() {
		fmt.Fprintf(&b, "PING %s (%s) %d(%d) bytes of data.\n", target, addr.Unmap(), size, size+8+20)
	} else {
		shown := addr.String()
		if names != nil && !cfg.numeric {
			shown = names(addr)
		}
		fmt.Fprintf(&b, "PING %s(%s) %d data bytes\n", target, shown, size)
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
	if p.names == nil || p.cfg.numeric {
		return a.String()
	}
	return p.names(a)
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

// Event prints one event.
func (p *textPrinter) Event(ev probe.Event) {
	p.tally.add(ev)
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
			fmt.Fprintf(p.w, "%s%s\n", p.timestampPrefix(ev), line)
			if p.cfg.audible && ev.Class == probe.ClassOnTime {
				io.WriteString(p.w, "\a")
			}
		}
	case probe.EventICMPError:
		if ev.Index != 0 && ev.Index == p.lastSentIndex {
			p.lastSentAnswered = true
		}
		if ev.Class == probe.ClassForeign && !p.cfg.verbose {
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
	if differentAddress || (ev.From.IsValid() && p.target.IsValid() && ev.From.Unmap() != p.target.Unmap() && !p.cfg.opts.Broadcast) {
		b.WriteString(" (DIFFERENT ADDRESS!)")
	}
	return b.String()
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
	fmt.Fprintf(&b, ", %s%% packet loss, time %dms\n", cFormatG(loss), st.Elapsed.Milliseconds())
	sep := ""
	if st.Received > 0 && st.Max > 0 {
		fmt.Fprintf(&b, "rtt min/avg/max/mdev = %s/%s/%s/%s ms", msec3(st.Min), msec3(st.Avg), msec3(st.Max), msec3(st.Mdev))
		sep = ", "
	}
	if st.Received > 0 && st.Sent > 1 && (p.cfg.opts.Flood || p.cfg.opts.Interval == time.Nanosecond) {
		ipg := st.Elapsed.Microseconds() / int64(st.Sent-1)
		fmt.Fprintf(&b, "%sipg/ewma %d.%03d/%s ms", sep, ipg/1000, ipg%1000, msec3(st.EWMA))
	}
	b.WriteString("\n")
	return b.String()
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
