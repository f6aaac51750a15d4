// PuffleClient against the real emulator: every endpoint, the context the client keeps,
// and validation that stops a bad call before anything is sent.
import {
  ConflictError, NotFoundError, OnboardingFailedError, OnboardingTimeoutError, PreconditionError, PuffleClient, ValidationError,
} from '../../../js/index.js';
import { workspace } from '../emulator/helpers.js';
import { countingFetch, failure, newType, puffle, puffleKey, start } from './helpers.js';

let emu;
beforeAll(async () => { emu = await start(); });
afterAll(() => emu.close());

const TYPES = '/api/v1/signals/types';

test('signal types: list, create, get, update, delete, reset', async () => {
  const client = puffle(emu, 'crud');
  const list = await client.signalTypes.list();
  expect(list.map((t) => t.label)).toEqual(['hiring', 'funding', 'management_change', 'competitor_mentions']);
  expect(client.knownTypes.complete).toBe(true);

  const created = await client.signalTypes.create(newType('Layoffs'));
  expect(created).toMatchObject({ label: 'Layoffs', kind: 'keyword', built_in: false, enabled: true });
  expect(await client.signalTypes.get(created.id)).toEqual(created);

  const updated = await client.signalTypes.update(created.id, { keywords: ['layoffs', 'furlough'], description: 'Cuts' });
  expect(updated).toMatchObject({ keywords: ['layoffs', 'furlough'], description: 'Cuts', label: 'Layoffs' });
  // Passing the type object works like passing its id.
  expect((await client.signalTypes.update(updated, { enabled: false })).enabled).toBe(false);

  const hiring = list[0];
  await client.signalTypes.update(hiring, { search_instructions: 'Custom prompt.' });
  const reset = await client.signalTypes.reset(hiring.id);
  expect(reset.search_instructions).not.toBe('Custom prompt.');
  expect(reset.id).toBe(hiring.id);

  expect(await client.signalTypes.delete(created.id)).toBeUndefined(); // 204, no body
  expect(client.knownTypes.types.some((t) => t.id === created.id)).toBe(false);
  const gone = await failure(client.signalTypes.get(created.id));
  expect(gone).toBeInstanceOf(NotFoundError);
  expect(gone.status).toBe(404);
});

test('sources: list and update one source row', async () => {
  const client = puffle(emu, 'sources');
  const type = await client.signalTypes.create(newType('Sourced', { sources: ['news'] }));
  const rows = await client.signalTypes.sources.list(type.id);
  expect(rows.find((r) => r.source_id === 'news')).toMatchObject({ enabled: true, keywords_extra: [], prompt_override: null });
  expect(rows.find((r) => r.source_id === 'reddit').enabled).toBe(false);
  const row = await client.signalTypes.sources.update(type, 'reddit', { enabled: true, keywords_extra: ['rif'], prompt_override: 'Only r/sales.' });
  expect(row).toEqual({ source_id: 'reddit', enabled: true, keywords_extra: ['rif'], prompt_override: 'Only r/sales.' });
  const cleared = await client.signalTypes.sources.update(type.id, 'reddit', { prompt_override: null });
  expect(cleared.prompt_override).toBeNull();
});

test('feed: for await over cursor pages, pages(), toArray({limit}), filters', async () => {
  const fetchSpy = countingFetch();
  const client = puffle(emu, 'feed', { fetch: fetchSpy });
  const ids = [];
  for await (const s of client.signals.list({ limit: 50 })) ids.push(s.id);
  expect(ids).toHaveLength(240);
  expect(new Set(ids).size).toBe(240);
  expect(fetchSpy.calls).toHaveLength(5);

  const pages = [];
  for await (const page of client.signals.list({ limit: 100, sort: 'score' }).pages()) pages.push(page);
  expect(pages.map((p) => p.pagination.count)).toEqual([100, 100, 40]);
  expect(pages.at(-1).pagination).toEqual({ has_more: false, cursor: null, count: 40 });
  const scores = pages.flatMap((p) => p.signals.map((s) => s.score));
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);

  fetchSpy.calls.length = 0;
  const first70 = await client.signals.list({ limit: 50 }).toArray({ limit: 70 });
  expect(first70.map((s) => s.id)).toEqual(ids.slice(0, 70));
  expect(fetchSpy.calls).toHaveLength(2); // stops fetching once it has enough

  const news = await client.signals.list({ source: ['news', 'reddit'], signal_type: ['hiring'], limit: 100 }).toArray();
  expect(news.length).toBeGreaterThan(0);
  expect(news.every((s) => ['news', 'reddit'].includes(s.source) && s.signal_type === 'hiring')).toBe(true);
  // Source ids outside the request enum in responses never make the client fail.
  expect(ids.length).toBe(240);
});

test('feed grouped by entity: the iterator yields entity groups across every page', async () => {
  const fetchSpy = countingFetch();
  const client = puffle(emu, 'feed', { fetch: fetchSpy });
  const groups = [];
  for await (const g of client.signals.list({ group_by: 'entity', limit: 5 })) groups.push(g);
  expect(groups).toHaveLength(24); // every seeded company, over 5 pages
  expect(fetchSpy.calls).toHaveLength(5);
  expect(new Set(groups.map((g) => g.entity.id)).size).toBe(24);
  for (const g of groups) {
    expect(g.signals.length).toBe(Math.min(25, g.signal_count));
    expect(g.signals.every((s) => s.entity.id === g.entity.id)).toBe(true);
  }
  expect(groups.reduce((n, g) => n + g.signal_count, 0)).toBe(240);
  const page = await client.signals.list({ group_by: 'entity', limit: 100 }).firstPage();
  expect(Object.keys(page).sort()).toEqual(['entities', 'pagination']);
});

test('dismiss and feedback', async () => {
  const client = puffle(emu, 'dismiss');
  const [a, b] = await client.signals.list({ limit: 2 }).toArray({ limit: 2 });
  expect(await client.signals.dismiss(a.id)).toEqual({ success: true });
  expect(await client.signals.dismiss(a.id)).toEqual({ success: true }); // idempotent
  expect(await client.signals.feedback(b.id, 'positive')).toEqual({ success: true });
  expect(await client.signals.feedback(b.id, { feedback: 'negative' })).toEqual({ success: true });
  const all = await client.signals.list({ limit: 100 }).toArray();
  expect(all.some((s) => s.id === a.id)).toBe(false);
  expect(await failure(client.signals.dismiss('00000000-0000-4000-8000-000000000000'))).toBeInstanceOf(NotFoundError);
});

test('company profile: onboarding, then the context it wrote; set replaces it', async () => {
  const client = puffle(emu, 'context');
  expect(await client.onboarding.status()).toEqual({ session: null });
  expect(await client.context.get()).toEqual({ context: null, profile: null });

  const started = await client.onboarding.start({ website: 'https://acme-rockets.com', firstName: 'Jane', lastName: 'Doe' });
  expect(started).toEqual({ sessionId: expect.any(String), runId: expect.any(String) });
  const progress = [];
  const session = await client.onboarding.waitForCompletion(started.sessionId, { interval: 5, onProgress: (p) => progress.push(p) });
  expect(session).toEqual({ id: started.sessionId, status: 'completed', companyName: 'Acme Rockets', errorMessage: null, errorStep: null });
  expect(progress.at(-1)).toMatchObject({ sessionId: started.sessionId, status: 'completed', done: true, poll: progress.length });
  expect(progress.every((p) => p.elapsedMs >= 0 && p.error === undefined)).toBe(true);
  expect((await client.onboarding.status(started.sessionId)).session.status).toBe('completed');

  const read = await client.context.get();
  expect(read.profile).toEqual({ firstName: 'Jane', lastName: 'Doe', companyName: 'Acme Rockets', website: 'https://acme-rockets.com' });
  expect(Object.keys(read.context).sort()).toEqual(['company', 'content', 'extra', 'market', 'user']);
  // What get() answered can be changed and written back whole.
  read.context.company.product = 'Reusable rockets';
  expect(await client.context.set(read)).toEqual(read);
  const replaced = await client.context.set({ ...workspace({ company: 'Acme' }), profile: { companyName: 'Acme Inc' } });
  expect(replaced.profile).toEqual({ firstName: 'Jane', lastName: 'Doe', companyName: 'Acme Inc', website: 'https://acme-rockets.com' });
  expect(await client.context.get()).toEqual(replaced);
});

test('onboarding that fails throws OnboardingFailedError with the step and reason', async () => {
  const client = puffle(emu, 'onboarding-fails');
  const { sessionId } = await client.onboarding.start({ website: 'acme.invalid' });
  const err = await failure(client.onboarding.waitForCompletion(sessionId, { interval: 5 }));
  expect(err).toBeInstanceOf(OnboardingFailedError);
  expect(err).toMatchObject({ sessionId, errorStep: 'looking_up', errorMessage: "the website's host acme.invalid could not be resolved" });
  expect(err.message).toMatch(/failed at looking_up: the website's host acme\.invalid could not be resolved/);
  expect(await client.context.get()).toEqual({ context: null, profile: null });
});

test('waitForCompletion gives up with OnboardingTimeoutError, and stops on the AbortSignal', async () => {
  const slow = await start({ onboardingStepMs: 60_000 });
  try {
    const client = puffle(slow, 'onboarding-slow');
    const { sessionId } = await client.onboarding.start({ website: 'slow.com' });
    const err = await failure(client.onboarding.waitForCompletion(sessionId, { interval: 5, timeout: 40 }));
    expect(err).toBeInstanceOf(OnboardingTimeoutError);
    expect(err).toMatchObject({ sessionId, timeoutMs: 40, session: { status: 'pending' } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('enough')), 30);
    expect(await failure(client.onboarding.waitForCompletion(sessionId, { interval: 5, signal: controller.signal })))
      .toMatchObject({ name: 'AbortError' });
    // A malformed session id never reaches the server.
    const bad = await failure(client.onboarding.waitForCompletion('sess_1'));
    expect(bad).toBeInstanceOf(ValidationError);
    expect(bad.fields.map((f) => [f.field, f.code])).toEqual([['sessionId', 'pattern']]);
  } finally {
    await slow.close();
  }
});

test('partners.portal: NotFoundError saying no webhook app exists yet, then {url}', async () => {
  const client = puffle(emu, 'portal');
  const err = await failure(client.partners.portal());
  expect(err).toBeInstanceOf(NotFoundError);
  expect(err.message).toMatch(/no webhook app exists for this API key yet/);
  await fetch(`${emu.url}/__emulator/webhook-app`, { method: 'PUT', headers: { authorization: `Bearer ${puffleKey('portal')}` } });
  const { url } = await client.partners.portal();
  expect(new URL(url).pathname).toBe('/__emulator/webhook-portal');
});

test('both base paths derive from one origin: /api/v1 and /api', async () => {
  const seen = [];
  const spy = (url, init) => { seen.push(new URL(url).pathname); return fetch(url, init); };
  for (const baseUrl of [emu.url, `${emu.url}/`, emu.puffleBaseUrl]) {
    const client = new PuffleClient({ apiKey: puffleKey('bases'), baseUrl, fetch: spy });
    expect(client.baseUrl).toBe(emu.puffleBaseUrl);
    await client.signalTypes.list();
    await client.context.get();
    await client.onboarding.status();
  }
  expect(seen).toEqual(Array(3).fill(['/api/v1/signals/types', '/api/context', '/api/onboarding/status']).flat());
  // A proxy prefix before /api/v1 is kept for both.
  const prefixed = new PuffleClient({ apiKey: puffleKey('bases'), baseUrl: 'https://proxy.example/puffle/api/v1', fetch: spy });
  expect(prefixed.baseUrl).toBe('https://proxy.example/puffle/api/v1');
  for (const baseUrl of ['https://app.puffle.ai/v1', 'https://app.puffle.ai/api', 'https://app.puffle.ai/api/v2']) {
    expect(() => new PuffleClient({ apiKey: puffleKey('bases'), baseUrl })).toThrow(/must be Puffle's origin or end with \/api\/v1/);
  }
});

describe('validation first: an invalid call throws ValidationError and sends nothing', () => {
  const id = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
  const cases = [
    ['create: empty keywords', (c) => c.signalTypes.create(newType('X', { keywords: [] })), 'puffle.signalType.create', [['keywords', 'too_few']]],
    ['create: unknown field with suggestion', (c) => c.signalTypes.create(newType('X', { keyword: ['x'] })), 'puffle.signalType.create', [['keyword', 'unknown_field']]],
    ['get: malformed id', (c) => c.signalTypes.get('not-a-uuid'), 'puffle.signalType.get', [['id', 'pattern']]],
    ['update: empty patch', (c) => c.signalTypes.update(id, {}), 'puffle.signalType.update', [['', 'empty_patch']]],
    ['update: disqualifier with a dot', (c) => c.signalTypes.update(id, { disqualifiers: ['a.b'] }), 'puffle.signalType.update', [['disqualifiers[0]', 'contains_dot']]],
    ['delete: malformed id', (c) => c.signalTypes.delete('x'), 'puffle.signalType.delete', [['id', 'pattern']]],
    ['reset: malformed id', (c) => c.signalTypes.reset('x'), 'puffle.signalType.reset', [['id', 'pattern']]],
    ['generate: malformed id', (c) => c.signalTypes.generate('x'), 'puffle.signalType.generate', [['id', 'pattern']]],
    ['sources.list: malformed id', (c) => c.signalTypes.sources.list('x'), 'puffle.signalTypeSource.list', [['id', 'pattern']]],
    ['sources.update: unknown source', (c) => c.signalTypes.sources.update(id, 'myspace', { enabled: true }), 'puffle.signalTypeSource.update', [['sourceId', 'enum']]],
    ['sources.update: null enabled', (c) => c.signalTypes.sources.update(id, 'news', { enabled: null }), 'puffle.signalTypeSource.update', [['enabled', 'type']]],
    ['feed: limit 0', (c) => c.signals.list({ limit: 0 }).toArray(), 'puffle.signal.list', [['limit', 'below_minimum']]],
    ['feed: since after until', (c) => c.signals.list({ since: '2026-02-01T00:00:00Z', until: '2026-01-01T00:00:00Z' }).toArray(), 'puffle.signal.list', [['until', 'invalid_range']]],
    ['dismiss: malformed id', (c) => c.signals.dismiss('x'), 'puffle.signal.dismiss', [['id', 'pattern']]],
    ['create: a body over 1 MiB', (c) => c.signalTypes.create(newType('X', { description: 'x'.repeat(1_100_000) })), 'puffle.signalType.create', [['', 'too_large']]],
    ['update: nested deeper than 64 levels', (c) => c.signalTypes.update(id, { config: JSON.parse(`${'{"a":'.repeat(70)}1${'}'.repeat(70)}`) }), 'puffle.signalType.update', [['', 'too_deep']]],
    ['create: whitespace-only name', (c) => c.signalTypes.create(newType(' \t ')), 'puffle.signalType.create', [['name', 'blank']]],
    ['feedback: not positive/negative', (c) => c.signals.feedback(id, 'meh'), 'puffle.signal.feedback', [['feedback', 'enum']]],
    ['onboarding: no website', (c) => c.onboarding.start({ email: 'jane@acme.com' }), 'puffle.onboarding.start', [['website', 'required']]],
    ['onboarding status: malformed session id', (c) => c.onboarding.status('sess_1'), 'puffle.onboarding.status', [['sessionId', 'pattern']]],
    ['context: the old flat profile', (c) => c.context.set({ company_name: 'Acme' }), 'puffle.context.set', [['company_name', 'unknown_field'], ['context', 'required']]],
    ['context: a section missing', (c) => c.context.set({ context: { user: {}, company: {}, content: {} } }), 'puffle.context.set', [['context.market', 'required']]],
  ];
  test.each(cases)('%s', async (_name, call, kind, expected) => {
    const fetchSpy = countingFetch();
    const client = puffle(emu, 'validation', { fetch: fetchSpy });
    const before = emu.log.length;
    const err = await failure(call(client));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.kind).toBe(kind);
    expect(err.fields.map((i) => [i.field, i.code])).toEqual(expected);
    expect(err.message).toMatch(/^Invalid /);
    expect(fetchSpy.calls).toHaveLength(0);
    expect(emu.log.length).toBe(before);
  });
});

describe('context rules use what the client has seen', () => {
  test('after a full list(): duplicate names and the cap of 20 are refused locally', async () => {
    const fetchSpy = countingFetch();
    const client = puffle(emu, 'cap', { fetch: fetchSpy });
    await client.signalTypes.list();
    for (let i = 0; i < 15; i++) await client.signalTypes.create(newType(`Type ${i}`));
    let sent = fetchSpy.calls.length;
    const dup = await failure(client.signalTypes.create(newType('Type 3')));
    expect(dup).toBeInstanceOf(ValidationError);
    expect(dup.fields.map((i) => i.code)).toEqual(['duplicate_name']);
    expect(fetchSpy.calls.length).toBe(sent);
    await client.signalTypes.create(newType('type 3')); // case-sensitive: a different name; the 20th type
    sent = fetchSpy.calls.length;
    const cap = await failure(client.signalTypes.create(newType('Type 99')));
    expect(cap.fields.map((i) => i.code)).toEqual(['limit_reached']);
    expect(fetchSpy.calls.length).toBe(sent);
  });

  test('without a full list the server decides: the 409 comes from the emulator', async () => {
    const first = puffle(emu, 'dupe-server');
    await first.signalTypes.create(newType('Only once'));
    const fetchSpy = countingFetch();
    const fresh = puffle(emu, 'dupe-server', { fetch: fetchSpy });
    const err = await failure(fresh.signalTypes.create(newType('Only once')));
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ status: 409, code: 'conflict' });
    expect(err.fields).toEqual([expect.objectContaining({ field: 'name', code: 'duplicate_name' })]);
    expect(fetchSpy.calls).toHaveLength(1); // 409 is never retried
  });

  test('built-in rules from a type seen in a response, or passed in', async () => {
    const fetchSpy = countingFetch();
    const client = puffle(emu, 'builtin', { fetch: fetchSpy });
    const hiring = (await client.signalTypes.list())[0];
    const sent = fetchSpy.calls.length;
    const del = await failure(client.signalTypes.delete(hiring.id));
    expect(del.fields.map((i) => i.code)).toEqual(['built_in']);
    const rename = await failure(client.signalTypes.update(hiring.id, { name: 'Hiring!' }));
    expect(rename.fields.map((i) => [i.field, i.code])).toEqual([['name', 'built_in_locked']]);
    const config = await failure(client.signalTypes.update(hiring.id, { config: { roles: ['SDR'], work_type: 'Anywhere' } }));
    expect(config.fields[0].field).toMatch(/^config/);
    expect(fetchSpy.calls.length).toBe(sent);

    // A client that never saw the type sends the request; the server refuses it.
    const fresh = puffle(emu, 'builtin', { fetch: countingFetch() });
    const server = await failure(fresh.signalTypes.delete(hiring.id));
    expect(server.status).toBe(400);
    expect(server.fields.map((i) => i.code)).toEqual(['built_in']);
    // ...unless it is given the type object.
    const spy2 = countingFetch();
    const given = puffle(emu, 'builtin', { fetch: spy2 });
    expect((await failure(given.signalTypes.reset(newType('x', { id: hiring.id, built_in: false, label: 'custom' })))).fields[0].code).toBe('not_built_in');
    expect((await failure(given.signalTypes.delete(hiring))).fields[0].code).toBe('built_in');
    expect(spy2.calls).toHaveLength(0);
  });

  test('a 404 drops the type from the cache', async () => {
    const a = puffle(emu, 'drop404');
    const b = puffle(emu, 'drop404');
    const t = await a.signalTypes.create(newType('Doomed'));
    await b.signalTypes.delete(t.id);
    expect(await failure(a.signalTypes.update(t.id, { enabled: false }))).toBeInstanceOf(NotFoundError);
    expect(a.knownTypes.types.some((x) => x.id === t.id)).toBe(false);
  });
});

test('generate without a company profile: PreconditionError saying to run onboarding, not retried', async () => {
  const fetchSpy = countingFetch();
  const client = puffle(emu, 'noprofile', { fetch: fetchSpy });
  const [hiring] = await client.signalTypes.list();
  fetchSpy.calls.length = 0;
  const err = await failure(client.signalTypes.generate(hiring.id));
  expect(err).toBeInstanceOf(PreconditionError);
  expect(err).toMatchObject({ status: 428, code: 'precondition_failed' });
  expect(err.message).toMatch(/generate needs the company profile: run onboarding first \(puffle\.onboarding\.start\(\{website\}\), then puffle\.onboarding\.waitForCompletion\(sessionId\)\)/);
  expect(fetchSpy.calls.map((c) => c.method)).toEqual(['GET', 'POST']);
  expect(emu.count('POST', `${TYPES}/${hiring.id}/generate`)).toBeGreaterThanOrEqual(1);
});

test('renaming onto another type\'s name is refused locally once the full list is known', async () => {
  const fetchSpy = countingFetch();
  const client = puffle(emu, 'rename', { fetch: fetchSpy });
  await client.signalTypes.list();
  const t = await client.signalTypes.create(newType('Renamable'));
  const sent = fetchSpy.calls.length;
  const err = await failure(client.signalTypes.update(t.id, { name: 'funding' }));
  expect(err.fields.map((i) => [i.field, i.code])).toEqual([['name', 'duplicate_name']]);
  expect(fetchSpy.calls.length).toBe(sent);
  expect((await client.signalTypes.update(t.id, { name: 'Renamed' })).label).toBe('Renamed');
});

test('clients sharing a key share its rate limiter (the limit is per key)', async () => {
  const rateLimit = { limit: 3, windowMs: 60_000 };
  const a = puffle(emu, 'shared-limit', { rateLimit });
  const b = puffle(emu, 'shared-limit', { rateLimit });
  const own = puffle(emu, 'shared-limit', { rateLimit: { ...rateLimit, shared: false } });
  for (let i = 0; i < 3; i++) await a.signalTypes.list();
  const before = emu.log.length;
  const controller = new AbortController();
  const queued = b.signalTypes.list({ signal: controller.signal });
  await new Promise((r) => setTimeout(r, 30));
  controller.abort();
  expect(await failure(queued)).toMatchObject({ name: 'AbortError' });
  expect(emu.log.length).toBe(before); // b waited behind a's three calls: nothing was sent
  expect(await own.signalTypes.list()).toHaveLength(4); // a client with its own limiter is not held
});
