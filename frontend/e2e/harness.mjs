// Starts the real app for end-to-end tests: the dev-mode Wails binary (Go backend, bindings
// served over its dev server) under a private Xvfb display, and a fresh headless Chromium
// (playwright-core, the system's /usr/bin/chromium) pointed at that dev server.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { freePort } from './engines/common.mjs';

export const frontendDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(frontendDir, '..');
export const artifactsDir = join(repoRoot, 'build', 'test-artifacts');
const devBinary = join(repoRoot, 'build', 'bin', 'echoscope-dev');
/** How long the app may take to come up before the harness gives up (a failure deadline only). */
const START_DEADLINE_MS = 120_000;

export function chromiumPath() {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`no Chromium found (tried ${candidates.join(', ')}); set CHROMIUM=/path/to/chromium`);
  return found;
}

async function waitForHttp(url, child, log) {
  const start = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`echoscope-dev exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() - start > START_DEADLINE_MS) throw new Error(`${url} did not answer within ${START_DEADLINE_MS} ms:\n${log()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Builds the dev-mode binary and the helper beside it (cached by go build when nothing
 * changed). The app looks for echoscope-ping next to itself first: a helper left there by an
 * older build would speak an older protocol ("message type ... is not accepted").
 */
export function buildDevBinary() {
  execFileSync('go', ['build', '-tags', 'dev,webkit2_41', '-o', devBinary, '.'], { cwd: repoRoot, stdio: 'inherit' });
  // As `make helper` builds it (same flags and version stamp), so a later make sees it current.
  const version = execFileSync('scripts/version.sh', { cwd: repoRoot, encoding: 'utf8' }).trim();
  execFileSync('go', ['build', '-trimpath', '-buildmode=pie', '-ldflags', `-s -w -X echoscope/cmd/echoscope-ping/internal/cli.Version=${version}`,
    '-o', join(dirname(devBinary), 'echoscope-ping'), './cmd/echoscope-ping'], { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, CGO_ENABLED: '0' } });
}

/**
 * Starts echoscope-dev under xvfb-run serving frontend/dist on a free port, and a Chromium page
 * on it. Returns { page, url, stop, display, dataDir }. The app keeps its packet history in a
 * fresh temporary directory (ECHOSCOPE_DATA_DIR), removed by stop(); options.dataDir uses that
 * directory instead and keeps it (restart tests: the caller removes it); options.env adds
 * environment variables; options.browser false starts no Chromium (page is null). display is the environment of the app's X display ({ DISPLAY,
 * XAUTHORITY }), for xdotool.
 */
export async function startApp(options = {}) {
  if (!existsSync(join(frontendDir, 'dist', 'index.html'))) {
    throw new Error('frontend/dist is not built: run `npm run build` in frontend/ (or make build) first');
  }
  buildDevBinary();
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const url = `http://${address}/`;

  let output = '';
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'echoscope-e2e-data-'));
  // detached: its own process group, so stop() ends xvfb-run, Xvfb and the app together.
  const child = spawn(
    'xvfb-run',
    ['-a', '-s', '-screen 0 1400x900x24 -nolisten tcp', devBinary, '-assetdir', join(frontendDir, 'dist'), '-devserver', address, '-loglevel', 'Warning'],
    { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WEBKIT_DISABLE_DMABUF_RENDERER: '1', ECHOSCOPE_DATA_DIR: dataDir, ...options.env } },
  );
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  const profile = mkdtempSync(join(tmpdir(), 'echoscope-e2e-chromium-'));
  let context;
  const stop = async () => {
    await context?.close().catch(() => {});
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(profile, { recursive: true, force: true });
    if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHttp(url, child, () => output);
    // options.browser false: no Chromium (a test that drives another browser at url).
    if (options.browser === false) return { page: null, url, stop, pageErrors: [], appLog: () => output, dataDir, display: appDisplay(child.pid) };
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(),
      headless: true,
      viewport: { width: 1360, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(url);
    return { page, url, stop, pageErrors, appLog: () => output, dataDir, display: appDisplay(child.pid) };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The X display the app under xvfb-run draws on, as the environment an X client needs there
 * ({ DISPLAY, XAUTHORITY }: xvfb-run -a picks a free number and a cookie itself), read from the
 * echoscope-dev process among the descendants of xvfb-run; null when not found.
 */
function appDisplay(rootPid) {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces, so split after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  const descends = (pid) => {
    for (let p = pid; p > 1; p = parents.get(p) ?? 0) if (p === rootPid) return true;
    return false;
  };
  for (const pid of parents.keys()) {
    if (!descends(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith(devBinary)) continue;
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      const value = (name) => env.find((v) => v.startsWith(`${name}=`))?.slice(name.length + 1);
      if (value('DISPLAY')) return { DISPLAY: value('DISPLAY'), XAUTHORITY: value('XAUTHORITY') ?? '' };
    } catch {
      // exited meanwhile
    }
  }
  return null;
}

export { pingAndSelectReply, startTestHost } from './ping-helpers.mjs';
