// Where one Lab edit's time goes, per engine (a tool for finding it, beside make bench's figure):
// `node e2e/profile-lab.mjs` in frontend/ builds the static web lab (or serves PROFILE_LAB_DIST,
// a built dist/web of another commit), types one-digit overtypes into the hex box as the bench
// does, and splits each edit into: the page's JavaScript (input event -> new checksum in the
// DOM: the codec and Svelte's updates), style and layout (forced right after, by reading
// offsetHeight), and the rest of the frame (paint); and counts the DOM changes per edit by
// panel. With PROFILE_LAB_HIDE=1 each panel is also measured hidden (display: none) in turn:
// what the page saves without that panel's style and layout is what the panel costs.
// PROFILE_LAB_CSS=name,... measures the page with each style sheet of VARIANTS added, beside
// none (variant, none, none, variant): containment, content-visibility, no sticky cells, all
// but the hex box hidden (jsonly: the page's JavaScript alone), and so on. The CPU time of the
// page's main thread per edit (typing included) is what a busy machine inflates least; the
// wall-clock split is only worth reading on a quiet one.
// Knobs: PROFILE_LAB_EDITS (41 per packet size), PROFILE_LAB_SIZES (64,1500),
// PROFILE_LAB_ENGINES (webkitgtk,chromium), PROFILE_LAB_DIST, PROFILE_LAB_HIDE=1, PROFILE_LAB_CSS.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumPath, frontendDir, repoRoot } from './harness.mjs';
import { serveStatic } from './static-server.mjs';
import { waitInPage } from './engines/common.mjs';
import { openWebKit, webkitMissing } from './engines/webkit.mjs';
import { makePacketInPage, withCpu } from './web-lab-checks.mjs';
import { chromiumPid } from './process-cpu.mjs';

const edits = Number(process.env.PROFILE_LAB_EDITS ?? 41);
const sizes = (process.env.PROFILE_LAB_SIZES ?? '64,1500').split(',').map(Number);
const engines = (process.env.PROFILE_LAB_ENGINES ?? 'webkitgtk,chromium').split(',');
const hideEach = process.env.PROFILE_LAB_HIDE === '1';
/**
 * Style sheets to try (PROFILE_LAB_CSS=name,name), each measured beside none, alternating:
 * containment, skipped rendering off screen, no flex or grid around the panels, no sticky
 * cells or opacity layers, nothing painted but the hex box (unpainted), nothing laid out but
 * the hex box (jsonly: what is left is the page's JavaScript and the typing), one panel hidden,
 * the hex box a relayout boundary (editor), the off-screen walkthroughs' rendering skipped
 * (cvtables, cvhidden).
 */
const VARIANTS = {
  contain: 'main section.panel, main .verdict-panel, main form { contain: layout style; }',
  visibility: 'main section.panel, main .verdict-panel { content-visibility: auto; contain-intrinsic-size: auto 300px; }',
  block: '.shell, main, main > .panel { display: block !important; } main > .panel > * { margin-bottom: 10px; }',
  paint: 'main section.panel, main .verdict-panel, main form { contain: paint; }',
  layers: 'main section.panel, main .verdict-panel, main form { will-change: transform; }',
  nosticky: 'main th, main td, main .dump-panel { position: static !important; }',
  noopacity: 'main .copy { opacity: 1 !important; }',
  unpainted: '#lab-help, main .verdict-panel, main form, main section:not([aria-labelledby="lab-title"]) { visibility: hidden; }',
  jsonly: '#lab-help, main .verdict-panel, main form, main section:not([aria-labelledby="lab-title"]) { display: none !important; }',
  onepanel: 'main > .panel { display: block !important; } main > .panel > * + * { margin-top: 10px; }',
  notables: 'section[aria-labelledby="lab-checksums-title"], section[aria-labelledby="lab-compare-title"] { display: none !important; }',
  novisible: '#lab-help, main .verdict-panel, main form, main .grid { display: none !important; }',
  nolistgrid: 'main .list { display: block !important; }',
  strictscroll: 'main .scroll { contain: strict; height: 302px; }',
  nopayload: 'main td.value, main [data-testid="lab-payload"] { display: none !important; }',
  novaluecells: 'main td.value { display: none !important; }',
  nopayloadbox: 'main [data-testid="lab-payload"] { display: none !important; }',
  nogrid: 'main .grid { display: block !important; }',
  nodump: 'section[aria-labelledby="lab-dump-title"] { display: none !important; }',
  nofields: 'section[aria-labelledby="lab-fields-title"] { display: none !important; }',
  noform: 'main form { display: none !important; }',
  noverdict: 'main .verdict-panel, #lab-help { display: none !important; }',
  editor: '[data-testid="lab-hex"] { contain: strict; }',
  nohelp: '#lab-help { display: none !important; }',
  cvtables: 'section[aria-labelledby="lab-checksums-title"], section[aria-labelledby="lab-compare-title"] { content-visibility: auto; contain-intrinsic-size: auto 500px; }',
  cvhidden: 'section[aria-labelledby="lab-checksums-title"], section[aria-labelledby="lab-compare-title"] { content-visibility: hidden; contain-intrinsic-size: auto 500px; }',
  flat: 'main th, main td, main .dump-panel { position: static !important; } main .copy { opacity: 1 !important; }',
};
const variants = (process.env.PROFILE_LAB_CSS ?? '').split(',').filter(Boolean);

/** The Lab's panels, by a selector for each (hidden one at a time with PROFILE_LAB_HIDE=1). */
const PANELS = {
  form: 'form[aria-label="Echo request fields"]',
  verdict: '.verdict-panel',
  fields: 'section[aria-labelledby="lab-fields-title"]',
  dump: 'section[aria-labelledby="lab-dump-title"]',
  walkthrough: 'section[aria-labelledby="lab-checksums-title"]',
  compare: 'section[aria-labelledby="lab-compare-title"]',
  lesson: 'section[aria-labelledby="lab-lesson-title"]',
};

/**
 * Runs in the page: `count` overtyped digits in the hex box (as timeEditsInPage types them),
 * each split into js (input event -> checksum in the DOM), style+layout (a forced layout right
 * after) and paint (the rest of the frame), with the DOM changes counted by panel; `hide` is a
 * CSS selector list shown display: none meanwhile. Plain JavaScript with no closure (WebDriver
 * runs it from its source).
 */
const profileEditsInPage = async ({ count, hide, css, panels }) => {
  const box = document.querySelector('[data-testid="lab-hex"]');
  const correct = document.querySelector('[data-testid="lab-correct"]');
  const nextFrame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));
  const afterFrame = () =>
    new Promise((r) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => r(undefined);
      channel.port2.postMessage(0);
    });
  let sheet;
  if (hide || css) {
    sheet = document.createElement('style');
    sheet.textContent = hide ? `${hide} { display: none !important; }` : css;
    document.head.append(sheet);
    await nextFrame();
    await afterFrame();
  }
  const panelOf = (node) => {
    const el = node.nodeType === 1 ? node : node.parentElement;
    if (!el) return 'detached';
    if (el.closest('[data-testid="lab-hex"]')) return 'hexbox';
    for (const [name, selector] of Object.entries(panels)) if (el.closest(selector)) return name;
    return 'other';
  };
  // Records reach the callback in the microtasks the loop below awaits: kept until counted.
  let records = [];
  const view = `${innerWidth}x${innerHeight}, scrolled to ${scrollY}`;
  const observer = new MutationObserver((list) => records.push(...list));
  observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  const js = [];
  const layout = [];
  const paint = [];
  const total = [];
  const changes = {};
  try {
    box.focus();
    const length = box.innerText.trim().split(/\s+/).length;
    const selectDigit = (offset) => {
      const text = box.children[Math.floor(offset / 16)].firstChild;
      const at = (offset % 16) * 3;
      const range = document.createRange();
      range.setStart(text, at);
      range.setEnd(text, at + 1);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      return text.data.slice(at, at + 2);
    };
    for (let i = 0; i < count; i++) {
      const before = correct.textContent;
      const offset = 8 + ((i * 37) % (length - 8));
      const old = selectDigit(offset);
      const digit = ((parseInt(old[0], 16) + 1 + (i % 7)) % 16).toString(16);
      await nextFrame();
      observer.takeRecords();
      records = [];
      let t0 = NaN;
      addEventListener('input', () => (t0 = performance.now()), { capture: true, once: true });
      if (!document.execCommand('insertText', false, digit)) throw new Error(`edit ${i}: the browser did not type`);
      for (let spins = 0; correct.textContent === before; spins++) {
        if (spins > 10000) throw new Error(`edit ${i}: the checksum on screen did not change`);
        await new Promise((r) => (spins < 100 ? queueMicrotask(r) : setTimeout(r, 0)));
      }
      const t1 = performance.now();
      void document.body.offsetHeight;
      const t2 = performance.now();
      for (const record of [...records, ...observer.takeRecords()]) {
        const key = `${panelOf(record.target)} ${record.type === 'attributes' ? `@${record.attributeName}` : record.type}`;
        changes[key] = (changes[key] ?? 0) + 1;
      }
      await afterFrame();
      const t3 = performance.now();
      js.push(t1 - t0);
      layout.push(t2 - t1);
      paint.push(t3 - t2);
      total.push(t3 - t0);
    }
  } finally {
    observer.disconnect();
    sheet?.remove();
  }
  const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  for (const k of Object.keys(changes)) changes[k] = Math.round((changes[k] / count) * 10) / 10;
  return { view, samples: count, js: median(js), layout: median(layout), paint: median(paint), total: median(total), changes, elements: document.getElementsByTagName('*').length };
};

const fmt = (r) => `CPU ${r.cpuPerEdit.toFixed(1)} ms/edit; wall: total ${r.total.toFixed(1)} ms = js ${r.js.toFixed(1)} + style/layout ${r.layout.toFixed(1)} + paint ${r.paint.toFixed(1)} (${r.elements} elements, view ${r.view})`;

async function profile(engine, evaluate, pid) {
  const run = (arg) => withCpu(pid, () => evaluate(profileEditsInPage, arg));
  for (const size of sizes) {
    const length = await evaluate(makePacketInPage, size);
    if (!length.startsWith(`${size} bytes`)) throw new Error(`${engine}: the Lab shows ${length}, wanted ${size} bytes`);
    await evaluate(profileEditsInPage, { count: 5, hide: '', panels: PANELS }); // warm up
    const all = await run({ count: edits, hide: '', panels: PANELS });
    console.log(`${engine} ${size} B: ${fmt(all)}`);
    const changes = Object.entries(all.changes).sort((a, b) => b[1] - a[1]);
    console.log(`  DOM changes per edit: ${changes.map(([k, n]) => `${k} ${n}`).join(', ')}`);
    for (const name of variants) {
      for (const [label, css] of [[name, VARIANTS[name]], ['none', ''], ['none', ''], [name, VARIANTS[name]]]) {
        const r = await run({ count: edits, hide: '', css, panels: PANELS });
        console.log(`  with ${label.padEnd(14)} ${fmt(r)}`);
      }
    }
    if (!hideEach) continue;
    for (const [name, selector] of Object.entries(PANELS)) {
      const r = await run({ count: edits, hide: selector, panels: PANELS });
      console.log(`  without ${name.padEnd(11)} ${fmt(r)}`);
    }
  }
}

let webDir = process.env.PROFILE_LAB_DIST;
if (!webDir) {
  webDir = join(repoRoot, 'dist', 'web');
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '-c', 'vite.web.config.ts'], { cwd: frontendDir, stdio: 'inherit' });
}
const server = await serveStatic(webDir);
console.log(`== Lab edit profile: ${webDir}, ${edits} edits per size, medians; load average ${loadavg()[0].toFixed(1)}`);
try {
  if (engines.includes('webkitgtk')) {
    const missing = webkitMissing();
    if (missing) throw new Error(missing);
    const webkit = await openWebKit();
    try {
      await webkit.goto(server.url);
      await waitInPage(webkit, () => document.querySelector('[data-testid="lab-verdict"]') !== null, undefined, 'the Lab');
      await profile('webkitgtk', webkit.evaluate, webkit.pid);
    } finally {
      await webkit.close();
    }
  }
  if (engines.includes('chromium')) {
    const dir = mkdtempSync(join(tmpdir(), 'echoscope-profile-lab-'));
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: chromiumPath(),
      headless: true,
      viewport: { width: 1360, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(server.url);
      await page.getByTestId('lab-verdict').waitFor({ timeout: 30_000 });
      await profile('chromium', (fn, arg) => page.evaluate(fn, arg), chromiumPid(dir));
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  await server.close();
}
console.log(`load average at the end ${loadavg()[0].toFixed(1)}`);
