// puffle.signalTypes: the caller's signal types (/signals/types), their generation runs,
// and (as `signalTypes.sources`) their per-source settings. Each method is a function of the
// client's context `{core, known, runs}` (js/puffle/index.js).
import { GenerationTimeoutError, ValidationError } from '../errors.js';
import { pollUntil } from '../client/polling.js';
import { callOptions, dropOn404, enc, idOf } from '../client/resource.js';
import { checkOptions } from '../util/options.js';
import { GENERATION, PUFFLE_PATHS } from '../vendors/puffle.js';
import { allChanged, changedFields } from './generation.js';
import { signalTypeSources } from './signal-type-sources.js';

const TYPES = PUFFLE_PATHS.signalTypes;

/** The `signalTypes` resource of one client. */
export function signalTypes(ctx) {
  return Object.freeze({
    list: (options) => list(ctx, options),
    create: (body, options) => create(ctx, body, options),
    get: (idOrType, options) => get(ctx, idOrType, options),
    update: (idOrType, patch, options) => update(ctx, idOrType, patch, options),
    delete: (idOrType, options) => remove(ctx, idOrType, options),
    reset: (idOrType, options) => reset(ctx, idOrType, options),
    generate: (idOrType, options) => generate(ctx, idOrType, options),
    waitForGeneration: (idOrType, options) => waitForGeneration(ctx, idOrType, options),
    sources: signalTypeSources(ctx),
  });
}

/**
 * All of the caller's signal types (GET /signals/types). Afterwards the client knows the
 * complete list, so create/rename check the cap of 20 and unique names locally.
 * @returns {Promise<PuffleSignalType[]>}
 */
async function list({ core, known }, options) {
  const res = await core.request({ kind: 'puffle.signalType.list', method: 'GET', path: TYPES, safe: true }, callOptions(options, 'signalTypes.list'));
  const types = Array.isArray(res?.signal_types) ? res.signal_types : [];
  known.replaceAll(types);
  return types;
}

/** Creates a custom type (POST). Never retried once sent (not idempotent). */
async function create({ core, known }, body, options) {
  const types = known.all();
  const type = await core.request({
    kind: 'puffle.signalType.create', method: 'POST', path: TYPES, body,
    context: types ? { types } : undefined, safe: false,
  }, callOptions(options, 'signalTypes.create'));
  return known.see(type);
}

/** One type by id (GET). */
async function get({ core, known }, idOrType, options) {
  const id = idOf(idOrType);
  return dropOn404(async () => known.see(await core.request({
    kind: 'puffle.signalType.get', method: 'GET', path: `${TYPES}/${enc(id)}`, context: { params: { id } }, safe: true,
  }, callOptions(options, 'signalTypes.get'))), () => known.forget(id));
}

/**
 * Changes the given fields (PATCH). Pass the type object (or `{type}`) to have the
 * built-in, keyword and config_schema rules checked locally; otherwise the last type
 * seen for this id is used, and when none was seen the server decides.
 */
async function update({ core, known }, idOrType, patch, options) {
  const { id, context } = known.context(idOrType, options, true);
  return dropOn404(async () => known.see(await core.request({
    kind: 'puffle.signalType.update', method: 'PATCH', path: `${TYPES}/${enc(id)}`, body: patch, context, safe: false,
  }, callOptions(options, 'signalTypes.update', ['type']))), () => known.forget(id));
}

/** Deletes a custom type (DELETE → 204; irreversible; built-in types cannot be deleted). Resolves to undefined. */
async function remove({ core, known, runs }, idOrType, options) {
  const { id, context } = known.context(idOrType, options, false);
  await dropOn404(() => core.request({
    kind: 'puffle.signalType.delete', method: 'DELETE', path: `${TYPES}/${enc(id)}`, context, safe: true,
  }, callOptions(options, 'signalTypes.delete', ['type'])), () => known.forget(id));
  known.forget(id);
  runs.end(id);
}

/** Resets a built-in type's prompts to the system defaults (POST .../reset). */
async function reset({ core, known }, idOrType, options) {
  const { id, context } = known.context(idOrType, options, false);
  return dropOn404(async () => known.see(await core.request({
    kind: 'puffle.signalType.reset', method: 'POST', path: `${TYPES}/${enc(id)}/reset`, context, safe: false,
  }, callOptions(options, 'signalTypes.reset', ['type']))), () => known.forget(id));
}

/**
 * Starts a generation run (POST .../generate) and returns `{run_id}` at once. Reads the
 * type first (the baseline `waitForGeneration` compares against). Refuses a second run
 * on a type this client is still waiting for, unless `{force: true}`. Needs a company
 * profile (else PreconditionError, 428). Never retried once sent (not idempotent).
 */
async function generate(ctx, idOrType, options = {}) {
  const { core, known, runs } = ctx;
  const call = callOptions(options, 'signalTypes.generate', ['type', 'force']);
  const { id, context } = known.context(idOrType, options, false);
  await core.check('puffle.signalType.generate', undefined, context);
  const running = runs.active(id);
  if (running && options.force !== true) {
    throw new ValidationError([{
      field: 'id',
      code: 'generation_in_progress',
      message: `id: a generation run (${running.runId}) for this signal type is still in progress; `
        + 'wait for it (waitForGeneration) or pass {force: true} to start another (the last run to finish wins)',
    }], { kind: 'puffle.signalType.generate' });
  }
  const before = await get(ctx, id, call);
  const res = await dropOn404(() => core.request({
    kind: 'puffle.signalType.generate', method: 'POST', path: `${TYPES}/${enc(id)}/generate`,
    context: { params: { id }, type: before }, safe: false,
  }, call), () => known.forget(id));
  runs.start(id, res?.run_id, before);
  return res;
}

/**
 * Polls the type until search_instructions, scoring_criteria and keywords have all
 * changed from the values read before `generate`, and returns the updated type.
 * @param {object} [options]
 * @param {number|[number, number]} [options.interval=[10000, 15000]] ms between polls (a pair: random in range)
 * @param {number} [options.timeout=180000] give up after this many ms (GenerationTimeoutError with run_id)
 * @param {AbortSignal} [options.signal]
 * @param {(state) => void} [options.onProgress] after each poll: {typeId, runId, poll, elapsedMs, changed, done, type?, error?}
 * @param {object} [options.before] the type as it was before generate (when generate was not called by this client)
 * @param {string} [options.runId]
 */
async function waitForGeneration(ctx, idOrType, options = {}) {
  checkOptions('signalTypes.waitForGeneration', options, ['interval', 'timeout', 'signal', 'onProgress', 'before', 'runId']);
  const { core, runs } = ctx;
  const id = idOf(idOrType);
  await core.check('puffle.signalType.get', undefined, { params: { id } });
  const run = runs.get(id);
  const before = options.before ?? run?.before;
  if (!before) {
    throw new TypeError('waitForGeneration: this client started no generation run for this type; '
      + 'call signalTypes.generate() first, or pass {before: <the type as read before generate>}');
  }
  const runId = options.runId ?? run?.runId;
  const timeoutMs = options.timeout ?? GENERATION.timeoutMs;
  const unchanged = { search_instructions: false, scoring_criteria: false, keywords: false };
  const type = await pollUntil({
    interval: options.interval ?? GENERATION.pollIntervalMs,
    timeout: timeoutMs,
    signal: options.signal,
    read: () => get(ctx, id, { signal: options.signal }),
    judge: (value) => {
      const changed = value ? changedFields(before, value) : unchanged;
      const done = value ? allChanged(changed) : false;
      return { done, progress: { typeId: id, runId, changed, done, type: value } };
    },
    onProgress: options.onProgress,
    timedOut: (polls) => {
      runs.end(id);
      return new GenerationTimeoutError(`Generation run ${runId ?? '(unknown run)'} for signal type ${id} did not finish within ${timeoutMs} ms `
        + `(${polls} polls); it may still finish later. Quote the run_id to Puffle support if it never does.`, { runId, typeId: id, timeoutMs });
    },
  });
  runs.end(id);
  return type;
}
