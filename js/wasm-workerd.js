// The engine's .wasm in Cloudflare Workers (package.json "imports", #signalkit-wasm; js/load.js
// explains the choice). workerd refuses to compile WebAssembly from bytes, and its bundlers
// (wrangler, Miniflare) turn an imported .wasm into a compiled WebAssembly.Module.
import wasmModule from '../dist/signalkit.wasm';

export { WASM_FILE, wasmFrom } from './wasm-fetch.js';

/** The default: the module imported above. */
export const defaultWasm = async () => ({ module: wasmModule, source: 'signalkit/dist/signalkit.wasm' });
