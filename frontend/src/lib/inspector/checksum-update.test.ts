import { describe, expect, it } from 'vitest';
import { onesAdd, sameChecksum, updatedChecksum } from './checksum-update';
import { bytesOfHex } from './layout';

describe('updatedChecksum (RFC 1624)', () => {
  it('type 8 -> 0 raises the checksum by 0x0800', () => {
    const request = bytesOfHex('0800 7ba0 b132 0001');
    const reply = bytesOfHex('0000 83a0 b132 0001');
    expect(updatedChecksum(request, reply, 2)).toBe(0x83a0);
  });
  it('carries end around', () => {
    expect(onesAdd(0xffff, 0x0002)).toBe(0x0002);
    // ~0xf800 + 0x0800 = 0x0fff: 0x0800 -> 0xf800 seen from the other side.
    expect(updatedChecksum(bytesOfHex('0000 f800'), bytesOfHex('0800 f800'), 2)).toBe(0xf000);
  });
  it('refuses different lengths, and both zeros are the same checksum', () => {
    expect(updatedChecksum(bytesOfHex('0800 0000'), bytesOfHex('0000 0000 00'), 2)).toBeUndefined();
    expect(sameChecksum(0xffff, 0x0000)).toBe(true);
    expect(sameChecksum(0x1234, 0x1235)).toBe(false);
  });
});
