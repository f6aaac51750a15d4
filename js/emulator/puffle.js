// Puffle partner API: per-tenant state and route handlers. Every request rule comes
// from the engine (`enforce`); this module only keeps state and applies accepted changes.
// The company-profile endpoints under /api live in profile.js.
import { HttpError, enforce, notFound } from './errors.js';
import { BUILT_INS, builtInByLabel, builtInType, SENIORITY } from './builtins.js';
import { buildFeed, CursorError, queryFeed, withDetected } from './feed.js';
import { generationInputs, settle } from './profile.js';
import { typedQuery } from '../util/query.js';
import { createRng, newUuid } from './util.js';
import { PUFFLE_BASE_PATHS, PUFFLE_PATHS, SOURCE_IDS } from '../vendors/puffle.js';

// Served at the paths of the vendor's own base URLs: the partner API under /api/v1, the
// company profile (profile.js) under /api.
const BASE = PUFFLE_BASE_PATHS.api;
const TYPES = `${BASE}${PUFFLE_PATHS.signalTypes}`;
const SIGNALS = `${BASE}${PUFFLE_PATHS.signals}`;
const PORTAL = `${BASE}${PUFFLE_PATHS.partnerPortal}`;
/** Where the Puffle routes live: requests under `base` (/api, which holds /api/v1) are Puffle's. */
export const PUFFLE_MOUNT = Object.freeze({ base: PUFFLE_BASE_PATHS.internal });

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
    this.workspace = null;        // {context, profile} once onboarding completed or PUT /api/context
    this.sessions = [];           // onboarding sessions, oldest first (profile.js)
    this.webhookApp = false;      // set through /__emulator/webhook-app: the partner portal then answers
    this.webhookEndpoint = null;  // {url, secret, createdAt}: where events go (webhooks.js)
    this.detected = [];           // signals found since the seeded feed, oldest first (detection.js)
    this.research = [];           // research runs, oldest first (detection.js)
    this.dismissed = new Set();
    this.feedback = new Map();
    this.runSeq = 0;
    if (saved) {
      for (const t of saved.types) this.types.set(t.id, t);
      for (const [typeId, rows] of saved.sources) this.sources.set(typeId, new Map(rows.map((r) => [r.source_id, r])));
      this.workspace = saved.workspace ?? null;
      this.sessions = saved.sessions ?? [];
      this.webhookApp = saved.webhookApp ?? false;
      this.webhookEndpoint = saved.webhookEndpoint ?? null;
      this.detected = saved.detected ?? [];
      this.research = saved.research ?? [];
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
      workspace: this.workspace,
      sessions: this.sessions,
      webhookApp: this.webhookApp,
      webhookEndpoint: this.webhookEndpoint,
      detected: this.detected,
      research: this.research,
      dismissed: [...this.dismissed],
      feedback: [...this.feedback],
      runSeq: this.runSeq,
    };
  }
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

function generateFor(type, workspace, runId) {
  const rng = createRng(`generate:${runId}:${type.id}`);
  const { company, products, industry, target: given, competitors: named, titles: listed } = generationInputs(workspace);
  const target = given ?? `companies that need ${products[0]}`;
  const competitors = named.length ? named : ['the incumbent vendor'];
  const titles = listed.length ? listed : ['VP Sales', 'Head of Operations'];

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
        config = { roles: titles.slice(0, 10), seniority: rng.sample(SENIORITY.slice(3, 7), 3), work_type: 'Any', locations: [] };
        break;
      case 'funding':
        config = { stages: ['seed', 'series_a', 'series_b', 'series_c'], industries: [industry],
          min_amount_usd: rng.int(1, 10) * 1_000_000, max_age_days: 60 };
        break;
      case 'management_change':
        config = { titles: titles.slice(0, 10), change_types: ['new_hire', 'promotion'], seniority: ['Director', 'VP', 'C-Level'] };
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

/**
 * The Puffle partner-API routes. `app` is the emulator's state (state.js): engine, log, seed,
 * feedAnchorMs, now(), onboardingStepMs, generateDelay(runId), schedule(ms, fn, tenant) and
 * commit(tenant).
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
    return withDetected(feed, tenant.detected);
  };
  const findType = (tenant, id) => (typeof id === 'string' ? tenant.types.get(id.toLowerCase()) ?? null : null);

  const startRun = (tenant, type) => {
    tenant.runSeq += 1;
    const runId = `run_${newUuid().replace(/-/g, '').slice(0, 24)}`;
    const typeId = type.id;
    app.schedule(app.generateDelay(runId), () => {
      const current = tenant.types.get(typeId);
      if (!current || !tenant.workspace) return; // deleted meanwhile: the run has nothing to update
      const gen = generateFor(current, tenant.workspace, runId);
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
        return { status: 204, mutated: true };
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
        settle(ctx.tenant, app.now(), app.onboardingStepMs);
        if (!ctx.tenant.workspace) {
          throw new HttpError(428, 'precondition_failed',
            'company profile required: complete onboarding (POST /api/onboarding/start-scraping) before generating');
        }
        return { status: 200, body: { run_id: startRun(ctx.tenant, type) }, mutated: true };
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
        const query = typedQuery(ctx.url.searchParams, { integers: ['limit'] });
        enforce(engine, 'puffle.signal.list', query, undefined);
        try {
          return { status: 200, body: queryFeed(feedOf(ctx.tenant), JSON.parse(query), ctx.tenant.dismissed) };
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
      method: 'GET', path: PORTAL, name: 'puffle.partners.portal',
      handle: (ctx) => {
        enforce(engine, 'puffle.partners.portal', ctx.body, undefined);
        if (!ctx.tenant.webhookApp) {
          throw new HttpError(404, 'not_found', 'webhook app not found (the emulator creates one with PUT /__emulator/webhook-app)');
        }
        // A stand-in for the vendor's short-lived Svix portal link (about 5 minutes).
        const expires = Math.floor(app.now() / 1000) + 300;
        return { status: 200, body: { url: `${ctx.origin}/__emulator/webhook-portal?expires=${expires}` } };
      },
    },
  ];
}
