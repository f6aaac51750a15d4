// loadEngine's options and its failures: each failure names the file or URL it tried and
// says how to point the loader elsewhere (locateFile, wasmBinary, wasmModule); a failed
// load is not cached. The last test loads the engine from a compiled module.
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

test('a compiled module (what Cloudflare Workers give) loads the engine; later calls share it', async () => {
  const wasmModule = await WebAssembly.compile(readFileSync(WASM));
  const engine = await loadEngine({ wasmModule });
  expect(engine.validate('puffle.signalType.get', undefined, { params: { id: 'x' } }).issues[0]).toMatchObject({ field: 'id', code: 'pattern' });
  expect(await loadEngine()).toBe(engine);
});
