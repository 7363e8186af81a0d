import { beforeAll, describe, expect, it } from 'vitest';
import type { Codec } from '../wire/codec';
import { packetText, rowText } from './copy';
import { realCodec } from './real-codec.testing';
import { samples } from './samples';

let codec: Codec;
beforeAll(async () => {
  codec = await realCodec();
}, 180_000);

describe('copying from the inspector', () => {
  it('copies a packet as hex, as a C array and as a Wireshark hex dump, each read back by Decode', () => {
    const hex = samples.sendLoopback.requestHex;
    expect(packetText(codec, hex, 'hex', 'request')).toBe(hex);
    const c = packetText(codec, hex, 'c', 'request');
    expect(c.startsWith('unsigned char request[] = {\n  0x08, 0x00, 0xa6, 0x90,')).toBe(true);
    expect(c.endsWith('};\nunsigned int request_len = 64;\n')).toBe(true);
    const dump = packetText(codec, hex, 'hexdump', 'request');
    expect(dump.split('\n')[0]).toBe('0000  08 00 a6 90 f1 c5 00 01 80 d5 27 71 d4 da b4 d7   ..........\'q....');
    for (const text of [c, dump]) {
      const back = codec.decode(text);
      expect(back.hex).toBe(hex);
    }
  });

  it('copies a row as the table shows it, tab-separated', () => {
    expect(rowText(samples.onTimeLoopback)).toBe('1\treply\t1\t61893\t64\t64\t1.043\ton-time\t127.0.0.1');
    expect(rowText(samples.lost)).toMatch(/^3\tloss\t2\t52888\t64\t\t\tloss\t/);
    expect(rowText({ ...samples.timeExceeded, row: -1 })).toMatch(/^\ticmp-error\t1\t/);
  });
});
