// The Path view driven through an engine of e2e/engines (WebKitGTK's or Chromium's): run a
// trace from the form, open a hop's latest answer in the inspector, reopen the newest trace
// from History. Shared by the path e2e's WebKitGTK layout runs and the docs screenshots.

import { waitInPage } from './engines/common.mjs';

/** Shows the Path view, fills the form, starts the trace and waits until it reached hop `hops`. */
export async function traceIn(engine, { target, rounds, interval, hops }) {
  await engine.click('[role="tab"][aria-controls="view-path"]');
  await waitInPage(engine, () => !!document.querySelector('[data-testid="path-target"]'), undefined, 'the Path view');
  await engine.evaluate(
    (values) => {
      for (const [id, value] of Object.entries(values)) {
        const input = document.querySelector(`[data-testid="${id}"]`);
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
    },
    { 'path-target': target, 'path-rounds': String(rounds), 'path-interval': String(interval) },
  );
  await engine.click('[data-testid="path-start"]');
  await waitInPage(
    engine,
    ([t, n]) => (document.querySelector('[data-testid="path-state"]')?.textContent ?? '').includes(`reached ${t} at hop ${n}`),
    [target, hops],
    `the trace to ${target} done`,
  );
}

/** Selects hop ttl and waits for the inspector on its latest answer. */
export async function openHop(engine, ttl) {
  await engine.click(`[data-testid="path-hop"]:nth-child(${ttl}) button.hop`);
  await waitInPage(engine, () => !!document.querySelector('#view-path [data-testid="packet-inspector"] table'), undefined, `the inspector on hop ${ttl}`);
}

/** Shows History, opens its newest trace (the first "Open the trace" button: newest first) and
 *  waits for the Path view to show it as recorded with `hops` hops. */
export async function reopenNewestTrace(engine, hops) {
  await engine.click('[role="tab"][aria-controls="view-history"]');
  await waitInPage(engine, () => !!document.querySelector('button[aria-label^="Open the trace to"]'), undefined, 'a trace in History');
  await engine.click('button[aria-label^="Open the trace to"]');
  await waitInPage(
    engine,
    (n) => !!document.querySelector('#view-path:not([hidden]) [data-testid="path-recorded"]') && document.querySelectorAll('#view-path [data-testid="path-hop"]').length === n,
    hops,
    'the reopened trace in the Path view',
  );
}
