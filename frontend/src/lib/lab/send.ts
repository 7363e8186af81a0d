// Words for what came of a crafted send: the reply checked as the classic example checked
// it (identifier and sequence), or the silence explained. The numbers come from the Go
// codec (the sent packet's analysis, the reply's fields); this only words them.

import { hex16 } from '../checksum';
import type { LabSendResult } from '../api/lab';
import type { LabAnalysis, LabFields } from './types';

export interface SendOutcome {
  kind: 'ok' | 'bad' | 'warn';
  headline: string;
  lines: string[];
}

export function explainSend(result: Omit<LabSendResult, 'detail'>, sent: LabAnalysis, reply: LabFields | null): SendOutcome {
  const lines: string[] = [];
  if (result.kernelChecksum) {
    lines.push(
      `The kernel computed this ICMPv6 checksum itself (an ICMPv6 raw socket always does, RFC 3542 section 3.1), so the ${hex16(sent.carried)} in the bytes did not go out as typed.`,
    );
  }
  if (!result.timedOut && reply) {
    const want = sent.fields;
    const idOk = want !== null && reply.id === want.id;
    const seqOk = want !== null && reply.seq === want.seq;
    lines.unshift(
      `Identifier ${reply.id} ${idOk ? '=' : '≠'} sent ${want?.id ?? '?'}: ${idOk ? 'match' : 'no match'}.`,
      `Sequence ${reply.seq} ${seqOk ? '=' : '≠'} sent ${want?.seq ?? '?'}: ${seqOk ? 'match' : 'no match'}.`,
    );
    return {
      kind: idOk && seqOk ? 'ok' : 'warn',
      headline: `Echo reply from ${result.addr} in ${result.rttMillis.toFixed(3)} ms`,
      lines,
    };
  }
  const checksumWrong = sent.verifiable && sent.carried !== sent.correct && !result.kernelChecksum;
  lines.unshift(
    checksumWrong
      ? `The checksum in the bytes was ${hex16(sent.carried)}, but RFC 1071 gives ${hex16(sent.correct)}. The receiving kernel checked it, found the sum wrong and dropped the packet without a word: an ICMP message that cannot be trusted gets no answer, not even an error. So a timeout is all a sender ever sees, exactly as for a packet lost on the way.`
      : 'The checksum was right, so the silence has another cause: the host is down or does not answer echo requests, a firewall dropped the request or the reply, or it was lost on the way.',
  );
  return { kind: checksumWrong ? 'bad' : 'warn', headline: `No reply from ${result.addr}: timed out`, lines };
}
