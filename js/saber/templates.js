// saber.templates: signal templates (/companies/signals/templates): list, create, get,
// update (a new version) and soft delete. Functions of the client's context `{core, known}`.
import { Paginator } from '../client/pagination.js';
import { callOptions, dropOn404, enc, idOf, withId } from '../client/resource.js';
import { SABER_PATHS } from '../vendors/saber.js';

const TEMPLATES = SABER_PATHS.templates;

/** The `templates` resource of one client. */
export function templates(ctx) {
  return Object.freeze({
    list: (query, options) => list(ctx, query, options),
    create: (body, options) => create(ctx, body, options),
    get: (id, options) => get(ctx, id, options),
    update: (idOrTemplate, patch, options) => update(ctx, idOrTemplate, patch, options),
    delete: (idOrTemplate, options) => remove(ctx, idOrTemplate, options),
  });
}

/**
 * Templates, lazily paged by offset: `for await (const t of saber.templates.list())`,
 * `.pages()`, `.toArray({limit})`, `.firstPage()`. `query.limit` is the page size
 * (1-100, default 20); `offset` where to start; `includeDeleted` every version.
 */
function list({ core, known }, query = {}, options) {
  const call = callOptions(options, 'templates.list');
  if (query === null || typeof query !== 'object' || Array.isArray(query)) {
    throw new TypeError('templates.list(query): query must be an object');
  }
  const base = {};
  for (const [k, v] of Object.entries(query)) if (v !== undefined) base[k] = v;
  return new Paginator(async (state) => {
    const q = { ...base };
    if (state.offset !== undefined) q.offset = state.offset;
    const page = await core.request({ kind: 'saber.template.list', method: 'GET', path: TEMPLATES, query: q, safe: true }, call);
    const items = Array.isArray(page?.items) ? page.items : [];
    items.forEach((t) => known.see(t));
    const at = typeof page?.offset === 'number' ? page.offset : (state.offset ?? 0);
    const next = page?.hasMore && items.length > 0 ? { offset: at + items.length } : null;
    return { page, items, next };
  }, { offset: base.offset });
}

/** Creates a template (POST; version 1). Never retried once sent. */
async function create({ core, known }, body, options) {
  return known.see(await core.request({ kind: 'saber.template.create', method: 'POST', path: TEMPLATES, body, safe: false }, callOptions(options, 'templates.create')));
}

/** One template version by id (GET). */
async function get({ core, known }, id, options) {
  const tid = idOf(id);
  return dropOn404(async () => known.see(await core.request({
    kind: 'saber.template.get', method: 'GET', path: `${TEMPLATES}/${enc(tid)}`, context: { params: { id: tid } }, safe: true,
  }, callOptions(options, 'templates.get'))), () => known.forget(tid));
}

/**
 * Changes fields (PATCH); the API stores a new version (new id, same templateId,
 * version + 1). The current answerType (from the template passed, `{template}`, or the
 * last version seen) shapes the qualificationCriteria check; unknown → the server decides.
 * Never retried once sent.
 */
async function update({ core, known }, idOrTemplate, patch, options) {
  const id = idOf(idOrTemplate);
  const template = options?.template ?? withId(idOrTemplate) ?? known.current(id);
  const context = { params: { id } };
  if (template) context.template = template;
  return dropOn404(async () => known.see(await core.request({
    kind: 'saber.template.update', method: 'PATCH', path: `${TEMPLATES}/${enc(id)}`, body: patch, context, safe: false,
  }, callOptions(options, 'templates.update', ['template']))), () => known.forget(id));
}

/** Soft-deletes a template (DELETE; idempotent, retried like a read). Resolves to undefined. */
async function remove({ core, known }, idOrTemplate, options) {
  const id = idOf(idOrTemplate);
  await dropOn404(() => core.request({
    kind: 'saber.template.delete', method: 'DELETE', path: `${TEMPLATES}/${enc(id)}`, context: { params: { id } }, safe: true,
  }, callOptions(options, 'templates.delete')), () => known.forget(id));
  known.forget(id);
}
