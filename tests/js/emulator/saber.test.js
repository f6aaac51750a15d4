// Saber templates API against a real emulator over loopback HTTP.
import { client, saberKey, start, TEMPLATES } from './helpers.js';

let emu;
let api;
beforeAll(async () => {
  emu = await start();
  api = client(emu, saberKey('saber-main'));
});
afterAll(() => emu.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ENVELOPE_KEYS = ['code', 'debug', 'details', 'errorAction', 'errorCode', 'fields', 'message', 'requestId', 'type'];

function expectEnvelope(res, status, code) {
  expect(res.status).toBe(status);
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(Object.keys(res.body.error).sort()).toEqual(ENVELOPE_KEYS);
  expect(res.body.error.code).toBe(code);
  expect(res.body.error.requestId).toMatch(UUID);
  expect(res.headers.get('x-request-id')).toBe(res.body.error.requestId);
  expect(typeof res.body.error.message).toBe('string');
  expect(typeof res.body.error.debug.cause).toBe('string');
  for (const f of res.body.error.fields) expect(Object.keys(f).sort()).toEqual(['field', 'message']);
}

describe('create and get', () => {
  test('create returns version 1 with defaults and templateId = id (201)', async () => {
    const res = await api.post(TEMPLATES, { name: 'CRM Detection', question: 'Which CRM are they using?' });
    expect(res.status).toBe(201);
    const t = res.body;
    expect(t).toMatchObject({
      templateId: t.id, version: 1, name: 'CRM Detection', description: '', question: 'Which CRM are they using?',
      answerType: 'open_text', outputSchema: {}, weight: 'important', qualificationCriteria: {}, deletedAt: null, source: 'api',
    });
    expect(t.id).toMatch(UUID);
    expect(t.organizationId).toMatch(/^org_/);
    expect(t.createdByUserId).toMatch(/^user_/);
    expect(Number.isNaN(Date.parse(t.createdAt))).toBe(false);
    expect((await api.get(`${TEMPLATES}/${t.id}`)).body).toEqual(t);
  });

  test('a full template with criteria is stored as sent', async () => {
    const body = {
      name: 'Headcount', description: 'Employees', question: 'How many employees?', answerType: 'number', weight: 'nice_to_have',
      qualificationCriteria: { ranges: [{ rangeStart: null, rangeEnd: 50, answerQualification: 'poor' }, { rangeStart: 50, rangeEnd: null, answerQualification: 'good' }] },
    };
    const res = await api.post(TEMPLATES, body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject(body);
  });

  test('engine rules give 400 in the Saber envelope, with every field', async () => {
    const res = await api.post(TEMPLATES, { name: '', question: 'q', answerType: 'telepathy', weight: 'huge' });
    expectEnvelope(res, 400, 'VALIDATION_ERROR');
    expect(res.body.error.type).toBe('VALIDATION');
    expect(res.body.error.fields.map((f) => f.field)).toEqual(expect.arrayContaining(['name', 'answerType', 'weight']));
    expect(res.body.error.details.issues.map((i) => i.code)).toEqual(expect.arrayContaining(['too_short', 'enum']));
  });

  test('json_schema needs an outputSchema', async () => {
    const res = await api.post(TEMPLATES, { name: 'Stack', question: 'Tech stack?', answerType: 'json_schema' });
    expectEnvelope(res, 400, 'VALIDATION_ERROR');
    expect(res.body.error.fields.map((f) => f.field)).toContain('outputSchema');
    const ok = await api.post(TEMPLATES, { name: 'Stack', question: 'Tech stack?', answerType: 'json_schema',
      outputSchema: { type: 'object', properties: { tools: { type: 'array', items: { type: 'string' } } } } });
    expect(ok.status).toBe(201);
  });

  test('unknown ids are 404, malformed ids 400, both in the envelope', async () => {
    expectEnvelope(await api.get(`${TEMPLATES}/497f6eca-6276-4993-bfeb-53cbbbba6f08`), 404, 'NOT_FOUND');
    expectEnvelope(await api.patch(`${TEMPLATES}/497f6eca-6276-4993-bfeb-53cbbbba6f08`, {}), 404, 'NOT_FOUND');
    expectEnvelope(await api.del(`${TEMPLATES}/497f6eca-6276-4993-bfeb-53cbbbba6f08`), 404, 'NOT_FOUND');
    const bad = await api.get(`${TEMPLATES}/12345`);
    expectEnvelope(bad, 400, 'VALIDATION_ERROR');
    expect(bad.body.error.fields[0].field).toBe('id');
  });
});

describe('versioning and soft delete', () => {
  test('PATCH makes a new version with the same templateId; the previous one is soft-deleted', async () => {
    const v1 = (await api.post(TEMPLATES, { name: 'Versioned', question: 'Q1?' })).body;
    const res = await api.patch(`${TEMPLATES}/${v1.id}`, { question: 'Q2?' });
    expect(res.status).toBe(200);
    const v2 = res.body;
    expect(v2).toMatchObject({ templateId: v1.id, version: 2, name: 'Versioned', question: 'Q2?', deletedAt: null });
    expect(v2.id).not.toBe(v1.id);
    // Version 1's id is the templateId (as in Saber's example): GET by it is the latest version.
    expect((await api.get(`${TEMPLATES}/${v1.id}`)).body).toEqual(v2);

    // {} is allowed (the vendor's own example) and still makes a new version.
    const v3 = (await api.patch(`${TEMPLATES}/${v2.id}`, {})).body;
    expect(v3).toMatchObject({ templateId: v1.id, version: 3, question: 'Q2?' });
    // Any other version id names that version, now superseded (soft-deleted).
    const old = (await api.get(`${TEMPLATES}/${v2.id}`)).body;
    expect(old).toMatchObject({ id: v2.id, version: 2, question: 'Q2?' });
    expect(old.deletedAt).not.toBeNull();
    // Patching through an old version's id applies to the latest version.
    const v4 = (await api.patch(`${TEMPLATES}/${v2.id}`, { weight: 'not_important' })).body;
    expect(v4).toMatchObject({ templateId: v1.id, version: 4, question: 'Q2?', weight: 'not_important' });

    // Lists show the latest version only; includeDeleted adds deleted templates, not superseded versions.
    for (const query of [{ limit: 100 }, { limit: 100, includeDeleted: true }]) {
      const listed = (await api.get(TEMPLATES, { query })).body.items.filter((t) => t.templateId === v1.id);
      expect(listed.map((t) => t.version)).toEqual([4]);
    }
  });

  test('criteria are checked against the current answerType when the patch does not give one', async () => {
    const t = (await api.post(TEMPLATES, { name: 'Is B2B', question: 'B2B?', answerType: 'boolean', qualificationCriteria: { yes: 'good', no: 'poor' } })).body;
    const bad = await api.patch(`${TEMPLATES}/${t.id}`, { qualificationCriteria: { ranges: [] } });
    expectEnvelope(bad, 400, 'VALIDATION_ERROR');
    const good = await api.patch(`${TEMPLATES}/${t.id}`, { qualificationCriteria: { yes: 'excellent', no: 'disqualified' } });
    expect(good.status).toBe(200);
    expect(good.body.qualificationCriteria).toEqual({ yes: 'excellent', no: 'disqualified' });
    // Changing the answerType without new criteria drops the old ones.
    const retyped = await api.patch(`${TEMPLATES}/${t.id}`, { answerType: 'open_text' });
    expect(retyped.status).toBe(200);
    expect(retyped.body.qualificationCriteria).toEqual({});
  });

  test('criteria rules beyond the shape come from the engine\'s criteria checker', async () => {
    const range = (rangeStart, rangeEnd, q = 'good') => ({ rangeStart, rangeEnd, answerQualification: q });
    const bad = [
      ['number', { ranges: [range(10, 5)] }],
      ['number', { ranges: [range(0, 10), range(5, 20)] }],
      ['percentage', { ranges: [range(0, 150)] }],
    ];
    for (const [answerType, qualificationCriteria] of bad) {
      const res = await api.post(TEMPLATES, { name: 'Ranges', question: 'How many?', answerType, qualificationCriteria });
      expectEnvelope(res, 400, 'VALIDATION_ERROR');
      expect(res.body.error.fields[0].field).toMatch(/^qualificationCriteria\.ranges\[\d\]/);
    }
    const t = (await api.post(TEMPLATES, { name: 'Ranges', question: 'How many?', answerType: 'number',
      qualificationCriteria: { ranges: [range(null, 10, 'poor'), range(10, null)] } })).body;
    expect(t.version).toBe(1);
    // On PATCH the current answerType applies when the body gives none.
    expectEnvelope(await api.patch(`${TEMPLATES}/${t.id}`, { qualificationCriteria: { ranges: [range(5, 1)] } }), 400, 'VALIDATION_ERROR');
    expect((await api.patch(`${TEMPLATES}/${t.id}`, { qualificationCriteria: { ranges: [range(1, 5)] } })).status).toBe(200);
  });

  test('PATCH may not switch to contacts_generation', async () => {
    const t = (await api.post(TEMPLATES, { name: 'People', question: 'Who?' })).body;
    expectEnvelope(await api.patch(`${TEMPLATES}/${t.id}`, { answerType: 'contacts_generation' }), 400, 'VALIDATION_ERROR');
  });

  test('DELETE is soft (204), idempotent, and hides the template unless includeDeleted', async () => {
    const t = (await api.post(TEMPLATES, { name: 'Doomed', question: 'Gone?' })).body;
    const res = await api.del(`${TEMPLATES}/${t.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await api.del(`${TEMPLATES}/${t.id}`)).status).toBe(204);
    const got = (await api.get(`${TEMPLATES}/${t.id}`)).body;
    expect(got.deletedAt).not.toBeNull();
    expect((await api.get(TEMPLATES, { query: { limit: 100 } })).body.items.map((x) => x.id)).not.toContain(t.id);
    expect((await api.get(TEMPLATES, { query: { limit: 100, includeDeleted: 'true' } })).body.items.map((x) => x.id)).toContain(t.id);
    expectEnvelope(await api.patch(`${TEMPLATES}/${t.id}`, { name: 'Back?' }), 404, 'NOT_FOUND');
  });
});

describe('list', () => {
  test('limit/offset pages with total and hasMore; defaults 20/0', async () => {
    const c = client(emu, saberKey('paging'));
    for (let i = 0; i < 25; i++) expect((await c.post(TEMPLATES, { name: `T${i}`, question: `Q${i}?` })).status).toBe(201);
    let res = await c.get(TEMPLATES);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 25, limit: 20, offset: 0, hasMore: true });
    expect(res.body.items.map((t) => t.name)).toEqual(Array.from({ length: 20 }, (_, i) => `T${i}`));
    res = await c.get(TEMPLATES, { query: { limit: '10', offset: '20' } });
    expect(res.body).toMatchObject({ total: 25, limit: 10, offset: 20, hasMore: false });
    expect(res.body.items.map((t) => t.name)).toEqual(['T20', 'T21', 'T22', 'T23', 'T24']);
    res = await c.get(TEMPLATES, { query: { offset: '100' } });
    expect(res.body).toMatchObject({ items: [], total: 25, hasMore: false });
  });

  test('malformed query values reach the engine as text and are refused (400)', async () => {
    for (const [query, field] of [[{ limit: '0' }, 'limit'], [{ limit: '101' }, 'limit'], [{ limit: 'ten' }, 'limit'],
      [{ offset: '-1' }, 'offset'], [{ includeDeleted: 'yes' }, 'includeDeleted'], [{ sort: 'name' }, 'sort']]) {
      const res = await api.get(TEMPLATES, { query });
      expectEnvelope(res, 400, 'VALIDATION_ERROR');
      expect(res.body.error.fields.map((f) => f.field)).toContain(field);
    }
    const twice = await api.call('GET', `${TEMPLATES}?limit=1&limit=2`);
    expectEnvelope(twice, 400, 'VALIDATION_ERROR');
  });
});

describe('isolation between keys', () => {
  test('another key never sees or changes this key\'s templates', async () => {
    const mine = (await api.post(TEMPLATES, { name: 'Secret', question: 'Private?' })).body;
    const intruder = client(emu, saberKey('intruder'));
    expect((await intruder.get(TEMPLATES, { query: { includeDeleted: 'true', limit: '100' } })).body.total).toBe(0);
    expectEnvelope(await intruder.get(`${TEMPLATES}/${mine.id}`), 404, 'NOT_FOUND');
    expectEnvelope(await intruder.patch(`${TEMPLATES}/${mine.id}`, { name: 'Mine now' }), 404, 'NOT_FOUND');
    expectEnvelope(await intruder.del(`${TEMPLATES}/${mine.id}`), 404, 'NOT_FOUND');
    expect((await api.get(`${TEMPLATES}/${mine.id}`)).body).toEqual(mine);
    expect(mine.organizationId).not.toBe((await intruder.post(TEMPLATES, { name: 'x', question: 'y' })).body.organizationId);
  });
});
