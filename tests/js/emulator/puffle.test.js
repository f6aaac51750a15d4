// Puffle partner API against a real emulator over loopback HTTP.
import { client, eventually, newType, puffleKey, PUFFLE_TYPES, start, workspace } from './helpers.js';
import { SOURCE_IDS as SOURCES } from '../../../js/vendors/puffle.js';

const BUILT_IN_LABELS = ['hiring', 'funding', 'management_change', 'competitor_mentions'];

let emu;
let api;
let other;
beforeAll(async () => {
  emu = await start();
  api = client(emu, puffleKey('puffle-main'));
  other = client(emu, puffleKey('puffle-other'));
});
afterAll(() => emu.close());

const builtIn = async (c, label) => (await c.get(PUFFLE_TYPES)).body.signal_types.find((t) => t.label === label);

describe('built-in types', () => {
  test('every tenant starts with the four structured built-ins, each with a config_schema', async () => {
    const res = await client(emu, puffleKey('fresh-tenant')).get(PUFFLE_TYPES);
    expect(res.status).toBe(200);
    const types = res.body.signal_types;
    expect(types.map((t) => t.label)).toEqual(BUILT_IN_LABELS);
    for (const t of types) {
      expect(t).toMatchObject({ kind: 'structured', built_in: true, enabled: true, sources: null });
      expect(t.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(t.config_schema).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' });
      expect(typeof t.config).toBe('object');
      expect(t.keywords.length).toBeGreaterThan(0);
      expect(t.disqualifiers.length).toBeGreaterThan(0);
      expect(t.search_instructions.length).toBeGreaterThan(10);
      expect(t.scoring_criteria.length).toBeGreaterThan(10);
      expect(Object.keys(t).sort()).toEqual(['built_in', 'config', 'config_schema', 'description', 'disqualifiers',
        'enabled', 'id', 'keywords', 'kind', 'label', 'scoring_criteria', 'search_instructions', 'sources'].sort());
    }
  });

  test('built-in ids are deterministic per seed and key', async () => {
    const again = await start({ seed: 'signalkit' });
    try {
      const a = (await client(emu, puffleKey('seeded')).get(PUFFLE_TYPES)).body.signal_types.map((t) => t.id);
      const b = (await client(again, puffleKey('seeded')).get(PUFFLE_TYPES)).body.signal_types.map((t) => t.id);
      expect(b).toEqual(a);
    } finally {
      await again.close();
    }
  });

  test('name and sources of a built-in are locked (400), prompts/keywords/config editable', async () => {
    const hiring = await builtIn(api, 'hiring');
    let res = await api.patch(`${PUFFLE_TYPES}/${hiring.id}`, { name: 'Hiring 2' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.fields).toEqual([expect.objectContaining({ field: 'name', code: 'built_in_locked' })]);
    res = await api.patch(`${PUFFLE_TYPES}/${hiring.id}`, { sources: ['news'] });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].code).toBe('built_in_locked');

    res = await api.patch(`${PUFFLE_TYPES}/${hiring.id}`, {
      keywords: ['hiring', 'open role'], disqualifiers: ['internship'], enabled: false,
      config: { roles: ['Data Engineer'], seniority: ['Senior'] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ label: 'hiring', keywords: ['hiring', 'open role'], disqualifiers: ['internship'],
      enabled: false, config: { roles: ['Data Engineer'], seniority: ['Senior'] } });
    expect((await api.get(`${PUFFLE_TYPES}/${hiring.id}`)).body).toEqual(res.body);
  });

  test("the hiring config_schema accepts Puffle's documented example, copied from its pages", async () => {
    const hiring = await builtIn(api, 'hiring');
    const documented = { roles: ['Account Executive', 'RevOps Manager'], seniority: ['Senior', 'Director'], work_type: 'Any',
      locations: ['United States'] };
    const res = await api.patch(`${PUFFLE_TYPES}/${hiring.id}`, { config: documented });
    expect(res.status).toBe(200);
    expect(res.body.config).toEqual(documented);
    // The schema still means something: a lower-case seniority or an unknown work type is refused.
    for (const config of [{ ...documented, seniority: ['senior'] }, { ...documented, work_type: 'Anywhere' }]) {
      const bad = await api.patch(`${PUFFLE_TYPES}/${hiring.id}`, { config });
      expect([JSON.stringify(config), bad.status]).toEqual([JSON.stringify(config), 400]);
      expect(bad.body.error.fields[0].code).toBe('enum');
    }
  });

  test('config is checked against the type\'s own config_schema', async () => {
    const funding = await builtIn(api, 'funding');
    const res = await api.patch(`${PUFFLE_TYPES}/${funding.id}`, { config: { stages: ['series_z'] } });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.some((f) => f.field.startsWith('config') && f.code === 'enum')).toBe(true);
    expect((await api.get(`${PUFFLE_TYPES}/${funding.id}`)).body.config).toEqual(funding.config);
  });

  test('a built-in cannot be deleted (400) and can be reset (prompts back to defaults)', async () => {
    const mc = await builtIn(api, 'management_change');
    let res = await api.del(`${PUFFLE_TYPES}/${mc.id}`);
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].code).toBe('built_in');

    res = await api.patch(`${PUFFLE_TYPES}/${mc.id}`, { search_instructions: 'custom prompt', scoring_criteria: 'custom score' });
    expect(res.status).toBe(200);
    res = await api.post(`${PUFFLE_TYPES}/${mc.id}/reset`);
    expect(res.status).toBe(200);
    expect(res.body.search_instructions).toBe(mc.search_instructions);
    expect(res.body.scoring_criteria).toBe(mc.scoring_criteria);
    expect(res.body.id).toBe(mc.id);
  });
});

describe('custom types', () => {
  test('create returns the full keyword type (201) with defaults; get and list show it', async () => {
    const res = await api.post(PUFFLE_TYPES, newType('Layoffs'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      label: 'Layoffs', description: '', kind: 'keyword', enabled: true, keywords: ['layoffs', 'reduction in force'],
      disqualifiers: [], config: null, config_schema: null, built_in: false, sources: ['news', 'reddit'],
    });
    expect((await api.get(`${PUFFLE_TYPES}/${res.body.id}`)).body).toEqual(res.body);
    expect((await api.get(PUFFLE_TYPES)).body.signal_types.map((t) => t.id)).toContain(res.body.id);
  });

  test('rules of the create body come from the engine: every issue at once, 400', async () => {
    const res = await api.post(PUFFLE_TYPES, { name: '', keywords: [], search_instructions: 'x', scoring_criteria: 'y', sources: ['fax'], extra: 1 });
    expect(res.status).toBe(400);
    const codes = res.body.error.fields.map((f) => `${f.field}:${f.code}`);
    expect(codes).toEqual(expect.arrayContaining(['name:too_short', 'keywords:too_few', 'sources[0]:enum', 'extra:unknown_field']));
    expect(typeof res.body.error.message).toBe('string');
  });

  test.each([
    ['name over 100 characters', { name: 'n'.repeat(101) }, 'name', 'too_long'],
    ['blank name', { name: '   ' }, 'name', 'blank'],
    ['51 keywords', { keywords: Array.from({ length: 51 }, (_, i) => `k${i}`) }, 'keywords', 'too_many'],
    ['an empty keyword', { keywords: ['ok', ''] }, 'keywords[1]', 'too_short'],
    ['empty search_instructions', { search_instructions: '' }, 'search_instructions', 'too_short'],
    ['no sources', { sources: [] }, 'sources', 'too_few'],
    ['description over 500', { description: 'd'.repeat(501) }, 'description', 'too_long'],
    ['enabled as text', { enabled: 'yes' }, 'enabled', 'type'],
    ['missing scoring_criteria', { scoring_criteria: undefined }, 'scoring_criteria', 'required'],
  ])('create refuses %s (400, engine code)', async (_, change, field, code) => {
    const res = await api.post(PUFFLE_TYPES, newType('Rule check', change));
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([expect.objectContaining({ field, code })]);
  });

  test('duplicate names are 409, case-sensitive', async () => {
    expect((await api.post(PUFFLE_TYPES, newType('Expansion'))).status).toBe(201);
    const dup = await api.post(PUFFLE_TYPES, newType('Expansion'));
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('conflict');
    expect(dup.body.error.fields).toEqual([expect.objectContaining({ field: 'name', code: 'duplicate_name' })]);
    expect((await api.post(PUFFLE_TYPES, newType('expansion'))).status).toBe(201);
  });

  test('renaming onto another type\'s name is 409; renaming to itself is fine', async () => {
    const a = (await api.post(PUFFLE_TYPES, newType('Rename A'))).body;
    await api.post(PUFFLE_TYPES, newType('Rename B'));
    expect((await api.patch(`${PUFFLE_TYPES}/${a.id}`, { name: 'Rename B' })).status).toBe(409);
    expect((await api.patch(`${PUFFLE_TYPES}/${a.id}`, { name: 'Rename A' })).status).toBe(200);
    const renamed = await api.patch(`${PUFFLE_TYPES}/${a.id}`, { name: 'Rename C' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.label).toBe('Rename C');
  });

  test('patch changes only given fields; {} is rejected; sources sync the source rows', async () => {
    const t = (await api.post(PUFFLE_TYPES, newType('Patchable'))).body;
    let res = await api.patch(`${PUFFLE_TYPES}/${t.id}`, {});
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].code).toBe('empty_patch');

    res = await api.patch(`${PUFFLE_TYPES}/${t.id}`, { description: 'Job cuts', sources: ['hacker_news'] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...t, description: 'Job cuts', sources: ['hacker_news'] });
    const rows = (await api.get(`${PUFFLE_TYPES}/${t.id}/sources`)).body.sources;
    expect(rows.filter((r) => r.enabled).map((r) => r.source_id)).toEqual(['hacker_news']);

    res = await api.patch(`${PUFFLE_TYPES}/${t.id}`, { disqualifiers: ['job.board'] });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0]).toMatchObject({ field: 'disqualifiers[0]', code: 'contains_dot' });
  });

  test('an enabled keyword type keeps at least one keyword', async () => {
    const t = (await api.post(PUFFLE_TYPES, newType('Needs keywords'))).body;
    const res = await api.patch(`${PUFFLE_TYPES}/${t.id}`, { keywords: [] });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0]).toMatchObject({ field: 'keywords', code: 'too_few' });
  });

  test('reset of a custom type is 400; delete removes it (then 404)', async () => {
    const t = (await api.post(PUFFLE_TYPES, newType('Short lived'))).body;
    const reset = await api.post(`${PUFFLE_TYPES}/${t.id}/reset`);
    expect(reset.status).toBe(400);
    expect(reset.body.error.fields[0].code).toBe('not_built_in');
    const del = await api.del(`${PUFFLE_TYPES}/${t.id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await api.get(`${PUFFLE_TYPES}/${t.id}`)).status).toBe(404);
    expect((await api.del(`${PUFFLE_TYPES}/${t.id}`)).status).toBe(404);
  });

  test('unknown ids are 404, ids failing the pattern are 400', async () => {
    const unknown = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
    for (const [method, suffix] of [['GET', ''], ['DELETE', ''], ['POST', '/reset'], ['POST', '/generate'], ['GET', '/sources']]) {
      const res = await api.call(method, `${PUFFLE_TYPES}/${unknown}${suffix}`);
      expect([method, suffix, res.status]).toEqual([method, suffix, 404]);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await api.patch(`${PUFFLE_TYPES}/${unknown}`, { description: 'x' })).status).toBe(404);
    const bad = await api.get(`${PUFFLE_TYPES}/not-a-uuid`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0]).toMatchObject({ field: 'id', code: 'pattern' });
    // Version digit 9 fails Puffle's pattern even though it is 8-4-4-4-12 hex.
    expect((await api.get(`${PUFFLE_TYPES}/3c90c3cc-0d44-9b50-8888-8dd25736052a`)).status).toBe(400);
  });
});

describe('the 20-type cap', () => {
  test('the 21st type is refused with 400 limit_reached; deleting one makes room', async () => {
    const c = client(emu, puffleKey('cap-tenant'));
    const made = [];
    for (let i = 0; i < 16; i++) {
      const res = await c.post(PUFFLE_TYPES, newType(`Type ${i}`));
      expect(res.status).toBe(201);
      made.push(res.body.id);
    }
    expect((await c.get(PUFFLE_TYPES)).body.signal_types).toHaveLength(20);
    const over = await c.post(PUFFLE_TYPES, newType('One too many'));
    expect(over.status).toBe(400);
    expect(over.body.error.fields.map((f) => f.code)).toContain('limit_reached');
    expect((await c.get(PUFFLE_TYPES)).body.signal_types).toHaveLength(20);
    expect((await c.del(`${PUFFLE_TYPES}/${made[0]}`)).status).toBe(204);
    expect((await c.post(PUFFLE_TYPES, newType('One too many'))).status).toBe(201);
    // Another key is not affected by this tenant's cap.
    expect((await client(emu, puffleKey('cap-neighbour')).post(PUFFLE_TYPES, newType('Type 0'))).status).toBe(201);
  });
});

describe('sources subresource', () => {
  test('lists one row per source, enabled as created; patch updates one row', async () => {
    const t = (await api.post(PUFFLE_TYPES, newType('Sourced', { sources: ['news', 'linkedin_jobs'] }))).body;
    const list = await api.get(`${PUFFLE_TYPES}/${t.id}/sources`);
    expect(list.status).toBe(200);
    expect(list.body.sources.map((r) => r.source_id)).toEqual(SOURCES);
    expect(list.body.sources.find((r) => r.source_id === 'news')).toEqual({ source_id: 'news', enabled: true, keywords_extra: [], prompt_override: null });
    expect(list.body.sources.find((r) => r.source_id === 'reddit').enabled).toBe(false);

    let res = await api.patch(`${PUFFLE_TYPES}/${t.id}/sources/news`, { keywords_extra: ['rif'], prompt_override: 'Only tech press' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ source_id: 'news', enabled: true, keywords_extra: ['rif'], prompt_override: 'Only tech press' });
    res = await api.patch(`${PUFFLE_TYPES}/${t.id}/sources/news`, { prompt_override: null });
    expect(res.body.prompt_override).toBeNull();
    expect(res.body.keywords_extra).toEqual(['rif']);
  });

  test('{} , null enabled and unknown source ids are 400; unknown type 404', async () => {
    const t = (await api.post(PUFFLE_TYPES, newType('Sourced 2'))).body;
    let res = await api.patch(`${PUFFLE_TYPES}/${t.id}/sources/news`, {});
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].code).toBe('empty_patch');
    res = await api.patch(`${PUFFLE_TYPES}/${t.id}/sources/news`, { enabled: null });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0]).toMatchObject({ field: 'enabled', code: 'type' });
    res = await api.patch(`${PUFFLE_TYPES}/${t.id}/sources/news`, { keywords_extra: null });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0]).toMatchObject({ field: 'keywords_extra', code: 'type' });
    res = await api.patch(`${PUFFLE_TYPES}/${t.id}/sources/news`, { keywords_extra: Array.from({ length: 51 }, (_, i) => `x${i}`) });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0]).toMatchObject({ field: 'keywords_extra', code: 'too_many' });
    res = await api.patch(`${PUFFLE_TYPES}/${t.id}/sources/fax`, { enabled: false });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.some((f) => f.field === 'sourceId')).toBe(true);
    res = await api.patch(`${PUFFLE_TYPES}/3c90c3cc-0d44-4b50-8888-8dd25736052a/sources/news`, { enabled: false });
    expect(res.status).toBe(404);
  });
});

describe('company profile and generation', () => {
  test('428 until a profile exists; then generate (200 {run_id}) rewrites prompts, 10-20 keywords and config', async () => {
    const c = client(emu, puffleKey('generation'));
    const hiring = await builtIn(c, 'hiring');
    let res = await c.post(`${PUFFLE_TYPES}/${hiring.id}/generate`);
    expect(res.status).toBe(428);
    expect(res.body.error.code).toBe('precondition_failed');
    expect(res.body.error.message).toMatch(/onboarding/);
    expect((await c.get('/api/context')).body).toEqual({ context: null, profile: null });

    const body = workspace();
    res = await c.put('/api/context', body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ context: body.context, profile: { firstName: null, lastName: null, ...body.profile } });
    expect((await c.get('/api/context')).body).toEqual(res.body);

    res = await c.post(`${PUFFLE_TYPES}/${hiring.id}/generate`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ run_id: expect.stringMatching(/^run_[0-9a-f]{24}$/) });
    const after = await eventually(async () => {
      const t = (await c.get(`${PUFFLE_TYPES}/${hiring.id}`)).body;
      return t.search_instructions !== hiring.search_instructions ? t : null;
    });
    expect(after.search_instructions).toContain('Acme Robotics');
    expect(after.search_instructions).toContain('Pick-and-place arms');
    expect(after.search_instructions).toContain(res.body.run_id);
    expect(after.scoring_criteria).not.toBe(hiring.scoring_criteria);
    expect(after.keywords).not.toEqual(hiring.keywords);
    expect(after.keywords.length).toBeGreaterThanOrEqual(10);
    expect(after.keywords.length).toBeLessThanOrEqual(20);
    // Generation writes a config the built-in's own schema accepts (capitalised seniority, work_type).
    expect(after.config).toMatchObject({ roles: ['Head of Logistics'], work_type: 'Any' });
    expect(after.config.seniority.every((s) => /^[A-Z]/.test(s))).toBe(true);
    expect(after.label).toBe('hiring');
    expect(after.sources).toBeNull();
  });

  test('onboarding: pending → looking_up → gathering_info → generating_context → completed, then the profile exists', async () => {
    const e = await start({ onboardingStepMs: 40 });
    try {
      const c = client(e, puffleKey('onboarding'));
      expect((await c.get('/api/onboarding/status')).body).toEqual({ session: null });
      const started = await c.post('/api/onboarding/start-scraping', { website: 'https://northwind-analytics.com', firstName: 'Dana' });
      expect(started.status).toBe(200);
      expect(started.body).toEqual({ sessionId: expect.any(String), runId: expect.stringMatching(/^run_/) });
      const seen = [];
      const done = await eventually(async () => {
        const { session } = (await c.get('/api/onboarding/status', { query: { sessionId: started.body.sessionId } })).body;
        if (seen.at(-1) !== session.status) seen.push(session.status);
        return session.status === 'completed' ? session : null;
      }, { everyMs: 5, tries: 400 });
      expect(seen[0]).toBe('pending');
      expect(seen.at(-1)).toBe('completed');
      // Statuses only move forward, in the documented order.
      const order = ['pending', 'looking_up', 'gathering_info', 'generating_context', 'completed'];
      expect(seen.map((s) => order.indexOf(s))).toEqual([...seen.map((s) => order.indexOf(s))].sort());
      expect(done).toEqual({ id: started.body.sessionId, status: 'completed', companyName: 'Northwind Analytics', errorMessage: null, errorStep: null });
      // Without sessionId: the latest session.
      expect((await c.get('/api/onboarding/status')).body.session.id).toBe(started.body.sessionId);

      const { context, profile } = (await c.get('/api/context')).body;
      expect(Object.keys(context).sort()).toEqual(['company', 'content', 'extra', 'market', 'user']);
      expect(profile).toEqual({ firstName: 'Dana', lastName: null, companyName: 'Northwind Analytics', website: 'https://northwind-analytics.com' });
      const hiring = await builtIn(c, 'hiring');
      expect((await c.post(`${PUFFLE_TYPES}/${hiring.id}/generate`)).status).toBe(200);
      // What GET answered can be written back unchanged.
      expect((await c.put('/api/context', { context, profile })).status).toBe(200);
    } finally {
      await e.close();
    }
  });

  test('onboarding fails at looking_up for a website that cannot resolve (a reserved TLD); generate stays 428', async () => {
    const c = client(emu, puffleKey('onboarding-fails'));
    const { sessionId } = (await c.post('/api/onboarding/start-scraping', { website: 'acme.invalid' })).body;
    const failed = await eventually(async () => {
      const { session } = (await c.get('/api/onboarding/status', { query: { sessionId } })).body;
      return session.status === 'failed' ? session : null;
    });
    expect(failed).toEqual({ id: sessionId, status: 'failed', companyName: null,
      errorMessage: "the website's host acme.invalid could not be resolved", errorStep: 'looking_up' });
    expect((await c.get('/api/context')).body).toEqual({ context: null, profile: null });
    const hiring = await builtIn(c, 'hiring');
    expect((await c.post(`${PUFFLE_TYPES}/${hiring.id}/generate`)).status).toBe(428);
  });

  test('onboarding and context bodies are checked by the engine; an unknown session is {session: null}', async () => {
    const c = client(emu, puffleKey('onboarding-rules'));
    let res = await c.post('/api/onboarding/start-scraping', { website: '', first_name: 'Jane' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f) => `${f.field}:${f.code}`).sort()).toEqual(['first_name:unknown_field', 'website:too_short']);
    res = await c.get('/api/onboarding/status', { query: { sessionId: 'sess_1' } });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0]).toMatchObject({ field: 'sessionId', code: 'pattern' });
    res = await c.get('/api/onboarding/status', { query: { sessionId: '3c90c3cc-0d44-4b50-8888-8dd25736052a' } });
    expect(res.body).toEqual({ session: null });

    // The old flat profile is not Puffle's shape; a context missing a section is refused.
    res = await c.put('/api/context', { company_name: 'Acme' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f) => `${f.field}:${f.code}`).sort()).toEqual(['company_name:unknown_field', 'context:required']);
    const { context } = workspace();
    delete context.market;
    res = await c.put('/api/context', { context });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([expect.objectContaining({ field: 'context.market', code: 'required' })]);
    res = await c.put('/api/context', ['not', 'an', 'object']);
    expect(res.status).toBe(400);
    expect((await c.get('/api/context')).body).toEqual({ context: null, profile: null });
  });

  test('PUT replaces the context; only the given profile keys change', async () => {
    const c = client(emu, puffleKey('context-replace'));
    await c.put('/api/context', workspace({ company: 'First Co' }));
    const second = workspace({ company: 'Second Co' });
    second.context.extra = null;
    const res = await c.put('/api/context', { context: second.context, profile: { firstName: 'Jo' } });
    expect(res.body.context).toEqual(second.context);
    expect(res.body.profile).toEqual({ firstName: 'Jo', lastName: null, companyName: 'First Co', website: 'https://acme.example' });
  });

  test('generate works on a custom type and the last run to finish wins', async () => {
    const e = await start({ generateDelayMs: 40 });
    try {
      const c = client(e, puffleKey('last-wins'));
      await c.put('/api/context', workspace({ company: 'Globex' }));
      const t = (await c.post(PUFFLE_TYPES, newType('Placeholder'))).body;
      const first = (await c.post(`${PUFFLE_TYPES}/${t.id}/generate`)).body.run_id;
      const second = (await c.post(`${PUFFLE_TYPES}/${t.id}/generate`)).body.run_id;
      expect(second).not.toBe(first);
      await eventually(async () => (await c.get(`${PUFFLE_TYPES}/${t.id}`)).body.search_instructions.includes(second));
      // Give the earlier run every chance to (wrongly) overwrite the later one.
      await new Promise((r) => setTimeout(r, 80));
      const final = (await c.get(`${PUFFLE_TYPES}/${t.id}`)).body;
      expect(final.search_instructions).toContain(second);
      expect(final.kind).toBe('keyword');
      expect(final.config).toBeNull();
    } finally {
      await e.close();
    }
  });

  test('each run changes prompts and keywords again, even with the same profile', async () => {
    const c = client(emu, puffleKey('rerun'));
    await c.put('/api/context', workspace({ company: 'Rerun Ltd', product: 'Widgets' }));
    const t = (await c.post(PUFFLE_TYPES, newType('Rerun'))).body;
    let before = t;
    for (let i = 0; i < 3; i++) {
      const runId = (await c.post(`${PUFFLE_TYPES}/${t.id}/generate`)).body.run_id;
      const after = await eventually(async () => {
        const now = (await c.get(`${PUFFLE_TYPES}/${t.id}`)).body;
        return now.search_instructions.includes(runId) ? now : null;
      });
      expect(after.scoring_criteria).not.toBe(before.scoring_criteria);
      expect(after.keywords).not.toEqual(before.keywords);
      before = after;
    }
  });

  test('a type deleted before its run finishes stays deleted', async () => {
    const e = await start({ generateDelayMs: 30 });
    try {
      const c = client(e, puffleKey('deleted-run'));
      await c.put('/api/context', workspace({ company: 'Initech' }));
      const t = (await c.post(PUFFLE_TYPES, newType('Doomed'))).body;
      expect((await c.post(`${PUFFLE_TYPES}/${t.id}/generate`)).status).toBe(200);
      expect((await c.del(`${PUFFLE_TYPES}/${t.id}`)).status).toBe(204);
      await new Promise((r) => setTimeout(r, 80));
      expect((await c.get(`${PUFFLE_TYPES}/${t.id}`)).status).toBe(404);
    } finally {
      await e.close();
    }
  });
});

describe('partner portal', () => {
  test('404 until the key has a webhook app; then a short-lived link that works until it expires', async () => {
    const key = puffleKey('portal');
    const c = client(emu, key);
    let res = await c.get('/api/v1/partners/portal');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    const app = await fetch(`${emu.url}/__emulator/webhook-app`, { method: 'PUT', headers: { authorization: `Bearer ${key}` } });
    expect([app.status, await app.json()]).toEqual([200, { webhookApp: true, endpoint: null }]);
    res = await c.get('/api/v1/partners/portal');
    expect(res.status).toBe(200);
    const { url } = res.body;
    const expires = Number(new URL(url).searchParams.get('expires'));
    expect(expires - Date.now() / 1000).toBeGreaterThan(240);
    expect(expires - Date.now() / 1000).toBeLessThanOrEqual(300);
    expect((await fetch(url)).status).toBe(200);
    const stale = new URL(url);
    stale.searchParams.set('expires', String(Math.floor(Date.now() / 1000) - 1));
    expect((await fetch(stale)).status).toBe(410);
    // Another key still has none; removing the app brings the 404 back.
    expect((await client(emu, puffleKey('portal-other')).get('/api/v1/partners/portal')).status).toBe(404);
    await fetch(`${emu.url}/__emulator/webhook-app`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });
    expect((await c.get('/api/v1/partners/portal')).status).toBe(404);
    // The control needs a Puffle key to know whose app it is.
    expect((await fetch(`${emu.url}/__emulator/webhook-app`, { method: 'PUT' })).status).toBe(401);
  });
});

describe('isolation between keys', () => {
  test('another key never sees, changes or deletes this key\'s types, even by id', async () => {
    const mine = (await api.post(PUFFLE_TYPES, newType('Private'))).body;
    const theirs = (await other.get(PUFFLE_TYPES)).body.signal_types;
    expect(theirs.map((t) => t.id)).not.toContain(mine.id);
    expect(theirs.map((t) => t.label)).not.toContain('Private');
    expect((await other.get(`${PUFFLE_TYPES}/${mine.id}`)).status).toBe(404);
    expect((await other.patch(`${PUFFLE_TYPES}/${mine.id}`, { description: 'hacked' })).status).toBe(404);
    expect((await other.del(`${PUFFLE_TYPES}/${mine.id}`)).status).toBe(404);
    expect((await other.get(`${PUFFLE_TYPES}/${mine.id}/sources`)).status).toBe(404);
    expect((await other.patch(`${PUFFLE_TYPES}/${mine.id}/sources/news`, { enabled: false })).status).toBe(404);
    expect((await other.post(`${PUFFLE_TYPES}/${mine.id}/generate`)).status).toBe(404);
    // The same name is free for the other key.
    expect((await other.post(PUFFLE_TYPES, newType('Private'))).status).toBe(201);
    expect((await api.get(`${PUFFLE_TYPES}/${mine.id}`)).body).toEqual(mine);
  });

  test('built-in ids differ between keys; a profile set by one key does not count for another', async () => {
    const a = await builtIn(api, 'hiring');
    const b = await builtIn(other, 'hiring');
    expect(a.id).not.toBe(b.id);
    await api.put('/api/context', workspace({ company: 'Only mine' }));
    expect((await other.get('/api/context')).body).toEqual({ context: null, profile: null });
    expect((await other.post(`${PUFFLE_TYPES}/${b.id}/generate`)).status).toBe(428);
  });
});
