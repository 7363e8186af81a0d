// One sentence under each packet of the inspector: where these bytes come from, and what the
// socket or the kernel did to them, so nothing a learner sees in the dump is left unexplained.

import type { PacketDetail } from './detail';
import { bytesOfHex, word16 } from './layout';

export function replyNote(d: PacketDetail): string {
  const from = d.from ? ` from ${d.from}` : '';
  if (d.replyIncludesIpHeader) return `As the ${d.socket} socket gave it${from}: with the IP header the sender's kernel put on.`;
  return `As the ${d.socket} socket gave it${from}: the kernel strips the IP header on this socket, so the bytes start at the ICMP header.`;
}

export function requestNote(d: PacketDetail): string {
  const parts = ['The ICMP message Echoscope wrote to the socket (the kernel adds the IP header).'];
  if (d.identifierRewritten) parts.push('On this datagram socket the kernel puts its own identifier on the wire (the socket’s local port).');
  if (word16(bytesOfHex(d.requestHex), 2) === 0) {
    parts.push('It was written with checksum 0 because the kernel computes the checksum when sending, so a warning that 0 is wrong is expected here.');
  }
  return parts.join(' ');
}
