package trace

import (
	"fmt"
	"io"
	"math"
	"net/netip"
	"strings"
	"time"

	"echoscope/backend/probe"
)

// mtr 0.95's report (ui/report.c), reproduced column for column: the host column is 33
// characters from the start of the line, whatever the name; each field is then written at
// its own fixed offset, so a field wider than its column (" 100.0%") loses its last
// character to the next one, exactly as mtr's snprintf into buf+len does.
const reportHostWidth = 33

// reportField is one of mtr's default fields ("LS NABWV"): its title, width and value.
type reportField struct {
	title string
	width int
	value func(h *probe.TraceHop) string
}

var reportFields = []reportField{
	{"Loss%", 6, func(h *probe.TraceHop) string { return fmt.Sprintf(" %4.1f%%", mtrLoss(h)) }},
	{"Snt", 6, func(h *probe.TraceHop) string { return fmt.Sprintf(" %5d", h.Sent) }},
	{" ", 1, func(*probe.TraceHop) string { return " " }},
	{"Last", 6, func(h *probe.TraceHop) string { return mtrMillis(h.Last) }},
	{"Avg", 6, func(h *probe.TraceHop) string { return mtrMillis(h.Avg) }},
	{"Best", 6, func(h *probe.TraceHop) string { return mtrMillis(h.Best) }},
	{"Wrst", 6, func(h *probe.TraceHop) string { return mtrMillis(h.Worst) }},
	{"StDev", 6, func(h *probe.TraceHop) string { return mtrMillis(h.StDev) }},
}

// mtrLoss is mtr's net_loss: the percentage, times 1000, truncated to an integer.
func mtrLoss(h *probe.TraceHop) float64 {
	if h.Sent == 0 {
		return 0
	}
	return float64(int(1000*(100-100.0*float64(h.Received)/float64(h.Sent)))) / 1000
}

// mtrMillis prints a time as mtr does: whole microseconds, in milliseconds with one decimal.
func mtrMillis(d time.Duration) string {
	return fmt.Sprintf(" %5.1f", float64(d.Microseconds())/1000)
}

// writeAt puts s at offset off of line, cutting what was there (mtr's snprintf(buf+len)).
func writeAt(line string, off int, s string) string {
	if len(line) > off {
		line = line[:off]
	}
	return line + strings.Repeat(" ", off-len(line)) + s
}

// hopName is the hop's first address, or its reverse DNS name when there is one.
func hopName(h *probe.TraceHop, i int) string {
	if len(h.Addrs) <= i {
		return "???"
	}
	if i < len(h.Names) && h.Names[i] != "" {
		return h.Names[i]
	}
	return h.Addrs[i].String()
}

// writeReport prints the report: the Start line, the header and one line per hop (and
// mtr's lines for further addresses of a hop), then Echoscope's notes on rate limiting.
func writeReport(w io.Writer, res probe.TraceResult, localHost string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Start: %s\n", res.Start.Format("2006-01-02T15:04:05-0700"))
	line := writeAt(fmt.Sprintf("HOST: %-*s", reportHostWidth, localHost), reportHostWidth, "")
	off := reportHostWidth
	for _, f := range reportFields {
		line = writeAt(line, off, fmt.Sprintf("%*s", f.width, f.title))
		off += f.width
	}
	b.WriteString(line + "\n")
	for i := range res.Hops {
		h := &res.Hops[i]
		line := fmt.Sprintf(" %2d.|-- %-*s", h.TTL, reportHostWidth, hopName(h, 0))
		off := reportHostWidth
		for _, f := range reportFields {
			line = writeAt(line, off, f.value(h))
			off += f.width
		}
		b.WriteString(line + "\n")
		for z := 1; z < len(h.Addrs); z++ {
			if z == 1 {
				fmt.Fprintf(&b, "    |  `|-- %s\n", h.Addrs[z])
			} else {
				fmt.Fprintf(&b, "    |   |-- %s\n", h.Addrs[z])
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeNotes prints, after the table, what mtr leaves to its reader: hops whose loss does
// not carry on to later hops (rate limiting, not loss), and foreign messages not shown.
func writeNotes(w io.Writer, res probe.TraceResult) error {
	var b strings.Builder
	for i := range res.Hops {
		if h := &res.Hops[i]; h.Note != "" {
			fmt.Fprintf(&b, "hop %d: %s\n", h.TTL, h.Note)
		}
	}
	if res.DestinationHop == 0 && len(res.Hops) > 0 {
		fmt.Fprintf(&b, "%s did not answer within %d hops\n", addrOrTarget(res), res.MaxHops)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func addrOrTarget(res probe.TraceResult) string {
	if res.Addr.IsValid() {
		return res.Addr.String()
	}
	return res.Target
}

// msOrNull turns a hop time into milliseconds, nil when the hop never answered.
func msOrNull(h *probe.TraceHop, d time.Duration) *float64 {
	if h.Received == 0 {
		return nil
	}
	v := math.Round(float64(d)/1e3) / 1e3
	return &v
}

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}
