// Facts about the Saber signal templates API that code needs, defined once. The client
// (js/saber/), the emulator (js/emulator/) and the widgets import them from here; request
// rules live in the request schemas the engine embeds (engine.schema(kind)), and
// tests/js/client/vendors.test.js holds the enums below to them.

/** Who the API is, where it lives and what its keys look like. */
export const SABER = Object.freeze({
  name: 'Saber',
  baseUrl: 'https://api.saber.app/v1',
  key: Object.freeze({
    prefix: 'sk_live_',
    // The vendor documents "sk_live_ followed by a secure random string": anything
    // non-empty that fits in a header, that is printable ASCII without spaces.
    pattern: /^sk_live_[\x21-\x7e]+$/,
    description: 'sk_live_ followed by a non-empty random string (no spaces)',
    /** Saber keys are never shown, not even in part. */
    mask: () => 'sk_live_***',
  }),
  /** Error codes are UPPER_SNAKE: a free-form body's "Too Many Requests" -> TOO_MANY_REQUESTS. */
  errorCode: (text) => text.trim().replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '').toUpperCase(),
  /** Token buckets per key: `burst` at once, refilled at `limit` per `windowMs`. */
  rateLimits: Object.freeze({
    write: Object.freeze({ limit: 2_000, windowMs: 60_000, burst: 400 }),
    read: Object.freeze({ limit: 100_000, windowMs: 60_000, burst: 10_000 }),
  }),
  /** A 429 that names no wait at all (no retryAfter, no X-Ratelimit-Reset): wait 60 s, as Saber's own CLI does. */
  rateLimitWaitMs: 60_000,
});

// Saber documents writes as POST, PUT and DELETE and reads as GET, HEAD and OPTIONS; PATCH
// is in neither list and counts as a write (the conservative choice, docs/contract.md).
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Which bucket a call spends: writes are POST, PUT, PATCH and DELETE; the rest (GET, HEAD, OPTIONS) are reads. */
export const saberRateLimitClass = (method) => (WRITE_METHODS.has(method) ? 'write' : 'read');

/** REST areas, relative to the base URL. */
export const SABER_PATHS = Object.freeze({
  templates: '/companies/signals/templates',
  companySignals: '/companies/signals',
  companySignalsSync: '/companies/signals/sync',
});

/** Every answer type, in the vendor's order. */
export const ANSWER_TYPES = Object.freeze([
  'open_text', 'number', 'boolean', 'list', 'percentage', 'currency', 'url', 'contacts',
  'contacts_generation', 'contact_posts', 'contact_engagements', 'json_schema',
]);
/** Answer types whose qualification criteria are numeric ranges. */
export const RANGE_ANSWER_TYPES = Object.freeze(['number', 'percentage', 'currency']);
/** A template's importance in the fit score. */
export const WEIGHTS = Object.freeze(['important', 'nice_to_have', 'not_important']);
/** What a research answer qualifies as, worst first. */
export const QUALIFICATIONS = Object.freeze(['disqualified', 'poor', 'neutral', 'good', 'excellent']);
/** What a created template gets for the fields the request leaves out. */
export const TEMPLATE_DEFAULTS = Object.freeze({ answerType: 'open_text', weight: 'important' });

/**
 * Company signals (research of one company), as the vendor documents them: a signal is
 * `processing`, then `completed` or `failed`; the synchronous create waits 1–900 s (header
 * `X-Sbr-Timeout-Sec`) and with `X-Sbr-Timeout-Error: true` answers 408 instead of 202 on
 * timeout; list pages hold 1–25 signals. Saber gives no polling advice: the client polls
 * every 3–5 s, as for Puffle's onboarding, and gives up after 900 s, the longest the
 * synchronous create may wait (decisions, docs/contract.md).
 */
export const COMPANY_SIGNALS = Object.freeze({
  statuses: Object.freeze(['processing', 'completed', 'failed']),
  done: Object.freeze(['completed', 'failed']),
  headers: Object.freeze({ timeoutSec: 'X-Sbr-Timeout-Sec', timeoutError: 'X-Sbr-Timeout-Error' }),
  syncTimeoutSec: Object.freeze({ min: 1, max: 900 }),
  listLimit: Object.freeze({ min: 1, max: 25, default: 25 }),
  pollIntervalMs: Object.freeze([3_000, 5_000]),
  timeoutMs: 900_000,
});

/**
 * The key under which Saber's wrapped answers hold the value of an answer type:
 * `{"type": "open_text", "openText": {"value": "…"}}` (the vendor's list example).
 */
export const answerWrapperKey = (answerType) => answerType.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
