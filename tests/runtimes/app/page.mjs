// A web page's entry (Vite, webpack, esbuild): the flows, written to window.__result.
// `?wasm=/path` passes loadEngine({ locateFile }) for bundlers that do not emit the .wasm.
import { flows } from './flows.mjs';

const params = new URLSearchParams(location.search);
const wasm = params.get('wasm');
flows({
  emulatorUrl: params.get('emulator') ?? undefined,
  puffleKey: params.get('key') ?? undefined,
  engineOptions: wasm ? { locateFile: () => wasm } : undefined,
}).then((result) => { window.__result = result; }, (err) => { window.__result = { error: `${err.name}: ${err.message}` }; });
