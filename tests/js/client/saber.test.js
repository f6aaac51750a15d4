// SaberClient against the real emulator: every endpoint, offset pagination, versioning,
// and validation that stops a bad call before anything is sent.
import { NotFoundError, ValidationError } from '../../../js/index.js';
import { countingFetch, failure, newTemplate, saber, start } from './helpers.js';

let emu;
beforeAll(async () => { emu = await start(); });
afterAll(() => emu.close());

test('templates: create, get, update (new version), delete (soft), list', async () => {
  const client = saber(emu, 'crud');
  const t = await client.templates.create(newTemplate('Headcount'));
  expect(t).toMatchObject({ name: 'Headcount', version: 1, templateId: t.id, answerType: 'number', deletedAt: null });
  expect(await client.templates.get(t.id)).toEqual(t);

  const v2 = await client.templates.update(t.id, { name: 'Employees' });
  expect(v2).toMatchObject({ name: 'Employees', version: 2, templateId: t.id });
  expect(v2.id).not.toBe(t.id);
  // The templateId (version 1's id, as in Saber's example) names the latest version.
  expect(await client.templates.get(t.templateId)).toEqual(v2);
  // {} is allowed (the vendor's own example sends it).
  const v3 = await client.templates.update(v2, {});
  expect(v3.version).toBe(3);
  expect((await client.templates.get(v2.id)).deletedAt).not.toBeNull(); // superseded

  expect((await client.templates.list().toArray()).map((x) => x.id)).toEqual([v3.id]);
  expect(await client.templates.delete(v3.id)).toBeUndefined();
  expect(await client.templates.list().toArray()).toEqual([]);
  const all = await client.templates.list({ includeDeleted: true }).toArray();
  expect(all.map((x) => [x.version, x.deletedAt !== null])).toEqual([[3, true]]);
  expect(await client.templates.delete(v3.id)).toBeUndefined(); // idempotent
  expect(await failure(client.templates.update(v3.id, { name: 'zombie' }))).toBeInstanceOf(NotFoundError);
});

test('list: for await over offset pages, pages(), toArray({limit})', async () => {
  const fetchSpy = countingFetch();
  const client = saber(emu, 'pages', { fetch: fetchSpy });
  for (let i = 0; i < 25; i++) await client.templates.create(newTemplate(`T${i}`));
  fetchSpy.calls.length = 0;
  const names = [];
  for await (const t of client.templates.list({ limit: 10 })) names.push(t.name);
  expect(names).toEqual(Array.from({ length: 25 }, (_, i) => `T${i}`));
  expect(fetchSpy.calls).toHaveLength(3);
  expect(fetchSpy.calls[2].url).toMatch(/offset=20/);

  const pages = [];
  for await (const p of client.templates.list({ limit: 10, offset: 5 }).pages()) pages.push(p);
  expect(pages.map((p) => [p.offset, p.items.length, p.hasMore])).toEqual([[5, 10, true], [15, 10, false]]);

  fetchSpy.calls.length = 0;
  expect((await client.templates.list({ limit: 10 }).toArray({ limit: 5 })).map((t) => t.name)).toEqual(['T0', 'T1', 'T2', 'T3', 'T4']);
  expect(fetchSpy.calls).toHaveLength(1);
});

describe('validation first: an invalid call throws ValidationError and sends nothing', () => {
  const id = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
  const cases = [
    ['create: missing question', (c) => c.templates.create({ name: 'x' }), 'saber.template.create', [['question', 'required']]],
    ['create: json_schema without outputSchema', (c) => c.templates.create({ name: 'x', question: 'q', answerType: 'json_schema' }), 'saber.template.create', [['outputSchema', 'required']]],
    ['create: criteria for open_text', (c) => c.templates.create({ name: 'x', question: 'q', qualificationCriteria: { yes: 'good' } }), 'saber.template.create', [['qualificationCriteria', 'not_applicable']]],
    ['create: blank name', (c) => c.templates.create({ name: '   ', question: 'q' }), 'saber.template.create', [['name', 'blank']]],
    ['get: not a uuid', (c) => c.templates.get('abc'), 'saber.template.get', [['id', 'pattern']]],
    ['update: contacts_generation', (c) => c.templates.update(id, { answerType: 'contacts_generation' }), 'saber.template.update', [['answerType', 'enum']]],
    ['delete: not a uuid', (c) => c.templates.delete('abc'), 'saber.template.delete', [['id', 'pattern']]],
    ['list: limit 101', (c) => c.templates.list({ limit: 101 }).toArray(), 'saber.template.list', [['limit', 'above_maximum']]],
  ];
  test.each(cases)('%s', async (_name, call, kind, expected) => {
    const fetchSpy = countingFetch();
    const client = saber(emu, 'validation', { fetch: fetchSpy });
    const before = emu.log.length;
    const err = await failure(call(client));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.kind).toBe(kind);
    expect(err.fields.map((i) => [i.field, i.code])).toEqual(expected);
    expect(fetchSpy.calls).toHaveLength(0);
    expect(emu.log.length).toBe(before);
  });
});

test('update uses the answerType of the last version seen (or the template passed) to check criteria', async () => {
  const fetchSpy = countingFetch();
  const client = saber(emu, 'ctx', { fetch: fetchSpy });
  const t = await client.templates.create(newTemplate('Bool', { answerType: 'boolean', qualificationCriteria: { yes: 'good', no: 'poor' } }));
  const sent = fetchSpy.calls.length;
  const err = await failure(client.templates.update(t.id, { qualificationCriteria: { ranges: [] } }));
  expect(err).toBeInstanceOf(ValidationError);
  expect(err.fields.map((i) => i.field)).toContain('qualificationCriteria.ranges');
  expect(fetchSpy.calls.length).toBe(sent);

  // A client that never saw the template lets the server decide (400 from the emulator).
  const freshSpy = countingFetch();
  const fresh = saber(emu, 'ctx', { fetch: freshSpy });
  const server = await failure(fresh.templates.update(t.id, { qualificationCriteria: { ranges: [] } }));
  expect(server).not.toBeInstanceOf(ValidationError);
  expect(server).toMatchObject({ status: 400, code: 'VALIDATION_ERROR', errorAction: 'fix_request', type: 'VALIDATION' });
  expect(server.fields.length).toBeGreaterThan(0);
  expect(server.fields[0]).toEqual(expect.objectContaining({ field: expect.stringMatching(/^qualificationCriteria/), message: expect.any(String), code: expect.any(String) }));
  expect(freshSpy.calls).toHaveLength(1);
  // ...unless it is given the template.
  const given = await failure(fresh.templates.update(t, { qualificationCriteria: { ranges: [] } }));
  expect(given).toBeInstanceOf(ValidationError);
  expect(freshSpy.calls).toHaveLength(1);
});

test('criteria rules beyond the shape (overlapping ranges) are refused locally too', async () => {
  const fetchSpy = countingFetch();
  const client = saber(emu, 'overlap', { fetch: fetchSpy });
  const err = await failure(client.templates.create(newTemplate('Overlap', {
    qualificationCriteria: { ranges: [{ rangeStart: 0, rangeEnd: 10, answerQualification: 'good' }, { rangeStart: 5, rangeEnd: 20, answerQualification: 'poor' }] },
  })));
  expect(err).toBeInstanceOf(ValidationError);
  expect(err.fields.map((i) => i.field)).toEqual(['qualificationCriteria.ranges[1]']);
  expect(fetchSpy.calls).toHaveLength(0);
});

test('a server error carries status, code, requestId (also in the message) and the raw body', async () => {
  const client = saber(emu, 'notfound');
  const err = await failure(client.templates.get('00000000-0000-4000-8000-000000000000'));
  expect(err).toBeInstanceOf(NotFoundError);
  expect(err).toMatchObject({ status: 404, code: 'NOT_FOUND', type: 'NOT_FOUND', errorAction: 'check_id', provider: 'Saber', method: 'GET' });
  expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(err.message).toContain(err.requestId);
  expect(JSON.parse(err.rawBody)).toEqual(err.body);
  expect(err.body.error.requestId).toBe(err.requestId);
});
