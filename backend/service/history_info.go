package service

import (
	"encoding/hex"
	"encoding/json"
	"net/netip"
	"strconv"

	"echoscope/backend/history"
	"echoscope/backend/probe"
)

// EngineImported is the engine of a session read from a capture file.
const EngineImported = history.EngineImported

func parseAddrOrZero(s string) netip.Addr {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}
	}
	return a
}

// storedSessionInfo describes a stored session the way Start described it live: the same
// engine, socket, effective interval and timeout, so that a reopened session reads the same.
func storedSessionInfo(ss history.Session) SessionInfo {
	var opts probe.Options
	_ = json.Unmarshal(ss.Options, &opts) // old or imported sessions may lack options: defaults
	info := SessionInfo{ID: strconv.FormatInt(ss.ID, 10), Target: ss.Target, Addr: ss.Addr,
		Family: int(familyOf(parseAddrOrZero(ss.Addr))), // wire.Family is numbered as the IP version
		Engine: ss.Engine, Socket: ss.Socket, IntervalMs: ms(opts.EffectiveInterval()),
		TimeoutMs: ms(opts.EffectiveTimeout()), Count: opts.Count, PayloadSize: opts.PayloadSize(),
		StartedAt: rfc3339Nano(ss.Started), EndedAt: rfc3339Nano(ss.Ended),
		Imported: ss.ImportedFrom != "", ImportedFrom: ss.ImportedFrom}
	info.Request = recordedRequest(ss, opts)
	if info.Socket == "" {
		info.Socket = ss.Engine // stored before schema v3: engine held the socket kind
	}
	if info.Imported {
		info.Engine = EngineImported
	}
	return info
}

// recordedRequest is the form a stored session was started with: the one history recorded
// (schema v4, migrationRecordedForm), else one made from the engine options it kept.
func recordedRequest(ss history.Session, opts probe.Options) PingRequest {
	var r PingRequest
	if len(ss.Form) > 0 && json.Unmarshal(ss.Form, &r) == nil {
		return r
	}
	return requestFromOptions(ss.Target, opts)
}

// requestFromOptions is the form that gives opts (sessions stored before the form was, and
// imports, whose options carry the target and the timeout only).
func requestFromOptions(target string, o probe.Options) PingRequest {
	r := PingRequest{Target: target, Count: o.Count, IntervalMs: ms(o.EffectiveInterval()),
		TimeoutMs: ms(o.EffectiveTimeout()), Size: o.PayloadSize(), SizeSet: true,
		Pattern: hex.EncodeToString(o.Pattern), TTL: o.TTL, DontFragment: o.PMTU == probe.PMTUDo,
		Source: o.Source}
	switch o.Family {
	case probe.Family4:
		r.Family = 4
	case probe.Family6:
		r.Family = 6
	}
	return r
}
