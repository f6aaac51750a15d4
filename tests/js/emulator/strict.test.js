// strictResponses: the emulator holds every response to its vendor's OpenAPI document. The
// check itself (what counts as a violation), and a running emulator that turns a response
// its document forbids into a loud 500.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadContract } from '../../../js/emulator/contract.js';
import { client, PUFFLE_TYPES, saberKey, start, startEmulator, TEMPLATES } from './helpers.js';

let contract;
beforeAll(async () => { contract = await loadContract(); });

const signal = {
  id: '3c90c3cc-0d44-4b50-8888-8dd25736052a', signal_type: 'hiring', title: 'Acme is hiring', text: null, reasoning: null,
  source: 'podcasts', source_url: null, score: 86, confidence: 0.92,
  entity: { id: '3c90c3cc-0d44-4b50-8888-8dd25736052b', name: 'Acme', type: 'company', domain: 'acme.com' },
  person_entity: null, classification: {}, created_at: '2026-04-22T09:00:00Z',
};

test('the checker follows the documents: shapes, statuses, bodies', () => {
  const feed = (body, status = 200) => contract.check('puffle', 'GET', '/api/v1/signals', status, body);
  expect(feed({ signals: [signal], pagination: { cursor: null, has_more: false, count: 1 } })).toEqual([]);
  // Unknown fields and source ids pass: responses are tolerant.
  expect(feed({ signals: [{ ...signal, sentiment: 'positive' }], pagination: { cursor: null, has_more: false, count: 1 }, took_ms: 3 })).toEqual([]);
  // The old shape: paging at the top level.
  const old = feed({ signals: [signal], cursor: null, has_more: false, count: 1 });
  expect(old.map((v) => v.message).join('\n')).toMatch(/pagination/);
  // A missing documented field, a score out of range.
  const { created_at: _, ...undated } = signal;
  expect(feed({ signals: [undated], pagination: { cursor: null, has_more: false, count: 1 } }).map((v) => v.field)).toContain('/signals/0');
  expect(feed({ signals: [{ ...signal, score: 101 }], pagination: { cursor: null, has_more: false, count: 1 } }).map((v) => v.field)).toContain('/signals/0/score');
  // Statuses and bodies.
  expect(feed(undefined, 418)[0].message).toMatch(/status 418 is not documented for GET \/api\/v1\/signals/);
  const del = (status, body) => contract.check('puffle', 'DELETE', '/api/v1/signals/types/:id', status, body);
  expect(del(204, undefined)).toEqual([]);
  expect(del(204, { success: true })[0].message).toMatch(/documented without a body/);
  expect(del(200, { success: true })[0].message).toMatch(/status 200 is not documented/);
  expect(feed(undefined)[0].message).toMatch(/documented with a JSON body, but none was sent/);
  expect(contract.check('puffle', 'GET', '/api/v1/unknown', 200, {})[0].message).toMatch(/not an operation/);
  // Puffle's error codes are the documented ones; Saber's per-route 429 says TIMEOUT.
  expect(contract.check('puffle', 'GET', '/api/v1/signals/types', 403, { error: { code: 'tenant_limit', message: 'x' } })).not.toEqual([]);
  const saber429 = (type) => contract.check('saber', 'GET', '/v1/companies/signals/templates', 429, { error: { type, code: 'TOO_MANY_REQUESTS', message: 'x' } });
  expect(saber429('TIMEOUT')).toEqual([]);
  expect(saber429('RATE_LIMIT')).not.toEqual([]);
});

test('a response that breaks the document is answered 500 naming the violations, logged, and listed', async () => {
  // A state file edited by hand (or written by an older emulator) holds a template the
  // document does not allow; strictResponses refuses to pass it on.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sk-strict-'));
  const dataFile = path.join(dir, 'state.json');
  try {
    let emu = await start({ dataFile });
    const api = client(emu, saberKey('strict'));
    const t = (await api.post(TEMPLATES, { name: 'Headcount', question: 'How many?' })).body;
    await emu.close();
    const state = JSON.parse(fs.readFileSync(dataFile, 'utf8'));
    state.saber[0][1].versions[0].answerType = 'telepathy';
    fs.writeFileSync(dataFile, JSON.stringify(state));

    const lines = [];
    emu = await startEmulator({ dataFile, strictResponses: true, rateLimits: false, logger: (level, message) => lines.push(`${level} ${message}`) });
    try {
      const res = await client(emu, saberKey('strict')).get(`${TEMPLATES}/${t.id}`);
      expect(res.status).toBe(500);
      expect(res.body.error).toMatchObject({ type: 'INTERNAL', code: 'INTERNAL_ERROR', errorCode: 'CONTRACT_VIOLATION' });
      expect(res.body.error.message).toMatch(/violates schemas\/openapi\/saber\.json/);
      expect(res.body.error.fields).toEqual([expect.objectContaining({ field: '/answerType' })]);
      expect(emu.contractViolations).toEqual([expect.objectContaining({ request: `GET ${TEMPLATES}/${t.id}`, status: 200 })]);
      expect(lines.some((l) => l.startsWith('error contract violation:') && l.includes('/answerType'))).toBe(true);
      // Conforming responses are untouched.
      expect((await client(emu, saberKey('strict-other')).get(TEMPLATES)).status).toBe(200);
      expect(emu.contractViolations).toHaveLength(1);
    } finally {
      await emu.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the emulator serves the documents, with request-schema references that resolve against it', async () => {
  const emu = await start();
  try {
    const doc = await (await fetch(`${emu.url}/openapi/puffle.json`)).json();
    expect(doc.openapi).toBe('3.1.0');
    const create = doc.paths[PUFFLE_TYPES].post.requestBody.content['application/json'].schema.$ref;
    expect(create).toBe('/schemas/puffle.signalType.create.json');
    const schema = await (await fetch(new URL(create, `${emu.url}/openapi/puffle.json`))).json();
    expect(schema.$id).toBe('https://signalkit.dev/schemas/puffle.signalType.create.json');
    expect((await fetch(`${emu.url}/openapi/saber.json`)).status).toBe(200);
    expect((await fetch(`${emu.url}/openapi/other.json`)).status).toBe(404);
  } finally {
    await emu.close();
  }
});
