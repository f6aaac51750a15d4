// Which browser pages may call the proxy. Same-origin pages always may; other origins only
// when listed. A request from any other origin is refused outright (403), not merely left
// without CORS headers: CORS only stops a page from reading an answer, and a refused
// operation must not run at all.
import { checkOptions, describe } from '../util/options.js';
import { COMPANY_SIGNALS } from '../vendors/saber.js';

const WHERE = 'createProxy: cors';
/** How long a browser may cache a preflight answer, by default (seconds). */
export const DEFAULT_MAX_AGE = 600;
/** Response headers a page may read besides the simple ones. */
const EXPOSED = 'retry-after, x-request-id';
/**
 * Request headers a page may send: a JSON body, the app's own credentials for `authorize`,
 * and Saber's sync wait (X-Sbr-Timeout-Sec, X-Sbr-Timeout-Error).
 */
const ALLOWED_HEADERS = ['content-type', 'authorization', ...Object.values(COMPANY_SIGNALS.headers).map((h) => h.toLowerCase())].join(', ');

/**
 * The policy of a `cors` option: `undefined`/`false` (same-origin pages only), one origin,
 * an array of them, or `{origins, credentials?, maxAge?}`. An origin is exactly
 * `scheme://host[:port]`, or `'null'` (file:// pages and sandboxed frames send it: for local
 * development only), or `'*'` alone (any page, never with credentials).
 * @throws {TypeError} for anything else
 */
export function corsPolicy(option) {
  let origins = [];
  let credentials = false;
  let maxAge = DEFAULT_MAX_AGE;
  if (typeof option === 'string' || Array.isArray(option)) {
    origins = [option].flat();
  } else if (option !== undefined && option !== false) {
    if (option === null || typeof option !== 'object') {
      throw new TypeError(`${WHERE} must be an origin, an array of origins or { origins, credentials, maxAge }; got ${describe(option)}.`);
    }
    const o = checkOptions(WHERE, option, ['origins', 'credentials', 'maxAge']);
    origins = o.origins === undefined ? [] : [o.origins].flat();
    credentials = o.credentials ?? false;
    maxAge = o.maxAge ?? DEFAULT_MAX_AGE;
    if (typeof credentials !== 'boolean') throw new TypeError(`${WHERE}.credentials must be true or false; got ${describe(credentials)}.`);
    if (!Number.isSafeInteger(maxAge) || maxAge < 0) throw new TypeError(`${WHERE}.maxAge must be a non-negative integer of seconds; got ${String(maxAge)}.`);
    if (origins.length === 0) throw new TypeError(`${WHERE}.origins must name at least one origin.`);
  }
  origins.forEach(checkOrigin);
  const any = origins.includes('*');
  if (any && origins.length > 1) throw new TypeError(`${WHERE}: '*' allows every origin; list it alone.`);
  if (any && credentials) {
    throw new TypeError(`${WHERE}: credentials cannot be sent to every origin ('*'); list the origins that may send them.`);
  }
  const listed = new Set(origins);

  return {
    maxAge,
    /**
     * Whether a request with this Origin header may reach the proxy at `url`, and the
     * headers its answer carries: `{allowed, headers}`.
     */
    decide(origin, url) {
      const headers = listed.size ? { vary: 'origin' } : {};
      // No Origin: not a cross-origin browser request (a server, curl, a same-origin GET).
      if (origin === null) return { allowed: true, headers };
      if (origin !== 'null' && sameHost(origin, url)) return { allowed: true, headers };
      if (!any && !listed.has(origin)) return { allowed: false, headers };
      headers['access-control-allow-origin'] = any ? '*' : origin;
      headers['access-control-expose-headers'] = EXPOSED;
      if (credentials) headers['access-control-allow-credentials'] = 'true';
      return { allowed: true, headers, crossOrigin: true };
    },
    /** Extra headers of a preflight answer that lets `methods` through. */
    preflight(methods, request) {
      const headers = {
        'access-control-allow-methods': methods.join(', '),
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-max-age': String(maxAge),
      };
      // Chromium asks before a public page reaches a private address (Private Network Access).
      if (request.headers.get('access-control-request-private-network') === 'true') {
        headers['access-control-allow-private-network'] = 'true';
      }
      return headers;
    },
  };
}

function checkOrigin(origin) {
  if (origin === '*' || origin === 'null') return;
  let url = null;
  try {
    url = typeof origin === 'string' ? new URL(origin) : null;
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== origin) {
    const shown = typeof origin === 'string' ? JSON.stringify(origin.slice(0, 100)) : describe(origin);
    throw new TypeError(`${WHERE}: ${shown} is not an origin; write it as scheme://host[:port] with no path or trailing slash `
      + "(e.g. 'https://www.example.com'), or 'null' for file:// pages.");
  }
}

// The page's origin and the proxy's URL name the same host and port. The scheme is not
// compared: behind a TLS-terminating server the proxy sees http:// for an https:// page.
function sameHost(origin, url) {
  try {
    return new URL(origin).host === url.host;
  } catch {
    return false;
  }
}
