// The file name offered when the RTT chart is saved: echoscope-rtt-<target>, with characters
// file systems refuse (IPv6 colons...) replaced.

import type { SessionInfo } from '../api/types';

export function chartFileName(session: SessionInfo | null): string {
  const target = (session?.importedFrom || session?.target || '').replace(/[^A-Za-z0-9._-]/g, '-');
  return target ? `echoscope-rtt-${target}` : 'echoscope-rtt';
}
