// The emulator under abuse (issue 12), on loopback, bounded in time and count: floods of
// silent, slow and idle connections, malformed requests, oversized headers, other tenants'
// data, and quotas run to their end. Nothing is lost, nothing blocks the server, and no
// tenant's data changes through another's requests. (Bodies, slow bodies and broken JSON:
// hostile.test.js; crashes and the data file: persistence.test.js.)
import fs from 'node:fs';
import net from 'node:net';
import { client, newType, puffleKey, PUFFLE_TYPES, rawExchange, saberKey, start, TEMPLATES, workspace } from './helpers.js';
import { exited, spawnLimitedEmulator } from './spawn.js';
import { jest } from '@jest/globals';

// Waits below are for events (a server closing a socket), bounded generously for a loaded machine.
jest.setTimeout(60_000);

const portOf = (emu) => Number(new URL(emu.url).port);

/** Opens a socket from `localAddress` that sends nothing; resolves it once connected. */
function silentSocket(port, localAddress = '127.0.0.1') {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress });
    s.closedByServer = false;
    s.on('error', () => {});
    s.on('close', () => { s.closedByServer = true; });
    s.on('connect', () => resolve(s));
    s.on('close', () => resolve(s));
  });
}

// `ms` is how long to wait for an event before calling it missing (timers here are 300 ms;
// a loaded 2-core machine can delay them by seconds), never a measured duration.
const until = async (fn, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
};

describe('connections that hold a socket without using it', () => {
  test('1,100 silent sockets against an emulator that may open 1,024 files: the health check and the API still answer', async () => {
    const emu = await spawnLimitedEmulator({ rateLimits: false }, 1024);
    const sockets = [];
    try {
      const limits = fs.readFileSync(`/proc/${emu.pid}/limits`, 'utf8');
      expect(limits).toMatch(/Max open files\s+1024\s+1024/); // the limit the flood is meant to exhaust
      const port = Number(new URL(emu.url).port);
      // From five loopback addresses (220 each): the total cap, not the per-client one, acts.
      for (let i = 0; i < 1100; i += 50) {
        sockets.push(...await Promise.all(Array.from({ length: 50 }, (_, k) => silentSocket(port, `127.0.0.${1 + ((i + k) % 5)}`))));
      }
      expect(sockets).toHaveLength(1100);
      const health = await fetch(`${emu.url}/__emulator/health`, { signal: AbortSignal.timeout(5000) });
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true });
      const api = await fetch(`${emu.url}${PUFFLE_TYPES}`, { headers: { authorization: `Bearer ${puffleKey('flood')}` }, signal: AbortSignal.timeout(5000) });
      expect(api.status).toBe(200);
      // The emulator closed the oldest idle sockets to stay within its 512 connections.
      expect(await until(() => sockets.filter((s) => s.closedByServer).length >= 1100 - 512)).toBe(true);
    } finally {
      for (const s of sockets) s.destroy();
      emu.child.kill('SIGKILL');
      await exited(emu.child);
    }
  }, 60_000);

  test('a socket that sends nothing is closed after headersMs; one that sent half a request is answered 408', async () => {
    const emu = await start({ timeouts: { headersMs: 300 } });
    try {
      const silent = await silentSocket(portOf(emu));
      // If this ever fails, the message says what the socket looked like (it failed twice in
      // full runs on a loaded machine and never alone; the cause is not known yet).
      const closed = await until(() => silent.closedByServer);
      const state = { readyState: silent.readyState, destroyed: silent.destroyed, bytesRead: silent.bytesRead,
        local: `${silent.localAddress}:${silent.localPort}`, remote: `${silent.remoteAddress}:${silent.remotePort}`, server: emu.url };
      expect({ closed, ...(closed ? {} : state) }).toEqual({ closed: true });
      const half = await rawExchange(emu, [`GET ${PUFFLE_TYPES} HTTP/1.1\r\nHost: x\r\n`], { waitMs: 20_000 });
      expect(half.closed).toBe(true);
      expect(half.data).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      await emu.close();
    }
  });

  test('an idle keep-alive connection is closed after idleMs', async () => {
    const emu = await start({ timeouts: { idleMs: 300 } });
    try {
      const socket = net.connect(portOf(emu), '127.0.0.1');
      let data = '';
      let closed = false;
      socket.on('data', (d) => { data += d; });
      socket.on('close', () => { closed = true; });
      socket.write('GET /__emulator/health HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(await until(() => data.includes('{"ok":true}'))).toBe(true);
      expect(data).toMatch(/^connection: keep-alive\r$/im); // kept alive for the next request...
      expect(await until(() => closed)).toBe(true); // ...for idleMs
    } finally {
      await emu.close();
    }
  });

  test('past the per-client cap the oldest idle connection goes; when all are busy, 503 with Retry-After', async () => {
    const emu = await start({ maxConnections: 50, maxConnectionsPerClient: 4, timeouts: { bodyMs: 5000 } });
    try {
      const port = portOf(emu);
      const idle = [];
      for (let i = 0; i < 4; i++) idle.push(await silentSocket(port, '127.0.0.2'));
      const fifth = await silentSocket(port, '127.0.0.2');
      expect(await until(() => idle[0].closedByServer)).toBe(true);
      expect(idle.slice(1).some((s) => s.closedByServer) || fifth.closedByServer).toBe(false);
      // Another address is not affected.
      expect((await fetch(`${emu.url}/__emulator/health`)).status).toBe(200);
      // Four requests in flight (bodies announced, not sent): nothing to close for a fifth.
      const busy = [];
      for (let i = 0; i < 4; i++) {
        const s = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.3' });
        s.on('error', () => {});
        s.write(`POST ${PUFFLE_TYPES} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${puffleKey('busy')}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`);
        busy.push(s);
      }
      await new Promise((r) => setTimeout(r, 200));
      const refused = await new Promise((resolve) => {
        const s = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.3' });
        let data = '';
        s.on('data', (d) => { data += d; });
        s.on('error', () => {});
        s.on('close', () => resolve(data));
        s.write('GET /__emulator/health HTTP/1.1\r\nHost: x\r\n\r\n');
      });
      expect(refused).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
      expect(refused).toMatch(/\r\nRetry-After: 1\r\n/);
      expect(refused).toMatch(/"message":"the emulator is at its connection limit; retry soon"/);
      for (const s of [...idle, fifth, ...busy]) s.destroy();
    } finally {
      await emu.close();
    }
  });
});

describe('malformed and oversized requests', () => {
  let emu;
  beforeAll(async () => { emu = await start({ timeouts: { headersMs: 1000 } }); });
  afterAll(() => emu.close());
  const auth = () => `Authorization: Bearer ${puffleKey('malformed')}\r\n`;

  test('request targets: //x/… is the path //x/…, never a host; absolute-form is read as its path', async () => {
    const c = client(emu, puffleKey('malformed'));
    for (const target of [`//evil${PUFFLE_TYPES}`, `/${PUFFLE_TYPES}`, `//api/v1${TEMPLATES.slice(3)}`]) {
      const raw = await rawExchange(emu, [`GET ${target} HTTP/1.1\r\nHost: x\r\n${auth()}Connection: close\r\n\r\n`]);
      expect([target, raw.data.slice(0, 22)]).toEqual([target, 'HTTP/1.1 404 Not Found']);
      expect(raw.data).toContain(`"no route for GET ${target}"`);
    }
    const absolute = await rawExchange(emu, [`GET http://emulator.example${PUFFLE_TYPES} HTTP/1.1\r\nHost: x\r\n${auth()}Connection: close\r\n\r\n`]);
    expect(absolute.data).toMatch(/^HTTP\/1\.1 200 /);
    expect((await c.get(PUFFLE_TYPES)).status).toBe(200);
  });

  test.each([
    ['a request line that is not HTTP', 400, 'HELLO\r\n\r\n'],
    ['both Content-Length and Transfer-Encoding (request smuggling)', 400, `POST ${PUFFLE_TYPES} HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`],
    ['a chunk size that is not hex', 400, `POST ${PUFFLE_TYPES} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${puffleKey('malformed')}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`],
    ['two Content-Length values', 400, `POST ${PUFFLE_TYPES} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`],
    ['a control character in a header', 400, `GET ${PUFFLE_TYPES} HTTP/1.1\r\nHost: x\r\nX-Odd: a\u0001b\r\n\r\n`],
    ['an HTTP/2 preface on an HTTP/1.1 port', 400, 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
    ['32 KiB of headers', 431, `GET ${PUFFLE_TYPES} HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(32 * 1024)}\r\n\r\n`],
  ])('%s: answered %i and closed', async (_, status, request) => {
    const raw = await rawExchange(emu, [request], { waitMs: 3000 });
    expect(raw.data.slice(0, 12)).toBe(`HTTP/1.1 ${status}`);
    expect(raw.closed).toBe(true);
  });

  test('after all of the above the server answers and its data is intact', async () => {
    const c = client(emu, puffleKey('malformed'));
    expect((await c.post(PUFFLE_TYPES, newType('Still here'))).status).toBe(201);
    expect((await c.get(PUFFLE_TYPES)).body.signal_types.map((t) => t.label)).toContain('Still here');
  });
});

describe('tenants', () => {
  let emu;
  beforeAll(async () => { emu = await start(); });
  afterAll(() => emu.close());

  test('a Puffle key in upper-case hex is the same key, and the same tenant', async () => {
    const key = puffleKey('case');
    const upper = `pk_live_${key.slice(8).toUpperCase()}`;
    const created = await client(emu, upper).post(PUFFLE_TYPES, newType('Shared'));
    expect(created.status).toBe(201);
    const seen = (await client(emu, key).get(`${PUFFLE_TYPES}/${created.body.id}`));
    expect(seen.status).toBe(200);
    expect((await client(emu, key).post(PUFFLE_TYPES, newType('Shared'))).status).toBe(409);
  });

  test('a Saber key is case-sensitive: another case is another key', async () => {
    const key = saberKey('case');
    const flipped = `sk_live_${[...key.slice(8)].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('')}`;
    expect(flipped).not.toBe(key);
    const created = await client(emu, key).post(TEMPLATES, { name: 'Mine', question: 'q?' });
    expect((await client(emu, flipped).get(`${TEMPLATES}/${created.body.id}`)).status).toBe(404);
  });

  test('the scheme is read in any case (RFC 9110), as documented: bearer and BEARER work', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const res = await fetch(`${emu.url}${PUFFLE_TYPES}`, { headers: { authorization: `${scheme} ${puffleKey('scheme')}` } });
      expect([scheme, res.status]).toEqual([scheme, 200]);
    }
    expect((await fetch(`${emu.url}${PUFFLE_TYPES}`, { headers: { authorization: `Basic ${puffleKey('scheme')}` } })).status).toBe(401);
  });

  test("another tenant's ids are unknown (404) for every route, and nothing of theirs changes", async () => {
    const owner = client(emu, puffleKey('owner'));
    const intruder = client(emu, puffleKey('intruder'));
    const type = (await owner.post(PUFFLE_TYPES, newType('Private'))).body;
    const before = (await owner.get(PUFFLE_TYPES)).body;
    for (const [method, path, body] of [
      ['GET', `${PUFFLE_TYPES}/${type.id}`], ['PATCH', `${PUFFLE_TYPES}/${type.id}`, { description: 'x' }],
      ['DELETE', `${PUFFLE_TYPES}/${type.id}`], ['POST', `${PUFFLE_TYPES}/${type.id}/generate`],
      ['GET', `${PUFFLE_TYPES}/${type.id}/sources`], ['PATCH', `${PUFFLE_TYPES}/${type.id}/sources/news`, { enabled: false }],
    ]) {
      expect([method, path, (await intruder.call(method, path, { body })).status]).toEqual([method, path, 404]);
    }
    const saberOwner = client(emu, saberKey('owner'));
    const template = (await saberOwner.post(TEMPLATES, { name: 'Private', question: 'q?' })).body;
    const saberIntruder = client(emu, saberKey('intruder'));
    for (const [method, body] of [['GET'], ['PATCH', { name: 'x' }], ['DELETE']]) {
      expect((await saberIntruder.call(method, `${TEMPLATES}/${template.id}`, { body })).status).toBe(404);
    }
    expect((await owner.get(PUFFLE_TYPES)).body).toEqual(before);
    expect((await saberOwner.get(`${TEMPLATES}/${template.id}`)).body).toEqual(template);
  });

  test('an escaped lone surrogate is never stored: 400 invalid_unicode', async () => {
    const c = client(emu, puffleKey('unicode'));
    const body = JSON.stringify(workspace({ company: 'Acme' })).replace('Acme builds', 'Acme \\ud800 builds');
    const profile = await c.call('PUT', '/api/context', { raw: body });
    expect(profile.status).toBe(400);
    expect(profile.body.error.fields[0]).toMatchObject({ field: '', code: 'invalid_unicode' });
    const s = await client(emu, saberKey('unicode')).call('POST', TEMPLATES, { raw: '{"name": "\\udc00", "question": "q?"}' });
    expect(s.status).toBe(400);
    expect(s.body.error.details.issues[0].code).toBe('invalid_unicode');
    expect((await c.get('/api/context')).body.context).toBeNull();
    expect((await client(emu, saberKey('unicode')).get(TEMPLATES)).body.total).toBe(0);
  });
});

test("the emulator's own JSON (a fault plan) is held to the engine's rules: a lone surrogate is 400 invalid_unicode", async () => {
  const emu = await start({ faults: true });
  try {
    const res = await fetch(`${emu.url}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"next": [{"type": "status", "status": 500, "path": "/\\ud800"}]}' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields[0]).toMatchObject({ field: 'next[0].path', code: 'invalid_unicode' });
  } finally {
    await emu.close();
  }
});

describe('quotas: a write past one is 403 and changes nothing', () => {
  const quotas = { templates: 3, versions: 5, generationRuns: 2, tenantBytes: 64 * 1024, stateBytes: 128 * 1024 };
  let emu;
  beforeAll(async () => { emu = await start({ quotas, generateDelayMs: 60_000 }); });
  afterAll(() => emu.close());

  const expectQuota = (res, shape) => {
    expect(res.status).toBe(403);
    // Puffle's body carries the code Puffle documents for the status; Saber's errorCode says which.
    if (shape === 'saber') expect(res.body.error).toMatchObject({ type: 'PERMISSION', code: 'FORBIDDEN', errorCode: 'QUOTA_EXCEEDED' });
    else expect(res.body.error.code).toBe('forbidden');
    expect(res.body.error.message).toMatch(/option quotas\./);
  };

  test('Saber templates, then versions', async () => {
    const s = client(emu, saberKey('quota-templates'));
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await s.post(TEMPLATES, { name: `t${i}`, question: 'q?' })).body.id);
    await s.del(`${TEMPLATES}/${ids[2]}`); // deleted templates are kept, so they still count
    const fourth = await s.post(TEMPLATES, { name: 't3', question: 'q?' });
    expectQuota(fourth, 'saber');
    expect(fourth.body.error.message).toMatch(/3 templates \(deleted ones included\)/);
    await s.patch(`${TEMPLATES}/${ids[0]}`, { name: 'v2' }); // 4 versions
    await s.patch(`${TEMPLATES}/${ids[0]}`, { name: 'v3' }); // 5 versions
    expectQuota(await s.patch(`${TEMPLATES}/${ids[0]}`, { name: 'v4' }), 'saber');
    // The refused update changed nothing: the template's latest version is still v3.
    const listed = (await s.get(TEMPLATES, { query: { includeDeleted: 'true' } })).body;
    expect(listed.items.map((t) => [t.name, t.version])).toEqual([['v3', 3], ['t1', 1], ['t2', 1]]);
  });

  test("one key's bytes, then everyone's", async () => {
    const s = client(emu, saberKey('quota-bytes'));
    // A user schema may be large (its own description keyword is free text).
    const big = (n) => ({ name: `big ${n}`, question: 'q?', answerType: 'json_schema', outputSchema: { type: 'object', description: 'x'.repeat(30 * 1024) } });
    expect((await s.post(TEMPLATES, big(1))).status).toBe(201);
    expect((await s.post(TEMPLATES, big(2))).status).toBe(201);
    const third = await s.post(TEMPLATES, big(3));
    expectQuota(third, 'saber');
    expect(third.body.error.message).toMatch(/65536 bytes/);
    expect((await s.post(TEMPLATES, { name: 'small', question: 'q?' })).status).toBe(201); // room for a small one
    // Two more keys fill the state's budget; a third key cannot write, though it is empty.
    for (const name of ['quota-bytes-2', 'quota-bytes-3']) {
      const o = client(emu, saberKey(name));
      await o.post(TEMPLATES, big(1));
    }
    const late = await client(emu, saberKey('quota-bytes-4')).post(TEMPLATES, big(1));
    expectQuota(late, 'saber');
    expect(late.body.error.message).toMatch(/for all keys together/);
    expect((await client(emu, saberKey('quota-bytes-4')).get(TEMPLATES)).body.total).toBe(0);
  });

  test('Puffle generation runs in progress', async () => {
    const p = client(emu, puffleKey('quota-runs'));
    await p.put('/api/context', workspace({ company: 'Runs Inc' }));
    const [a, b] = (await p.get(PUFFLE_TYPES)).body.signal_types;
    expect((await p.post(`${PUFFLE_TYPES}/${a.id}/generate`)).status).toBe(200);
    expect((await p.post(`${PUFFLE_TYPES}/${b.id}/generate`)).status).toBe(200);
    const third = await p.post(`${PUFFLE_TYPES}/${a.id}/generate`);
    expectQuota(third, 'puffle');
    expect(third.body.error.message).toMatch(/wait for one to finish/);
  });

  test("the webhook controls' added signals count against the key's bytes, as any write", async () => {
    const own = await start({ quotas: { tenantBytes: 64 * 1024 } });
    try {
      const key = puffleKey('quota-signals');
      const addSignals = (posts) => fetch(`${own.url}/__emulator/signals`, {
        method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ posts }),
      }).then(async (res) => ({ status: res.status, body: await res.json() }));
      expect((await client(own, key).post(PUFFLE_TYPES, newType('Layoffs'))).status).toBe(201); // keywords layoffs, …; news
      const posts = Array.from({ length: 4 }, (_, i) => ({ title: `Acme ${i} announces layoffs`, text: 'x'.repeat(9000), source: 'news' }));
      const added = await addSignals(posts);
      expect(added.status).toBe(200);
      expect(added.body.signals).toHaveLength(4);
      const refused = await addSignals(posts);
      expectQuota(refused, 'puffle');
      expect(refused.body.error.message).toMatch(/65536 bytes/);
      // Nothing of the refused request was added: the feed holds the first four only.
      const feed = (await client(own, key).get('/api/v1/signals', { query: { limit: '100' } })).body.signals;
      expect(feed.filter((sig) => JSON.stringify(sig).includes('x'.repeat(9000)))).toHaveLength(4);
    } finally {
      await own.close();
    }
  });

  test('quotas are options, checked at start', async () => {
    const { startEmulator } = await import('../../../js/emulator/index.js');
    await expect(startEmulator({ quotas: { template: 3 } })).rejects.toThrow('startEmulator quotas: unknown option "template"; did you mean "templates"? Options: templates, versions,');
    await expect(startEmulator({ quotas: { versions: 0 } })).rejects.toThrow(/quotas\.versions must be a positive integer/);
    await expect(startEmulator({ maxConnections: -1 })).rejects.toThrow(/maxConnections must be a positive integer/);
  });
});
