// signalkit/proxy as a TypeScript server uses it (types/proxy.d.ts), checked by tsc.
import http from 'node:http';
import { createProxy, OPERATIONS, toNodeHandler, type ProxyOperation } from 'signalkit/proxy';
import { redisStore } from 'signalkit/redis';

const proxy = createProxy({
  puffleKey: `pk_live_${'0'.repeat(64)}`,
  allow: ['puffle.signalType.*', 'puffle.context.get'],
  cors: { origins: ['https://www.example.com'], credentials: true },
  basePath: '/signalkit',
  puffleRateLimit: { store: redisStore({ url: 'redis://127.0.0.1:6379' }) },
  authorize: (request, { operation }) => request.headers.has('cookie') || operation === 'puffle.signalType.list',
});
const first: ProxyOperation | undefined = proxy.allowed[0];
void first;
const answer: Promise<Response> = proxy(new Request('https://example.com/signalkit/puffle/api/v1/signals/types'));
void answer;
http.createServer(toNodeHandler(proxy)).listen(8787);
const workers = { fetch: proxy };
void workers;
void OPERATIONS.map((op) => `${op.method} ${op.path}`);

// @ts-expect-error an operation the proxy does not have
createProxy({ puffleKey: 'pk', allow: ['puffle.partners.portal'] });
// @ts-expect-error cors takes origins, not a boolean true
createProxy({ puffleKey: 'pk', cors: true });

// A page's client through the proxy: no key.
import { SaberClient } from 'signalkit';
createProxy({ saberKey: 'sk_live_x', allow: ['saber.companySignal.*', 'saber.template.list'] });
const viaProxy = new SaberClient({ proxy: '/signalkit' });
void viaProxy.scoreCompany('acme.com');
// @ts-expect-error a proxy holds the key: not both
new SaberClient({ proxy: '/signalkit', apiKey: 'sk_live_x' });
