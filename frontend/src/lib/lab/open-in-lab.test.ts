import { describe, expect, it } from 'vitest';
import { labAvailable, onOpenInLab, openInLab, watchLab, type LabPacket } from './open-in-lab';

const packet: LabPacket = { hex: '0800f7cd000d0025', summary: 'ICMPv4 Echo Request id=0x000d seq=37, 8 bytes', origin: 'Decode tab: read as plain hex: 8 bytes' };

describe('open in Lab', () => {
  it('refuses while no Lab is registered, then hands the packet over until it unregisters', () => {
    expect(labAvailable()).toBe(false);
    expect(openInLab(packet)).toBe(false);
    const received: LabPacket[] = [];
    let changes = 0;
    const unwatch = watchLab(() => changes++);
    const unregister = onOpenInLab((p) => received.push(p));
    expect(labAvailable()).toBe(true);
    expect(openInLab(packet)).toBe(true);
    expect(received).toEqual([packet]);
    unregister();
    expect(labAvailable()).toBe(false);
    expect(openInLab(packet)).toBe(false);
    expect(changes).toBe(2);
    unwatch();
  });
});
