// Verifying one Puffle delivery. The cryptography is the Standard Webhooks reference library's
// (`standardwebhooks`: HMAC-SHA256 over "id.timestamp.body" in pure JS, and a constant-time
// comparison with every `v1,` signature in the header). This module decides what the library
// is given and what its answer means: where the headers are, the timestamp window (the
// library's own is fixed at 5 minutes of Date.now()), how the body bytes become text, and
// whether the verified body is a Puffle envelope. It imports no Node built-in, so it runs
// unchanged in Workers, Bun, Deno and Node.
import standardwebhooks from 'standardwebhooks';
import { WebhookVerificationError } from './errors.js';
import { checkOptions, describe } from '../util/options.js';
import { PUFFLE_WEBHOOKS } from '../vendors/puffle.js';

const { Webhook, WebhookVerificationError: LibraryVerificationError } = standardwebhooks;
const { headers: HEADERS, secretPrefix: SECRET_PREFIX, eventTypes: EVENT_TYPES } = PUFFLE_WEBHOOKS;

/** The Standard Webhooks tolerance for `svix-timestamp`, either side of the receiver's clock. */
const DEFAULT_TOLERANCE_SEC = 300;

/**
 * The library's Webhook with its clock check replaced by ours. `verify()` calls
 * `verifyTimestamp(header)` before comparing signatures and would reject anything outside
 * 5 minutes of the real clock, which would ignore `toleranceSec` and `now`. `checkTimestamp`
 * below has already applied our window to the same header, so this only returns the instant
 * the signature covers. (A library release that renamed the method would bring its own check
 * back; the `now` tests in tests/js/webhooks would then fail.)
 */
class WindowedWebhook extends Webhook {
  verifyTimestamp(header) {
    return new Date(Number(header) * 1000);
  }
}

/**
 * Parses an endpoint secret (`whsec_…`) into the library's verifier. Done once per handler.
 * The verifier holds the key bytes: keep it in a closure, never on an object users can see.
 * @throws {WebhookVerificationError} `bad_secret`; the message never contains the secret
 */
export function createVerifier(secret) {
  if (typeof secret !== 'string') {
    throw new WebhookVerificationError('bad_secret',
      `The webhook secret must be the endpoint's signing secret, a string starting with ${SECRET_PREFIX}; got ${describe(secret)}.`);
  }
  if (!secret.startsWith(SECRET_PREFIX)) {
    throw new WebhookVerificationError('bad_secret',
      `The webhook secret must start with ${SECRET_PREFIX} (got ${describe(secret)} that does not; ` +
      'an API key is not a webhook secret: copy the endpoint\'s signing secret from the webhook portal).');
  }
  try {
    return new WindowedWebhook(secret);
  } catch {
    // The library's messages ("Base64Coder: incorrect padding", "Secret can't be empty.")
    // do not quote the secret either, but ours say what to fix.
    throw new WebhookVerificationError('bad_secret',
      secret.length === SECRET_PREFIX.length
        ? `The webhook secret is empty after ${SECRET_PREFIX}.`
        : `The webhook secret is malformed: the part after ${SECRET_PREFIX} must be base64 (the key bytes).`);
  }
}

/** Checks `toleranceSec` (seconds, finite, ≥ 0) and returns it. */
export function checkTolerance(where, toleranceSec) {
  if (toleranceSec === undefined) return DEFAULT_TOLERANCE_SEC;
  if (typeof toleranceSec !== 'number' || !Number.isFinite(toleranceSec) || toleranceSec < 0) {
    throw new TypeError(`${where}: toleranceSec must be a finite number of seconds ≥ 0 ` +
      `(default ${DEFAULT_TOLERANCE_SEC}); got ${String(toleranceSec)}.`);
  }
  return toleranceSec;
}

/**
 * Verifies one delivery and returns its event. See `verifyWebhook` in index.js.
 * @param {WindowedWebhook} verifier  from createVerifier
 */
export function verifyWith(verifier, rawBody, headers, { toleranceSec, nowMs }) {
  const body = bodyText(rawBody);
  const header = headerReader(headers);
  const id = header(HEADERS.id);
  const timestamp = header(HEADERS.timestamp);
  const signature = header(HEADERS.signature);
  checkTimestamp(timestamp, toleranceSec, nowMs);
  if (!/(^|\s)v1,/.test(signature)) {
    throw new WebhookVerificationError('bad_signature',
      `The svix-signature header holds no v1 signature (expected "v1,<base64>", several separated by spaces); got ${quote(signature)}.`);
  }
  try {
    verifier.verify(body.text, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature },
      { jsonParse: false });
  } catch (err) {
    if (!(err instanceof LibraryVerificationError)) throw err;
    throw new WebhookVerificationError('bad_signature',
      'No signature in the svix-signature header matches this body and secret: the body was changed ' +
      '(re-serialised JSON does not verify; pass the raw bytes), or the secret is not this endpoint\'s.');
  }
  return envelope(id, body);
}

/** Returns the epoch milliseconds of `now` (a Date or milliseconds; default Date.now()). */
export function nowMillis(where, now) {
  if (now === undefined) return Date.now();
  const ms = Object.prototype.toString.call(now) === '[object Date]' ? now.getTime() : now;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new TypeError(`${where}: now must be a valid Date or a number of milliseconds since the epoch; got ${describe(now)}.`);
  }
  return ms;
}

/** Options of verifyWebhook, checked. */
export function verifyOptions(options) {
  const { toleranceSec, now } = checkOptions('verifyWebhook', options, ['toleranceSec', 'now']);
  return { toleranceSec: checkTolerance('verifyWebhook', toleranceSec), nowMs: nowMillis('verifyWebhook', now) };
}

// ---------------------------------------------------------------------------------------

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

// The library signs text; Svix signs the UTF-8 body. Bytes decode to the same text the
// sender signed (a BOM is kept: dropping it would change what is verified). Invalid UTF-8
// still decodes (with U+FFFD) so that an unsigned body fails as bad_signature first; a
// signed one fails afterwards as invalid_payload.
function bodyText(rawBody) {
  if (typeof rawBody === 'string') return { text: rawBody, utf8: true };
  // The tag test works across realms (a Buffer made in another VM context is not
  // `instanceof` this realm's Uint8Array); a Buffer's tag is Uint8Array.
  const tag = Object.prototype.toString.call(rawBody);
  if (tag === '[object Uint8Array]' || tag === '[object ArrayBuffer]') {
    try {
      return { text: strictUtf8.decode(rawBody), utf8: true };
    } catch {
      return { text: lenientUtf8.decode(rawBody), utf8: false };
    }
  }
  const parsed = rawBody !== null && typeof rawBody === 'object'
    ? ' Was it already parsed as JSON? The signature covers the exact bytes, so read the raw body (Express: express.raw({ type: \'application/json\' })).'
    : '';
  throw new TypeError('verifyWebhook: rawBody must be the request body exactly as received (a string, Buffer, Uint8Array ' +
    `or ArrayBuffer); got ${describe(rawBody)}.${parsed}`);
}

// Node's IncomingHttpHeaders (lower-case names, a value may be an array), any plain object
// (names in any case), or a Fetch-API Headers (anything with get()).
function headerReader(headers) {
  let lookup;
  if (headers !== null && typeof headers === 'object' && typeof headers.get === 'function') {
    lookup = (name) => headers.get(name);
  } else if (headers !== null && typeof headers === 'object') {
    const byName = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    lookup = (name) => byName.get(name);
  } else {
    throw new TypeError(`verifyWebhook: headers must be the request's headers (a Node headers object or a Fetch Headers); got ${describe(headers)}.`);
  }
  return (names) => {
    for (const name of names) {
      let value = lookup(name);
      // Several signature headers are several signatures; the library separates them by spaces.
      if (Array.isArray(value)) value = value.join(name.endsWith('signature') ? ' ' : ', ');
      if (value != null && String(value) !== '') return String(value);
    }
    throw new WebhookVerificationError('missing_header',
      `The ${names[0]} header is missing. A Puffle (Svix) delivery carries svix-id, svix-timestamp and svix-signature; ` +
      'if a proxy sits in front of this server, make sure it forwards them.');
  };
}

function checkTimestamp(header, toleranceSec, nowMs) {
  if (!/^[0-9]{1,15}$/.test(header)) {
    throw new WebhookVerificationError('bad_signature',
      `The svix-timestamp header must be whole seconds since the Unix epoch; got ${quote(header)}.`);
  }
  const skew = Math.floor(nowMs / 1000) - Number(header);
  if (skew > toleranceSec) {
    throw new WebhookVerificationError('stale_timestamp',
      `The delivery was signed ${skew} s ago, more than the ${toleranceSec} s tolerance: a replayed or long-delayed request ` +
      '(Puffle signs every retry afresh).');
  }
  if (-skew > toleranceSec) {
    throw new WebhookVerificationError('stale_timestamp',
      `The delivery is signed ${-skew} s in the future, more than the ${toleranceSec} s tolerance: check this server's clock.`);
  }
}

function envelope(id, body) {
  const invalid = (why) => new WebhookVerificationError('invalid_payload',
    `The delivery ${id} is correctly signed, but ${why}`);
  if (!body.utf8) throw invalid('its body is not valid UTF-8.');
  let parsed;
  try {
    parsed = JSON.parse(body.text);
  } catch (err) {
    throw invalid(`its body is not JSON (${err.message}).`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid(`its body is ${describe(parsed)}, not the JSON object {type, timestamp, data}.`);
  }
  const { type, timestamp, data } = parsed;
  if (typeof type !== 'string' || type === '') throw invalid(`its "type" is ${describe(type)}, not an event type such as ${EVENT_TYPES[0]}.`);
  if (typeof timestamp !== 'string') throw invalid(`its "timestamp" is ${describe(timestamp)}, not a string.`);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw invalid(`its "data" is ${describe(data)}, not an object.`);
  return { id, type, timestamp, data };
}

/** A header value for a message: quoted, and cut short so a hostile header cannot flood logs. */
function quote(value) {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
