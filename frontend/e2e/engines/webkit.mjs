// WebKitGTK for end-to-end tests: Debian's WebKitWebDriver (webkit2gtk-driver) on a private
// Xvfb display drives MiniBrowser, the browser that ships with libwebkit2gtk-4.1: the engine
// the app's window uses. The client is selenium-webdriver (W3C protocol). The browser runs
// under LANG=C on purpose: WebKitGTK then reports navigator.language "C", which the page must
// survive (issue 12: the bundle used to throw before it rendered).

import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Builder, Key } from 'selenium-webdriver';
import { freePort, waitUntil } from './common.mjs';

export const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const DRIVER = '/usr/bin/WebKitWebDriver';

/** Why WebKitGTK tests cannot run here, or null when they can. */
export function webkitMissing() {
  if (!existsSync(DRIVER)) return `${DRIVER} is missing (apt-get install webkit2gtk-driver)`;
  if (!existsSync(MINIBROWSER)) return `${MINIBROWSER} is missing (apt-get install libwebkit2gtk-4.1-0)`;
  return null;
}

// W3C key names of the keys the tests press (WebDriver sends them as code points).
const KEYS = {
  Enter: Key.ENTER, Escape: Key.ESCAPE, Tab: Key.TAB, ArrowUp: Key.ARROW_UP, ArrowDown: Key.ARROW_DOWN,
  ArrowLeft: Key.ARROW_LEFT, ArrowRight: Key.ARROW_RIGHT, Home: Key.HOME, End: Key.END, PageUp: Key.PAGE_UP,
  PageDown: Key.PAGE_DOWN, Shift: Key.SHIFT, Control: Key.CONTROL, Alt: Key.ALT,
};

/**
 * A private Xvfb that picks its own free display number (-displayfd: no race with other
 * xvfb-run -a on a shared machine, which can pick the same number). Returns { display, stop }.
 */
async function startXvfb() {
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '2200x1400x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c) => (err = (err + c).slice(-4000)));
  const number = await new Promise((resolve, reject) => {
    let out = '';
    child.stdio[3].on('data', (c) => {
      out += c;
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}: ${err}`)));
  });
  return {
    display: `:${number}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/**
 * Starts WebKitWebDriver on a private Xvfb and a MiniBrowser session on it, in the dark GTK theme
 * when dark (WebKitGTK takes prefers-color-scheme from the GTK theme). Returns an Engine
 * (see chromium.mjs for the shape every engine has).
 */
export async function openWebKit({ dark = false } = {}) {
  const xvfb = await startXvfb();
  const port = await freePort();
  let log = '';
  const child = spawn(DRIVER, [`--port=${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DISPLAY: xvfb.display, XAUTHORITY: '', LANG: 'C', LC_ALL: '', LC_MESSAGES: '', GTK_THEME: dark ? 'Adwaita:dark' : 'Adwaita', WEBKIT_DISABLE_DMABUF_RENDERER: '1' },
  });
  // WK_DEBUG=1 echoes the driver's log while a test runs (it is kept for failures anyway).
  const keep = (c) => {
    log = (log + c).slice(-10_000);
    if (process.env.WK_DEBUG) process.stderr.write(c);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const server = `http://127.0.0.1:${port}`;
  const stopDriver = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await xvfb.stop();
  };
  let driver;
  try {
    await waitUntil(async () => {
      if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited with ${child.exitCode}: ${log}`);
      try {
        return (await fetch(`${server}/status`)).ok;
      } catch {
        return false;
      }
    }, 'WebKitWebDriver answering');
    driver = await new Builder()
      .usingServer(server)
      .withCapabilities({ browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } })
      .build();
  } catch (err) {
    await stopDriver();
    throw err;
  }
  return webkitEngine(driver, dark, xvfb.display, child.pid, async () => {
    await driver.quit().catch(() => {});
    await stopDriver();
  });
}

function webkitEngine(driver, dark, display, pid, close) {
  /** Runs fn(arg) in the page, awaiting what it returns (an async script). */
  const evaluate = async (fn, arg) => {
    const result = await driver.executeAsyncScript(
      `const done = arguments[arguments.length - 1];
       Promise.resolve().then(() => (${fn.toString()})(arguments[0]))
         .then((value) => done({ value: value === undefined ? null : value }), (e) => done({ error: String(e && e.stack || e) }));`,
      arg === undefined ? null : arg,
    );
    if (result.error) throw new Error(`in WebKitGTK: ${result.error}`);
    return result.value;
  };
  return {
    name: 'webkitgtk',
    /** WebKitWebDriver's process: MiniBrowser and its web process run below it. */
    pid,
    dark,
    evaluate,
    goto: (url) => driver.get(url),
    async setViewport(width, height) {
      // The window rect is the outer window (MiniBrowser has a toolbar): set, measure, correct.
      // Right after a resize the page may still report a size from before it (or 0 while it
      // lays out): such a reading is taken again, not turned into a window size.
      await driver.manage().window().setRect({ x: 0, y: 0, width, height });
      for (let i = 0; i < 10; i++) {
        await evaluate(() => new Promise((r) => requestAnimationFrame(() => r(true))));
        const inner = await evaluate(() => [innerWidth, innerHeight]);
        if (inner[0] === width && inner[1] === height) return;
        const outer = await driver.manage().window().getRect();
        const w = outer.width + width - inner[0];
        const h = outer.height + height - inner[1];
        if (!(inner[0] > 0 && inner[1] > 0 && w >= width && h >= height && w < 2 * width + 400 && h < 2 * height + 400)) {
          await new Promise((r) => setTimeout(r, 200));
          continue;
        }
        await driver.manage().window().setRect({ x: 0, y: 0, width: w, height: h });
      }
      const inner = await evaluate(() => [innerWidth, innerHeight]);
      if (inner[0] !== width || inner[1] !== height) throw new Error(`WebKitGTK viewport is ${inner.join('x')}, wanted ${width}x${height}`);
    },
    async click(selector) {
      // The page may re-render the element between finding and clicking it, or not have
      // rendered it yet (a view just shown, a list still loading): find it again, a few times.
      const passing = ['NoSuchElementError', 'StaleElementReferenceError', 'ElementNotInteractableError', 'ElementClickInterceptedError'];
      for (let attempt = 1; ; attempt++) {
        try {
          await driver.findElement({ css: selector }).click();
          return;
        } catch (err) {
          if (!passing.includes(err?.name) || attempt === 10) throw err;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
    async press(...keys) {
      const actions = driver.actions({ async: true });
      const codes = keys.map((k) => KEYS[k] ?? k);
      for (const c of codes) actions.keyDown(c);
      for (const c of [...codes].reverse()) actions.keyUp(c);
      await actions.perform();
    },
    async type(text) {
      await driver.actions({ async: true }).sendKeys(text).perform();
    },
    async hover(selector, fx = 0.5, fy = 0.5) {
      // The pointer at (fx, fy) of the first rendered element matching selector, scrolled into
      // view, in viewport coordinates (WebDriver's element origin refuses table rows).
      const box = await evaluate((sel) => {
        const el = [...document.querySelectorAll(sel)].find((e) => e.getClientRects().length > 0);
        if (!el) return null;
        el.scrollIntoView({ block: 'nearest' });
        const r = el.getBoundingClientRect();
        return [r.x, r.y, r.width, r.height];
      }, selector);
      if (!box) throw new Error(`in WebKitGTK: nothing rendered matches ${selector}`);
      const [x, y, w, h] = box;
      await driver.actions({ async: true }).move({ origin: 'viewport', x: Math.round(x + fx * w), y: Math.round(y + fy * h) }).perform();
    },
    async drag(selector, dx, dy) {
      const el = await driver.findElement({ css: selector });
      await driver.actions({ async: true }).move({ origin: el }).press().move({ origin: 'pointer', x: Math.round(dx / 2), y: Math.round(dy / 2) }).move({ origin: 'pointer', x: dx - Math.round(dx / 2), y: dy - Math.round(dy / 2) }).release().perform();
    },
    async screenshot(path) {
      // WebKitWebDriver's own screenshot command hangs under Xvfb (no GL): grab the X screen
      // with ImageMagick and crop to the page (below MiniBrowser's toolbar).
      const [w, h] = await evaluate(() => [innerWidth, innerHeight]);
      const outer = await driver.manage().window().getRect();
      const top = outer.y + outer.height - h;
      execFileSync('import', ['-display', display, '-window', 'root', '-crop', `${w}x${h}+${outer.x}+${top}`, '+repage', path]);
    },
    close,
  };
}
