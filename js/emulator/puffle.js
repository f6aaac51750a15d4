// Puffle partner API: per-tenant state and route handlers. Every request rule comes
// from the engine (`enforce`); this module only keeps state and applies accepted changes.
import { HttpError, enforce, notFound } from './errors.js';
import { BUILT_INS, builtInByLabel, builtInType } from './builtins.js';
import { buildFeed, CursorError, queryFeed } from './feed.js';
import { cloneJson, createRng, newUuid } from './util.js';
import { PUFFLE, PUFFLE_PATHS, puffleContextUrl, SOURCE_IDS } from '../vendors/puffle.js';

// Served at the path of the vendor's own base URL; the profile route sits next to it.
const BASE = new URL(PUFFLE.baseUrl).pathname; // /api/v1
const TYPES = `${BASE}${PUFFLE_PATHS.signalTypes}`;
const SIGNALS = `${BASE}${PUFFLE_PATHS.signals}`;
const CONTEXT = puffleContextUrl(BASE); // /api/context
/** Where the Puffle routes live: requests under `base`, or to `context`, are Puffle's. */
export const PUFFLE_MOUNT = Object.freeze({ base: BASE, context: CONTEXT });

const MUTABLE_FIELDS = ['description', 'enabled', 'keywords', 'disqualifiers', 'config',
  'search_instructions', 'scoring_criteria', 'sources'];

function sourceRows(enabledIds) {
  return new Map(SOURCE_IDS.map((sid) => [sid, {
    source_id: sid, enabled: enabledIds === null || enabledIds.includes(sid), keywords_extra: [], prompt_override: null,
  }]));
}

export class PuffleTenant {
  constructor(tenantId, seed, saved) {
    this.id = tenantId;
    this.types = new Map();
    this.sources = new Map();
    this.profile = null;
    this.dismissed = new Set();
    this.feedback = new Map();
    this.runSeq = 0;
    if (saved) {
      for (const t of saved.types) this.types.set(t.id, t);
      for (const [typeId, rows] of saved.sources) this.sources.set(typeId, new Map(rows.map((r) => [r.source_id, r])));
      this.profile = saved.profile;
      this.dismissed = new Set(saved.dismissed);
      this.feedback = new Map(saved.feedback);
      this.runSeq = saved.runSeq ?? 0;
    } else {
      const rng = createRng(`${seed}:puffle-builtins:${tenantId}`);
      for (const def of BUILT_INS) {
        const t = builtInType(def, rng.uuid());
        this.types.set(t.id, t);
        this.sources.set(t.id, sourceRows(null));
      }
    }
  }

  toJSON() {
    return {
      types: [...this.types.values()],
      sources: [...this.sources].map(([typeId, rows]) => [typeId, [...rows.values()]]),
      profile: this.profile,
      dismissed: [...this.dismissed],
      feedback: [...this.feedback],
      runSeq: this.runSeq,
    };
  }
}

// Company profile (PUT /api/context). The engine has no kind for it (it is not part of
// the partner API the SDK wraps), so its small shape is checked here.
const PROFILE_FIELDS = new Map([
  ['company_name', { kind: 'string', max: 200, required: true }],
  ['website', { kind: 'string', max: 500 }],
  ['description', { kind: 'string', max: 2000 }],
  ['industry', { kind: 'string', max: 100 }],
  ['target_customers', { kind: 'string', max: 1000 }],
  ['products', { kind: 'list', max: 20 }],
  ['competitors', { kind: 'list', max: 20 }],
  ['buyer_titles', { kind: 'list', max: 20 }],
]);

function checkProfile(body) {
  const issues = [];
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'validation_failed', 'the company profile must be a JSON object',
      [{ field: '', code: 'type', message: 'must be a JSON object' }]);
  }
  for (const key of Object.keys(body)) {
    if (!PROFILE_FIELDS.has(key)) {
      issues.push({ field: key, code: 'unknown_field', message: `unknown field; known fields: ${[...PROFILE_FIELDS.keys()].join(', ')}` });
    }
  }
  for (const [key, rule] of PROFILE_FIELDS) {
    const has = Object.prototype.hasOwnProperty.call(body, key);
    const v = has ? body[key] : undefined;
    if (!has) {
      if (rule.required) issues.push({ field: key, code: 'required', message: 'is required' });
      continue;
    }
    if (rule.kind === 'string') {
      if (typeof v !== 'string') issues.push({ field: key, code: 'type', message: 'must be a string' });
      else if (rule.required && !/\S/.test(v)) issues.push({ field: key, code: 'blank', message: 'must not be blank' });
      else if ([...v].length > rule.max) issues.push({ field: key, code: 'too_long', message: `must be at most ${rule.max} characters` });
    } else if (!Array.isArray(v)) {
      issues.push({ field: key, code: 'type', message: 'must be an array of strings' });
    } else {
      if (v.length > rule.max) issues.push({ field: key, code: 'too_many', message: `must have at most ${rule.max} items` });
      v.forEach((item, i) => {
        if (typeof item !== 'string' || !/\S/.test(item) || [...item].length > 100) {
          issues.push({ field: `${key}[${i}]`, code: 'type', message: 'must be a non-blank string of at most 100 characters' });
        }
      });
    }
  }
  if (issues.length) {
    throw new HttpError(400, 'validation_failed', `${issues[0].field}: ${issues[0].message}`, issues);
  }
  const profile = {};
  for (const key of PROFILE_FIELDS.keys()) if (key in body) profile[key] = cloneJson(body[key]);
  return profile;
}

// Simulated generation: prompts, 10-20 keywords and (structured) config derived from the
// company profile. The run id is recorded at the end of both prompts so that which run
// won ("last to finish wins") is observable and every run changes them.
const GENERIC_TERMS = ['evaluating vendors', 'request for proposal', 'budget approved', 'digital transformation',
  'looking for a tool', 'migration project', 'new initiative', 'expanding team', 'pilot program',
  'tender', 'procurement', 'go-to-market', 'scaling operations', 'rollout'];
const LABEL_TERMS = {
  hiring: ['hiring', 'job opening', 'open role', 'now hiring'],
  funding: ['raises', 'funding round', 'seed round', 'series a', 'series b'],
  management_change: ['appointed', 'joins as', 'promoted to', 'new chief'],
  competitor_mentions: ['alternative to', 'switching from', 'compared to', 'replacing'],
};

export function generateFor(type, profile, runId) {
  const rng = createRng(`generate:${runId}:${type.id}`);
  const company = profile.company_name.trim();
  const products = profile.products?.length ? profile.products : [`${company} platform`];
  const industry = profile.industry?.trim() || 'B2B software';
  const target = profile.target_customers?.trim() || `companies that need ${products[0]}`;
  const competitors = profile.competitors?.length ? profile.competitors : ['the incumbent vendor'];
  const titles = profile.buyer_titles?.length ? profile.buyer_titles : ['VP Sales', 'Head of Operations'];

  const pool = [];
  const add = (k) => {
    const s = String(k).replace(/\./g, ' ').trim().slice(0, 100);
    if (s && !pool.some((p) => p.toLowerCase() === s.toLowerCase())) pool.push(s);
  };
  (LABEL_TERMS[type.label] ?? type.keywords).forEach(add);
  products.forEach(add);
  add(industry);
  competitors.forEach((c) => { add(c); add(`alternative to ${c}`); });
  titles.forEach(add);
  rng.sample(GENERIC_TERMS, GENERIC_TERMS.length).forEach(add);
  let keywords = rng.sample(pool, rng.int(10, Math.min(20, pool.length)));
  // Every run changes both prompts and the keywords, so a client waiting for all three to
  // change (waitForGeneration) always sees a later run finish.
  if (JSON.stringify(keywords) === JSON.stringify(type.keywords)) keywords = [...keywords.slice(1), keywords[0]];

  const search_instructions = `Find ${type.label.replace(/_/g, ' ')} signals about ${target} in ${industry} `
    + `that suggest a need for ${products.join(', ')} from ${company}. Prefer first-party announcements `
    + `and discussions naming ${competitors.join(', ')}. [generated by ${runId}]`;
  const scoring_criteria = `Score 80-100 when the company matches ${target} and the signal shows `
    + `active buying intent for ${products[0]}; 40-79 for a good fit without explicit intent; below 40 `
    + `when the company is outside ${industry} or the signal is older than 30 days. [generated by ${runId}]`;

  let config = type.config;
  if (type.kind === 'structured') {
    switch (type.label) {
      case 'hiring':
        config = { roles: titles.slice(0, 10), seniority: ['senior', 'manager', 'director'],
          departments: ['sales', 'operations'], locations: [], min_open_roles: rng.int(1, 3) };
        break;
      case 'funding':
        config = { stages: ['seed', 'series_a', 'series_b', 'series_c'], industries: [industry],
          min_amount_usd: rng.int(1, 10) * 1_000_000, max_age_days: 60 };
        break;
      case 'management_change':
        config = { titles: titles.slice(0, 10), change_types: ['new_hire', 'promotion'], seniority: ['director', 'vp', 'c_level'] };
        break;
      case 'competitor_mentions':
        config = { competitors: competitors.slice(0, 25), mention_types: ['comparison', 'switching', 'complaint', 'pricing'], include_reviews: true };
        break;
      default:
        break;
    }
  }
  return { search_instructions, scoring_criteria, keywords, config };
}

/** Converts query text to typed values for the engine: integer text for `limit`. */
export function typedQuery(searchParams, integerKeys) {
  const out = Object.create(null);
  for (const key of new Set(searchParams.keys())) {
    const all = searchParams.getAll(key);
    if (all.length > 1) { out[key] = all; continue; }
    const v = all[0];
    if (integerKeys.includes(key) && /^-?\d{1,15}$/.test(v)) out[key] = Number(v);
    else out[key] = v;
  }
  return JSON.stringify(out);
}

/**
 * The Puffle routes. `app` is the emulator's state (state.js): engine, log, seed,
 * feedAnchorMs, now(), generateDelay(runId), schedule(ms, fn, tenant) and commit(tenant).
 */
export function puffleRoutes(app) {
  const { engine } = app;
  const typeList = (tenant) => [...tenant.types.values()];
  const feeds = new Map();
  const feedOf = (tenant) => {
    let feed = feeds.get(tenant.id);
    if (!feed) {
      feed = buildFeed(`${app.seed}:${tenant.id}`, BUILT_INS.map((b) => b.label), app.feedAnchorMs);
      feeds.set(tenant.id, feed);
    }
    return feed;
  };
  const findType = (tenant, id) => (typeof id === 'string' ? tenant.types.get(id.toLowerCase()) ?? null : null);

  const startRun = (tenant, type) => {
    tenant.runSeq += 1;
    const runId = `run_${newUuid().replace(/-/g, '').slice(0, 24)}`;
    const typeId = type.id;
    app.schedule(app.generateDelay(runId), () => {
      const current = tenant.types.get(typeId);
      if (!current || !tenant.profile) return; // deleted meanwhile: the run has nothing to update
      const gen = generateFor(current, tenant.profile, runId);
      const patch = { search_instructions: gen.search_instructions, scoring_criteria: gen.scoring_criteria, keywords: gen.keywords };
      if (current.kind === 'structured') patch.config = gen.config;
      // The engine checks the generated patch like any other; a config the type's schema
      // refuses is left as it was rather than stored invalid.
      const context = { params: { id: typeId }, type: current };
      let verdict = engine.validate('puffle.signalType.update', patch, context);
      if (!verdict.valid && patch.config !== undefined) {
        delete patch.config;
        verdict = engine.validate('puffle.signalType.update', patch, context);
      }
      if (!verdict.valid) {
        app.log('warn', `generation ${runId} produced a patch the engine refuses; ignored`);
        return;
      }
      for (const [k, v] of Object.entries(patch)) current[k] = v;
      app.commit(tenant);
    }, tenant);
    return runId;
  };

  return [
    {
      method: 'GET', path: TYPES, name: 'puffle.signalType.list',
      handle: (ctx) => {
        enforce(engine, 'puffle.signalType.list', ctx.body, undefined);
        return { status: 200, body: { signal_types: typeList(ctx.tenant) } };
      },
    },
    {
      method: 'POST', path: TYPES, name: 'puffle.signalType.create', write: true,
      handle: (ctx) => {
        enforce(engine, 'puffle.signalType.create', ctx.body, { types: typeList(ctx.tenant) });
        const b = JSON.parse(ctx.body);
        const type = {
          id: newUuid(),
          label: b.name,
          description: b.description ?? '',
          kind: 'keyword',
          enabled: b.enabled ?? true,
          keywords: b.keywords,
          disqualifiers: [],
          config: null,
          config_schema: null,
          built_in: false,
          search_instructions: b.search_instructions,
          scoring_criteria: b.scoring_criteria,
          sources: b.sources,
        };
        ctx.tenant.types.set(type.id, type);
        ctx.tenant.sources.set(type.id, sourceRows(type.sources));
        return { status: 201, body: type, mutated: true };
      },
    },
    {
      method: 'GET', path: `${TYPES}/:id`, name: 'puffle.signalType.get',
      handle: (ctx) => {
        const type = findType(ctx.tenant, ctx.params.id);
        enforce(engine, 'puffle.signalType.get', ctx.body, { params: ctx.params }, { exists: !!type, what: 'signal type' });
        return { status: 200, body: type };
      },
    },
    {
      method: 'PATCH', path: `${TYPES}/:id`, name: 'puffle.signalType.update', write: true,
      handle: (ctx) => {
        const type = findType(ctx.tenant, ctx.params.id);
        const context = { params: ctx.params, types: typeList(ctx.tenant) };
        if (type) context.type = type;
        enforce(engine, 'puffle.signalType.update', ctx.body, context, { exists: !!type, what: 'signal type' });
        const b = JSON.parse(ctx.body);
        if (Object.prototype.hasOwnProperty.call(b, 'name')) type.label = b.name;
        for (const field of MUTABLE_FIELDS) {
          if (Object.prototype.hasOwnProperty.call(b, field)) type[field] = b[field];
        }
        if (Object.prototype.hasOwnProperty.call(b, 'sources')) {
          const rows = ctx.tenant.sources.get(type.id);
          for (const row of rows.values()) row.enabled = b.sources.includes(row.source_id);
        }
        return { status: 200, body: type, mutated: true };
      },
    },
    {
      method: 'DELETE', path: `${TYPES}/:id`, name: 'puffle.signalType.delete', write: true,
      handle: (ctx) => {
        const type = findType(ctx.tenant, ctx.params.id);
        enforce(engine, 'puffle.signalType.delete', ctx.body, type ? { params: ctx.params, type } : { params: ctx.params },
          { exists: !!type, what: 'signal type' });
        ctx.tenant.types.delete(type.id);
        ctx.tenant.sources.delete(type.id);
        return { status: 200, body: { success: true }, mutated: true };
      },
    },
    {
      method: 'POST', path: `${TYPES}/:id/reset`, name: 'puffle.signalType.reset', write: true,
      handle: (ctx) => {
        const type = findType(ctx.tenant, ctx.params.id);
        enforce(engine, 'puffle.signalType.reset', ctx.body, type ? { params: ctx.params, type } : { params: ctx.params },
          { exists: !!type, what: 'signal type' });
        const def = builtInByLabel(type.label);
        if (!def) throw new HttpError(400, 'validation_failed', 'this type has no system defaults to reset to');
        type.search_instructions = def.search_instructions;
        type.scoring_criteria = def.scoring_criteria;
        return { status: 200, body: type, mutated: true };
      },
    },
    {
      method: 'POST', path: `${TYPES}/:id/generate`, name: 'puffle.signalType.generate', write: true,
      handle: (ctx) => {
        const type = findType(ctx.tenant, ctx.params.id);
        enforce(engine, 'puffle.signalType.generate', ctx.body, type ? { params: ctx.params, type } : { params: ctx.params },
          { exists: !!type, what: 'signal type' });
        if (!ctx.tenant.profile) {
          throw new HttpError(428, 'precondition_failed',
            'company profile required: complete it (PUT /api/context) before generating');
        }
        return { status: 202, body: { run_id: startRun(ctx.tenant, type) }, mutated: true };
      },
    },
    {
      method: 'GET', path: `${TYPES}/:id/sources`, name: 'puffle.signalTypeSource.list',
      handle: (ctx) => {
        const type = findType(ctx.tenant, ctx.params.id);
        enforce(engine, 'puffle.signalTypeSource.list', ctx.body, { params: ctx.params }, { exists: !!type, what: 'signal type' });
        return { status: 200, body: { sources: [...ctx.tenant.sources.get(type.id).values()] } };
      },
    },
    {
      method: 'PATCH', path: `${TYPES}/:id/sources/:sourceId`, name: 'puffle.signalTypeSource.update', write: true,
      handle: (ctx) => {
        const type = findType(ctx.tenant, ctx.params.id);
        const context = { params: ctx.params };
        if (type) context.type = type;
        enforce(engine, 'puffle.signalTypeSource.update', ctx.body, context, { exists: !!type, what: 'signal type' });
        const row = ctx.tenant.sources.get(type.id).get(ctx.params.sourceId);
        if (!row) throw notFound('source');
        const b = JSON.parse(ctx.body);
        for (const field of ['enabled', 'keywords_extra', 'prompt_override']) {
          if (Object.prototype.hasOwnProperty.call(b, field)) row[field] = b[field];
        }
        return { status: 200, body: row, mutated: true };
      },
    },
    {
      method: 'GET', path: SIGNALS, name: 'puffle.signal.list',
      handle: (ctx) => {
        const query = typedQuery(ctx.url.searchParams, ['limit']);
        enforce(engine, 'puffle.signal.list', query, undefined);
        try {
          return { status: 200, body: queryFeed(feedOf(ctx.tenant), JSON.parse(query), ctx.tenant) };
        } catch (err) {
          if (err instanceof CursorError) {
            throw new HttpError(400, 'validation_failed', `cursor: ${err.message}`,
              [{ field: 'cursor', code: 'invalid_cursor', message: err.message }]);
          }
          throw err;
        }
      },
    },
    {
      method: 'POST', path: `${SIGNALS}/:id/dismiss`, name: 'puffle.signal.dismiss', write: true,
      handle: (ctx) => {
        const signal = feedOf(ctx.tenant).byId.get(String(ctx.params.id).toLowerCase());
        enforce(engine, 'puffle.signal.dismiss', ctx.body, { params: ctx.params }, { exists: !!signal, what: 'signal' });
        const changed = !ctx.tenant.dismissed.has(signal.id);
        ctx.tenant.dismissed.add(signal.id);
        return { status: 200, body: { success: true }, mutated: changed };
      },
    },
    {
      method: 'POST', path: `${SIGNALS}/:id/feedback`, name: 'puffle.signal.feedback', write: true,
      handle: (ctx) => {
        const signal = feedOf(ctx.tenant).byId.get(String(ctx.params.id).toLowerCase());
        enforce(engine, 'puffle.signal.feedback', ctx.body, { params: ctx.params }, { exists: !!signal, what: 'signal' });
        ctx.tenant.feedback.set(signal.id, JSON.parse(ctx.body).feedback);
        return { status: 200, body: { success: true }, mutated: true };
      },
    },
    {
      method: 'GET', path: CONTEXT, name: 'puffle.context.get',
      handle: (ctx) => ({ status: 200, body: { profile: ctx.tenant.profile } }),
    },
    {
      method: 'PUT', path: CONTEXT, name: 'puffle.context.update', write: true,
      handle: (ctx) => {
        if (ctx.body === undefined) {
          throw new HttpError(400, 'validation_failed', 'a JSON body is required', [{ field: '', code: 'required', message: 'a JSON body is required' }]);
        }
        ctx.tenant.profile = checkProfile(ctx.parseJson());
        return { status: 200, body: { profile: ctx.tenant.profile }, mutated: true };
      },
    },
  ];
}
