// Where an RTT came from, in one sentence: kernel timestamps leave out the time Echoscope
// itself spends waiting to be scheduled; user-space clocks include it.

const CLOCK_NAMES: Record<string, string> = {
  'kernel-tx': 'the kernel’s transmit timestamp',
  'kernel-rx': 'the kernel’s receive timestamp',
  user: 'a user-space clock read around the system call',
  'windows-api': 'the Windows ICMP API',
};

export function clockName(clock: string): string {
  return CLOCK_NAMES[clock] ?? `clock “${clock}”`;
}

/** One sentence on the clocks behind an RTT ("kernel-tx/kernel-rx", "user/user", ...). */
export function clocksSentence(rttClocks: string, rttMs: number | null): string {
  if (rttMs === null || rttClocks === '') return 'No round-trip time: nothing was received for this request.';
  if (rttClocks.includes('windows-api')) return 'The Windows ICMP API measured this round trip itself, in whole milliseconds.';
  const [sent = '', received = ''] = rttClocks.split('/');
  const span = `from ${clockName(sent)} to ${clockName(received)}`;
  const kernelBoth = sent.startsWith('kernel') && received.startsWith('kernel');
  if (kernelBoth) return `The RTT runs ${span} (SO_TIMESTAMPING), so time Echoscope spent waiting to be scheduled is not in it.`;
  if (sent.startsWith('kernel') || received.startsWith('kernel')) {
    return `The RTT runs ${span}: the user-space end adds a little scheduling delay (the kernel did not give a timestamp for it).`;
  }
  return `The RTT runs ${span}: no kernel timestamps were available, so it includes scheduling delay (microseconds, more under load).`;
}
