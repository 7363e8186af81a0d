package service

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"

	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// RuleLabIDSeqData is how a crafted send's reply is tied to it (probe.SendCrafted waits for
// the echo reply from the target with the same identifier, sequence and data). The
// inspector puts it in words (frontend/src/lib/inspector/rules.ts).
const RuleLabIDSeqData = "id+seq+data (crafted in the Lab)"

// labDetail is the packet inspector's view of one crafted send: the reply, tied to the
// request as sent, or the request marked lost when the timeout came first. It is built
// here, not stored in history: a crafted one-off is no ping session, and the inspector
// only needs the PacketDetail contract (docs/architecture.md, "Packet Lab").
func labDetail(req LabSendRequest, msg []byte, fam wire.Family, res probe.CraftResult, addr, engine, socket string, sent time.Time) PacketDetail {
	d := PacketDetail{SessionID: "lab", Row: 0, Engine: engine, Socket: socket, Target: addr, To: addr,
		Index: 1, TTL: -1, Size: len(msg), RequestHex: hex.EncodeToString(msg), Family: int(fam),
		SentAt: rfc3339Nano(sent), TimeoutMs: float64(req.TimeoutMs), AnsweredBefore: []int64{},
		Answers: []AnswerRef{}, RequestRow: -1}
	if len(msg) >= 8 {
		d.ID = binary.BigEndian.Uint16(msg[4:6])
		d.Seq = binary.BigEndian.Uint16(msg[6:8])
	}
	d.KernelIdentifier = d.ID
	if res.TimedOut || len(res.Reply) == 0 {
		d.Kind = string(probe.EventLoss)
		d.Note = labSilence(fam, msg, res.KernelChecksum)
		return d
	}
	rtt := ms(res.RTT)
	d.Kind, d.Class, d.Rule = string(probe.EventReply), string(probe.ClassOnTime), RuleLabIDSeqData
	d.Row, d.RequestRow = 1, 0
	d.ReplyHex = hex.EncodeToString(res.Reply)
	d.From, d.To = addr, ""
	if res.From.IsValid() {
		d.From = res.From.String()
	}
	d.TTL, d.Size = -1, len(res.Reply)
	d.RTTMs = &rtt
	d.ReceivedAt = rfc3339Nano(sent.Add(res.RTT))
	if res.KernelChecksum {
		d.Note = "the kernel wrote this request's ICMPv6 checksum itself (RFC 3542 section 3.1)"
	}
	return d
}

// labSilence says why a crafted request got no answer: for an ICMPv4 message whose
// checksum does not add up, the receiving kernel dropped it without a word.
func labSilence(fam wire.Family, msg []byte, kernelChecksum bool) string {
	if fam == wire.IPv4 && !kernelChecksum && wire.Checksum(msg) != 0 {
		carried := uint16(0)
		if len(msg) >= 4 {
			carried = binary.BigEndian.Uint16(msg[2:4])
		}
		return fmt.Sprintf("the checksum in the bytes, 0x%04x, is wrong: the receiving kernel dropped the request without a word, so a timeout is all a sender ever sees", carried)
	}
	return "the checksum was right, so the silence has another cause: the host is down or does not answer echo requests, a firewall dropped the request or the reply, or it was lost on the way"
}
