import { describe, expect, it } from 'vitest';
import { DecodeState } from './decode.svelte';
import type { Codec } from '../wire/codec';
import type { DecodeOptions, Report } from '../wire/types';

const report: Report = {
  summary: 'ICMPv4 Echo Request id=0x000d seq=37',
  length: 8,
  hex: '0800f7cd000d0025',
  layers: ['ICMPv4'],
  fields: [
    { layer: 'ICMPv4', name: 'Type', offset: 0, length: 1, value: '8', meaning: 'Echo Request' },
    { layer: 'ICMPv4', name: 'Code', offset: 1, length: 1, value: '0', meaning: '' },
    { layer: 'ICMPv4', name: 'Checksum', offset: 2, length: 2, value: '0xf7cd', meaning: 'correct' },
  ],
  checksums: [],
  warnings: [],
};

function codec(decode: (hex: string, options?: DecodeOptions) => Report): Codec {
  return { version: 'test', decode, checksumTrace: () => ({ steps: [], folds: [], sum: 0, result: 0 }), format: () => '' };
}

describe('DecodeState', () => {
  it('links a field to its bytes and a byte to its field', () => {
    const state = new DecodeState();
    state.input = ' 0800f7cd000d0025 ';
    let asked = '';
    state.decode(codec((hex) => ((asked = hex), report)));
    expect(asked).toBe('0800f7cd000d0025');

    state.activeField = 2;
    expect([...state.highlightedBytes]).toEqual([2, 3]);
    expect([...state.highlightedFields]).toEqual([2]);

    state.activeField = undefined;
    state.activeByte = 3;
    expect([...state.highlightedFields]).toEqual([2]);
    expect([...state.highlightedBytes]).toEqual([2, 3]);

    state.activeByte = undefined;
    expect(state.highlightedBytes.size).toBe(0);
  });

  it('keeps a codec failure apart from a bad packet and clears on empty input', () => {
    const state = new DecodeState();
    state.input = 'zz';
    state.decode(
      codec(() => {
        throw new Error('codec crashed');
      }),
    );
    expect(state.failure).toBe('codec crashed');
    expect(state.report).toBeUndefined();

    state.input = '   ';
    state.decode(codec(() => report));
    expect(state.failure).toBeUndefined();
    expect(state.report).toBeUndefined();
  });

  it('asks for the Echoscope payload labels and base64 only when chosen', () => {
    const state = new DecodeState();
    const seen: (DecodeOptions | undefined)[] = [];
    const c = codec((_hex, options) => (seen.push(options), report));
    state.input = '08';
    state.decode(c);
    state.echoscopePayload = true;
    state.decode(c);
    state.base64 = true;
    state.decode(c);
    expect(seen).toEqual([
      { echoscopePayload: false, base64: false },
      { echoscopePayload: true, base64: false },
      { echoscopePayload: true, base64: true },
    ]);
  });
});
