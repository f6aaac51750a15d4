// The clients against the vendors' own payloads: a plain node:http server answers with the
// examples of the OpenAPI documents (Puffle's and Saber's documented examples, taken from
// the documents, not retyped), and records what the client asked. Each test proves the
// client reads them completely and correctly: every page, every item as served, the 204,
// and the error bodies of every documented shape. Then responses that add and leave out
// fields: unknown fields pass through untouched, unknown source ids break nothing.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import {
  ApiError, ConflictError, loadEngine, NotFoundError, PreconditionError, PuffleClient, RateLimitError, ResearchTimeoutError, SaberClient,
  ServerError, signalAnswer,
} from '../../../js/index.js';
import { failure, puffleKey, saberKey } from '../client/helpers.js';

const doc = (name) => JSON.parse(readFileSync(new URL(`../../../schemas/openapi/${name}.json`, import.meta.url), 'utf8'));
const PUFFLE = doc('puffle');
const SABER = doc('saber');
const clone = (v) => structuredClone(v);

/** The example `name` of a response, following $refs into components. */
function example(d, path, method, status, name) {
  let r = d.paths[path][method].responses[status];
  if (r.$ref) r = d.components.responses[r.$ref.split('/').pop()];
  const ex = r.content['application/json'].examples[name];
  return clone(ex.$ref ? d.components.examples[ex.$ref.split('/').pop()].value : ex.value);
}
const FEED = '/api/v1/signals';
const feedExample = (name) => example(PUFFLE, FEED, 'get', '200', name);

// The spy: answers from a queue of scripted replies and records every request.
let server;
let base;
const replies = [];
const seen = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const url = new URL(req.url, 'http://spy');
      seen.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), search: url.search, body, auth: req.headers.authorization, headers: req.headers });
      const r = replies.shift() ?? { status: 599, body: { error: { code: 'internal_error', message: 'the test scripted no reply' } } };
      const text = r.text ?? (r.body === undefined ? '' : JSON.stringify(r.body));
      const type = r.text !== undefined ? 'text/plain' : 'application/json';
      res.writeHead(r.status, { ...(text ? { 'content-type': type } : {}), ...(r.headers ?? {}) });
      res.end(text);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => { replies.length = 0; seen.length = 0; });
afterEach(() => expect(replies).toEqual([])); // every scripted reply was asked for

const reply = (...rs) => replies.push(...rs);
const puffle = (options = {}) => new PuffleClient({ apiKey: puffleKey('spy'), baseUrl: base, maxRetries: 0, rateLimit: false, ...options });
const saber = (options = {}) => new SaberClient({ apiKey: saberKey('spy'), baseUrl: `${base}/v1`, maxRetries: 0, rateLimit: false, ...options });

describe("Puffle's documented payloads", () => {
  test('the feed over three pages: the cursor in pagination is followed; every signal is yielded as served', async () => {
    const page1 = feedExample('vendor');          // Puffle's own example: has_more, cursor = the last signal's id
    const page2 = feedExample('vendor');
    page2.signals[0].id = 'd3b07384-d9a0-4c9b-8f1e-2a6c1e0f5b7e';
    page2.pagination.cursor = 'page-3';
    const page3 = feedExample('lastPage');        // cursor null, has_more false, a source outside the enum
    reply({ status: 200, body: page1 }, { status: 200, body: page2 }, { status: 200, body: page3 });
    const signals = await puffle().signals.list({ limit: 1, sort: 'score' }).toArray();
    expect(signals).toEqual([...page1.signals, ...page2.signals, ...page3.signals]);
    expect(seen.map((r) => [r.method, r.path, r.query])).toEqual([
      ['GET', FEED, { limit: '1', sort: 'score' }],
      ['GET', FEED, { limit: '1', sort: 'score', cursor: page1.pagination.cursor }],
      ['GET', FEED, { limit: '1', sort: 'score', cursor: 'page-3' }],
    ]);
    expect(signals[2].source).toBe('podcasts');
    // pages() hands back the page objects as served.
    reply({ status: 200, body: page3 });
    expect(await puffle().signals.list().firstPage()).toEqual(page3);
  });

  test('group_by=entity: the entity groups of every page are yielded as served', async () => {
    const g1 = feedExample('grouped');
    g1.pagination = { cursor: 'next-entities', has_more: true, count: g1.entities.length };
    const g2 = feedExample('grouped');
    g2.entities[0].entity = { ...g2.entities[0].entity, id: '5b1f8a52-3d0e-4c9a-b7e2-91d4f0a3c615', name: 'Globex' };
    reply({ status: 200, body: g1 }, { status: 200, body: g2 });
    const groups = await puffle().signals.list({ group_by: 'entity' }).toArray();
    expect(groups).toEqual([...g1.entities, ...g2.entities]);
    expect(seen.map((r) => r.query)).toEqual([{ group_by: 'entity' }, { group_by: 'entity', cursor: 'next-entities' }]);
  });

  test('a page without pagination ends the walk after that page (never loops, never throws)', async () => {
    const { pagination, ...bare } = feedExample('vendor');
    reply({ status: 200, body: bare });
    expect(await puffle().signals.list().toArray()).toEqual(bare.signals);
    expect(pagination.has_more).toBe(true);
  });

  test('delete: 204 with no body resolves undefined; generate: 200 {run_id}', async () => {
    const type = example(PUFFLE, '/api/v1/signals/types/{id}', 'get', '200', 'builtIn');
    const custom = { ...type, id: '7f0e8c1a-2b3c-4d5e-9f60-718293a4b5c6', built_in: false, kind: 'keyword', label: 'Layoffs' };
    reply({ status: 204 });
    expect(await puffle().signalTypes.delete(custom)).toBeUndefined();
    reply({ status: 200, body: type }, { status: 200, body: example(PUFFLE, '/api/v1/signals/types/{id}/generate', 'post', '200', 'started') });
    expect(await puffle().signalTypes.generate(type.id)).toEqual({ run_id: 'run_a1b2c3d4e5f6' });
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      `DELETE /api/v1/signals/types/${custom.id}`, `GET /api/v1/signals/types/${type.id}`, `POST /api/v1/signals/types/${type.id}/generate`]);
  });

  test('onboarding, context and portal: the documented examples, on /api beside /api/v1', async () => {
    const status = example(PUFFLE, '/api/onboarding/status', 'get', '200', 'vendor');
    const context = example(PUFFLE, '/api/context', 'get', '200', 'complete');
    reply({ status: 200, body: status }, { status: 200, body: context }, { status: 200, body: context },
      { status: 200, body: example(PUFFLE, '/api/v1/partners/portal', 'get', '200', 'vendor') });
    const client = puffle();
    expect(await client.onboarding.waitForCompletion(status.session.id, { interval: 0 })).toEqual(status.session);
    expect(await client.context.get()).toEqual(context);
    expect(await client.context.set({ context: context.context, profile: context.profile })).toEqual(context);
    expect((await client.partners.portal()).url).toMatch(/^https:\/\//);
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/onboarding/status', 'GET /api/context', 'PUT /api/context', 'GET /api/v1/partners/portal']);
    expect(JSON.parse(seen[2].body)).toEqual({ context: context.context, profile: context.profile });
  });

  test('error bodies: {error: {code, message, fields}}, top-level {code, message}, {error: "text"}, plain text', async () => {
    const invalid = example(PUFFLE, '/api/v1/signals/types', 'post', '400', 'invalid_request');
    reply({ status: 400, body: invalid });
    const e1 = await failure(puffle().signalTypes.list());
    expect(e1).toMatchObject({ status: 400, code: 'invalid_request', fields: invalid.error.fields });
    expect(e1.message).toContain(invalid.error.message);

    reply({ status: 404, body: { code: 'not_found', message: 'Signal type not found' } });
    const e2 = await failure(puffle().signalTypes.get('3c90c3cc-0d44-4b50-8888-8dd25736052a'));
    expect(e2).toBeInstanceOf(NotFoundError);
    expect(e2).toMatchObject({ code: 'not_found', message: expect.stringContaining('Signal type not found') });

    reply({ status: 409, body: { error: 'A signal type with this name already exists' } });
    const e3 = await failure(puffle().signalTypes.create({ name: 'X', keywords: ['x'], search_instructions: 's', scoring_criteria: 'c', sources: ['news'] }));
    expect(e3).toBeInstanceOf(ConflictError);
    expect(e3.message).toContain('A signal type with this name already exists');

    reply({ status: 503, text: 'Service temporarily unavailable' });
    const e4 = await failure(puffle().signalTypes.list());
    expect(e4).toBeInstanceOf(ServerError);
    expect(e4.message).toContain('Service temporarily unavailable');

    reply({ status: 200, body: example(PUFFLE, '/api/v1/signals/types/{id}', 'get', '200', 'builtIn') },
      { status: 428, body: example(PUFFLE, '/api/v1/signals/types/{id}/generate', 'post', '428', 'precondition_failed') });
    const e5 = await failure(puffle().signalTypes.generate('3c90c3cc-0d44-4b50-8888-8dd25736052a'));
    expect(e5).toBeInstanceOf(PreconditionError);
    expect(e5.message).toMatch(/run onboarding first/);

    reply({ status: 429, headers: { 'retry-after': '12' }, body: example(PUFFLE, '/api/v1/signals', 'get', '429', 'rate_limited') });
    expect(await failure(puffle().signalTypes.list())).toMatchObject({ name: 'RateLimitError', retryAfterMs: 12_000, code: 'rate_limited' });
  });
});

describe("Saber's documented payloads", () => {
  const TEMPLATES = '/v1/companies/signals/templates';
  test('the template list example (total 10, hasMore false): one page, its one item', async () => {
    const page = example(SABER, TEMPLATES, 'get', '200', 'vendor');
    reply({ status: 200, body: page });
    expect(await saber().templates.list().toArray()).toEqual(page.items);
    expect(seen).toHaveLength(1);
  });

  test('the envelope and both 429 shapes', async () => {
    const envelope = example(SABER, TEMPLATES, 'get', '400', 'vendor');
    reply({ status: 400, body: envelope });
    const e1 = await failure(saber().templates.list().toArray());
    expect(e1).toBeInstanceOf(ApiError);
    expect(e1).toMatchObject({
      status: 400, code: 'VALIDATION_ERROR', type: 'VALIDATION', requestId: envelope.error.requestId,
      errorAction: envelope.error.errorAction, fields: envelope.error.fields,
    });
    const reset = Math.floor(Date.now() / 1000) + 30;
    reply({ status: 429, headers: { 'x-ratelimit-reset': String(reset) }, body: example(SABER, TEMPLATES, 'get', '429', 'perRoute') });
    const e2 = await failure(saber().templates.list().toArray());
    expect(e2).toBeInstanceOf(RateLimitError);
    expect(e2).toMatchObject({ type: 'TIMEOUT', code: 'TOO_MANY_REQUESTS' });
    expect(e2.retryAfterMs).toBeGreaterThan(25_000);
    reply({ status: 429, body: example(SABER, TEMPLATES, 'get', '429', 'global') });
    expect(await failure(saber().templates.list().toArray())).toMatchObject({ name: 'RateLimitError', code: 'TOO_MANY_REQUESTS', retryAfterMs: 12_000 });
  });

  test('delete: 204 resolves undefined', async () => {
    reply({ status: 204 });
    expect(await saber().templates.delete('e45c1dc4-d422-4b51-956b-cb6d3ddaf250')).toBeUndefined();
  });

  const SIGNALS = '/v1/companies/signals';
  const SYNC = `${SIGNALS}/sync`;
  test('the company signal list example: its signals as served, the wrapped answer unwrapped, the processing one without', async () => {
    const page = example(SABER, SIGNALS, 'get', '200', 'vendor'); // total 42, count 2: the walk asks for offset 2
    const end = { results: [], total: 42, limit: 25, offset: 2, count: 0 };
    reply({ status: 200, body: page }, { status: 200, body: end });
    const signals = await saber().signals.list({ domain: 'acme.com', status: ['completed', 'processing'] }).toArray();
    expect(signals).toEqual(page.results);
    expect(seen.map((r) => r.search)).toEqual(['?domain=acme.com&status=completed&status=processing', '?domain=acme.com&status=completed&status=processing&offset=2']);
    expect(signals.map(signalAnswer)).toEqual(['Enterprise CRM software', null]);
  });

  test('sync: the 200 example evaluates; the 202 example is waited for; the 408 example is a ResearchTimeoutError', async () => {
    const engine = await loadEngine();
    const body = { domain: 'acme.com', question: 'How many employees?', answerType: 'number' };
    const completed = example(SABER, SYNC, 'post', '200', 'completed');
    reply({ status: 200, body: completed });
    const signal = await saber().signals.sync(body, { timeoutSec: 120 });
    expect(signal).toEqual(completed);
    expect(seen[0].headers['x-sbr-timeout-sec']).toBe('120');
    expect(seen[0].headers['x-sbr-timeout-error']).toBeUndefined();
    expect(engine.evaluate({ answerType: 'number' }, signalAnswer(signal)).value).toBe(1200);

    const processing = example(SABER, SYNC, 'post', '202', 'processing');
    reply({ status: 202, body: processing }, { status: 200, body: example(SABER, `${SIGNALS}/{id}`, 'get', '200', 'completed') });
    const pending = await saber().signals.sync(body);
    expect(pending).toEqual(processing);
    expect((await saber().signals.waitFor(pending, { interval: 1 })).status).toBe('completed');
    expect(seen.at(-1).path).toBe(`${SIGNALS}/${processing.id}`);

    reply({ status: 408, body: example(SABER, SYNC, 'post', '408', 'timeout') });
    const err = await failure(saber().signals.sync(body, { timeoutSec: 120, timeoutError: true }));
    expect(err).toBeInstanceOf(ResearchTimeoutError);
    expect(err).toMatchObject({ status: 408, code: 'REQUEST_TIMEOUT', timeoutSec: 120, requestId: 'e69ed773-2674-4dca-be61-886d6698f360' });
    expect(seen.at(-1).headers['x-sbr-timeout-error']).toBe('true');
  });

  test('get: the 404 example is a NotFoundError', async () => {
    reply({ status: 404, body: example(SABER, `${SIGNALS}/{id}`, 'get', '404', 'notFound') });
    const err = await failure(saber().signals.get('e45c1dc4-d422-4b51-956b-cb6d3ddaf250'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toMatch(/signal not found or access denied/);
  });
});

describe('tolerance: responses that add fields and leave optional ones out', () => {
  test('unknown fields pass through untouched; unknown source ids and missing optional fields break nothing', async () => {
    const page = feedExample('vendor');
    const [documented] = page.signals;
    const added = {
      ...documented, source: 'tiktok', sentiment: { label: 'positive', score: 0.8 }, tags: ['b2b'],
      entity: { ...documented.entity, employees: 120, hq: { city: 'Berlin' } },
    };
    const { type: _t, domain: _d, ...bareEntity } = documented.entity;
    const sparse = { ...documented, id: 'd3b07384-d9a0-4c9b-8f1e-2a6c1e0f5b7f', entity: bareEntity, text: null, reasoning: null,
      source_url: null, confidence: null, classification: null };
    const served = { signals: [added, sparse], pagination: { ...page.pagination, cursor: null, has_more: false, next_page_url: null }, took_ms: 12 };
    reply({ status: 200, body: served });
    const client = puffle();
    const pages = [];
    for await (const p of client.signals.list().pages()) pages.push(p);
    expect(pages).toEqual([served]);
    expect(pages[0].signals[0]).toEqual(added); // untouched, extra fields and all

    // A type from a newer API: sources the request enum does not know, extra fields.
    const type = { ...example(PUFFLE, '/api/v1/signals/types', 'get', '200', 'types').signal_types[1],
      sources: ['news', 'tiktok'], owner: 'growth-team' };
    reply({ status: 200, body: { signal_types: [type], total: 1 } });
    const [listed] = await client.signalTypes.list();
    expect(listed).toEqual(type);
    // ...which the matcher takes as it is: the unknown source is just another source.
    const engine = await loadEngine();
    const matcher = engine.compileMatcher([listed, { label: 'Anywhere', keywords: ['hiring'], sources: null }]);
    try {
      const on = (source) => matcher.match({ source, title: sparse.title, text: sparse.text ?? '' }).types.filter((t) => t.matched).map((t) => t.label);
      expect(on('tiktok')).toEqual(['Anywhere']);
      const layoffs = matcher.match({ source: 'tiktok', text: 'More layoffs at Acme.' });
      expect(layoffs.types.filter((t) => t.matched).map((t) => t.label)).toEqual(['Layoffs']);
      expect(matcher.match({ source: 'reddit', text: 'More layoffs at Acme.' }).matched).toBe(false);
    } finally {
      matcher.close();
    }
    // ...and an update the client checks locally leaves the unknown source to the server.
    reply({ status: 200, body: { ...type, description: 'Cuts' } });
    expect((await client.signalTypes.update(listed, { description: 'Cuts' })).owner).toBe('growth-team');
    expect(JSON.parse(seen.at(-1).body)).toEqual({ description: 'Cuts' });
  });

  test('Saber: a template with extra fields and without the optional ones keeps working', async () => {
    const [t] = example(SABER, '/v1/companies/signals/templates', 'get', '200', 'vendor').items;
    const newer = { ...t, tags: ['crm'], qualificationCriteria: {}, outputSchema: null, description: null, weight: null };
    reply({ status: 200, body: newer }, { status: 200, body: { ...newer, id: 'f45c1dc4-d422-4b51-956b-cb6d3ddaf250', version: 2, name: 'CRM' } });
    const client = saber();
    expect(await client.templates.get(t.id)).toEqual(newer);
    expect((await client.templates.update(t.id, { name: 'CRM' })).tags).toEqual(['crm']);
  });
});
