// Fault mode: every fault type, deterministic plans and seeded rules.
import { client, eventually, newType, puffleKey, PUFFLE_TYPES, rawExchange, saberKey, start, startEmulator, TEMPLATES } from './helpers.js';

const plan = (emu, body) => fetch(`${emu.url}/__emulator/faults`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});

let emu;
let api;
let saber;
beforeAll(async () => {
  emu = await start({ faults: { seed: 7 } });
  api = client(emu, puffleKey('faults'));
  saber = client(emu, saberKey('faults'));
});
afterAll(() => emu.close());
afterEach(async () => { await fetch(`${emu.url}/__emulator/faults`, { method: 'DELETE' }); });

const typeCount = async () => (await api.get(PUFFLE_TYPES)).body.signal_types.length;

test('the control endpoint exists only in fault mode', async () => {
  const plain = await start();
  try {
    const res = await plan(plain, { next: [{ type: 'status', status: 500 }] });
    expect(res.status).toBe(404);
    expect((await client(plain, puffleKey('x')).get(PUFFLE_TYPES)).status).toBe(200);
  } finally {
    await plain.close();
  }
  const res = await plan(emu, { next: [{ type: 'teleport' }] });
  expect(res.status).toBe(400);
  expect((await res.json()).error.message).toMatch(/next\[0\]\.type/);
});

test('status faults: 500, 502, 503 in each provider\'s shape, without processing', async () => {
  const before = await typeCount();
  await plan(emu, { next: [{ type: 'status', status: 500 }, { type: 'status', status: 502 }, { type: 'status', status: 503 }] });
  const a = await api.post(PUFFLE_TYPES, newType('Never stored'));
  const b = await api.get(PUFFLE_TYPES);
  const c = await saber.get(TEMPLATES);
  expect([a.status, b.status, c.status]).toEqual([500, 502, 503]);
  // Puffle's documented codes: every 5xx is internal_error; the message says which fault.
  expect(a.body.error.code).toBe('internal_error');
  expect(b.body.error).toMatchObject({ code: 'internal_error', message: expect.stringMatching(/bad gateway/) });
  expect(c.body.error).toMatchObject({ type: 'UNAVAILABLE', code: 'SERVICE_UNAVAILABLE' });
  expect(await typeCount()).toBe(before);
});

test('drop_before: the connection closes and nothing changes', async () => {
  const before = await typeCount();
  await plan(emu, { next: [{ type: 'drop_before', route: 'puffle.signalType.create' }] });
  await expect(api.post(PUFFLE_TYPES, newType('Dropped before'))).rejects.toThrow();
  expect(await typeCount()).toBe(before);
});

test('drop_after: the write happens but no response arrives', async () => {
  const before = await typeCount();
  await plan(emu, { next: [{ type: 'drop_after', method: 'POST', path: PUFFLE_TYPES }] });
  await expect(api.post(PUFFLE_TYPES, newType('Dropped after'))).rejects.toThrow();
  const types = (await api.get(PUFFLE_TYPES)).body.signal_types;
  expect(types.length).toBe(before + 1);
  expect(types.map((t) => t.label)).toContain('Dropped after');
});

test('malformed_body: the status is real, the body is not JSON', async () => {
  await plan(emu, { next: [{ type: 'malformed_body' }] });
  const res = await saber.post(TEMPLATES, { name: 'Malformed', question: 'q?' });
  expect(res.status).toBe(201);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  expect(() => JSON.parse(res.text)).toThrow();
  // The write itself went through.
  expect((await saber.get(TEMPLATES, { query: { limit: '100' } })).body.items.map((t) => t.name)).toContain('Malformed');
});

test('truncated_body: fewer bytes than Content-Length, then the connection closes', async () => {
  await plan(emu, { next: [{ type: 'truncated_body' }] });
  const res = await fetch(`${emu.url}${PUFFLE_TYPES}`, { headers: { authorization: `Bearer ${puffleKey('faults')}` } });
  expect(res.status).toBe(200);
  await expect(res.text()).rejects.toThrow();
  const { port } = new URL(emu.url);
  await plan(emu, { next: [{ type: 'truncated_body' }] });
  const raw = await rawExchange({ url: `http://127.0.0.1:${port}` }, [
    `GET ${PUFFLE_TYPES} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${puffleKey('faults')}\r\n\r\n`]);
  const [head, body] = raw.data.split('\r\n\r\n');
  const declared = Number(/content-length: (\d+)/i.exec(head)[1]);
  expect(raw.closed).toBe(true);
  expect(Buffer.byteLength(body, 'latin1')).toBeLessThan(declared);
});

test('latency delays the response and then answers normally', async () => {
  await plan(emu, { next: [{ type: 'latency', ms: 150 }] });
  let settled = false;
  const pending = api.get(PUFFLE_TYPES).then((r) => { settled = true; return r; });
  await new Promise((r) => setTimeout(r, 50));
  expect(settled).toBe(false);
  expect((await pending).status).toBe(200);
});

test('queue entries match by route/method/path and count', async () => {
  await plan(emu, { next: [{ type: 'status', status: 503, route: 'saber.*', count: 2 }] });
  expect((await api.get(PUFFLE_TYPES)).status).toBe(200);
  expect((await saber.get(TEMPLATES)).status).toBe(503);
  expect((await saber.get(TEMPLATES)).status).toBe(503);
  expect((await saber.get(TEMPLATES)).status).toBe(200);
  const state = await (await fetch(`${emu.url}/__emulator/faults`)).json();
  expect(state.next).toEqual([]);
});

test('seeded random rules are reproducible and respect probability', async () => {
  const run = async () => {
    const e = await start({ faults: { seed: 'repeatable', rules: [{ type: 'status', status: 503, probability: 0.5, route: 'puffle.signalType.list' }] } });
    try {
      const c = client(e, puffleKey('dice'));
      const out = [];
      for (let i = 0; i < 40; i++) out.push((await c.get(PUFFLE_TYPES)).status);
      expect((await c.get('/api/context')).status).toBe(200); // other routes untouched
      return out;
    } finally {
      await e.close();
    }
  };
  const first = await run();
  const second = await run();
  expect(second).toEqual(first);
  const failures = first.filter((s) => s === 503).length;
  expect(failures).toBeGreaterThan(5);
  expect(failures).toBeLessThan(35);
});

test('rules can be replaced at run time; probability 1 always fires', async () => {
  const res = await plan(emu, { rules: [{ type: 'status', status: 500, probability: 1, method: 'DELETE' }] });
  expect(res.status).toBe(200);
  const t = (await saber.post(TEMPLATES, { name: 'Undeletable', question: 'q?' })).body;
  expect((await saber.del(`${TEMPLATES}/${t.id}`)).status).toBe(500);
  expect((await saber.get(`${TEMPLATES}/${t.id}`)).body.deletedAt).toBeNull();
});

test('bad fault options are refused at start', async () => {
  await expect(startEmulator({ faults: { rules: [{ type: 'status', status: 418 }] } })).rejects.toThrow(/status/);
  await expect(startEmulator({ faults: { rules: [{ type: 'latency', probability: 2, ms: 1 }] } })).rejects.toThrow(/probability/);
});

test('the server keeps serving after every fault', async () => {
  await plan(emu, { next: ['drop_before', 'drop_after', 'truncated_body', 'malformed_body'].map((type) => ({ type })) });
  for (let i = 0; i < 4; i++) await api.get(PUFFLE_TYPES).catch(() => {});
  await eventually(async () => (await api.get(PUFFLE_TYPES)).status === 200);
});
