package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"echoscope/backend/probe"
)

// fpingTM formats a time as fping 5.1's sprint_tm: milliseconds with three significant
// digits or so (0.045, 1.23, 12.3, 123), as every fping line prints RTTs.
func fpingTM(d time.Duration) string {
	t := float64(d.Nanoseconds()) / 1e6
	switch {
	case t < 0:
		return fmt.Sprintf("%.2g", t)
	case t < 1:
		return fmt.Sprintf("%.3f", t)
	case t < 10:
		return fmt.Sprintf("%.2f", t)
	case t < 100:
		return fmt.Sprintf("%.1f", t)
	case t < 1_000_000:
		return fmt.Sprintf("%.0f", t)
	}
	return fmt.Sprintf("%.3e", t)
}

// fpingTarget is what the fping printer keeps of one target while the monitor runs. Only
// the monitor's handler goroutine touches it until Run returns.
type fpingTarget struct {
	name   string
	sent   int
	recv   int
	rttSum time.Duration
	alive  bool
	// rtts[k] is ping k's RTT (-C), -1 when it had none.
	rtts []time.Duration
}

// fpingText prints fping's lines for the events of a monitor.
type fpingText struct {
	cfg     *fpingConfig
	out     io.Writer // stdout: replies, timeouts, alive and unreachable lines
	errW    io.Writer // stderr: duplicates, ICMP errors, the summaries
	width   int       // fping pads names to the longest (%-*s)
	targets []*fpingTarget
	// lastPing is the number of requests of a target in the default mode (retries + 1):
	// the loss of that one makes the target unreachable.
	lastPing uint64
}

func newFpingText(cfg *fpingConfig, out, errW io.Writer, names []string) *fpingText {
	p := &fpingText{cfg: cfg, out: out, errW: errW, lastPing: uint64(cfg.retries + 1)}
	for _, n := range names {
		p.width = max(p.width, len(n))
		p.targets = append(p.targets, &fpingTarget{name: n})
	}
	return p
}

func (p *fpingText) countMode() bool { return p.cfg.count > 0 || p.cfg.loop }

// loss is fping's integer loss percentage of a target so far.
func (t *fpingTarget) loss() int {
	if t.sent == 0 {
		return 0
	}
	return (t.sent - t.recv) * 100 / t.sent
}

// avg is fping's running average as printed ("NaN" before a reply).
func (t *fpingTarget) avg() string {
	if t.recv == 0 {
		return "NaN"
	}
	return fpingTM(t.rttSum / time.Duration(t.recv))
}

// Event handles one monitor event (the MonitorHandler).
func (p *fpingText) Event(i int, ev probe.Event) {
	t := p.targets[i]
	ping := int(ev.Index) - 1 // fping numbers pings from 0: "[0]"
	switch ev.Kind {
	case probe.EventSend:
		t.sent++
		if p.cfg.vcount {
			t.rtts = append(t.rtts, -1)
		}
	case probe.EventReply:
		switch ev.Class {
		case probe.ClassOnTime, probe.ClassOutOfOrder:
			t.recv++
			t.rttSum += ev.RTT
			if ping >= 0 && ping < len(t.rtts) {
				t.rtts[ping] = ev.RTT
			}
			p.replied(t, ev, ping)
		case probe.ClassDuplicate:
			// fping prints duplicates on stderr, name unpadded, when it prints no line
			// per reply (the default mode, or -q): even with -q, but not with -c alone.
			if !p.countMode() || p.cfg.quiet {
				fmt.Fprintf(p.errW, "%s : duplicate for [%d], %d bytes, %s ms\n", t.name, ping, ev.Size, fpingTM(ev.RTT))
			}
		}
	case probe.EventICMPError:
		// fping 5.1 filters ICMPv6 down to echo replies, so it never says (or counts) an
		// ICMPv6 error; its lines are kept here, and --json has the errors all the same.
		if ev.Class == probe.ClassICMPError && !p.cfg.quiet && isIPv4Event(ev) {
			fmt.Fprintf(p.errW, "%s from %s for ICMP Echo sent to %s\n", fpingICMPText(ev), addrString(ev.From), t.name)
		}
	case probe.EventLoss:
		if strings.Contains(ev.Note, "stopped") {
			return // interrupted: fping prints the summaries only
		}
		switch {
		case p.countMode():
			if !p.cfg.quiet {
				fmt.Fprintf(p.out, "%-*s : [%d], timed out (%s avg, %d%% loss)\n", p.width, t.name, ping, t.avg(), t.loss())
			}
		case ev.Index == p.lastPing && !t.alive:
			p.unreachable(t)
		}
	}
}

// replied prints a first reply: its line in count mode, "is alive" once in the default mode.
func (p *fpingText) replied(t *fpingTarget, ev probe.Event, ping int) {
	if p.countMode() {
		t.alive = true
		if !p.cfg.quiet {
			fmt.Fprintf(p.out, "%-*s : [%d], %d bytes, %s ms (%s avg, %d%% loss)\n", p.width, t.name, ping, ev.Size,
				fpingTM(ev.RTT), t.avg(), t.loss())
		}
		return
	}
	if t.alive {
		return
	}
	t.alive = true
	if p.cfg.quiet || (p.cfg.unreach && !p.cfg.alive) {
		return
	}
	line := t.name
	if !p.cfg.alive {
		line += " is alive"
	}
	if p.cfg.elapsed {
		line += " (" + fpingTM(ev.RTT) + " ms)"
	}
	fmt.Fprintln(p.out, line)
}

func (p *fpingText) unreachable(t *fpingTarget) {
	if p.cfg.quiet || (p.cfg.alive && !p.cfg.unreach) {
		return
	}
	if p.cfg.unreach {
		fmt.Fprintln(p.out, t.name)
		return
	}
	fmt.Fprintln(p.out, t.name+" is unreachable")
}

// finish prints what fping prints at the end, on stderr: the per-target summaries of the
// count mode and, with -s, the global statistics.
func (p *fpingText) finish(sum probe.MonitorSummary, unknown int) {
	if p.countMode() {
		if !p.cfg.quiet {
			fmt.Fprintln(p.errW)
		}
		for i, t := range p.targets {
			if p.cfg.vcount {
				var b strings.Builder
				fmt.Fprintf(&b, "%-*s :", p.width, t.name)
				for _, r := range t.rtts {
					if r < 0 {
						b.WriteString(" -")
					} else {
						b.WriteString(" " + fpingTM(r))
					}
				}
				fmt.Fprintln(p.errW, b.String())
				continue
			}
			s := sum.Targets[i]
			line := fmt.Sprintf("%-*s : xmt/rcv/%%loss = %d/%d/%d%%", p.width, t.name, s.Sent, s.Received, lossOf(s.Stats))
			if s.Received > 0 {
				line += fmt.Sprintf(", min/avg/max = %s/%s/%s", fpingTM(s.Min), fpingTM(s.Avg), fpingTM(s.Max))
			}
			fmt.Fprintln(p.errW, line)
		}
	}
	if p.cfg.stats {
		fmt.Fprint(p.errW, fpingGlobalStats(sum, unknown))
	}
}

// lossOf is fping's integer loss of a finished target.
func lossOf(s probe.Stats) uint64 {
	if s.Sent == 0 {
		return 0
	}
	return (s.Sent - s.Received) * 100 / s.Sent
}

// fpingGlobalStats is fping -s: counts over every target, then the RTTs of first replies.
func fpingGlobalStats(sum probe.MonitorSummary, unknown int) string {
	var alive, lost, sent, replies, other, recv uint64
	var minRTT, maxRTT, total time.Duration
	for _, s := range sum.Targets {
		if s.Received > 0 {
			alive++
			if recv == 0 || s.Min < minRTT {
				minRTT = s.Min
			}
			maxRTT = max(maxRTT, s.Max)
			total += s.Avg * time.Duration(s.Received)
			recv += s.Received
		}
		lost += s.Lost
		sent += s.Sent
		replies += s.Received + s.Duplicates + s.Late // fping counts every echo reply it read
		if s.Addr.Is4() || s.Addr.Is4In6() {
			other += s.Errors // fping sees no ICMPv6 error (see Event)
		}
	}
	avg := time.Duration(0)
	if recv > 0 {
		avg = total / time.Duration(recv)
	}
	n := uint64(len(sum.Targets))
	var b strings.Builder
	fmt.Fprintf(&b, "\n %7d targets\n %7d alive\n %7d unreachable\n %7d unknown addresses\n\n", n, alive, n-alive, unknown)
	fmt.Fprintf(&b, " %7d timeouts (waiting for response)\n %7d ICMP Echos sent\n %7d ICMP Echo Replies received\n %7d other ICMP received\n\n",
		lost, sent, replies, other)
	fmt.Fprintf(&b, " %s ms (min round trip time)\n %s ms (avg round trip time)\n %s ms (max round trip time)\n",
		fpingTM(minRTT), fpingTM(avg), fpingTM(maxRTT))
	fmt.Fprintf(&b, " %12.3f sec (elapsed real time)\n\n", sum.End.Sub(sum.Start).Seconds())
	return b.String()
}

// isIPv4Event tells an ICMPv4 message from an ICMPv6 one.
func isIPv4Event(ev probe.Event) bool {
	return ev.From.Is4() || ev.From.Is4In6() || ev.IncludesIPHeader
}

// fpingICMPText names an ICMPv4 error as fping 5.1 does ("ICMP Host Unreachable").
func fpingICMPText(ev probe.Event) string {
	switch ev.ICMPType {
	case 3:
		if ev.ICMPCode < len(fpingUnreach4) {
			return fpingUnreach4[ev.ICMPCode]
		}
		return "ICMP Unreachable (Invalid Code)"
	case 4:
		return "ICMP Source Quench"
	case 5:
		return "ICMP Redirect"
	case 11:
		return "ICMP Time Exceeded"
	case 12:
		return "ICMP Parameter Problem"
	}
	return fmt.Sprintf("ICMP type %d", ev.ICMPType)
}

// fpingUnreach4 is fping's icmp_unreach_str, by code.
var fpingUnreach4 = []string{
	"ICMP Network Unreachable",
	"ICMP Host Unreachable",
	"ICMP Protocol Unreachable",
	"ICMP Port Unreachable",
	"ICMP Unreachable (Fragmentation Needed)",
	"ICMP Unreachable (Source Route Failed)",
	"ICMP Unreachable (Destination Network Unknown)",
	"ICMP Unreachable (Destination Host Unknown)",
	"ICMP Unreachable (Source Host Isolated)",
	"ICMP Unreachable (Communication with Network Prohibited)",
	"ICMP Unreachable (Communication with Host Prohibited)",
	"ICMP Unreachable (Network Unreachable For Type Of Service)",
	"ICMP Unreachable (Host Unreachable For Type Of Service)",
	"ICMP Unreachable (Communication Administratively Prohibited)",
	"ICMP Unreachable (Host Precedence Violation)",
	"ICMP Unreachable (Precedence cutoff in effect)",
}
