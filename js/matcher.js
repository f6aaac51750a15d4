// Keyword matching on the engine object: engine.compileMatcher(types, options) -> Matcher.
// The rules live in C++ (wasm/include/signalkit/matcher.h, SPEC §3); this layer validates
// the documents, encodes a whole batch into engine memory, makes one call, and turns the
// compact Int32 records into result objects. What crosses and why: docs/boundary.md.

import { ValidationError } from './errors.js';

const encoder = new TextEncoder();
const FIELDS = ['title', 'text'];
const NO_SOURCE = 0xffffffff;
const HEADER = 12; // ints per type record before its hits
const HIT = 5; // ints per hit

const finalizer = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ module, handle }) => module.matcherClose(handle))
  : null;

function typeName(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function toJson(value, field) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new ValidationError([{ field, code: 'invalid_json', message: `${field} cannot be serialised to JSON: ${err.message}` }],
      { message: `Invalid matcher input: ${field} cannot be serialised to JSON: ${err.message}` });
  }
  return text ?? '';
}

function docIssues(doc, field, issues) {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    issues.push({ field, code: 'type', message: `${field} must be a document object {id?, source?, title?, text}, not ${typeName(doc)}` });
    return;
  }
  if (typeof doc.text !== 'string') {
    if (doc.text === undefined || doc.text === null) issues.push({ field: `${field}.text`, code: 'required', message: `${field}.text is required (a string)` });
    else issues.push({ field: `${field}.text`, code: 'type', message: `${field}.text must be a string, not ${typeName(doc.text)}` });
  }
  for (const k of ['title', 'source']) {
    const v = doc[k];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      issues.push({ field: `${field}.${k}`, code: 'type', message: `${field}.${k} must be a string or null, not ${typeName(v)}` });
    }
  }
}

/**
 * A compiled set of signal types. Create with engine.compileMatcher(); call close() (or
 * use `using`) when done: the compiled form lives in WebAssembly memory.
 */
export class Matcher {
  #module;
  #handle;
  #types;
  #keywords;
  #sources;

  /** @internal */
  constructor(module, handle, types, tables) {
    this.#module = module;
    this.#handle = handle;
    this.#types = types.map((t, index) => ({
      index,
      id: t && typeof t.id === 'string' ? t.id : null,
      label: t && typeof t.label === 'string' ? t.label : t && typeof t.name === 'string' ? t.name : null,
    }));
    this.#keywords = tables.keywords;
    this.#sources = new Map(tables.sources.map((s, i) => [s, i]));
    finalizer?.register(this, { module, handle }, this);
  }

  /** True once close() has been called. */
  get closed() {
    return this.#handle === 0;
  }

  /**
   * Matches one document `{id?, source?, title?, text}`.
   * @returns {{id, matched: boolean, types: TypeMatch[]}}
   */
  match(doc) {
    this.#check();
    return this.#run([doc], 'doc')[0];
  }

  /**
   * Matches many documents in one crossing into WebAssembly; one result per document, in
   * order (`types` is empty for a document that matched nothing).
   */
  matchMany(docs) {
    this.#check();
    if (!Array.isArray(docs)) {
      throw new ValidationError([{ field: 'docs', code: 'type', message: `docs must be an array of documents, not ${typeName(docs)}` }],
        { message: `Invalid documents: docs must be an array of documents, not ${typeName(docs)}` });
    }
    return this.#run(docs, 'docs');
  }

  /** Frees the compiled matcher. Idempotent. */
  close() {
    if (this.#handle === 0) return;
    this.#module.matcherClose(this.#handle);
    finalizer?.unregister(this);
    this.#handle = 0;
  }

  /** `using m = engine.compileMatcher(...)` closes it at the end of the block. */
  [Symbol.dispose ?? Symbol.for('Symbol.dispose')]() {
    this.close();
  }

  #check() {
    if (this.#handle === 0) throw new Error('signalkit: this matcher is closed; compile a new one with engine.compileMatcher()');
  }

  #run(docs, what) {
    const issues = [];
    for (let i = 0; i < docs.length; i++) docIssues(docs[i], what === 'doc' ? 'doc' : `docs[${i}]`, issues);
    if (issues.length) {
      throw new ValidationError(issues, { message: `Invalid ${what === 'doc' ? 'document' : 'documents'}: ${issues.slice(0, 3).map((i) => i.message).join('; ')}` });
    }
    const module = this.#module;
    const n = docs.length;
    let units = 0;
    for (let i = 0; i < n; i++) units += (docs[i].title ?? '').length + docs[i].text.length;
    // UTF-8 takes 1-3 bytes per UTF-16 unit. Start at 1.25x (mostly ASCII text) and grow,
    // keeping what is written, when a string does not fit.
    let cap = units + (units >> 2) + 64;
    let ptr = module.matcherBytes(cap);
    let heap = module.HEAPU8;
    let pos = 0;
    const table = new Uint32Array(n * 5);
    for (let i = 0; i < n; i++) {
      const d = docs[i];
      const src = d.source == null ? undefined : this.#sources.get(d.source);
      table[i * 5] = src === undefined ? NO_SOURCE : src;
      for (let f = 0; f < 2; f++) {
        const s = f === 0 ? (d.title ?? '') : d.text;
        const at = pos;
        if (s.length) {
          let r = encoder.encodeInto(s, heap.subarray(ptr + pos, ptr + cap));
          while (r.read < s.length) {
            cap = Math.max(cap * 2, pos + s.length * 3 + 64);
            ptr = module.matcherBytes(cap);
            heap = module.HEAPU8; // the heap may have grown
            r = encoder.encodeInto(s, heap.subarray(ptr + pos, ptr + cap));
          }
          pos += r.written;
        }
        table[i * 5 + 1 + f * 2] = at;
        table[i * 5 + 2 + f * 2] = pos - at;
      }
    }
    const tptr = module.matcherTable(n);
    module.HEAPU32.set(table, tptr >>> 2);
    const count = module.matcherMatch(this.#handle, pos, n);
    if (count < 0) throw new Error('signalkit engine: internal error (matcherMatch rejected its input)');
    const out = module.matcherOutput();

    const results = new Array(n);
    for (let i = 0; i < n; i++) {
      const d = docs[i];
      results[i] = { id: d.id ?? null, matched: false, types: [] };
    }
    const kw = this.#keywords;
    let k = 0;
    while (k < count) {
      const di = out[k];
      const d = docs[di];
      const t = this.#types[out[k + 1]];
      const flags = out[k + 2];
      const nHits = out[k + 3];
      const snippetField = FIELDS[out[k + 4]];
      const snippet = { field: snippetField, start: out[k + 5], end: out[k + 6], text: '' };
      snippet.text = (d[snippetField] ?? '').slice(snippet.start, snippet.end);
      const disqualifiedBy = flags & 2
        ? { keyword: kw[out[k + 7]], field: FIELDS[out[k + 8]], start: out[k + 9], end: out[k + 10], count: out[k + 11] }
        : null;
      k += HEADER;
      const keywords = new Array(nHits);
      for (let h = 0; h < nHits; h++, k += HIT) {
        keywords[h] = { keyword: kw[out[k]], field: FIELDS[out[k + 1]], start: out[k + 2], end: out[k + 3], count: out[k + 4] };
      }
      const matched = (flags & 1) === 1;
      const r = results[di];
      if (matched) r.matched = true;
      r.types.push({ index: t.index, id: t.id, label: t.label, matched, keywords, disqualifiedBy, snippet });
    }
    return results;
  }
}

/** Adds compileMatcher (and matcherStats, for leak tests) to the engine object. */
export function addMatcher(engine, module) {
  /**
   * Compiles signal types for matching (SPEC §3). `types` is an array of Puffle signal
   * types (or the list response `{signal_types}`); each may carry `source_settings`, the
   * items of GET /signals/types/{id}/sources (`{source_id, enabled, keywords_extra}`).
   * Options: `includeDisabled` (preview disabled types), `snippetRadius` (code points).
   * Throws ValidationError (with `issues`) on invalid input.
   */
  engine.compileMatcher = function compileMatcher(types, options) {
    const list = types !== null && typeof types === 'object' && !Array.isArray(types) && Array.isArray(types.signal_types)
      ? types.signal_types
      : types;
    if (!Array.isArray(list)) {
      const issue = { field: 'types', code: 'type', message: `types must be an array of signal types, not ${typeName(types)}` };
      throw new ValidationError([issue], { message: `Invalid matcher types: ${issue.message}` });
    }
    if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
      const issue = { field: 'options', code: 'type', message: `options must be an object, not ${typeName(options)}` };
      throw new ValidationError([issue], { message: `Invalid matcher options: ${issue.message}` });
    }
    const handle = module.matcherCompile(toJson(list, 'types'), options == null ? '' : toJson(options, 'options'));
    const last = JSON.parse(module.matcherLast());
    if (handle === 0) {
      throw new ValidationError(last, { message: `Invalid matcher types: ${last.slice(0, 3).map((i) => i.message).join('; ')}${last.length > 3 ? ` (and ${last.length - 3} more)` : ''}` });
    }
    return new Matcher(module, handle, list, last);
  };

  /** Live matcher handles and heap figures, for leak tests. */
  engine.matcherStats = function matcherStats() {
    return { live: module.matcherLiveCount(), heapBytes: module.HEAPU8.length, heapInUse: module.matcherHeapInUse() };
  };
}
