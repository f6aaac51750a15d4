// Waiting that an AbortSignal can cut short.
import { AbortError } from '../errors.js';

/** Resolves after `ms` (at least 0); rejects with AbortError as soon as `signal` fires. */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(new AbortError(undefined, { reason: signal.reason })); return; }
    const onAbort = () => { clearTimeout(timer); reject(new AbortError(undefined, { reason: signal.reason })); };
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
