import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// `make web` (npm run build:web): the Lab and Decode tabs as a static page in dist/web/ at the
// top of the repository: index.html, JS, CSS, wire.wasm and wasm_exec.js, no server code.
// Relative URLs (base './') so any static server, at any path, can serve it.
export default defineConfig({
  root: resolve(import.meta.dirname, 'web'),
  base: './',
  publicDir: resolve(import.meta.dirname, 'public'),
  plugins: [svelte()],
  build: {
    target: 'es2022',
    outDir: resolve(import.meta.dirname, '..', 'dist', 'web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
  },
});
