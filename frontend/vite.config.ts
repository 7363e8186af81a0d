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

export default defineConfig({
  plugins: [svelte(), keepDistPlaceholder()],
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
