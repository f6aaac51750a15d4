// Opt-in fault injection: seeded random rules plus a deterministic queue ("the next N
// requests") for tests.
import { createRng } from './util.js';

export const FAULT_TYPES = Object.freeze([
  'latency', 'status', 'drop_before', 'drop_after', 'malformed_body', 'truncated_body',
]);
const STATUSES = [500, 502, 503];

function checkFault(f, where) {
  if (!f || typeof f !== 'object' || Array.isArray(f)) throw new TypeError(`${where} must be an object`);
  if (!FAULT_TYPES.includes(f.type)) {
    throw new TypeError(`${where}.type must be one of ${FAULT_TYPES.join(', ')}`);
  }
  if (f.type === 'status' && !STATUSES.includes(f.status)) {
    throw new TypeError(`${where}.status must be 500, 502 or 503`);
  }
  if (f.type === 'latency' && !(Number.isInteger(f.ms) && f.ms >= 0 && f.ms <= 600_000)) {
    throw new TypeError(`${where}.ms must be an integer from 0 to 600000`);
  }
  if (f.probability !== undefined && !(typeof f.probability === 'number' && f.probability >= 0 && f.probability <= 1)) {
    throw new TypeError(`${where}.probability must be a number from 0 to 1`);
  }
  for (const key of ['route', 'method', 'path']) {
    if (f[key] !== undefined && typeof f[key] !== 'string') throw new TypeError(`${where}.${key} must be a string`);
  }
  if (f.count !== undefined && !(Number.isInteger(f.count) && f.count >= 1 && f.count <= 10_000)) {
    throw new TypeError(`${where}.count must be an integer from 1 to 10000`);
  }
  return {
    type: f.type, status: f.status, ms: f.ms, probability: f.probability ?? 1,
    route: f.route, method: f.method?.toUpperCase(), path: f.path, count: f.count ?? 1,
  };
}

// `route` matches a route name exactly, or a prefix when it ends with '*'
// ('puffle.*', 'saber.template.*'); `path` is a prefix of the URL path.
function matches(rule, req) {
  if (rule.method && rule.method !== '*' && rule.method !== req.method) return false;
  if (rule.path && !req.path.startsWith(rule.path)) return false;
  if (rule.route) {
    if (rule.route.endsWith('*')) {
      if (!req.route.startsWith(rule.route.slice(0, -1))) return false;
    } else if (rule.route !== req.route) return false;
  }
  return true;
}

export class FaultInjector {
  /** `options`: {seed?, rules?: [fault & {probability, route?, method?, path?}]}. */
  constructor(options, seed) {
    const o = options === true ? {} : options;
    if (!o || typeof o !== 'object') throw new TypeError('faults must be true or an object');
    this.rng = createRng(`faults:${o.seed ?? seed}`);
    this.rules = (o.rules ?? []).map((r, i) => checkFault(r, `faults.rules[${i}]`));
    this.queue = [];
  }

  /** Replaces or extends the deterministic queue from a plan: {next: [...], rules?: [...], append?}. */
  applyPlan(plan) {
    if (!plan || typeof plan !== 'object' || Array.isArray(plan)) throw new TypeError('plan must be a JSON object');
    if (!Array.isArray(plan.next ?? [])) throw new TypeError('next must be an array');
    if (plan.rules !== undefined && !Array.isArray(plan.rules)) throw new TypeError('rules must be an array');
    const next = (plan.next ?? []).map((f, i) => checkFault(f, `next[${i}]`));
    const rules = plan.rules?.map((r, i) => checkFault(r, `rules[${i}]`));
    if (plan.append) this.queue.push(...next); else this.queue = next;
    if (rules) this.rules = rules;
    return this.describe();
  }

  clear() { this.queue = []; this.rules = []; }

  describe() {
    return { next: this.queue.map((f) => ({ ...f })), rules: this.rules.map((r) => ({ ...r })) };
  }

  /**
   * The faults for one request {method, path, route}: {latencyMs, fault} where fault is
   * the one non-latency fault to apply (or null). Queue entries win over random rules.
   */
  pick(req) {
    let latencyMs = 0;
    let fault = null;
    for (let i = 0; i < this.queue.length; i++) {
      const f = this.queue[i];
      if (!matches(f, req)) continue;
      f.count -= 1;
      if (f.count <= 0) this.queue.splice(i, 1);
      if (f.type === 'latency') latencyMs += f.ms; else fault = f;
      break;
    }
    for (const rule of this.rules) {
      if (!matches(rule, req)) continue;
      if (this.rng.next() >= rule.probability) continue;
      if (rule.type === 'latency') latencyMs += rule.ms;
      else if (!fault) fault = rule;
    }
    return { latencyMs, fault };
  }
}
