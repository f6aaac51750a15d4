// Facts about the Puffle partner API that code needs, defined once. The client
// (js/puffle/), the emulator (js/emulator/) and the widgets import them from here; request
// rules (lengths, counts, enums) live in the request schemas the engine embeds
// (engine.schema(kind)), and tests/js/client/vendors.test.js holds the enums below to them.

/** Who the API is, where it lives and what its keys look like. */
export const PUFFLE = Object.freeze({
  name: 'Puffle',
  baseUrl: 'https://app.puffle.ai/api/v1',
  key: Object.freeze({
    prefix: 'pk_live_',
    pattern: /^pk_live_[0-9a-fA-F]{64}$/,
    description: 'pk_live_ followed by 64 hexadecimal characters',
    /** Only the first 24 characters (pk_live_ + 16 hex) may ever be shown. */
    mask: (key) => `${key.slice(0, 24)}…`,
  }),
  /** Error codes are snake_case: a free-form body's "Too Many Requests" -> too_many_requests. */
  errorCode: (text) => text.trim().replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '').toLowerCase(),
  /** Per key, every call counted alike: 100 requests per minute. */
  rateLimit: Object.freeze({ limit: 100, windowMs: 60_000 }),
});

/** REST areas of the partner API, relative to its base URL (`…/api/v1`). */
export const PUFFLE_PATHS = Object.freeze({
  signalTypes: '/signals/types',
  signals: '/signals',
  partnerPortal: '/partners/portal',
});

/**
 * The company-profile endpoints (internal, outside v1), relative to the internal base
 * (`…/api`): onboarding builds the profile that generate needs; context reads and writes it.
 */
export const PUFFLE_PROFILE_PATHS = Object.freeze({
  onboardingStart: '/onboarding/start-scraping',
  onboardingStatus: '/onboarding/status',
  context: '/context',
});

/** Where the two base paths sit on Puffle's origin. */
export const PUFFLE_BASE_PATHS = Object.freeze({ api: '/api/v1', internal: '/api' });

/**
 * Both base URLs from one: Puffle serves the partner API under `/api/v1` and the
 * company-profile endpoints under `/api` of the same origin. `baseUrl` is that origin, or a
 * URL ending in `/api/v1` (a path before it, as a proxy may add, is kept for both).
 * Returns `{api, internal}` without trailing slashes, or null for any other URL.
 *
 * @example puffleBases('https://app.puffle.ai/api/v1')
 *   // {api: 'https://app.puffle.ai/api/v1', internal: 'https://app.puffle.ai/api'}
 */
export function puffleBases(baseUrl) {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  const { api, internal } = PUFFLE_BASE_PATHS;
  let prefix;
  if (path === '') prefix = '';
  else if (path.endsWith(api)) prefix = path.slice(0, -api.length);
  else return null;
  const origin = `${url.origin}${prefix}`;
  return { api: `${origin}${api}`, internal: `${origin}${internal}` };
}

/**
 * Puffle's documented error codes, by status. Puffle documents the codes but not the body
 * around them (docs/contract.md); any other 4xx is `invalid_request`, any 5xx `internal_error`.
 */
export const PUFFLE_ERROR_CODES = Object.freeze({
  401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 428: 'precondition_failed', 429: 'rate_limited',
});
export const puffleErrorCode = (status) => PUFFLE_ERROR_CODES[status] ?? (status >= 500 ? 'internal_error' : 'invalid_request');

/** The source ids requests may name, in the vendor's order (responses may carry others). */
export const SOURCE_IDS = Object.freeze([
  'news', 'reddit', 'hacker_news', 'x_twitter', 'linkedin_posts', 'linkedin_jobs', 'g2_capterra',
]);

/** How each source is called on screen. */
export const SOURCE_LABELS = Object.freeze({
  news: 'News',
  reddit: 'Reddit',
  hacker_news: 'Hacker News',
  x_twitter: 'X (Twitter)',
  linkedin_posts: 'LinkedIn posts',
  linkedin_jobs: 'LinkedIn jobs',
  g2_capterra: 'G2 / Capterra',
});

/**
 * Waiting for a generation run, as the vendor advises: poll the type every 10–15 s and give
 * up after 3 minutes (then quote the run_id to support).
 */
export const GENERATION = Object.freeze({
  pollIntervalMs: Object.freeze([10_000, 15_000]),
  timeoutMs: 180_000,
});

/**
 * Onboarding, as the vendor documents it: a session moves through these statuses and ends
 * `completed` or `failed`; it usually takes 30–90 s; poll every 3–5 s.
 */
export const ONBOARDING = Object.freeze({
  steps: Object.freeze(['pending', 'looking_up', 'gathering_info', 'generating_context']),
  done: Object.freeze(['completed', 'failed']),
  pollIntervalMs: Object.freeze([3_000, 5_000]),
  timeoutMs: 180_000,
});

/**
 * Puffle's webhooks: deliveries through Svix, signed with the Standard Webhooks scheme
 * (docs/webhooks.md). The receiver (js/webhooks/) and the emulator's sender read them here.
 */
export const PUFFLE_WEBHOOKS = Object.freeze({
  /**
   * The three delivery headers, Svix-branded first. The Standard Webhooks names are accepted
   * as well, as Svix's own libraries do, for relays that rename the headers.
   */
  headers: Object.freeze({
    id: Object.freeze(['svix-id', 'webhook-id']),
    timestamp: Object.freeze(['svix-timestamp', 'webhook-timestamp']),
    signature: Object.freeze(['svix-signature', 'webhook-signature']),
  }),
  /** An endpoint's signing secret is `whsec_` followed by the base64 of the key bytes. */
  secretPrefix: 'whsec_',
  /** The event types Puffle documents; a receiver passes any other type through untyped. */
  eventTypes: Object.freeze(['signal.detected', 'research.complete', 'research.failed']),
  /**
   * Svix's automatic retries, as waits before each attempt: immediately, then 5 s, 5 min,
   * 30 min, 2 h, 5 h, 10 h and 10 h after each failed one (about 27.6 h in all). Every
   * attempt keeps the delivery's `svix-id` and is signed afresh.
   */
  retryScheduleMs: Object.freeze([0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]),
  /** How long Svix waits for an endpoint's answer before the attempt counts as failed. */
  attemptTimeoutMs: 15_000,
});
