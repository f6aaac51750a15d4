// Keyword matching on the engine object: engine.compileMatcher(types, options) -> Matcher.
// The rules live in C++ (wasm/include/signalkit/matcher.h); this layer validates
// the documents, encodes a whole batch into engine memory, makes one call, and turns the
// compact Int32 records into result objects. What crosses and why: docs/boundary.md.

import { argumentError, closedError, internalError, issue, limitError, serialise } from './boundary.js';
import { AbortError, ValidationError } from './errors.js';

const FIELDS = ['title', 'text'];
const NO_SOURCE = 0xffffffff;
const HEADER = 12; // ints per type record before its hits
const HIT = 5; // ints per hit
const NO_TYPES = Object.freeze([]);
const SHORT = 64; // UTF-16 units: strings up to this long are copied in JS when ASCII
const MAX_DOCS = 1 << 20; // documents per crossing
// matchManyAsync's slices: a few milliseconds of engine time each (~25 ms at the slowest,
// 50 MB/s), then the event loop runs. A document is never split.
const SLICE_UNITS = 1 << 20;
const SLICE_DOCS = 4096;
const TOO_BIG = 'signalkit: a batch needs more than 1 GiB of engine memory as UTF-8; split it';

// The next macrotask: setImmediate in Node, a MessageChannel in browsers (setTimeout(0) is
// clamped to 4 ms there once nested).
function nextTask() {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const { port1, port2 } = new MessageChannel();
      port1.onmessage = () => {
        port1.close();
        resolve();
      };
      port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function aborted(signal) {
  return new AbortError('Matching was aborted by its AbortSignal.', { reason: signal.reason });
}

const finalizer = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ module, handle }) => module.matcherClose(handle))
  : null;

function typeName(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function toJson(value, field) {
  const s = serialise(value);
  if (s.error) {
    throw new ValidationError([issue(field, 'invalid_json', `${field} cannot be serialised to JSON: ${s.error.message}`)],
      { message: `Invalid matcher input: ${field} cannot be serialised to JSON: ${s.error.message}` });
  }
  return s.text ?? '';
}

function tooBig() {
  return limitError(TOO_BIG, [issue('docs', 'too_large', TOO_BIG)]);
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

// matchManyAsync's options: {signal?: AbortSignal}.
function asyncOptions(options) {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object' || Array.isArray(options)) {
    const message = `matchManyAsync: options must be an object, not ${typeName(options)}`;
    throw argumentError(message, [issue('options', 'type', message)]);
  }
  for (const key of Object.keys(options)) {
    if (key === 'signal') continue;
    const message = `matchManyAsync: unknown option "${key}"; did you mean "signal"? The only option is signal (an AbortSignal).`;
    throw argumentError(message, [issue(`options.${key}`, 'invalid_option', message)]);
  }
  const { signal } = options;
  if (signal !== undefined && signal !== null && !(typeof signal === 'object' && typeof signal.aborted === 'boolean')) {
    const message = `matchManyAsync: options.signal must be an AbortSignal, not ${typeName(signal)}`;
    throw argumentError(message, [issue('options.signal', 'type', message)]);
  }
  return signal ?? undefined;
}

/**
 * A compiled set of signal types. Create with engine.compileMatcher(); call close() (or
 * use `using`) when done: the compiled form lives in WebAssembly memory.
 */
export class Matcher {
  #module;
  #boundary;
  #handle;
  #types;
  #keywords;
  #sources;

  /** @internal */
  constructor(module, boundary, handle, types, tables) {
    this.#module = module;
    this.#boundary = boundary;
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
   * @returns {DocumentMatch} `{id, matched, types}`
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

  /**
   * matchMany for batches of any size without blocking: matches in slices of about a
   * million UTF-16 units (or 4,096 documents), lets the event loop run between them, and
   * checks `options.signal` (an AbortSignal) before each. Every document is checked before
   * anything is matched. Resolves to the same results as matchMany; rejects with
   * AbortError (`reason`: the signal's) when the signal fires.
   * @param {object[]} docs
   * @param {{signal?: AbortSignal}} [options]
   * @returns {Promise<DocumentMatch[]>}
   */
  async matchManyAsync(docs, options) {
    this.#check();
    const signal = asyncOptions(options);
    if (!Array.isArray(docs)) {
      throw new ValidationError([{ field: 'docs', code: 'type', message: `docs must be an array of documents, not ${typeName(docs)}` }],
        { message: `Invalid documents: docs must be an array of documents, not ${typeName(docs)}` });
    }
    this.#checkDocs(docs, 'docs', 0, docs.length);
    const results = new Array(docs.length);
    for (let from = 0; from < docs.length;) {
      if (signal?.aborted) throw aborted(signal);
      this.#check(); // closed while we waited
      // Checked again: the caller may have changed a document while we waited.
      const to = this.#slice(docs, from, SLICE_UNITS, SLICE_DOCS);
      this.#checkDocs(docs, 'docs', from, to);
      this.#batch(docs, from, to, this.#units(docs, from, to), results);
      from = to;
      if (from < docs.length) await nextTask();
    }
    return results;
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
    if (this.#handle === 0) throw closedError('signalkit: this matcher is closed; compile a new one with engine.compileMatcher()');
  }

  // Throws, before anything is matched, for documents that are not documents
  // (ValidationError) or longer than the engine takes in one call (RangeError).
  #checkDocs(docs, what, from, to) {
    const issues = [];
    const maxUnits = this.#boundary.limits.matcherMaxDocumentUnits;
    const tooLong = [];
    for (let i = from; i < to; i++) {
      const d = docs[i];
      // The common case without building a field path per document.
      if (d !== null && typeof d === 'object' && typeof d.text === 'string' && (d.title == null || typeof d.title === 'string') &&
          (d.source == null || typeof d.source === 'string') && !Array.isArray(d)) {
        if (d.text.length + (d.title ? d.title.length : 0) > maxUnits) {
          const field = what === 'doc' ? 'doc' : `docs[${i}]`;
          const message = `${field} has ${d.text.length + (d.title ? d.title.length : 0)} UTF-16 code units in title and text; at most ${maxUnits} are matched in one document: split it`;
          tooLong.push(issue(`${field}.text`, 'too_large', message));
        }
        continue;
      }
      docIssues(d, what === 'doc' ? 'doc' : `docs[${i}]`, issues);
    }
    if (issues.length) {
      throw new ValidationError(issues, { message: `Invalid ${what === 'doc' ? 'document' : 'documents'}: ${issues.slice(0, 3).map((i) => i.message).join('; ')}` });
    }
    if (tooLong.length) throw limitError(`signalkit: ${tooLong[0].message}`, tooLong);
  }

  // The end of the crossing that starts at `from`: documents up to `maxUnits` UTF-16 units
  // and `maxDocs` documents, at least one.
  #slice(docs, from, maxUnits, maxDocs) {
    let to = from;
    let units = 0;
    while (to < docs.length && to - from < maxDocs) {
      const d = docs[to];
      const u = d.text.length + (d.title ? d.title.length : 0);
      if (to > from && units + u > maxUnits) break;
      units += u;
      to++;
    }
    return to;
  }

  #units(docs, from, to) {
    let units = 0;
    for (let i = from; i < to; i++) units += docs[i].text.length + (docs[i].title ? docs[i].title.length : 0);
    return units;
  }

  #run(docs, what) {
    this.#checkDocs(docs, what, 0, docs.length);
    // One crossing per batch; only batches beyond the engine's per-call document limit
    // (UTF-16 units) or MAX_DOCS documents are split (each part is one crossing), to keep
    // engine memory bounded.
    const results = new Array(docs.length);
    const maxUnits = this.#boundary.limits.matcherMaxDocumentUnits;
    for (let from = 0; from < docs.length;) {
      const to = this.#slice(docs, from, maxUnits, MAX_DOCS);
      this.#batch(docs, from, to, this.#units(docs, from, to), results);
      from = to;
    }
    return results;
  }

  #batch(docs, from, end, units, results) {
    const module = this.#module;
    const boundary = this.#boundary;
    const n = end - from;
    // The table first: growing the input buffer later may move it (not the table), so
    // views are re-read after every allocation. UTF-8 takes 1-3 bytes per UTF-16 unit:
    // start at 1.25x (mostly ASCII text) and grow, keeping what is written, when a string
    // does not fit. Titles and texts go into the engine's one input buffer.
    const tword = module.matcherTable(n) >>> 2;
    let cap = units + (units >> 2) + 64;
    let address = cap > boundary.limits.matcherMaxBatchBytes ? 0 : boundary.reserve(cap);
    if (address === 0 || (tword === 0 && n > 0)) throw tooBig();
    let table = module.HEAPU32;
    let heap = module.HEAPU8;
    let pos = 0;
    const sources = this.#sources;
    for (let i = from, t = tword; i < end; i++, t += 5) {
      const d = docs[i];
      const src = d.source ? sources.get(d.source) : undefined; // "" is no source, as in the engine
      table[t] = src === undefined ? NO_SOURCE : src;
      for (let f = 0; f < 2; f++) {
        const s = f === 0 ? (d.title || '') : d.text;
        const at = pos;
        if (s.length > 0 && s.length <= SHORT && pos + s.length <= cap) {
          // A short ASCII string (most titles) is cheaper to copy here than to encode.
          const w = address + pos;
          let j = 0;
          for (let c; j < s.length && (c = s.charCodeAt(j)) < 0x80; j++) heap[w + j] = c;
          if (j === s.length) {
            pos += j;
            table[t + 1 + f * 2] = at;
            table[t + 2 + f * 2] = j;
            continue;
          }
        }
        if (s.length) {
          let written = boundary.encode(s, pos, cap);
          while (written < 0) {
            cap = Math.max(cap * 2, pos + s.length * 3 + 64);
            address = cap > boundary.limits.matcherMaxBatchBytes ? 0 : boundary.reserve(cap);
            if (address === 0) throw tooBig();
            table = module.HEAPU32; // the heap may have grown
            heap = module.HEAPU8;
            written = boundary.encode(s, pos, cap);
          }
          pos += written;
        }
        table[t + 1 + f * 2] = at;
        table[t + 2 + f * 2] = pos - at;
      }
    }
    // One call matches the whole table unless its records reach the engine's output bound
    // (kMatcherMaxBatchOutputInts); then it answers where it stopped and we go on from there.
    for (let done = 0; done < n;) {
      const next = module.matcherMatch(this.#handle, pos, done, n);
      if (next <= done) throw internalError('matcherMatch rejected its input');
      // One copy of the records out of engine memory, shared by this crossing's results;
      // each document's types are built from it on first access (most callers only read
      // `matched` for most documents).
      const rec = module.matcherOutput().slice();
      const count = rec.length;
      const batch = { matcher: this, rec };
      let k = 0;
      while (k < count) {
        const ci = rec[k];
        const k0 = k;
        let matched = false;
        while (k < count && rec[k] === ci) {
          if (rec[k + 2] & 1) matched = true;
          k += HEADER + HIT * rec[k + 3];
        }
        const d = docs[from + ci];
        results[from + ci] = new DocumentMatch(d.id ?? null, matched, batch, k0, [d.title, d.text]);
      }
      done = next;
    }
    for (let i = from; i < end; i++) if (results[i] === undefined) results[i] = new DocumentMatch(docs[i].id ?? null, false, null, 0, null);
  }

  /**
   * @internal Builds the TypeMatch objects of a document from its records, which start at
   * `k`; `title` and `text` are the strings it had when it was matched.
   */
  decode(rec, k, title, text) {
    const kw = this.#keywords;
    const typeInfo = this.#types;
    const ci = rec[k];
    let n = 0;
    for (let j = k; j < rec.length && rec[j] === ci; j += HEADER + HIT * rec[j + 3]) n++;
    const types = new Array(n); // sized once: a growing array's spare room would outlive the call
    // Types whose first hit is the same share the snippet's window: slice it once.
    let snipField = -1;
    let snipStart = -1;
    let snipEnd = -1;
    let snipText = '';
    for (let i = 0; i < n; i++) {
      const t = typeInfo[rec[k + 1]];
      const flags = rec[k + 2];
      const nHits = rec[k + 3];
      const f = rec[k + 4];
      const start = rec[k + 5];
      const stop = rec[k + 6];
      if (f !== snipField || start !== snipStart || stop !== snipEnd) {
        snipField = f;
        snipStart = start;
        snipEnd = stop;
        snipText = ((f === 0 ? title : text) ?? '').slice(start, stop);
      }
      const snippet = { field: FIELDS[f], start, end: stop, text: snipText };
      const disqualifiedBy = flags & 2
        ? { keyword: kw[rec[k + 7]], field: FIELDS[rec[k + 8]], start: rec[k + 9], end: rec[k + 10], count: rec[k + 11] }
        : null;
      k += HEADER;
      const keywords = new Array(nHits);
      for (let h = 0; h < nHits; h++, k += HIT) {
        keywords[h] = { keyword: kw[rec[k]], field: FIELDS[rec[k + 1]], start: rec[k + 2], end: rec[k + 3], count: rec[k + 4] };
      }
      types[i] = { index: t.index, id: t.id, label: t.label, matched: (flags & 1) === 1, keywords, disqualifiedBy, snippet };
    }
    return types;
  }
}

/**
 * The result for one document: `id` (the document's, or null), `matched` (some type
 * matched and was not disqualified) and `types`, one entry per type that had a keyword
 * occurrence, built on first access from the records of its crossing. JSON.stringify
 * gives all three.
 */
export class DocumentMatch {
  // Until `types` is first read: the crossing's {matcher, rec} (null for a document
  // without records), where this document's records start, and [title, text] as they were
  // matched (the strings, not the document: a caller that changes or reuses its document
  // objects afterwards still gets snippets of what was matched, and a kept result keeps
  // only its own strings alive; an array made only for documents with records). Few
  // fields: a batch makes one of these per document.
  #batch;
  #at;
  #texts;
  #types;

  /** @internal */
  constructor(id, matched, batch, at, texts) {
    this.id = id;
    this.matched = matched;
    this.#batch = batch;
    this.#at = at;
    this.#texts = texts;
    this.#types = batch === null ? NO_TYPES : undefined;
  }

  /** @returns {TypeMatch[]} in type order; frozen empty array when nothing occurred. */
  get types() {
    if (this.#types === undefined) {
      const b = this.#batch;
      this.#types = b.matcher.decode(b.rec, this.#at, this.#texts[0], this.#texts[1]);
      this.#batch = this.#texts = null;
    }
    return this.#types;
  }

  toJSON() {
    return { id: this.id, matched: this.matched, types: this.types };
  }
}

/** Adds compileMatcher (and matcherStats, for leak tests) to the engine object. */
export function addMatcher(engine, module, boundary) {
  /**
   * Compiles signal types for matching (README, "Keyword matching"). `types` is an array of Puffle signal
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
    const texts = [toJson(list, 'types'), options == null ? '' : toJson(options, 'options')];
    const lengths = boundary.writeTexts(texts, boundary.limits.maxInputBytes);
    if (!lengths) {
      const message = 'signalkit: the signal types need more than 1 GiB of engine memory as UTF-8';
      throw limitError(message, [issue('types', 'too_large', message)]);
    }
    const handle = module.matcherCompile(...lengths);
    const last = boundary.json();
    if (handle === 0) {
      throw new ValidationError(last, { message: `Invalid matcher types: ${last.slice(0, 3).map((i) => i.message).join('; ')}${last.length > 3 ? ` (and ${last.length - 3} more)` : ''}` });
    }
    return new Matcher(module, boundary, handle, list, last);
  };

  /** Live matcher handles and heap figures, for leak tests. */
  engine.matcherStats = function matcherStats() {
    return { live: module.matcherLiveCount(), heapBytes: module.HEAPU8.length, heapInUse: module.matcherHeapInUse() };
  };
}
