// "Open in Lab": a packet from the Decode tab or the inspector may start with an IPv4 or
// IPv6 header, or be an error message quoting one. The Lab edits the outer ICMP message
// alone, so this finds it in the codec's Report (layer names and field offsets from
// backend/wire), with the IPv6 addresses its checksum needs.

import type { Report } from '../wire/types';
import type { LabFamily } from './types';

export interface LabMessage {
  family: LabFamily;
  /** The ICMP message, lowercase hex. */
  hex: string;
  /** IPv6 pseudo-header addresses from the packet's header, when it has one. */
  src?: string;
  dst?: string;
}

/** The outer ICMP message of a decoded packet, or why there is none. */
export function messageOf(report: Report): LabMessage | string {
  if (report.error) return `the bytes could not be decoded: ${report.error}`;
  const first = report.fields.find((f) => f.layer === 'ICMPv4' || f.layer === 'ICMPv6');
  if (!first) return `no ICMP message in this packet (layers: ${report.layers.join(', ') || 'none'})`;
  const family: LabFamily = first.layer === 'ICMPv6' ? 6 : 4;
  const message: LabMessage = { family, hex: report.hex.slice(first.offset * 2) };
  if (family === 6) {
    const addr = (name: string) => report.fields.find((f) => f.layer === 'IPv6' && f.name === name)?.value;
    message.src = addr('Source Address');
    message.dst = addr('Destination Address');
  }
  return message;
}
