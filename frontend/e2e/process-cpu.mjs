// CPU time a browser spent on a stretch of page work, read from /proc, so that a busy machine
// (other programs on the same CPUs inflate wall-clock time, not this) still gives the page's
// own figure. The page's main thread is where an edit's work happens, from the input event
// to the frame (JavaScript, the WebAssembly codec, style, layout, paint): Chromium's renderer
// processes (--type=renderer) and WebKitGTK's WebKitWebProcess run it on their first thread.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** [ppid, cpu ms (user + system)] from a /proc/.../stat line. */
function parseStat(stat) {
  // "pid (comm) state ppid ... utime(14) stime(15)": comm may hold spaces, so split after ')'.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [Number(f[1]), ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_SECOND];
}

/** The processes below `root` (root included), pid -> command line arguments. */
function tree(root) {
  const parent = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      parent.set(Number(entry), parseStat(readFileSync(`/proc/${entry}/stat`, 'utf8'))[0]);
    } catch {
      // exited meanwhile
    }
  }
  const found = new Map();
  for (const pid of parent.keys()) {
    for (let p = pid; p > 1; p = parent.get(p) ?? 0) {
      if (p !== root) continue;
      try {
        found.set(pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'));
      } catch {
        // exited meanwhile
      }
      break;
    }
  }
  return found;
}

/**
 * Whether a process runs pages: a Chromium renderer or a WebKitGTK web process. (Chromium
 * rewrites the command line of the processes its zygote forks into one string, spaces and all.)
 */
function runsPages(args) {
  const line = args.join(' ');
  return /(^|\s)--type=renderer(\s|$)/.test(line) || /WebKitWebProcess(\s|$)/.test(args[0] ?? '');
}

/**
 * CPU milliseconds used so far by the main threads of the page processes below `root` (the
 * browser's own process, or the WebDriver that started it).
 */
export function pageMainThreadCpuMs(root) {
  let ms = 0;
  for (const [pid, args] of tree(root)) {
    if (!runsPages(args)) continue;
    try {
      ms += parseStat(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'))[1];
    } catch {
      // exited meanwhile
    }
  }
  return ms;
}

/** The main process of the Chromium started with this --user-data-dir, or undefined. */
export function chromiumPid(profileDir) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes(`--user-data-dir=${profileDir}`) && !args.some((a) => a.startsWith('--type='))) return Number(entry);
    } catch {
      // exited meanwhile
    }
  }
  return undefined;
}
