// The two decodes the inspector needs for one row: the request (always a bare ICMP message)
// and what came back (with its IP header when the socket kept it). Labelled with the Echoscope
// payload fields (token, send time) since they are our own session's packets; a foreign
// message may carry anything there, so its payload stays unlabelled.

import type { Codec } from '../wire/codec';
import type { DecodeOptions, Report } from '../wire/types';
import type { PacketDetail } from './detail';

export interface DecodedRow {
  request?: Report;
  reply?: Report;
}

/** Options for a bare ICMP message; IPv6 needs both addresses to verify the checksum. */
function bareOptions(detail: PacketDetail, src: string, dst: string, echoscopePayload: boolean): DecodeOptions {
  const options: DecodeOptions = { echoscopePayload, family: detail.family };
  if (detail.family === 6 && src !== '' && dst !== '') {
    options.src = src;
    options.dst = dst;
  }
  return options;
}

export function requestOptions(detail: PacketDetail): DecodeOptions {
  const source = detail.kind === 'send' ? detail.from : detail.to;
  // Echoscope's own requests carry its payload and went to a socket whose kernel fills a 0
  // checksum; an imported request is as captured, another program's, on the wire.
  const ours = !detail.imported;
  return { ...bareOptions(detail, source, detail.target, ours), kernelChecksum: ours };
}

export function replyOptions(detail: PacketDetail): DecodeOptions {
  const ours = detail.class !== 'foreign';
  // With the IP header present the codec reads version and addresses from it.
  if (detail.replyIncludesIpHeader) return { echoscopePayload: ours };
  return bareOptions(detail, detail.from, detail.to, ours);
}

export function decodeRow(codec: Codec, detail: PacketDetail): DecodedRow {
  return {
    request: detail.requestHex === '' ? undefined : codec.decode(detail.requestHex, requestOptions(detail)),
    reply: detail.replyHex === '' ? undefined : codec.decode(detail.replyHex, replyOptions(detail)),
  };
}
