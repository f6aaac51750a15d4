// Query strings as the engine's query kinds take them: an object of typed values. Shared by
// the emulator (as the server) and signalkit/proxy (before forwarding).

/**
 * `searchParams` as JSON text for engine.validate: the `integers` keys' integer text as
 * numbers, the `booleans` keys' "true"/"false" as booleans; anything else stays text (so
 * `limit=ten` is reported as `type`), and a repeated parameter becomes an array (reported
 * as `type` unless the schema takes one).
 */
export function typedQuery(searchParams, { integers = [], booleans = [] } = {}) {
  const out = Object.create(null);
  for (const key of new Set(searchParams.keys())) {
    const all = searchParams.getAll(key);
    if (all.length > 1) { out[key] = all; continue; }
    const v = all[0];
    if (integers.includes(key) && /^-?\d{1,15}$/.test(v)) out[key] = Number(v);
    else if (booleans.includes(key) && (v === 'true' || v === 'false')) out[key] = v === 'true';
    else out[key] = v;
  }
  return JSON.stringify(out);
}
