// The two vendors, for code that handles either (the emulator's logs, the CLI).
import { PUFFLE } from './puffle.js';
import { SABER } from './saber.js';

export const VENDORS = Object.freeze([PUFFLE, SABER]);

/** What may be shown of any key: Puffle keys their first 24 characters, Saber keys nothing. */
export function maskKey(key) {
  if (typeof key !== 'string') return '(none)';
  const vendor = VENDORS.find((v) => key.startsWith(v.key.prefix));
  return vendor ? vendor.key.mask(key) : '(invalid key)';
}
