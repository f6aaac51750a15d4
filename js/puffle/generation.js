// Bookkeeping of generation runs: which types this client started a run on, what the type
// looked like before, and whether a response shows the run's result (search_instructions,
// scoring_criteria and keywords all changed).
import { keyOf } from '../client/resource.js';

const FIELDS = ['search_instructions', 'scoring_criteria', 'keywords'];

/** Which of the generated fields differ between `before` and `now`. */
export function changedFields(before, now) {
  const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return Object.fromEntries(FIELDS.map((f) => [f, !same(before[f], now[f])]));
}
export const allChanged = (changed) => FIELDS.every((f) => changed[f]);

export class GenerationRuns {
  #pending = new Map(); // lower-cased type id -> {runId, before, startedAt}
  #maxAgeMs;

  /** `maxAgeMs`: how long a run counts as in progress without being seen to finish. */
  constructor(maxAgeMs) {
    this.#maxAgeMs = maxAgeMs;
  }

  /** The run this client started on a type and has not seen finish: {runId, before, startedAt}. */
  get(id) {
    return this.#pending.get(keyOf(id));
  }

  /** Like get(), but a run older than the give-up time no longer counts as in progress. */
  active(id) {
    const run = this.get(id);
    if (run && Date.now() - run.startedAt > this.#maxAgeMs) this.end(id);
    return this.get(id);
  }

  start(id, runId, type) {
    const before = Object.fromEntries(FIELDS.map((f) => [f, type[f]]));
    this.#pending.set(keyOf(id), { runId, before, startedAt: Date.now() });
  }

  end(id) {
    this.#pending.delete(keyOf(id));
  }

  /** A type seen in any response: its run is over once every generated field changed. */
  observe(type) {
    const run = this.#pending.get(keyOf(type.id));
    if (run && allChanged(changedFields(run.before, type))) this.end(type.id);
  }
}
