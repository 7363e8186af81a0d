// Where a process's resident memory is, by kind of mapping (/proc/PID/smaps): the soak bench
// (soak-memory.mjs) prints it for each web process, so that growth can be placed. Kinds:
//   arena   glibc malloc's thread arenas: each is a 64 MiB-aligned reservation, read-write
//           up to what it uses and PROT_NONE after (HEAP_MAX_SIZE on 64-bit); the memory of
//           everything in the process that calls plain malloc from a thread other than the
//           main one (GLib, cairo, Skia's painting threads)
//   heap    [heap]: glibc malloc's main arena (brk), the main thread's plain mallocs
//   anon    other anonymous mappings (unnamed, or named [anon:...]): WebKit's bmalloc/libpas
//           heaps, JavaScriptCore's heap and JIT code, large mallocs (mmap'd chunks)
//   shared  memfd / shared memory (/memfd:..., /dev/shm, SYSV): WebKit's IPC buffers (network
//           data, images and layers sent between its processes)
//   file    mapped files (libraries, fonts, caches)
//   other   [stack], [vdso] and the like

import { readFileSync } from 'node:fs';

const ARENA_BYTES = 64n * 1024n * 1024n;

/** The mappings of one smaps text: { start, end (BigInt), perms, path, rssKB }. */
export function parseSmaps(text) {
  const maps = [];
  for (const line of text.split('\n')) {
    // A mapping's header: "start-end perms offset dev inode [path]".
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (head) {
      maps.push({ start: BigInt(`0x${head[1]}`), end: BigInt(`0x${head[2]}`), perms: head[3], path: head[4].trim(), rssKB: 0 });
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && maps.length) maps[maps.length - 1].rssKB = Number(rss[1]);
  }
  return maps;
}

/** Resident kB of one smaps text by kind of mapping (see the top). */
export function smapsKinds(text) {
  const maps = parseSmaps(text);
  const kb = { arena: 0, heap: 0, anon: 0, shared: 0, file: 0, other: 0 };
  maps.forEach((m, i) => {
    kb[kindOf(m, maps[i + 1])] += m.rssKB;
  });
  return kb;
}

function anonymous(path) {
  return path === '' || path.startsWith('[anon:');
}

function kindOf(m, next) {
  if (anonymous(m.path)) {
    // A thread arena: starts on a 64 MiB boundary, and the reservation's rest (PROT_NONE)
    // follows it to the next boundary (or it uses the whole 64 MiB).
    const aligned = m.start % ARENA_BYTES === 0n;
    const whole = m.end - m.start === ARENA_BYTES;
    const rest = next && anonymous(next.path) && next.perms.startsWith('---') && next.start === m.end && next.end === m.start + ARENA_BYTES;
    if (aligned && m.perms.startsWith('rw') && (whole || rest)) return 'arena';
    return 'anon';
  }
  if (m.path === '[heap]') return 'heap';
  if (m.path.startsWith('[anon_shmem:') || m.path.startsWith('/memfd:') || m.path.startsWith('/dev/shm/') || m.path.startsWith('/SYSV')) return 'shared';
  if (m.path.startsWith('[')) return 'other';
  return 'file';
}

/** smapsKinds of a running process in MB, or null when it is gone or unreadable. */
export function processKindsMB(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return null;
  }
  const k = smapsKinds(text);
  const mb = {};
  for (const [name, v] of Object.entries(k)) mb[name] = Math.round((v / 1024) * 10) / 10;
  return mb;
}
