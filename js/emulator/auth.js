// Who is calling: the Bearer key of the provider whose route was asked for, in that
// vendor's key format (js/vendors/), optionally limited to a list of keys.
import { HttpError } from './errors.js';
import { sha256Hex } from './util.js';
import { PUFFLE } from '../vendors/puffle.js';
import { SABER } from '../vendors/saber.js';

const VENDOR = { puffle: PUFFLE, saber: SABER };

/** Whether `key` is a well-formed key of either provider. */
export const isWellFormedKey = (key) => typeof key === 'string' && (PUFFLE.key.pattern.test(key) || SABER.key.pattern.test(key));

/**
 * The key as the emulator knows it: a Puffle key's hex in lower case (hex digits name the
 * same number in either case, so `pk_live_AB…` and `pk_live_ab…` are one key and one
 * tenant); a Saber key as it is (its random string is case-sensitive).
 */
export function canonicalKey(key) {
  return key.startsWith(PUFFLE.key.prefix) ? key.toLowerCase() : key;
}

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
 * The key of a request to `provider`'s routes (canonicalKey). 401 when the Authorization
 * header is missing, not `Bearer <key>`, the key is not that vendor's format, or not in
 * `allowedKeys` (a Set of canonical keys, or null for any well-formed key). The scheme is
 * matched in any case (`bearer` too): HTTP auth schemes are case-insensitive (RFC 9110
 * §11.1), though the vendors write `Bearer`.
 */
export function authenticate(req, provider, allowedKeys) {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
  const vendor = VENDOR[provider];
  const want = `a ${vendor.name} key: ${vendor.key.description}`;
  if (!m) throw new HttpError(401, 'unauthorized', `missing or malformed Authorization header; expected "Bearer <key>" with ${want}`);
  if (!vendor.key.pattern.test(m[1])) throw new HttpError(401, 'unauthorized', `the API key is not ${want}`);
  const key = canonicalKey(m[1]);
  if (allowedKeys && !allowedKeys.has(key)) throw new HttpError(401, 'unauthorized', 'the API key is not accepted by this emulator');
  return key;
}
