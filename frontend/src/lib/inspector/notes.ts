// One sentence under each packet of the inspector: where these bytes come from (written by
// Echoscope, as the kernel delivered them, or as captured in a file), and what the socket or
// the kernel did to them, so nothing a learner sees in the dump is left unexplained.

import type { PacketDetail } from './detail';
import { bytesOfHex, word16 } from './layout';

/** The heading of each packet view, by where its bytes came from. */
export function packetTitles(d: PacketDetail): { request: string; reply: string } {
  const received = d.kind === 'icmp-error' ? 'ICMP error' : 'Reply';
  if (d.imported) return { request: 'Request as captured', reply: `${received} as captured` };
  return { request: 'Request sent', reply: `${received} received` };
}

function captureName(d: PacketDetail): string {
  return d.captureFile || 'the imported capture';
}

export function replyNote(d: PacketDetail): string {
  const from = d.from ? ` from ${d.from}` : '';
  if (d.imported) {
    return `As captured in ${captureName(d)}${from}: the IP datagram with the header the sender's kernel put on.`;
  }
  if (d.replyIncludesIpHeader) return `As the kernel delivered it on the ${d.socket} socket${from}: with the IP header the sender's kernel put on.`;
  return `As the kernel delivered it on the ${d.socket} socket${from}: the kernel strips the IP header on this socket, so the bytes start at the ICMP header.`;
}

export function requestNote(d: PacketDetail): string {
  if (d.imported) {
    return `As captured in ${captureName(d)}: the ICMP message of a request another program sent (the capture's IP header is left out here).`;
  }
  const parts = [`Written by Echoscope: the ICMP message it handed to the ${d.socket} socket (the kernel adds the IP header).`];
  if (d.identifierRewritten) parts.push('On this datagram socket the kernel puts its own identifier on the wire (the socket’s local port).');
  if (leftForKernel(d)) {
    parts.push('Its checksum was left 0: the kernel fills it in when sending, so the wire carries the value shown in the checksum field.');
  }
  return parts.join(' ');
}

/** The request was written by Echoscope with checksum 0, for the kernel to fill (RFC 3542). */
export function leftForKernel(d: PacketDetail): boolean {
  return !d.imported && d.requestHex !== '' && word16(bytesOfHex(d.requestHex), 2) === 0;
}
