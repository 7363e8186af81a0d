import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// main.go embeds frontend/dist; a committed placeholder keeps `go build ./...` working on a
// fresh clone before the frontend is built. Vite empties dist on every build, so put it back.
function keepDistPlaceholder(): Plugin {
  return {
    name: 'echoscope-keep-dist-placeholder',
    apply: 'build',
    closeBundle() {
      writeFileSync(resolve(import.meta.dirname, 'dist', '.gitkeep'), '');
    },
  };
}

// The npm packages whose code ends up in the bundle (svelte's runtime is a devDependency but is
// bundled; the compiler is not), read from Rollup's module graph for the packages' copyright
// file (scripts/licenses.sh). Written into dist, so the app carries the list too.
function listBundledPackages(): Plugin {
  return {
    name: 'echoscope-list-bundled-packages',
    apply: 'build',
    generateBundle() {
      const names = new Set<string>();
      for (const id of this.getModuleIds()) {
        const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id.replaceAll('\\', '/'));
        if (m?.[1]) names.add(m[1]);
      }
      this.emitFile({
        type: 'asset',
        fileName: 'bundled-packages.json',
        source: JSON.stringify([...names].sort(), null, 1) + '\n',
      });
    },
  };
}

export default defineConfig({
  plugins: [svelte(), keepDistPlaceholder(), listBundledPackages()],
  build: {
    target: 'es2022',
    // wire.wasm is several MB of Go; it is loaded on purpose, not by accident.
    chunkSizeWarningLimit: 1024,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
