// loadEngine's options and its failures: each failure names the file or URL it tried and
// says how to point the loader elsewhere (locateFile, wasmBinary, wasmModule); a failed
// load is not cached (so the tests that fail come first). The last test loads the engine
// from a compiled module.
import { readFileSync } from 'node:fs';
import { loadEngine } from '../../js/load.js';

const WASM = new URL('../../dist/signalkit.wasm', import.meta.url);
const HOW_TO = 'Point loadEngine at the file with { locateFile: (name) => <its URL or path> }, or pass its bytes as { wasmBinary } '
  + 'or a compiled WebAssembly.Module as { wasmModule } (the file is signalkit/dist/signalkit.wasm in the package).';

test('unknown and malformed options are TypeErrors', async () => {
  expect(() => loadEngine({ wasmModul: 1 })).toThrow(new TypeError(
    'loadEngine: unknown option "wasmModul"; did you mean "wasmModule"? Options: wasmModule, wasmBinary, locateFile.'));
  await expect(loadEngine({ wasmModule: new Uint8Array(8) })).rejects.toThrow(new TypeError('loadEngine: wasmModule must be a WebAssembly.Module'));
  await expect(loadEngine({ wasmBinary: 'bytes' })).rejects.toThrow(new TypeError('loadEngine: the wasmBinary option must be an ArrayBuffer or a Uint8Array'));
  await expect(loadEngine({ locateFile: '/x.wasm' })).rejects.toThrow(new TypeError('loadEngine: locateFile must be a function'));
});

test('a missing file, an HTML page and a URL that does not answer are named, with what to do', async () => {
  const missing = await loadEngine({ locateFile: (name) => `/nowhere/${name}` }).catch((e) => e);
  expect(missing.message).toBe(`signalkit could not load its engine: reading /nowhere/signalkit.wasm failed (ENOENT) (the URL or path locateFile gave). ${HOW_TO}`);
  expect(missing).toMatchObject({ name: 'SignalkitError', code: 'engine_load_failed' });

  const html = new TextEncoder().encode('<!doctype html><html><body>Vite</body></html>');
  const notWasm = await loadEngine({ wasmBinary: html }).catch((e) => e);
  expect(notWasm.message).toBe('signalkit could not load its engine: the wasmBinary option is not WebAssembly (it starts with '
    + `"<!doctype html><html><body>Vite</body></html>"; a web server's HTML page or 404 answer?). ${HOW_TO}`);

  const closed = await loadEngine({ locateFile: () => 'http://127.0.0.1:9/signalkit.wasm' }).catch((e) => e);
  expect(closed.message).toMatch(/^signalkit could not load its engine: fetching http:\/\/127\.0\.0\.1:9\/signalkit\.wasm failed \(fetch failed\)/);

  const truncated = await loadEngine({ wasmBinary: readFileSync(WASM).subarray(0, 1000) }).catch((e) => e);
  expect(truncated.message).toMatch(/^signalkit could not load its engine: the wasmBinary option could not be compiled: /);
});

test('a compiled module that is not the engine is refused, named, and never hangs', async () => {
  // The smallest valid module, importing what no engine import provides.
  const wrong = await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 9, 1, 1, 120, 3, 110, 111, 112, 0, 0]));
  const err = await loadEngine({ wasmModule: wrong }).catch((e) => e);
  expect(err).toMatchObject({ name: 'SignalkitError', code: 'engine_load_failed' });
  expect(err.message).toMatch(/^signalkit could not load its engine: the engine module could not be instantiated: WebAssembly.instantiate\(\): Import #0 module="x"/);
});

test('a compiled module (what Cloudflare Workers give) loads the engine; later calls share it', async () => {
  const wasmModule = await WebAssembly.compile(readFileSync(WASM));
  const engine = await loadEngine({ wasmModule });
  expect(engine.validate('puffle.signalType.get', undefined, { params: { id: 'x' } }).issues[0]).toMatchObject({ field: 'id', code: 'pattern' });
  expect(await loadEngine()).toBe(engine);
});
