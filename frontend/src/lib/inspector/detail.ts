// Everything the packet inspector shows about one row of a ping session, as the Go side
// (backend/service PingService.Packet) hands it over. This is the contract of
// /tmp/ui_contract.md between the ping view and the inspector; when lib/api/types.ts mirrors it,
// this file re-exports that type instead so there is one definition.

export type PacketKind = 'send' | 'reply' | 'icmp-error' | 'loss';

export type PacketClass = '' | 'on-time' | 'out-of-order' | 'late' | 'duplicate' | 'foreign' | 'corrupt' | 'icmp-error';

export interface PacketDetail {
  sessionId: string;
  /** Row number in the session's packet table (0-based). */
  row: number;
  kind: PacketKind;
  class: PacketClass;
  /** probe.MatchRule text, e.g. "id+seq+token", "seq+token (identifier rewritten by kernel)", "none". */
  rule: string;
  /** probe Event.Note: "bad checksum 0x1234, want 0x1235", "different address 198.18.0.9", ... */
  note: string;
  /** Request number in the session (1-based), 0 if matched none. */
  index: number;
  seq: number;
  id: number;
  /** "agent-raw" | "in-process-raw" | "datagram" | "windows-api" | "imported". */
  engine: string;
  /** probe.SocketKind used ("raw" / "datagram" / ...). */
  socket: string;
  /** The address pinged. */
  target: string;
  /** Addresses ("" when unknown). */
  from: string;
  to: string;
  /** Received TTL / hop limit, -1 unknown. */
  ttl: number;
  /** ICMP message length. */
  size: number;
  /** The request as sent (ICMP header on, no IP header); "" if none (foreign). */
  requestHex: string;
  /** The received message as the socket gave it; "" for send/loss rows. */
  replyHex: string;
  /** replyHex starts with the IPv4 header (raw IPv4 receive). */
  replyIncludesIpHeader: boolean;
  family: 4 | 6;
  /** RFC 3339 with ns, and the clock it came from ("kernel-tx", "user", ...). */
  sentAt: string;
  sentClock: string;
  /** "" when not received. */
  receivedAt: string;
  receivedClock: string;
  rttMs: number | null;
  /** e.g. "kernel-tx/kernel-rx". */
  rttClocks: string;
  /** Datagram socket: the kernel put its own identifier on the wire. */
  identifierRewritten: boolean;
  /** The identifier the kernel used (datagram), else = id. */
  kernelIdentifier: number;
  /** The per-packet timeout in force (explains "late"). */
  timeoutMs: number;
  /** For duplicate/out-of-order: rows that answered this or a later request first. */
  answeredBefore: number[];
}

/**
 * The detail as the inspector relies on it: Go marshals an empty slice as null, and a family
 * it did not know as 0 (read as IPv4, the only family whose receive carries an IP header).
 */
export function normalizeDetail(detail: PacketDetail): PacketDetail {
  return {
    ...detail,
    answeredBefore: detail.answeredBefore ?? [],
    family: detail.family === 6 ? 6 : 4,
    requestHex: detail.requestHex ?? '',
    replyHex: detail.replyHex ?? '',
  };
}
