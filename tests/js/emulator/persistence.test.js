// dataFile persistence: restart, the journal (a write costs what it changes), compaction,
// what a crash leaves behind, and kills in the middle of writes.
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

  // A clean shutdown folds the journal into the data file, which alone holds the state.
  expect(fs.existsSync(`${file}.journal`)).toBe(false);
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain('Durable');
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

// A template whose size is mostly a user schema (its description keyword is free text).
const bigTemplate = (name, kb) => ({ name, question: 'q?', answerType: 'json_schema', outputSchema: { type: 'object', description: name.padEnd(kb * 1024, '.') } });

test('a write costs what it changes: another tenant\'s small write appends one journal line and leaves the snapshot alone', async () => {
  const file = path.join(dir, 'incremental.json');
  const emu = await start({ dataFile: file });
  try {
    const big = client(emu, saberKey('incremental-big'));
    for (let i = 0; i < 30; i++) expect((await big.post(TEMPLATES, bigTemplate(`t${i}`, 100))).status).toBe(201);
    const snapshot = fs.statSync(file);
    const journal = fs.statSync(`${file}.journal`).size;
    expect(journal).toBeGreaterThan(3e6); // 3 MB of state, below the 4 MiB that starts a compaction
    const small = await client(emu, saberKey('incremental-small')).post(TEMPLATES, { name: 'tiny', question: 'q?' });
    expect(small.status).toBe(201);
    const after = fs.statSync(file);
    expect([after.size, after.mtimeMs, after.ino]).toEqual([snapshot.size, snapshot.mtimeMs, snapshot.ino]);
    const added = fs.statSync(`${file}.journal`).size - journal;
    expect(added).toBeGreaterThan(JSON.stringify(small.body).length);
    expect(added).toBeLessThan(JSON.stringify(small.body).length + 200);
    // A Saber update journals the new version and the one it superseded, nothing else (not
    // what a list read just before it).
    const smallKey = client(emu, saberKey('incremental-small'));
    await smallKey.post(TEMPLATES, { name: 'other', question: 'q?' });
    expect((await smallKey.get(TEMPLATES)).body.total).toBe(2);
    const before = fs.statSync(`${file}.journal`).size;
    const v2 = await client(emu, saberKey('incremental-small')).patch(`${TEMPLATES}/${small.body.id}`, { name: 'tiny 2' });
    expect(v2.status).toBe(200);
    const lines = fs.readFileSync(`${file}.journal`, 'utf8').slice(before).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]).s[1].map((v) => [v.id, v.deletedAt === null])).toEqual([[small.body.id, false], [v2.body.id, true]]);
  } finally {
    await emu.close();
  }
});

test('the journal is folded into the snapshot once it outgrows it (4 MiB), while writes go on', async () => {
  const file = path.join(dir, 'compaction.json');
  let emu = await start({ dataFile: file });
  const made = [];
  try {
    for (let k = 0; k < 3; k++) {
      const c = client(emu, saberKey(`compaction-${k}`));
      for (let i = 0; i < 20; i++) made.push([k, (await c.post(TEMPLATES, bigTemplate(`k${k}-${i}`, 100))).body]);
    }
    // 6 MB were journaled: a compaction ran (or runs) in the background.
    await eventuallyTrue(() => !fs.existsSync(`${file}.journal.old`) && fs.statSync(file).size > 4e6);
    expect(fs.statSync(`${file}.journal`).size).toBeLessThan(3e6);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('.compaction.json.'))).toEqual([]); // no temporary file left
  } finally {
    await emu.close();
  }
  emu = await start({ dataFile: file });
  try {
    for (const [k, record] of made) {
      expect((await client(emu, saberKey(`compaction-${k}`)).get(`${TEMPLATES}/${record.id}`)).body).toEqual(record);
    }
  } finally {
    await emu.close();
  }
});

async function eventuallyTrue(fn, ms = 10_000) {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('what a crash leaves behind: a cut-off last line is dropped, temporary files removed, a replayed journal changes nothing', async () => {
  const file = path.join(dir, 'leftovers.json');
  const sk = saberKey('leftovers');
  let emu = await start({ dataFile: file });
  const a = (await client(emu, sk).post(TEMPLATES, { name: 'a', question: 'q?' })).body;
  const b = (await client(emu, sk).post(TEMPLATES, { name: 'b', question: 'q?' })).body;
  const journal = fs.readFileSync(`${file}.journal`, 'utf8');
  await emu.close();
  // As a crash would have left it: the journal not yet folded (its entries are also in the
  // snapshot now: replayed again, they change nothing), cut off while appending a write that
  // was never acknowledged, and a temporary file of an interrupted snapshot.
  fs.writeFileSync(`${file}.journal`, `${journal}{"s":["half a line`);
  fs.writeFileSync(path.join(dir, '.leftovers.json.4242.tmp'), '{"format":"signalkit-emul');
  emu = await start({ dataFile: file });
  try {
    const listed = (await client(emu, sk).get(TEMPLATES)).body;
    expect(listed.items).toEqual([a, b]);
    expect(fs.existsSync(path.join(dir, '.leftovers.json.4242.tmp'))).toBe(false);
  } finally {
    await emu.close();
  }
  // The restart folded the journal into the snapshot. A crash before it removed the
  // journal would replay entries the snapshot already holds: the same state.
  fs.writeFileSync(`${file}.journal.old`, journal);
  emu = await start({ dataFile: file });
  try {
    expect((await client(emu, sk).get(TEMPLATES)).body.items).toEqual([a, b]);
  } finally {
    await emu.close();
  }
});

test('a journal line that does not read, before its last, is refused (never skipped)', async () => {
  const file = path.join(dir, 'corrupt.json');
  const emu = await start({ dataFile: file });
  await client(emu, saberKey('corrupt')).post(TEMPLATES, { name: 'a', question: 'q?' });
  await emu.close();
  fs.writeFileSync(`${file}.journal`, '{"s":["x",[]]}\nnot json\n{"s":["x",[]]}\n');
  await expect(startEmulator({ dataFile: file })).rejects.toThrow(/corrupt\.json\.journal line 2 is not a journal entry/);
});

test('killed (SIGKILL) three times in the middle of large writes and compactions: every acknowledged write is there, intact', async () => {
  const file = path.join(dir, 'crash-rounds.json');
  const acked = new Map(); // id -> [key, record]
  for (let round = 0; round < 3; round++) {
    const { child, url } = await spawnEmulator(['--port', '0', '--data-file', file, '--quiet', '--no-rate-limit']);
    // Everything acknowledged before is there, exactly as acknowledged.
    for (const [id, [key, record]] of acked) {
      const res = await fetch(`${url}${TEMPLATES}/${id}`, { headers: { authorization: `Bearer ${key}` } });
      expect(await res.json()).toEqual(record);
    }
    let killed = false;
    let writes = 0;
    const worker = async (w) => {
      const key = saberKey(`rounds-${round}-${w}`);
      for (let i = 0; !killed; i++) {
        let res;
        try {
          res = await fetch(`${url}${TEMPLATES}`, {
            method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify(bigTemplate(`r${round}-w${w}-${i}`, 60)),
          });
          if (res.status === 201) {
            const record = await res.json();
            acked.set(record.id, [key, record]);
          }
        } catch {
          return; // the server is gone
        }
        if (!killed && ++writes >= 75 + 10 * round) { // 4.5 MB and more: compactions start
          killed = true;
          child.kill('SIGKILL');
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(worker));
    expect(await exited(child)).toBe('SIGKILL');
  }
  const emu = await start({ dataFile: file });
  try {
    for (const [id, [key, record]] of acked) expect((await client(emu, key).get(`${TEMPLATES}/${id}`)).body).toEqual(record);
    expect(acked.size).toBeGreaterThanOrEqual(225);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('.crash-rounds.json.'))).toEqual([]);
  } finally {
    await emu.close();
  }
}, 120_000);
