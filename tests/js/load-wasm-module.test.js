// loadEngine({wasmModule}): the engine from an already compiled WebAssembly.Module (what
// Cloudflare Workers hand a worker that imports a .wasm file), and a clear failure when the
// module is not signalkit's.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('an engine from a compiled module validates like any other', async () => {
  const { loadEngine } = await import('../../js/load.js');
  const wasmModule = await WebAssembly.compile(readFileSync(path.join(root, 'dist/signalkit.wasm')));
  const engine = await loadEngine({ wasmModule });
  const r = engine.validate('puffle.signalType.create', { name: '', keywords: ['x'], search_instructions: 's', scoring_criteria: 'c', sources: ['news'] });
  expect(r.issues.map((i) => `${i.field}:${i.code}`)).toEqual(['name:too_short']);
});

test('a module that is not the engine rejects (and the next call may retry), it does not hang', async () => {
  const { loadEngine } = await import('../../js/load.js?fresh'); // its own cache
  // The smallest valid module, importing what no engine import provides.
  const wrong = await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 9, 1, 1, 120, 3, 110, 111, 112, 0, 0]));
  await expect(loadEngine({ wasmModule: wrong })).rejects.toThrow(/WebAssembly.instantiate\(\): Import #0 module="x"/);
  const wasmModule = await WebAssembly.compile(readFileSync(path.join(root, 'dist/signalkit.wasm')));
  expect((await loadEngine({ wasmModule })).validate('puffle.signalType.get', undefined, { params: { id: 'x' } }).valid).toBe(false);
});
