// Runs e2e/inspector*.spec.ts (TypeScript end-to-end specs of the packet inspector) with Vitest
// in Node; the app's vite.config.ts only collects the unit tests under src/.
//   cd frontend && npx vitest run -c e2e/inspector.vitest.config.ts
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Keep Vite's cache with the frontend's own, not in a node_modules under e2e/.
  cacheDir: '../node_modules/.vite',
  test: {
    root: import.meta.dirname,
    include: ['inspector*.spec.ts'],
    environment: 'node',
    // One browser, one dev server: the specs share them, so no parallel files.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
