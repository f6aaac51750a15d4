// A server that echoes the API key back, in any form (issue 12): the key never reaches an
// error (message, stack, util.inspect, JSON, body, raw body), a hook payload (headers
// included) or a log line, however it was encoded. A loopback server that leaks on purpose.
import http from 'node:http';
import util from 'node:util';
import { ApiError, PuffleClient, SaberClient } from '../../../js/index.js';
import { KeyRedactor } from '../../../js/client/redact.js';
import { failure, puffleKey, saberKey } from './helpers.js';

const P_KEY = puffleKey('echo');
const S_KEY = saberKey('echo');

// Every way the key might come back. `auth` is the Authorization value the server saw.
const jsonEscaped = (s) => [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
const FORMS = {
  literal: (key) => key,
  'JSON-escaped (\\u0070\\u006b…)': (key) => jsonEscaped(key),
  'JSON-escaped, upper-case hex digits': (key) => jsonEscaped(key).toUpperCase().replace(/\\U/g, '\\u'),
  'half escaped, half literal': (key) => jsonEscaped(key.slice(0, 20)) + key.slice(20),
  'percent-encoded': (key) => [...key].map((c) => `%${c.charCodeAt(0).toString(16)}`).join(''),
  'encodeURIComponent of the header': (key) => encodeURIComponent(`Bearer ${key}`),
  'base64 of the Authorization value': (key) => Buffer.from(`Bearer ${key}`).toString('base64'),
  'base64url of the Authorization value': (key) => Buffer.from(`Authorization: Bearer ${key}`).toString('base64url'),
  'base64 of the key alone': (key) => Buffer.from(key).toString('base64'),
  'all but the last 3 characters': (key) => key.slice(0, -3),
  'all but the first 10 characters': (key) => key.slice(10),
  'the middle third': (key) => key.slice(Math.floor(key.length / 3), Math.floor((2 * key.length) / 3)),
  'upper-cased': (key) => key.toUpperCase(),
  'HTML character references': (key) => [...key].map((c) => `&#${c.charCodeAt(0)};`).join(''),
};
// Puffle keys may show their first 24 characters; any longer prefix reveals the secret.
const PUFFLE_ONLY = {
  'the first 25 characters (one past what may be shown)': (key) => key.slice(0, 25),
  'the first 30 characters': (key) => key.slice(0, 30),
};

let server;
let base;
let leak = () => '';
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const key = req.headers.authorization.replace(/^Bearer /, '');
    const echoed = leak(key);
    const body = JSON.stringify({ error: { code: 'unauthorized', message: `bad key ${echoed}`, fields: [{ field: 'key', message: `got ${echoed}` }], details: { echoed } } })
      .replace(/\\\\u/g, '\\u'); // keep the JSON escapes as escapes, not escaped backslashes
    res.writeHead(401, `Unauthorized ${echoed.slice(0, 200)}`, {
      'content-type': 'application/json', 'x-echo': echoed, 'x-request-id': `req-${echoed.slice(0, 40)}`, 'www-authenticate': `Bearer error="${echoed}"`,
    });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

// What anyone could see of one failed call: the error in every form, hook payloads, logs.
async function everythingShown(makeClient, call) {
  const out = [];
  const record = (x) => out.push(util.inspect(x, { depth: 10, showHidden: true }), JSON.stringify(x));
  const client = makeClient({ hooks: { onRequest: record, onResponse: record, onRetry: record }, logger: (level, line) => out.push(line) });
  const err = await failure(call(client));
  expect(err).toBeInstanceOf(ApiError);
  out.push(err.message, err.stack, util.inspect(err, { depth: 10, showHidden: true }), JSON.stringify(err), String(err.rawBody),
    JSON.stringify(err.body), JSON.stringify(err.fields), String(err.requestId));
  return { text: out.join('\n'), err };
}

const makePuffle = (options) => new PuffleClient({ apiKey: P_KEY, baseUrl: `${base}/api/v1`, maxRetries: 0, ...options });
const makeSaber = (options) => new SaberClient({ apiKey: S_KEY, baseUrl: `${base}/v1`, maxRetries: 0, ...options });

describe.each([
  ['Puffle', makePuffle, (c) => c.signalTypes.list(), P_KEY, { ...FORMS, ...PUFFLE_ONLY }],
  ['Saber', makeSaber, (c) => c.templates.list().toArray(), S_KEY, FORMS],
])('%s: a key the server echoes', (_, makeClient, call, key, forms) => {
  test.each(Object.entries(forms))('%s never reaches an error, a hook or a log line', async (form, encode) => {
    leak = encode;
    const { text, err } = await everythingShown(makeClient, call);
    const echoed = encode(key);
    expect(text).not.toContain(echoed);
    // Nor any part of the secret long enough to matter, decoded or not.
    const secret = key.slice(key.startsWith('pk_') ? 24 : 8);
    for (let i = 0; i + 8 <= secret.length; i += 4) expect(text).not.toContain(secret.slice(i, i + 8));
    expect(text.toLowerCase()).not.toContain(secret.slice(0, 16).toLowerCase());
    // The error still says what happened.
    expect(err.status).toBe(401);
    expect(err.code).toBe('unauthorized');
    expect(err.message).toMatch(/bad key /);
  });
});

test('the onResponse hook gets every header, the key redacted in each', async () => {
  leak = (key) => key;
  const seen = [];
  await failure(makePuffle({ hooks: { onResponse: (r) => seen.push(r) } }).signalTypes.list());
  const headers = seen[0].responseHeaders;
  expect(headers['x-echo']).toBe(`${P_KEY.slice(0, 24)}…`);
  expect(headers['www-authenticate']).toBe(`Bearer error="${P_KEY.slice(0, 24)}…"`);
  expect(headers['content-type']).toBe('application/json');
  expect(seen[0].requestId).toBe(`req-${P_KEY.slice(0, 24)}…`);
});

describe('KeyRedactor', () => {
  test('a full key reads as its masked form; what is not the key is untouched', () => {
    const r = new KeyRedactor(P_KEY, `${P_KEY.slice(0, 24)}…`);
    expect(r.redact(`key=${P_KEY}; again ${P_KEY}.`)).toBe(`key=${P_KEY.slice(0, 24)}…; again ${P_KEY.slice(0, 24)}….`);
    expect(r.redact(`shown: ${P_KEY.slice(0, 24)} ok`)).toBe(`shown: ${P_KEY.slice(0, 24)} ok`);
    const other = puffleKey('someone else');
    expect(r.redact(`other ${other} and a uuid 3c90c3cc-0d44-4b50-8888-8dd25736052a`)).toBe(`other ${other} and a uuid 3c90c3cc-0d44-4b50-8888-8dd25736052a`);
    const s = new KeyRedactor(S_KEY, 'sk_live_***');
    expect(s.redact(`{"k":"${S_KEY}"}`)).toBe('{"k":"sk_live_***"}');
    expect(s.redact('sk_live_ alone is the public prefix')).toBe('sk_live_ alone is the public prefix');
  });

  test('redacted JSON stays JSON, so err.body keeps the rest of the answer', async () => {
    leak = jsonEscaped;
    const err = await failure(makeSaber().templates.list().toArray());
    expect(err.body.error.code).toBe('unauthorized');
    expect(err.body.error.details.echoed).toBe('sk_live_***');
  });

  test('a short Saber secret is redacted whole, in any of the forms', () => {
    const key = 'sk_live_x9!';
    const r = new KeyRedactor(key, 'sk_live_***');
    for (const encode of Object.values(FORMS).slice(0, 5)) {
      const text = `k=${encode(key)}.`;
      expect(r.redact(text)).not.toContain('x9!');
    }
  });
});
