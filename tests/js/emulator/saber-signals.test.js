// Saber company signals against a real emulator over loopback HTTP (strict responses): the
// four endpoints and their statuses, simulated research shaped by answer type, the cache,
// failed research, and the list's filters and pages.
import { loadEngine } from '../../../js/index.js';
import { researchDelay } from '../../../js/emulator/research.js';
import { signalAnswer } from '../../../js/saber/answers.js';
import { client, saberKey, start, TEMPLATES } from './helpers.js';

const SIGNALS = '/v1/companies/signals';
const SYNC = '/v1/companies/signals/sync';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DELAY_MS = 40;

let emu;
let slow;
let engine;
beforeAll(async () => {
  engine = await loadEngine();
  emu = await start({ researchDelayMs: DELAY_MS });
  // Research that outlasts the shortest synchronous wait (1 s): 202 and 408.
  slow = await start({ researchDelayMs: 1_500 });
});
afterAll(async () => {
  await emu?.close();
  await slow?.close();
});

const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const inline = (domain, extra = {}) => ({ domain, question: 'How many employees does the company have?', answerType: 'number', ...extra });
const listTemplate = {
  name: 'CRM', question: 'Which CRM does the company use?', answerType: 'list',
  qualificationCriteria: { choices: {
    salesforce: { answerQualification: 'excellent', label: 'Salesforce' },
    hubspot: { answerQualification: 'good', label: 'HubSpot' },
    in_house: { answerQualification: 'disqualified', label: 'In-house' },
  } },
};

describe('create and get', () => {
  test('create answers 201 with a processing signal; get shows it completed once research is done', async () => {
    const api = client(emu, saberKey('signals-create'));
    const res = await api.post(SIGNALS, inline('northwind-traders.com'));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(UUID), status: 'processing', domain: 'northwind-traders.com',
      question: 'How many employees does the company have?', answerType: 'number', createdAt: expect.any(String),
    });
    await pause(DELAY_MS + 20);
    const done = await api.get(`${SIGNALS}/${res.body.id}`);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      id: res.body.id, status: 'completed', error: null, confidence: expect.any(Number), reasoning: expect.any(String),
      sources: [{ title: 'Northwind Traders website', url: 'https://northwind-traders.com/about' }, expect.objectContaining({ url: expect.any(String) })],
    });
    expect(Date.parse(done.body.completedAt) - Date.parse(done.body.createdAt)).toBe(DELAY_MS);
    // Ids are case-insensitive, like every Saber id.
    expect((await api.get(`${SIGNALS}/${res.body.id.toUpperCase()}`)).body).toEqual(done.body);
  });

  test('404 for an unknown id or another key\'s signal; 400 for a malformed id', async () => {
    const api = client(emu, saberKey('signals-404'));
    const mine = (await api.post(SIGNALS, inline('acme.com'))).body;
    const other = client(emu, saberKey('signals-404-other'));
    for (const res of [await other.get(`${SIGNALS}/${mine.id}`), await api.get(`${SIGNALS}/3c90c3cc-0d44-4b50-8888-8dd25736052a`)]) {
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', type: 'NOT_FOUND', message: 'signal not found or access denied' });
    }
    const bad = await api.get(`${SIGNALS}/not-a-uuid`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f) => f.field)).toEqual(['id']);
  });

  test('the engine\'s rules answer 400: a URL for a domain (with the hint), template xor question, outputSchema', async () => {
    const api = client(emu, saberKey('signals-400'));
    const url = await api.post(SIGNALS, inline('https://acme.com/'));
    expect(url.status).toBe(400);
    expect(url.body.error.fields).toEqual([{ field: 'domain', message: expect.stringContaining('acme.com') }]);
    const both = await api.post(SIGNALS, { ...inline('acme.com'), signalTemplateId: '3c90c3cc-0d44-4b50-8888-8dd25736052a' });
    expect(both.status).toBe(400);
    expect(both.body.error.details.issues.map((i) => i.code)).toContain('not_applicable');
    const neither = await api.post(SIGNALS, { domain: 'acme.com' });
    expect(neither.body.error.details.issues).toEqual([expect.objectContaining({ field: 'signalTemplateId', code: 'required' })]);
    const schemaless = await api.post(SIGNALS, inline('acme.com', { answerType: 'json_schema' }));
    expect(schemaless.body.error.details.issues).toEqual([expect.objectContaining({ field: 'outputSchema', code: 'required' })]);
    expect((await api.post(SIGNALS, undefined)).status).toBe(400);
  });

  test('a template supplies question and answer type; an unknown or deleted template is 404', async () => {
    const api = client(emu, saberKey('signals-template'));
    const t = (await api.post(TEMPLATES, listTemplate)).body;
    const v2 = (await api.patch(`${TEMPLATES}/${t.id}`, { question: 'Which CRM is in use?' })).body;
    // Any version id names the template: research uses its latest version.
    const res = await api.post(SIGNALS, { domain: 'globex.com', signalTemplateId: t.id });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ question: v2.question, answerType: 'list' });
    const missing = await api.post(SIGNALS, { domain: 'globex.com', signalTemplateId: '3c90c3cc-0d44-4b50-8888-8dd25736052a' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'NOT_FOUND', errorCode: 'TEMPLATE_NOT_FOUND' });
    await api.del(`${TEMPLATES}/${t.id}`);
    expect((await api.post(SIGNALS, { domain: 'globex.com', signalTemplateId: v2.id })).status).toBe(404);
  });
});

describe('sync', () => {
  test('200 with the finished signal when research ends within the wait', async () => {
    const api = client(emu, saberKey('signals-sync'));
    const res = await api.post(SYNC, inline('initech.com'), { headers: { 'X-Sbr-Timeout-Sec': '5' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'completed', domain: 'initech.com', completedAt: expect.any(String) });
    expect((await api.get(`${SIGNALS}/${res.body.id}`)).body).toEqual(res.body);
  });

  test('202 with the signal still processing when the wait runs out; 408 when X-Sbr-Timeout-Error asks for it', async () => {
    const api = client(slow, saberKey('signals-sync-slow'));
    const accepted = await api.post(SYNC, inline('umbrella-corp.com'), { headers: { 'X-Sbr-Timeout-Sec': '1' } });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ status: 'processing', domain: 'umbrella-corp.com' });
    expect(accepted.body.completedAt).toBeUndefined();

    const timedOut = await api.post(SYNC, inline('hooli.com', { forceRefresh: true }), { headers: { 'X-Sbr-Timeout-Sec': '1', 'X-Sbr-Timeout-Error': 'true' } });
    expect(timedOut.status).toBe(408);
    expect(timedOut.body.error).toMatchObject({ type: 'TIMEOUT', code: 'REQUEST_TIMEOUT', message: 'signal processing exceeded the timeout of 1 s' });
    // The research goes on: both signals finish and are listed.
    await pause(600);
    const page = (await api.get(SIGNALS)).body;
    expect(page.results.map((s) => [s.domain, s.status])).toEqual([['hooli.com', 'completed'], ['umbrella-corp.com', 'completed']]);
  });

  test('malformed timeout headers are 400 naming the header', async () => {
    const api = client(emu, saberKey('signals-sync-headers'));
    for (const [headers, code] of [[{ 'X-Sbr-Timeout-Sec': '0' }, 'below_minimum'], [{ 'X-Sbr-Timeout-Sec': '901' }, 'above_maximum'],
      [{ 'X-Sbr-Timeout-Sec': 'soon' }, 'type'], [{ 'X-Sbr-Timeout-Error': 'yes' }, 'type']]) {
      const res = await api.post(SYNC, inline('acme.com'), { headers });
      expect([res.status, res.body.error.details.issues.map((i) => [i.field, i.code])]).toEqual([400, [[Object.keys(headers)[0], code]]]);
    }
    expect((await api.get(SIGNALS)).body.total).toBe(0); // nothing was started
  });

  test('a browser may send the timeout headers (CORS preflight)', async () => {
    const cors = await start({ cors: true, researchDelayMs: 10 });
    try {
      const res = await fetch(`${cors.url}${SYNC}`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:9', 'access-control-request-method': 'POST' } });
      expect(res.headers.get('access-control-allow-headers')).toMatch(/X-Sbr-Timeout-Sec, X-Sbr-Timeout-Error/);
    } finally {
      await cors.close();
    }
  });
});

describe('research', () => {
  test('a domain that cannot resolve fails, as onboarding does for such a website', async () => {
    const api = client(emu, saberKey('signals-failed'));
    for (const domain of ['acme.invalid', 'shop.example', 'intranet']) {
      const res = await api.post(SYNC, inline(domain));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'failed', answer: null, error: `the domain ${domain} could not be resolved`, completedAt: expect.any(String) });
    }
  });

  test('answers are deterministic per (domain, question), whoever asks, and shaped by the answer type', async () => {
    const a = client(emu, saberKey('signals-det-a'));
    const b = client(emu, saberKey('signals-det-b'));
    const one = (await a.post(SYNC, inline('contoso.com'))).body;
    const two = (await b.post(SYNC, inline('contoso.com'))).body;
    expect(two.answer).toEqual(one.answer);
    expect(two.id).not.toBe(one.id);
    const other = (await a.post(SYNC, inline('contoso.com', { question: 'How many engineers work there?' }))).body;
    expect(other.answer).not.toEqual(one.answer);
  });

  test('text answers parse as research writes them; some are wrapped; a few cannot be parsed', async () => {
    const api = client(emu, saberKey('signals-shapes'));
    const seen = { wrapped: 0, plain: 0, unparseable: 0 };
    for (const answerType of ['number', 'percentage', 'currency', 'boolean']) {
      const signals = await Promise.all(Array.from({ length: 30 }, (_, i) => api.post(SYNC, inline(`company-${i}.com`, { answerType }))));
      for (const { body: s } of signals) {
        const value = signalAnswer(s);
        if (typeof s.answer === 'object') seen.wrapped += 1; else seen.plain += 1;
        const r = engine.evaluate({ answerType }, value);
        if (r.code) {
          expect([answerType, r.code, value]).toEqual([answerType, 'unparseable_answer', expect.stringMatching(/^(Not publicly disclosed|Unknown|No reliable data found)$/)]);
          seen.unparseable += 1;
        } else {
          expect(typeof value).toBe('string');
          expect(typeof r.value).toBe(answerType === 'boolean' ? 'boolean' : 'number');
          if (answerType === 'percentage') expect(r.value).toBeLessThanOrEqual(60);
          if (answerType === 'currency') expect(['USD', 'EUR', 'GBP']).toContain(r.currency);
        }
      }
    }
    expect(seen.wrapped).toBeGreaterThan(10);
    expect(seen.plain).toBeGreaterThan(40);
    expect(seen.unparseable).toBeGreaterThan(0);
    expect(seen.unparseable).toBeLessThan(30);
  });

  test('strict verification answers null where lenient research answers words', async () => {
    const api = client(emu, saberKey('signals-strict'));
    let compared = 0;
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => api.post(SYNC, inline(`vendor-${i}.com`))));
    for (const { body: lenient } of answers) {
      if (!/^(Not publicly disclosed|Unknown|No reliable data found)$/.test(signalAnswer(lenient) ?? '')) continue;
      const strict = (await api.post(SYNC, inline(lenient.domain, { verificationMode: 'strict' }))).body;
      expect(strict).toMatchObject({ status: 'completed', answer: null, confidence: null, reasoning: 'No verified source states this.' });
      compared += 1;
    }
    expect(compared).toBeGreaterThan(0);
  });

  test('list answers are drawn from the template\'s choices; json_schema answers satisfy the outputSchema', async () => {
    const api = client(emu, saberKey('signals-list-json'));
    const crm = (await api.post(TEMPLATES, listTemplate)).body;
    const outputSchema = {
      type: 'object', required: ['founded', 'headquarters', 'products'],
      properties: {
        founded: { type: 'integer', minimum: 1900, maximum: 2025 },
        headquarters: { type: 'string', minLength: 2, maxLength: 80 },
        products: { type: 'array', minItems: 1, maxItems: 3, items: { type: 'string' } },
        public: { type: 'boolean' },
        website: { type: 'string', format: 'uri' },
        segment: { enum: ['smb', 'mid-market', 'enterprise'] },
      },
      additionalProperties: false,
    };
    const facts = (await api.post(TEMPLATES, { name: 'Facts', question: 'Key facts?', answerType: 'json_schema', outputSchema })).body;
    const labels = new Set(['Salesforce', 'HubSpot', 'In-house']);
    const signals = await Promise.all(Array.from({ length: 15 }, async (_, i) => [
      (await api.post(SYNC, { domain: `firm-${i}.com`, signalTemplateId: crm.id })).body,
      (await api.post(SYNC, { domain: `firm-${i}.com`, signalTemplateId: facts.id })).body]));
    for (const [list, json] of signals) {
      const items = signalAnswer(list);
      const asArray = Array.isArray(items) ? items : items.split(/[,;]\s*/);
      expect(asArray.length).toBeGreaterThan(0);
      for (const item of asArray) expect(labels.has(item)).toBe(true);
      expect(engine.evaluate(crm, items).matched).toBe(true);

      expect(json.status).toBe('completed');
      const r = engine.evaluate(facts, signalAnswer(json));
      expect([r.qualification, r.code]).toEqual(['neutral', undefined]);
      expect(Object.keys(signalAnswer(json))).toEqual(expect.arrayContaining(['founded', 'headquarters', 'products']));
    }
  });

  test('an outputSchema research cannot satisfy makes the signal fail with a reason', async () => {
    const api = client(emu, saberKey('signals-unsatisfiable'));
    const res = await api.post(SYNC, inline('acme.com', { answerType: 'json_schema', outputSchema: { type: 'string', pattern: '^[0-9]{40}$' } }));
    expect(res.body).toMatchObject({ status: 'failed', answer: null, error: 'research could not produce an answer that matches the outputSchema' });
  });
});

describe('the cache', () => {
  test('the same question comes back completed at once with the cached answer, unless forceRefresh', async () => {
    const api = client(emu, saberKey('signals-cache'));
    const first = (await api.post(SYNC, inline('cached.com'))).body;
    const again = await api.post(SIGNALS, inline('cached.com'));
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ status: 'completed', answer: first.answer, reasoning: first.reasoning });
    expect(again.body.id).not.toBe(first.id);
    expect(again.body.completedAt).toBe(again.body.createdAt);
    const fresh = await api.post(SIGNALS, inline('cached.com', { forceRefresh: true }));
    expect(fresh.body.status).toBe('processing');
    // Another verification mode is another question; a failed research is never cached.
    expect((await api.post(SIGNALS, inline('cached.com', { verificationMode: 'strict' }))).body.status).toBe('processing');
    await api.post(SYNC, inline('gone.invalid'));
    expect((await api.post(SIGNALS, inline('gone.invalid'))).body.status).toBe('processing');
  });

  test('new ranges keep a template\'s cached answer; new list choices ask a new question', async () => {
    const api = client(emu, saberKey('signals-cache-templates'));
    const headcount = (await api.post(TEMPLATES, { name: 'Headcount', question: 'How many employees?', answerType: 'number',
      qualificationCriteria: { ranges: [{ rangeStart: 0, rangeEnd: 50, answerQualification: 'poor' }] } })).body;
    const crm = (await api.post(TEMPLATES, listTemplate)).body;
    for (const t of [headcount, crm]) await api.post(SYNC, { domain: 'cached.com', signalTemplateId: t.id });
    await api.patch(`${TEMPLATES}/${headcount.id}`, { qualificationCriteria: { ranges: [{ rangeStart: 0, rangeEnd: 500, answerQualification: 'good' }] } });
    await api.patch(`${TEMPLATES}/${crm.id}`, { qualificationCriteria: { choices: { pipedrive: { answerQualification: 'good', label: 'Pipedrive' } } } });
    expect((await api.post(SIGNALS, { domain: 'cached.com', signalTemplateId: headcount.id })).body.status).toBe('completed');
    expect((await api.post(SIGNALS, { domain: 'cached.com', signalTemplateId: crm.id })).body.status).toBe('processing');
  });
});

describe('list', () => {
  // Research takes 5 ms to a minute, picked per domain and question: quick questions for the
  // finished signals, and one that stays processing while the list is read.
  const delays = [5, 60_000];
  const question = (domain, accept) => {
    for (let i = 0; ; i++) if (accept(researchDelay(delays, 'signalkit', domain, `Question ${i}?`))) return `Question ${i}?`;
  };
  let listed;
  let api;
  beforeAll(async () => {
    listed = await start({ researchDelayMs: delays });
    api = client(listed, saberKey('signals-list'));
    for (let i = 0; i < 7; i++) {
      const domain = i % 2 ? 'odd.com' : 'even.com';
      await api.post(SYNC, inline(domain, { question: question(domain, (ms) => ms < 100 + i) }));
    }
    await api.post(SYNC, inline('nowhere.invalid', { question: question('nowhere.invalid', (ms) => ms < 100) }));
    await api.post(SIGNALS, inline('later.com', { question: question('later.com', (ms) => ms > 30_000) }));
  });
  afterAll(() => listed?.close());

  test('newest first, in pages of {results, total, limit, offset, count} (limit 1-25, default 25)', async () => {
    const all = (await api.get(SIGNALS)).body;
    expect(all).toMatchObject({ total: 9, limit: 25, offset: 0, count: 9 });
    expect(all.results.map((s) => s.domain)).toEqual(['later.com', 'nowhere.invalid', 'even.com', 'odd.com', 'even.com', 'odd.com', 'even.com', 'odd.com', 'even.com']);
    const pages = [];
    for (let offset = 0; offset < all.total; offset += 4) pages.push((await api.get(SIGNALS, { query: { limit: 4, offset } })).body);
    expect(pages.map((p) => [p.offset, p.count, p.total])).toEqual([[0, 4, 9], [4, 4, 9], [8, 1, 9]]);
    expect(pages.flatMap((p) => p.results.map((s) => s.id))).toEqual(all.results.map((s) => s.id));
    expect((await api.get(SIGNALS, { query: { offset: 20 } })).body).toMatchObject({ results: [], total: 9, count: 0 });
    for (const limit of ['0', '26', 'ten']) expect((await api.get(SIGNALS, { query: { limit } })).status).toBe(400);
  });

  test('filters: domain, status (repeated), completion dates; companyId and subscriptionId match nothing here', async () => {
    expect((await api.get(SIGNALS, { query: { domain: 'ODD.com' } })).body.total).toBe(3);
    const twoStates = await api.get(`${SIGNALS}?status=failed&status=processing`);
    expect(twoStates.body.results.map((s) => s.status)).toEqual(['processing', 'failed']);
    expect((await api.get(SIGNALS, { query: { status: 'completed' } })).body.total).toBe(7);
    expect((await api.get(SIGNALS, { query: { status: 'done' } })).status).toBe(400);
    const all = (await api.get(SIGNALS)).body.results;
    const finished = all.filter((s) => s.completedAt);
    const mid = finished[3].completedAt;
    const after = (await api.get(SIGNALS, { query: { fromDate: mid } })).body.results;
    expect(after.map((s) => s.id)).toEqual(finished.filter((s) => s.completedAt >= mid).map((s) => s.id));
    const before = (await api.get(SIGNALS, { query: { toDate: mid } })).body.results;
    expect(before.map((s) => s.id)).toEqual(finished.filter((s) => s.completedAt <= mid).map((s) => s.id));
    expect((await api.get(SIGNALS, { query: { fromDate: '2030-01-01T00:00:00Z', toDate: '2020-01-01T00:00:00Z' } })).status).toBe(400);
    expect((await api.get(SIGNALS, { query: { companyId: 'comp_1' } })).body.total).toBe(0);
    expect((await api.get(SIGNALS, { query: { subscriptionId: '3c90c3cc-0d44-4b50-8888-8dd25736052a' } })).body.total).toBe(0);
  });

  test('each key sees only its own signals', async () => {
    expect((await client(listed, saberKey('signals-list-stranger')).get(SIGNALS)).body.total).toBe(0);
  });
});

describe('webhookUrl', () => {
  let hooked;
  let receiver;
  let received;
  let answers; // statuses the receiver answers, in turn (then 200)
  beforeAll(async () => {
    hooked = await start({ researchDelayMs: 30, signalWebhooks: { retryScale: 0.001 } });
    const { createServer } = await import('node:http');
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        received.push({ path: req.url, headers: req.headers, body: JSON.parse(body) });
        res.writeHead(answers.shift() ?? 200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  });
  beforeEach(() => { received = []; answers = []; });
  afterAll(async () => {
    await hooked?.close();
    await new Promise((r) => receiver?.close(r));
  });
  const hookUrl = (name) => `http://127.0.0.1:${receiver.address().port}/hooks/${name}`;
  const deliveries = async (key) => {
    const res = await fetch(`${hooked.url}/__emulator/signal-deliveries`, { headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, body: await res.json() };
  };
  const settled = async (key, count) => {
    for (let i = 0; i < 200; i++) {
      const { body } = await deliveries(key);
      if (body.deliveries.length >= count && body.deliveries.every((d) => d.status !== 'pending')) return body.deliveries;
      await pause(10);
    }
    throw new Error('the deliveries did not settle');
  };

  test('the finished signal is POSTed once to the webhookUrl, as GET shows it', async () => {
    const key = saberKey('signals-hook-once');
    const api = client(hooked, key);
    const started = (await api.post(SIGNALS, inline('acme.com', { webhookUrl: hookUrl('once') }))).body;
    const [delivery] = await settled(key, 1);
    expect(delivery).toMatchObject({ id: started.id, url: hookUrl('once'), status: 'delivered', attempts: [expect.objectContaining({ n: 1, status: 200 })] });
    expect(received).toHaveLength(1);
    expect(received[0].path).toBe('/hooks/once');
    expect(received[0].headers['content-type']).toBe('application/json');
    expect(received[0].body).toEqual((await api.get(`${SIGNALS}/${started.id}`)).body);
    expect(received[0].body).toMatchObject({ id: started.id, status: 'completed' });
    await pause(50);
    expect(received).toHaveLength(1); // once
  });

  test('a receiver that fails is retried with the same body until it answers 2xx; then delivered once', async () => {
    const key = saberKey('signals-hook-retry');
    answers = [500, 503];
    const signal = (await client(hooked, key).post(SYNC, inline('globex.com', { webhookUrl: hookUrl('retry') }))).body;
    const [delivery] = await settled(key, 1);
    expect(delivery).toMatchObject({ id: signal.id, status: 'delivered' });
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    expect(received.map((r) => r.body)).toEqual([signal, signal, signal]);
  });

  test('a receiver that never answers 2xx: the schedule\'s five attempts, then failed', async () => {
    const key = saberKey('signals-hook-give-up');
    answers = [500, 500, 500, 500, 500];
    await client(hooked, key).post(SYNC, inline('initech.com', { webhookUrl: hookUrl('down') }));
    const [delivery] = await settled(key, 1);
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 500, 500, 500, 500]);
    expect(received).toHaveLength(5);
  });

  test('no webhook for a cached answer; a failed research is delivered too; each key sees its own log', async () => {
    const key = saberKey('signals-hook-cache');
    const api = client(hooked, key);
    await api.post(SYNC, inline('cache-hook.com'));
    const cached = (await api.post(SIGNALS, inline('cache-hook.com', { webhookUrl: hookUrl('cached') }))).body;
    expect(cached.status).toBe('completed');
    const failed = (await api.post(SIGNALS, inline('gone.invalid', { webhookUrl: hookUrl('failed') }))).body;
    const log = await settled(key, 1);
    expect(log.map((d) => [d.id, d.status])).toEqual([[failed.id, 'delivered']]);
    expect(received.map((r) => [r.path, r.body.status, r.body.error])).toEqual([['/hooks/failed', 'failed', 'the domain gone.invalid could not be resolved']]);
    expect((await deliveries(saberKey('signals-hook-other'))).body).toEqual({ deliveries: [] });
    const anonymous = await fetch(`${hooked.url}/__emulator/signal-deliveries`);
    expect(anonymous.status).toBe(401);
    const post = await fetch(`${hooked.url}/__emulator/signal-deliveries`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET']);
  });

  test('the signalWebhooks option is checked by name and range', async () => {
    await expect(start({ signalWebhooks: { retryScale: 2 } })).rejects.toThrow('signalWebhooks.retryScale must be a number from 0 to 1 (1: the full schedule');
    await expect(start({ signalWebhooks: { retryScal: 0.1 } })).rejects.toThrow('signalWebhooks.retryScal is not an option (retryScale, timeoutMs, maxLog)');
    await expect(start({ signalWebhooks: { maxLog: 0 } })).rejects.toThrow('signalWebhooks.maxLog must be a positive integer');
    await expect(start({ signalWebhooks: 'fast' })).rejects.toThrow('signalWebhooks must be an object {retryScale, timeoutMs, maxLog}');
  });
});
