// Qualification criteria on the engine object: checkCriteria, evaluate, evaluateMany,
// fitScore. The rules live in C++ (wasm/include/signalkit/criteria.h); this layer only
// serialises once per call and shapes the results. What crosses and why: one JSON string
// per argument; a numeric batch crosses as one Float64Array copy into the wasm heap and
// comes back as one Uint8Array of codes (no per-answer objects).

/** Qualifications, worst to best; a batch code's low 3 bits index this array. */
export const QUALIFICATIONS = Object.freeze(['disqualified', 'poor', 'neutral', 'good', 'excellent']);
/** Batch code bit: a range, boolean key or list choice matched. */
export const CODE_MATCHED = 0x08;
/** Batch code: no answer (null, undefined, missing or blank). */
export const CODE_NO_ANSWER = 0xfe;
/** Batch code: an error (unparseable answer, NaN, ±Infinity, invalid answer or template). */
export const CODE_ERROR = 0xff;

const NON_FINITE = '\u0000signalkit:non-finite';
const NON_FINITE_JSON = JSON.stringify(NON_FINITE);

function nonFiniteReplacer(key, value) {
  return typeof value === 'number' && !Number.isFinite(value) ? NON_FINITE : value;
}

// JSON text for the engine. NaN and ±Infinity would silently become null in
// JSON.stringify (null means "no answer" or "unbounded" here), so they are sent as
// 1e999, which the engine reads as a non-finite number and reports.
function toJson(value, what) {
  let text;
  try {
    // A replacer makes JSON.stringify several times slower; only values that hold a
    // non-finite number need it.
    text = hasNonFiniteDeep(value, 0) ? JSON.stringify(value, nonFiniteReplacer) : JSON.stringify(value);
  } catch (err) {
    throw new TypeError(`The ${what} cannot be serialised to JSON: ${err.message}`);
  }
  if (text === undefined) return '';
  return text.includes(NON_FINITE_JSON) ? text.split(NON_FINITE_JSON).join('1e999') : text;
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

function optionsJson(options) {
  if (options === undefined || options === null) return '';
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`criteria options must be an object, not ${Array.isArray(options) ? 'an array' : typeof options}`);
  }
  return toJson(options, 'options');
}

function optionsError(issues) {
  const err = new TypeError(issues.map((i) => i.message).join('; '));
  err.issues = issues;
  return err;
}

function hasNonFinite(array) {
  for (let i = 0; i < array.length; i++) {
    const v = array[i];
    if (typeof v === 'number' && !Number.isFinite(v)) return true;
  }
  return false;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// The answers as one NUL-separated text when every answer is a string without NUL, null
// or undefined (both become "", which the engine reads as no answer); else undefined.
function joinTexts(answers) {
  for (let i = 0; i < answers.length; i++) {
    const a = answers[i];
    if (a === null || a === undefined) continue;
    if (typeof a !== 'string' || a.includes('\u0000')) return undefined;
  }
  return answers.join('\u0000');
}

function allNumbers(array) {
  for (let i = 0; i < array.length; i++) if (typeof array[i] !== 'number') return false;
  return true;
}

/**
 * The result of evaluateMany: one code per answer, decoded on demand.
 * `codes[i]` is 0–4 (the index into QUALIFICATIONS) plus CODE_MATCHED when matched, or
 * CODE_NO_ANSWER / CODE_ERROR. `values[i]` is the parsed number (1/0 for booleans, the
 * number of matched choices for lists, NaN otherwise). `get(i)` gives the full result
 * of evaluate() for answer i (one more crossing, for detail such as the reason).
 */
export class CriteriaBatch {
  constructor(codes, values, error, evaluateOne) {
    /** @type {Uint8Array} */
    this.codes = codes;
    /** @type {Float64Array} */
    this.values = values;
    /** The template/options error when the whole batch could not be evaluated, else null. */
    this.error = error;
    this._evaluateOne = evaluateOne;
  }

  get length() {
    return this.codes.length;
  }

  /** 'disqualified' … 'excellent', or null for no answer or an error. */
  qualification(i) {
    const c = this.codes[i];
    return c >= CODE_NO_ANSWER || c === undefined ? null : QUALIFICATIONS[c & 7];
  }

  matched(i) {
    const c = this.codes[i];
    return c < CODE_NO_ANSWER && (c & CODE_MATCHED) !== 0;
  }

  isError(i) {
    return this.codes[i] === CODE_ERROR;
  }

  isUnanswered(i) {
    return this.codes[i] === CODE_NO_ANSWER;
  }

  /** The full evaluate() result for answer i. */
  get(i) {
    if (!(i >= 0 && i < this.codes.length)) throw new RangeError(`index ${i} is outside 0..${this.codes.length - 1}`);
    if (this.error) return { ...this.error };
    return this._evaluateOne(i);
  }

  /** Every qualification (null for no answer / error), as an array. */
  qualifications() {
    const out = new Array(this.codes.length);
    for (let i = 0; i < out.length; i++) out[i] = this.qualification(i);
    return out;
  }

  /** Counts per qualification plus matched, unmatched, unanswered and errors. */
  counts() {
    const n = new Uint32Array(256);
    const codes = this.codes;
    for (let i = 0; i < codes.length; i++) n[codes[i]]++;
    const out = { disqualified: 0, poor: 0, neutral: 0, good: 0, excellent: 0, matched: 0, unmatched: 0, unanswered: n[CODE_NO_ANSWER], errors: n[CODE_ERROR] };
    for (let q = 0; q < 5; q++) {
      out[QUALIFICATIONS[q]] = n[q] + n[q | CODE_MATCHED];
      out.matched += n[q | CODE_MATCHED];
      out.unmatched += n[q];
    }
    return out;
  }

  *[Symbol.iterator]() {
    for (let i = 0; i < this.codes.length; i++) yield this.qualification(i);
  }
}

/** Adds checkCriteria, evaluate, evaluateMany and fitScore to `engine`. */
export function addCriteria(engine, module) {
  // One call with up to three text arguments, written as UTF-8 into one engine-owned
  // buffer (TextEncoder is far faster than embind's per-character string conversion).
  let input = new Uint8Array(0);
  function call(op, a, b, c) {
    const capacity = (a.length + b.length + c.length) * 3;
    // The view stays valid until the buffer grows or the wasm memory grows (which
    // detaches it: byteLength 0); asking for a new one costs a crossing.
    if (input.length < capacity || input.byteLength === 0) {
      input = module.criteriaInputBuffer(Math.max(capacity, 4096));
      if (input.length < capacity) throw new RangeError('the arguments are larger than the 256 MiB the engine accepts');
    }
    const buffer = input;
    const la = encoder.encodeInto(a, buffer).written;
    const lb = encoder.encodeInto(b, buffer.subarray(la)).written;
    const lc = encoder.encodeInto(c, buffer.subarray(la + lb)).written;
    const view = module.criteriaCall(op, la, lb, lc);
    if (view.length === 0) throw new Error('signalkit engine: internal error (criteriaCall)');
    return JSON.parse(decoder.decode(view));
  }

  function evaluateText(templateJson, answer, opts) {
    const answerJson = answer === undefined ? '' : toJson(answer, 'answer');
    const result = call(1, templateJson, answerJson, opts);
    if (result.code === 'invalid_options') throw optionsError(result.issues ?? []);
    return result;
  }

  Object.assign(engine, {
    /**
     * Checks qualification criteria for an answer type, as template create/update does.
     * @param {string} answerType  'number', 'percentage', 'currency', 'boolean', 'list', …
     * @param {object|string|null|undefined} criteria  the qualificationCriteria value, or
     *        its exact JSON text; null/undefined mean "absent" (valid)
     * @param {object} [options]  { allowOverlaps, percentageBounds } (README)
     * @returns {{valid: boolean, issues: Array<{field, code, message}>}}
     * @example engine.checkCriteria('number', { ranges: [{ rangeStart: 10, rangeEnd: 5, answerQualification: 'good' }] })
     *   // → { valid: false, issues: [{ field: 'qualificationCriteria.ranges[0].rangeEnd', code: 'range_order', … }] }
     */
    checkCriteria(answerType, criteria, options) {
      const text = typeof criteria === 'string' ? criteria : criteria == null ? '' : toJson(criteria, 'criteria');
      const result = call(0, String(answerType), text, optionsJson(options));
      const bad = result.issues.filter((i) => i.code === 'invalid_option');
      if (bad.length) throw optionsError(bad);
      return result;
    },

    /**
     * Evaluates one research answer against a template's qualification criteria.
     * @param {object} template  { answerType, qualificationCriteria, outputSchema?, weight? }
     * @param {*} answer  text as research returns it ("1.2k", "45%", "$3M", "Yes",
     *        "HubSpot, Salesforce"), a number, boolean, array, or a JSON value
     *        (json_schema); null/undefined/blank = no answer
     * @param {object} [options]  the criteria options (README)
     * @returns {{qualification: string|null, matched: boolean, value: *, currency?: string,
     *   matchedRange?: {index, rangeStart, rangeEnd}, matchedChoices?: string[],
     *   code?: string, reason?: string, issues?: Array}}
     * @example engine.evaluate(template, '~1.2k')  // → { qualification: 'good', matched: true, value: 1200, … }
     */
    evaluate(template, answer, options) {
      return evaluateText(toJson(template, 'template'), answer, optionsJson(options));
    },

    /**
     * Evaluates many answers against one template in one crossing.
     * @param {object} template
     * @param {Float64Array|number[]|Array<*>} answers  a Float64Array (or any typed array,
     *        or an array of numbers) takes the numeric fast path; other arrays are sent as
     *        one JSON text and parsed like evaluate()'s answers
     * @param {object} [options]  the criteria options, plus `out` (a Uint8Array of at least
     *        answers.length to write the codes into) and `outValues` (a Float64Array, for
     *        text answers), so a loop of batches reuses its memory
     * @returns {CriteriaBatch}
     */
    evaluateMany(template, answers, options) {
      const templateJson = toJson(template, 'template');
      let out;
      let outValues;
      if (options && (options.out !== undefined || options.outValues !== undefined)) {
        ({ out, outValues, ...options } = options);
      }
      const opts = optionsJson(options);
      const numeric = (ArrayBuffer.isView(answers) && !(answers instanceof DataView)) || (Array.isArray(answers) && allNumbers(answers));
      if (!numeric && !Array.isArray(answers)) throw new TypeError('evaluateMany takes an array or a typed array of answers');
      const n = answers.length;
      if (out !== undefined && !(out instanceof Uint8Array && out.length >= n)) throw new TypeError(`options.out must be a Uint8Array of at least ${n} elements`);
      if (outValues !== undefined && !(outValues instanceof Float64Array && outValues.length >= n)) throw new TypeError(`options.outValues must be a Float64Array of at least ${n} elements`);
      let error = '';
      let joined;
      if (numeric) {
        const buffer = module.criteriaNumberBuffer(n);
        if (buffer.length !== n) throw new RangeError(`evaluateMany takes at most 2^28 answers, not ${n}`);
        buffer.set(answers);
        error = module.criteriaEvaluateNumbers(templateJson, opts, n);
      } else if ((joined = joinTexts(answers)) !== undefined) {
        // Strings (and missing answers) cross as one NUL-separated UTF-8 text: no JSON.
        const capacity = joined.length * 3;
        const buffer = module.criteriaTextBuffer(capacity);
        if (buffer.length !== capacity) throw new RangeError('the answers are larger than the 256 MiB a batch may hold');
        const { written } = encoder.encodeInto(joined, buffer);
        error = module.criteriaEvaluateTexts(templateJson, opts, written, n);
      } else {
        const text = hasNonFinite(answers) ? toJson(answers, 'answers') : JSON.stringify(answers);
        error = module.criteriaEvaluateAnswers(templateJson, text, opts);
      }
      if (error) {
        const result = JSON.parse(error);
        if (result.code === 'invalid_options') throw optionsError(result.issues ?? []);
        if (result.code === 'invalid_batch') throw new RangeError(result.reason);
        const codes = (out ? out.subarray(0, n) : new Uint8Array(n)).fill(CODE_ERROR);
        const values = (outValues ? outValues.subarray(0, n) : new Float64Array(n)).fill(NaN);
        return new CriteriaBatch(codes, values, result, null);
      }
      // Copies out of the engine's buffers, which the next call reuses. Writing into
      // caller-owned arrays (options.out / outValues) spares allocating fresh memory on
      // every batch, which dominates on machines where page faults are slow.
      const codes = out ? out.subarray(0, n) : new Uint8Array(n);
      codes.set(module.criteriaCodes());
      let values;
      if (numeric) {
        values = answers instanceof Float64Array ? answers : Float64Array.from(answers);
      } else {
        values = outValues ? outValues.subarray(0, n) : new Float64Array(n);
        values.set(module.criteriaValues());
      }
      return new CriteriaBatch(codes, values, null, (i) => evaluateText(templateJson, answers[i], opts));
    },

    /**
     * The fit score of one company over many templates (SPEC §2).
     * @param {Array<{template: object, answer: *}>} items
     * @param {object} [options]  { weights, points, veto, defaultWeight, … } (README)
     * @returns {{score: number|null, disqualified: boolean, disqualifiedBy: Array,
     *   parts: Array, unanswered: Array, errors: Array, totalWeight: number}}
     */
    fitScore(items, options) {
      if (!Array.isArray(items)) throw new TypeError('fitScore takes an array of {template, answer}');
      const result = call(2, toJson(items, 'items'), optionsJson(options), '');
      if (result.error) {
        if (result.error.code === 'invalid_options') throw optionsError(result.error.issues);
        const err = new RangeError(result.error.message);
        err.code = result.error.code;
        throw err;
      }
      return result;
    },
  });
  return engine;
}
