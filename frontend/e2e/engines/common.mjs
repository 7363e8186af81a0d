// What both engines' drivers share: a free port and a polling wait with a failure deadline.

import { createServer } from 'node:net';

/** A failure deadline for waits in the page, not a timing assertion. */
export const WAIT_MS = 60_000;

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Polls check() until it returns something truthy; fails after WAIT_MS naming what. */
export async function waitUntil(check, what, deadlineMs = WAIT_MS) {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > deadlineMs) throw new Error(`gave up waiting for ${what} after ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls fn(arg) in the engine's page until it returns something truthy. */
export function waitInPage(engine, fn, arg, what) {
  return waitUntil(() => engine.evaluate(fn, arg), `${what} (${engine.name})`);
}
