// Keys and per-key rate limits.
import { client, newType, puffleKey, PUFFLE_TYPES, saberKey, start, startEmulator, TEMPLATES } from './helpers.js';
import { PUFFLE } from '../../../js/vendors/puffle.js';

describe('keys', () => {
  let emu;
  beforeAll(async () => { emu = await start(); });
  afterAll(() => emu.close());

  test('missing, malformed and wrong-provider keys are 401 in each provider\'s shape', async () => {
    const cases = [
      [undefined, PUFFLE_TYPES], ['pk_live_123', PUFFLE_TYPES], [`pk_live_${'g'.repeat(64)}`, PUFFLE_TYPES],
      [saberKey('s'), PUFFLE_TYPES], [puffleKey('p'), TEMPLATES], ['sk_live_', TEMPLATES], ['sk_live_has space', TEMPLATES], [undefined, TEMPLATES],
    ];
    for (const [key, path] of cases) {
      const res = await client(emu, key).get(path);
      expect([key, path, res.status]).toEqual([key, path, 401]);
      if (path === TEMPLATES) {
        expect(res.body.error).toMatchObject({ type: 'AUTHENTICATION', code: 'UNAUTHORIZED' });
      } else {
        expect(res.body.error.code).toBe('unauthorized');
      }
      // The key never comes back in an error.
      if (key?.length > 8) expect(res.text).not.toContain(key.slice(8));
    }
    const basic = await client(emu).get(PUFFLE_TYPES, { headers: { authorization: `Basic ${puffleKey('p')}` } });
    expect(basic.status).toBe(401);
  });

  test('by default any well-formed key works and is its own tenant', async () => {
    expect((await client(emu, puffleKey('any-1')).get(PUFFLE_TYPES)).status).toBe(200);
    expect((await client(emu, `pk_live_${'AB'.repeat(32)}`).get(PUFFLE_TYPES)).status).toBe(200);
    expect((await client(emu, saberKey('any-2')).get(TEMPLATES)).status).toBe(200);
    expect((await client(emu, emu.devKeys.puffle).get(PUFFLE_TYPES)).status).toBe(200);
    expect((await client(emu, emu.devKeys.saber).get(TEMPLATES)).status).toBe(200);
  });

  test('the keys option restricts access to the listed keys', async () => {
    const allowed = [puffleKey('allowed'), saberKey('allowed')];
    const e = await start({ keys: allowed });
    try {
      expect((await client(e, allowed[0]).get(PUFFLE_TYPES)).status).toBe(200);
      expect((await client(e, allowed[1]).get(TEMPLATES)).status).toBe(200);
      expect((await client(e, puffleKey('stranger')).get(PUFFLE_TYPES)).status).toBe(401);
      expect((await client(e, saberKey('stranger')).get(TEMPLATES)).status).toBe(401);
    } finally {
      await e.close();
    }
    await expect(startEmulator({ keys: ['nope'] })).rejects.toThrow(/keys\[0\]/);
  });

  test('maxTenants bounds how many keys get a tenant (403 beyond, known keys keep working)', async () => {
    const e = await start({ maxTenants: 2 });
    try {
      expect((await client(e, puffleKey('t1')).get(PUFFLE_TYPES)).status).toBe(200);
      expect((await client(e, puffleKey('t2')).get(PUFFLE_TYPES)).status).toBe(200);
      const third = await client(e, puffleKey('t3')).get(PUFFLE_TYPES);
      expect(third.status).toBe(403);
      expect(third.body.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/maxTenants/) });
      expect((await client(e, puffleKey('t1')).get(PUFFLE_TYPES)).status).toBe(200);
      // Saber counts its own tenants, and answers in its envelope.
      expect((await client(e, saberKey('t1')).get(TEMPLATES)).status).toBe(200);
      expect((await client(e, saberKey('t2')).get(TEMPLATES)).status).toBe(200);
      const saberThird = await client(e, saberKey('t3')).get(TEMPLATES);
      expect(saberThird.status).toBe(403);
      expect(saberThird.body.error).toMatchObject({ type: 'PERMISSION', code: 'FORBIDDEN', errorCode: 'TENANT_LIMIT' });
    } finally {
      await e.close();
    }
    await expect(startEmulator({ maxTenants: 0 })).rejects.toThrow(/maxTenants/);
  });

  test('logs never carry a full key: Puffle 24 characters at most, Saber nothing', async () => {
    const lines = [];
    const e = await start({ logger: (level, msg) => lines.push(msg) });
    try {
      const pk = puffleKey('logged');
      const sk = saberKey('logged');
      await client(e, pk).get(PUFFLE_TYPES);
      await client(e, sk).get(TEMPLATES);
      await client(e, pk).get('/api/v1/signals/types/not-a-uuid');
    } finally {
      await e.close();
    }
    const text = lines.join('\n');
    expect(text).toContain(puffleKey('logged').slice(0, 24));
    expect(text).not.toContain(puffleKey('logged').slice(0, 25));
    expect(text).not.toContain(saberKey('logged').slice(8, 14));
    expect(text).toContain('sk_live_***');
  });
});

describe('rate limits', () => {
  test('Puffle: limit per key, then 429 with Retry-After in seconds; other keys unaffected', async () => {
    const e = await start({ rateLimits: { puffle: { limit: 5, windowMs: 60_000 } } });
    try {
      const c = client(e, puffleKey('limited'));
      for (let i = 0; i < 5; i++) expect((await c.get(PUFFLE_TYPES)).status).toBe(200);
      const res = await c.post(PUFFLE_TYPES, newType('Refused'));
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('rate_limited');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number.isInteger(Number(res.headers.get('retry-after')))).toBe(true);
      // The refused create changed nothing.
      expect((await client(e, puffleKey('limited')).get(PUFFLE_TYPES)).status).toBe(429);
      expect((await client(e, puffleKey('neighbour')).get(PUFFLE_TYPES)).status).toBe(200);
    } finally {
      await e.close();
    }
  });

  test('Puffle: the bucket refills over time', async () => {
    const e = await start({ rateLimits: { puffle: { limit: 2, windowMs: 2000 } } });
    try {
      const c = client(e, puffleKey('refill'));
      expect((await c.get(PUFFLE_TYPES)).status).toBe(200);
      expect((await c.get(PUFFLE_TYPES)).status).toBe(200);
      expect((await c.get(PUFFLE_TYPES)).status).toBe(429);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await c.get(PUFFLE_TYPES)).status).toBe(200);
    } finally {
      await e.close();
    }
  });

  test('Saber: X-Ratelimit headers on every response; writes and reads have separate buckets', async () => {
    const e = await start({ rateLimits: { saberWrite: { limit: 60, burst: 3, windowMs: 3_600_000 }, saberRead: { limit: 600, burst: 4, windowMs: 3_600_000 } } });
    try {
      const c = client(e, saberKey('buckets'));
      const first = await c.post(TEMPLATES, { name: 'a', question: 'b' });
      expect(first.status).toBe(201);
      expect(first.headers.get('x-ratelimit-limit')).toBe('60');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('2');
      // Unix seconds when the bucket is full again: one token at 60 per hour is 60 s after
      // the response's own Date (which has whole seconds; the request took well under one).
      const reset = Number(first.headers.get('x-ratelimit-reset'));
      const sentAt = Date.parse(first.headers.get('date')) / 1000;
      expect(reset - sentAt).toBeGreaterThanOrEqual(59);
      expect(reset - sentAt).toBeLessThanOrEqual(62);
      expect((await c.post(TEMPLATES, { name: 'a', question: 'b' })).headers.get('x-ratelimit-remaining')).toBe('1');
      expect((await c.post(TEMPLATES, { name: 'a', question: 'b' })).status).toBe(201);
      const limited = await c.post(TEMPLATES, { name: 'a', question: 'b' });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      // Reads still go through their own bucket, with their own limit.
      const read = await c.get(TEMPLATES);
      expect(read.status).toBe(200);
      expect(read.headers.get('x-ratelimit-limit')).toBe('600');
      expect(read.body.total).toBe(3);
      // Errors carry the headers too.
      expect((await c.get(`${TEMPLATES}/nope`)).headers.get('x-ratelimit-limit')).toBe('600');
    } finally {
      await e.close();
    }
  });

  test('Saber: both documented 429 shapes, alternating per key by default', async () => {
    const e = await start({ rateLimits: { saberRead: { limit: 60, burst: 1, windowMs: 3_600_000 } } });
    try {
      const c = client(e, saberKey('shapes'));
      expect((await c.get(TEMPLATES)).status).toBe(200);
      const a = await c.get(TEMPLATES);
      const b = await c.get(TEMPLATES);
      const d = await c.get(TEMPLATES);
      expect([a.status, b.status, d.status]).toEqual([429, 429, 429]);
      expect(a.body.error).toMatchObject({ type: 'TIMEOUT', code: 'TOO_MANY_REQUESTS' });
      expect(a.body.error.requestId).toBe(a.headers.get('x-request-id'));
      expect(b.body).toEqual({ statusCode: 429, message: expect.any(String), error: 'Too Many Requests', retryAfter: expect.any(Number) });
      expect(b.body.retryAfter).toBeGreaterThanOrEqual(1);
      expect(d.body.error.code).toBe('TOO_MANY_REQUESTS');
      for (const r of [a, b, d]) expect(r.headers.get('x-ratelimit-remaining')).toBe('0');
    } finally {
      await e.close();
    }
  });

  test('Saber: the 429 shape can be fixed by option', async () => {
    const e = await start({ rateLimits: { saberRead: { limit: 60, burst: 1, windowMs: 3_600_000 }, saber429Shape: 'plain' } });
    try {
      const c = client(e, saberKey('plain'));
      await c.get(TEMPLATES);
      expect((await c.get(TEMPLATES)).body.error).toBe('Too Many Requests');
      expect((await c.get(TEMPLATES)).body.error).toBe('Too Many Requests');
    } finally {
      await e.close();
    }
  });

  test('documented defaults: 100/min for Puffle (js/vendors/puffle.js)', async () => {
    const e = await start({ rateLimits: {} });
    try {
      const c = client(e, puffleKey('defaults'));
      let ok = 0;
      let res;
      do {
        res = await c.get('/api/context');
        if (res.status === 200) ok += 1;
      } while (res.status === 200 && ok < 300);
      expect(res.status).toBe(429);
      // A full bucket of 100 (plus whatever refilled while the loop ran), then one token
      // every 0.6 s: the wait is at most a second.
      const { limit, windowMs } = PUFFLE.rateLimit;
      expect(ok).toBeGreaterThanOrEqual(limit);
      expect(res.body.error.message).toBe(`rate limit of ${limit} requests per ${windowMs / 1000} s exceeded; retry after 1 s`);
      expect(res.headers.get('retry-after')).toBe('1');
    } finally {
      await e.close();
    }
  });

  test('bad rateLimits options are refused at start', async () => {
    await expect(startEmulator({ rateLimits: { puffle: { limit: 0 } } })).rejects.toThrow(/puffle\.limit/);
    await expect(startEmulator({ rateLimits: { saber429Shape: 'both' } })).rejects.toThrow(/saber429Shape/);
  });
});
