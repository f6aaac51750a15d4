// Small helpers shared by the resource modules (js/puffle/*, js/saber/*): methods take
// either an id or the object itself, pass per-call options on, and forget what a 404 says
// is gone.

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
export const callOptions = (o) => ({ signal: o?.signal, timeout: o?.timeout, maxRetries: o?.maxRetries });

/** Runs `call`; when it fails with a 404, `forget()` drops what the client knew, then rethrows. */
export async function dropOn404(call, forget) {
  try {
    return await call();
  } catch (err) {
    if (err?.status === 404) forget();
    throw err;
  }
}
