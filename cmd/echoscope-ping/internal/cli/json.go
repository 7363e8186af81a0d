package cli

import (
	"encoding/hex"
	"encoding/json"
	"io"
	"net/netip"
	"time"

	"echoscope/backend/probe"
	"echoscope/cmd/echoscope-ping/internal/jsonhead"
)

// jsonPrinter writes --json: one object per line, each with "schema" and "type", snake_case
// names with the unit in the name (docs/cli-json.md, docs/cli-json.schema.json). Writes go
// through the caller's serialised writer; encoding cannot fail for these types, and a
// failed stdout write has nowhere better to be reported.
type jsonPrinter struct {
	enc   *json.Encoder
	bytes bool // --json-bytes: packet bytes as hex
}

func newJSONPrinter(w io.Writer, bytes bool) *jsonPrinter {
	return &jsonPrinter{enc: json.NewEncoder(w), bytes: bytes}
}

// jsonHead starts every object: "schema" (jsonhead.SchemaVersion) and "type".
type jsonHead = jsonhead.Head

func head(typ string) jsonHead { return jsonhead.Of(typ) }

// jsonSettings are the options in force, as the start object reports them.
type jsonSettings struct {
	Count           int     `json:"count"` // 0: until stopped or the deadline
	CountReplies    bool    `json:"count_replies"`
	IntervalMs      float64 `json:"interval_ms"`
	TimeoutMs       float64 `json:"timeout_ms"`
	DeadlineMs      float64 `json:"deadline_ms"` // 0: none
	PayloadBytes    int     `json:"payload_bytes"`
	PatternHex      string  `json:"pattern_hex"`
	TTL             int     `json:"ttl"` // 0: system default
	TOS             int     `json:"tos"`
	PMTU            string  `json:"pmtu"`
	Flood           bool    `json:"flood"`
	Adaptive        bool    `json:"adaptive"`
	Broadcast       bool    `json:"broadcast"`
	DontRoute       bool    `json:"dont_route"`
	Mark            uint32  `json:"mark"`
	SendBufferBytes int     `json:"send_buffer_bytes"`
	Preload         int     `json:"preload"`
	StatsIntervalMs float64 `json:"stats_interval_ms"` // 0: none
	Bytes           bool    `json:"bytes"`             // packet hex included
}

// jsonStart is the first object: what is pinged, from where, how.
type jsonStart struct {
	jsonHead
	Program             string       `json:"program"`
	Time                time.Time    `json:"time"`
	Target              string       `json:"target"`
	Address             string       `json:"address"`
	Source              string       `json:"source"` // "" when the kernel picks per request
	Interface           string       `json:"interface"`
	Family              string       `json:"family"`
	Socket              string       `json:"socket"`
	Privilege           string       `json:"privilege"`
	Identifier          uint16       `json:"identifier"`
	IdentifierRewritten bool         `json:"identifier_rewritten"`
	Settings            jsonSettings `json:"settings"`
}

// jsonPacket is one packet event: "send", "reply", "icmp_error" or "loss".
type jsonPacket struct {
	jsonHead
	Time           time.Time  `json:"time"`
	Index          uint64     `json:"index"`
	Seq            uint16     `json:"seq"`
	Identifier     uint16     `json:"identifier"`
	Class          string     `json:"class,omitempty"`
	Rule           string     `json:"rule,omitempty"`
	From           string     `json:"from,omitempty"`
	To             string     `json:"to,omitempty"`
	TTL            *int       `json:"ttl,omitempty"`
	SizeBytes      int        `json:"size_bytes"`
	ICMPType       int        `json:"icmp_type"`
	ICMPCode       int        `json:"icmp_code"`
	Text           string     `json:"text,omitempty"` // icmp_error: iputils' words
	RTTMs          *float64   `json:"rtt_ms,omitempty"`
	RTTClocks      string     `json:"rtt_clocks,omitempty"`
	SentTime       *time.Time `json:"sent_time,omitempty"`
	SentClock      string     `json:"sent_clock,omitempty"`
	ReceivedTime   *time.Time `json:"received_time,omitempty"`
	ReceivedClock  string     `json:"received_clock,omitempty"`
	Note           string     `json:"note,omitempty"`
	SendFailed     bool       `json:"send_failed,omitempty"`
	BytesHex       string     `json:"bytes_hex,omitempty"`
	RequestHex     string     `json:"request_hex,omitempty"`
	IncludesIPHead bool       `json:"includes_ip_header,omitempty"`
}

// jsonRTT are the RTT figures of one population; null when it has no RTT.
type jsonRTT struct {
	MinMs  float64 `json:"min_ms"`
	AvgMs  float64 `json:"avg_ms"`
	MaxMs  float64 `json:"max_ms"`
	MdevMs float64 `json:"mdev_ms"`
	EWMAMs float64 `json:"ewma_ms"`
}

// jsonStats are the engine's statistics (probe.Stats), named for people.
type jsonStats struct {
	Transmitted       uint64   `json:"transmitted"`
	Received          uint64   `json:"received"`
	Lost              uint64   `json:"lost"`
	Outstanding       uint64   `json:"outstanding"`
	Duplicates        uint64   `json:"duplicates"`
	OutOfOrder        uint64   `json:"out_of_order"`
	Late              uint64   `json:"late"`
	Corrupt           uint64   `json:"corrupt"`
	Foreign           uint64   `json:"foreign"`
	Errors            uint64   `json:"errors"`
	LossPercent       float64  `json:"loss_percent"`
	WindowLossPercent float64  `json:"window_loss_percent"`
	WindowSize        int      `json:"window_size"`
	ElapsedMs         float64  `json:"elapsed_ms"`
	RTT               *jsonRTT `json:"rtt"`                 // first replies only
	RTTWithDuplicates *jsonRTT `json:"rtt_with_duplicates"` // as iputils prints it
	P50Ms             *float64 `json:"rtt_p50_ms"`
	P90Ms             *float64 `json:"rtt_p90_ms"`
	P99Ms             *float64 `json:"rtt_p99_ms"`
	JitterMs          *float64 `json:"jitter_ms"`
	SendsLate         uint64   `json:"sends_late"`
	SendLateMaxMs     float64  `json:"send_late_max_ms"`
}

// jsonStatistics is an interim ("statistics", every --stats-interval) or asked-for
// ("status", SIGQUIT) snapshot.
type jsonStatistics struct {
	jsonHead
	Time       time.Time `json:"time"`
	Statistics jsonStats `json:"statistics"`
}

// jsonSummary is the last object of a run that started.
type jsonSummary struct {
	jsonHead
	Time       time.Time `json:"time"`
	Target     string    `json:"target"`
	Address    string    `json:"address"`
	Socket     string    `json:"socket"`
	KernelTX   bool      `json:"kernel_tx"`
	KernelRX   bool      `json:"kernel_rx"`
	TokenMatch bool      `json:"token_matched"`
	// OwnTrafficOnly: the caller has no privilege of its own, so the helper showed only the
	// messages tied to its own requests; the rest are counted in statistics.foreign.
	OwnTrafficOnly bool      `json:"own_traffic_only"`
	StartTime      time.Time `json:"start_time"`
	EndTime        time.Time `json:"end_time"`
	Statistics     jsonStats `json:"statistics"`
	ExitCode       int       `json:"exit_code"`
	Error          string    `json:"error,omitempty"`
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

func msPtr(d time.Duration) *float64 { v := ms(d); return &v }

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// Start writes the first object.
func (p *jsonPrinter) Start(cfg *cliConfig, sess *probe.Session, source, iface string) {
	o := sess.Options()
	addr := sess.Addr()
	fam := "ipv4"
	if !addr.Unmap().Is4() {
		fam = "ipv6"
	}
	_ = p.enc.Encode(jsonStart{
		jsonHead: head("start"), Program: prog + " " + Version, Time: time.Now(),
		Target: o.Target, Address: addrString(addr), Source: source, Interface: iface, Family: fam,
		Socket: sess.SocketKind().String(), Privilege: string(probe.DetectCapabilities().Privilege),
		Identifier: o.Identifier, IdentifierRewritten: sess.SocketKind() == probe.SocketDatagram,
		Settings: jsonSettings{
			Count: o.Count, CountReplies: o.CountReplies, IntervalMs: ms(o.EffectiveInterval()),
			TimeoutMs: ms(o.EffectiveTimeout()), DeadlineMs: ms(o.Deadline), PayloadBytes: o.PayloadSize(),
			PatternHex: hex.EncodeToString(o.Pattern), TTL: o.TTL, TOS: o.TOS, PMTU: o.PMTU.String(),
			Flood: o.Flood, Adaptive: o.Adaptive, Broadcast: o.Broadcast, DontRoute: o.DontRoute, Mark: o.Mark,
			SendBufferBytes: o.SendBuffer, Preload: o.Preload, StatsIntervalMs: ms(o.StatsEvery), Bytes: p.bytes,
		},
	})
}

// packetTypes names the --json type of each packet event kind.
var packetTypes = map[probe.EventKind]string{
	probe.EventSend: "send", probe.EventReply: "reply", probe.EventICMPError: "icmp_error", probe.EventLoss: "loss",
}

// Event writes one packet event; statistics events go through Statistics.
func (p *jsonPrinter) Event(ev probe.Event) {
	if j, ok := p.packet(ev); ok {
		_ = p.enc.Encode(j)
	}
}

// packet builds the object of one packet event (ok false for other kinds).
func (p *jsonPrinter) packet(ev probe.Event) (jsonPacket, bool) {
	typ, ok := packetTypes[ev.Kind]
	if !ok {
		return jsonPacket{}, false
	}
	j := jsonPacket{jsonHead: head(typ), Index: ev.Index, Seq: ev.Seq, Identifier: ev.ID,
		Class: string(ev.Class), Rule: string(ev.Rule), From: addrString(ev.From), To: addrString(ev.To),
		SizeBytes: ev.Size, ICMPType: ev.ICMPType, ICMPCode: ev.ICMPCode, Note: ev.Note, RTTClocks: ev.RTTClocks}
	if ev.Rule == probe.RuleNone {
		j.Rule = ""
	}
	if ev.TTL >= 0 {
		ttl := ev.TTL
		j.TTL = &ttl
	}
	if !ev.Sent.Time.IsZero() {
		t := ev.Sent.Time
		j.SentTime, j.SentClock = &t, string(ev.Sent.Clock)
	}
	if !ev.Received.Time.IsZero() {
		t := ev.Received.Time
		j.ReceivedTime, j.ReceivedClock = &t, string(ev.Received.Clock)
	}
	switch ev.Kind {
	case probe.EventSend:
		j.Time = ev.Sent.Time
		j.SendFailed = isSendFailure(ev)
	default:
		j.Time = ev.Received.Time
	}
	if j.Time.IsZero() {
		j.Time = time.Now()
	}
	if ev.RTT > 0 || ev.RTTClocks != "" {
		j.RTTMs = msPtr(ev.RTT)
	}
	if ev.Kind == probe.EventICMPError {
		j.Text = icmpErrorText(ev)
		if isLocalError(ev) {
			j.Text = ev.Note
		}
	}
	if p.bytes {
		j.BytesHex, j.RequestHex = hex.EncodeToString(ev.Bytes), hex.EncodeToString(ev.Request)
		j.IncludesIPHead = ev.IncludesIPHeader
	}
	return j, true
}

// statsJSON names the engine's statistics for --json.
func statsJSON(st *probe.Stats) jsonStats {
	j := jsonStats{Transmitted: st.Sent, Received: st.Received, Lost: st.Lost, Outstanding: st.Outstanding,
		Duplicates: st.Duplicates, OutOfOrder: st.OutOfOrder, Late: st.Late, Corrupt: st.Corrupt,
		Foreign: st.Foreign, Errors: st.Errors, LossPercent: st.LossPercent,
		WindowLossPercent: st.WindowLossPercent, WindowSize: st.WindowSize, ElapsedMs: ms(max(0, st.Elapsed)),
		SendsLate: st.SendsLate, SendLateMaxMs: ms(st.SendLateMax)}
	if st.Received > 0 {
		j.RTT = &jsonRTT{MinMs: ms(st.Min), AvgMs: ms(st.Avg), MaxMs: ms(st.Max), MdevMs: ms(st.Mdev), EWMAMs: ms(st.EWMA)}
		j.P50Ms, j.P90Ms, j.P99Ms, j.JitterMs = msPtr(st.P50), msPtr(st.P90), msPtr(st.P99), msPtr(st.Jitter)
	}
	if w := st.WithDuplicates; st.Received > 0 || w != (probe.RTTFigures{}) {
		j.RTTWithDuplicates = &jsonRTT{MinMs: ms(w.Min), AvgMs: ms(w.Avg), MaxMs: ms(w.Max), MdevMs: ms(w.Mdev), EWMAMs: ms(w.EWMA)}
	}
	return j
}

// Statistics writes an interim snapshot: typ "statistics" (--stats-interval) or "status"
// (SIGQUIT, iputils' status line).
func (p *jsonPrinter) Statistics(typ string, st *probe.Stats) {
	_ = p.enc.Encode(jsonStatistics{jsonHead: head(typ), Time: time.Now(), Statistics: statsJSON(st)})
}

// Summary writes the last object.
func (p *jsonPrinter) Summary(s probe.Summary, runErr error, code int) {
	js := jsonSummary{jsonHead: head("summary"), Time: time.Now(), Target: s.Target, Address: addrString(s.Addr),
		Socket: s.Socket.String(), KernelTX: s.KernelTX, KernelRX: s.KernelRX, TokenMatch: s.TokenMatched, OwnTrafficOnly: s.OwnTrafficOnly,
		StartTime: s.Start, EndTime: s.End, Statistics: statsJSON(&s.Stats), ExitCode: code}
	if runErr != nil {
		js.Error = runErr.Error()
	}
	_ = p.enc.Encode(js)
}

// Failure writes the object of a run that could not go on.
func (p *jsonPrinter) Failure(msg string, code int) {
	_ = p.enc.Encode(jsonhead.NewFailure(time.Now(), msg, code))
}
