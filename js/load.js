// Engine loading: one cached instance per process. The entry (js/index.js), the clients,
// the emulator, the widgets and the CLI import loadEngine from here, so that nothing has to
// import the package entry (which imports the clients) to reach the engine.
//
// The .wasm is a separate file found next to the glue (new URL(..., import.meta.url));
// pass `wasmBinary` (bytes) or `locateFile` to load it from elsewhere, or `wasmModule` (a
// compiled WebAssembly.Module) where compiling from bytes is not allowed (Cloudflare Workers). The <script> bundle
// (scripts/build-browser.mjs) replaces this module with one that loads the single-file build.
import createSignalkit from '../dist/signalkit.esm.mjs';
import { createEngine } from './engine.js';

const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;
let cached = null;

/**
 * Instantiates the engine once and caches it; later calls return the same promise.
 * @param {{wasmBinary?: ArrayBuffer|Uint8Array, wasmModule?: WebAssembly.Module, locateFile?: (name: string) => string}} [options]
 *   Only the first call's options take effect.
 * @returns {Promise<Engine>}
 */
export function loadEngine(options = {}) {
  if (!cached) {
    cached = instantiate(options).catch((err) => {
      cached = null; // a failed load (e.g. a bad URL) may be retried
      throw err;
    });
  }
  return cached;
}

async function instantiate(options) {
  const moduleOptions = {};
  // A failed instantiateWasm would leave the glue's promise pending for ever: race it.
  let failed = null;
  if (options.wasmModule) {
    const { wasmModule } = options;
    let fail;
    failed = new Promise((_, reject) => { fail = reject; });
    moduleOptions.instantiateWasm = (imports, receive) => {
      WebAssembly.instantiate(wasmModule, imports).then((instance) => receive(instance, wasmModule)).catch(fail);
      return {}; // the exports arrive through receive()
    };
    // The glue would resolve the .wasm's URL against import.meta.url, which workerd leaves undefined.
    moduleOptions.locateFile = (name) => name;
  } else if (options.wasmBinary) {
    moduleOptions.wasmBinary = options.wasmBinary;
  } else if (isNode) {
    // Node: read the bytes ourselves; emscripten 3.1.6's glue would fetch() a file path.
    // The comments keep browser bundlers from trying to resolve a Node built-in.
    const { readFile } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs/promises');
    moduleOptions.wasmBinary = await readFile(new URL('../dist/signalkit.wasm', import.meta.url));
  } else {
    const wasmUrl = new URL('../dist/signalkit.wasm', import.meta.url).href;
    moduleOptions.locateFile = options.locateFile ?? ((name) => (name.endsWith('.wasm') ? wasmUrl : name));
  }
  const module = await (failed ? Promise.race([createSignalkit(moduleOptions), failed]) : createSignalkit(moduleOptions));
  return createEngine(module);
}
