// signalkit/proxy and a signalkit/webhooks receiver served by Deno (Deno.serve) or Bun
// (Bun.serve) as docs/widgets.md and docs/webhooks.md show, on a free port it prints:
//   /signalkit/…  the proxy (upstream and key from the command line)
//   /webhooks     the receiver's handler.fetch (secret from the command line)
//   /events       the ids onEvent has run for, so the checks can count them
import { createProxy } from 'signalkit/proxy';
import { createWebhookHandler } from 'signalkit/webhooks';

const [puffleBaseUrl, puffleKey, secret] = globalThis.Deno?.args ?? globalThis.process.argv.slice(2);
const proxy = createProxy({
  puffleKey, puffleBaseUrl, allow: ['puffle.signalType.*'], cors: ['https://www.example.com'], basePath: '/signalkit',
});
const events = [];
const webhooks = createWebhookHandler({ secret, onEvent: (event) => { events.push(event.id); } });

function app(request) {
  const { pathname } = new URL(request.url);
  if (pathname === '/webhooks') return webhooks.fetch(request);
  if (pathname === '/events') return Response.json(events);
  return proxy(request);
}

if (globalThis.Deno) {
  Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`listening ${port}`) }, app);
} else {
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: app });
  console.log(`listening ${server.port}`);
}
