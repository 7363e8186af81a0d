// What a probe.MatchRule compares, and the rule in plain words. The rule strings are the Go
// constants of backend/probe/event.go; anything unknown is shown as given, never hidden.

export interface RuleParts {
  quoted: boolean;
  id: boolean;
  seq: boolean;
  token: boolean;
}

/** The values a rule compared, from its text: "seq+token (identifier rewritten by kernel)" -> seq, token. */
export function ruleParts(rule: string): RuleParts {
  const head = rule.split(' (')[0] ?? '';
  const quoted = head.startsWith('quoted ');
  const parts = new Set(head.replace(/^quoted /, '').split('+'));
  return { quoted, id: parts.has('id'), seq: parts.has('seq'), token: parts.has('token') };
}

const SENTENCES: Record<string, string> = {
  'id+seq+token': 'identifier, sequence number and the session token in the payload all equal the request’s.',
  'seq+token (identifier rewritten by kernel)':
    'sequence number and session token equal the request’s; the identifier was not compared because the kernel rewrote it (datagram socket).',
  'id+seq (payload too short for token)': 'identifier and sequence number equal the request’s; the payload is shorter than 16 bytes, so it carries no token.',
  'id+seq (recorded, no session token)':
    'identifier and sequence number equal the recorded request’s and the payload is the same; the request was not sent by Echoscope (another program’s ping in a capture), so it carries no session token to compare.',
  'seq (identifier rewritten, payload too short for token)':
    'only the sequence number could be compared: the kernel rewrote the identifier and the payload has no room for a token.',
  'quoted id+seq': 'the error quotes the start of our request: the quoted identifier and sequence number are ours and the quoted destination is our target.',
  'quoted id+seq+token': 'the error quotes the start of our request: the quoted identifier, sequence number and session token are ours and the quoted destination is our target.',
  'windows icmp api': 'the Windows ICMP API tied the reply to the request itself; Echoscope only sees its result.',
  'id+seq+data (crafted in the Lab)':
    'the echo reply came from the address the Packet Lab sent to, and its identifier, sequence number and data equal the crafted request’s (a crafted packet carries no session token).',
  none: 'nothing matched any request of this session.',
};

/** "Matched by id+seq+token: identifier, sequence number and ... equal the request’s." */
export function ruleSentence(rule: string): string {
  if (rule === '') return '';
  const known = SENTENCES[rule];
  if (rule === 'none') return `No rule matched: ${SENTENCES.none}`;
  return known ? `Matched by ${rule}: ${known}` : `Matched by rule “${rule}”.`;
}
