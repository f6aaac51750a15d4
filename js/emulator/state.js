// Everything the emulator remembers, and what the routes need besides the request: the
// tenants of both providers (one per key), the seed and feed anchor, generation runs in the
// background, and persistence to the data file (store.js).
import { PuffleTenant } from './puffle.js';
import { SaberTenant } from './saber.js';
import { loadState, saveState } from './store.js';
import { createRng, sha256Hex } from './util.js';
import { HttpError } from './errors.js';

export class EmulatorState {
  #dataFile;
  #maxTenants;
  #delay;
  #tenants = { puffle: new Map(), saber: new Map() };
  #timers = new Set();
  #closed = false;

  /**
   * @param {object} o
   * @param {object} o.engine the engine every route validates with
   * @param {Function} o.log (level, message)
   * @param {string} o.seed seeds built-in ids, the feed and generation delays
   * @param {number} [o.feedAnchorMs] the feed covers the 30 days before this (a saved state's wins)
   * @param {string} [o.dataFile] load from and persist to this file
   * @param {number} o.maxTenants most tenants per provider
   * @param {number|[number, number]} o.generateDelayMs
   * @param {number} o.onboardingStepMs how long an onboarding session spends in each status
   */
  constructor({ engine, log, seed, feedAnchorMs, dataFile, maxTenants, generateDelayMs, onboardingStepMs }) {
    this.engine = engine;
    this.onboardingStepMs = onboardingStepMs;
    this.log = log;
    this.seed = seed;
    this.#dataFile = dataFile;
    this.#maxTenants = maxTenants;
    this.#delay = generateDelayMs;
    const saved = dataFile ? loadState(dataFile) : null;
    this.feedAnchorMs = saved?.feedAnchorMs ?? feedAnchorMs ?? Math.floor(Date.now() / 60_000) * 60_000;
    for (const [id, data] of saved?.puffle ?? []) this.#tenants.puffle.set(id, new PuffleTenant(id, seed, data));
    for (const [id, data] of saved?.saber ?? []) this.#tenants.saber.set(id, new SaberTenant(id, data));
  }

  now() {
    return Date.now();
  }

  /** The tenant of a provider's key, created on first use (403 beyond maxTenants). */
  tenantFor(provider, key) {
    const id = sha256Hex(`${provider}:${key}`);
    const map = this.#tenants[provider];
    let t = map.get(id);
    if (!t) {
      // Any well-formed key makes a tenant; a bound keeps a flood of random keys from
      // exhausting memory.
      if (map.size >= this.#maxTenants) {
        throw new HttpError(403, 'tenant_limit', `this emulator already serves ${this.#maxTenants} ${provider} keys (option maxTenants); restart it or raise the limit`);
      }
      t = provider === 'puffle' ? new PuffleTenant(id, this.seed) : new SaberTenant(id);
      map.set(id, t);
    }
    return t;
  }

  /** How long the generation run `runId` takes: the option, or a seeded pick in its range. */
  generateDelay(runId) {
    const d = this.#delay;
    if (!Array.isArray(d)) return d;
    return createRng(`${this.seed}:delay:${runId}`).int(Math.round(d[0]), Math.round(d[1]));
  }

  /** Runs `fn` in `ms` (a generation run finishing), unless the emulator closes first. */
  schedule(ms, fn) {
    if (this.#closed) return;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      try { fn(); } catch (err) { this.log('error', `background task failed: ${err.stack ?? err}`); }
    }, ms);
    this.#timers.add(t);
  }

  /** Writes every tenant to the data file, when there is one (after each acknowledged write). */
  persist() {
    if (!this.#dataFile) return;
    saveState(this.#dataFile, {
      format: 'signalkit-emulator',
      version: 1,
      feedAnchorMs: this.feedAnchorMs,
      puffle: [...this.#tenants.puffle].map(([id, t]) => [id, t.toJSON()]),
      saber: [...this.#tenants.saber].map(([id, t]) => [id, t.toJSON()]),
    });
  }

  /** Cancels pending background work; nothing is scheduled afterwards. */
  close() {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}
