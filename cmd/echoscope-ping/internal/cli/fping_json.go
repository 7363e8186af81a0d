package cli

import (
	"io"
	"time"

	"echoscope/backend/probe"
)

// fpingJSON is --json in the fping mode (docs/cli-json.md, "Several targets"): the same
// JSON lines as one target's, schema 1, with new types around them: monitor_start, the
// packet objects with the target's index and name, unknown_target for a name that did not
// resolve, one target_summary per target and monitor_summary last.
type fpingJSON struct {
	p     *jsonPrinter
	names []string
}

func newFpingJSON(w io.Writer) *fpingJSON { return &fpingJSON{p: newJSONPrinter(w, false)} }

// jsonMonitorTarget is one target of monitor_start.
type jsonMonitorTarget struct {
	Target     int    `json:"target"`
	Host       string `json:"host"`
	Address    string `json:"address"`
	Identifier uint16 `json:"identifier"`
	Socket     string `json:"socket"`
}

// jsonMonitorSettings are the fping mode's options in force.
type jsonMonitorSettings struct {
	Mode         string  `json:"mode"` // "alive" (default), "count", "loop"
	Count        int     `json:"count"`
	Retries      int     `json:"retries"`
	SpacingMs    float64 `json:"spacing_ms"`
	PeriodMs     float64 `json:"period_ms"`
	TimeoutMs    float64 `json:"timeout_ms"`
	Backoff      float64 `json:"backoff"`
	PayloadBytes int     `json:"payload_bytes"`
	TTL          int     `json:"ttl"`
}

type jsonMonitorStart struct {
	jsonHead
	Program   string              `json:"program"`
	Time      time.Time           `json:"time"`
	Privilege string              `json:"privilege"`
	Targets   []jsonMonitorTarget `json:"targets"`
	Settings  jsonMonitorSettings `json:"settings"`
}

// jsonMonitorPacket is a packet object of one target.
type jsonMonitorPacket struct {
	jsonPacket
	Target int    `json:"target"`
	Host   string `json:"host"`
}

type jsonUnknownTarget struct {
	jsonHead
	Time  time.Time `json:"time"`
	Host  string    `json:"host"`
	Error string    `json:"error"`
}

type jsonTargetSummary struct {
	jsonHead
	Time       time.Time `json:"time"`
	Target     int       `json:"target"`
	Host       string    `json:"host"`
	Address    string    `json:"address"`
	Socket     string    `json:"socket"`
	Alive      bool      `json:"alive"`
	KernelTX   bool      `json:"kernel_tx"`
	KernelRX   bool      `json:"kernel_rx"`
	StartTime  time.Time `json:"start_time"`
	EndTime    time.Time `json:"end_time"`
	Statistics jsonStats `json:"statistics"`
}

type jsonMonitorSummary struct {
	jsonHead
	Time         time.Time `json:"time"`
	Targets      int       `json:"targets"`
	Alive        int       `json:"alive"`
	Unreachable  int       `json:"unreachable"`
	Unknown      int       `json:"unknown"`
	Unattributed uint64    `json:"unattributed"`
	StartTime    time.Time `json:"start_time"`
	EndTime      time.Time `json:"end_time"`
	ExitCode     int       `json:"exit_code"`
	Error        string    `json:"error,omitempty"`
}

func (j *fpingJSON) unknown(host, msg string) {
	_ = j.p.enc.Encode(jsonUnknownTarget{jsonHead: head("unknown_target"), Time: time.Now(), Host: host, Error: msg})
}

func (j *fpingJSON) start(cfg *fpingConfig, m *probe.Monitor, names []string) {
	mo := m.Options()
	o := mo.Options
	s := jsonMonitorSettings{Mode: "alive", Count: o.Count, Retries: cfg.retries, SpacingMs: ms(cfg.interval),
		TimeoutMs: ms(o.EffectiveTimeout()), Backoff: cfg.backoff, PayloadBytes: o.PayloadSize(), TTL: o.TTL}
	switch {
	case cfg.loop:
		s.Mode, s.Retries, s.Backoff = "loop", 0, 1
	case cfg.count > 0:
		s.Mode, s.Retries, s.Backoff = "count", 0, 1
	}
	if s.Mode != "alive" {
		s.PeriodMs = ms(o.EffectiveInterval())
	}
	s.SpacingMs = ms(o.EffectiveInterval() / time.Duration(len(names)))
	st := jsonMonitorStart{jsonHead: head("monitor_start"), Program: prog + " " + Version, Time: time.Now(),
		Privilege: string(probe.DetectCapabilities().Privilege), Settings: s}
	for i, t := range m.Targets() {
		st.Targets = append(st.Targets, jsonMonitorTarget{Target: i, Host: names[i], Address: addrString(t.Addr),
			Identifier: m.Identifier(i), Socket: m.SocketKind(i).String()})
	}
	_ = j.p.enc.Encode(st)
}

// Event is the MonitorHandler: a packet object with its target.
func (j *fpingJSON) Event(i int, ev probe.Event) {
	pk, ok := j.p.packet(ev)
	if !ok {
		return
	}
	_ = j.p.enc.Encode(jsonMonitorPacket{jsonPacket: pk, Target: i, Host: j.names[i]})
}

func (j *fpingJSON) finish(sum probe.MonitorSummary, unknown, code int, runErr error) {
	alive := 0
	for i, s := range sum.Targets {
		if s.Received > 0 {
			alive++
		}
		_ = j.p.enc.Encode(jsonTargetSummary{jsonHead: head("target_summary"), Time: time.Now(), Target: i,
			Host: j.names[i], Address: addrString(s.Addr), Socket: s.Socket.String(), Alive: s.Received > 0,
			KernelTX: s.KernelTX, KernelRX: s.KernelRX, StartTime: s.Start, EndTime: s.End, Statistics: statsJSON(&s.Stats)})
	}
	ms := jsonMonitorSummary{jsonHead: head("monitor_summary"), Time: time.Now(), Targets: len(sum.Targets),
		Alive: alive, Unreachable: len(sum.Targets) - alive, Unknown: unknown, Unattributed: sum.Unattributed,
		StartTime: sum.Start, EndTime: sum.End, ExitCode: code}
	if runErr != nil {
		ms.Error = runErr.Error()
	}
	_ = j.p.enc.Encode(ms)
}
