// dataFile persistence: restart, atomic replacement, and a kill in the middle of writes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { client, newType, puffleKey, PUFFLE_TYPES, saberKey, start, startEmulator, TEMPLATES, workspace } from './helpers.js';
import { exited, spawnEmulator } from './spawn.js';

let dir;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sk-emu-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('state survives a restart: types, sources, profile, feed actions, template versions', async () => {
  const file = path.join(dir, 'restart.json');
  const pk = puffleKey('persist');
  const sk = saberKey('persist');
  let emu = await start({ dataFile: file });
  let p = client(emu, pk);
  let s = client(emu, sk);
  const created = (await p.post(PUFFLE_TYPES, newType('Persisted'))).body;
  await p.patch(`${PUFFLE_TYPES}/${created.id}/sources/news`, { keywords_extra: ['rif'] });
  const hiring = (await p.get(PUFFLE_TYPES)).body.signal_types.find((t) => t.label === 'hiring');
  await p.patch(`${PUFFLE_TYPES}/${hiring.id}`, { keywords: ['kept'] });
  await p.put('/api/context', workspace({ company: 'Durable Inc' }));
  // An onboarding session started before the restart completes after it (its status follows the clock).
  const onboarding = client(emu, puffleKey('persist-onboarding'));
  const { sessionId } = (await onboarding.post('/api/onboarding/start-scraping', { website: 'durable.com' })).body;
  const [a, b] = (await p.get('/api/v1/signals', { query: { limit: '2' } })).body.signals;
  await p.post(`/api/v1/signals/${a.id}/dismiss`);
  await p.post(`/api/v1/signals/${b.id}/feedback`, { feedback: 'positive' });
  const v1 = (await s.post(TEMPLATES, { name: 'Durable', question: 'q?' })).body;
  const v2 = (await s.patch(`${TEMPLATES}/${v1.id}`, { question: 'q2?' })).body;
  const before = {
    types: (await p.get(PUFFLE_TYPES)).body,
    sources: (await p.get(`${PUFFLE_TYPES}/${created.id}/sources`)).body,
    feed: (await p.get('/api/v1/signals', { query: { limit: '100' } })).body,
    templates: (await s.get(TEMPLATES, { query: { includeDeleted: 'true' } })).body,
  };
  await emu.close();

  const text = fs.readFileSync(file, 'utf8');
  expect(text).not.toContain(pk.slice(8));
  expect(text).not.toContain(sk.slice(8));

  emu = await start({ dataFile: file });
  try {
    p = client(emu, pk);
    s = client(emu, sk);
    expect((await p.get(PUFFLE_TYPES)).body).toEqual(before.types);
    expect((await p.get(`${PUFFLE_TYPES}/${created.id}/sources`)).body).toEqual(before.sources);
    expect((await p.get('/api/context')).body).toEqual({ ...workspace({ company: 'Durable Inc' }),
      profile: { firstName: null, lastName: null, companyName: 'Durable Inc', website: 'https://acme.example' } });
    await new Promise((r) => setTimeout(r, 60));
    const restarted = client(emu, puffleKey('persist-onboarding'));
    expect((await restarted.get('/api/onboarding/status', { query: { sessionId } })).body.session.status).toBe('completed');
    expect((await restarted.get('/api/context')).body.profile.companyName).toBe('Durable');
    expect((await p.get('/api/v1/signals', { query: { limit: '100' } })).body).toEqual(before.feed);
    expect((await s.get(TEMPLATES, { query: { includeDeleted: 'true' } })).body).toEqual(before.templates);
    expect((await s.get(`${TEMPLATES}/${v2.id}`)).body.version).toBe(2);
    // The cap and unique names still hold against persisted state.
    expect((await p.post(PUFFLE_TYPES, newType('Persisted'))).status).toBe(409);
  } finally {
    await emu.close();
  }
});

test('a generation that completes is persisted too', async () => {
  const file = path.join(dir, 'generate.json');
  const pk = puffleKey('persist-gen');
  let emu = await start({ dataFile: file, generateDelayMs: 10 });
  const c = client(emu, pk);
  await c.put('/api/context', workspace({ company: 'Gen Co' }));
  const t = (await c.post(PUFFLE_TYPES, newType('Gen'))).body;
  const runId = (await c.post(`${PUFFLE_TYPES}/${t.id}/generate`)).body.run_id;
  for (let i = 0; i < 100 && !(await c.get(`${PUFFLE_TYPES}/${t.id}`)).body.search_instructions.includes(runId); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  await emu.close();
  emu = await start({ dataFile: file });
  try {
    expect((await client(emu, pk).get(`${PUFFLE_TYPES}/${t.id}`)).body.search_instructions).toContain(runId);
  } finally {
    await emu.close();
  }
});

test('a dataFile that is not a state file is refused, never overwritten', async () => {
  const file = path.join(dir, 'not-state.json');
  fs.writeFileSync(file, '{"something": "else"}');
  await expect(startEmulator({ dataFile: file })).rejects.toThrow(/not a signalkit emulator state file/);
  fs.writeFileSync(file, '{"truncated');
  await expect(startEmulator({ dataFile: file })).rejects.toThrow(/not valid JSON/);
  expect(fs.readFileSync(file, 'utf8')).toBe('{"truncated');
});

test('killed (SIGKILL) in the middle of writes, the restarted emulator has every acknowledged write', async () => {
  const file = path.join(dir, 'crash.json');
  const sk = saberKey('crash');
  const pk = puffleKey('crash');
  const { child, url } = await spawnEmulator(['--port', '0', '--data-file', file, '--quiet', '--no-rate-limit']);
  const acked = [];
  const ackedTypes = [];
  let killed = false;
  const headers = (key) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });
  const worker = async (w) => {
    for (let i = 0; !killed; i++) {
      try {
        if (w === 0 && ackedTypes.length < 16) {
          const res = await fetch(`${url}${PUFFLE_TYPES}`, { method: 'POST', headers: headers(pk), body: JSON.stringify(newType(`Crash ${i}`)) });
          if (res.status === 201) ackedTypes.push((await res.json()).id);
        } else {
          const res = await fetch(`${url}${TEMPLATES}`, { method: 'POST', headers: headers(sk), body: JSON.stringify({ name: `w${w}-${i}`, question: 'q?' }) });
          if (res.status === 201) acked.push((await res.json()).id);
        }
      } catch {
        return; // the server is gone
      }
      if (!killed && acked.length >= 60) {
        killed = true;
        child.kill('SIGKILL');
      }
    }
  };
  await Promise.all([0, 1, 2, 3, 4, 5].map(worker));
  expect(await exited(child)).toBe('SIGKILL');
  expect(acked.length).toBeGreaterThanOrEqual(60);

  // The file is complete JSON (never half-written) and the restarted emulator has it all.
  const emu = await start({ dataFile: file });
  try {
    const listed = (await client(emu, sk).get(TEMPLATES, { query: { limit: '100' } })).body;
    const ids = new Set(listed.items.map((t) => t.id));
    expect(listed.total).toBeLessThanOrEqual(100);
    let all = [...ids];
    for (let offset = 100; offset < listed.total; offset += 100) {
      all = all.concat((await client(emu, sk).get(TEMPLATES, { query: { limit: '100', offset: String(offset) } })).body.items.map((t) => t.id));
    }
    for (const id of acked) expect(all).toContain(id);
    const types = (await client(emu, pk).get(PUFFLE_TYPES)).body.signal_types.map((t) => t.id);
    for (const id of ackedTypes) expect(types).toContain(id);
  } finally {
    await emu.close();
  }
}, 60_000);
