// puffle.signals: the signal feed (/signals), dismiss and feedback. Functions of the
// client's context `{core}`.
import { Paginator } from '../client/pagination.js';
import { callOptions, enc } from '../client/resource.js';
import { PUFFLE_PATHS } from '../vendors/puffle.js';

const SIGNALS = PUFFLE_PATHS.signals;

/** The `signals` resource of one client. */
export function signals(ctx) {
  return Object.freeze({
    list: (query, options) => list(ctx, query, options),
    dismiss: (id, options) => dismiss(ctx, id, options),
    feedback: (id, feedback, options) => recordFeedback(ctx, id, feedback, options),
  });
}

/**
 * The signal feed (GET /signals), lazily paged by cursor: `for await (const s of
 * puffle.signals.list(query))`, `.pages()`, `.toArray({limit})`, `.firstPage()`. Yields
 * signals, or with `group_by: 'entity'` the entity groups `{entity, signals, signal_count}`,
 * across every page (`pagination: {cursor, has_more, count}`). `query.limit` is the page
 * size (1-100). `signal_type` and `source` may be arrays; `since`/`until` may be Dates.
 */
function list({ core }, query = {}, options) {
  const call = callOptions(options, 'signals.list');
  if (query === null || typeof query !== 'object' || Array.isArray(query)) {
    throw new TypeError('signals.list(query): query must be an object');
  }
  const base = {};
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if ((k === 'signal_type' || k === 'source') && Array.isArray(v)) base[k] = v.join(',');
    else if ((k === 'since' || k === 'until') && v instanceof Date) base[k] = v.toISOString();
    else base[k] = v;
  }
  const itemsOf = base.group_by === 'entity' ? 'entities' : 'signals';
  return new Paginator(async (state) => {
    const q = { ...base };
    if (state.cursor !== undefined) q.cursor = state.cursor;
    const page = await core.request({ kind: 'puffle.signal.list', method: 'GET', path: SIGNALS, query: q, safe: true }, call);
    const items = Array.isArray(page?.[itemsOf]) ? page[itemsOf] : [];
    const { cursor, has_more: hasMore } = page?.pagination ?? {};
    const next = hasMore === true && typeof cursor === 'string' && cursor ? { cursor } : null;
    return { page, items, next };
  }, { cursor: base.cursor });
}

/** Dismisses a signal (idempotent, so retried like a read). */
function dismiss({ core }, id, options) {
  return core.request({
    kind: 'puffle.signal.dismiss', method: 'POST', path: `${SIGNALS}/${enc(id)}/dismiss`, context: { params: { id } }, safe: true,
  }, callOptions(options, 'signals.dismiss'));
}

/** Records `'positive'` or `'negative'` feedback (overwrites; retried like a read). */
function recordFeedback({ core }, id, feedback, options) {
  const body = typeof feedback === 'string' ? { feedback } : feedback;
  return core.request({
    kind: 'puffle.signal.feedback', method: 'POST', path: `${SIGNALS}/${enc(id)}/feedback`, body, context: { params: { id } }, safe: true,
  }, callOptions(options, 'signals.feedback'));
}
