// One worker of a test fleet (tests/js/redis/fleet.test.js forks several): a client on the
// shared key, its rate limit counted in Redis (or in this process, for the control runs).
// The parent sends {go: true} when every worker is ready; the worker reports over IPC:
//   {type: 'ready'}                      the engine is loaded, the client made
//   {type: 'request', at, n}             before each attempt is sent (onRequest)
//   {type: 'response', at, status}       after each response (onResponse)
//   {type: 'retry', at, status, delayMs} before each retry (onRetry)
//   {type: 'done', results, warnings, stats}  every call settled
// Config (argv[2], JSON): {provider, baseUrl, apiKey, calls: [['list'|'create', n], ...],
//   rateLimit, redis: {url, prefix, options} | null, timeout?, maxRetries?}
import { loadEngine, PuffleClient, SaberClient } from '../../../js/index.js';
import { redisStore } from '../../../js/redis/index.js';

const config = JSON.parse(process.argv[2]);
const send = (message) => process.send?.(message);
const warnings = [];
const store = config.redis
  ? redisStore({ url: config.redis.url }, { prefix: config.redis.prefix, ...config.redis.options, logger: (level, message) => warnings.push({ level, message }) })
  : undefined;

let n = 0;
const Client = config.provider === 'saber' ? SaberClient : PuffleClient;
const client = new Client({
  apiKey: config.apiKey,
  baseUrl: config.baseUrl,
  rateLimit: { ...config.rateLimit, ...(store ? { store } : { shared: false }) },
  timeout: config.timeout ?? 10_000,
  maxRetries: config.maxRetries ?? 2,
  retryBaseDelayMs: 5,
  retryMaxDelayMs: 20,
  hooks: {
    onRequest: () => { n += 1; send({ type: 'request', at: Date.now(), n }); },
    onResponse: (s) => send({ type: 'response', at: Date.now(), status: s.status }),
    onRetry: (s) => send({ type: 'retry', at: Date.now(), status: s.error.status, delayMs: s.delayMs }),
  },
});

const template = (i) => ({
  name: `Fleet ${process.pid} ${i}`, question: 'How many employees does the company have?', answerType: 'number',
  qualificationCriteria: { ranges: [{ rangeStart: 50, rangeEnd: null, answerQualification: 'good' }] },
});

function call(kind, i) {
  if (config.provider === 'puffle') return client.signalTypes.list();
  if (kind === 'create') return client.templates.create(template(i));
  return client.templates.list({ limit: 1 }).firstPage();
}

process.on('message', async (message) => {
  if (!message.go) return;
  const calls = [];
  for (const [kind, count] of config.calls) for (let i = 0; i < count; i++) calls.push(call(kind, i));
  const settled = await Promise.allSettled(calls);
  const results = settled.map((r) => (r.status === 'fulfilled' ? { ok: true }
    : { ok: false, name: r.reason.name, code: r.reason.code, status: r.reason.status, message: r.reason.message }));
  send({ type: 'done', results, warnings, stats: store?.stats() });
  await store?.close();
  process.disconnect?.();
});
await loadEngine(); // before 'ready', so that the workers start together
send({ type: 'ready' });
