// Timing helpers shared by the bench modules: interleaved rounds, median per-op time.

/** Runs `fn` for about `ms` milliseconds to let the JIT settle. */
export function warm(fn, ms = 300) {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) { fn(); n++; }
  return n;
}

/**
 * Median seconds per call for each candidate, measured in interleaved rounds so that a
 * burst of load on this shared machine hits every candidate alike.
 * @param {Record<string, () => unknown>} candidates
 */
export function compare(candidates, { rounds = 15, iterations = 20000 } = {}) {
  const names = Object.keys(candidates);
  for (const n of names) warm(candidates[n]);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (const n of names) {
      const fn = candidates[n];
      const t = performance.now();
      for (let i = 0; i < iterations; i++) fn();
      samples[n].push((performance.now() - t) / 1000 / iterations);
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(samples[n])]));
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
