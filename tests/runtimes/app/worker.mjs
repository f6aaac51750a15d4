// A Cloudflare Worker (workerd, through Miniflare): the flows, answered as JSON. The package
// picks its workerd loader (the .wasm imported as a compiled module) by export condition.
import { flows } from './flows.mjs';

export default {
  async fetch(request, env) {
    try {
      return Response.json(await flows({ emulatorUrl: env.EMULATOR_URL, puffleKey: env.PUFFLE_KEY }));
    } catch (err) {
      return Response.json({ error: `${err.name}: ${err.message}` }, { status: 500 });
    }
  },
};
