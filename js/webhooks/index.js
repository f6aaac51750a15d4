// signalkit/webhooks — receive Puffle's webhooks (Svix deliveries, Standard Webhooks
// signatures) safely: verified, typed, deduplicated. No Node built-in is imported, so the
// same module serves Node, Workers, Bun and Deno. docs/webhooks.md is the full reference.
//
//   import { createWebhookHandler } from 'signalkit/webhooks';
//   const handler = createWebhookHandler({ secret: process.env.PUFFLE_WEBHOOK_SECRET, onEvent });
//   http.createServer(handler);                 // Node http / Express: handler(req, res)
//   export default { fetch: handler.fetch };    // Fetch API: handler.fetch(request) → Response
import { createVerifier, verifyOptions, verifyWith } from './verify.js';
import { PUFFLE_WEBHOOKS } from '../vendors/puffle.js';

export { WebhookVerificationError } from './errors.js';
export { createWebhookHandler } from './handler.js';
export { memoryDedupeStore } from './dedupe.js';

/**
 * Verifies one delivery and returns its event `{id, type, timestamp, data}`: `id` is the
 * delivery id (`svix-id`, the same on every retry), the rest is the signed JSON envelope.
 * Unknown event types are returned as they are (see `isKnownEvent`).
 *
 * @param {string|Uint8Array|ArrayBuffer} rawBody  the body exactly as received, never parsed JSON
 * @param {object} headers  Node's `req.headers`, any plain object, or a Fetch `Headers`
 * @param {string} secret   the endpoint's signing secret, `whsec_…`
 * @param {{toleranceSec?: number, now?: Date|number}} [options]
 *   `toleranceSec` (default 300): how far `svix-timestamp` may be from `now`, either way.
 *   `now` (default the clock): a Date or epoch milliseconds.
 * @returns {{id: string, type: string, timestamp: string, data: object}}
 * @throws {WebhookVerificationError} `code`: `missing_header`, `bad_signature`,
 *   `stale_timestamp`, `bad_secret`, `invalid_payload` (and `status`: 400, 401 or 500)
 * @throws {TypeError} for a body or headers of the wrong kind, or a bad option
 * @example
 *   const event = verifyWebhook(rawBody, req.headers, process.env.PUFFLE_WEBHOOK_SECRET);
 *   if (event.type === 'signal.detected') console.log(event.data.headline);
 */
export function verifyWebhook(rawBody, headers, secret, options) {
  const verifier = createVerifier(secret);
  return verifyWith(verifier, rawBody, headers, verifyOptions(options));
}

/**
 * True when `event.type` is one Puffle documents (`signal.detected`, `research.complete`,
 * `research.failed`). In TypeScript it narrows the event, so `switch (event.type)` then
 * types `event.data`; other events keep `data` as an open object.
 */
export function isKnownEvent(event) {
  return PUFFLE_WEBHOOKS.eventTypes.includes(event?.type);
}
