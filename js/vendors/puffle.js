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

/** REST areas, relative to the base URL. */
export const PUFFLE_PATHS = Object.freeze({
  signalTypes: '/signals/types',
  signals: '/signals',
});

/**
 * The company profile route for a base URL or base path: next to the versioned API,
 * `…/api/v1` -> `…/api/context`.
 */
export function puffleContextUrl(base) {
  return base.endsWith('/v1') ? `${base.slice(0, -3)}/context` : `${base}/context`;
}

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
