// puffle.signalTypes.sources: a signal type's per-source settings
// (/signals/types/{id}/sources). Functions of the client's context `{core, known}`.
import { callOptions, dropOn404, enc, idOf } from '../client/resource.js';
import { PUFFLE_PATHS } from '../vendors/puffle.js';

const TYPES = PUFFLE_PATHS.signalTypes;

/** The `signalTypes.sources` resource of one client. */
export function signalTypeSources(ctx) {
  return Object.freeze({
    list: (idOrType, options) => list(ctx, idOrType, options),
    update: (idOrType, sourceId, patch, options) => update(ctx, idOrType, sourceId, patch, options),
  });
}

/** GET .../sources → `{sources: [{source_id, enabled, keywords_extra, prompt_override}]}`; returns the array. */
async function list({ core, known }, idOrType, options) {
  const id = idOf(idOrType);
  const res = await dropOn404(() => core.request({
    kind: 'puffle.signalTypeSource.list', method: 'GET', path: `${TYPES}/${enc(id)}/sources`, context: { params: { id } }, safe: true,
  }, callOptions(options, 'signalTypes.sources.list')), () => known.forget(id));
  return Array.isArray(res?.sources) ? res.sources : [];
}

/** PATCH .../sources/{sourceId}: `enabled`, `keywords_extra`, `prompt_override` (null clears). */
async function update({ core, known }, idOrType, sourceId, patch, options) {
  const { id, context } = known.context(idOrType, options, false);
  context.params.sourceId = sourceId;
  return dropOn404(() => core.request({
    kind: 'puffle.signalTypeSource.update', method: 'PATCH',
    path: `${TYPES}/${enc(id)}/sources/${enc(sourceId)}`, body: patch, context, safe: false,
  }, callOptions(options, 'signalTypes.sources.update', ['type'])), () => known.forget(id));
}
