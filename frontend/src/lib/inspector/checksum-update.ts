// RFC 1624 incremental checksum update: what a checksum must become when some 16-bit words
// it covers change. The diff uses it to tell a checksum that merely followed the other changes
// (type 8 -> 0, an identifier the kernel rewrote) from one that was damaged.

/** One's complement addition of two 16-bit values (end-around carry). */
export function onesAdd(a: number, b: number): number {
  const sum = (a & 0xffff) + (b & 0xffff);
  return (sum & 0xffff) + (sum >>> 16);
}

/** The 16-bit word at an even offset, a missing odd trailing byte taken as 0x00 (RFC 1071). */
function wordAt(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
}

/**
 * The checksum `after` should carry if it was made from `before` (whose checksum word sits at
 * `checksumOffset`) by changing some of the words: RFC 1624 eqn. 3, C' = ~(~C + ~m + m') for
 * each changed word m -> m'. Both messages must have the same length; undefined otherwise.
 */
export function updatedChecksum(before: Uint8Array, after: Uint8Array, checksumOffset: number): number | undefined {
  if (before.length !== after.length || checksumOffset + 2 > before.length) return undefined;
  let acc = ~wordAt(before, checksumOffset) & 0xffff;
  for (let offset = 0; offset < before.length; offset += 2) {
    if (offset === checksumOffset) continue;
    const old = wordAt(before, offset);
    const now = wordAt(after, offset);
    if (old === now) continue;
    acc = onesAdd(onesAdd(acc, ~old & 0xffff), now);
  }
  return ~acc & 0xffff;
}

/** 0x0000 and 0xffff are the two one's complement zeros: either is the same checksum. */
export function sameChecksum(a: number, b: number): boolean {
  const norm = (v: number) => ((v & 0xffff) === 0xffff ? 0 : v & 0xffff);
  return norm(a) === norm(b);
}
