// The Monitor view's target list: what people type, paste or load from a file (one target a
// line, or separated by commas or spaces; '#' starts a comment, as in fping's -f files), and
// CIDR blocks expanded to their host addresses, bounded to a /22 (1024 addresses) as the
// backend's MAX_TARGETS.

/** Mirrors service.MaxMonitorTargets. */
export const MAX_TARGETS = 1024;

/** Splits a list into targets: lines, commas, spaces and tabs separate; '#' to the line's end is a comment. */
export function splitTargets(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const body = line.replace(/#.*$/, '');
    for (const word of body.split(/[\s,;]+/)) if (word !== '') out.push(word);
  }
  return out;
}

/** A CIDR block as written ("192.0.2.0/24", "2001:db8::/120"), or null when the word is not one. */
export interface Cidr {
  text: string;
  /** Host addresses it holds, as fping -g counts them (no network and broadcast address below /31 for IPv4). */
  count: number;
}

function ipv4ToInt(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

function intToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The 8 groups of an IPv6 address, or null. */
function ipv6Groups(s: string): number[] | null {
  if (!/^[0-9a-fA-F:]+$/.test(s) || s.split('::').length > 2) return null;
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const gs = part.split(':');
    if (gs.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
    return gs.map((g) => parseInt(g, 16));
  };
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  if (!h || !t) return null;
  if (tail === undefined) return h.length === 8 ? h : null;
  const fill = 8 - h.length - t.length;
  if (fill < 1) return null;
  return [...h, ...Array<number>(fill).fill(0), ...t];
}

function groupsToIpv6(g: number[]): string {
  // The canonical short form: the longest run of zero groups (two or more) becomes '::'.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

type Parsed = { v: 4; base: number; bits: number } | { v: 6; groups: number[]; bits: number };

function parseCidr(word: string): Parsed | null | 'bad' {
  const slash = word.indexOf('/');
  if (slash < 0) return null;
  const addr = word.slice(0, slash);
  const bitsText = word.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return 'bad';
  const bits = Number(bitsText);
  const v4 = ipv4ToInt(addr);
  if (v4 !== null) {
    if (bits > 32) return 'bad';
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return { v: 4, base: (v4 & mask) >>> 0, bits };
  }
  const g = ipv6Groups(addr);
  if (g !== null) {
    if (bits > 128) return 'bad';
    const out = g.slice();
    for (let i = 0; i < 8; i++) {
      const keep = Math.max(0, Math.min(16, bits - i * 16));
      out[i] = keep === 0 ? 0 : (out[i] ?? 0) & ((0xffff << (16 - keep)) & 0xffff);
    }
    return { v: 6, groups: out, bits };
  }
  return 'bad';
}

/** How many host addresses a block holds (as fping -g: no network/broadcast in IPv4 below /31). */
function hostCount(p: Parsed): number {
  const free = (p.v === 4 ? 32 : 128) - p.bits;
  if (free > 40) return Infinity;
  const all = 2 ** free;
  return p.v === 4 && free >= 2 ? all - 2 : all;
}

/** The word as a CIDR block, null when it is not one; throws with a sentence when it is a malformed one. */
export function cidrOf(word: string): Cidr | null {
  const p = parseCidr(word);
  if (p === null) return null;
  if (p === 'bad') throw new Error(`${word}: not an address block (write it as 192.0.2.0/24 or 2001:db8::/120)`);
  return { text: word, count: hostCount(p) };
}

/** The host addresses of a block, in order; throws when it holds more than MAX_TARGETS. */
export function expandCidr(word: string): string[] {
  const p = parseCidr(word);
  if (p === null || p === 'bad') throw new Error(`${word}: not an address block`);
  const n = hostCount(p);
  if (n > MAX_TARGETS) throw new Error(`${word} holds ${n === Infinity ? 'too many' : n} addresses; a monitor takes at most ${MAX_TARGETS} (a /22)`);
  const out: string[] = [];
  if (p.v === 4) {
    const skipEnds = 32 - p.bits >= 2;
    const first = p.base + (skipEnds ? 1 : 0);
    for (let i = 0; i < n; i++) out.push(intToIpv4((first + i) >>> 0));
    return out;
  }
  for (let i = 0; i < n; i++) {
    const g = p.groups.slice();
    g[7] = (g[7] ?? 0) + i; // at most 1024 addresses: the last group never overflows past a /118's range
    out.push(groupsToIpv6(g));
  }
  return out;
}

/** What a list holds: plain targets and CIDR blocks (expanded only once confirmed), and mistakes. */
export interface ParsedList {
  targets: string[];
  blocks: Cidr[];
  errors: string[];
}

/** Reads a typed, pasted or loaded list; blocks are reported, not expanded (the view asks first). */
export function parseList(text: string): ParsedList {
  const out: ParsedList = { targets: [], blocks: [], errors: [] };
  for (const word of splitTargets(text)) {
    try {
      const c = cidrOf(word);
      if (c) {
        if (c.count > MAX_TARGETS) out.errors.push(`${word} holds ${c.count === Infinity ? 'too many' : c.count} addresses; a monitor takes at most ${MAX_TARGETS} (a /22)`);
        else out.blocks.push(c);
      } else out.targets.push(word);
    } catch (err) {
      out.errors.push(err instanceof Error ? err.message : String(err));
    }
  }
  return out;
}
