// puffle.context: the company profile that generate needs, read and replaced on Puffle's
// internal endpoints (GET/PUT /api/context, outside v1; docs/contract.md). Onboarding
// (onboarding.js) writes it the first time. Functions of the client's context `{core, bases}`.
import { callOptions } from '../client/resource.js';
import { PUFFLE_BASE_PATHS, PUFFLE_PROFILE_PATHS } from '../vendors/puffle.js';

const CONTEXT = PUFFLE_PROFILE_PATHS.context;
const SHOWN = `${PUFFLE_BASE_PATHS.internal}${CONTEXT}`; // how calls are named in messages and hooks

/** The `context` resource of one client. */
export function context(ctx) {
  return Object.freeze({
    get: (options) => get(ctx, options),
    set: (full, options) => set(ctx, full, options),
  });
}

/**
 * The workspace context and identity (GET /api/context):
 * `{context: {user, company, content, market, extra} | null, profile: {firstName, lastName, companyName, website} | null}`;
 * both are null before onboarding.
 */
function get({ core, bases }, options) {
  return core.request({
    kind: 'puffle.context.get', method: 'GET', path: SHOWN, url: `${bases.internal}${CONTEXT}`, safe: true,
  }, callOptions(options, 'context.get'));
}

/**
 * Replaces the whole context (PUT /api/context): `{context: {user, company, content, market,
 * extra?}, profile?}`. All four sections are required (read the context with get(), change
 * it, send it back); `profile` is optional and only its given keys are applied. Resolves to
 * `{context, profile}` as stored. Replacing is idempotent, so it is retried like a read.
 */
function set({ core, bases }, full, options) {
  return core.request({
    kind: 'puffle.context.set', method: 'PUT', path: SHOWN, url: `${bases.internal}${CONTEXT}`, body: full, safe: true,
  }, callOptions(options, 'context.set'));
}
