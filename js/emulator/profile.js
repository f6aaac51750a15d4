// Puffle's company profile (internal endpoints under /api, outside v1): simulated onboarding
// and the workspace context it writes, which generate needs (docs/emulator.md).
//
// Onboarding needs no timers: a session's status follows from the time since it started
// (one `onboardingStepMs` per step), and a session that reached `completed` writes its
// context the next time anything of that tenant looks (settle()), so a restart loses nothing.
import { enforce } from './errors.js';
import { companyNameOf, hostOf, isUnresolvable } from './hosts.js';
import { typedQuery } from '../util/query.js';
import { cloneJson, createRng, newUuid } from './util.js';
import { ONBOARDING, PUFFLE_BASE_PATHS, PUFFLE_PROFILE_PATHS } from '../vendors/puffle.js';

const BASE = PUFFLE_BASE_PATHS.internal; // /api
const START = `${BASE}${PUFFLE_PROFILE_PATHS.onboardingStart}`;
const STATUS = `${BASE}${PUFFLE_PROFILE_PATHS.onboardingStatus}`;
const CONTEXT = `${BASE}${PUFFLE_PROFILE_PATHS.context}`;

const PROFILE_KEYS = ['firstName', 'lastName', 'companyName', 'website'];

/** Why a website cannot be crawled, or null. */
function unreachable(host) {
  if (!host) return 'the website is not a URL or domain name';
  return isUnresolvable(host) ? `the website's host ${host} could not be resolved` : null;
}

/** The context onboarding writes for a website: deterministic per host, every section filled. */
function crawledContext(session) {
  const rng = createRng(`onboarding:${session.host}`);
  const company = companyNameOf(session.host);
  const industry = rng.pick(['B2B software', 'logistics', 'fintech', 'healthcare IT', 'developer tools', 'e-commerce']);
  const product = `${company} ${rng.pick(['Platform', 'Cloud', 'Insights', 'Suite'])}`;
  const titles = rng.sample(['VP Sales', 'Head of Operations', 'CTO', 'Chief Revenue Officer', 'Head of Growth', 'RevOps Manager'], 3);
  const person = [session.firstName, session.lastName].filter(Boolean).join(' ');
  return {
    context: {
      user: { professionalBackground: person ? `${person} leads go-to-market at ${company}.` : null },
      company: {
        overview: `${company} (${session.host}) builds ${product} for ${industry} teams.`,
        product,
        problemSolved: `Teams in ${industry} lose time stitching together data from many tools.`,
        differentiators: `${product} is quick to roll out and priced per team, not per seat.`,
        linkedInPresence: `${company} posts product updates and customer stories weekly.`,
      },
      content: {
        linkedInVoice: 'Practical and direct',
        recommendedTopics: [`${industry} operations`, 'customer stories', 'product updates'],
        preferredTone: 'Helpful',
        contentFormats: ['posts', 'case studies'],
        topicsToAvoid: ['politics'],
        postingCadence: 'twice a week',
      },
      market: {
        targetAudience: `Mid-sized ${industry} companies`,
        industryContext: industry,
        icpJobTitles: titles,
        icpIndustries: [industry],
        icpCompanySizes: ['51-200', '201-1000'],
        icpPainPoints: ['manual reporting', 'tool sprawl'],
        icpKeywords: [product, `${industry} automation`],
      },
      extra: null,
    },
    profile: {
      firstName: session.firstName ?? null,
      lastName: session.lastName ?? null,
      companyName: company,
      website: session.website,
    },
  };
}

/** A session as the status endpoint answers it, at time `now`. */
function view(session, now, stepMs) {
  const step = Math.floor((now - session.startedAt) / stepMs);
  const failure = unreachable(session.host);
  if (failure && step >= 2) {
    return { id: session.id, status: 'failed', companyName: null, errorMessage: failure, errorStep: 'looking_up' };
  }
  const status = step >= ONBOARDING.steps.length ? 'completed' : ONBOARDING.steps[step];
  return {
    id: session.id, status, companyName: step >= 2 ? companyNameOf(session.host) : null, errorMessage: null, errorStep: null,
  };
}

/**
 * Writes the context of every session of `tenant` that has completed by `now` and has not
 * written it yet (oldest first, so the latest onboarding wins). Returns whether it changed anything.
 */
export function settle(tenant, now, stepMs) {
  let changed = false;
  for (const session of tenant.sessions) {
    if (session.settled) continue;
    const status = view(session, now, stepMs).status;
    if (status !== 'completed' && status !== 'failed') continue;
    session.settled = true;
    if (status === 'completed') tenant.workspace = crawledContext(session);
    changed = true;
  }
  return changed;
}

/** What generation writes from: the stored context and profile, with fallbacks for empty fields. */
export function generationInputs(stored) {
  const { context, profile } = stored;
  const list = (v) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string' && x.trim()) : []);
  const text = (v) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  const company = text(profile?.companyName) ?? 'your company';
  return {
    company,
    products: text(context.company?.product) ? [text(context.company.product)] : [`${company} platform`],
    industry: text(context.market?.industryContext) ?? list(context.market?.icpIndustries)[0] ?? 'B2B software',
    target: text(context.market?.targetAudience) ?? null,
    competitors: list(context.extra?.competitors),
    titles: list(context.market?.icpJobTitles),
  };
}

/**
 * The company-profile routes. `app` is the emulator's state (state.js): engine, now() and
 * onboardingStepMs.
 */
export function profileRoutes(app) {
  const { engine } = app;
  const settled = (tenant) => settle(tenant, app.now(), app.onboardingStepMs);

  return [
    {
      method: 'POST', path: START, name: 'puffle.onboarding.start', write: true,
      handle: (ctx) => {
        enforce(engine, 'puffle.onboarding.start', ctx.body, undefined);
        settled(ctx.tenant);
        const b = JSON.parse(ctx.body);
        const session = {
          id: newUuid(),
          runId: `run_${newUuid().replace(/-/g, '').slice(0, 24)}`,
          website: b.website,
          host: hostOf(b.website),
          firstName: b.firstName,
          lastName: b.lastName,
          email: b.email,
          startedAt: app.now(),
          settled: false,
        };
        ctx.tenant.sessions.push(session);
        return { status: 200, body: { sessionId: session.id, runId: session.runId }, mutated: true };
      },
    },
    {
      method: 'GET', path: STATUS, name: 'puffle.onboarding.status',
      handle: (ctx) => {
        const query = typedQuery(ctx.url.searchParams);
        enforce(engine, 'puffle.onboarding.status', query, undefined);
        const mutated = settled(ctx.tenant);
        const { sessionId } = JSON.parse(query);
        const sessions = ctx.tenant.sessions;
        const session = sessionId === undefined ? sessions.at(-1)
          : sessions.find((s) => s.id === sessionId.toLowerCase());
        return { status: 200, body: { session: session ? view(session, app.now(), app.onboardingStepMs) : null }, mutated };
      },
    },
    {
      method: 'GET', path: CONTEXT, name: 'puffle.context.get',
      handle: (ctx) => {
        enforce(engine, 'puffle.context.get', ctx.body, undefined);
        const mutated = settled(ctx.tenant);
        const stored = ctx.tenant.workspace;
        return { status: 200, body: { context: stored?.context ?? null, profile: stored?.profile ?? null }, mutated };
      },
    },
    {
      method: 'PUT', path: CONTEXT, name: 'puffle.context.set', write: true,
      handle: (ctx) => {
        enforce(engine, 'puffle.context.set', ctx.body, undefined);
        settled(ctx.tenant);
        const b = JSON.parse(ctx.body);
        const before = ctx.tenant.workspace?.profile ?? Object.fromEntries(PROFILE_KEYS.map((k) => [k, null]));
        const stored = {
          context: { ...cloneJson(b.context), extra: b.context.extra === undefined ? null : cloneJson(b.context.extra) },
          // Only the given profile keys change.
          profile: { ...before, ...cloneJson(b.profile ?? {}) },
        };
        ctx.tenant.workspace = stored;
        return { status: 200, body: stored, mutated: true };
      },
    },
  ];
}
