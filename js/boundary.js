// How the engine facade (engine.js, criteria.js, matcher.js) crosses into WebAssembly,
// turns values into JSON and reports a call it cannot make: one way each, here.
// What crosses and why: docs/boundary.md.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Writes `text` as UTF-8 into `heap` (a Uint8Array over the engine's memory) from byte
 * `start`, using no byte at or past `end`. Returns the bytes written, or -1 when `text` does
 * not fit (what was written is then garbage to the caller). The portable way.
 * @internal exported for the test that holds the two writers to the same bytes
 */
export function writeUtf8Portable(heap, text, start, end) {
  const { read, written } = encoder.encodeInto(text, heap.subarray(start, end));
  return read === text.length ? written : -1;
}

// Node's Buffer (also Bun's and Deno's): Buffer#write is ~10% faster per string than
// encodeInto and leaves no garbage (no subarray view, no result object), which matters for
// matchMany's 40,000 strings a batch. Not a bundler's Buffer polyfill (slow, in JS).
const NodeBuffer = typeof globalThis.process?.versions?.node === 'string' && typeof globalThis.Buffer === 'function'
  ? globalThis.Buffer
  : null;
let nodeView = null; // a Buffer over the memory `nodeView.buffer`; rebuilt when it grows

/**
 * writeUtf8Portable's contract with Node's Buffer#write: the same bytes (a lone surrogate
 * becomes U+FFFD, as with encodeInto).
 * @internal exported for that test; null outside Node
 */
export const writeUtf8Node = NodeBuffer && function writeUtf8Node(heap, text, start, end) {
  const room = Math.min(end, heap.length) - start; // as subarray() clamps it
  if (room <= 0) return text.length === 0 ? 0 : -1;
  if (nodeView === null || nodeView.buffer !== heap.buffer) nodeView = NodeBuffer.from(heap.buffer);
  const written = nodeView.write(text, start, room, 'utf8');
  // It stops before a character that does not fit (at most 4 bytes): with 4 bytes to
  // spare, all of `text` was written; otherwise measure.
  return room - written >= 4 || NodeBuffer.byteLength(text, 'utf8') === written ? written : -1;
};

const writeUtf8 = writeUtf8Node ?? writeUtf8Portable;

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
    get HEAP32() { return m.HEAP32; },
    get HEAPU32() { return m.HEAPU32; },
    get HEAPF64() { return m.HEAPF64; },
    inputBuffer: (bytes) => m._sk_input_buffer(bytes) >>> 0,
    releaseInput: () => m._sk_release_input(),
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
    criteriaCompile: (a, b) => m._sk_criteria_compile(a, b),
    criteriaRelease: (handle) => m._sk_criteria_release(handle),
    criteriaRun: (handle, a) => m._sk_criteria_run(handle, a),
    criteriaRecord: () => m._sk_criteria_record() >>> 0,
    criteriaLiveCount: () => m._sk_criteria_live_count(),
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
   * Writes `text` as UTF-8 into the input at byte `at`, using no byte at or past `end`
   * (reserve(end) first). Returns the bytes written, or -1 when it does not fit.
   */
  encode(text, at, end) {
    // The heap's views change when the memory grows: take the current one.
    return writeUtf8(this.#module.HEAPU8, text, this.#address + at, this.#address + end);
  }

  /**
   * Writes `texts` back to back from the start of the input; `limits[i]` is the most bytes
   * of UTF-8 text i may take (one number: the same for each). Returns their byte lengths,
   * or null when a text is over its limit (`overLimit` is then its index). The UTF-8
   * length is measured, not guessed: a text whose 3 bytes per UTF-16 unit would pass the
   * limit is encoded into the limit's room, and refused only when it does not fit.
   */
  writeTexts(texts, limits) {
    const limitOf = typeof limits === 'number' ? () => limits : (i) => limits[i];
    let room = 0;
    for (let i = 0; i < texts.length; i++) {
      const units = texts[i].length;
      // UTF-8 never takes fewer bytes than UTF-16 units: over the limit in units is over it.
      if (units > limitOf(i)) return this.#over(i);
      room += Math.min(units * 3, limitOf(i));
    }
    if (this.reserve(room) === 0) return this.#over(0);
    const lengths = new Array(texts.length);
    let at = 0;
    for (let i = 0; i < texts.length; i++) {
      const end = at + Math.min(texts[i].length * 3, limitOf(i));
      const written = this.encode(texts[i], at, end);
      if (written < 0) return this.#over(i);
      lengths[i] = written;
      at += written;
    }
    return lengths;
  }

  /**
   * Writes `texts` from byte `at` as UTF-8, separated by NULs; null and undefined write
   * nothing (an empty text). ASCII is copied by a loop over char codes: for a million short
   * answers, one join plus encodeInto cost ~3× more (the join flattens a rope). Returns the
   * bytes written, -1 when an element is neither a string nor missing or a text holds a NUL
   * (the caller sends them another way), or -2 when they take more than `limit` bytes (as
   * in writeTexts, the UTF-8 is measured, not guessed).
   */
  writeSeparated(texts, at, limit) {
    let units = texts.length > 0 ? texts.length - 1 : 0; // the separators
    let room = units;
    for (let i = 0; i < texts.length; i++) {
      const t = texts[i];
      if (typeof t === 'string') {
        units += t.length;
        room += t.length * 3;
      } else if (t !== null && t !== undefined) {
        return -1;
      }
    }
    // UTF-8 never takes fewer bytes than UTF-16 units: over the limit in units is over it.
    if (units > limit) return -2;
    room = Math.min(room, limit);
    if (this.reserve(at + room) === 0) return -2;
    const heap = this.#module.HEAPU8; // after reserve(): memory does not grow below
    const start = this.#address + at;
    const end = start + room;
    let p = start;
    for (let i = 0; i < texts.length; i++) {
      if (i > 0) {
        if (p >= end) return -2;
        heap[p++] = 0;
      }
      const t = texts[i];
      if (typeof t !== 'string') continue;
      const n = t.length;
      if (p + n > end) return -2;
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
        const written = writeUtf8(heap, t, p, end);
        if (written < 0) return -2;
        p += written;
      }
    }
    return p - start;
  }

  #over(i) {
    this.overLimit = i;
    return null;
  }

  /**
   * Called after each call: hands a large input buffer back to the engine, so that one big
   * call does not keep its memory in use for every small call after it (the engine frees
   * its own scratch buffers the same way). Growing it again costs one crossing.
   */
  settle() {
    if (this.#capacity > this.limits.keepScratchBytes) {
      this.#module.releaseInput();
      this.#address = 0;
      this.#capacity = 0;
    }
  }

  /**
   * The UTF-8 text of `size` bytes at `address` in engine memory (a string the engine
   * keeps until the next call). Short ASCII text, what results mostly hold, is read by a
   * char-code loop: cheaper than TextDecoder for a few dozen bytes.
   */
  string(address, size) {
    const heap = this.#module.HEAPU8;
    if (size <= 64) {
      let s = '';
      for (let i = 0; i < size; i++) {
        const c = heap[address + i];
        if (c >= 0x80) return decoder.decode(heap.subarray(address, address + size));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return decoder.decode(heap.subarray(address, address + size));
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
//
// JSON.stringify changes some JavaScript values without a word: NaN and ±Infinity become
// null, undefined (and functions and symbols) inside arrays become null, functions and
// symbols as object members disappear. What crosses into the engine must be what the caller
// wrote, so every value is first checked by one quick walk (no allocation); only a value
// that holds such a thing is written by hand (`Writer`), which records where.

// The engine refuses JSON nested deeper than this, so nothing below it needs checking.
const WALK_DEPTH = 65;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const NO_ISSUES = Object.freeze([]);
const hasOwn = Object.prototype.hasOwnProperty;

/** `path` extended by an object key, in the engine's field syntax (`a.b`, `a["x y"]`). */
export function pathKey(path, key) {
  if (IDENTIFIER.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

// Whether JSON.stringify writes `v` exactly as it is: every number finite, no undefined,
// function or symbol where JSON.stringify would null or drop it, no BigInt, no toJSON (the
// writer checks what toJSON gives). A cycle is caught by the depth bound, then by
// JSON.stringify itself.
function plain(v, depth) {
  if (typeof v === 'string') return true;
  if (typeof v === 'number') return v - v === 0; // false for NaN and ±Infinity
  if (typeof v !== 'object') return typeof v === 'boolean'; // undefined, function, symbol, bigint
  if (v === null || depth > WALK_DEPTH) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x !== 'string' && (x === undefined || !plain(x, depth + 1))) return false;
    }
    return typeof v.toJSON !== 'function';
  }
  if (typeof v.toJSON === 'function') return false;
  for (const k in v) {
    const x = v[k];
    // JSON.stringify skips inherited members: only an own one can make a difference.
    if (typeof x !== 'string' && x !== undefined && !plain(x, depth + 1) && hasOwn.call(v, k)) return false;
  }
  return true;
}

function describe(v) {
  if (typeof v === 'bigint') return `a BigInt (${v}n)`;
  if (typeof v === 'symbol') return `a symbol (${String(v)})`;
  if (typeof v === 'function') return `a function${v.name ? ` (${v.name})` : ''}`;
  return String(v);
}

// Writes JSON by hand, as JSON.stringify would, and records each value it had to change
// (`issues`) or could not write at all (`fatal`, which stops the walk).
class Writer {
  constructor(what, field, nonFinite) {
    this.what = what; // 'body', 'answer', ... for messages about the root
    this.field = field; // the root's field ('' for a body, 'context', 'answers', ...)
    this.nonFinite = nonFinite;
    this.issues = [];
    this.fatal = null;
    this.open = []; // the objects and arrays being written, for cycles
    this.openPaths = [];
  }

  subject(path) {
    return path || `the ${this.what}`;
  }

  stop(path, message) {
    this.fatal = issue(path, 'invalid_json', `${message}, which JSON cannot express`);
    return undefined;
  }

  // The JSON of `value` (member `key` of its holder, at `path`); undefined to leave it out.
  write(value, key, path, depth, inArray) {
    let v = value;
    if (v !== null && (typeof v === 'object' || typeof v === 'bigint') && typeof v.toJSON === 'function') v = v.toJSON(key);
    if (v instanceof Number) v = Number(v);
    else if (v instanceof String) v = String(v);
    else if (v instanceof Boolean) v = v.valueOf();
    switch (typeof v) {
      case 'string':
        return JSON.stringify(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'number':
        if (v - v === 0) return JSON.stringify(v);
        if (this.nonFinite === 'null') {
          this.issues.push(issue(path, 'not_finite', `${this.subject(path)} is ${v}, which JSON cannot express (JSON.stringify would send null); give a finite number`));
          return 'null';
        }
        return '1e999'; // the engine reads it as a number that is not finite, and says so
      case 'undefined':
        if (!inArray) return undefined; // an undefined member is absent, as in JSON.stringify
        if (this.nonFinite === 'null') {
          this.issues.push(issue(path, 'type', `${this.subject(path)} is undefined, which a JSON array cannot hold (JSON.stringify would send null); remove it or give a value`));
        }
        return 'null';
      case 'object':
        return v === null ? 'null' : this.container(v, path, depth);
      default:
        return this.stop(path, `${this.subject(path)} is ${describe(v)}`);
    }
  }

  container(v, path, depth) {
    const seen = this.open.indexOf(v);
    if (seen >= 0) return this.stop(path, `${this.subject(path)} refers back to ${this.subject(this.openPaths[seen])} (a cycle)`);
    if (depth > WALK_DEPTH) {
      // Deeper than the engine reads: its own text is as good (the engine refuses the depth).
      try {
        return JSON.stringify(v);
      } catch (err) {
        return this.stop(path, `${this.subject(path)} holds a value JSON cannot express (${err.message})`);
      }
    }
    this.open.push(v);
    this.openPaths.push(path);
    let out;
    if (Array.isArray(v)) {
      const parts = new Array(v.length);
      for (let i = 0; i < v.length && !this.fatal; i++) parts[i] = this.write(v[i], String(i), `${path}[${i}]`, depth + 1, true);
      out = `[${parts.join(',')}]`;
    } else {
      const parts = [];
      for (const k of Object.keys(v)) {
        const text = this.write(v[k], k, pathKey(path, k), depth + 1, false);
        if (this.fatal) break;
        if (text !== undefined) parts.push(`${JSON.stringify(k)}:${text}`);
      }
      out = `{${parts.join(',')}}`;
    }
    this.open.pop();
    this.openPaths.pop();
    return this.fatal ? undefined : out;
  }
}

/**
 * The JSON text of `value` for the engine, exactly what JSON.stringify writes whenever that
 * is faithful (and as fast). Returns `{text, issues}`: `text` is undefined when JSON has
 * nothing for the value (undefined); `issues` lists every value JSON.stringify would have
 * changed without a word, at its field (`field` is the root's): a NaN or ±Infinity
 * (`not_finite`) and undefined in an array (`type`). With `nonFinite: '1e999'` non-finite
 * numbers are written as 1e999 instead (the criteria read it as a number that is not finite
 * and report it) and undefined in an array as null (no answer), neither an issue.
 * Throws a TypeError (code `invalid_json`) naming the field of a value JSON cannot express
 * at all: a BigInt, a function, a symbol, a cycle.
 */
export function jsonText(value, { what = 'value', field = '', nonFinite = 'null' } = {}) {
  if (plain(value, 0)) {
    try {
      return { text: JSON.stringify(value), issues: NO_ISSUES };
    } catch {
      // a cycle below the depth the check walks: the writer names it
    }
  }
  const w = new Writer(what, field, nonFinite);
  const text = w.write(value, '', field, 0, false);
  if (w.fatal) {
    const message = `The ${what} cannot be serialised to JSON: ${w.fatal.message}`;
    throw argumentError(message, [w.fatal]);
  }
  return { text, issues: w.issues };
}

/**
 * `{text}` as JSON.stringify writes it (NaN as null), or `{error}` (a TypeError naming the
 * value) for a value JSON cannot express; for callers that report it their own way.
 */
export function serialise(value) {
  try {
    return { text: jsonText(value).text };
  } catch (error) {
    return { error: new TypeError(error.issues[0].message) };
  }
}

/** A byte limit of UTF-8 text for messages: `1 MiB (1,048,576 bytes of UTF-8)`. */
export function sizeText(bytes) {
  return `${Math.round((bytes / 1048576) * 10) / 10} MiB (${bytes.toLocaleString('en-US')} bytes of UTF-8)`;
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
