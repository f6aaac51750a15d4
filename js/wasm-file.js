// The engine's .wasm in Node, Bun and Deno (package.json "imports", #signalkit-wasm; js/load.js
// explains the choice): read from disk, from dist/ beside this module's folder (also from the
// CommonJS bundle in dist/, whose import.meta.url is its own file).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const WASM_FILE = 'signalkit.wasm';

/** The default .wasm: `{bytes, source}`; throws an Error naming the file it tried. */
export const defaultWasm = () => wasmFrom(new URL('../dist/signalkit.wasm', import.meta.url));

/** Reads a .wasm from a path or file: URL (or fetches an http(s) URL): `{bytes, source}`. */
export async function wasmFrom(where) {
  const text = String(where);
  // Imported only for URLs: the default path loads one module (docs/performance.md, "Start-up").
  if (/^https?:/i.test(text)) return (await import('./wasm-fetch.js')).wasmFrom(text);
  const file = text.startsWith('file:') ? fileURLToPath(text) : text;
  try {
    return { bytes: await readFile(file), source: file };
  } catch (err) {
    throw new Error(`reading ${file} failed (${err.code ?? err.message})`);
  }
}
