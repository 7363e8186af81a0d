import { afterEach, describe, expect, it, vi } from 'vitest';
import { LabState, PAYLOAD_PAUSE_MS, payloadText, ROWS_AROUND, SPACED_PAYLOAD_BYTES } from './lab.svelte';
import type { Codec } from '../wire/codec';
import type { Report } from '../wire/types';
import type { LabAnalyzeRequest, LabResult, LabSpec } from '../lab/types';
// Written by the Go codec (cmd/wirewasm TestFrontendLabFixturesMatchTheCodec keeps them current).
import classicJSON from '../lab/testdata/lesson-classic.json';
import correctJSON from '../lab/testdata/lesson-correct.json';
import windowedJSON from '../lab/testdata/windowed-64.json';

/** A codec whose Lab calls answer with the fixtures and record what they were asked. */
function fakeCodec(report?: Report) {
  const built: LabSpec[] = [];
  const analyzed: LabAnalyzeRequest[] = [];
  const codec: Codec = {
    version: 'test',
    decode: () => report!,
    checksumTrace: () => ({ steps: [], folds: [], sum: 0, result: 0 }),
    format: () => {
      throw new Error('not used by the Lab');
    },
    lab: {
      build: (spec) => (built.push(spec), (spec.mode === 'classic' ? classicJSON : correctJSON) as LabResult),
      analyze: (request) => (analyzed.push(request), request.hex.includes('zz') ? { error: 'Invalid hex character' } : (classicJSON as LabResult)),
    },
  };
  return { codec, built, analyzed };
}

describe('LabState', () => {
  it('loads the lesson and writes its bytes into the hex box', () => {
    const { codec, built } = fakeCodec();
    const lab = new LabState();
    lab.loadLesson(codec, 'classic');
    expect(built.at(-1)).toMatchObject({ family: 4, type: 8, id: 13, seq: 37, mode: 'classic', payload: '' });
    expect(lab.hexInput).toBe('08 00 f2 ff 00 0d 00 25');
    expect(lab.analysis?.classic).toBe(0xf2ff);
    expect(lab.decoding.report?.hex).toBe('0800f2ff000d0025');
    expect(lab.lastCodecMs).toBeGreaterThanOrEqual(0);
  });

  it('makes the form follow typed bytes, keeping their checksum', () => {
    const { codec, analyzed } = fakeCodec();
    const lab = new LabState();
    lab.hexInput = '08 00 f2 ff 00 0d 00 25';
    lab.editHex(codec);
    expect(analyzed.at(-1)).toMatchObject({ hex: '08 00 f2 ff 00 0d 00 25', family: 4, src: '', dst: '' });
    expect(lab.form).toMatchObject({ type: '8', id: '13', seq: '37', mode: 'keep', checksum: '0xf2ff', payloadKind: 'hex', payload: '' });
  });

  it("writes typed bytes' payload into the one-line payload box: spaced when short, one run of hex when long", () => {
    expect(payloadText('68656c6c6f')).toBe('68 65 6c 6c 6f');
    // 17 bytes: spaced across what the hex box breaks into two lines.
    expect(payloadText('00'.repeat(17))).toBe(Array(17).fill('00').join(' '));
    expect(payloadText('a5'.repeat(SPACED_PAYLOAD_BYTES))).toBe(Array(SPACED_PAYLOAD_BYTES).fill('a5').join(' '));
    expect(payloadText('a5'.repeat(1492))).toBe('a5'.repeat(1492));
    expect(payloadText('')).toBe('');
  });

  describe('the payload box after typed bytes', () => {
    afterEach(() => vi.useRealTimers());
    /** The fake codec, its analysis carrying a payload of `bytes` bytes. */
    function codecWithPayload(bytes: number) {
      const { codec } = fakeCodec();
      const base = (classicJSON as LabResult).analysis!;
      codec.lab!.analyze = () => ({ analysis: { ...base, fields: { ...base.fields!, payloadHex: 'a5'.repeat(bytes) } } });
      return codec;
    }

    it('shows a long payload only once the typing pauses, never the old one meanwhile', () => {
      vi.useFakeTimers();
      const codec = codecWithPayload(1492);
      const lab = new LabState();
      lab.loadLesson(codec, 'correct');
      expect(lab.payloadShown).toBe('');
      lab.form.payload = 'old text';
      lab.editHex(codec);
      expect(lab.form.payload).toBe('a5'.repeat(1492)); // current for a field edit
      expect(lab.payloadPending).toBe(true);
      expect(lab.payloadShown).toBe(''); // not 'old text'
      vi.advanceTimersByTime(PAYLOAD_PAUSE_MS - 1);
      lab.editHex(codec); // typing again restarts the wait
      vi.advanceTimersByTime(PAYLOAD_PAUSE_MS - 1);
      expect(lab.payloadShown).toBe('');
      vi.advanceTimersByTime(1);
      expect(lab.payloadPending).toBe(false);
      expect(lab.payloadShown).toBe('a5'.repeat(1492));
    });

    it('writes it at once when the box gets the focus, or a field is edited', () => {
      vi.useFakeTimers();
      const codec = codecWithPayload(1492);
      const lab = new LabState();
      lab.editHex(codec);
      lab.showPayload();
      expect(lab.payloadShown).toBe('a5'.repeat(1492));
      lab.editHex(codec);
      expect(lab.payloadShown).toBe('');
      lab.editFields(codec);
      expect(lab.payloadPending).toBe(false);
      vi.runAllTimers();
      expect(lab.payloadPending).toBe(false);
    });

    it('writes a short payload at once', () => {
      const codec = codecWithPayload(SPACED_PAYLOAD_BYTES);
      const lab = new LabState();
      lab.editHex(codec);
      expect(lab.payloadPending).toBe(false);
      expect(lab.payloadShown).toBe(Array(SPACED_PAYLOAD_BYTES).fill('a5').join(' '));
    });
  });

  it('asks the codec for the rows in view only, and again when a walkthrough scrolls past them', () => {
    const { codec, analyzed } = fakeCodec();
    codec.lab!.analyze = (request) => (analyzed.push(request), windowedJSON as LabResult);
    const lab = new LabState();
    lab.hexInput = '08 00 f7 cd';
    lab.editHex(codec);
    // Before a table says what it renders: its first 18 rows, and ROWS_AROUND more.
    expect(analyzed.at(-1)?.window).toEqual({ steps: { from: 0, to: 18 + ROWS_AROUND }, compare: { from: 0, to: 18 + ROWS_AROUND } });
    expect(analyzed).toHaveLength(1);
    // The fixture holds walkthrough rows 10-27 and comparison rows 20-31 (the last): no call.
    lab.showRows(codec, 'steps', 10, 28);
    lab.showRows(codec, 'compare', 20, 38);
    expect(analyzed).toHaveLength(1);
    // Rows it does not hold: the same bytes again, with the rows now in view.
    lab.showRows(codec, 'compare', 2, 20);
    expect(analyzed).toHaveLength(2);
    expect(analyzed.at(-1)).toEqual({ hex: '08 00 f7 cd', family: 4, src: '', dst: '', window: { steps: { from: 0, to: 28 + ROWS_AROUND }, compare: { from: 0, to: 20 + ROWS_AROUND } } });
    expect(lab.analysis?.windows?.compare.from).toBe(20);
  });

  it('keeps the last packet on screen and says why an edit gives none', () => {
    const { codec } = fakeCodec();
    const lab = new LabState();
    lab.loadLesson(codec, 'correct');
    lab.form.id = '70000';
    lab.editFields(codec);
    expect(lab.error).toBe('Identifier 70000 is too large: at most 65535 (0xffff)');
    expect(lab.analysis?.correct).toBe(0xf7cd);
    lab.hexInput = 'zz';
    lab.editHex(codec);
    expect(lab.error).toBe('Invalid hex character');
  });

  it('opens a handed-over packet at its ICMP message', () => {
    const report: Report = {
      summary: 's', length: 28, hex: '45'.padEnd(40, '0') + '0800f2ff000d0025', layers: ['IPv4', 'ICMPv4'], checksums: [], warnings: [],
      fields: [{ layer: 'IPv4', name: 'Version', offset: 0, length: 1, value: '4', meaning: '' }, { layer: 'ICMPv4', name: 'Type', offset: 20, length: 1, value: '8', meaning: '' }],
    };
    const { codec, analyzed } = fakeCodec(report);
    const lab = new LabState();
    lab.open(codec, { hex: report.hex, summary: 's', origin: 'Decode tab: bytes' });
    expect(analyzed.at(-1)?.hex).toBe('08 00 f2 ff 00 0d 00 25');
    expect(lab.source).toBe('hex');
    expect(lab.origin).toBe('Decode tab: bytes');
  });
});
