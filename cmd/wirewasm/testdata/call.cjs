// Loads wire.wasm the way the frontend does (wasm_exec.js + WebAssembly.instantiate), then
// makes the calls read as JSON from stdin, [{"fn": "decode", "args": [...]}, ...], and
// prints {"version": ..., "results": [...]} as JSON. Assertions live in wasm_node_test.go.
// usage: node call.cjs GOROOT/lib/wasm/wasm_exec.js wire.wasm < calls.json
'use strict';
const fs = require('fs');
require(process.argv[2]); // defines globalThis.Go
const calls = JSON.parse(fs.readFileSync(0, 'utf8'));
const go = new Go();
WebAssembly.instantiate(fs.readFileSync(process.argv[3]), go.importObject).then(({ instance }) => {
  go.run(instance); // main registers echoscopeWire, then blocks in select{} and yields to us
  const api = globalThis.echoscopeWire;
  if (!api) {
    console.error('globalThis.echoscopeWire was not registered');
    process.exit(1);
  }
  const results = calls.map((c) => {
    try {
      return { value: api[c.fn](...c.args) };
    } catch (e) {
      return { thrown: String(e) };
    }
  });
  process.stdout.write(JSON.stringify({ version: api.version, results }));
  process.exit(0);
}).catch((e) => {
  console.error(e);
  process.exit(1);
});
