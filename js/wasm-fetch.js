// The engine's .wasm in browsers, web workers and bundled apps (package.json "imports",
// #signalkit-wasm; js/load.js explains the choice): fetched from next to this module. The
// literal `new URL('../dist/signalkit.wasm', import.meta.url)` is what Vite and webpack 5
// recognise and emit as an asset. Imports no Node built-in.
export const WASM_FILE = 'signalkit.wasm';
// From node_modules/.vite/deps/ to the package's own file; a variable, so that bundlers do
// not try to emit it as an asset of their own.
const IN_PACKAGE_FOLDER = '../../signalkit/dist/signalkit.wasm';

/** The default .wasm, as wasmFrom() answers; throws an Error naming the URL it tried. */
export async function defaultWasm() {
  const url = new URL('../dist/signalkit.wasm', import.meta.url);
  const found = await wasmFrom(url);
  // Vite's dev server pre-bundles dependencies into node_modules/.vite/deps/, where the URL
  // above leads to its HTML fallback page: the file is still in the package's own folder.
  if (found.bytes && !isWasm(found.bytes) && import.meta.url.includes('/node_modules/.vite/')) {
    return wasmFrom(new URL(IN_PACKAGE_FOLDER, import.meta.url));
  }
  return found;
}

/** Fetches a .wasm from a URL: `{module, source}` when served as application/wasm, else `{bytes, source}`. */
export async function wasmFrom(where) {
  const url = String(where);
  let res;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new Error(`fetching ${url} failed (${err.message})`);
  }
  if (!res.ok) throw new Error(`fetching ${url} failed: the server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  // Served as application/wasm: compiled while it downloads. Anything else is checked first.
  if (typeof WebAssembly.compileStreaming === 'function' && res.headers.get('content-type')?.split(';')[0].trim() === 'application/wasm') {
    try {
      return { module: await WebAssembly.compileStreaming(res), source: url };
    } catch (err) {
      throw new Error(`compiling ${url} failed (${err.message})`);
    }
  }
  return { bytes: new Uint8Array(await res.arrayBuffer()), source: url };
}

/** True when `b` (a Uint8Array) starts with WebAssembly's magic number. */
export const isWasm = (b) => b.length >= 4 && b[0] === 0x00 && b[1] === 0x61 && b[2] === 0x73 && b[3] === 0x6d;
