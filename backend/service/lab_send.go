package service

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"echoscope/backend/agent"
	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// LabSendRequest is one crafted echo request from the Packet Lab.
type LabSendRequest struct {
	// Target is a host name or address; a name is resolved to one address of Family.
	Target string `json:"target"`
	// Family is 4 or 6: the family of the message.
	Family int `json:"family"`
	// Hex is the ICMP message (no IP header), as the Lab built it.
	Hex string `json:"hex"`
	// TimeoutMs is how long to wait for the reply (10..60000).
	TimeoutMs int `json:"timeoutMs"`
}

// LabSendResult is what came of it: the matching echo reply, or silence until the timeout.
type LabSendResult struct {
	Target string `json:"target"`
	Addr   string `json:"addr"`
	// Sent is the message as the Lab wrote it (hex).
	Sent string `json:"sent"`
	// Reply is the matching echo reply's ICMP message (hex), "" on a timeout.
	Reply     string  `json:"reply"`
	RTTMillis float64 `json:"rttMillis"`
	TimedOut  bool    `json:"timedOut"`
	// KernelChecksum: the kernel replaced the checksum before sending (ICMPv6 raw sockets).
	KernelChecksum bool `json:"kernelChecksum"`
	// Engine names the engine that sent it.
	Engine string `json:"engine"`
	// Detail is the send as the packet inspector shows it: the reply tied to the request,
	// or the request lost at the timeout (see labDetail).
	Detail PacketDetail `json:"detail"`
}

// SendCrafted sends one crafted echo request built in the Lab through the current engine
// (the helper, or in-process raw sockets) and waits for its reply. Anything but an echo
// request, or a destination that is not one unicast address, is refused in words; engines
// that cannot send crafted bytes (datagram sockets, the Windows ICMP API) say why.
func (s *PingService) SendCrafted(req LabSendRequest) (LabSendResult, error) {
	var fam probe.Family
	switch req.Family {
	case 4:
		fam = probe.Family4
	case 6:
		fam = probe.Family6
	default:
		return LabSendResult{}, fmt.Errorf("family must be 4 or 6, not %d", req.Family)
	}
	msg, err := wire.ParseHex(req.Hex)
	if err != nil {
		return LabSendResult{}, fmt.Errorf("the packet's hex: %w", err)
	}
	timeout := time.Duration(req.TimeoutMs) * time.Millisecond
	engine, einfo, err := s.engines.get()
	if err != nil {
		return LabSendResult{}, err
	}
	rctx, cancel := context.WithTimeout(s.ctx, s.cfg.ResolveTimeout)
	addr, err := probe.Resolve(rctx, req.Target, fam)
	cancel()
	if err != nil {
		return LabSendResult{}, dnsError(req.Target, err)
	}
	sentAt := time.Now()
	res, err := agent.SendCrafted(s.ctx, engine, probe.CraftRequest{Family: fam, Target: addr, Message: msg, Timeout: timeout})
	if err != nil {
		var re *agent.RemoteError
		if errors.As(err, &re) {
			return LabSendResult{}, fmt.Errorf("the helper refused: %s", re.Body.Message)
		}
		return LabSendResult{}, err
	}
	return LabSendResult{
		Target: req.Target, Addr: addr.String(), Sent: hex.EncodeToString(msg), Reply: hex.EncodeToString(res.Reply),
		RTTMillis: float64(res.RTT.Microseconds()) / 1000, TimedOut: res.TimedOut, KernelChecksum: res.KernelChecksum,
		Engine: einfo.Label,
		Detail: labDetail(req, msg, wire.Family(req.Family), res, addr.String(), einfo.Label, probe.SocketRaw.String(), sentAt),
	}, nil
}
