// saber.scoreCompany and saber.scoreCompanies against the real emulator: one company signal
// per template, each answer evaluated by the engine, the fit score explained; disqualifying
// and unparseable answers, failed research, the 202 fallback, abort, and 50 companies inside
// a scaled-down write bucket with zero 429s (proved with the emulator's request log and its limiter's log).
import { AbortError, AuthenticationError, loadEngine, signalAnswer, ValidationError } from '../../../js/index.js';
import { simulateResearch } from '../../../js/emulator/research.js';
import { countingFetch, failure, saber, saberKey, start } from './helpers.js';

let engine;
let emu;
let slow;
beforeAll(async () => {
  engine = await loadEngine();
  emu = await start({ researchDelayMs: [10, 40] });
  slow = await start({ researchDelayMs: 1_500 });
});
afterAll(async () => {
  await emu?.close();
  await slow?.close();
});

const HEADCOUNT = {
  name: 'Headcount', question: 'How many employees does the company have?', answerType: 'number', weight: 'important',
  qualificationCriteria: { ranges: [
    { rangeStart: null, rangeEnd: 50, answerQualification: 'poor' },
    { rangeStart: 50, rangeEnd: 1000, answerQualification: 'good' },
    { rangeStart: 1000, rangeEnd: null, answerQualification: 'excellent' },
  ] },
};
const CRM = {
  name: 'CRM', question: 'Which CRM does the company use?', answerType: 'list', weight: 'nice_to_have',
  qualificationCriteria: { choices: {
    salesforce: { answerQualification: 'excellent', label: 'Salesforce' },
    hubspot: { answerQualification: 'good', label: 'HubSpot' },
    pipedrive: { answerQualification: 'poor', label: 'Pipedrive' },
  } },
};
const GROWTH = {
  name: 'Growth', question: 'What was the revenue growth last year?', answerType: 'percentage', weight: 'important',
  qualificationCriteria: { ranges: [{ rangeStart: 0, rangeEnd: 20, answerQualification: 'neutral' }, { rangeStart: 20, rangeEnd: 100, answerQualification: 'good' }] },
};
// Whatever research says, this template disqualifies the company.
const VETO = { name: 'On the sanctions list', question: 'Is the company on a sanctions list?', answerType: 'boolean', weight: 'important',
  qualificationCriteria: { yes: 'disqualified', no: 'disqualified' } };

/** The first candidate domain whose emulated research answer for `template` passes `accept` (the emulator's own research function). */
function domainWhere(template, accept, prefix = 'candidate') {
  for (let i = 0; i < 1000; i++) {
    const domain = `${prefix}-${i}.com`;
    const r = simulateResearch({ engine, seed: 'signalkit', domain, question: template.question, answerType: template.answerType, criteria: template.qualificationCriteria });
    if (accept(signalAnswer({ ...r, answerType: template.answerType }))) return domain;
  }
  throw new Error(`no domain gives such an answer to ${template.question}`);
}
const parses = (template) => (answer) => answer !== null && engine.evaluate(template, answer).code === undefined;

async function withTemplates(client, list) {
  const out = [];
  for (const t of list) out.push(await client.templates.create(t));
  return out;
}

describe('scoreCompany', () => {
  test('one signal per template, each answer evaluated against its criteria, and the fit score', async () => {
    const client = saber(emu, 'score-one');
    const templates = await withTemplates(client, [HEADCOUNT, CRM, GROWTH]);
    const domain = domainWhere(HEADCOUNT, (a) => parses(HEADCOUNT)(a) && parses(GROWTH)(a) !== null);
    const progress = [];
    const r = await client.scoreCompany(domain, { onProgress: (p) => progress.push(p) });
    expect(Object.keys(r)).toEqual(['domain', 'score', 'disqualified', 'disqualifiedBy', 'parts', 'answers', 'unanswered', 'errors', 'totalWeight']);
    expect(r.domain).toBe(domain);
    expect(r.answers.map((a) => a.name)).toEqual(['Headcount', 'CRM', 'Growth']);
    for (const [i, a] of r.answers.entries()) {
      expect(a).toMatchObject({ index: i, templateId: templates[i].templateId, signal: { status: 'completed', domain, question: templates[i].question } });
      expect(a.answer).toEqual(signalAnswer(a.signal));
      // The evaluation is the engine's, for that template's criteria.
      expect(a.evaluation).toEqual(a.answer === null ? null : engine.evaluate(templates[i], a.answer));
    }
    // The score is the engine's fit score over those answers.
    const fit = engine.fitScore(templates.map((t, i) => ({ template: t, answer: r.answers[i].answer })));
    expect(r).toMatchObject({ score: fit.score, parts: fit.parts, errors: fit.errors, unanswered: fit.unanswered, disqualified: false });
    expect(typeof r.score).toBe('number');
    // Progress: each template researching, then finished; `done` counts up to 3.
    expect(progress.filter((p) => p.status === 'researching').map((p) => p.name).sort()).toEqual(['CRM', 'Growth', 'Headcount']);
    expect(progress.filter((p) => p.status === 'completed').map((p) => p.done).sort()).toEqual([1, 2, 3]);
    expect(progress.every((p) => p.type === 'template' && p.domain === domain && p.total === 3)).toBe(true);
  });

  test('a disqualifying answer makes the score 0 and says which template', async () => {
    const client = saber(emu, 'score-veto');
    const templates = await withTemplates(client, [HEADCOUNT, VETO]);
    const domain = domainWhere(VETO, parses(VETO), 'veto');
    const r = await client.scoreCompany(domain, { templates });
    expect(r).toMatchObject({ score: 0, disqualified: true });
    expect(r.disqualifiedBy).toEqual([expect.objectContaining({ index: 1, name: 'On the sanctions list', reason: expect.stringContaining('disqualified') })]);
    expect(r.answers[1].evaluation).toMatchObject({ qualification: 'disqualified', matched: true });
  });

  test('an unparseable answer is reported under errors and not counted', async () => {
    const client = saber(emu, 'score-unparseable');
    const templates = await withTemplates(client, [HEADCOUNT, GROWTH]);
    const domain = domainWhere(HEADCOUNT, (a) => typeof a === 'string' && engine.evaluate(HEADCOUNT, a).code === 'unparseable_answer' && parses(GROWTH)(a) !== null, 'vague');
    const r = await client.scoreCompany(domain, { templates });
    expect(r.errors).toEqual([expect.objectContaining({ index: 0, name: 'Headcount', code: 'unparseable_answer', reason: expect.stringContaining(r.answers[0].answer) })]);
    expect(r.parts.map((p) => p.name)).not.toContain('Headcount');
    expect(r.unanswered).toEqual([]);
    // Not counted: the score is that of the other answers alone.
    const others = engine.fitScore([{ template: templates[1], answer: r.answers[1].answer }]);
    expect(r.score).toBe(others.score);
    expect(r.totalWeight).toBe(others.totalWeight);
  });

  test('failed research is an error with its reason; strict research without an answer is unanswered', async () => {
    const client = saber(emu, 'score-failed');
    const templates = await withTemplates(client, [HEADCOUNT, CRM]);
    const failed = await client.scoreCompany('shut-down.invalid', { templates });
    expect(failed).toMatchObject({ score: null, parts: [], unanswered: [] });
    expect(failed.errors.map((e) => [e.name, e.code, e.reason])).toEqual([
      ['Headcount', 'research_failed', 'research failed: the domain shut-down.invalid could not be resolved'],
      ['CRM', 'research_failed', 'research failed: the domain shut-down.invalid could not be resolved'],
    ]);
    const domain = domainWhere(HEADCOUNT, (a) => typeof a === 'string' && engine.evaluate(HEADCOUNT, a).code === 'unparseable_answer', 'strict');
    const strict = await client.scoreCompany(domain, { templates: [templates[0]], verificationMode: 'strict' });
    expect(strict).toMatchObject({ score: null, errors: [], unanswered: [expect.objectContaining({ index: 0, name: 'Headcount' })] });
  });

  test('a template given by id is read first; a template that is gone is an error for that template only', async () => {
    const client = saber(emu, 'score-ids');
    const [headcount, crm] = await withTemplates(client, [HEADCOUNT, CRM]);
    await client.templates.delete(crm);
    const r = await client.scoreCompany(domainWhere(HEADCOUNT, parses(HEADCOUNT), 'ids'), { templates: [headcount.id, crm] });
    expect(r.answers[0].signal.status).toBe('completed');
    expect(r.errors).toEqual([expect.objectContaining({ index: 1, code: 'request_failed', status: 404, reason: expect.stringMatching(/404 NOT_FOUND/) })]);
  });

  test('202: a signal still processing after timeoutSec is waited for', async () => {
    const client = saber(slow, 'score-202');
    const [t] = await withTemplates(client, [HEADCOUNT]);
    const progress = [];
    const r = await client.scoreCompany('slowpoke.com', { timeoutSec: 1, wait: { interval: 50 }, onProgress: (p) => progress.push(p.status) });
    expect(r.answers[0].signal.status).toBe('completed');
    expect(r.answers[0].templateId).toBe(t.templateId);
    expect(progress[0]).toBe('researching');
    expect(progress).toContain('processing');
    expect(progress.at(-1)).toBe('completed');
  });

  test('abort mid-run: AbortError with the reason, and nothing more is sent', async () => {
    const fetchSpy = countingFetch();
    const client = saber(slow, 'score-abort', { fetch: fetchSpy });
    await withTemplates(client, [HEADCOUNT, CRM, GROWTH]);
    fetchSpy.calls.length = 0;
    const controller = new AbortController();
    const running = client.scoreCompany('aborted.com', {
      concurrency: 1, signal: controller.signal, onProgress: (p) => { if (p.status === 'researching') setTimeout(() => controller.abort(new Error('user left')), 100); },
    });
    const err = await failure(running);
    expect(err).toBeInstanceOf(AbortError);
    expect(err.reason).toEqual(new Error('user left'));
    // The first template's research (1.5 s) was under way; the other two never started.
    expect(fetchSpy.calls.map((c) => new URL(c.url).pathname)).toEqual(['/v1/companies/signals/templates', '/v1/companies/signals/sync']);
    await new Promise((r) => setTimeout(r, 300));
    expect(fetchSpy.calls).toHaveLength(2);
  });

  test('options are checked: unknown names with a suggestion, types and ranges; a bad domain before anything is sent', async () => {
    const client = saber(emu, 'score-options');
    const templates = await withTemplates(client, [HEADCOUNT]);
    const before = emu.count('POST', '/v1/companies/signals/sync');
    await expect(client.scoreCompany('acme.com', { concurency: 2 })).rejects.toThrow('scoreCompany: unknown option "concurency"; did you mean "concurrency"?');
    await expect(client.scoreCompany('acme.com', { concurrency: 0 })).rejects.toThrow(/concurrency must be a whole number from 1 to 64/);
    await expect(client.scoreCompany('acme.com', { templates: 'all' })).rejects.toThrow(/templates must be an array/);
    await expect(client.scoreCompany('acme.com', { wait: { intervl: 5 } })).rejects.toThrow(/did you mean "interval"/);
    await expect(client.scoreCompany('acme.com', { templates, criteria: { weigths: {} } })).rejects.toThrow(TypeError);
    await expect(client.scoreCompanies(['acme.com'], { templates, criteria: { veto: 'yes' } }).next()).rejects.toThrow(TypeError);
    await expect(client.scoreCompany(42, { templates })).rejects.toThrow(TypeError);
    const err = await failure(client.scoreCompany('https://acme.com/', { templates }));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues[0]).toMatchObject({ field: 'domain', code: 'pattern' });
    expect(await failure(client.scoreCompany('acme.com', { templates, verificationMode: 'loose' }))).toBeInstanceOf(ValidationError);
    expect(emu.count('POST', '/v1/companies/signals/sync')).toBe(before);
  });
});

describe('scoreCompanies', () => {
  /** The most requests the emulator's limiter counted in any window of `windowMs`. */
  function busiestWindow(entries, windowMs) {
    const times = entries.map((e) => e.at).sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= windowMs) j++;
      most = Math.max(most, i - j + 1);
    }
    return most;
  }

  test('50 companies in one call: streamed, bounded, one bad company never stops the rest, zero 429s', async () => {
    const bucket = { limit: 40, windowMs: 1_000, burst: 5 };
    const limited = await start({ researchDelayMs: [5, 30], rateLimits: { saberWrite: bucket, saberRead: { limit: 10_000, windowMs: 1_000 } } });
    try {
      let inFlight = 0;
      let most = 0;
      const retries = [];
      const client = saber(limited, 'score-many', {
        rateLimit: { write: bucket },
        hooks: {
          onRequest: (s) => { if (s.method === 'POST') most = Math.max(most, ++inFlight); },
          onResponse: (s) => { if (s.method === 'POST') inFlight -= 1; },
          onRetry: (s) => retries.push(s.error),
        },
      });
      const templates = await withTemplates(client, [HEADCOUNT, CRM]);
      const domains = Array.from({ length: 48 }, (_, i) => `company-${i}.com`);
      domains.splice(10, 0, 'https://not-a-domain.com/'); // fails as a whole
      domains.splice(20, 0, 'closed.invalid'); // research fails
      const companies = [];
      const results = [];
      for await (const r of client.scoreCompanies(domains, { templates, concurrency: 6, onProgress: (p) => { if (p.type === 'company') companies.push(p); } })) {
        results.push(r);
      }
      expect(results).toHaveLength(50);
      expect(results.map((r) => r.index).sort((a, b) => a - b)).toEqual(domains.map((_, i) => i));
      for (const r of results) expect(r.domain).toBe(domains[r.index]);
      const bad = results.find((r) => r.index === 10);
      expect(bad.error).toBeInstanceOf(ValidationError);
      expect(results.find((r) => r.index === 20).errors.map((e) => e.code)).toEqual(['research_failed', 'research_failed']);
      const scored = results.filter((r) => !r.error && r.index !== 20);
      expect(scored).toHaveLength(48);
      for (const r of scored) expect(r.answers.every((a) => a.signal.status === 'completed')).toBe(true);
      expect(companies.map((p) => p.done)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(companies.at(-1)).toMatchObject({ total: 50, failed: 1 });
      expect(most).toBeLessThanOrEqual(6);

      // The emulator's request log: every research request answered, none refused.
      expect(limited.log.filter((e) => e.method === 'POST' && e.path === '/v1/companies/signals/sync')).toHaveLength(49 * 2);
      expect(limited.log.filter((e) => e.status === '429')).toEqual([]);
      expect(retries).toEqual([]);
      // The emulator's limiter: it refused no write, and no window of the bucket's length
      // (nor a shorter one) counted more than the bucket allows (burst + refill).
      const writes = limited.rateLimitLog().filter((e) => e.bucket === 'saberWrite');
      expect(writes).toHaveLength(2 + 49 * 2); // the two templates, then the research
      expect(writes.filter((e) => !e.ok)).toEqual([]);
      expect(busiestWindow(writes, bucket.windowMs)).toBeLessThanOrEqual(bucket.burst + bucket.limit);
      expect(busiestWindow(writes, 200)).toBeLessThanOrEqual(Math.floor(bucket.burst + (bucket.limit * 200) / bucket.windowMs));
    } finally {
      await limited.close();
    }
  });

  test('results stream as they finish; leaving the loop stops the rest', async () => {
    const fetchSpy = countingFetch();
    const client = saber(emu, 'score-stream', { fetch: fetchSpy });
    const templates = await withTemplates(client, [HEADCOUNT]);
    const seen = [];
    async function* names() { for (let i = 0; ; i++) yield `endless-${i}.com`; } // an endless async source
    for await (const r of client.scoreCompanies(names(), { templates, concurrency: 2 })) {
      seen.push(r.domain);
      if (seen.length === 5) break;
    }
    expect(seen).toHaveLength(5);
    const sent = fetchSpy.calls.length;
    expect(sent).toBeLessThanOrEqual(1 + 5 + 2); // the template, five companies, at most two more in flight
    await new Promise((r) => setTimeout(r, 150));
    expect(fetchSpy.calls).toHaveLength(sent);
  });

  test('the run stops for an abort or a refused key, not for one company', async () => {
    const locked = await start({ researchDelayMs: 10, keys: [saberKey('score-allowed')] });
    try {
      const stranger = saber(locked, 'score-refused');
      const err = await failure((async () => {
        for await (const r of stranger.scoreCompanies(['a.com', 'b.com'], { templates: [{ ...HEADCOUNT, id: '3c90c3cc-0d44-4b50-8888-8dd25736052a' }] })) void r;
      })());
      expect(err).toBeInstanceOf(AuthenticationError);
    } finally {
      await locked.close();
    }
    const client = saber(slow, 'score-many-abort');
    const templates = await withTemplates(client, [HEADCOUNT]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const aborted = await failure((async () => {
      for await (const r of client.scoreCompanies(['x1.com', 'x2.com', 'x3.com'], { templates, signal: controller.signal })) void r;
    })());
    expect(aborted).toBeInstanceOf(AbortError);
    expect(() => client.scoreCompanies('acme.com')).not.toThrow(); // a generator: checked when iterated
    await expect(client.scoreCompanies('acme.com').next()).rejects.toThrow(/domains must be an array or an iterable/);
  });
});
