// saber.signals against the real emulator: create, sync (200, 202, 408), list pages and
// filters, get (404), waitFor, what is refused before sending, and that research is never
// sent twice. Also the mapping from a signal's answer to what the engine evaluates.
import {
  AbortError, NetworkError, NotFoundError, RateLimitError, ResearchTimeoutError, SignalWaitTimeoutError, signalAnswer,
  ValidationError,
} from '../../../js/index.js';
import { countingFetch, failure, newTemplate, saber, start } from './helpers.js';

const SIGNALS = '/v1/companies/signals';
let emu;
let slow;
beforeAll(async () => {
  emu = await start({ researchDelayMs: 30, faults: true });
  slow = await start({ researchDelayMs: 1_500 });
});
afterAll(async () => {
  await emu?.close();
  await slow?.close();
});
afterEach(() => emu.clearFaults());

const inline = (domain, extra = {}) => ({ domain, question: 'How many employees does the company have?', answerType: 'number', ...extra });

describe('create, get and waitFor', () => {
  test('create starts research; waitFor polls until it completes; get reads it', async () => {
    const client = saber(emu, 'signals-create');
    const started = await client.signals.create(inline('northwind-traders.com'));
    expect(started).toMatchObject({ status: 'processing', domain: 'northwind-traders.com', answerType: 'number' });
    const progress = [];
    const done = await client.signals.waitFor(started, { interval: 10, onProgress: (p) => progress.push(p) });
    expect(done).toMatchObject({ id: started.id, status: 'completed', error: null });
    expect(progress.at(-1)).toMatchObject({ signalId: started.id, status: 'completed', done: true, signal: done, poll: progress.length });
    expect(await client.signals.get(started.id)).toEqual(done);
    expect(await client.signals.get(done)).toEqual(done); // the signal object works as well as its id
    // A finished signal is returned as it is, without polling.
    const fetchSpy = countingFetch();
    expect(await saber(emu, 'signals-create', { fetch: fetchSpy }).signals.waitFor(done)).toBe(done);
    expect(fetchSpy.calls).toEqual([]);
  });

  test('a failed research is an answer too: waitFor resolves with it', async () => {
    const client = saber(emu, 'signals-failed');
    const started = await client.signals.create(inline('acme.invalid'));
    const failed = await client.signals.waitFor(started.id, { interval: 10 });
    expect(failed).toMatchObject({ status: 'failed', error: 'the domain acme.invalid could not be resolved', answer: null });
  });

  test('get: NotFoundError for another key\'s signal; a malformed id is refused before sending', async () => {
    const mine = await saber(emu, 'signals-owner').signals.create(inline('acme.com'));
    const fetchSpy = countingFetch();
    const stranger = saber(emu, 'signals-stranger', { fetch: fetchSpy });
    const err = await failure(stranger.signals.get(mine.id));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toMatch(/404 NOT_FOUND: signal not found or access denied/);
    expect(fetchSpy.calls).toHaveLength(1); // a 404 is never retried
    expect(await failure(stranger.signals.get('nope'))).toBeInstanceOf(ValidationError);
    expect(await failure(stranger.signals.waitFor('nope'))).toMatchObject({ name: 'ValidationError', issues: [expect.objectContaining({ field: 'id' })] });
    expect(fetchSpy.calls).toHaveLength(1);
  });

  test('waitFor gives up with SignalWaitTimeoutError (the signal id and the last read), and stops on abort', async () => {
    const client = saber(slow, 'signals-wait');
    const started = await client.signals.create(inline('slowcorp.com'));
    const err = await failure(client.signals.waitFor(started, { interval: 20, timeout: 100 }));
    expect(err).toBeInstanceOf(SignalWaitTimeoutError);
    expect(err).toMatchObject({ signalId: started.id, timeoutMs: 100, signal: expect.objectContaining({ status: 'processing' }) });
    expect(err.message).toMatch(/still processing after 100 ms/);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(await failure(client.signals.waitFor(started.id, { interval: 20, signal: controller.signal }))).toBeInstanceOf(AbortError);
  });
});

describe('sync', () => {
  test('200: the finished signal; the timeout headers are sent as given', async () => {
    const sent = [];
    const client = saber(emu, 'signals-sync', { hooks: { onRequest: (s) => sent.push(s.headers) } });
    const signal = await client.signals.sync(inline('initech.com'), { timeoutSec: 30, timeoutError: true });
    expect(signal).toMatchObject({ status: 'completed', domain: 'initech.com' });
    expect(sent).toEqual([expect.objectContaining({ 'x-sbr-timeout-sec': '30', 'x-sbr-timeout-error': 'true' })]);
    await client.signals.sync(inline('initech.com'));
    expect(sent[1]['x-sbr-timeout-sec']).toBeUndefined(); // the key's default wait
  });

  test('202: the signal is still processing and can be waited for', async () => {
    const client = saber(slow, 'signals-sync-202');
    const pending = await client.signals.sync(inline('umbrella-corp.com'), { timeoutSec: 1 });
    expect(pending.status).toBe('processing');
    expect((await client.signals.waitFor(pending, { interval: 50 })).status).toBe('completed');
  });

  test('408 with timeoutError: ResearchTimeoutError, sent once', async () => {
    const fetchSpy = countingFetch();
    const client = saber(slow, 'signals-sync-408', { fetch: fetchSpy });
    const err = await failure(client.signals.sync(inline('hooli.com'), { timeoutSec: 1, timeoutError: true }));
    expect(err).toBeInstanceOf(ResearchTimeoutError);
    expect(err).toMatchObject({ status: 408, code: 'REQUEST_TIMEOUT', type: 'TIMEOUT', timeoutSec: 1, provider: 'Saber' });
    expect(err.message).toMatch(/signal processing exceeded the timeout of 1 s .*research did not finish within 1 s/);
    expect(fetchSpy.calls).toHaveLength(1);
  });

  test('options are checked before anything is sent', async () => {
    const fetchSpy = countingFetch();
    const client = saber(emu, 'signals-sync-options', { fetch: fetchSpy });
    for (const timeoutSec of [0, 901, 1.5, '30']) {
      await expect(client.signals.sync(inline('acme.com'), { timeoutSec })).rejects.toThrow(/timeoutSec must be a whole number of seconds from 1 to 900/);
    }
    await expect(client.signals.sync(inline('acme.com'), { timeoutError: 'yes' })).rejects.toThrow(TypeError);
    await expect(client.signals.sync(inline('acme.com'), { timeoutSecs: 5 })).rejects.toThrow('signals.sync: unknown option "timeoutSecs"; did you mean "timeoutSec"?');
    await expect(client.signals.create(inline('acme.com'), { signl: null })).rejects.toThrow(/did you mean "signal"/);
    expect(fetchSpy.calls).toEqual([]);
  });

  test('the client waits as long as the server may: its own timeout outlasts timeoutSec', async () => {
    const client = saber(slow, 'signals-sync-timeout', { timeout: 200 });
    // 1.5 s of research under a 200 ms client timeout: sync stretches the attempt to timeoutSec + 30 s.
    expect((await client.signals.sync(inline('patient.com'), { timeoutSec: 5 })).status).toBe('completed');
  });
});

describe('validation, retries and rate limits', () => {
  test('a URL for a domain is refused with the hint, and nothing is sent', async () => {
    const fetchSpy = countingFetch();
    const client = saber(emu, 'signals-invalid', { fetch: fetchSpy });
    const err = await failure(client.signals.create(inline('https://acme.com/')));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues).toEqual([expect.objectContaining({ field: 'domain', code: 'pattern', message: expect.stringContaining('"acme.com"') })]);
    expect(await failure(client.signals.sync({ domain: 'acme.com' }))).toMatchObject({ issues: [expect.objectContaining({ field: 'signalTemplateId', code: 'required' })] });
    expect(fetchSpy.calls).toEqual([]);
  });

  test.each([['create'], ['sync']])('%s is never sent twice once it may have reached the server (drop_after)', async (method) => {
    const client = saber(emu, `signals-drop-${method}`);
    await emu.plan({ next: [{ type: 'drop_after', route: `saber.companySignal.${method}` }] });
    expect(await failure(client.signals[method](inline('dropped.com')))).toBeInstanceOf(NetworkError);
    expect(emu.count('POST', method === 'sync' ? `${SIGNALS}/sync` : SIGNALS)).toBeGreaterThan(0);
    const listed = await client.signals.list({ domain: 'dropped.com' }).toArray();
    expect(listed).toHaveLength(1); // one research, not a duplicate
  });

  test('create and sync spend the write bucket: a 429 once it is empty, while reads go on', async () => {
    const limited = await start({ researchDelayMs: 10, rateLimits: { saberWrite: { limit: 2, burst: 2, windowMs: 60_000 } } });
    try {
      const client = saber(limited, 'signals-429', { rateLimit: false, maxRetries: 0 });
      await client.signals.create(inline('a.com'));
      await client.signals.sync(inline('b.com'));
      const err = await failure(client.signals.create(inline('c.com')));
      expect(err).toBeInstanceOf(RateLimitError);
      expect(await client.signals.list().toArray()).toHaveLength(2); // reads are another bucket
    } finally {
      await limited.close();
    }
  });
});

describe('list', () => {
  test('for await over offset pages; pages() gives {results, total, limit, offset, count}; status repeats', async () => {
    const fetchSpy = countingFetch();
    const client = saber(emu, 'signals-list', { fetch: fetchSpy });
    for (let i = 0; i < 11; i++) await client.signals.sync(inline(`list-${i}.com`));
    await client.signals.sync(inline('broken.invalid'));
    fetchSpy.calls.length = 0;
    const all = [];
    for await (const s of client.signals.list({ limit: 5 })) all.push(s.domain);
    expect(all).toEqual(['broken.invalid', ...Array.from({ length: 11 }, (_, i) => `list-${10 - i}.com`)]);
    expect(fetchSpy.calls.map((c) => new URL(c.url).search)).toEqual(['?limit=5', '?limit=5&offset=5', '?limit=5&offset=10']);
    const pages = [];
    for await (const page of client.signals.list({ limit: 25 }).pages()) pages.push(page);
    expect(pages).toEqual([{ results: expect.any(Array), total: 12, limit: 25, offset: 0, count: 12 }]);
    expect(await client.signals.list({ limit: 5 }).toArray({ limit: 6 })).toHaveLength(6);

    fetchSpy.calls.length = 0;
    const states = await client.signals.list({ status: ['failed', 'processing'] }).toArray();
    expect(states.map((s) => s.status)).toEqual(['failed']);
    expect(new URL(fetchSpy.calls[0].url).search).toBe('?status=failed&status=processing');
    expect(await client.signals.list({ domain: 'LIST-3.com' }).toArray()).toHaveLength(1);
  });

  test('a bad query is refused on the first iteration (limit 1-25, RFC 3339 dates in order)', async () => {
    const client = saber(emu, 'signals-list-bad');
    expect(() => client.signals.list('acme.com')).toThrow(TypeError);
    for (const query of [{ limit: 26 }, { limit: 0 }, { fromDate: 'yesterday' }, { fromDate: '2026-02-01T00:00:00Z', toDate: '2026-01-01T00:00:00Z' }, { status: ['done'] }]) {
      expect(await failure(client.signals.list(query).toArray())).toBeInstanceOf(ValidationError);
    }
  });
});

describe('signalAnswer: what the engine evaluates of a signal', () => {
  const completed = (answer, answerType = 'number') => ({ status: 'completed', answerType, answer });

  test.each([
    ['bare text', completed('1.2k'), '1.2k'],
    ['the vendor\'s wrapper', completed({ type: 'open_text', openText: { value: 'Enterprise CRM software' } }, 'open_text'), 'Enterprise CRM software'],
    ['a wrapper of a number', completed({ type: 'number', number: { value: 1200 } }), 1200],
    ['a wrapper without value', completed({ type: 'list', list: ['A', 'B'] }, 'list'), ['A', 'B']],
    ['a wrapper whose value is null', completed({ type: 'number', number: { value: null } }), null],
    ['a wrapper when the signal names no answerType', { status: 'completed', answer: { type: 'boolean', boolean: { value: 'Yes' } } }, 'Yes'],
    ['an object of another type is the answer itself', completed({ type: 'number', number: { value: 3 } }, 'json_schema'), { type: 'number', number: { value: 3 } }],
    ['a json_schema object', completed({ founded: 1990, type: 'private' }, 'json_schema'), { founded: 1990, type: 'private' }],
    ['a list array', completed(['Salesforce', 'HubSpot'], 'list'), ['Salesforce', 'HubSpot']],
    ['no answer', completed(null), null],
    ['still processing', { status: 'processing', answer: '12' }, null],
    ['failed', { status: 'failed', answer: '12', error: 'nope' }, null],
    ['not a signal', 'acme.com', null],
  ])('%s', (_, signal, expected) => {
    expect(signalAnswer(signal)).toEqual(expected);
  });

  test('the templates\' criteria then evaluate it', async () => {
    const client = saber(emu, 'signals-answer');
    const t = await client.templates.create(newTemplate('Headcount'));
    const s = await client.signals.sync({ domain: 'evaluated.com', signalTemplateId: t.id });
    const { loadEngine } = await import('../../../js/index.js');
    const r = (await loadEngine()).evaluate(t, signalAnswer(s));
    expect(r.code === 'unparseable_answer' || ['poor', 'good'].includes(r.qualification)).toBe(true);
  });
});
