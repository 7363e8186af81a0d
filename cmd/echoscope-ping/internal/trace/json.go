package trace

import (
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"time"

	"echoscope/backend/probe"
	"echoscope/backend/wire"
	"echoscope/cmd/echoscope-ping/internal/jsonhead"
)

// The trace's JSON is one object of docs/cli-json.md's schema, type "trace".
type jsonTrace struct {
	jsonhead.Head
	Program        string       `json:"program"`
	Time           time.Time    `json:"time"`
	Target         string       `json:"target"`
	Address        string       `json:"address"`
	Family         string       `json:"family"`
	Socket         string       `json:"socket"`
	Identifier     uint16       `json:"identifier"`
	OwnTrafficOnly bool         `json:"own_traffic_only"`
	Settings       jsonSettings `json:"settings"`
	StartTime      time.Time    `json:"start_time"`
	EndTime        time.Time    `json:"end_time"`
	Rounds         int          `json:"rounds"`
	Reached        bool         `json:"reached"`
	DestinationHop int          `json:"destination_hop"`
	Foreign        uint64       `json:"foreign"`
	Hops           []jsonHop    `json:"hops"`
	ExitCode       int          `json:"exit_code"`
}

type jsonSettings struct {
	Rounds       int     `json:"rounds"`
	IntervalMs   float64 `json:"interval_ms"`
	MaxHops      int     `json:"max_hops"`
	TimeoutMs    float64 `json:"timeout_ms"`
	PayloadBytes int     `json:"payload_bytes"`
	ReverseDNS   bool    `json:"reverse_dns"`
	Bytes        bool    `json:"bytes"`
}

type jsonHop struct {
	Hop         int           `json:"hop"`
	Addresses   []jsonAddress `json:"addresses"`
	Sent        int           `json:"sent"`
	Received    int           `json:"received"`
	LossPercent float64       `json:"loss_percent"`
	LastMs      *float64      `json:"last_ms"`
	AvgMs       *float64      `json:"avg_ms"`
	BestMs      *float64      `json:"best_ms"`
	WorstMs     *float64      `json:"worst_ms"`
	StdevMs     *float64      `json:"stdev_ms"`
	RateLimited bool          `json:"rate_limited"`
	Note        string        `json:"note,omitempty"`
	Answers     []jsonAnswer  `json:"answers"`
}

type jsonAddress struct {
	Address string `json:"address"`
	Name    string `json:"name,omitempty"`
}

// jsonAnswer is one message that answered a probe: a Time Exceeded from a router, the
// destination's echo reply, or another ICMP error, tied to the probe it quotes or answers.
type jsonAnswer struct {
	Round        int       `json:"round"`
	Index        uint64    `json:"index"`
	Seq          uint16    `json:"seq"`
	Identifier   uint16    `json:"identifier"`
	Kind         string    `json:"kind"`
	From         string    `json:"from"`
	ICMPType     int       `json:"icmp_type"`
	ICMPCode     int       `json:"icmp_code"`
	Text         string    `json:"text"`
	Rule         string    `json:"rule"`
	RTTMs        float64   `json:"rtt_ms"`
	RTTClocks    string    `json:"rtt_clocks,omitempty"`
	ReceivedTime time.Time `json:"received_time"`
	BytesHex     string    `json:"bytes_hex,omitempty"`
	RequestHex   string    `json:"request_hex,omitempty"`
	IncludesIP   bool      `json:"includes_ip_header"`
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

func kindWord(k probe.EventKind) string {
	if k == probe.EventICMPError {
		return "icmp_error"
	}
	return string(k)
}

func writeJSON(w io.Writer, res probe.TraceResult, o probe.TraceOptions, program string, withBytes bool) error {
	fam, typeName := "ipv4", wire.IPv4
	if res.Addr.Is6() && !res.Addr.Is4In6() {
		fam, typeName = "ipv6", wire.IPv6
	}
	size := o.Size
	if !o.SizeSet && size == 0 {
		size = probe.DefaultSize
	}
	j := jsonTrace{Head: jsonhead.Of("trace"), Program: program, Time: time.Now().UTC(),
		Target: res.Target, Address: addrString(res.Addr), Family: fam, Socket: res.Socket.String(),
		Identifier: res.Identifier, OwnTrafficOnly: res.OwnTrafficOnly,
		Settings: jsonSettings{Rounds: o.EffectiveRounds(), IntervalMs: ms(o.EffectiveInterval()),
			MaxHops: o.EffectiveMaxHops(), TimeoutMs: ms(o.EffectiveTimeout()), PayloadBytes: size,
			ReverseDNS: o.ReverseDNS, Bytes: withBytes},
		StartTime: res.Start.UTC(), EndTime: res.End.UTC(), Rounds: res.Rounds,
		Reached: res.DestinationHop > 0, DestinationHop: res.DestinationHop, Foreign: res.Foreign,
		Hops: []jsonHop{}}
	for i := range res.Hops {
		h := &res.Hops[i]
		jh := jsonHop{Hop: h.TTL, Addresses: []jsonAddress{}, Sent: h.Sent, Received: h.Received,
			LossPercent: math.Round(h.LossPercent()*1000) / 1000,
			LastMs:      msOrNull(h, h.Last), AvgMs: msOrNull(h, h.Avg), BestMs: msOrNull(h, h.Best),
			WorstMs: msOrNull(h, h.Worst), StdevMs: msOrNull(h, h.StDev),
			RateLimited: h.RateLimited, Note: h.Note, Answers: []jsonAnswer{}}
		for k, a := range h.Addrs {
			ja := jsonAddress{Address: a.String()}
			if k < len(h.Names) {
				ja.Name = h.Names[k]
			}
			jh.Addresses = append(jh.Addresses, ja)
		}
		for _, a := range h.Answers {
			ev := a.Event
			ja := jsonAnswer{Round: a.Round, Index: ev.Index, Seq: ev.Seq, Identifier: ev.ID,
				Kind: kindWord(ev.Kind), From: addrString(ev.From), ICMPType: ev.ICMPType, ICMPCode: ev.ICMPCode,
				Text: wire.TypeName(typeName, uint8(ev.ICMPType)), Rule: string(ev.Rule),
				RTTMs: ms(ev.RTT), RTTClocks: ev.RTTClocks, ReceivedTime: ev.Received.Time.UTC(),
				IncludesIP: ev.IncludesIPHeader}
			if c := wire.CodeName(typeName, uint8(ev.ICMPType), uint8(ev.ICMPCode)); c != "" {
				ja.Text += ": " + c
			}
			if withBytes {
				ja.BytesHex, ja.RequestHex = hex.EncodeToString(ev.Bytes), hex.EncodeToString(ev.Request)
			}
			jh.Answers = append(jh.Answers, ja)
		}
		j.Hops = append(j.Hops, jh)
	}
	return json.NewEncoder(w).Encode(j)
}

func writeFailure(w io.Writer, err error) {
	_ = json.NewEncoder(w).Encode(jsonhead.NewFailure(time.Now().UTC(), err.Error(), 2))
}
