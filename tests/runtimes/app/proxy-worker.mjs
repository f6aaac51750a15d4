// signalkit/proxy as a Cloudflare Worker, written as docs/widgets.md shows it (the .wasm
// imported as a module and passed as wasmModule; the key a secret read from env), with the
// upstream pointed at the emulator.
import wasm from 'signalkit/signalkit.wasm';
import { loadEngine } from 'signalkit';
import { createProxy } from 'signalkit/proxy';

let proxy;
export default {
  fetch(request, env) {
    proxy ??= createProxy({
      puffleKey: env.PUFFLE_API_KEY,
      puffleBaseUrl: env.PUFFLE_BASE_URL,
      allow: ['puffle.signalType.*'],
      cors: ['https://www.example.com'],
      basePath: '/signalkit',
      engine: loadEngine({ wasmModule: wasm }),
    });
    return proxy(request);
  },
};
