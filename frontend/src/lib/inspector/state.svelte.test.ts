import { beforeAll, describe, expect, it } from 'vitest';
import type { Codec } from '../wire/codec';
import { bitFieldsInFocus } from './bits';
import { realCodec } from './real-codec.testing';
import { samples } from './samples';
import { InspectorState } from './state.svelte';

let codec: Codec;
beforeAll(async () => {
  codec = await realCodec();
}, 180_000);

describe('InspectorState', () => {
  it('decodes request and reply with the Echoscope payload labelled', () => {
    const state = new InspectorState(codec, samples.onTimeLoopback);
    expect(state.request.report?.summary).toMatch(/Echo Request/);
    expect(state.reply.report?.layers).toEqual(['IPv4', 'ICMPv4', 'Echoscope payload']);
    expect(state.request.report?.fields.map((f) => f.name)).toContain('Session Token');
  });

  it('verifies a bare ICMPv6 reply with the addresses of the row (pseudo-header)', () => {
    const state = new InspectorState(codec, samples.onTimeLoopbackV6);
    const [checksum] = state.reply.report?.checksums ?? [];
    expect(checksum).toMatchObject({ layer: 'ICMPv6', pseudoHeader: true, verifiable: true, correct: true });
  });

  it('an ICMPv6 request written with checksum 0 says the kernel fills it, with the value on the wire and the pseudo-header sum', () => {
    const state = new InspectorState(codec, samples.onTimeLoopbackV6);
    const field = state.request.report?.fields.find((f) => f.layer === 'ICMPv6' && f.name === 'Checksum');
    const [checksum] = state.request.report?.checksums ?? [];
    expect(checksum).toMatchObject({ layer: 'ICMPv6', pseudoHeader: true, kernelFilled: true, received: 0, receiverSum: 0xffff });
    const onWire = '0x' + (checksum?.computed ?? 0).toString(16).padStart(4, '0');
    expect(field?.meaning).toBe(`checksum 0x0000: left 0 for the kernel to fill; on the wire it is ${onWire}`);
    expect(state.request.report?.warnings).toEqual([]);
    // The sum worked out includes the pseudo-header words (addresses, length, next header).
    expect(checksum?.trace.steps.filter((s) => s.note?.startsWith('pseudo-header')).length).toBeGreaterThanOrEqual(4);
    expect(checksum?.trace.result).toBe(checksum?.computed);
    // An imported request is as captured: a 0 there would be wrong, and it is not labelled as ours.
    const imported = new InspectorState(codec, { ...samples.onTimeLoopbackV6, imported: true, captureFile: 'ping6.pcapng' });
    expect(imported.request.report?.checksums[0]).toMatchObject({ kernelFilled: false, correct: false });
  });

  it('takes the detail as Go marshals it: null slices, unknown family', () => {
    const fromGo = { ...samples.duplicate, answeredBefore: null, family: 0 } as unknown as typeof samples.duplicate;
    const state = new InspectorState(codec, fromGo);
    expect(state.detail.answeredBefore).toEqual([]);
    expect(state.detail.family).toBe(4);
    expect(state.match.headline).toMatch(/already been answered \(an earlier row\)/);
  });

  it('a foreign reply is decoded without payload labels', () => {
    const state = new InspectorState(codec, samples.wrongId);
    expect(state.request.report).toBeUndefined();
    expect(state.reply.report?.layers).not.toContain('Echoscope payload');
  });

  it('pointing at a diff entry highlights its bytes in both dumps, and letting go clears them', () => {
    const state = new InspectorState(codec, samples.onTimeLoopback);
    const checksum = state.diff.entries.find((e) => e.field === 'Checksum');
    state.pointAtDiff(checksum);
    expect([...state.request.highlightedBytes]).toEqual([2, 3]);
    expect([...state.reply.highlightedBytes]).toEqual([22, 23]);
    expect(state.reply.report?.fields[[...state.reply.highlightedFields][0] as number]?.name).toBe('Checksum');
    state.pointAtDiff(undefined);
    expect(state.request.highlightedBytes.size).toBe(0);
    expect(state.reply.highlightedBytes.size).toBe(0);
  });

  it('a checksum step lights its word in the packet the walkthrough works', () => {
    const reply = new InspectorState(codec, samples.onTimeLoopback);
    expect(reply.walked).toBe('reply');
    reply.checksumWord = 24;
    expect([...reply.checksumBytes]).toEqual([24, 25]);
    reply.checksumWord = undefined;
    expect(reply.checksumBytes.size).toBe(0);
    expect(new InspectorState(codec, samples.lost).walked).toBe('request');
  });

  it('bit fields in focus: the field itself, or those sharing the byte under the pointer', () => {
    const fields = new InspectorState(codec, samples.onTimeLoopback).reply.report?.fields ?? [];
    const version = fields.findIndex((f) => f.name === 'Version');
    expect(bitFieldsInFocus(fields, version, undefined).map((f) => f.name)).toEqual(['Version']);
    expect(bitFieldsInFocus(fields, undefined, 0).map((f) => f.name)).toEqual(['Version', 'IHL']);
    expect(bitFieldsInFocus(fields, undefined, 6).map((f) => f.name)).toEqual(['Flags', 'Fragment Offset']);
    expect(bitFieldsInFocus(fields, undefined, 7).map((f) => f.name)).toEqual(['Fragment Offset']);
    expect(bitFieldsInFocus(fields, fields.findIndex((f) => f.name === 'TTL'), undefined)).toEqual([]);
    expect(bitFieldsInFocus(fields, undefined, undefined)).toEqual([]);
  });
});
