package history

import (
	"fmt"

	"echoscope/backend/probe"
)

// Lean rows (schema v8, packets.derived = 1). An imported row holds its whole IP datagram,
// and most of its columns (addresses, TTL, ICMP type, code and size, identifier, the
// clocks) are what the import read from those bytes or constants of an import. Binding
// them is most of what storing a row costs (24 values a row, each a call into SQLite; the
// measurements are in docs/benchmarks.md, "Import speed: lean rows"), so v8 imports stored
// such a row with its lean columns only (kind, request index, times, sequence, bytes,
// class, rule, note, RTT, filter group), the others left at their defaults, and every reader
// derives them again from the bytes (deriveLean) with the same code the import used
// (packetOfIP). A row is stored lean only when that derivation gives back exactly the
// values it would have stored (isLean); any other row (an ICMP error with the identifier
// it quotes, a loss) is stored whole, so a lean row reads back the same as the whole one
// would have. Since v9, imports store blocks (block_codec.go), whose rows are lean or whole
// by the same rule; lean packets rows are still read from v8 files.

// captureRTTClocks is the clock pair of an imported answer's round trip (probe's
// rttBetween of two capture timestamps).
const captureRTTClocks = string(CaptureClock) + "/" + string(CaptureClock)

// leanClocks are the clocks an imported row has for its stored times: capture timestamps
// where there is a time, and an answer's round trip between two of them.
func leanClocks(kind probe.EventKind, timeNs, sentNs int64) (clock, sentClock probe.ClockSource, rttClocks string) {
	if timeNs != 0 {
		clock = CaptureClock
	}
	if sentNs != 0 {
		sentClock = CaptureClock
	}
	if timeNs != 0 && sentNs != 0 && (kind == probe.EventReply || kind == probe.EventICMPError) {
		rttClocks = captureRTTClocks
	}
	return clock, sentClock, rttClocks
}

// isLean says whether p can be stored as a lean row: whether deriveLean, given only the
// lean columns, gives back every other column as p would store it.
func isLean(p *Packet) bool {
	if !p.IncludesIPHeader || len(p.Bytes) == 0 {
		return false
	}
	clock, sentClock, rttClocks := leanClocks(p.Kind, nanos(p.Time.Time), nanos(p.Sent.Time))
	if p.Time.Clock != clock || p.Sent.Clock != sentClock || p.RTTClocks != rttClocks {
		return false
	}
	d, skip, _, err := packetOfIP(p.Bytes)
	if err != nil || skip != keep {
		return false
	}
	// Addresses read from IP headers carry no zone, and such an address reads back from its
	// text (the stored form) as itself: equal addresses store and read equal.
	return d.ID == p.ID && d.TTL == p.TTL && d.From == p.From && d.To == p.To &&
		d.ICMPType == p.ICMPType && d.ICMPCode == p.ICMPCode && d.Size == p.Size &&
		d.From.Zone() == "" && d.To.Zone() == ""
}

// deriveLean fills the columns a lean row does not store from its stored ones and its
// bytes. Bytes that do not read as the IP datagram they were stored as (a damaged file)
// leave those columns at their defaults and say so in the note.
func deriveLean(p *Packet) {
	p.Time.Clock, p.Sent.Clock, p.RTTClocks = leanClocks(p.Kind, nanos(p.Time.Time), nanos(p.Sent.Time))
	p.IncludesIPHeader = true
	d, skip, _, err := packetOfIP(p.Bytes)
	if err == nil && skip != keep {
		err = fmt.Errorf("not an ICMP echo or error datagram")
	}
	if err != nil {
		p.Note = joinNote(p.Note, "stored without its header fields, and its bytes do not read: "+err.Error())
		return
	}
	p.ID, p.TTL, p.From, p.To = d.ID, d.TTL, d.From, d.To
	p.ICMPType, p.ICMPCode, p.Size = d.ICMPType, d.ICMPCode, d.Size
}

// leanHeader is what a lean row's bytes say of its header fields, for readers that select
// one or two columns rather than whole rows (TTL -1 and no addresses, the columns'
// defaults, when the bytes do not read).
func leanHeader(b []byte) Packet {
	d, skip, _, err := packetOfIP(b)
	if err != nil || skip != keep {
		return Packet{TTL: -1}
	}
	return d
}
