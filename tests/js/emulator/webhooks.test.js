// The emulator delivers Puffle's webhooks: an endpoint registered through the control route,
// signed deliveries of signal.detected (drawn signals and the keyword matcher's) and of
// research.complete / research.failed, Svix's retries with one svix-id, timeouts, the
// delivery log, the secret kept out of everything but its registration, tenant isolation.
// Receivers are real servers on loopback running signalkit/webhooks' handler; signatures
// are also checked with the Standard Webhooks reference library itself.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import standardwebhooks from 'standardwebhooks';
import { createWebhookHandler, verifyWebhook } from '../../../js/webhooks/index.js';
import { loadContract } from '../../../js/emulator/contract.js';
import { PuffleWebhooks } from '../../../js/emulator/webhooks.js';
import { PuffleClient } from '../../../js/index.js';
import { client, eventually, newType, puffleKey, PUFFLE_TYPES, start } from './helpers.js';

const { Webhook } = standardwebhooks;
const APP = '/__emulator/webhook-app';

/**
 * A webhook receiver on loopback: signalkit/webhooks' handler behind a front that can fail
 * on purpose. `behaviour(n)` for the n-th request (from 1): 'pass'; 'fail' (503 before the
 * handler, as a proxy mid-deploy); 'lose' (the handler runs, then the connection drops: its
 * answer is lost); 'hang' (no answer at all). `use(secret)` arms the handler.
 */
async function receiver(behaviour = () => 'pass') {
  const rx = { requests: [], events: [], errors: [], handler: null };
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const n = rx.requests.push({ headers: req.headers, body: body.toString('utf8') });
    const what = behaviour(n);
    if (what === 'hang') return;
    if (what === 'fail') { res.writeHead(503).end('deploying'); return; }
    const answer = await rx.handler.fetch(new Request(`http://receiver${req.url}`, {
      method: req.method, headers: Object.entries(req.headers).map(([k, v]) => [k, String(v)]), body,
    }));
    if (what === 'lose') { req.socket.destroy(); return; }
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  rx.url = `http://127.0.0.1:${server.address().port}/puffle/webhooks`;
  rx.use = (secret) => {
    rx.handler = createWebhookHandler({
      secret, onEvent: (event) => { rx.events.push(event); }, onError: (error, context) => rx.errors.push({ error, context }),
    });
  };
  rx.close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); });
  return rx;
}

const receivers = [];
async function track(rx) {
  receivers.push(rx);
  return rx;
}
afterAll(() => Promise.all(receivers.map((rx) => rx.close())));

// Everything the emulator said, outside registration answers, to search for secrets at the end.
const logLines = [];
const answers = [];
const secrets = [];
const logger = (level, message) => logLines.push(`${level} ${message}`);

let emu;
beforeAll(async () => {
  emu = await start({ logger, webhooks: { retryScale: 0.0001, timeoutMs: 500 } });
});
afterAll(() => emu.close());

/** A control-route caller for one key; every answer is kept for the secret check, unless `registration`. */
function control(e, key) {
  const call = async (method, p, { body, registration = false, raw } = {}) => {
    const headers = key ? { authorization: `Bearer ${key}` } : {};
    if (body !== undefined || raw !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${e.url}${p}`, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
    const text = await res.text();
    if (!registration) answers.push(text);
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  return {
    call,
    register: async (url) => {
      const res = await call('PUT', APP, { body: { url }, registration: true });
      expect(res.status).toBe(200);
      secrets.push(res.body.endpoint.secret);
      return res.body.endpoint;
    },
    signals: (body) => call('POST', '/__emulator/signals', { body }),
    research: (body) => call('POST', '/__emulator/research', { body }),
    deliveries: async () => (await call('GET', `${APP}/deliveries`)).body.deliveries,
  };
}

/** The tenant's delivery log once nothing in it is pending (and it holds at least `count`). */
async function settled(ctl, count = 1) {
  return eventually(async () => {
    const log = await ctl.deliveries();
    return log.length >= count && log.every((d) => d.status !== 'pending') ? log : null;
  }, { tries: 400, everyMs: 25 });
}

/** The Standard Webhooks reference library's own check (it reads the webhook-* names). */
function referenceVerify(secret, { headers, body }) {
  return new Webhook(secret).verify(body, {
    'webhook-id': headers['svix-id'], 'webhook-timestamp': headers['svix-timestamp'], 'webhook-signature': headers['svix-signature'],
  });
}

describe('the webhook app and its endpoint (the portal stand-in)', () => {
  test('PUT {url} registers the endpoint and shows its whsec_ secret once; the portal then answers', async () => {
    const key = puffleKey('wh-register');
    const ctl = control(emu, key);
    const api = client(emu, key);
    expect((await api.get('/api/v1/partners/portal')).status).toBe(404);
    expect((await ctl.call('GET', APP)).body).toEqual({ webhookApp: false, endpoint: null });

    const endpoint = await ctl.register('http://127.0.0.1:9/hooks?token=abc');
    expect(endpoint).toEqual({ url: 'http://127.0.0.1:9/hooks?token=abc', secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/), createdAt: expect.any(String) });
    expect(Buffer.from(endpoint.secret.slice(6), 'base64')).toHaveLength(24);
    expect((await api.get('/api/v1/partners/portal')).status).toBe(200);

    // Read back, or the app PUT again without a body: the endpoint, never the secret.
    const shown = { webhookApp: true, endpoint: { url: endpoint.url, createdAt: endpoint.createdAt } };
    expect((await ctl.call('GET', APP)).body).toEqual(shown);
    expect((await ctl.call('PUT', APP)).body).toEqual(shown);

    // Registering again replaces the endpoint with a new secret.
    const again = await ctl.register('https://hooks.example.com/puffle');
    expect(again.secret).not.toBe(endpoint.secret);
    expect((await ctl.call('GET', APP)).body.endpoint.url).toBe('https://hooks.example.com/puffle');

    expect((await ctl.call('DELETE', APP)).body).toEqual({ webhookApp: false, endpoint: null });
    expect((await api.get('/api/v1/partners/portal')).status).toBe(404);
  });

  test('bad registrations are refused with the field and the reason', async () => {
    const ctl = control(emu, puffleKey('wh-bad'));
    const refused = async (body, field, code) => {
      const res = await ctl.call('PUT', APP, { body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
    };
    await refused({ url: 'ftp://example.com/x' }, 'url', 'format');
    await refused({ url: 'not a url' }, 'url', 'format');
    await refused({ url: 'http://user:pw@example.com/x' }, 'url', 'format');
    await refused({ url: `https://example.com/${'x'.repeat(2048)}` }, 'url', 'format');
    await refused({ url: 'https://example.com/', events: ['signal.detected'] }, 'events', 'unknown_field');
    await refused(['https://example.com/'], '', 'type');
    expect((await ctl.call('PUT', APP, { raw: '{"url":' })).body.error.fields[0].code).toBe('invalid_json');
    // Nothing was registered by any of them.
    expect((await ctl.call('GET', APP)).body).toEqual({ webhookApp: false, endpoint: null });

    expect((await control(emu, null).call('PUT', APP, { body: { url: 'https://example.com/' } })).status).toBe(401);
    const wrongMethod = await ctl.call('POST', APP, { body: {} });
    expect([wrongMethod.status, wrongMethod.headers.get('allow')]).toEqual([405, 'GET, PUT, DELETE']);
  });
});

describe('signal.detected', () => {
  test('each new signal is delivered signed: it verifies, and its data is the signal in the feed', async () => {
    const key = puffleKey('wh-signals');
    const ctl = control(emu, key);
    const rx = await track(await receiver());
    rx.use((await ctl.register(rx.url)).secret);

    const res = await ctl.signals({ count: 3 });
    expect(res.status).toBe(200);
    const { signals, deliveries } = res.body;
    expect(signals).toHaveLength(3);
    expect(deliveries).toEqual([expect.stringMatching(/^msg_[0-9A-Za-z]{27}$/), expect.any(String), expect.any(String)]);
    const log = await settled(ctl, 3);
    expect(log.map((d) => [d.id, d.label, d.status, d.attempts.length])).toEqual(deliveries.map((id) => [id, 'signal.detected', 'delivered', 1]));

    const secret = secrets.at(-1);
    expect(rx.requests).toHaveLength(3);
    for (const request of rx.requests) {
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['svix-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      const event = verifyWebhook(request.body, request.headers, secret);
      expect(referenceVerify(secret, request)).toEqual(JSON.parse(request.body));
      expect(Object.keys(JSON.parse(request.body))).toEqual(['type', 'timestamp', 'data']);
      expect(new Date(event.timestamp).toISOString()).toBe(event.timestamp);
      const signal = signals[deliveries.indexOf(event.id)];
      expect(event).toEqual({
        id: request.headers['svix-id'],
        type: 'signal.detected',
        timestamp: event.timestamp,
        data: { id: signal.id, signal_type_label: signal.signal_type, headline: signal.title, score: signal.score,
          source: signal.source, detected_at: signal.created_at },
      });
    }
    expect(rx.events.map((e) => e.id).sort()).toEqual([...deliveries].sort());

    // The new signals are in the feed, newest first (strictResponses holds them to the document),
    // and take feedback like any other.
    const puffle = new PuffleClient({ apiKey: key, baseUrl: emu.puffleBaseUrl });
    const page = await puffle.signals.list({ limit: 100 }).toArray();
    for (const s of signals) expect(page).toContainEqual(s);
    expect(page.slice(0, 3).map((s) => s.created_at)).toEqual(signals.map((s) => s.created_at));
    expect(await puffle.signals.feedback(signals[0].id, 'positive')).toEqual({ success: true });
  });

  test('keyword types get signals where the engine\'s matcher finds their keywords', async () => {
    const key = puffleKey('wh-keywords');
    const ctl = control(emu, key);
    const api = client(emu, key);
    const rx = await track(await receiver());
    rx.use((await ctl.register(rx.url)).secret);
    const layoffs = (await api.post(PUFFLE_TYPES, newType('Layoffs'))).body; // keywords layoffs, reduction in force; news, reddit
    expect((await api.patch(`${PUFFLE_TYPES}/${layoffs.id}`, { disqualifiers: ['rumour'] })).status).toBe(200);

    const res = await ctl.signals({ posts: [
      { title: 'Acme announces layoffs', text: 'About 10% of staff are affected.', source: 'news', company: 'Acme Corp' },
      { text: 'A Reduction-in-Force at Bluepeak Software today', source: 'reddit', company: 'bluepeak.io', url: 'https://www.reddit.com/r/x/1' },
      { text: 'Layoffs at Quartzmill, says a forum thread', source: 'hacker_news' },   // a source the type does not use
      { text: 'Layoffs at Zephyr are only a rumour', source: 'news' },                // disqualified
      { text: 'Kestrel Logistics opens a new depot', source: 'news' },                // no keyword
    ] });
    expect(res.status).toBe(200);
    const { signals } = res.body;
    expect(signals.map((s) => [s.signal_type, s.title, s.source])).toEqual([
      ['Layoffs', 'Acme announces layoffs', 'news'],
      ['Layoffs', 'A Reduction-in-Force at Bluepeak Software today', 'reddit'],
    ]);
    expect(signals[0]).toMatchObject({
      text: 'About 10% of staff are affected.',
      entity: { name: 'Acme Corp', type: 'company', domain: null },
      classification: { matched_keywords: ['layoffs'] },
      reasoning: 'Matched the keywords of Layoffs: "layoffs" in the title.',
      person_entity: null,
    });
    expect(signals[1]).toMatchObject({
      source_url: 'https://www.reddit.com/r/x/1',
      entity: { name: 'Bluepeak Software', domain: 'bluepeak.io' }, // a company of the feed: its entity
      classification: { matched_keywords: ['reduction in force'] },
    });
    await settled(ctl, 2);
    expect(rx.events.map((e) => [e.data.signal_type_label, e.data.headline])).toEqual(signals.map((s) => [s.signal_type, s.title]));

    // Drawn posts: with the built-ins disabled, every drawn post is the keyword type's, and
    // the matcher confirms each one.
    for (const t of (await api.get(PUFFLE_TYPES)).body.signal_types.filter((x) => x.built_in)) {
      await api.patch(`${PUFFLE_TYPES}/${t.id}`, { enabled: false });
    }
    const drawn = (await ctl.signals({ count: 5 })).body.signals;
    expect(drawn).toHaveLength(5);
    for (const s of drawn) {
      expect(s.signal_type).toBe('Layoffs');
      expect(['news', 'reddit']).toContain(s.source);
      expect(s.classification.matched_keywords.length).toBeGreaterThan(0);
    }
    // Nothing enabled: nothing found.
    await api.patch(`${PUFFLE_TYPES}/${layoffs.id}`, { enabled: false });
    expect((await ctl.signals({ count: 3 })).body).toEqual({ signals: [], deliveries: [] });
  });

  test('without an endpoint signals still join the feed, and nothing is sent', async () => {
    const ctl = control(emu, puffleKey('wh-no-endpoint'));
    const res = await ctl.signals({});
    expect(res.status).toBe(200);
    expect(res.body.signals).toHaveLength(1);
    expect(res.body.deliveries).toEqual([]);
    expect(await ctl.deliveries()).toEqual([]);
  });

  test('bad requests: every problem named; at most 50 posts per request', async () => {
    const ctl = control(emu, puffleKey('wh-signals-bad'));
    let res = await ctl.signals({ count: 51 });
    expect([res.status, res.body.error.fields]).toEqual([400, [expect.objectContaining({ field: 'count', code: 'too_many' })]]);
    res = await ctl.signals({ count: -1, posts: [{ title: 7 }, 'x', { text: 'ok', source: 'News!', url: 'javascript:alert(1)', extra: 1 }], cnt: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f) => `${f.field} ${f.code}`).sort()).toEqual([
      'cnt unknown_field', 'count type', 'posts[0].text required', 'posts[0].title type', 'posts[1] type',
      'posts[2].extra unknown_field', 'posts[2].source pattern', 'posts[2].url format',
    ]);
    expect((await ctl.signals({ posts: [] })).body.error.fields[0]).toMatchObject({ field: 'posts', code: 'type' });
    expect((await ctl.call('GET', '/__emulator/signals')).status).toBe(405);
    // A key's feed takes at most 1,000 added signals.
    for (let i = 0; i < 20; i++) expect((await ctl.signals({ count: 50 })).body.signals).toHaveLength(50);
    res = await ctl.signals({});
    expect([res.status, res.body.error.code]).toEqual([409, 'conflict']);
    expect(res.body.error.message).toMatch(/already holds 1000 added signals \(at most 1000\)/);
    expect((await control(emu, null).signals({})).status).toBe(401);
  });
});

describe('research.complete and research.failed', () => {
  test('a research run sends its event; the report is kept for the key that ran it', async () => {
    const key = puffleKey('wh-research');
    const ctl = control(emu, key);
    const rx = await track(await receiver());
    rx.use((await ctl.register(rx.url)).secret);

    const done = await ctl.research({ first_name: 'Ada', last_name: 'Lovelace', company: 'Analytical Engines' });
    expect(done.status).toBe(200);
    const run = done.body.research;
    expect(run).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/), first_name: 'Ada', last_name: 'Lovelace', company: 'Analytical Engines',
      icp_score: expect.any(Number), report_url: `${emu.url}/__emulator/research/${run.id}`, status: 'complete', finished_at: expect.any(String),
    });
    const failed = await ctl.research({ first_name: 'Nobody', last_name: 'Known', company: 'Nowhere', outcome: 'failed' });
    expect(failed.body.research).toMatchObject({ status: 'failed', error: 'no public profile of Nobody Known at Nowhere was found' });

    await settled(ctl, 2);
    expect(rx.events.map((e) => e.type)).toEqual(['research.complete', 'research.failed']);
    expect(rx.events[0].data).toEqual({ id: run.id, first_name: 'Ada', last_name: 'Lovelace', company: 'Analytical Engines',
      icp_score: run.icp_score, report_url: run.report_url });
    expect(rx.events[1].data).toEqual({ id: failed.body.research.id, first_name: 'Nobody', last_name: 'Known', company: 'Nowhere',
      error: 'no public profile of Nobody Known at Nowhere was found' });
    expect(rx.events.map((e) => e.id)).toEqual([...done.body.deliveries, ...failed.body.deliveries]);

    const report = await ctl.call('GET', new URL(run.report_url).pathname);
    expect(report.body).toEqual({ research: run });
    expect((await control(emu, puffleKey('wh-research-other')).call('GET', new URL(run.report_url).pathname)).status).toBe(404);
    expect((await control(emu, null).call('GET', new URL(run.report_url).pathname)).status).toBe(401);

    const bad = await ctl.research({ first_name: '', company: 'x'.repeat(201), outcome: 'maybe' });
    expect(bad.body.error.fields.map((f) => `${f.field} ${f.code}`)).toEqual([
      'first_name type', 'last_name required', 'company type', 'outcome enum',
    ]);
  });
});

describe('retries', () => {
  test('a receiver that fails twice then succeeds sees three deliveries with one svix-id and runs its handler once', async () => {
    // The third attempt follows Svix's 5-minute wait, scaled to 1.5 s: a new second, so a new
    // svix-timestamp and signature.
    const e = await start({ logger, webhooks: { retryScale: 0.005 } });
    try {
      const ctl = control(e, puffleKey('wh-retry'));
      const rx = await track(await receiver((n) => ['fail', 'lose', 'pass'][n - 1]));
      const { secret } = await ctl.register(rx.url);
      rx.use(secret);
      const [id] = (await ctl.signals({ count: 1 })).body.deliveries;
      const [record] = await settled(ctl);

      expect(rx.requests.map((r) => r.headers['svix-id'])).toEqual([id, id, id]);
      expect(new Set(rx.requests.map((r) => r.body)).size).toBe(1); // the same body every time
      expect(rx.events).toHaveLength(1);                              // attempt 2 ran it; attempt 3 was a duplicate
      expect(rx.events[0].id).toBe(id);
      const stamps = rx.requests.map((r) => Number(r.headers['svix-timestamp']));
      expect(stamps[2]).toBeGreaterThan(stamps[0]);
      expect(rx.requests[2].headers['svix-signature']).not.toBe(rx.requests[0].headers['svix-signature']);
      for (const request of rx.requests) expect(verifyWebhook(request.body, request.headers, secret).id).toBe(id);

      expect(record).toMatchObject({ id, status: 'delivered' });
      expect(record.attempts.map((a) => [a.n, a.status, a.error])).toEqual([
        [1, 503, null], [2, null, expect.stringMatching(/^network: /)], [3, 200, null],
      ]);
      expect(JSON.parse(record.attempts[2].response)).toEqual({ received: true, duplicate: true });
    } finally {
      await e.close();
    }
  });

  test('an attempt left without an answer times out and is retried; the handler runs once', async () => {
    const ctl = control(emu, puffleKey('wh-timeout'));
    const rx = await track(await receiver((n) => (n === 1 ? 'hang' : 'pass')));
    rx.use((await ctl.register(rx.url)).secret);
    const [id] = (await ctl.signals({})).body.deliveries;
    const [record] = await settled(ctl);
    expect(record.attempts.map((a) => [a.status, a.error])).toEqual([[null, 'timeout after 500 ms'], [200, null]]);
    expect(rx.requests.map((r) => r.headers['svix-id'])).toEqual([id, id]);
    expect(rx.events.map((ev) => ev.id)).toEqual([id]);
  });

  test('after Svix\'s eight attempts the delivery has failed; pending ones show their next attempt', async () => {
    const e = await start({ logger, webhooks: { retryScale: 0.00001 } }); // 27.6 hours in about a second
    try {
      const ctl = control(e, puffleKey('wh-failing'));
      const rx = await track(await receiver(() => 'fail'));
      await ctl.register(rx.url);
      await ctl.signals({});
      const [pending] = await ctl.deliveries();
      expect(pending.status).toBe('pending');
      const [record] = await settled(ctl);
      expect(record.status).toBe('failed');
      expect(record.nextAttemptAt).toBeNull();
      expect(record.attempts.map((a) => a.status)).toEqual([503, 503, 503, 503, 503, 503, 503, 503]);
      expect(record.attempts[0].response).toBe('deploying');
      expect(new Set(rx.requests.map((r) => r.headers['svix-id'])).size).toBe(1);
      expect(rx.requests).toHaveLength(8);
    } finally {
      await e.close();
    }
  });

  test('removing the app (or replacing the endpoint) stops its pending retries', async () => {
    const e = await start({ logger }); // Svix's own schedule: the second attempt waits 5 s
    try {
      const ctl = control(e, puffleKey('wh-cancel'));
      const rx = await track(await receiver(() => 'fail'));
      await ctl.register(rx.url);
      await ctl.signals({});
      const waiting = async (i) => { const d = (await ctl.deliveries())[i]; return d?.attempts.length === 1 && d.nextAttemptAt !== null; };
      await eventually(() => waiting(0));
      let [record] = await ctl.deliveries();
      expect(record.status).toBe('pending');
      expect(Date.parse(record.nextAttemptAt) - Date.parse(record.attempts[0].at)).toBeGreaterThanOrEqual(4_900);

      await ctl.register(rx.url);
      [record] = await ctl.deliveries();
      expect(record.status).toBe('cancelled');
      await ctl.signals({});
      await eventually(() => waiting(1));
      await ctl.call('DELETE', APP);
      expect((await ctl.deliveries()).map((d) => d.status)).toEqual(['cancelled', 'cancelled']);
      expect(rx.requests).toHaveLength(2);
    } finally {
      await e.close();
    }
  });
});

test('tenants are isolated: one key\'s events never reach another key\'s endpoint or log', async () => {
  const a = control(emu, puffleKey('wh-tenant-a'));
  const b = control(emu, puffleKey('wh-tenant-b'));
  const rxA = await track(await receiver());
  const rxB = await track(await receiver());
  const secretA = (await a.register(rxA.url)).secret;
  const secretB = (await b.register(rxB.url)).secret;
  rxA.use(secretA);
  rxB.use(secretB);

  await a.signals({ count: 4 });
  await a.research({ first_name: 'Ada', last_name: 'Lovelace', company: 'Analytical Engines' });
  await settled(a, 5);
  expect(rxA.events).toHaveLength(5);
  expect(rxB.requests).toHaveLength(0);
  expect(await b.deliveries()).toEqual([]);
  expect((await b.call('GET', APP)).body.endpoint.url).toBe(rxB.url);
  // A's deliveries are signed with A's secret only.
  const wrong = (() => { try { verifyWebhook(rxA.requests[0].body, rxA.requests[0].headers, secretB); } catch (err) { return err; } return null; })();
  expect(wrong?.code).toBe('bad_signature');

  await b.signals({ count: 1 });
  await settled(b, 1);
  expect(rxB.events).toHaveLength(1);
  expect(rxA.events).toHaveLength(5);
});

test('the endpoint and the added signals survive a restart with a dataFile; signing goes on with the same secret', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'signalkit-webhooks-'));
  const dataFile = path.join(dir, 'state.json');
  try {
    const key = puffleKey('wh-persist');
    const rx = await track(await receiver());
    let e = await start({ logger, dataFile, webhooks: { retryScale: 0.0001 } });
    let ctl = control(e, key);
    const { secret } = await ctl.register(rx.url);
    rx.use(secret);
    const [first] = (await ctl.signals({})).body.signals;
    await settled(ctl);
    await e.close();

    e = await start({ logger, dataFile, webhooks: { retryScale: 0.0001 } });
    try {
      ctl = control(e, key);
      expect((await ctl.call('GET', APP)).body.endpoint.url).toBe(rx.url);
      expect(await ctl.deliveries()).toEqual([]); // the log is the running emulator's
      const [second] = (await ctl.signals({})).body.signals;
      expect(second.id).not.toBe(first.id);
      await settled(ctl);
      expect(rx.events.map((ev) => ev.data.id)).toEqual([first.id, second.id]);
      const feed = (await client(e, key).get('/api/v1/signals', { query: { limit: '2' } })).body.signals;
      expect(feed.map((s) => s.id).sort()).toEqual([first.id, second.id].sort());
    } finally {
      await e.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('strictResponses holds events to the document\'s webhooks: one that breaks it is not sent, and is reported', async () => {
  const contract = await loadContract();
  const data = { id: 'a1', signal_type_label: 'Funding', headline: 'Acme raises', score: 86, source: 'podcasts', detected_at: '2026-01-15T11:59:30Z' };
  const event = (type, d) => ({ type, timestamp: '2026-01-15T12:00:00.000Z', data: d });
  expect(contract.checkEvent('puffle', event('signal.detected', data))).toEqual([]);
  expect(contract.checkEvent('puffle', { ...event('signal.detected', data), extra: true })).toEqual([]); // open, like responses
  const { headline: _, ...headless } = data;
  expect(contract.checkEvent('puffle', event('signal.detected', headless)).map((v) => v.message).join()).toMatch(/\/data must have required property 'headline'/);
  expect(contract.checkEvent('puffle', event('signal.detected', { ...data, score: 101 })).map((v) => v.field)).toEqual(['/data/score']);
  expect(contract.checkEvent('puffle', { ...event('signal.detected', data), timestamp: 'yesterday' }).map((v) => v.field)).toEqual(['/timestamp']);
  expect(contract.checkEvent('puffle', event('research.failed', { anything: [1] }))).toEqual([]);
  expect(contract.checkEvent('puffle', event('account.deleted', {}))[0].message).toBe('"account.deleted" is not a webhook event of the puffle document');

  const reports = [];
  const webhooks = new PuffleWebhooks({ log: () => {}, contract, onViolation: (r) => reports.push(r) });
  const rx = await track(await receiver());
  const tenant = { id: 'strict-events', webhookApp: false, webhookEndpoint: null };
  rx.use(webhooks.register(tenant, rx.url).secret);
  try {
    expect(webhooks.emit(tenant, 'signal.detected', headless)).toBeNull();
    expect(reports).toEqual([{ request: 'webhook signal.detected', status: null, violations: [expect.objectContaining({ field: '/data' })],
      message: expect.stringMatching(/^the emulator's signal.detected event violates schemas\/openapi\/puffle.json: /) }]);
    const sent = webhooks.emit(tenant, 'signal.detected', data);
    await eventually(() => rx.events.length === 1);
    expect(rx.events.map((e) => e.id)).toEqual([sent]);
    expect(webhooks.deliveries(tenant).map((d) => d.id)).toEqual([sent]);
  } finally {
    await webhooks.close();
  }
});

test('the webhooks option is checked', async () => {
  await expect(start({ webhooks: { retryScale: 2 } })).rejects.toThrow('webhooks.retryScale must be a number from 0 to 1');
  await expect(start({ webhooks: { retryScal: 0.1 } })).rejects.toThrow('startEmulator webhooks: unknown option "retryScal"; did you mean "retryScale"?');
  await expect(start({ webhooks: { timeoutMs: 0 } })).rejects.toThrow('webhooks.timeoutMs must be a positive integer');
  await expect(start({ webhooks: 'fast' })).rejects.toThrow('startEmulator webhooks: options must be an object; got a 4-character string.');
});

// Last: everything above ran against emulators logging into logLines.
test('no secret appears in the emulator\'s log, errors or control answers other than its registration', () => {
  expect(secrets.length).toBeGreaterThanOrEqual(8);
  const seen = [logLines.join('\n'), answers.join('\n'), inspect(emu, { depth: 10, showHidden: true }),
    JSON.stringify(emu.contractViolations)].join('\n');
  expect(logLines.some((l) => l.includes('attempt 1/8 answered 503'))).toBe(true); // the log did record deliveries
  expect(answers.length).toBeGreaterThan(30);
  for (const secret of secrets) {
    const b64 = secret.slice('whsec_'.length);
    for (const form of [secret, b64, Buffer.from(b64, 'base64').toString('hex')]) expect(seen).not.toContain(form);
  }
});
