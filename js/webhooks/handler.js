// createWebhookHandler: one receiver, two front doors. `handler(req, res)` serves Node's http
// and Express; `handler.fetch(request)` serves the Fetch API (Workers, Deno, Bun, Hono,
// Next.js route handlers). Both read the raw body under a size limit, verify it, deduplicate
// by delivery id and run onEvent at most once per delivery.
import { CLAIM_RESULTS, checkStore, memoryDedupeStore } from './dedupe.js';
import { WebhookVerificationError } from './errors.js';
import { checkOptions, describe } from '../util/options.js';
import { checkTolerance, createVerifier, verifyWith } from './verify.js';

/** How long a handled id is remembered: longer than Svix's whole retry schedule (≈27.6 h). */
export const DEFAULT_WINDOW_MS = 48 * 60 * 60 * 1000;
/**
 * How long a claim holds before a retry may run the handler again (a worker that died
 * mid-handler). Svix waits 15 s for an answer and retries 5 s, then 5 min, after a failure.
 */
export const DEFAULT_LEASE_MS = 60 * 1000;
/** Puffle's events are a few hundred bytes; anything near this is not a Puffle delivery. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const WHERE = 'createWebhookHandler';
const OPTIONS = ['secret', 'onEvent', 'toleranceSec', 'dedupe', 'maxBodyBytes', 'onError'];

/**
 * Builds a receiver. See index.js for the contract and docs/webhooks.md for the answers.
 * @throws {WebhookVerificationError} `bad_secret` for a malformed secret
 * @throws {TypeError} for a missing onEvent or a bad option
 */
export function createWebhookHandler(options) {
  if (options === undefined) throw new TypeError(`${WHERE}: options { secret, onEvent } are required.`);
  const opts = checkOptions(WHERE, options, OPTIONS);
  const verifier = createVerifier(opts.secret);
  const { onEvent } = opts;
  if (typeof onEvent !== 'function') {
    throw new TypeError(`${WHERE}: onEvent must be a function (event) => void | Promise<void>; got ${describe(onEvent)}.`);
  }
  const toleranceSec = checkTolerance(WHERE, opts.toleranceSec);
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new TypeError(`${WHERE}: maxBodyBytes must be a positive integer; got ${String(maxBodyBytes)}.`);
  }
  const onError = opts.onError ?? logError;
  if (typeof onError !== 'function') throw new TypeError(`${WHERE}: onError must be a function (error, context) => void.`);
  const { store, windowMs, leaseMs } = dedupeSettings(opts.dedupe);

  const report = (error, code, event) => {
    const context = { code, id: event?.id, type: event?.type };
    try {
      onError(error, context);
    } catch (failure) {
      logError(failure, { ...context, code: 'on_error_failed' });
    }
  };
  // Store calls after onEvent has settled: a failure there is reported, and the answer stays
  // what onEvent decided (a 500 would make the sender run a handler that already succeeded).
  const quietly = async (call, event) => {
    try {
      await call();
    } catch (err) {
      report(err, 'dedupe_unavailable', event);
    }
  };

  /** The whole exchange, transport aside: → { status, body, headers? }. */
  async function receive(method, headers, readBody) {
    if (method !== 'POST') {
      return failure(405, 'method_not_allowed', `Webhook deliveries are POST requests; got ${method}.`, { allow: 'POST' });
    }
    const read = await readBody(maxBodyBytes);
    if (read.reply) {
      if (read.misconfigured) report(new TypeError(read.reply.body.error.message), 'raw_body_required');
      return read.reply;
    }
    let event;
    try {
      event = verifyWith(verifier, read.body, headers, { toleranceSec, nowMs: Date.now() });
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      return failure(err.status, err.code, err.message);
    }

    let claim;
    try {
      claim = await store.claim(event.id, leaseMs);
      if (!CLAIM_RESULTS.includes(claim)) {
        throw new TypeError(`dedupe store claim() returned ${JSON.stringify(claim) ?? 'undefined'}; expected one of ${CLAIM_RESULTS.join(', ')}.`);
      }
    } catch (err) {
      report(err, 'dedupe_unavailable', event);
      return failure(500, 'dedupe_unavailable', `Delivery ${event.id} is verified, but the dedupe store failed; it will be retried.`);
    }
    if (claim === 'handled') return success({ received: true, duplicate: true });
    if (claim === 'processing') {
      return failure(409, 'in_progress', `Delivery ${event.id} is being handled by another request; retry later.`);
    }
    try {
      await onEvent(event);
    } catch (err) {
      await quietly(() => store.release(event.id), event);
      report(err, 'handler_failed', event);
      return failure(500, 'handler_failed', `onEvent failed for delivery ${event.id}; it will be retried.`);
    }
    await quietly(() => store.complete(event.id, windowMs), event);
    return success({ received: true });
  }

  // Anything receive() did not expect is a bug here: answer 500 rather than leave the
  // sender hanging, and report it.
  async function answer(method, headers, readBody) {
    try {
      return await receive(method, headers, readBody);
    } catch (err) {
      report(err, 'internal_error');
      return failure(500, 'internal_error', 'The webhook receiver failed unexpectedly; the delivery will be retried.');
    }
  }

  /** Node http / Express: `http.createServer(handler)`, `app.post(path, handler)`. */
  async function handler(req, res) {
    const result = await answer(req.method, req.headers, (limit) => readNodeBody(req, limit));
    if (result.closed) return;
    try {
      sendNode(req, res, result);
    } catch (err) {
      report(err, 'internal_error'); // Node ignores this promise: a rejection would be unhandled
    }
  }
  /** Fetch API: `(request: Request) => Promise<Response>`; needs no `this`. */
  handler.fetch = async function fetch(request) {
    const result = await answer(request.method, request.headers, (limit) => readFetchBody(request, limit));
    return new Response(JSON.stringify(result.body), { status: result.status, headers: responseHeaders(result) });
  };
  return handler;
}

function dedupeSettings(dedupe) {
  if (dedupe === false || dedupe === null) {
    throw new TypeError(`${WHERE}: dedupe cannot be turned off (Puffle retries deliveries, so a receiver without it runs ` +
      'handlers twice); pass { store } to share ids between processes.');
  }
  const { store, windowMs = DEFAULT_WINDOW_MS, leaseMs = DEFAULT_LEASE_MS } =
    checkOptions(`${WHERE}: dedupe`, dedupe, ['store', 'windowMs', 'leaseMs']);
  for (const [name, value] of [['windowMs', windowMs], ['leaseMs', leaseMs]]) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`${WHERE}: dedupe.${name} must be a positive integer of milliseconds; got ${String(value)}.`);
    }
  }
  return { store: store === undefined ? memoryDedupeStore() : checkStore(store), windowMs, leaseMs };
}

function success(body) {
  return { status: 200, body };
}
function failure(status, code, message, headers) {
  return { status, body: { error: { code, message } }, headers };
}
function responseHeaders(result) {
  return { 'content-type': 'application/json; charset=utf-8', ...result.headers };
}

function logError(error, { code, id, type }) {
  const what = id ? ` for delivery ${id}${type ? ` (${type})` : ''}` : '';
  console.error(`signalkit/webhooks: ${code}${what}:`, error);
}

const RAW_BODY_HELP = 'Signatures cover the exact bytes, so the handler needs the raw body: mount it before any JSON ' +
  'body parser, or give it the raw bytes (Express: express.raw({ type: \'application/json\' })).';

function tooLarge(limit) {
  return { reply: failure(413, 'body_too_large', `The body is larger than ${limit} bytes (maxBodyBytes).`) };
}
function rawBodyRequired(why) {
  return { reply: failure(500, 'raw_body_required', `${why} ${RAW_BODY_HELP}`), misconfigured: true };
}
function byteLength(body) {
  return typeof body === 'string' ? new TextEncoder().encode(body).length : body.byteLength;
}
function declaredTooLarge(contentLength, limit) {
  return contentLength != null && Number(contentLength) > limit;
}

/** → { body } | { reply } ({ reply: { closed: true } } when the sender hung up mid-body). */
function readNodeBody(req, limit) {
  const given = req.body;
  if (given !== undefined) {
    const tag = Object.prototype.toString.call(given);
    if (typeof given === 'string' || tag === '[object Uint8Array]' || tag === '[object ArrayBuffer]') {
      return byteLength(given) > limit ? tooLarge(limit) : { body: given };
    }
    return rawBodyRequired(`req.body is ${describe(given)}: a body parser has already parsed it.`);
  }
  if (req.readableEnded || req.readableDidRead) {
    return rawBodyRequired('The request body was already read (by a middleware that did not keep it as req.body).');
  }
  if (declaredTooLarge(req.headers['content-length'], limit)) return tooLarge(limit);
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    const finish = (outcome) => {
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
      resolve(outcome);
    };
    const onData = (chunk) => {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      size += bytes.byteLength;
      if (size > limit) {
        req.pause();
        finish(tooLarge(limit));
      } else {
        chunks.push(bytes);
      }
    };
    const onEnd = () => finish({ body: concat(chunks, size) });
    // The sender hung up (or the socket failed) before the body ended: nobody to answer.
    const onGone = () => finish({ reply: { closed: true } });
    req.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onGone);
  });
}

async function readFetchBody(request, limit) {
  if (request.bodyUsed) return rawBodyRequired('The Request body was already read.');
  if (declaredTooLarge(request.headers.get('content-length'), limit)) return tooLarge(limit);
  if (request.body === null) return { body: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return tooLarge(limit);
      }
      chunks.push(value);
    }
  } catch (err) {
    return { reply: failure(400, 'body_unreadable', `The request body could not be read: ${err.message}`) };
  }
  return { body: concat(chunks, size) };
}

function concat(chunks, size) {
  const body = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    body.set(c, offset);
    offset += c.byteLength;
  }
  return body;
}

function sendNode(req, res, result) {
  if (res.headersSent || res.writableEnded) return;
  res.statusCode = result.status;
  for (const [name, value] of Object.entries(responseHeaders(result))) res.setHeader(name, value);
  // An unread body (413) is not drained: the connection closes once the answer is out.
  if (result.status === 413) {
    res.setHeader('connection', 'close');
    res.on('finish', () => req.destroy());
  }
  res.end(JSON.stringify(result.body));
}
