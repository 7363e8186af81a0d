package probe

import (
	"net/netip"
	"time"
)

// EventKind says what happened.
type EventKind string

const (
	// EventSend: a request went out. Bytes are the ICMP message as written (for datagram
	// sockets before the kernel rewrote identifier and checksum: see Event.Note).
	EventSend EventKind = "send"
	// EventReply: an echo reply arrived (any Class except ClassICMPError).
	EventReply EventKind = "reply"
	// EventICMPError: an ICMP error (unreachable, time exceeded, parameter problem, packet too
	// big) arrived; Class is ClassICMPError when it quotes one of our requests, else ClassForeign.
	EventICMPError EventKind = "icmp-error"
	// EventLoss: a request had no reply by its timeout, or by the session deadline. One per request.
	EventLoss EventKind = "loss"
	// EventStats: periodic statistics (Options.StatsEvery); Stats is set.
	EventStats EventKind = "stats"
)

// Class is the classification of a received ICMP message. The classes are exclusive: each
// received message gets exactly one.
type Class string

const (
	// ClassOnTime: the first reply to a request, within its timeout, in sequence order.
	ClassOnTime Class = "on-time"
	// ClassOutOfOrder: the first reply to a request, within its timeout, but a request sent
	// later was already answered. Counted in Received and in OutOfOrder.
	ClassOutOfOrder Class = "out-of-order"
	// ClassLate: the first reply to a request that was already declared lost (after its
	// timeout). Not received, not a duplicate; the loss stands.
	ClassLate Class = "late"
	// ClassDuplicate: a further reply to a request that already had one (on time or late).
	ClassDuplicate Class = "duplicate"
	// ClassForeign: not ours: another identifier, another token, a sequence we never sent, or
	// from an address other than the target. (Replies from another address that otherwise match
	// carry the note "different address" as iputils' DIFFERENT ADDRESS!.)
	ClassForeign Class = "foreign"
	// ClassCorrupt: ours by identifier/sequence/token, but damaged: bad checksum, truncated, or
	// the payload differs from what was sent. Event.Note says which. Never counted received.
	ClassCorrupt Class = "corrupt"
	// ClassICMPError: an ICMP error message quoting one of our requests.
	ClassICMPError Class = "icmp-error"
)

// MatchRule names the rule that tied a received message to a request (or why it was not).
type MatchRule string

const (
	// RuleIDSeqToken: identifier, sequence and payload token all match.
	RuleIDSeqToken MatchRule = "id+seq+token"
	// RuleSeqTokenRewritten: sequence and token match; the identifier was rewritten by the
	// kernel (Linux datagram sockets put the local port there) so it was not compared.
	RuleSeqTokenRewritten MatchRule = "seq+token (identifier rewritten by kernel)"
	// RuleIDSeq: identifier and sequence only; the payload is shorter than 16 bytes so it
	// carries no token.
	RuleIDSeq MatchRule = "id+seq (payload too short for token)"
	// RuleSeqOnly: sequence only: identifier rewritten by the kernel and no room for a token.
	RuleSeqOnly MatchRule = "seq (identifier rewritten, payload too short for token)"
	// RuleQuotedIDSeq: an ICMP error whose quoted header carries our identifier and sequence
	// and our target as destination.
	RuleQuotedIDSeq MatchRule = "quoted id+seq"
	// RuleQuotedIDSeqToken: as RuleQuotedIDSeq, and the quoted payload still holds our token.
	RuleQuotedIDSeqToken MatchRule = "quoted id+seq+token"
	// RuleWindowsAPI: the Windows ICMP API matched the reply itself.
	RuleWindowsAPI MatchRule = "windows icmp api"
	// RuleRecordedIDSeq: identifier and sequence, in a recording classified offline without
	// the session token (ClassifyOffline with Token 0, e.g. another tool's capture); the
	// payload is compared with the recorded request's.
	RuleRecordedIDSeq MatchRule = "id+seq (recorded, no session token)"
	// RuleNone: nothing matched (foreign messages).
	RuleNone MatchRule = "none"
)

// ClockSource says where a timestamp came from.
type ClockSource string

const (
	// ClockKernelTX: software TX timestamp from the socket error queue (SO_TIMESTAMPING).
	ClockKernelTX ClockSource = "kernel-tx"
	// ClockKernelRX: receive timestamp from SO_TIMESTAMPNS / SO_TIMESTAMPING (software RX).
	ClockKernelRX ClockSource = "kernel-rx"
	// ClockUser: user-space time (time.Now, monotonic reading) taken around the syscall.
	ClockUser ClockSource = "user"
	// ClockWindowsAPI: the RoundTripTime reported by IcmpSendEcho2 (millisecond resolution).
	ClockWindowsAPI ClockSource = "windows-api"
)

// Timestamp is a point in time and where it came from.
type Timestamp struct {
	Time  time.Time   `json:"time"`
	Clock ClockSource `json:"clock"`
}

// IsZero reports whether no time was recorded.
func (t Timestamp) IsZero() bool { return t.Time.IsZero() }

// Event is one thing that happened in a session. Fields that do not apply are zero.
type Event struct {
	Kind  EventKind `json:"kind"`
	Class Class     `json:"class,omitempty"`
	// Rule is how a received message was matched to its request (RuleNone for foreign).
	Rule MatchRule `json:"rule,omitempty"`
	// Note explains corrupt/foreign/error details in words, e.g. "bad checksum 0x1234, want
	// 0x1235", "different address 198.18.0.9", "identifier rewritten by kernel to 0x8f21".
	Note string `json:"note,omitempty"`

	// Index is the request's number in this session, 1-based, never wrapping; 0 when the
	// message matched no request.
	Index uint64 `json:"index,omitempty"`
	// Seq and ID are the echo sequence and identifier as on the wire (for ICMP errors: as
	// quoted). For datagram sends, ID is the identifier the kernel will actually use.
	Seq uint16 `json:"seq"`
	ID  uint16 `json:"id"`

	// Bytes are the raw bytes as the socket gave or took them. IncludesIPHeader tells whether
	// they start with the IP header (raw IPv4 receives) or with the ICMP header.
	Bytes            []byte `json:"bytes,omitempty"`
	IncludesIPHeader bool   `json:"includesIpHeader,omitempty"`
	// Request is, for replies/errors/losses matched to a request, the bytes that request was
	// sent with (ICMP header on), so a viewer can compare them.
	Request []byte `json:"request,omitempty"`

	// From is the source of a received message; To its destination when known (raw IPv4
	// header, or IPV6_PKTINFO). For sends, To is the target and From the source if bound.
	From netip.Addr `json:"from,omitzero"`
	To   netip.Addr `json:"to,omitzero"`
	// TTL is the received TTL / hop limit, -1 when unknown. A trace's sends (Trace.OnEvent)
	// carry the TTL they were sent with instead: the hop they probe.
	TTL int `json:"ttl"`
	// ICMPType and ICMPCode of the message (request for sends, reply or error otherwise).
	ICMPType int `json:"icmpType"`
	ICMPCode int `json:"icmpCode"`
	// Size is the ICMP message length (header + payload), as iputils "64 bytes from".
	Size int `json:"size"`

	// Sent is when the matched request left; Received is when this message arrived. An
	// EventSend carries the user-space send time; the kernel's TX timestamp, read from the
	// error queue a moment later, replaces it in the events of the replies that follow.
	Sent     Timestamp `json:"sent,omitzero"`
	Received Timestamp `json:"received,omitzero"`
	// RTT is Received - Sent for matched replies (also for late, duplicate and out-of-order
	// ones), 0 otherwise. RTTClocks names the clock pair it came from, e.g. "kernel-tx/kernel-rx".
	RTT       time.Duration `json:"rtt,omitempty"`
	RTTClocks string        `json:"rttClocks,omitempty"`

	// Stats is set for EventStats (and is a snapshot; safe to keep).
	Stats *Stats `json:"stats,omitempty"`
}
