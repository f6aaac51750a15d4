// Who is calling: the Bearer key of the provider whose route was asked for, in that
// vendor's key format (js/vendors/), optionally limited to a list of keys.
import { HttpError } from './errors.js';
import { sha256Hex } from './util.js';
import { PUFFLE } from '../vendors/puffle.js';
import { SABER } from '../vendors/saber.js';

const VENDOR = { puffle: PUFFLE, saber: SABER };

/** Whether `key` is a well-formed key of either provider. */
export const isWellFormedKey = (key) => typeof key === 'string' && (PUFFLE.key.pattern.test(key) || SABER.key.pattern.test(key));

/** What a well-formed key looks like, for error messages. */
export const KEY_FORMATS = `a Puffle key is ${PUFFLE.key.description}, a Saber key ${SABER.key.description}`;

/** The two ready-made development keys for a seed (printed by the CLI). */
export function devKeys(seed = 'signalkit') {
  return {
    puffle: `${PUFFLE.key.prefix}${sha256Hex(`signalkit-dev-puffle:${seed}`)}`,
    saber: `${SABER.key.prefix}dev${sha256Hex(`signalkit-dev-saber:${seed}`).slice(0, 29)}`,
  };
}

/**
 * The key of a request to `provider`'s routes. 401 when the Authorization header is missing,
 * not `Bearer <key>`, the key is not that vendor's format, or not in `allowedKeys` (a Set,
 * or null for any well-formed key).
 */
export function authenticate(req, provider, allowedKeys) {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
  const vendor = VENDOR[provider];
  const want = `a ${vendor.name} key: ${vendor.key.description}`;
  if (!m) throw new HttpError(401, 'unauthorized', `missing or malformed Authorization header; expected "Bearer <key>" with ${want}`);
  const key = m[1];
  if (!vendor.key.pattern.test(key)) throw new HttpError(401, 'unauthorized', `the API key is not ${want}`);
  if (allowedKeys && !allowedKeys.has(key)) throw new HttpError(401, 'unauthorized', 'the API key is not accepted by this emulator');
  return key;
}
