// Engine loading: one instance per process, page or worker. The entry (js/index.js), the
// clients, the emulator, the widgets and the CLI import loadEngine from here, so that nothing
// has to import the package entry (which imports the clients) to reach the engine.
//
// Where the .wasm comes from depends on the runtime, and is decided by package.json
// "imports" (#signalkit-wasm), never by looking at globals at run time:
//   node, bun, deno  js/wasm-file.js     reads dist/signalkit.wasm from disk
//   workerd          js/wasm-workerd.js  imports it as a module (Workers refuse to compile bytes)
//   everything else  js/wasm-fetch.js    fetches it (browsers, workers, bundlers)
// so no Node built-in is ever imported on the other paths. A page that loads these files
// as plain ES modules (no bundler, no import map) cannot resolve #signalkit-wasm at all: it
// gets js/wasm-fetch.js directly. `wasmModule`, `wasmBinary` and `locateFile` override the
// default. The <script> bundle (scripts/build-browser.mjs) replaces this module with one
// that loads the single-file build.
import createSignalkit from '../dist/signalkit.esm.mjs';
import { createEngine } from './engine.js';
import { instantiateGlue } from './instantiate.js';
import { SignalkitError } from './errors.js';
import { checkOptions } from './util/options.js';
import * as fetched from './wasm-fetch.js';

// Every copy of signalkit in the process (its ES module and CommonJS entries) shares the
// engine of the first one loaded: one heap, one compiled module.
const SHARED = Symbol.for('signalkit.engine');

/**
 * Instantiates the engine once and caches it; later calls return the same promise.
 * @param {{wasmModule?: WebAssembly.Module, wasmBinary?: ArrayBuffer|Uint8Array,
 *   locateFile?: (name: string) => string|URL}} [options]  Only the first call's options take effect.
 * @returns {Promise<Engine>}
 */
export function loadEngine(options) {
  const o = checkOptions('loadEngine', options, ['wasmModule', 'wasmBinary', 'locateFile']);
  if (!globalThis[SHARED]) {
    const loading = instantiate(o).catch((err) => {
      if (globalThis[SHARED] === loading) delete globalThis[SHARED]; // a failed load may be retried
      throw err;
    });
    Object.defineProperty(globalThis, SHARED, { value: loading, configurable: true, writable: true });
  }
  return globalThis[SHARED];
}

async function instantiate(options) {
  const module = await compile(options);
  let glue;
  try {
    glue = await instantiateGlue(createSignalkit, module);
  } catch (err) {
    throw loadError(`the engine module could not be instantiated: ${err.message}`, err);
  }
  return createEngine(glue);
}

const HOW_TO = 'Point loadEngine at the file with { locateFile: (name) => <its URL or path> }, or pass its bytes as '
  + '{ wasmBinary } or a compiled WebAssembly.Module as { wasmModule } (the file is signalkit/dist/signalkit.wasm in the package).';

/** The compiled engine module, from the options or the runtime's default. */
async function compile({ wasmModule, wasmBinary, locateFile }) {
  if (wasmModule !== undefined) {
    if (!(wasmModule instanceof WebAssembly.Module)) throw new TypeError('loadEngine: wasmModule must be a WebAssembly.Module');
    return wasmModule;
  }
  if (wasmBinary !== undefined) return compileBytes(wasmBinary, 'the wasmBinary option');
  if (locateFile !== undefined && typeof locateFile !== 'function') throw new TypeError('loadEngine: locateFile must be a function');
  const { defaultWasm, wasmFrom, WASM_FILE } = await wasmSource();
  let found;
  try {
    found = locateFile ? await wasmFrom(locateFile(WASM_FILE)) : await defaultWasm();
  } catch (err) {
    throw loadError(`${err.message}${locateFile ? ' (the URL or path locateFile gave)' : ''}`, err);
  }
  return found.module ?? compileBytes(found.bytes, found.source);
}

// The runtime's loader (see the top of this file); plain ES modules in a page get the fetch one.
async function wasmSource() {
  try {
    return await import('#signalkit-wasm');
  } catch (err) {
    if (err instanceof TypeError && /specifier|resolve/i.test(err.message)) return fetched;
    throw err;
  }
}

async function compileBytes(bytes, source) {
  const view = bytes instanceof Uint8Array ? bytes : ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    : bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : null;
  if (!view) throw new TypeError(`loadEngine: ${source} must be an ArrayBuffer or a Uint8Array`);
  if (!fetched.isWasm(view)) {
    const text = new TextDecoder().decode(view.subarray(0, 60)).replace(/\s+/g, ' ');
    throw loadError(`${source} is not WebAssembly (it starts with ${JSON.stringify(text)}; a web server's HTML page or 404 answer?)`);
  }
  try {
    return await WebAssembly.compile(view);
  } catch (err) {
    throw loadError(`${source} could not be compiled: ${err.message}`, err);
  }
}

function loadError(what, cause) {
  const err = new SignalkitError(`signalkit could not load its engine: ${what}. ${HOW_TO}`, cause ? { cause } : undefined);
  err.code = 'engine_load_failed';
  return err;
}
