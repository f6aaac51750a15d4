// Small helpers shared by the resource modules (js/puffle/*, js/saber/*): methods take
// either an id or the object itself, check and pass per-call options on, and forget what a
// 404 says is gone.
import { checkOptions } from '../util/options.js';

/** The id of an object with one, else the argument itself (an id). */
export const idOf = (x) => (hasId(x) ? x.id : x);
/** The argument when it is an object with an id (a type or template), else undefined. */
export const withId = (x) => (hasId(x) ? x : undefined);
export function hasId(x) {
  return x !== null && typeof x === 'object' && typeof x.id === 'string';
}
/** Cache key of an id: UUIDs compare case-insensitively. */
export const keyOf = (id) => (typeof id === 'string' ? id.toLowerCase() : '');
/** An id as a path segment. */
export const enc = (id) => encodeURIComponent(String(id));
/** The per-call options the request core understands. */
export const CALL_OPTIONS = Object.freeze(['signal', 'timeout', 'maxRetries']);

/**
 * The request core's options from a method's `options`, after checking that every key is one
 * the method takes (CALL_OPTIONS plus `extra`): a misspelt `timout` is a TypeError with a
 * suggestion, never a silently ignored setting. `where` names the method in the message.
 */
export function callOptions(options, where, extra = []) {
  const o = checkOptions(where, options, extra.length ? [...CALL_OPTIONS, ...extra] : CALL_OPTIONS);
  return { signal: o.signal, timeout: o.timeout, maxRetries: o.maxRetries };
}

/** Runs `call`; when it fails with a 404, `forget()` drops what the client knew, then rethrows. */
export async function dropOn404(call, forget) {
  try {
    return await call();
  } catch (err) {
    if (err?.status === 404) forget();
    throw err;
  }
}
