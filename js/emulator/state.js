// Everything the emulator remembers, and what the routes need besides the request: the
// tenants of both providers (one per key), the seed and feed anchor, generation runs in the
// background, the per-tenant quotas that keep the state bounded, and persistence to the
// data file (store.js: a snapshot plus a journal of changes).
import { PuffleTenant } from './puffle.js';
import { SaberTenant } from './saber.js';
import { snapshotChunks, Store } from './store.js';
import { createRng, sha256Hex } from './util.js';
import { HttpError } from './errors.js';

/** The per-tenant quotas and the state's budget (docs/emulator.md, docs/limits.md). */
export const DEFAULT_QUOTAS = Object.freeze({
  templates: 1_000, // Saber templates per key (deleted ones too: they are kept)
  versions: 10_000, // Saber template versions per key, every version of every template
  generationRuns: 20, // Puffle generation runs in progress per key
  tenantBytes: 8 << 20, // what one key's data may take, as JSON
  stateBytes: 256 << 20, // what every key's data may take together, as JSON
});

const utf8Length = (text) => Buffer.byteLength(text);

function quotaExceeded(message) {
  return new HttpError(403, 'quota_exceeded', message);
}

export class EmulatorState {
  #store = null;
  #maxTenants;
  #quotas;
  #delay;
  #tenants = { puffle: new Map(), saber: new Map() };
  #timers = new Set();
  #closed = false;
  #bytes = 0; // every tenant's data, as committed
  #tenantBytes = new Map(); // tenant -> its committed data, in bytes
  #versionBytes = new WeakMap(); // Saber tenant -> Map(version id -> bytes)
  #pendingRuns = new WeakMap(); // Puffle tenant -> runs in progress

  /**
   * @param {object} o
   * @param {object} o.engine the engine every route validates with
   * @param {Function} o.log (level, message)
   * @param {string} o.seed seeds built-in ids, the feed and generation delays
   * @param {number} [o.feedAnchorMs] the feed covers the 30 days before this (a saved state's wins)
   * @param {string} [o.dataFile] load from and persist to this file
   * @param {number} o.maxTenants most tenants per provider
   * @param {object} o.quotas DEFAULT_QUOTAS, some replaced
   * @param {number|[number, number]} o.generateDelayMs
   * @param {number} o.onboardingStepMs how long an onboarding session spends in each status
   */
  constructor({ engine, log, seed, feedAnchorMs, dataFile, maxTenants, quotas, generateDelayMs, onboardingStepMs }) {
    this.engine = engine;
    this.onboardingStepMs = onboardingStepMs;
    this.log = log;
    this.seed = seed;
    this.#maxTenants = maxTenants;
    this.#quotas = quotas;
    this.#delay = generateDelayMs;
    const store = dataFile ? new Store(dataFile, { log }) : null;
    const saved = store?.loaded;
    this.feedAnchorMs = saved?.feedAnchorMs ?? feedAnchorMs ?? Math.floor(Date.now() / 60_000) * 60_000;
    for (const [id, data] of saved?.puffle ?? []) {
      const t = new PuffleTenant(id, seed, data);
      this.#tenants.puffle.set(id, t);
      this.#account(t, utf8Length(JSON.stringify(data)));
    }
    for (const [id, versions] of saved?.saber ?? []) {
      const t = new SaberTenant(id, { versions: [...versions.values()] });
      this.#tenants.saber.set(id, t);
      const sizes = new Map();
      let bytes = 0;
      for (const v of versions.values()) {
        const n = utf8Length(JSON.stringify(v));
        sizes.set(v.id, n);
        bytes += n;
      }
      this.#versionBytes.set(t, sizes);
      this.#account(t, bytes);
    }
    if (store) {
      store.open(() => snapshotChunks(this.feedAnchorMs,
        this.#texts(this.#tenants.puffle, (t) => JSON.stringify(t.toJSON())),
        this.#texts(this.#tenants.saber, (t) => JSON.stringify(t.toJSON()))));
      this.#store = store;
    }
  }

  // [id, text] of each tenant, serialised only when the snapshot reaches it.
  * #texts(map, text) {
    for (const [id, t] of map) yield [id, text(t)];
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

  /**
   * Refuses (403 quota_exceeded) a write that would take `tenant` or the whole state past
   * a quota, before anything changes: the route `routeName` with the request body `body`.
   */
  checkQuota(routeName, tenant, body) {
    const q = this.#quotas;
    const incoming = body === undefined ? 0 : utf8Length(body);
    const mine = this.#tenantBytes.get(tenant) ?? 0;
    if (incoming > 0 && mine + incoming > q.tenantBytes) {
      throw quotaExceeded(`this key's data would pass ${q.tenantBytes} bytes, the most the emulator keeps per key (option quotas.tenantBytes); `
        + 'delete some of it (Saber keeps deleted templates: use another key or restart the emulator without its data file)');
    }
    if (incoming > 0 && this.#bytes + incoming > q.stateBytes) {
      throw quotaExceeded(`the emulator's state would pass ${q.stateBytes} bytes, the most it keeps for all keys together (option quotas.stateBytes)`);
    }
    if (routeName === 'saber.template.create' && tenant.templates.size >= q.templates) {
      throw quotaExceeded(`this key has ${tenant.templates.size} templates (deleted ones included), the most the emulator keeps per key (option quotas.templates)`);
    }
    if ((routeName === 'saber.template.create' || routeName === 'saber.template.update') && tenant.versions.size >= q.versions) {
      throw quotaExceeded(`this key has ${tenant.versions.size} template versions, the most the emulator keeps per key (option quotas.versions)`);
    }
    if (routeName === 'puffle.signalType.generate' && (this.#pendingRuns.get(tenant) ?? 0) >= q.generationRuns) {
      throw quotaExceeded(`this key has ${q.generationRuns} generation runs in progress, the most the emulator runs at once per key (option quotas.generationRuns); wait for one to finish`);
    }
  }

  /**
   * Called before a route handles a request: what earlier requests only read is forgotten,
   * so that commit() journals what this request changes (a Saber list reads the latest
   * version of every template).
   */
  beginRequest(tenant) {
    if (tenant instanceof SaberTenant) tenant.takeChanged();
  }

  /**
   * Records what a write changed in `tenant` (its size for the quotas) and, with a data
   * file, appends it to the journal and makes it durable: the answer is sent only after
   * this returns. A Puffle tenant is written whole (the API keeps it small); a Saber
   * tenant writes the versions the request touched.
   */
  commit(tenant) {
    let entry;
    if (tenant instanceof SaberTenant) {
      const sizes = this.#versionBytes.get(tenant) ?? new Map();
      this.#versionBytes.set(tenant, sizes);
      const texts = [];
      let delta = 0;
      for (const id of tenant.takeChanged()) {
        const text = JSON.stringify(tenant.versions.get(id));
        const n = utf8Length(text);
        delta += n - (sizes.get(id) ?? 0);
        sizes.set(id, n);
        texts.push(text);
      }
      if (texts.length === 0) return;
      this.#account(tenant, (this.#tenantBytes.get(tenant) ?? 0) + delta);
      entry = `{"s":[${JSON.stringify(tenant.id)},[${texts.join(',')}]]}`;
    } else {
      const text = JSON.stringify(tenant.toJSON());
      this.#account(tenant, utf8Length(text));
      entry = `{"p":[${JSON.stringify(tenant.id)},${text}]}`;
    }
    this.#store?.append(entry);
  }

  #account(tenant, bytes) {
    this.#bytes += bytes - (this.#tenantBytes.get(tenant) ?? 0);
    this.#tenantBytes.set(tenant, bytes);
  }

  /** How long the generation run `runId` takes: the option, or a seeded pick in its range. */
  generateDelay(runId) {
    const d = this.#delay;
    if (!Array.isArray(d)) return d;
    return createRng(`${this.seed}:delay:${runId}`).int(Math.round(d[0]), Math.round(d[1]));
  }

  /**
   * Runs `fn` in `ms`, unless the emulator closes first. With `tenant` it is a generation run
   * of that tenant finishing, counted against its quota until then; without, other
   * background work (company research finishing, a synchronous request's wait).
   */
  schedule(ms, fn, tenant) {
    if (this.#closed) return;
    if (tenant) this.#pendingRuns.set(tenant, (this.#pendingRuns.get(tenant) ?? 0) + 1);
    const t = setTimeout(() => {
      this.#timers.delete(t);
      if (tenant) this.#pendingRuns.set(tenant, this.#pendingRuns.get(tenant) - 1);
      try { fn(); } catch (err) { this.log('error', `background task failed: ${err.stack ?? err}`); }
    }, ms);
    this.#timers.add(t);
  }

  /** Cancels pending background work; nothing is scheduled afterwards. Resolves when the data file is closed. */
  close() {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    return this.#store ? this.#store.close() : Promise.resolve();
  }
}
