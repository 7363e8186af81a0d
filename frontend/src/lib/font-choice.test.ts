import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The font choice is an inline script in index.html (it must run before the styles apply);
// this runs that very script with each engine's user agent.
const html = readFileSync(resolve(import.meta.dirname, '../../index.html'), 'utf8');
const script = /<script id="font-choice">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';

function fontsFor(userAgent: string): string | undefined {
  const documentElement = { dataset: {} as Record<string, string> };
  new Function('navigator', 'document', script)({ userAgent }, { documentElement });
  return documentElement.dataset.fonts;
}

describe('index.html font choice', () => {
  it('is there', () => {
    expect(script).toContain('dataset.fonts');
  });

  it('gives WebKitGTK and Chromium on Linux the fontconfig families', () => {
    expect(fontsFor('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15')).toBe('fontconfig');
    expect(fontsFor('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36')).toBe('fontconfig');
  });

  it('leaves Windows (WebView2), macOS (WKWebView) and Android with the system-ui stack', () => {
    expect(fontsFor('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0')).toBeUndefined();
    expect(fontsFor('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)')).toBeUndefined();
    expect(fontsFor('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36')).toBeUndefined();
  });
});
