// Start/close, options, the health endpoint and concurrency.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { client, newType, puffleKey, PUFFLE_TYPES, saberKey, start, startEmulator, TEMPLATES, workspace } from './helpers.js';

test('close() is idempotent, ends keep-alive sockets, and the port stops answering', async () => {
  const emu = await start();
  const agent = new http.Agent({ keepAlive: true });
  const get = () => new Promise((resolve, reject) => {
    http.get(`${emu.url}/__emulator/health`, { agent }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    }).on('error', reject);
  });
  expect(await get()).toEqual({ status: 200, body: '{"ok":true}' });
  expect(Object.values(agent.freeSockets).flat().length).toBe(1); // a live keep-alive socket
  const first = emu.close();
  expect(emu.close()).toBe(first);
  await first;
  await expect(get()).rejects.toThrow();
  agent.destroy();
});

test('a pending generation run is cancelled by close()', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sk-emu-close-'));
  const file = path.join(dir, 'state.json');
  try {
    const emu = await start({ generateDelayMs: 50, dataFile: file });
    const c = client(emu, puffleKey('cancel'));
    await c.put('/api/context', workspace({ company: 'Closing Co' }));
    const hiring = (await c.get(PUFFLE_TYPES)).body.signal_types[0];
    const runId = (await c.post(`${PUFFLE_TYPES}/${hiring.id}/generate`)).body.run_id;
    await emu.close();
    await new Promise((r) => setTimeout(r, 150));
    // Had the run survived close(), it would have rewritten and saved the type by now.
    const saved = fs.readFileSync(file, 'utf8');
    expect(saved).not.toContain(runId);
    expect(saved).toContain('Closing Co');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('options are checked at start', async () => {
  await expect(startEmulator({ port: -1 })).rejects.toThrow(/port/);
  await expect(startEmulator({ generateDelayMs: 'soon' })).rejects.toThrow(/generateDelayMs/);
  await expect(startEmulator({ generateDelayMs: [50, 10] })).rejects.toThrow(/generateDelayMs/);
  await expect(startEmulator({ timeouts: { bodyMs: 0 } })).rejects.toThrow(/timeouts\.bodyMs/);
  await expect(startEmulator({ timeouts: { connectMs: 5 } })).rejects.toThrow(/not an option/);
  await expect(startEmulator({ faults: 'yes' })).rejects.toThrow(/faults/);
  await expect(startEmulator({ onboardingStepMs: 0 })).rejects.toThrow(/onboardingStepMs/);
  await expect(startEmulator({ strictResponses: 'yes' })).rejects.toThrow(/strictResponses/);
  const emu = await start({ generateDelayMs: [5, 15] });
  try {
    const c = client(emu, puffleKey('range'));
    await c.put('/api/context', workspace({ company: 'Range' }));
    const t = (await c.get(PUFFLE_TYPES)).body.signal_types[1];
    const runId = (await c.post(`${PUFFLE_TYPES}/${t.id}/generate`)).body.run_id;
    for (let i = 0; i < 200 && !(await c.get(`${PUFFLE_TYPES}/${t.id}`)).body.search_instructions.includes(runId); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await c.get(`${PUFFLE_TYPES}/${t.id}`)).body.search_instructions).toContain(runId);
  } finally {
    await emu.close();
  }
});

test('concurrent creates never pass the cap or duplicate a name', async () => {
  const emu = await start();
  try {
    const c = client(emu, puffleKey('race'));
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => c.post(PUFFLE_TYPES, newType(`Race ${i}`))));
    expect(results.filter((r) => r.status === 201)).toHaveLength(16);
    expect(results.filter((r) => r.status === 400).every((r) => r.body.error.fields.some((f) => f.code === 'limit_reached'))).toBe(true);
    expect((await c.get(PUFFLE_TYPES)).body.signal_types).toHaveLength(20);

    const d = client(emu, puffleKey('race-names'));
    const same = await Promise.all(Array.from({ length: 10 }, () => d.post(PUFFLE_TYPES, newType('Same name'))));
    expect(same.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);

    // Concurrent PATCHes of one Saber template make distinct, consecutive versions.
    const s = client(emu, saberKey('race'));
    const t = (await s.post(TEMPLATES, { name: 'Versions', question: 'q?' })).body;
    const patched = await Promise.all(Array.from({ length: 8 }, (_, i) => s.patch(`${TEMPLATES}/${t.id}`, { name: `v${i}` })));
    expect(patched.map((r) => r.body.version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    const listed = (await s.get(TEMPLATES)).body.items;
    expect(listed).toHaveLength(1);
    expect(listed[0].version).toBe(9);
  } finally {
    await emu.close();
  }
});

test('the emulator listens on the host it is given', async () => {
  const emu = await start({ host: '127.0.0.1' });
  try {
    expect(emu.url).toBe(`http://127.0.0.1:${emu.port}`);
    expect(emu.puffleBaseUrl).toBe(`${emu.url}/api/v1`);
    expect(emu.saberBaseUrl).toBe(`${emu.url}/v1`);
  } finally {
    await emu.close();
  }
});

test('cors: off by default; when on, preflights and responses carry the headers a browser needs', async () => {
  const plain = await start();
  try {
    const res = await fetch(`${plain.url}${PUFFLE_TYPES}`, { headers: { origin: 'http://localhost:5173', authorization: `Bearer ${puffleKey('c')}` } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect((await fetch(`${plain.url}${PUFFLE_TYPES}`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173' } })).status).toBe(405);
  } finally {
    await plain.close();
  }
  const emu = await start({ cors: 'http://localhost:5173' });
  try {
    const pre = await fetch(`${emu.url}${TEMPLATES}`, { method: 'OPTIONS', headers: {
      origin: 'http://localhost:5173', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(pre.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const res = await fetch(`${emu.url}${TEMPLATES}`, { headers: { origin: 'http://localhost:5173', authorization: `Bearer ${saberKey('c')}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('access-control-expose-headers')).toMatch(/X-Ratelimit-Remaining/);
  } finally {
    await emu.close();
  }
  await expect(startEmulator({ cors: 5 })).rejects.toThrow(/cors/);
});
