// The independent contract check: both clients run against the emulator THROUGH Prism's
// validation proxy, one proxy per OpenAPI document, over every endpoint the clients call and
// every status they can reach with requests the documents allow. Prism answers a request
// that breaks its document with 422 (never forwarded) and turns a response that breaks it
// into a 500, so either fails the call here; it logs anything else it dislikes, and the run
// fails on any such line. The emulator runs strict too (its own ajv check), but Prism is the
// reference: different code, reading the same documents.
import {
  AuthenticationError, ConflictError, NotFoundError, OnboardingFailedError, PreconditionError, PuffleClient,
  RateLimitError, ResearchTimeoutError, SaberClient, ServerError, ValidationError,
} from '../../../js/index.js';
import { researchDelay } from '../../../js/emulator/research.js';
import { workspace } from '../emulator/helpers.js';
import { failure, newTemplate, newType, puffleKey, saberKey, start } from '../client/helpers.js';
import { jest } from '@jest/globals';
import { startPrism } from './prism.js';

jest.setTimeout(60_000);

const KEYS = {
  puffle: ['types', 'fresh', 'profile', 'feed', 'limited', 'faults'].map((n) => puffleKey(`prism-${n}`)),
  saber: ['templates', 'fresh', 'limited', 'signals', 'scores'].map((n) => saberKey(`prism-${n}`)),
};
// Company research takes 20 ms to 1.6 s, picked per domain and question: quick answers for
// the 200s, slow ones to reach 202 and 408 within a 1 s wait.
const RESEARCH_DELAY_MS = [20, 1_600];
/** A question whose research of `domain` takes `accept(ms)` (the emulator's own pick). */
function questionTaking(domain, accept) {
  for (let i = 0; ; i++) {
    const question = `How many people work at the company (${i})?`;
    if (accept(researchDelay(RESEARCH_DELAY_MS, 'signalkit', domain, question))) return question;
  }
}
let emu;
let proxies;
beforeAll(async () => {
  emu = await start({
    keys: [...KEYS.puffle, ...KEYS.saber],
    // Small enough to reach a 429 in a few calls; each flow below uses its own key.
    rateLimits: { puffle: { limit: 70, windowMs: 60_000 }, saberWrite: { limit: 10, burst: 10, windowMs: 60_000 } },
    faults: true,
    generateDelayMs: 20,
    researchDelayMs: RESEARCH_DELAY_MS,
  });
  proxies = {
    puffle: await startPrism('schemas/openapi/puffle.json', emu.url),
    saber: await startPrism('schemas/openapi/saber.json', emu.url),
  };
});
afterAll(async () => {
  await Promise.all(Object.values(proxies ?? {}).map((p) => p.close()));
  await emu?.close();
});
afterEach(() => emu.clearFaults());

// Nothing Prism logs may be a warning or an error: every exchange conformed.
afterEach(() => {
  for (const p of Object.values(proxies)) expect(p.problems()).toEqual([]);
});

const puffle = (name, options = {}) => new PuffleClient({
  apiKey: puffleKey(`prism-${name}`), baseUrl: proxies.puffle.url, retryBaseDelayMs: 5, retryMaxDelayMs: 20, ...options,
});
const saber = (name, options = {}) => new SaberClient({
  apiKey: saberKey(`prism-${name}`), baseUrl: `${proxies.saber.url}/v1`, retryBaseDelayMs: 5, retryMaxDelayMs: 20, ...options,
});

describe('Puffle through Prism', () => {
  test('signal types and their source settings: every call and its errors', async () => {
    const client = puffle('types');
    const types = await client.signalTypes.list();
    expect(types).toHaveLength(4);
    const created = await client.signalTypes.create(newType('Layoffs'));
    expect(await client.signalTypes.get(created)).toEqual(created);
    const updated = await client.signalTypes.update(created, { keywords: ['layoffs', 'furlough'], description: 'Cuts' });
    expect(updated.description).toBe('Cuts');
    const hiring = types.find((t) => t.label === 'hiring');
    await client.signalTypes.update(hiring, { config: { roles: ['SDR'], seniority: ['Senior', 'Director'], work_type: 'Any', locations: ['Berlin'] } });
    expect((await client.signalTypes.reset(hiring)).id).toBe(hiring.id);
    const rows = await client.signalTypes.sources.list(created);
    expect(rows).toHaveLength(7);
    expect(await client.signalTypes.sources.update(created, 'reddit', { keywords_extra: ['rif'], prompt_override: null }))
      .toEqual({ source_id: 'reddit', enabled: true, keywords_extra: ['rif'], prompt_override: null });
    expect(await client.signalTypes.delete(created)).toBeUndefined();
    expect(await failure(client.signalTypes.get(created.id))).toBeInstanceOf(NotFoundError);

    // What only the server knows (a client that has seen nothing): 404, 400 and 409 bodies.
    const fresh = puffle('fresh');
    expect(await failure(fresh.signalTypes.delete(hiring.id))).toMatchObject({ status: 404 }); // another key's type
    const own = (await fresh.signalTypes.list())[0];
    const fresher = puffle('fresh');
    expect(await failure(fresher.signalTypes.delete(own.id))).toMatchObject({ status: 400, code: 'invalid_request' });
    await fresh.signalTypes.create(newType('Twice'));
    expect(await failure(fresher.signalTypes.create(newType('Twice')))).toBeInstanceOf(ConflictError);
    const keyword = await fresh.signalTypes.create(newType('Keywords only'));
    expect(await failure(fresher.signalTypes.reset(keyword.id))).toMatchObject({ status: 400 });
  });

  test('company profile: 428, onboarding (completed and failed), context, then generate', async () => {
    const client = puffle('profile');
    const [hiring] = await client.signalTypes.list();
    expect(await failure(client.signalTypes.generate(hiring))).toBeInstanceOf(PreconditionError);
    expect(await client.onboarding.status()).toEqual({ session: null });
    expect(await client.context.get()).toEqual({ context: null, profile: null });

    const bad = await client.onboarding.start({ website: 'acme.invalid' });
    expect(await failure(client.onboarding.waitForCompletion(bad.sessionId, { interval: 5 }))).toBeInstanceOf(OnboardingFailedError);
    const { sessionId } = await client.onboarding.start({ website: 'https://acme-rockets.com', email: 'jane@acme-rockets.com', firstName: 'Jane', lastName: 'Doe' });
    expect((await client.onboarding.waitForCompletion(sessionId, { interval: 5 })).status).toBe('completed');
    expect((await client.onboarding.status(sessionId)).session.companyName).toBe('Acme Rockets');

    const read = await client.context.get();
    expect(read.profile.companyName).toBe('Acme Rockets');
    expect(await client.context.set(read)).toEqual(read);
    await client.context.set(workspace({ company: 'Acme Rockets' }));

    const { run_id: runId } = await client.signalTypes.generate(hiring);
    const done = await client.signalTypes.waitForGeneration(hiring, { interval: 10 });
    expect(done.search_instructions).toContain(runId);
  });

  test('the feed: every page flat and grouped, filters, dismiss and feedback', async () => {
    const client = puffle('feed');
    const all = await client.signals.list({ limit: 100 }).toArray();
    expect(all).toHaveLength(240);
    const groups = await client.signals.list({ group_by: 'entity', limit: 10 }).toArray();
    expect(groups.reduce((n, g) => n + g.signal_count, 0)).toBe(240);
    const entity = all[0].entity.id;
    const filtered = await client.signals.list({
      since: all[100].created_at, until: all[0].created_at, source: ['news', 'reddit'], signal_type: ['hiring', 'funding'],
      sort: 'score', limit: 50,
    }).toArray();
    expect(filtered.every((s) => ['news', 'reddit'].includes(s.source))).toBe(true);
    expect((await client.signals.list({ entity_id: entity, limit: 5 }).toArray()).every((s) => s.entity.id === entity)).toBe(true);
    expect(await client.signals.dismiss(all[0].id)).toEqual({ success: true });
    expect(await client.signals.feedback(all[1].id, 'positive')).toEqual({ success: true });
    expect(await failure(client.signals.dismiss('3c90c3cc-0d44-4b50-8888-8dd25736052a'))).toBeInstanceOf(NotFoundError);
  });

  test('the partner portal: 404 without a webhook app, then a link', async () => {
    const client = puffle('profile');
    expect(await failure(client.partners.portal())).toBeInstanceOf(NotFoundError);
    await fetch(`${emu.url}/__emulator/webhook-app`, { method: 'PUT', headers: { authorization: `Bearer ${puffleKey('prism-profile')}` } });
    expect(await client.partners.portal()).toEqual({ url: expect.stringMatching(/^http:\/\//) });
  });

  test('401, 429 with Retry-After, and the transport statuses 500, 502 and 503', async () => {
    const stranger = new PuffleClient({ apiKey: puffleKey('prism-stranger'), baseUrl: proxies.puffle.url });
    expect(await failure(stranger.signalTypes.list())).toBeInstanceOf(AuthenticationError);

    const limited = puffle('limited', { rateLimit: false, maxRetries: 0 });
    let err;
    for (let i = 0; i < 100 && !err; i++) err = await limited.signalTypes.list().then(() => null, (e) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterMs).toBeGreaterThan(0);

    const client = puffle('faults', { maxRetries: 0 });
    for (const status of [500, 502, 503]) {
      await emu.plan({ next: [{ type: 'status', status, route: 'puffle.signalType.list' }] });
      expect(await failure(client.signalTypes.list())).toMatchObject({ status, code: 'internal_error' });
    }
    await emu.plan({ next: [{ type: 'status', status: 503, route: 'puffle.context.get' }] });
    expect(await failure(client.context.get())).toBeInstanceOf(ServerError);
  });

  test('a request the document forbids never reaches the emulator (the client refuses it first)', async () => {
    const before = emu.log.length;
    expect(await failure(puffle('types').signals.list({ limit: 500 }).toArray())).toBeInstanceOf(ValidationError);
    // Sent anyway, bypassing the client, Prism refuses it with 422.
    const res = await fetch(`${proxies.puffle.url}/api/v1/signals?limit=500`, { headers: { authorization: `Bearer ${puffleKey('prism-types')}` } });
    expect(res.status).toBe(422);
    expect(emu.log.length).toBe(before);
    // Prism logs the refused request as an error: that was the point of this one.
    expect((await proxies.puffle.problemLogged()).length).toBeGreaterThan(0);
    proxies.puffle.forget();
  });
});

describe('Saber through Prism', () => {
  test('templates: create, get (version and templateId), update, pages, delete, and their errors', async () => {
    const client = saber('templates');
    const t = await client.templates.create(newTemplate('Headcount'));
    expect(await client.templates.get(t)).toEqual(t);
    const v2 = await client.templates.update(t, { description: 'From public sources' });
    expect(await client.templates.get(t.templateId)).toEqual(v2);
    for (let i = 0; i < 4; i++) await client.templates.create(newTemplate(`T${i}`, { answerType: 'boolean', qualificationCriteria: { yes: 'good', no: 'poor' } }));
    expect((await client.templates.list({ limit: 2 }).toArray()).map((x) => x.name)).toEqual(['Headcount', 'T0', 'T1', 'T2', 'T3']);
    expect(await client.templates.delete(v2)).toBeUndefined();
    expect((await client.templates.list({ includeDeleted: true, limit: 100 }).toArray())).toHaveLength(5);
    expect(await failure(client.templates.update(v2, { name: 'zombie' }))).toBeInstanceOf(NotFoundError);

    // A client that has not seen the template cannot check criteria against its answerType: the server does (400).
    const fresh = saber('templates');
    const boolean = (await client.templates.list().toArray()).find((x) => x.answerType === 'boolean');
    const err = await failure(fresh.templates.update(boolean.id, { qualificationCriteria: { ranges: [{ rangeStart: 0, rangeEnd: 1, answerQualification: 'good' }] } }));
    expect(err).toMatchObject({ status: 400, code: 'VALIDATION_ERROR', type: 'VALIDATION' });
  });

  test('401, both 429 shapes, and 503', async () => {
    const stranger = new SaberClient({ apiKey: saberKey('prism-stranger'), baseUrl: `${proxies.saber.url}/v1` });
    expect(await failure(stranger.templates.list().toArray())).toBeInstanceOf(AuthenticationError);

    const limited = saber('limited', { rateLimit: false, maxRetries: 0 });
    const refusals = [];
    for (let i = 0; i < 30 && refusals.length < 2; i++) {
      const e = await limited.templates.create(newTemplate(`L${i}`)).then(() => null, (x) => x);
      if (e) refusals.push(e);
    }
    expect(refusals.map((e) => [e.name, e.status])).toEqual([['RateLimitError', 429], ['RateLimitError', 429]]);
    expect(refusals[0]).toMatchObject({ type: 'TIMEOUT', code: 'TOO_MANY_REQUESTS' });
    expect(refusals[1].body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', retryAfter: expect.any(Number) });

    await emu.plan({ next: [{ type: 'status', status: 503, route: 'saber.template.list' }] });
    expect(await failure(saber('templates', { maxRetries: 0 }).templates.list().toArray())).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  });
});

describe('Saber company signals through Prism', () => {
  test('create, sync (200, 202, 408), get (200, 404), waitFor, list pages and filters, and their errors', async () => {
    const client = saber('signals');
    const quick = questionTaking('acme.com', (ms) => ms < 300);
    const slowQuestion = questionTaking('acme.com', (ms) => ms > 1_300);
    const ask = (question, extra = {}) => ({ domain: 'acme.com', question, answerType: 'number', ...extra });

    const started = await client.signals.create(ask(quick));
    expect(started.status).toBe('processing');
    const done = await client.signals.waitFor(started, { interval: 50 });
    expect(done).toMatchObject({ status: 'completed', id: started.id });
    expect(await client.signals.get(started.id)).toEqual(done);
    expect((await client.signals.sync(ask(quick, { forceRefresh: true }), { timeoutSec: 5 })).status).toBe('completed');
    expect((await client.signals.sync(ask(quick))).status).toBe('completed'); // the cache, no header
    expect((await client.signals.sync(ask(slowQuestion), { timeoutSec: 1 })).status).toBe('processing'); // 202
    expect(await failure(client.signals.sync(ask(slowQuestion, { forceRefresh: true }), { timeoutSec: 1, timeoutError: true })))
      .toBeInstanceOf(ResearchTimeoutError); // 408
    expect((await client.signals.sync({ domain: 'acme.invalid', question: quick, answerType: 'boolean' })).status).toBe('failed');
    const t = await client.templates.create(newTemplate('Headcount', { question: quick }));
    expect((await client.signals.sync({ domain: 'acme.com', signalTemplateId: t.id, verificationMode: 'strict' })).status).toBe('completed');

    const pages = [];
    for await (const page of client.signals.list({ limit: 2 }).pages()) pages.push(page);
    expect(pages.map((p) => p.count)).toEqual([2, 2, 2, 1]);
    expect(await client.signals.list({ domain: 'acme.com', status: ['processing', 'failed'], fromDate: '2020-01-01T00:00:00Z' }).toArray()).toEqual([]);
    expect((await client.signals.list({ status: ['failed'] }).toArray()).map((s) => s.domain)).toEqual(['acme.invalid']);

    expect(await failure(client.signals.get('3c90c3cc-0d44-4b50-8888-8dd25736052a'))).toBeInstanceOf(NotFoundError);
    const gone = await failure(client.signals.create({ domain: 'acme.com', signalTemplateId: '3c90c3cc-0d44-4b50-8888-8dd25736052a' }));
    expect(gone).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const raw = await fetch(`${proxies.saber.url}/v1/companies/signals/sync`, { method: 'POST',
      headers: { authorization: `Bearer ${saberKey('prism-signals')}`, 'content-type': 'application/json', 'x-sbr-timeout-sec': '0' },
      body: JSON.stringify(ask(quick)) });
    expect(raw.status).toBe(422); // Prism refuses the header the document bounds to 1-900
    // Prism logs the refusal as an error (that was the point of it), sometimes just after answering.
    for (let i = 0; i < 100 && proxies.saber.problems().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(proxies.saber.problems()).toEqual([expect.stringContaining('UNPROCESSABLE_ENTITY')]);
    proxies.saber.forget();
  });

  test('scoreCompany and scoreCompanies', async () => {
    const client = saber('scores');
    const quick = (name, extra) => newTemplate(name, { question: questionTaking('northwind-traders.com', (ms) => ms < 400), ...extra });
    const templates = [
      await client.templates.create(quick('Headcount')),
      await client.templates.create(quick('Uses a CRM', { answerType: 'boolean', qualificationCriteria: { yes: 'good', no: 'poor' } })),
    ];
    const one = await client.scoreCompany('northwind-traders.com', { templates, timeoutSec: 1, wait: { interval: 50 } });
    expect(one.answers.map((a) => a.signal.status)).toEqual(['completed', 'completed']);
    const results = [];
    for await (const r of client.scoreCompanies(['northwind-traders.com', 'gone.invalid'], { templates, timeoutSec: 1, wait: { interval: 50 } })) results.push(r);
    expect(results.map((r) => r.domain).sort()).toEqual(['gone.invalid', 'northwind-traders.com']);
    expect(results.find((r) => r.domain === 'gone.invalid').errors.map((e) => e.code)).toEqual(['research_failed', 'research_failed']);
  });
});

test('Prism bites: the feed shape the emulator used to send (paging at the top level) fails the call', async () => {
  // A plain upstream answering what signalkit's emulator answered before the documents existed.
  const { createServer } = await import('node:http');
  const old = {
    signals: [{ id: '3c90c3cc-0d44-4b50-8888-8dd25736052a', signal_type: 'hiring', source: 'news', title: 'Acme is hiring',
      url: 'https://news.example.com/a', snippet: 'Acme posted a role', score: 80, detected_at: '2026-01-01T00:00:00Z',
      entity: { id: '3c90c3cc-0d44-4b50-8888-8dd25736052b', name: 'Acme', domain: 'acme.com' } }],
    cursor: null, has_more: false, count: 1,
  };
  const upstream = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(old));
  });
  await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const proxy = await startPrism('schemas/openapi/puffle.json', `http://127.0.0.1:${upstream.address().port}`);
  try {
    const client = new PuffleClient({ apiKey: puffleKey('prism-old'), baseUrl: proxy.url, maxRetries: 0 });
    const err = await failure(client.signals.list().toArray());
    expect(err).toBeInstanceOf(ServerError);
    expect(err.body).toMatchObject({ type: 'https://stoplight.io/prism/errors#VIOLATIONS' });
    const where = err.body.validation.map((v) => v.path?.join('.') ?? v.message).join(' | ');
    expect(where).toMatch(/pagination|text|created_at|source_url/);
  } finally {
    await proxy.close();
    await new Promise((resolve) => upstream.close(resolve));
  }
});
