// signalkit/proxy against the real emulator, in both flavours (Fetch API handler and Node
// http through toNodeHandler): what it forwards, what it refuses before forwarding (with the
// engine's own issues), CORS, the rate limiter, and that the key never leaves the server.
import { createProxy, DEFAULT_ALLOW, OPERATIONS } from '../../../js/proxy/index.js';
import { loadEngine, PuffleClient } from '../../../js/index.js';
import { newTemplate, newType, puffleKey, saberKey, start } from '../client/helpers.js';
import { FLAVOURS, json, startSpy } from './helpers.js';

const TYPES = '/puffle/api/v1/signals/types';
const TEMPLATES = '/saber/v1/companies/signals/templates';

let emu;
let engine;
beforeAll(async () => {
  engine = await loadEngine();
  emu = await start();
});
afterAll(() => emu.close());

const proxyFor = (name, options = {}) => createProxy({
  puffleKey: puffleKey(`proxy:${name}`), puffleBaseUrl: `${emu.url}/api/v1`,
  saberKey: saberKey(`proxy:${name}`), saberBaseUrl: `${emu.url}/v1`,
  engine, maxRetries: 0, ...options,
});

describe.each(FLAVOURS)('%s', (flavour, { serve }) => {
  let served;
  afterEach(() => served?.close());
  const tag = flavour.startsWith('Node') ? 'node' : 'fetch';

  test('creates, lists and edits a signal type and a template for the key\'s tenant', async () => {
    const key = puffleKey(`proxy:crud-${tag}`);
    served = await serve(proxyFor(`crud-${tag}`, { allow: ['puffle.signalType.*', 'saber.template.*'] }));
    const created = await served.call(TYPES, json('POST', newType('Layoffs')));
    expect(created.status).toBe(201);
    const type = await created.json();
    expect(type).toMatchObject({ label: 'Layoffs', built_in: false });

    const list = await (await served.call(TYPES)).json();
    expect(list.signal_types.map((t) => t.label)).toEqual(['hiring', 'funding', 'management_change', 'competitor_mentions', 'Layoffs']);
    const patched = await served.call(`${TYPES}/${type.id}`, json('PATCH', { keywords: ['layoffs', 'furlough'] }));
    expect(patched.status).toBe(200);
    expect((await patched.json()).keywords).toEqual(['layoffs', 'furlough']);
    // The tenant is the proxy's key: a client with that key sees the type.
    const direct = await fetch(`${emu.url}/api/v1/signals/types/${type.id}`, { headers: { authorization: `Bearer ${key}` } });
    expect(direct.status).toBe(200);

    const template = await served.call(TEMPLATES, json('POST', newTemplate('Headcount')));
    expect(template.status).toBe(201);
    const { id } = await template.json();
    expect((await served.call(`${TEMPLATES}/${id}`)).status).toBe(200);
    expect((await served.call(`${TEMPLATES}/${id}`, { method: 'DELETE' })).status).toBe(204);
  });

  test('an invalid request is answered with the engine\'s issues and never forwarded', async () => {
    served = await serve(proxyFor(`invalid-${tag}`, { allow: ['puffle.signalType.create'] }));
    const before = emu.count('POST');
    const body = { name: '', keywords: [], sources: ['myspace'], extra: 1 };
    const res = await served.call(TYPES, json('POST', body));
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error).toMatchObject({ code: 'validation_failed', source: 'proxy', operation: 'puffle.signalType.create' });
    // The same issues, the same codes as the engine's.
    expect(error.fields).toEqual(engine.validate('puffle.signalType.create', JSON.stringify(body)).issues);
    expect(error.fields.map((i) => i.code)).toEqual(expect.arrayContaining(['too_short', 'enum', 'unknown_field']));

    const broken = await served.call(TYPES, json('POST', '{"name": "x",'));
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.fields[0].code).toBe('invalid_json');
    const plain = await served.call(TYPES, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(plain.status).toBe(415);
    expect(emu.count('POST')).toBe(before);
  });

  test('only the allowed operations: 403 for the others, 404 and 405 for what is not an operation', async () => {
    served = await serve(proxyFor(`allow-${tag}`));
    const before = emu.log.length;
    const refused = await served.call(TYPES, json('POST', newType('Nope')));
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toMatchObject({ code: 'operation_not_allowed', operation: 'puffle.signalType.create' });
    expect((await served.call('/puffle/api/v1/partners/portal')).status).toBe(404);
    const wrong = await served.call(TYPES, { method: 'PUT' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('OPTIONS, GET, POST');
    expect(emu.log.length).toBe(before);
    expect((await served.call(TYPES)).status).toBe(200); // the default allows reading
  });

  test('CORS: listed origins get the headers, file:// pages only when "null" is listed, others are refused before forwarding', async () => {
    served = await serve(proxyFor(`cors-${tag}`, { allow: ['puffle.signalType.list'], cors: ['https://site.example', 'null'] }));
    const ok = await served.call(TYPES, { headers: { origin: 'https://site.example' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://site.example');
    const file = await served.call(TYPES, { headers: { origin: 'null' } });
    expect(file.headers.get('access-control-allow-origin')).toBe('null');
    const pre = await served.call(TYPES, {
      method: 'OPTIONS', headers: { origin: 'https://site.example', 'access-control-request-method': 'GET' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET');
    const before = emu.log.length;
    const evil = await served.call(TYPES, { headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(emu.log.length).toBe(before);
    // Same-origin pages need no listing.
    expect((await served.call(TYPES, { headers: { origin: served.origin } })).status).toBe(200);
  });
});

test('the rate limiter: requests beyond the limit wait instead of meeting the vendor\'s 429', async () => {
  const limited = await start({ rateLimits: { puffle: { limit: 3, windowMs: 400 } } });
  try {
    const run = async (name, puffleRateLimit) => {
      const proxy = createProxy({
        puffleKey: puffleKey(name), puffleBaseUrl: `${limited.url}/api/v1`, engine, puffleRateLimit,
      });
      const answers = await Promise.all(Array.from({ length: 9 }, () => proxy(new Request(`http://proxy.test${TYPES}`))));
      return { statuses: answers.map((r) => r.status), tooMany: limited.log.filter((e) => e.status === '429').length };
    };
    const withLimiter = await run('proxy:limited', { limit: 3, windowMs: 400 });
    expect(withLimiter).toEqual({ statuses: Array(9).fill(200), tooMany: 0 });
    // The control: without the limiter the same burst meets the emulator's 429s.
    const without = await run('proxy:unlimited', false);
    expect(without.tooMany).toBeGreaterThan(0);
  } finally {
    await limited.close();
  }
});

test('the key never leaves the server: an upstream that echoes it is masked in every answer', async () => {
  const key = puffleKey('proxy:echo');
  const id = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
  const spy = await startSpy(({ method, path, auth }) => {
    if (method === 'GET' && path.endsWith(`/types/${id}`)) {
      return { status: 200, body: { id, label: auth, name: 'echo', kind: 'keyword', built_in: false, enabled: true, keywords: [auth] } };
    }
    return { status: 400, body: { error: { code: 'bad', message: `bad request with ${auth}` } }, headers: { 'x-echo': auth } };
  });
  try {
    const proxy = createProxy({ puffleKey: key, puffleBaseUrl: `${spy.url}/api/v1`, engine, maxRetries: 0, allow: ['puffle.signalType.get', 'puffle.signalType.create'] });
    const answers = [
      await proxy(new Request(`http://proxy.test${TYPES}/${id}`)),
      await proxy(new Request(`http://proxy.test${TYPES}`, json('POST', newType('Echo')))),
    ];
    expect(spy.seen.map((s) => s.auth)).toEqual([`Bearer ${key}`, `Bearer ${key}`]); // it was sent upstream...
    expect(answers.map((r) => r.status)).toEqual([200, 400]);
    for (const res of answers) { // ...and never comes back
      const text = await res.text();
      expect(text).not.toContain(key);
      expect(text).toContain(key.slice(0, 12));
      for (const [name, value] of res.headers) expect(`${name}: ${value}`).not.toContain(key.slice(12));
    }
  } finally {
    await spy.close();
  }
});

test('createProxy refuses a misconfiguration with a clear error', () => {
  const puffle = { puffleKey: puffleKey('proxy:config') };
  expect(() => createProxy()).toThrow('createProxy: options are required: at least one of puffleKey and saberKey.');
  expect(() => createProxy({ puffleKey: 'nope' })).toThrow(/^createProxy: .*puffleKey/);
  expect(() => createProxy({ ...puffle, alow: [] })).toThrow(/unknown option "alow".*did you mean "allow"/);
  expect(() => createProxy({ ...puffle, allow: ['puffle.signalType.craete'] }))
    .toThrow('createProxy: allow names "puffle.signalType.craete", which is not an operation of the proxy; did you mean "puffle.signalType.create"? Operations: docs/widgets.md#the-proxy.');
  expect(() => createProxy({ ...puffle, allow: ['saber.template.list'] })).toThrow('createProxy: allow names saber.template.list, but no saberKey was given.');
  expect(() => createProxy({ ...puffle, saberRateLimit: false })).toThrow('createProxy: saberRateLimit is given without saberKey.');
  expect(() => createProxy({ ...puffle, cors: 'https://site.example/' })).toThrow(/is not an origin/);
  expect(() => createProxy({ ...puffle, cors: { origins: '*', credentials: true } })).toThrow(/credentials cannot be sent to every origin/);
  expect(createProxy(puffle).allowed).toEqual(DEFAULT_ALLOW.filter((n) => n.startsWith('puffle.')));
  expect(OPERATIONS.map((op) => op.name)).not.toContain('puffle.partners.portal');
});

test('a PuffleClient with {proxy} sends no key: types and the company profile through the proxy', async () => {
  const [, [, { serve }]] = FLAVOURS; // Node http: the client reaches the proxy over loopback
  const served = await serve(proxyFor('client', { allow: ['puffle.signalType.*', 'puffle.context.get'] }));
  try {
    const sent = [];
    const client = new PuffleClient({
      proxy: served.origin, engine,
      fetch: (url, init) => { sent.push(new Headers(init.headers).get('authorization')); return fetch(url, init); },
    });
    const type = await client.signalTypes.create(newType('Expansion'));
    expect((await client.signalTypes.list()).map((t) => t.label)).toContain('Expansion');
    expect((await client.signalTypes.get(type.id)).label).toBe('Expansion');
    // The company profile's paths (Puffle's /api beside /api/v1) are the proxy's too.
    expect(await client.context.get()).toEqual({ context: null, profile: null }); // none yet
    expect(sent.length).toBe(4);
    expect(sent.every((auth) => auth === null)).toBe(true);
    // The proxy's key is the tenant.
    const direct = await fetch(`${emu.url}/api/v1/signals/types/${type.id}`, { headers: { authorization: `Bearer ${puffleKey('proxy:client')}` } });
    expect(direct.status).toBe(200);
  } finally {
    await served.close();
  }
});
