// Secrets never leak; construction checks (key format, baseUrl, browser opt-in); hooks
// get one state object; error bodies of every shape (and broken ones) give useful errors.
import http from 'node:http';
import util from 'node:util';
import {
  ApiError, NetworkError, PuffleClient, RateLimitError, SaberClient, ServerError, SignalkitError,
} from '../../../js/index.js';
import { failure, newTemplate, newType, puffle, puffleKey, saber, saberKey, start } from './helpers.js';

let emu;
beforeAll(async () => { emu = await start({ faults: true }); });
afterAll(() => emu.close());
afterEach(() => emu.clearFaults());

test('the key never appears in errors, inspect, JSON, toString, hook payloads or log lines', async () => {
  const pKey = puffleKey('secret');
  const sKey = saberKey('secret');
  const out = [];
  const record = (x) => out.push(typeof x === 'string' ? x : util.inspect(x, { depth: 10, showHidden: true }), safeJson(x));
  const hooks = { onRequest: record, onResponse: record, onRetry: record };
  const logger = (level, line) => out.push(`${level} ${line}`);
  const p = new PuffleClient({ apiKey: pKey, baseUrl: `${emu.url}/api/v1`, hooks, logger, retryBaseDelayMs: 1, retryMaxDelayMs: 2 });
  const s = new SaberClient({ apiKey: sKey, baseUrl: `${emu.url}/v1`, hooks, logger, retryBaseDelayMs: 1, retryMaxDelayMs: 2 });
  for (const c of [p, s, p.signalTypes, s.templates]) out.push(util.inspect(c, { depth: 10, showHidden: true }), safeJson(c), String(c));
  // A failing run: validation, 4xx, 5xx with retries, dropped connections, broken bodies.
  await emu.plan({ next: [{ type: 'status', status: 500 }, { type: 'drop_after' }, { type: 'malformed_body' }, { type: 'truncated_body' }, { type: 'status', status: 503 }] });
  const errors = [];
  errors.push(await settle(p.signalTypes.create(newType('x', { keywords: [] }))));
  errors.push(await settle(p.signalTypes.get('00000000-0000-4000-8000-000000000000')));
  errors.push(await settle(p.signalTypes.create(newType('Leaky'))));
  errors.push(await settle(p.signalTypes.create(newType('Leaky 2'))));
  errors.push(await settle(s.templates.create(newTemplate('Leaky'))));
  errors.push(await settle(s.templates.get('00000000-0000-4000-8000-000000000000')));
  errors.push(await settle(p.signalTypes.generate('3c90c3cc-0d44-4b50-8888-8dd25736052a')));
  const wrongProvider = new PuffleClient({ apiKey: pKey, baseUrl: `${emu.url}/v1/api/v1`, hooks, logger });
  errors.push(await settle(wrongProvider.signalTypes.list()));
  expect(errors.filter((e) => e instanceof Error).length).toBeGreaterThanOrEqual(7);
  for (const e of errors) {
    out.push(e.message, e.stack, util.inspect(e, { depth: 10, showHidden: true }), safeJson(e), String(e.rawBody ?? ''), safeJson(e.body));
  }
  for (const bad of [`${pKey}x`, `${pKey.slice(0, -1)}g`]) out.push((await failure(Promise.resolve().then(() => new PuffleClient({ apiKey: bad })))).message);
  out.push((await failure(Promise.resolve().then(() => new SaberClient({ apiKey: `${sKey} trailing` })))).message);
  const text = out.join('\n');
  expect(out.length).toBeGreaterThan(40);
  expect(text).toContain('pk_live_'); // the masked form is there...
  expect(text).not.toContain(pKey.slice(24)); // ...but nothing past the first 24 characters
  expect(text).not.toContain(pKey.slice(8, 40));
  expect(text).not.toContain(sKey.slice(8)); // Saber: nothing at all
  expect(text).not.toContain(sKey.slice(8, 20));
  expect(text).toContain('sk_live_***');
});

const settle = (promise) => promise.then((v) => v, (e) => e);

function safeJson(x) {
  try { return JSON.stringify(x) ?? ''; } catch { return ''; }
}

test('key format is checked at construction', () => {
  expect(() => new PuffleClient({ apiKey: 'pk_live_123' })).toThrow(/apiKey must be a Puffle key: pk_live_ followed by 64 hexadecimal characters \(got a string of 11 characters starting with pk_live_\)/);
  expect(() => new PuffleClient({ apiKey: saberKey('x') })).toThrow(TypeError);
  expect(() => new PuffleClient({})).toThrow('PuffleClient: apiKey is missing; pass your Puffle key (pk_live_ followed by 64 hexadecimal characters), e.g. new PuffleClient({ apiKey: process.env.PUFFLE_API_KEY })');
  expect(() => new SaberClient()).toThrow(/^SaberClient: apiKey is missing; .*process.env.SABER_API_KEY/);
  expect(() => new SaberClient({ apiKey: 'sk_live_' })).toThrow(/apiKey must be a Saber key/);
  expect(() => new SaberClient({ apiKey: 'sk_live_has space' })).toThrow(TypeError);
  expect(() => new SaberClient({ apiKey: puffleKey('x') })).toThrow(TypeError);
  expect(new SaberClient({ apiKey: 'sk_live_x' }).baseUrl).toBe('https://api.saber.app/v1');
  expect(new PuffleClient({ apiKey: puffleKey('x') }).baseUrl).toBe('https://app.puffle.ai/api/v1');
});

test('regression: every Saber key the client accepts works against the emulator (it used to 401 all but 16-128 of [A-Za-z0-9_-])', async () => {
  for (const apiKey of ['sk_live_x', 'sk_live_a.b~c!d"e', `sk_live_${'k'.repeat(200)}`]) {
    const s = new SaberClient({ apiKey, baseUrl: `${emu.url}/v1` });
    await expect(s.templates.list().firstPage()).resolves.toMatchObject({ items: [], total: 0 });
  }
});

test('baseUrl must be https, except on localhost', () => {
  const apiKey = puffleKey('url');
  expect(() => new PuffleClient({ apiKey, baseUrl: 'http://api.example.com/api/v1' })).toThrow(/must use https/);
  expect(() => new PuffleClient({ apiKey, baseUrl: 'ftp://localhost/api/v1' })).toThrow(/must use https/);
  expect(() => new PuffleClient({ apiKey, baseUrl: 'not a url' })).toThrow(/not a valid absolute URL/);
  expect(() => new PuffleClient({ apiKey, baseUrl: 'https://user:pw@example.com/api/v1' })).toThrow(/credentials/);
  for (const ok of ['https://example.com/api/v1/', 'http://localhost:4010/api/v1', 'http://127.0.0.1:1/api/v1', 'http://[::1]:4010/api/v1']) {
    expect(new PuffleClient({ apiKey, baseUrl: ok }).baseUrl).toBe(ok.replace(/\/$/, ''));
  }
});

test('in a browser-like environment the client needs dangerouslyAllowBrowser', () => {
  globalThis.window = {};
  globalThis.document = {};
  try {
    expect(() => new PuffleClient({ apiKey: puffleKey('b') })).toThrow(SignalkitError);
    expect(() => new SaberClient({ apiKey: 'sk_live_abc' })).toThrow(/dangerouslyAllowBrowser: true/);
    expect(new SaberClient({ apiKey: 'sk_live_abc', dangerouslyAllowBrowser: true }).baseUrl).toBe('https://api.saber.app/v1');
  } finally {
    delete globalThis.window;
    delete globalThis.document;
  }
});

test('hooks get one state object per request, response and retry', async () => {
  const seen = [];
  const client = puffle(emu, 'hooks', {
    hooks: {
      onRequest: (s) => seen.push(['request', s]),
      onResponse: (s) => seen.push(['response', s]),
      onRetry: (s) => seen.push(['retry', s]),
    },
  });
  await emu.plan({ next: [{ type: 'status', status: 502, route: 'puffle.signalType.list' }] });
  await client.signalTypes.list();
  expect(seen.map(([k, s]) => [k, s.attempt, s.status])).toEqual([
    ['request', 1, undefined], ['response', 1, 502], ['retry', 1, undefined], ['request', 2, undefined], ['response', 2, 200],
  ]);
  const [, req] = seen[0];
  expect(req).toMatchObject({ provider: 'Puffle', kind: 'puffle.signalType.list', method: 'GET', path: '/signals/types', url: `${emu.url}/api/v1/signals/types` });
  expect(req.headers.authorization).toBe(`Bearer ${puffleKey('hooks').slice(0, 24)}…`);
  const [, res] = seen[4];
  expect(res.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.responseHeaders['content-type']).toMatch(/application\/json/);
  expect(res.headers.authorization).toBe(req.headers.authorization); // request headers, masked
  expect(res.durationMs).toBeGreaterThanOrEqual(0);
  const [, retry] = seen[2];
  expect(retry).toMatchObject({ retry: 1, maxRetries: 2, error: expect.any(ServerError) });
  expect(() => puffle(emu, 'hooks', { hooks: { onRequset: () => {} } })).toThrow(/hooks: unknown option "onRequset"; did you mean "onRequest"/);
});

test('the body sent is exactly the text the engine validated (a JSON string is sent as is)', async () => {
  const bodies = [];
  const client = puffle(emu, 'exact', { hooks: { onRequest: (s) => bodies.push(s.body) } });
  const text = '{"name":"Exact","keywords":["a"],"search_instructions":"s","scoring_criteria":"c","sources":["news"]}';
  const t = await client.signalTypes.create(text);
  expect(t.label).toBe('Exact');
  expect(bodies).toEqual([text]);
});

describe('error bodies', () => {
  // A loopback server answering fixed bodies: shapes the emulator never sends.
  let server;
  let base;
  const replies = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const r = replies.shift() ?? { status: 500, body: '' };
      res.writeHead(r.status, { 'content-type': r.type ?? 'application/json', ...(r.headers ?? {}) });
      res.end(r.body);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${server.address().port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const p = () => new PuffleClient({ apiKey: puffleKey('shapes'), baseUrl: `${base}/api/v1`, maxRetries: 0 });
  const sb = () => new SaberClient({ apiKey: saberKey('shapes'), baseUrl: `${base}/v1`, maxRetries: 0 });

  test.each([
    ['Puffle {error: {code, message, fields}}', { status: 400, body: '{"error":{"code":"invalid_request","message":"name: too long","fields":[{"field":"name","code":"too_long","message":"too long"}]}}' },
      { status: 400, code: 'invalid_request', fields: [{ field: 'name', code: 'too_long', message: 'too long' }] }, /name: too long/],
    ['Puffle {error: "text"}', { status: 403, body: '{"error":"Forbidden for this plan"}' }, { status: 403, code: 'forbidden_for_this_plan' }, /Forbidden for this plan/],
    ['Puffle {message}', { status: 404, body: '{"message":"Signal type not found"}' }, { status: 404, code: 'http_404' }, /Signal type not found/],
    ['Puffle {detail, errors: [...]}', { status: 422, body: '{"detail":"Bad input","errors":[{"path":"keywords","msg":"too many"}]}' },
      { status: 422, fields: [{ field: 'keywords', message: 'too many' }] }, /Bad input/],
    ['HTML error page', { status: 502, type: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1> nginx</body></html>' }, { status: 502, code: 'http_502', body: null }, /not JSON: "502 Bad Gateway nginx"/],
    ['empty body', { status: 500, body: '' }, { status: 500, code: 'http_500' }, /Internal Server Error \(empty body\)/],
    ['a JSON string', { status: 418, body: '"teapot"' }, { status: 418 }, /teapot/],
    ['an echoed key is redacted', { status: 401, body: JSON.stringify({ error: { code: 'unauthorized', message: `bad key ${puffleKey('shapes')}` } }) }, { status: 401 }, /bad key pk_live_[0-9a-f]{16}…/],
  ])('%s', async (_name, reply, expected, message) => {
    replies.push(reply);
    const err = await failure(p().signalTypes.list());
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject(expected);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain(puffleKey('shapes'));
    expect(err.rawBody).not.toContain(puffleKey('shapes'));
  });

  test('408 and 504 are retried for reads (not for creates); a Puffle 429 without hints backs off exponentially', async () => {
    const retries = [];
    const client = new PuffleClient({ apiKey: puffleKey('shapes'), baseUrl: `${base}/api/v1`, retryBaseDelayMs: 40, retryMaxDelayMs: 60, maxRetries: 3, rateLimit: false, hooks: { onRetry: (s) => retries.push(s) } });
    replies.push({ status: 408, body: '' }, { status: 504, body: '' }, { status: 429, body: '' }, { status: 200, body: '{"signal_types":[]}' });
    expect(await client.signalTypes.list()).toEqual([]);
    expect(retries.map((r) => r.error.status)).toEqual([408, 504, 429]);
    // Backoff: min(max, base * 2^(n-1)) jittered to 50-100%.
    expect(retries[0].delayMs).toBeGreaterThanOrEqual(20);
    expect(retries[0].delayMs).toBeLessThanOrEqual(40);
    expect(retries[2].delayMs).toBeGreaterThanOrEqual(30);
    expect(retries[2].delayMs).toBeLessThanOrEqual(60);
    retries.length = 0;
    replies.push({ status: 504, body: '' });
    expect(await failure(client.signalTypes.create(newType('x')))).toBeInstanceOf(ServerError);
    expect(retries).toEqual([]);
    replies.length = 0;
  });

  test('a Saber 429 that names no wait at all waits 60 s (as Saber documents), not a backoff', async () => {
    const retries = [];
    const controller = new AbortController();
    const client = new SaberClient({ apiKey: saberKey('shapes'), baseUrl: `${base}/v1`, retryBaseDelayMs: 1, rateLimit: false,
      hooks: { onRetry: (s) => { retries.push(s); controller.abort(); } } });
    replies.push({ status: 429, body: '{"error":{"type":"TIMEOUT","code":"TOO_MANY_REQUESTS","message":"Per-route rate limit exceeded"}}' });
    // The retry's wait is reported to onRetry before it starts; the test then aborts it.
    expect(await failure(client.templates.list({}, { signal: controller.signal }).toArray())).toMatchObject({ name: 'AbortError' });
    expect(retries).toHaveLength(1);
    expect(retries[0].delayMs).toBeGreaterThanOrEqual(60_000);
    expect(retries[0].delayMs).toBeLessThanOrEqual(61_000);
    // A client that will not wait that long gets the RateLimitError at once.
    replies.push({ status: 429, body: '{"error":{"type":"TIMEOUT","code":"TOO_MANY_REQUESTS","message":"Per-route rate limit exceeded"}}' });
    const impatient = new SaberClient({ apiKey: saberKey('shapes'), baseUrl: `${base}/v1`, maxRetryAfterMs: 59_000, rateLimit: false });
    expect(await failure(impatient.templates.list().toArray())).toMatchObject({ name: 'RateLimitError', type: 'TIMEOUT', retryAfterMs: undefined });
    replies.length = 0;
  });

  test('Saber plain 429 {statusCode, message, error, retryAfter} and Retry-After as an HTTP date', async () => {
    replies.push({ status: 429, body: '{"statusCode":429,"message":"Slow down","error":"Too Many Requests","retryAfter":120}' });
    const err = await failure(sb().templates.list().toArray());
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS', retryAfterMs: 120_000 });
    expect(err.message).toMatch(/Slow down/);
    const at = new Date(Date.now() + 90_000).toUTCString();
    replies.push({ status: 429, headers: { 'retry-after': at }, body: '{"error":{"type":"RATE_LIMIT","code":"TOO_MANY_REQUESTS","message":"later","requestId":"r-1","fields":[]}}' });
    const e2 = await failure(sb().templates.list().toArray());
    expect(e2.retryAfterMs).toBeGreaterThan(80_000);
    expect(e2.requestId).toBe('r-1');
  });

  test('a 200 whose body is not JSON is an ApiError (invalid_response); a cut-off 2xx body a NetworkError', async () => {
    replies.push({ status: 200, type: 'text/html', body: '<html>maintenance</html>' });
    const err = await failure(sb().templates.list().toArray());
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 200, code: 'invalid_response' });
    expect(err.message).toMatch(/not JSON: "maintenance"/);
    const c = saber(emu, 'cut', { maxRetries: 0 });
    await emu.plan({ next: [{ type: 'truncated_body', route: 'saber.template.list' }] });
    const cut = await failure(c.templates.list().toArray());
    expect(cut).toBeInstanceOf(NetworkError);
    expect(cut.message).toMatch(/the response body was cut off/);
  });

  test('a cut-off error body still gives the status and a useful message', async () => {
    const c = puffle(emu, 'cut-error', { maxRetries: 0 });
    await emu.plan({ next: [{ type: 'truncated_body', route: 'puffle.signalType.get' }] });
    const err = await failure(c.signalTypes.get('00000000-0000-4000-8000-000000000000'));
    expect(err).toMatchObject({ status: 404 });
    expect(err.message).toMatch(/404/);
  });
});
