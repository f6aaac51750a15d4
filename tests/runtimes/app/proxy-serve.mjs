// signalkit/proxy served by Deno (Deno.serve) or Bun (Bun.serve) as docs/widgets.md shows,
// on a free port it prints; the key and the upstream come from the command line.
import { createProxy } from 'signalkit/proxy';

const [puffleBaseUrl, puffleKey] = globalThis.Deno?.args ?? globalThis.process.argv.slice(2);
const proxy = createProxy({
  puffleKey, puffleBaseUrl, allow: ['puffle.signalType.*'], cors: ['https://www.example.com'], basePath: '/signalkit',
});
if (globalThis.Deno) {
  Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`listening ${port}`) }, proxy);
} else {
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: proxy });
  console.log(`listening ${server.port}`);
}
