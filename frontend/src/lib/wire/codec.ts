// The typed face of the WebAssembly codec: JSON strings in, Report objects out.

import type { ChecksumTrace, CopyStyle, DecodeOptions, Report, WireGlobal } from './types';
import { hasLab, makeLabCodec, type LabCodec } from '../lab/codec';

export interface Codec {
  version: string;
  decode(hex: string, options?: DecodeOptions): Report;
  checksumTrace(hex: string): ChecksumTrace;
  /** The bytes for copying, formatted by the Go codec (wire.FormatBytes); throws CodecError. */
  format(hex: string, style: CopyStyle, name?: string): string;
  /** The Packet Lab's calls; undefined when the loaded wire.wasm predates them. */
  lab?: LabCodec;
}

export class CodecError extends Error {
  override readonly name = 'CodecError';
}

function parseJSON<T>(what: string, text: unknown): T {
  if (typeof text !== 'string') throw new CodecError(`${what}: the codec returned ${typeof text}, not JSON text`);
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new CodecError(`${what}: the codec returned invalid JSON: ${(err as Error).message}`);
  }
}

export function makeCodec(wire: WireGlobal): Codec {
  return {
    version: wire.version,
    decode(hex, options) {
      const report = parseJSON<Report>('decode', wire.decode(hex, options));
      // The contract says these are arrays; keep the UI safe if Go marshals a nil slice as null.
      report.fields ??= [];
      report.checksums ??= [];
      report.warnings ??= [];
      report.layers ??= [];
      return report;
    },
    checksumTrace(hex) {
      return parseJSON<ChecksumTrace>('checksumTrace', wire.checksumTrace(hex));
    },
    format(hex, style, name) {
      const r = parseJSON<{ text?: string; error?: string }>('format', wire.format(hex, style, name));
      if (r.error || r.text === undefined) throw new CodecError(`format: ${r.error ?? 'no text'}`);
      return r.text;
    },
    lab: hasLab(wire) ? makeLabCodec(wire) : undefined,
  };
}
