// What the inspector copies: a packet in a copy format (the Go codec writes it, so the text
// reads back in the Decode tab, the CLI and the tools it imitates), and a row as one line of
// tab-separated text in the table's columns.

import type { Codec } from '../wire/codec';
import type { CopyStyle } from '../wire/types';
import type { PacketDetail } from './detail';

export const COPY_LABELS: Record<CopyStyle, string> = { hex: 'hex', c: 'C array', hexdump: 'hex dump (Wireshark)' };

export function packetText(codec: Codec, hex: string, style: CopyStyle, name: string): string {
  return codec.format(hex, style, name);
}

/** "#\tkind\tseq\tid\tbytes\tTTL\tRTT (ms)\tclass" values of the row, tab-separated ("#" empty for a packet that is no table row, such as a trace's answer). */
export function rowText(d: PacketDetail): string {
  const rtt = d.rttMs === null ? '' : d.rttMs.toFixed(3);
  const ttl = d.ttl >= 0 ? String(d.ttl) : '';
  return [d.row >= 0 ? d.row : '', d.kind, d.seq, d.id, d.size, ttl, rtt, d.class || d.kind, d.from || d.target].join('\t');
}

/** Puts text on the clipboard: the async Clipboard API, else a selected textarea and copy. */
export async function copyText(text: string, doc: Document = document): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // WebKitGTK may refuse the Clipboard API outside a user gesture's microtask.
  }
  const area = doc.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  doc.body.appendChild(area);
  area.select();
  const ok = doc.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('the clipboard refused the text');
}
