// The Lab's form: text boxes as typed, read into a LabSpec for the codec. Only input
// handling lives here (numbers in decimal or 0x hex, within the field's width); the bytes
// and checksums come from backend/wire through the codec.

import type { ChecksumMode, LabFamily, LabSpec, PayloadKind } from './types';

export interface LabForm {
  family: LabFamily;
  type: string;
  code: string;
  id: string;
  seq: string;
  payloadKind: PayloadKind;
  payload: string;
  size: string;
  mode: ChecksumMode;
  /** The checksum written in mode 'keep'. */
  checksum: string;
  src: string;
  dst: string;
}

/** The echo request type of each family: ICMPv4 8, ICMPv6 128. */
export function echoRequestType(family: LabFamily): number {
  return family === 6 ? 128 : 8;
}

/** A fresh echo request: the family's echo type, identifier 1, sequence 1, a short text. */
export function defaultForm(): LabForm {
  return {
    family: 4,
    type: '8',
    code: '0',
    id: '1',
    seq: '1',
    payloadKind: 'text',
    payload: 'hello',
    size: '0',
    mode: 'correct',
    checksum: '0x0000',
    src: '::1',
    dst: '::1',
  };
}

/**
 * The classic example's packet: an ICMPv4 echo request, identifier 13, sequence 37, no
 * payload, with its checksum filled as RFC 1071 says ('correct') or as the example's loop
 * did ('classic').
 */
export function lessonForm(mode: 'correct' | 'classic'): LabForm {
  return { ...defaultForm(), type: '8', id: '13', seq: '37', payloadKind: 'text', payload: '', mode };
}

/** Reads "13", "0x0d" or "0d" (hex when it has 0x) as an integer in 0..max, or says why not. */
export function readNumber(name: string, text: string, max: number): number | string {
  const t = text.trim();
  if (t === '') return `${name} is empty`;
  const hex = /^0x[0-9a-f]+$/i.test(t);
  if (!hex && !/^[0-9]+$/.test(t)) return `${name} "${t}" is not a number (write 13 or 0x0d)`;
  const n = hex ? parseInt(t.slice(2), 16) : parseInt(t, 10);
  if (n > max) return `${name} ${t} is too large: at most ${max} (0x${max.toString(16)})`;
  return n;
}

/** The form as a LabSpec, or the first field that cannot be read, in words. */
export function toSpec(form: LabForm): { spec: LabSpec } | { error: string } {
  const numbers: [keyof LabForm, string, number][] = [
    ['type', 'Type', 0xff],
    ['code', 'Code', 0xff],
    ['id', 'Identifier', 0xffff],
    ['seq', 'Sequence', 0xffff],
    ['checksum', 'Checksum', 0xffff],
    ['size', 'Size', 65535],
  ];
  const read: Partial<Record<keyof LabForm, number>> = {};
  for (const [key, name, max] of numbers) {
    // The kept checksum and the pattern size matter only in their mode.
    if (key === 'checksum' && form.mode !== 'keep') continue;
    if (key === 'size' && form.payloadKind !== 'pattern') continue;
    const n = readNumber(name, form[key] as string, max);
    if (typeof n === 'string') return { error: n };
    read[key] = n;
  }
  return {
    spec: {
      family: form.family,
      type: read.type ?? 0,
      code: read.code ?? 0,
      id: read.id ?? 0,
      seq: read.seq ?? 0,
      payloadKind: form.payloadKind,
      payload: form.payload,
      size: read.size ?? 0,
      mode: form.mode,
      checksum: read.checksum ?? 0,
      src: form.family === 6 ? form.src.trim() : '',
      dst: form.family === 6 ? form.dst.trim() : '',
    },
  };
}
