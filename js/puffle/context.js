// puffle.context: the company profile that generate needs (GET/PUT <base>/../context, the
// emulator's stand-in for Puffle's onboarding). Functions of the client's context
// `{core, contextUrl}`.
import { ValidationError } from '../errors.js';
import { callOptions } from '../client/resource.js';

/** The `context` resource of one client. */
export function context(ctx) {
  return Object.freeze({
    get: (options) => get(ctx, options),
    set: (profile, options) => set(ctx, profile, options),
  });
}

/** The company profile (GET /api/context). Resolves to the profile or null. */
async function get({ core, contextUrl }, options) {
  const res = await core.request({ method: 'GET', url: contextUrl, path: '/context', safe: true }, callOptions(options));
  return res?.profile ?? null;
}

/**
 * Sets the company profile that `generate` needs (PUT /api/context, replaces it):
 * `{company_name, website?, description?, industry?, target_customers?, products?, competitors?, buyer_titles?}`.
 */
async function set({ core, contextUrl }, profile, options) {
  if (profile === null || typeof profile !== 'object' || Array.isArray(profile)) {
    throw new ValidationError([{ field: '', code: 'type', message: 'the company profile must be an object such as {company_name: "Acme"}' }], { kind: 'puffle.context.set' });
  }
  const res = await core.request({ method: 'PUT', url: contextUrl, path: '/context', body: profile, safe: true }, callOptions(options));
  return res?.profile ?? null;
}
