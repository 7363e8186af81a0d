// Builds the WebAssembly codec (cmd/wirewasm, the same Go code as backend/wire) into
// public/wire.wasm and copies the matching wasm_exec.js from the Go toolchain beside it.
// Runs before `vite dev` and `vite build` so the browser never decodes with stale Go code.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const frontendDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(frontendDir, '..');
const publicDir = join(frontendDir, 'public');

function fail(message) {
  console.error(`build-wasm: ${message}`);
  process.exit(1);
}

if (!existsSync(join(repoRoot, 'cmd', 'wirewasm'))) {
  fail('cmd/wirewasm is missing: the WebAssembly codec cannot be built');
}
mkdirSync(publicDir, { recursive: true });

let goroot;
try {
  goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
} catch (err) {
  fail(`cannot run "go env GOROOT" (is Go >= 1.26 on PATH?): ${err.message}`);
}

// Go >= 1.24 ships wasm_exec.js under lib/wasm; older toolchains had it under misc/wasm.
const candidates = [join(goroot, 'lib', 'wasm', 'wasm_exec.js'), join(goroot, 'misc', 'wasm', 'wasm_exec.js')];
const wasmExec = candidates.find((path) => existsSync(path));
if (!wasmExec) fail(`wasm_exec.js not found in ${candidates.join(' or ')}`);
copyFileSync(wasmExec, join(publicDir, 'wasm_exec.js'));

try {
  execFileSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', join(publicDir, 'wire.wasm'), './cmd/wirewasm'], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, GOOS: 'js', GOARCH: 'wasm', CGO_ENABLED: '0' },
  });
} catch {
  fail('GOOS=js GOARCH=wasm go build ./cmd/wirewasm failed (see the compiler output above)');
}
console.log('build-wasm: public/wire.wasm and public/wasm_exec.js are up to date');
