package service

import (
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
	if info.Socket == "" {
		info.Socket = ss.Engine // stored before schema v3: engine held the socket kind
	}
	if info.Imported {
		info.Engine = EngineImported
	}
	return info
}
