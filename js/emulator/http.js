// HTTP plumbing on top of node:http: bounded body reading, content types, and the two
// providers' error bodies. No request parsing of our own: node:http parses; we only
// bound what it hands us.
import { HttpError } from './errors.js';
// The server takes what the engine takes: bodies up to 1 MiB, nested up to 64 levels.
import { MAX_BODY_BYTES, MAX_DEPTH } from '../engine.js';
import { pathKey } from '../boundary.js';
import { puffleErrorCode } from '../vendors/puffle.js';

const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json$/i;

/** True when the request announces a body (a length above zero or chunked encoding). */
export function hasBody(req) {
  const len = req.headers['content-length'];
  if (len !== undefined) return len !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

/** Refuses anything but JSON in UTF-8, before a byte of the body is read. */
export function checkContentType(req) {
  const raw = req.headers['content-type'];
  const [media, ...params] = String(raw ?? '').split(';').map((s) => s.trim());
  if (!JSON_MEDIA.test(media)) {
    throw new HttpError(415, 'unsupported_media_type',
      `Content-Type must be application/json (got ${raw === undefined ? 'none' : JSON.stringify(String(raw).slice(0, 60))})`);
  }
  for (const p of params) {
    const [k, v] = p.split('=').map((s) => s.trim().toLowerCase());
    if (k === 'charset' && v.replace(/"/g, '') !== 'utf-8') {
      throw new HttpError(415, 'unsupported_media_type', 'the JSON body must be UTF-8 (charset=utf-8)');
    }
  }
  const enc = req.headers['content-encoding'];
  if (enc !== undefined && enc.toLowerCase() !== 'identity') {
    throw new HttpError(415, 'unsupported_media_type', 'Content-Encoding is not supported; send the JSON uncompressed');
  }
}

/**
 * Reads the body as UTF-8 text, at most MAX_BODY_BYTES (413 beyond, decided from
 * Content-Length before reading when it is given, otherwise as soon as the count passes
 * the limit; nothing past the limit is kept), within `timeoutMs` (408 otherwise).
 */
export function readBody(req, timeoutMs) {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > MAX_BODY_BYTES) {
    return Promise.reject(new HttpError(413, 'payload_too_large', `the body is over 1 MiB (${MAX_BODY_BYTES} bytes); Content-Length says ${declared}`));
  }
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let done = false;
    const finish = (err, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (err) reject(err); else resolve(value);
    };
    const timer = setTimeout(() => finish(new HttpError(408, 'request_timeout',
      `the request body did not arrive within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        chunks.length = 0;
        finish(new HttpError(413, 'payload_too_large', `the body is over 1 MiB (${MAX_BODY_BYTES} bytes)`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      const buf = Buffer.concat(chunks, size);
      if (buf.length === 0) { finish(null, undefined); return; }
      try {
        finish(null, new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf));
      } catch {
        finish(new HttpError(400, 'validation_failed', 'the body is not valid UTF-8',
          [{ field: '', code: 'invalid_json', message: 'the body is not valid UTF-8' }]));
      }
    };
    const onError = (err) => finish(Object.assign(new HttpError(400, 'client_error', err.message), { connectionLost: true }));
    const onAborted = () => finish(Object.assign(new HttpError(400, 'client_error', 'the client went away'), { connectionLost: true }));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/** Whether JSON text nests deeper than `max` (strings skipped); no recursion. */
export function jsonTooDeep(text, max = MAX_DEPTH) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) { if (++depth > max) return true; } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

// The field of the first string (or key) holding half a UTF-16 pair, or null.
function loneSurrogateAt(value, path) {
  if (typeof value === 'string') return value.isWellFormed() ? null : path;
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const at = loneSurrogateAt(value[i], `${path}[${i}]`);
      if (at !== null) return at;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    const field = pathKey(path, k.isWellFormed() ? k : k.toWellFormed());
    if (!k.isWellFormed()) return field;
    const at = loneSurrogateAt(v, field);
    if (at !== null) return at;
  }
  return null;
}
/**
 * JSON.parse for the bodies the engine has no kind for (the emulator's own fault plans),
 * held to the engine's rules: nesting up to MAX_DEPTH, and no escaped lone surrogate
 * (JSON.parse would keep half a UTF-16 pair in the string; the engine refuses it as
 * invalid_unicode).
 */
export function parseJsonBody(text) {
  if (jsonTooDeep(text)) {
    throw new HttpError(400, 'validation_failed', `the body nests deeper than ${MAX_DEPTH} levels`,
      [{ field: '', code: 'too_deep', message: `nested deeper than ${MAX_DEPTH} levels` }]);
  }
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, 'validation_failed', `the body is not JSON: ${err.message}`,
      [{ field: '', code: 'invalid_json', message: err.message }]);
  }
  const field = loneSurrogateAt(value, '');
  if (field !== null) {
    const message = `${field || 'the body'} holds a lone surrogate escape (half of a UTF-16 pair, not a character)`;
    throw new HttpError(400, 'validation_failed', message, [{ field, code: 'invalid_unicode', message }]);
  }
  return value;
}

const SABER_KINDS = new Map([
  [400, ['VALIDATION', 'VALIDATION_ERROR', 'fix_request']],
  [401, ['AUTHENTICATION', 'UNAUTHORIZED', 'check_api_key']],
  [403, ['PERMISSION', 'FORBIDDEN', 'check_api_key']],
  [404, ['NOT_FOUND', 'NOT_FOUND', 'check_id']],
  [405, ['INVALID_REQUEST', 'METHOD_NOT_ALLOWED', 'fix_request']],
  [408, ['TIMEOUT', 'REQUEST_TIMEOUT', 'retry']],
  [409, ['CONFLICT', 'CONFLICT', 'fix_request']],
  [413, ['INVALID_REQUEST', 'PAYLOAD_TOO_LARGE', 'reduce_payload']],
  [415, ['INVALID_REQUEST', 'UNSUPPORTED_MEDIA_TYPE', 'send_json']],
  // Saber's per-route 429 envelope says TIMEOUT (the global one is a different body: ratelimit.js).
  [429, ['TIMEOUT', 'TOO_MANY_REQUESTS', 'retry_later']],
  [500, ['INTERNAL', 'INTERNAL_ERROR', 'retry']],
  [502, ['UPSTREAM', 'BAD_GATEWAY', 'retry']],
  [503, ['UNAVAILABLE', 'SERVICE_UNAVAILABLE', 'retry']],
]);

/** Saber's documented envelope. `details.issues` keeps the engine codes per field. */
export function saberErrorBody(err, requestId) {
  const [type, code, action] = SABER_KINDS.get(err.status) ?? ['INTERNAL', 'INTERNAL_ERROR', 'retry'];
  const fields = err.fields ?? [];
  return {
    error: {
      type,
      code,
      message: err.message,
      errorCode: err.code.toUpperCase(),
      errorAction: action,
      details: fields.length ? { issues: fields } : {},
      requestId,
      fields: fields.map((f) => ({ field: f.field, message: f.message })),
      debug: { cause: err.cause ?? err.code },
    },
  };
}

/**
 * Our Puffle error body (docs/contract.md): {"error": {"code", "message", "fields"?}}, with
 * the code Puffle documents for the status (the HttpError's own code is Saber's errorCode).
 */
export function puffleErrorBody(err) {
  const body = { error: { code: puffleErrorCode(err.status), message: err.message } };
  if (err.fields?.length) body.error.fields = err.fields;
  return body;
}
