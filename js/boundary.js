// How the engine facade (engine.js, criteria.js, matcher.js) crosses into WebAssembly,
// turns values into JSON and reports a call it cannot make: one way each, here.
// What crosses and why: docs/boundary.md.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The engine's entry points (wasm/bindings.cpp exports them as Module._sk_*, plain wasm
 * functions: numbers in, one number out) under the names the facade calls, and the heap's
 * current views. Results that live in engine memory come back as views of it, valid until
 * the next call. Each export is looked up per call: emscripten's Module._sk_x starts as a
 * stub that replaces itself with the raw wasm function on its first call.
 */
export function entryPoints(m) {
  const view = (Type, address, count) => new Type(m.HEAPU8.buffer, address >>> 0, count >>> 0);
  return {
    get HEAPU8() { return m.HEAPU8; },
    get HEAPU32() { return m.HEAPU32; },
    get HEAPF64() { return m.HEAPF64; },
    inputBuffer: (bytes) => m._sk_input_buffer(bytes) >>> 0,
    resultText: () => view(Uint8Array, m._sk_result_data(), m._sk_result_size()),
    limits: () => m._sk_limits(),
    workCounters: () => m._sk_work_counters(),
    kinds: () => m._sk_kinds(),
    schemaText: (kind) => m._sk_schema_text(kind),
    validate: (kind, contextLength, bodyLength) => m._sk_validate(kind, contextLength, bodyLength),
    criteriaCheck: (a, b, c) => m._sk_criteria_check(a, b, c),
    criteriaEvaluate: (a, b, c) => m._sk_criteria_evaluate(a, b, c),
    criteriaFitScore: (a, b) => m._sk_criteria_fit_score(a, b),
    criteriaNumberBuffer: (n) => m._sk_criteria_number_buffer(n) >>> 0,
    criteriaEvaluateNumbers: (a, b, n) => m._sk_criteria_evaluate_numbers(a, b, n),
    criteriaEvaluateTexts: (a, b, c, n) => m._sk_criteria_evaluate_texts(a, b, c, n),
    criteriaEvaluateAnswers: (a, b, c) => m._sk_criteria_evaluate_answers(a, b, c),
    criteriaCodes: () => view(Uint8Array, m._sk_criteria_codes(), m._sk_criteria_count()),
    criteriaValues: () => view(Float64Array, m._sk_criteria_values(), m._sk_criteria_count()),
    matcherCompile: (a, b) => m._sk_matcher_compile(a, b),
    matcherClose: (handle) => m._sk_matcher_close(handle),
    matcherTable: (docs) => m._sk_matcher_table(docs) >>> 0,
    matcherMatch: (handle, bytes, first, docs) => m._sk_matcher_match(handle, bytes, first, docs),
    matcherOutput: () => view(Int32Array, m._sk_matcher_output_data(), m._sk_matcher_output_size()),
    matcherLiveCount: () => m._sk_matcher_live_count(),
    matcherHeapInUse: () => m._sk_matcher_heap_in_use(),
  };
}

/**
 * The crossing for one engine instance. Text arguments are written as UTF-8 straight into
 * the one input buffer the engine owns (its address comes from `inputBuffer`, which only
 * grows), back to back, and passed as byte lengths; results come back as JSON text in the
 * one result buffer (`resultText`, a view decoded at once). Typed batches use buffers of
 * their own the same way (criteria numbers, the matcher's document table).
 */
export class Boundary {
  #module;
  #address = 0;
  #capacity = 0;

  constructor(module) {
    this.#module = module;
    module.limits();
    /** The engine's input limits (wasm/include/signalkit/limits.h), read once. */
    this.limits = Object.freeze(this.json());
  }

  /**
   * Room for `bytes` bytes in the input buffer, keeping what is already written. Returns
   * the buffer's address (it moves when the buffer grows), or 0 above the engine's limit.
   */
  reserve(bytes) {
    if (bytes > this.#capacity) {
      // Grow geometrically so that a run of growing calls costs few crossings.
      const want = Math.min(Math.max(bytes, this.#capacity * 2, 65536), this.limits.maxInputBytes);
      if (want < bytes) return 0;
      const address = this.#module.inputBuffer(want);
      if (address === 0) return 0;
      this.#address = address;
      this.#capacity = want;
    }
    return this.#address;
  }

  /**
   * Encodes `text` into the input at byte `at`, using at most the bytes up to `end`
   * (reserve(end) first). Returns TextEncoder.encodeInto's `{read, written}`.
   */
  encode(text, at, end) {
    // The heap's views change when the memory grows: take the current one.
    return encoder.encodeInto(text, this.#module.HEAPU8.subarray(this.#address + at, this.#address + end));
  }

  /**
   * Writes `texts` back to back from the start of the input, with room for 3 bytes per
   * UTF-16 unit (the most UTF-8 needs). Returns their byte lengths, or null when that room
   * would exceed `limit` bytes.
   */
  writeTexts(texts, limit) {
    let room = 0;
    for (const t of texts) room += t.length * 3;
    if (room > limit || this.reserve(room) === 0) return null;
    const lengths = new Array(texts.length);
    let at = 0;
    for (let i = 0; i < texts.length; i++) {
      lengths[i] = this.encode(texts[i], at, room).written;
      at += lengths[i];
    }
    return lengths;
  }

  /**
   * Writes `texts` from byte `at` as UTF-8, separated by NULs; null and undefined write
   * nothing (an empty text). ASCII is copied by a loop over char codes: for a million short
   * answers, one join plus encodeInto cost ~3× more (the join flattens a rope). Returns the
   * bytes written, -1 when an element is neither a string nor missing or a text holds a NUL
   * (the caller sends them another way), or -2 when they would not fit in `limit` bytes.
   */
  writeSeparated(texts, at, limit) {
    let room = 0;
    for (let i = 0; i < texts.length; i++) {
      const t = texts[i];
      if (typeof t === 'string') room += t.length * 3 + 1;
      else if (t === null || t === undefined) room += 1;
      else return -1;
    }
    if (room > limit || this.reserve(at + room) === 0) return -2;
    const heap = this.#module.HEAPU8; // after reserve(): memory does not grow below
    const start = this.#address + at;
    let p = start;
    for (let i = 0; i < texts.length; i++) {
      if (i > 0) heap[p++] = 0;
      const t = texts[i];
      if (typeof t !== 'string') continue;
      const n = t.length;
      let k = 0;
      for (; k < n; k++) {
        const c = t.charCodeAt(k);
        if (c >= 0x80 || c === 0) break;
        heap[p + k] = c;
      }
      if (k === n) {
        p += n;
      } else {
        if (t.includes('\u0000')) return -1;
        p += encoder.encodeInto(t, heap.subarray(p, p + n * 3)).written;
      }
    }
    return p - start;
  }

  /** The result text of the last call. */
  text() {
    return decoder.decode(this.#module.resultText());
  }

  /** The result text of the last call, parsed. */
  json() {
    return JSON.parse(this.text());
  }
}

// --- JSON -------------------------------------------------------------------------------

const NON_FINITE = '\u0000signalkit:non-finite';
const NON_FINITE_JSON = JSON.stringify(NON_FINITE);

function nonFiniteReplacer(key, value) {
  return typeof value === 'number' && !Number.isFinite(value) ? NON_FINITE : value;
}

function hasNonFiniteDeep(value, depth) {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value === null || typeof value !== 'object' || depth > 200) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasNonFiniteDeep(value[i], depth + 1)) return true;
    return false;
  }
  if (typeof value.toJSON === 'function') return true; // let the replacer see what toJSON gives
  for (const k in value) {
    if (Object.prototype.hasOwnProperty.call(value, k) && hasNonFiniteDeep(value[k], depth + 1)) return true;
  }
  return false;
}

/**
 * The one JSON serialiser of the facade. Returns `{text}` (undefined when JSON.stringify
 * gives nothing, as for a function) or `{error}` (what JSON.stringify threw: a cycle, a
 * BigInt). With `keepNonFinite`, NaN and ±Infinity are sent as 1e999, which the engine
 * reads as a non-finite number and reports, instead of JSON.stringify's silent null
 * (null means "no answer" or "unbounded" to the criteria). Request bodies keep the
 * standard behaviour: their text is what is sent.
 */
export function serialise(value, { keepNonFinite = false } = {}) {
  let text;
  try {
    // A replacer makes JSON.stringify several times slower; only values that hold a
    // non-finite number need it.
    text = keepNonFinite && hasNonFiniteDeep(value, 0) ? JSON.stringify(value, nonFiniteReplacer) : JSON.stringify(value);
  } catch (error) {
    return { error };
  }
  if (keepNonFinite && text !== undefined && text.includes(NON_FINITE_JSON)) text = text.split(NON_FINITE_JSON).join('1e999');
  return { text };
}

// --- errors -------------------------------------------------------------------------------
//
// The facade's convention (docs/boundary.md): what the engine judges comes back as a value
// (issues, error results); a call that cannot be made throws, and every such error carries
// `issues` ([{field, code, message}]) and, except ValidationError, `code` (the first
// issue's). The class says what is wrong:
//   TypeError       the call's arguments are not what it takes (a kind, options, containers)
//   RangeError      an argument is past a documented limit
//   ValidationError signal types or documents given to the matcher break the API's rules
//   Error           a closed matcher, or an engine fault (code "internal")

/** One issue. */
export function issue(field, code, message) {
  return { field, code, message };
}

function facadeError(Class, message, issues) {
  const err = new Class(message);
  err.code = issues[0].code;
  err.issues = issues;
  return err;
}

/** A TypeError for arguments the call does not take. */
export function argumentError(message, issues) {
  return facadeError(TypeError, message, issues);
}

/** A RangeError for an argument past a documented limit. */
export function limitError(message, issues) {
  return facadeError(RangeError, message, issues);
}

/** An Error for a handle used after close(). */
export function closedError(message) {
  return facadeError(Error, message, [issue('', 'closed', message)]);
}

/** An Error for an answer the engine cannot give (a bug, never bad input). */
export function internalError(what) {
  const message = `signalkit engine: internal error (${what})`;
  return facadeError(Error, message, [issue('', 'internal', message)]);
}
