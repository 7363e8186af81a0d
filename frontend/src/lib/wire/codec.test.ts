import { describe, expect, it } from 'vitest';
import { CodecError, makeCodec } from './codec';
import type { WireGlobal } from './types';

function wireReturning(text: unknown): WireGlobal {
  return { version: 'v-test', decode: () => text as string, checksumTrace: () => text as string, format: () => text as string };
}

describe('makeCodec', () => {
  it('parses the JSON report and passes the options through', () => {
    let seen: unknown;
    const wire: WireGlobal = {
      version: 'v-test',
      decode: (_hex, options) => {
        seen = options;
        return JSON.stringify({ summary: 's', length: 1, hex: '08', layers: ['ICMPv4'], fields: [], checksums: [], warnings: [] });
      },
      checksumTrace: () => '{}',
      format: () => '{}',
    };
    const report = makeCodec(wire).decode('08', { echoscopePayload: true });
    expect(report.summary).toBe('s');
    expect(seen).toEqual({ echoscopePayload: true });
  });

  it('turns null slices from Go into empty arrays', () => {
    const report = makeCodec(wireReturning('{"summary":"","length":0,"hex":"","layers":null,"fields":null,"checksums":null,"warnings":null,"error":"empty"}')).decode('');
    expect(report).toMatchObject({ fields: [], checksums: [], warnings: [], layers: [], error: 'empty' });
  });

  it('raises CodecError for text that is not JSON or not text', () => {
    expect(() => makeCodec(wireReturning('panic: oops')).decode('00')).toThrow(CodecError);
    expect(() => makeCodec(wireReturning(undefined)).checksumTrace('00')).toThrow(/returned undefined/);
  });
});
