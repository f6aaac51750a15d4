// Hostile input: the emulator answers cleanly, keeps serving, and no tenant's data changes.
import { client, newType, puffleKey, PUFFLE_TYPES, rawExchange, saberKey, start, TEMPLATES } from './helpers.js';

const MIB = 1024 * 1024;
let emu;
let api;
let saber;
let snapshot;
beforeAll(async () => {
  emu = await start({ timeouts: { headersMs: 300, requestMs: 600, bodyMs: 300 } });
  api = client(emu, puffleKey('victim'));
  saber = client(emu, saberKey('victim'));
  await api.post(PUFFLE_TYPES, newType('Existing'));
  await saber.post(TEMPLATES, { name: 'Existing', question: 'q?' });
  snapshot = await state();
});
afterAll(() => emu.close());

async function state() {
  return {
    types: (await api.get(PUFFLE_TYPES)).body,
    templates: (await saber.get(TEMPLATES, { query: { includeDeleted: 'true', limit: '100' } })).body,
    profile: (await api.get('/api/context')).body,
  };
}
const auth = `Authorization: Bearer ${puffleKey('victim')}\r\n`;

test('a body over 1 MiB is 413, by Content-Length or while streaming, in each provider\'s shape', async () => {
  const big = JSON.stringify(newType('Huge', { description: 'x'.repeat(MIB + 10) }));
  const res = await api.call('POST', PUFFLE_TYPES, { raw: big });
  expect(res.status).toBe(413);
  expect(res.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/over 1 MiB/) });
  const s = await saber.call('POST', TEMPLATES, { raw: JSON.stringify({ name: 'x', question: 'y'.repeat(MIB) }) });
  expect(s.status).toBe(413);
  expect(s.body.error.code).toBe('PAYLOAD_TOO_LARGE');

  // Chunked, with no Content-Length: refused once the count passes 1 MiB.
  const chunk = 'a'.repeat(64 * 1024);
  const chunks = [`POST ${PUFFLE_TYPES} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`];
  for (let i = 0; i < 20; i++) chunks.push(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
  const raw = await rawExchange(emu, chunks, { waitMs: 3000 });
  expect(raw.data).toMatch(/^HTTP\/1\.1 413 /);
  expect(raw.closed).toBe(true);
  expect(await state()).toEqual(snapshot);
});

test('a request refused before its body is read (401, 429, 415, 405) closes the connection instead of draining it', async () => {
  const huge = `POST ${PUFFLE_TYPES} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${10 * MIB}\r\n\r\n{"name":`;
  const raw = await rawExchange(emu, [huge], { waitMs: 2000 });
  expect(raw.data).toMatch(/^HTTP\/1\.1 401 /);
  expect(raw.closed).toBe(true);
  // fetch still reads the answer.
  const res = await client(emu).post(PUFFLE_TYPES, newType('x', { description: 'y'.repeat(400) }));
  expect(res.status).toBe(401);
});

test('a 1 MiB limit declared up front is refused before the body is sent', async () => {
  const raw = await rawExchange(emu, [
    `POST ${PUFFLE_TYPES} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: ${50 * MIB}\r\n\r\n{"name":`,
  ], { waitMs: 2000 });
  expect(raw.data).toMatch(/^HTTP\/1\.1 413 /);
  expect(raw.data).toMatch(/"code":"invalid_request","message":"the body is over 1 MiB/);
  expect(raw.closed).toBe(true);
});

test('malformed JSON is 400 invalid_json; non-UTF-8 bytes are 400', async () => {
  for (const raw of ['{"name": "x",', '{name: 1}', 'null x', '\u0000']) {
    const res = await api.call('POST', PUFFLE_TYPES, { raw });
    expect([raw, res.status]).toEqual([raw, 400]);
    expect(res.body.error.fields[0].code).toBe('invalid_json');
  }
  const bytes = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
  const res = await api.call('POST', PUFFLE_TYPES, { raw: bytes });
  expect(res.status).toBe(400);
  expect(res.body.error.fields[0].code).toBe('invalid_json');
  const s = await saber.call('POST', TEMPLATES, { raw: '{"name": ' });
  expect(s.status).toBe(400);
  expect(s.body.error.code).toBe('VALIDATION_ERROR');
  expect(await state()).toEqual(snapshot);
});

test('wrong content types are 415 before the body is read', async () => {
  const body = JSON.stringify(newType('Wrong type'));
  for (const headers of [{ 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' },
    { 'content-type': 'application/json; charset=latin1' }, { 'content-type': 'application/json', 'content-encoding': 'gzip' }]) {
    const res = await api.call('POST', PUFFLE_TYPES, { raw: body, headers });
    expect([headers, res.status]).toEqual([headers, 415]);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/Content-Type|UTF-8|Content-Encoding/) });
  }
  const s = await saber.call('POST', TEMPLATES, { raw: '{"name":"a","question":"b"}', headers: { 'content-type': 'text/xml' } });
  expect(s.status).toBe(415);
  expect(s.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  // application/json with charset=utf-8 and vendor +json types are fine.
  const ok = await api.call('POST', PUFFLE_TYPES, { raw: body, headers: { 'content-type': 'Application/JSON; charset=UTF-8' } });
  expect(ok.status).toBe(201);
  expect((await api.del(`${PUFFLE_TYPES}/${ok.body.id}`)).status).toBe(204);
  expect(await state()).toEqual(snapshot);
});

test('__proto__ and constructor keys are data, never prototypes', async () => {
  const res = await api.call('POST', PUFFLE_TYPES, { raw: '{"__proto__": {"built_in": true}, "name": "P"}' });
  expect(res.status).toBe(400);
  const q = await api.call('GET', '/api/v1/signals?__proto__=1&constructor=2');
  expect(q.status).toBe(400);
  const profiled = client(emu, puffleKey('proto'));
  const p = await profiled.call('PUT', '/api/context', { raw: '{"context": {"user": {}, "company": {}, "content": {}, "market": {}, "extra": {"__proto__": {"polluted": 1}}}}' });
  expect(p.status).toBe(200);
  expect(JSON.parse((await profiled.get('/api/context')).text).context.extra.__proto__).toEqual({ polluted: 1 });
  const hiring = (await api.get(PUFFLE_TYPES)).body.signal_types.find((t) => t.label === 'hiring');
  const cfg = await api.call('PATCH', `${PUFFLE_TYPES}/${hiring.id}`, { raw: '{"config": {"roles": ["a"], "__proto__": {"x": 1}}}' });
  expect(cfg.status).toBe(400);
  const other = client(emu, saberKey('proto'));
  const t = await other.call('POST', TEMPLATES, { raw: '{"name":"L","question":"q","answerType":"list","qualificationCriteria":{"choices":{"__proto__":{"answerQualification":"good","label":"P"},"constructor":{"answerQualification":"poor","label":"C"}}}}' });
  expect(t.status).toBe(201);
  expect(Object.keys(t.body.qualificationCriteria.choices).sort()).toEqual(['__proto__', 'constructor']);
  const got = JSON.parse((await other.get(`${TEMPLATES}/${t.body.id}`)).text);
  expect(got.qualificationCriteria.choices.__proto__).toEqual({ answerQualification: 'good', label: 'P' });
  expect({}.polluted).toBeUndefined();
  expect({}.answerQualification).toBeUndefined();
});

test('deep nesting is 400 too_deep, not a crash', async () => {
  const deep = `{"name": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
  const res = await api.call('POST', PUFFLE_TYPES, { raw: deep });
  expect(res.status).toBe(400);
  expect(res.body.error.fields.map((f) => f.code)).toContain('too_deep');
  const p = await api.call('PUT', '/api/context', { raw: `${'['.repeat(500_000)}${']'.repeat(500_000)}` });
  expect(p.status).toBe(400);
  expect(p.body.error.fields[0].code).toBe('too_deep');
  const s = await saber.call('POST', TEMPLATES, { raw: `{"outputSchema": ${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}}` });
  expect(s.status).toBe(400);
});

test('slowloris headers: the connection is answered 408 and closed', async () => {
  const raw = await rawExchange(emu, [`GET ${PUFFLE_TYPES} HTTP/1.1\r\n`, 'Host: x\r\n'], { waitMs: 3000, gapMs: 50 });
  expect(raw.closed).toBe(true);
  expect(raw.data).toMatch(/^HTTP\/1\.1 408 /);
});

test('a slow body gets 408 and the socket closed; nothing is stored', async () => {
  const body = JSON.stringify(newType('Slow'));
  const raw = await rawExchange(emu, [
    `POST ${PUFFLE_TYPES} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    body.slice(0, 10),
  ], { waitMs: 3000 });
  expect(raw.data).toMatch(/^HTTP\/1\.1 408 /);
  expect(raw.data).toMatch(/"code":"invalid_request","message":"the request body did not arrive/);
  expect(raw.closed).toBe(true);
  expect(await state()).toEqual(snapshot);
});

test('a client that disconnects mid-body changes nothing', async () => {
  const body = JSON.stringify(newType('Half sent'));
  await rawExchange(emu, [
    `POST ${PUFFLE_TYPES} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    body.slice(0, 20),
  ], { waitMs: 50 });
  expect(await state()).toEqual(snapshot);
});

test('garbage HTTP, unknown routes and wrong methods are answered cleanly', async () => {
  const raw = await rawExchange(emu, ['NOT HTTP AT ALL\r\n\r\n'], { waitMs: 2000 });
  expect(raw.data).toMatch(/^HTTP\/1\.1 400 /);
  expect((await api.get('/api/v1/nowhere')).status).toBe(404);
  const wrong = await api.call('PUT', PUFFLE_TYPES, { body: {} });
  expect(wrong.status).toBe(405);
  expect(wrong.headers.get('allow')).toBe('GET, POST');
  expect((await saber.call('PUT', `${TEMPLATES}/497f6eca-6276-4993-bfeb-53cbbbba6f08`, { body: {} })).status).toBe(405);
  expect((await api.get('/api/v1/signals/types/%E0%A4%A')).status).toBe(400);
});

test('after all of the above the server still serves and the data is unchanged', async () => {
  expect(await state()).toEqual(snapshot);
  expect((await api.post(PUFFLE_TYPES, newType('Still works'))).status).toBe(201);
});
