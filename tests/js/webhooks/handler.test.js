// createWebhookHandler over real loopback servers, in both flavours: Node's http server
// calling handler(req, res), and a Fetch Request → handler.fetch → Response round trip.
// Deliveries are signed by the reference library and re-signed on every attempt, as Svix does.
import http from 'node:http';
import { inspect } from 'node:util';
import { createWebhookHandler, memoryDedupeStore } from '../../../js/webhooks/index.js';
import {
  deliver, envelope, everyRendering, listen, OTHER_SECRET, SECRET, secretForms, serveFetch, serveNode, SIGNAL, signed, thrown,
} from './helpers.js';

/** A receiver whose onEvent records what it was given; `behaviour` decides each call's outcome. */
function receiver(options = {}, behaviour = async () => {}) {
  const calls = [];
  const handled = [];
  const errors = [];
  const handler = createWebhookHandler({
    secret: SECRET,
    onError: (error, context) => errors.push({ error, context }),
    ...options,
    onEvent: async (event) => {
      calls.push(event);
      await behaviour(event, calls.length);
      handled.push(event);
    },
  });
  return { handler, calls, handled, errors };
}

/** Runs `attempt` until it answers 2xx, at most `max` times, like a sender retrying. */
async function untilAccepted(attempt, max = 5) {
  const statuses = [];
  for (let i = 0; i < max; i++) {
    const { status } = await attempt();
    statuses.push(status);
    if (status >= 200 && status < 300) break;
  }
  return statuses;
}

const flavours = [
  ['Node http (handler(req, res))', (handler) => serveNode(handler)],
  ['Fetch API (handler.fetch(request))', (handler) => serveFetch(handler.fetch)],
];

describe.each(flavours)('%s', (_, serve) => {
  let server;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const start = async (r) => {
    server = await serve(r.handler);
    return r;
  };

  test('a signed delivery runs onEvent with the typed event and answers 200', async () => {
    const r = await start(receiver());
    const res = await deliver(server.url, { id: 'msg_ok' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(r.handled).toEqual([{ id: 'msg_ok', type: 'signal.detected', timestamp: '2026-01-15T11:59:31.000Z', data: SIGNAL }]);
  });

  test('a replayed svix-id answers 200 duplicate and does not run onEvent again', async () => {
    const r = await start(receiver());
    expect((await deliver(server.url, { id: 'msg_replay' })).body).toEqual({ received: true });
    const again = await deliver(server.url, { id: 'msg_replay' });
    expect(again).toMatchObject({ status: 200, body: { received: true, duplicate: true } });
    // The exact same request bytes again (a replay within the tolerance) is deduplicated too.
    const d = signed({ id: 'msg_replay', atMs: Date.now() });
    const raw = await fetch(server.url, { method: 'POST', headers: d.headers, body: d.body });
    expect(await raw.json()).toEqual({ received: true, duplicate: true });
    expect(r.calls).toHaveLength(1);
  });

  test('a sender that gets 500 twice then 200 sees its handler complete once', async () => {
    const r = await start(receiver({}, async (event, n) => {
      if (n <= 2) throw new Error(`downstream unavailable (attempt ${n})`);
    }));
    const statuses = await untilAccepted(() => deliver(server.url, { id: 'msg_flaky' }));
    expect(statuses).toEqual([500, 500, 200]);
    expect(r.calls.map((e) => e.id)).toEqual(['msg_flaky', 'msg_flaky', 'msg_flaky']);
    expect(r.handled).toHaveLength(1);
    // Later retries (a lost 200) are acknowledged without running it again.
    expect((await deliver(server.url, { id: 'msg_flaky' })).body).toEqual({ received: true, duplicate: true });
    expect(r.calls).toHaveLength(3);
    expect(r.errors.map((e) => [e.context, e.error.message])).toEqual([
      [{ code: 'handler_failed', id: 'msg_flaky', type: 'signal.detected' }, 'downstream unavailable (attempt 1)'],
      [{ code: 'handler_failed', id: 'msg_flaky', type: 'signal.detected' }, 'downstream unavailable (attempt 2)'],
    ]);
  });

  test('the 500 tells the sender to retry without leaking the handler error', async () => {
    await start(receiver({}, async () => {
      throw new Error('db password is hunter2');
    }));
    const res = await deliver(server.url, { id: 'msg_fail' });
    expect(res).toMatchObject({
      status: 500,
      body: { error: { code: 'handler_failed', message: 'onEvent failed for delivery msg_fail; it will be retried.' } },
    });
  });

  test('concurrent deliveries of one id run onEvent once; the other is told to retry (409)', async () => {
    let open;
    const gate = new Promise((resolve) => { open = resolve; });
    let entered;
    const inHandler = new Promise((resolve) => { entered = resolve; });
    const r = await start(receiver({}, async () => {
      entered();
      await gate;
    }));
    const first = deliver(server.url, { id: 'msg_twice' });
    await inHandler;
    const second = await deliver(server.url, { id: 'msg_twice' });
    expect(second).toMatchObject({
      status: 409,
      body: { error: { code: 'in_progress', message: 'Delivery msg_twice is being handled by another request; retry later.' } },
    });
    open();
    expect((await first).body).toEqual({ received: true });
    expect((await deliver(server.url, { id: 'msg_twice' })).body).toEqual({ received: true, duplicate: true });
    expect(r.calls).toHaveLength(1);
  });

  test('many concurrent copies of one delivery: exactly one runs onEvent, the rest get 409', async () => {
    // onEvent holds until the seven other copies have been answered, so all eight overlap.
    let open;
    const gate = new Promise((resolve) => { open = resolve; });
    const r = await start(receiver({}, () => gate));
    let answered = 0;
    const answers = await Promise.all(Array.from({ length: 8 }, () => deliver(server.url, { id: 'msg_storm' }).then((a) => {
      answered += 1;
      if (answered === 7) open();
      return a;
    })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    expect(r.calls).toHaveLength(1);
  });

  test.each([
    ['a tampered body', { sentBody: envelope('signal.detected', { ...SIGNAL, score: 99 }) }, 401, 'bad_signature'],
    ['a forged signature', { headers: { 'svix-signature': 'v1,AAAA' } }, 401, 'bad_signature'],
    ['another secret', { secrets: [OTHER_SECRET] }, 401, 'bad_signature'],
    ['a missing svix-id', { headers: { 'svix-id': '' } }, 400, 'missing_header'],
    ['a stale timestamp', { headers: { 'svix-timestamp': String(Math.floor(Date.now() / 1000) - 3600) } }, 401, 'stale_timestamp'],
    ['a non-JSON body', { body: 'not json' }, 400, 'invalid_payload'],
  ])('%s is rejected (%i %s) and onEvent does not run', async (_, delivery, status, code) => {
    const r = await start(receiver());
    const res = await deliver(server.url, delivery);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(typeof res.body.error.message).toBe('string');
    expect(r.calls).toHaveLength(0);
    expect(r.errors).toHaveLength(0); // the sender's problem, not logged as ours
  });

  test('GET answers 405 with Allow: POST', async () => {
    await start(receiver());
    const res = await fetch(server.url);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.json()).toEqual({ error: { code: 'method_not_allowed', message: 'Webhook deliveries are POST requests; got GET.' } });
  });

  test('a body over maxBodyBytes answers 413 before verifying (declared and streamed)', async () => {
    const r = await start(receiver({ maxBodyBytes: 1024 }));
    const big = envelope('signal.detected', { ...SIGNAL, headline: 'x'.repeat(2000) });
    expect((await deliver(server.url, { body: big })).status).toBe(413);
    // Chunked, no Content-Length: the limit applies while reading.
    const d = signed({ body: big, atMs: Date.now() });
    const status = await new Promise((resolve, reject) => {
      const req = http.request(server.url, { method: 'POST', headers: d.headers }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', (err) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? resolve('closed') : reject(err)));
      for (let i = 0; i < big.length; i += 256) req.write(big.slice(i, i + 256));
      req.end();
    });
    expect([413, 'closed']).toContain(status); // closed: the reset can beat the answer to a client still writing
    expect(r.calls).toHaveLength(0);
    // A delivery within the limit still works afterwards.
    expect((await deliver(server.url)).status).toBe(200);
  });
});

describe('Node flavour: bodies a framework already read', () => {
  let server;
  afterEach(() => server?.close());

  /** A server whose "middleware" runs before the handler, as Express's body parsers do. */
  const withMiddleware = async (middleware, r) => {
    server = await listen(async (req, res) => {
      await middleware(req);
      await r.handler(req, res);
    });
    return r;
  };
  const readAll = async (req) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    return Buffer.concat(chunks);
  };

  test.each([
    ['a Buffer (express.raw)', (b) => b],
    ['a string (express.text)', (b) => b.toString('utf8')],
  ])('req.body as %s is used as the raw body', async (_, shape) => {
    const r = await withMiddleware(async (req) => { req.body = shape(await readAll(req)); }, receiver());
    expect((await deliver(server.url, { id: 'msg_raw' })).body).toEqual({ received: true });
    expect(r.handled.map((e) => e.id)).toEqual(['msg_raw']);
  });

  test('a parsed req.body (express.json) answers 500 raw_body_required and tells onError how to fix it', async () => {
    const r = await withMiddleware(async (req) => { req.body = JSON.parse(await readAll(req)); }, receiver());
    const res = await deliver(server.url);
    expect(res.status).toBe(500);
    const message = "req.body is an object (Object): a body parser has already parsed it. Signatures cover the exact bytes, so the " +
      'handler needs the raw body: mount it before any JSON body parser, or give it the raw bytes ' +
      "(Express: express.raw({ type: 'application/json' })).";
    expect(res.body).toEqual({ error: { code: 'raw_body_required', message } });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].error).toBeInstanceOf(TypeError);
    expect(r.errors[0].error.message).toBe(message);
    expect(r.errors[0].context).toEqual({ code: 'raw_body_required', id: undefined, type: undefined });
    expect(r.calls).toHaveLength(0);
  });

  test('a body consumed without keeping it answers 500 raw_body_required (no hang)', async () => {
    const r = await withMiddleware(async (req) => { await readAll(req); }, receiver());
    const res = await deliver(server.url);
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('raw_body_required');
    expect(res.body.error.message).toMatch(/^The request body was already read/);
    expect(r.calls).toHaveLength(0);
  });

  test('a sender that hangs up mid-body gets no handler run and the server keeps serving', async () => {
    const r = receiver();
    server = await serveNode(r.handler);
    const d = signed({ atMs: Date.now() });
    await new Promise((resolve) => {
      const req = http.request(server.url, { method: 'POST', headers: { ...d.headers, 'content-length': String(d.body.length + 100) } });
      req.on('error', () => resolve());
      req.write(d.body.slice(0, 20), () => setTimeout(() => { req.destroy(); resolve(); }, 20));
    });
    expect((await deliver(server.url, { id: 'msg_after' })).status).toBe(200);
    expect(r.calls.map((e) => e.id)).toEqual(['msg_after']);
  });
});

describe('Fetch flavour', () => {
  test('a Request whose body was already read answers 500 raw_body_required', async () => {
    const r = receiver();
    const d = signed({ atMs: Date.now() });
    const request = new Request('http://receiver.test/webhooks', { method: 'POST', headers: d.headers, body: d.body });
    await request.text();
    const res = await r.handler.fetch(request);
    expect(res.status).toBe(500);
    expect((await res.json()).error).toMatchObject({ code: 'raw_body_required', message: expect.stringMatching(/^The Request body was already read\./) });
  });

  test('handler.fetch needs no `this` (export default { fetch: handler.fetch })', async () => {
    const r = receiver();
    const { fetch: detached } = r.handler;
    const d = signed({ atMs: Date.now() });
    const res = await detached.call(undefined, new Request('http://receiver.test/', { method: 'POST', headers: d.headers, body: d.body }));
    expect(res.status).toBe(200);
  });
});

describe('dedupe store', () => {
  /** An async store over a Map, as a Redis store would behave, recording each call. */
  function recordingStore({ failOn } = {}) {
    const state = new Map();
    const calls = [];
    const tick = () => new Promise((resolve) => { setImmediate(resolve); });
    return {
      calls,
      async claim(id, leaseMs) {
        calls.push(['claim', id, leaseMs]);
        await tick();
        if (failOn === 'claim') throw new Error('store offline');
        if (failOn === 'claim-garbage') return 'yes';
        if (state.has(id)) return state.get(id);
        state.set(id, 'processing');
        return 'claimed';
      },
      async complete(id, windowMs) {
        calls.push(['complete', id, windowMs]);
        await tick();
        if (failOn === 'complete') throw new Error('store offline');
        state.set(id, 'handled');
      },
      async release(id) {
        calls.push(['release', id]);
        await tick();
        state.delete(id);
      },
    };
  }
  const post = (handler, id) => {
    const d = signed({ id, atMs: Date.now() });
    return handler.fetch(new Request('http://receiver.test/', { method: 'POST', headers: d.headers, body: d.body }));
  };

  test('claim, then complete on success with the window; release on failure', async () => {
    const store = recordingStore();
    const r = receiver({ dedupe: { store, windowMs: 1234, leaseMs: 567 } }, async (e, n) => {
      if (n === 1) throw new Error('first attempt fails');
    });
    expect((await post(r.handler, 'msg_s')).status).toBe(500);
    expect((await post(r.handler, 'msg_s')).status).toBe(200);
    expect((await post(r.handler, 'msg_s')).status).toBe(200);
    expect(store.calls).toEqual([
      ['claim', 'msg_s', 567], ['release', 'msg_s'],
      ['claim', 'msg_s', 567], ['complete', 'msg_s', 1234],
      ['claim', 'msg_s', 567],
    ]);
    expect(r.calls).toHaveLength(2);
  });

  test.each([
    ['claim throws', 'claim', 'store offline'],
    ['claim answers something else', 'claim-garbage', 'dedupe store claim() returned "yes"; expected one of claimed, processing, handled.'],
  ])('%s → 500 dedupe_unavailable, onEvent not run, onError told', async (_, failOn, message) => {
    const r = receiver({ dedupe: { store: recordingStore({ failOn }) } });
    const res = await post(r.handler, 'msg_d');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      error: { code: 'dedupe_unavailable', message: 'Delivery msg_d is verified, but the dedupe store failed; it will be retried.' },
    });
    expect(r.calls).toHaveLength(0);
    expect(r.errors.map((e) => [e.context.code, e.error.message])).toEqual([['dedupe_unavailable', message]]);
  });

  test('complete failing after onEvent succeeded still answers 200 (no second run), and is reported', async () => {
    const r = receiver({ dedupe: { store: recordingStore({ failOn: 'complete' }) } });
    expect((await post(r.handler, 'msg_c')).status).toBe(200);
    expect(r.errors.map((e) => e.context)).toEqual([{ code: 'dedupe_unavailable', id: 'msg_c', type: 'signal.detected' }]);
  });

  test('a store shared by two handlers (two processes behind one store) runs a delivery once', async () => {
    const store = memoryDedupeStore();
    const a = receiver({ dedupe: { store } });
    const b = receiver({ dedupe: { store } });
    expect((await post(a.handler, 'msg_shared')).status).toBe(200);
    expect(await (await post(b.handler, 'msg_shared')).json()).toEqual({ received: true, duplicate: true });
    expect(a.calls.length + b.calls.length).toBe(1);
  });
});

describe('memoryDedupeStore', () => {
  const clocked = (options = {}) => {
    const clock = { t: 1_000_000 };
    return { clock, store: memoryDedupeStore({ now: () => clock.t, ...options }) };
  };

  test('handled ids are remembered for the window, then forgotten', async () => {
    const { clock, store } = clocked();
    expect(await store.claim('a', 100)).toBe('claimed');
    await store.complete('a', 5000);
    clock.t += 4999;
    expect(await store.claim('a', 100)).toBe('handled');
    clock.t += 1;
    expect(await store.claim('a', 100)).toBe('claimed');
  });

  test('a claim is processing for its lease, then lapses (a handler that died)', async () => {
    const { clock, store } = clocked();
    expect(await store.claim('a', 100)).toBe('claimed');
    clock.t += 99;
    expect(await store.claim('a', 100)).toBe('processing');
    clock.t += 1;
    expect(await store.claim('a', 100)).toBe('claimed');
    await store.release('a');
    expect(await store.claim('a', 100)).toBe('claimed');
  });

  test('bounded: at most maxEntries ids; the oldest handled ids are forgotten first', async () => {
    const { store } = clocked({ maxEntries: 3 });
    for (const id of ['a', 'b', 'c']) {
      await store.claim(id, 100);
      await store.complete(id, 1e9);
    }
    expect(store.size).toBe(3);
    expect(await store.claim('d', 100)).toBe('claimed');
    expect(store.size).toBe(3);
    expect(await store.claim('b', 100)).toBe('handled');
    expect(await store.claim('c', 100)).toBe('handled');
    expect(await store.claim('a', 100)).toBe('claimed'); // forgotten: the oldest
  });

  test('full of live claims: claim refuses (the receiver answers 500 and the sender retries)', async () => {
    const { clock, store } = clocked({ maxEntries: 2 });
    await store.claim('a', 100);
    await store.claim('b', 100);
    await expect(store.claim('c', 100)).rejects.toThrow(
      'memoryDedupeStore: all 2 entries are deliveries still being handled; refusing another until one finishes.');
    clock.t += 100;
    expect(await store.claim('c', 100)).toBe('claimed');
  });

  test('size stays within maxEntries over 20,000 operations', async () => {
    const { clock, store } = clocked({ maxEntries: 500 });
    let max = 0;
    for (let i = 0; i < 20_000; i++) {
      clock.t += 1;
      const id = `msg_${(i * 7919) % 3000}`;
      const state = await store.claim(id, 50).catch(() => 'full');
      if (state === 'claimed') await (i % 3 ? store.complete(id, 10_000) : store.release(id));
      max = Math.max(max, store.size);
    }
    expect(max).toBeLessThanOrEqual(500);
    expect(max).toBeGreaterThan(400); // the bound was actually reached
  });

  test('options are checked', () => {
    expect(() => memoryDedupeStore({ maxEntries: 0 })).toThrow('memoryDedupeStore: maxEntries must be a positive integer; got 0.');
    expect(() => memoryDedupeStore({ maxEntry: 5 })).toThrow('memoryDedupeStore: unknown option "maxEntry"; did you mean "maxEntries"?');
  });
});

describe('createWebhookHandler options', () => {
  const onEvent = () => {};
  test.each([
    [undefined, TypeError, 'createWebhookHandler: options { secret, onEvent } are required.'],
    [{ onEvent }, 'bad_secret', /^The webhook secret must be the endpoint's signing secret/],
    [{ secret: 'whsec_', onEvent }, 'bad_secret', 'The webhook secret is empty after whsec_.'],
    [{ secret: 'pk_live_abcdefabcdefabcdef', onEvent }, 'bad_secret', /^The webhook secret must start with whsec_/],
    [{ secret: SECRET }, TypeError, 'createWebhookHandler: onEvent must be a function (event) => void | Promise<void>; got undefined.'],
    [{ secret: SECRET, onEvent, onEvnt: onEvent }, TypeError, /unknown option "onEvnt"; did you mean "onEvent"\?/],
    [{ secret: SECRET, onEvent, tolerance: 5 }, TypeError, /unknown option "tolerance"; did you mean "toleranceSec"\?/],
    [{ secret: SECRET, onEvent, dedupe: false }, TypeError, /dedupe cannot be turned off/],
    [{ secret: SECRET, onEvent, dedupe: { window: 5 } }, TypeError, /dedupe: unknown option "window"; did you mean "windowMs"\?/],
    [{ secret: SECRET, onEvent, dedupe: { leaseMs: 0 } }, TypeError, 'createWebhookHandler: dedupe.leaseMs must be a positive integer of milliseconds; got 0.'],
    [{ secret: SECRET, onEvent, dedupe: { store: { claim() {} } } }, TypeError,
      'createWebhookHandler: dedupe.store must have async claim, complete, release methods; complete, release are missing.'],
    [{ secret: SECRET, onEvent, maxBodyBytes: 1.5 }, TypeError, 'createWebhookHandler: maxBodyBytes must be a positive integer; got 1.5.'],
    [{ secret: SECRET, onEvent, toleranceSec: -1 }, TypeError, /toleranceSec must be a finite number/],
  ])('%p is refused at creation', (options, kind, message) => {
    const err = thrown(() => createWebhookHandler(options));
    if (kind === TypeError) expect(err).toBeInstanceOf(TypeError);
    else expect(err.code).toBe(kind);
    if (typeof message === 'string') expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
  });
});

describe('the secret never shows', () => {
  test('in the handler, its store, errors, answers or the default log', async () => {
    const logged = [];
    const original = console.error;
    console.error = (...args) => logged.push(args.map((a) => inspect(a, { depth: 10, showHidden: true })).join(' '));
    const seen = [];
    try {
      const store = memoryDedupeStore();
      const handler = createWebhookHandler({
        secret: SECRET, dedupe: { store }, onEvent: (e) => { if (e.id === 'msg_boom') throw new Error('boom'); },
      });
      seen.push(inspect(handler, { depth: 10, showHidden: true }), JSON.stringify(handler) ?? '', inspect(store, { showHidden: true }));
      const send = async (delivery) => {
        const res = await handler.fetch(new Request('http://receiver.test/', { method: 'POST', headers: delivery.headers, body: delivery.body }));
        seen.push(await res.text());
      };
      await send(signed({ id: 'msg_ok', atMs: Date.now() }));
      await send(signed({ id: 'msg_boom', atMs: Date.now() }));
      await send({ ...signed({ atMs: Date.now() }), body: '{"tampered":true}' });
      await send(signed({ atMs: 0 }));
      for (const bad of ['whsec_!!', `${SECRET} `, SECRET.toUpperCase()]) {
        try {
          createWebhookHandler({ secret: bad, onEvent: () => {} });
        } catch (err) {
          seen.push(await everyRendering(err));
        }
      }
      seen.push(await everyRendering(thrown(() => createWebhookHandler({ secret: SECRET, onEvent: () => {}, bogus: SECRET.length }))));
    } finally {
      console.error = original;
    }
    expect(logged.join('\n')).toContain('signalkit/webhooks: handler_failed for delivery msg_boom (signal.detected):');
    const all = [...seen, ...logged].join('\n');
    for (const form of secretForms(SECRET)) expect(all).not.toContain(form);
    expect(all).toContain('bad_signature');
  });
});
