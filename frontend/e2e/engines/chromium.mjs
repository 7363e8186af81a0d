// Chromium as an Engine for the tests that run in both engines: the Playwright page the
// harness opened, behind the same small interface as webkit.mjs.
//
// Engine: { name, dark, evaluate(fn, arg), goto(url), setViewport(w, h), click(css),
//           press(...keys) (held together: press('Control', '1')), type(text),
//           hover(css, fx, fy) (the pointer at that fraction of the element's box),
//           drag(css, dx, dy), screenshot(path), close() }

/** Wraps a Playwright page; dark switches prefers-color-scheme. */
export async function chromiumEngine(page, { dark = false } = {}) {
  await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' });
  return {
    name: 'chromium',
    dark,
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    goto: (url) => page.goto(url),
    setViewport: (width, height) => page.setViewportSize({ width, height }),
    click: (selector) => page.click(selector),
    press: (...keys) => page.keyboard.press(keys.join('+')),
    type: (text) => page.keyboard.type(text),
    async hover(selector, fx = 0.5, fy = 0.5) {
      const box = await page.locator(selector).first().boundingBox();
      await page.mouse.move(box.x + fx * box.width, box.y + fy * box.height);
    },
    async drag(selector, dx, dy) {
      const box = await page.locator(selector).boundingBox();
      const x = box.x + box.width / 2;
      const y = box.y + box.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x + dx / 2, y + dy / 2);
      await page.mouse.move(x + dx, y + dy);
      await page.mouse.up();
    },
    screenshot: (path) => page.screenshot({ path }),
    close: async () => {},
  };
}
