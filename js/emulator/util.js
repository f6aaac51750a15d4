// Small helpers shared by the emulator modules: a seeded PRNG, ids, JSON copies.
import { createHash, randomUUID } from 'node:crypto';

/** sha256 of a string, as lowercase hex. */
export function sha256Hex(text) {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A seeded pseudo-random generator (sfc32 seeded from a sha256 of `seedText`).
 * Deterministic: the same seed text gives the same sequence on every platform.
 */
export function createRng(seedText) {
  const h = createHash('sha256').update(String(seedText)).digest();
  let a = h.readUInt32LE(0), b = h.readUInt32LE(4), c = h.readUInt32LE(8), d = h.readUInt32LE(12);
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const rng = {
    next,
    int(min, max) { return min + Math.floor(next() * (max - min + 1)); },
    pick(list) { return list[Math.floor(next() * list.length)]; },
    hex(n) { let s = ''; for (let i = 0; i < n; i++) s += Math.floor(next() * 16).toString(16); return s; },
    /** A version-4 UUID drawn from this generator. */
    uuid() {
      const x = rng.hex(32).split('');
      x[12] = '4';
      x[16] = '89ab'[Math.floor(next() * 4)];
      const s = x.join('');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
    /** `count` distinct items of `list`, in a shuffled order. */
    sample(list, count) {
      const copy = list.slice();
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j], copy[i]];
      }
      return copy.slice(0, Math.min(count, copy.length));
    },
  };
  return rng;
}

export const newUuid = () => randomUUID();

/** Deep copy of a JSON value (own `__proto__` keys survive as plain data). */
export function cloneJson(value) {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
