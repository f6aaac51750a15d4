// Timing helpers shared by the bench modules: interleaved rounds, median per-op time.

/** Runs `fn` for about `ms` milliseconds to let the JIT settle. */
export function warm(fn, ms = 300) {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) { fn(); n++; }
  return n;
}

/**
 * Median seconds per call for each candidate, wall-clock and CPU time (this process's user
 * + system time, which other engineers' load on the shared machine inflates less), measured
 * in interleaved rounds so that a burst of load hits every candidate alike. Returns
 * `{name: {wall, cpu}}`.
 * @param {Record<string, () => unknown>} candidates
 */
export function compare(candidates, { rounds = 15, iterations = 20000 } = {}) {
  const names = Object.keys(candidates);
  for (const n of names) warm(candidates[n]);
  const samples = Object.fromEntries(names.map((n) => [n, { wall: [], cpu: [] }]));
  for (let r = 0; r < rounds; r++) {
    for (const n of names) {
      const fn = candidates[n];
      const c = process.cpuUsage();
      const t = performance.now();
      for (let i = 0; i < iterations; i++) fn();
      const wall = (performance.now() - t) / 1000;
      const cpu = process.cpuUsage(c);
      samples[n].wall.push(wall / iterations);
      samples[n].cpu.push((cpu.user + cpu.system) / 1e6 / iterations);
    }
  }
  return Object.fromEntries(names.map((n) => [n, { wall: median(samples[n].wall), cpu: median(samples[n].cpu) }]));
}

/** Median seconds of one run of `fn`, wall-clock and CPU (after one warm-up run). */
export function timeRuns(fn, rounds = 7) {
  fn();
  const wall = [];
  const cpu = [];
  for (let r = 0; r < rounds; r++) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    wall.push((performance.now() - t) / 1000);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1e6);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
