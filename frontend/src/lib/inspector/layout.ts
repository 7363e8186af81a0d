// Where the ICMP message starts inside the bytes a socket gave us, and small readers for the
// echo header. The Go codec names every field; these only find the alignment point the diff
// and the matching view need (the codec reports fields, not "where would the request line up").

import type { Field } from '../wire/types';
import { bytesFromReportHex } from '../hex/hexdump';
import type { PacketDetail } from './detail';

/** The IPv6 fixed header; extension headers are not expected on echo traffic a socket returns. */
const IPV6_HEADER_LENGTH = 40;
const MIN_IPV4_HEADER_LENGTH = 20;

export function bytesOfHex(hex: string): Uint8Array {
  return bytesFromReportHex(hex.toLowerCase().replace(/[^0-9a-f]/g, ''));
}

/**
 * Offset of the ICMP header in the received bytes: 0 when the socket stripped the IP header,
 * else the IPv4 header length from IHL (or 40 for IPv6). Never beyond the bytes present.
 */
export function icmpOffset(reply: Uint8Array, includesIpHeader: boolean, family: 4 | 6): number {
  if (!includesIpHeader || reply.length === 0) return 0;
  if (family === 6) return Math.min(IPV6_HEADER_LENGTH, reply.length);
  const ihl = ((reply[0] ?? 0) & 0x0f) * 4;
  return Math.min(Math.max(ihl, MIN_IPV4_HEADER_LENGTH), reply.length);
}

/**
 * Offset of the quoted ICMP header inside an ICMP error, from the codec's field map
 * ("Quoted ICMPv4"/"Quoted ICMPv6" layer), or undefined when the error quotes no ICMP.
 */
export function quotedIcmpOffset(fields: readonly Field[]): number | undefined {
  const first = fields.find((f) => f.layer === 'Quoted ICMPv4' || f.layer === 'Quoted ICMPv6');
  return first?.offset;
}

/** Big-endian 16-bit word at offset, or undefined when the bytes end first. */
export function word16(bytes: Uint8Array, offset: number): number | undefined {
  if (offset < 0 || offset + 2 > bytes.length) return undefined;
  return ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
}

/** The Echoscope session token (payload bytes 0-7, ICMP bytes 8-15) as hex, if present. */
export function tokenHex(icmp: Uint8Array): string | undefined {
  if (icmp.length < 16) return undefined;
  return Array.from(icmp.subarray(8, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The echo fields of an ICMP message (at offset 0 of `icmp`), as far as bytes are present. */
export interface EchoHeader {
  type?: number;
  code?: number;
  checksum?: number;
  id?: number;
  seq?: number;
  token?: string;
}

export function echoHeader(icmp: Uint8Array): EchoHeader {
  return {
    type: icmp[0],
    code: icmp[1],
    checksum: word16(icmp, 2),
    id: word16(icmp, 4),
    seq: word16(icmp, 6),
    token: tokenHex(icmp),
  };
}

/** The request and the part of the reply that lines up with it, as bytes. */
export interface Aligned {
  request: Uint8Array;
  /** All received bytes. */
  reply: Uint8Array;
  /** Where, in `reply`, the bytes comparable with the request start. */
  replyStart: number;
  /** What sits before replyStart, for the reader: "IPv4 header (20 bytes)", or "". */
  skipped: string;
  /** True when the reply is an ICMP error and replyStart points at its quoted copy of the request. */
  quoted: boolean;
}

export function align(detail: PacketDetail, replyFields: readonly Field[]): Aligned {
  const request = bytesOfHex(detail.requestHex);
  const reply = bytesOfHex(detail.replyHex);
  const icmpStart = icmpOffset(reply, detail.replyIncludesIpHeader, detail.family);
  const ipName = detail.family === 6 ? 'IPv6' : 'IPv4';
  if (detail.kind === 'icmp-error') {
    const quotedStart = quotedIcmpOffset(replyFields);
    if (quotedStart !== undefined) {
      return {
        request,
        reply,
        replyStart: quotedStart,
        skipped: `${icmpStart > 0 ? `its ${ipName} header, ` : ''}the error's own ICMP header and the quoted ${ipName} header (${quotedStart} bytes)`,
        quoted: true,
      };
    }
  }
  return {
    request,
    reply,
    replyStart: icmpStart,
    skipped: icmpStart > 0 ? `${ipName} header (${icmpStart} bytes)` : '',
    quoted: false,
  };
}
