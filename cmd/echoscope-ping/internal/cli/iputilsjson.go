package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"echoscope/backend/probe"
)

// iputilsJSON writes `-j`: the shape upstream iputils ping (after 20221126) prints, byte for
// byte, so tools written for it read echoscope-ping unchanged (ping/ping_json.c and
// ping/ping_output.c upstream):
//
//	{"bytes": 64, "host": "127.0.0.1", "seq": 1, "ttl": 64, "time": "0.045"}
//	{"host": "127.0.0.1", "transmitted": 3, "received": 3, "duplicates": 0, "corrupted": 0, "errors": 0, "loss": 0, "time": 2003, "rtt": {"min": "0.040", "avg": "0.045", "max": "0.051", "mdev": "0.004"}}
//
// One object per reply (duplicates and corrupted replies too, as iputils prints them; a
// truncated one has "info": "truncated" and no time), nothing for sends, losses or ICMP
// errors (iputils' JSON has no object for them), no header and no text statistics; the
// statistics object only when a reply came (iputils builds it with the rtt line), with
// "ipg" and "ewma" appended for floods and -i 0. Times and RTTs are strings, counts
// numbers, separated by ", " and ": " as iputils writes them. Setup failures are
// {"error": "..."}.
type iputilsJSON struct {
	w   io.Writer
	cfg *cliConfig
	// names formats a reply's source as the text output does ("localhost (127.0.0.1)").
	names func(ev probe.Event) string
	// span is iputils' "time" (textPrinter.sendSpan).
	span func(st probe.Stats) time.Duration
}

// quote is a JSON string; iputils writes its strings unescaped, which is the same for the
// addresses and numbers it puts there.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Event writes a reply object; everything else has none.
func (j *iputilsJSON) Event(ev probe.Event) {
	if ev.Kind != probe.EventReply || j.cfg.quiet || j.cfg.opts.Flood {
		return
	}
	switch ev.Class {
	case probe.ClassOnTime, probe.ClassOutOfOrder, probe.ClassDuplicate, probe.ClassLate, probe.ClassCorrupt:
	default:
		return // foreign replies: iputils never prints another ping's replies
	}
	var b strings.Builder
	fmt.Fprintf(&b, `{"bytes": %d, "host": %s, "seq": %d`, ev.Size, quote(j.names(ev)), ev.Seq)
	if ev.TTL >= 0 {
		fmt.Fprintf(&b, `, "ttl": %d`, ev.TTL)
	}
	if ev.Class == probe.ClassCorrupt && strings.Contains(strings.ToLower(ev.Note), "truncat") {
		b.WriteString(`, "info": "truncated"}`)
	} else {
		fmt.Fprintf(&b, `, "time": %s}`, quote(formatRTT(ev.RTT)))
	}
	b.WriteString("\n")
	io.WriteString(j.w, b.String())
}

// Statistics writes iputils' statistics object (none when no reply came, as iputils).
func (j *iputilsJSON) Statistics(target string, st probe.Stats) {
	if st.Received == 0 {
		return
	}
	loss := int64(0)
	if st.Sent > 0 {
		// iputils passes a float to an int parameter: the percentage truncated.
		loss = int64(float64(st.Sent-min(st.Received, st.Sent)) * 100 / float64(st.Sent))
	}
	span := j.span(st)
	elapsedMs := (span + time.Millisecond/2).Milliseconds()
	w := st.WithDuplicates // iputils' rtt figures include duplicates
	var b strings.Builder
	fmt.Fprintf(&b, `{"host": %s, "transmitted": %d, "received": %d, "duplicates": %d, "corrupted": %d, "errors": %d, "loss": %d, "time": %d`,
		quote(target), st.Sent, st.Received, st.Duplicates, st.Corrupt, st.Errors, loss, elapsedMs)
	fmt.Fprintf(&b, `, "rtt": {"min": %s, "avg": %s, "max": %s, "mdev": %s}`,
		quote(msec3(w.Min)), quote(msec3(w.Avg)), quote(msec3(w.Max)), quote(msec3(w.Mdev)))
	if ipg, ewma, ok := ipgEWMA(j.cfg, st, span); ok {
		fmt.Fprintf(&b, `, "ipg": %s, "ewma": %s`, quote(ipg), quote(ewma))
	}
	b.WriteString("}\n")
	io.WriteString(j.w, b.String())
}

// Failure is iputils' construct_json_error for a message without errno.
func (j *iputilsJSON) Failure(msg string) {
	fmt.Fprintf(j.w, "{\"error\": %s}\n", quote(msg))
}
