// Qualification criteria on the engine object: checkCriteria, evaluate, evaluateMany,
// compileCriteria, fitScore. The rules live in C++ (wasm/include/signalkit/criteria.h);
// this layer only serialises once per call and shapes the results. What crosses and why:
// one JSON text per argument; a numeric batch crosses as one Float64Array copy into the
// wasm heap and comes back as one Uint8Array of codes (no per-answer objects); compiled
// criteria stay in the engine and send only the answer, their common results coming back
// as a fixed binary record.

import { argumentError, closedError, internalError, issue, jsonText, limitError, sizeText } from './boundary.js';
// Qualifications, worst to best (the vendor's vocabulary); a batch code's low 3 bits index it.
import { QUALIFICATIONS } from './vendors/saber.js';

export { QUALIFICATIONS };
/** Batch code bit: a range, boolean key or list choice matched. */
export const CODE_MATCHED = 0x08;
/** Batch code: no answer (null, undefined, missing or blank). */
export const CODE_NO_ANSWER = 0xfe;
/** Batch code: an error (unparseable answer, NaN, ±Infinity, invalid answer or template). */
export const CODE_ERROR = 0xff;

// JSON text for the engine: NaN and ±Infinity cross as 1e999, which the engine reads as a
// number that is not finite and reports; a value JSON cannot express is a TypeError naming
// its field (js/boundary.js, jsonText).
function toJson(value, what) {
  return jsonText(value, { what, field: what, nonFinite: '1e999' }).text ?? '';
}

function optionsJson(options) {
  if (options === undefined || options === null) return '';
  if (typeof options !== 'object' || Array.isArray(options)) {
    const message = `criteria options must be an object, not ${Array.isArray(options) ? 'an array' : typeof options}`;
    throw argumentError(message, [issue('options', 'type', message)]);
  }
  return toJson(options, 'options');
}

// Bad options are the engine's `invalid_option` issues, thrown as one TypeError.
function optionsError(issues) {
  return argumentError(issues.map((i) => i.message).join('; '), issues);
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
    if (!(i >= 0 && i < this.codes.length)) {
      const message = `index ${i} is outside 0..${this.codes.length - 1}`;
      throw limitError(message, [issue('index', 'out_of_range', message)]);
    }
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

// Frees the engine's copy of compiled criteria that were forgotten without close().
const finalizer = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ module, handle }) => module.criteriaRelease(handle))
  : null;

/**
 * A template's qualification criteria compiled once (engine.compileCriteria): `evaluate`
 * sends only the answer and gives exactly what engine.evaluate(template, answer, options)
 * gives. The compiled form lives in WebAssembly memory: call close() (or `using`) when
 * done; one that is forgotten is freed when it is garbage-collected. Later changes to the
 * template object do not reach it (it is a snapshot): compile again after a change.
 */
export class CompiledCriteria {
  #handle; // > 0 while open; 0 for a template that cannot be evaluated (nothing to free)
  #closed = false;
  #errorText; // that template's error result, as JSON text
  #run;
  #module;

  constructor(module, handle, errorText, run) {
    this.#module = module;
    this.#handle = handle;
    this.#errorText = errorText;
    this.#run = run;
    if (handle > 0) finalizer?.register(this, { module, handle }, this);
  }

  /**
   * Evaluates one research answer against these criteria: the same result (and the same
   * errors) as engine.evaluate(template, answer, options).
   */
  evaluate(answer) {
    if (this.#closed) throw closedError('signalkit: these compiled criteria are closed; compile them again with engine.compileCriteria()');
    return this.#run(this.#handle, answer, this.#errorText);
  }

  /**
   * The evaluate() result every answer gets when the template cannot be evaluated (its
   * code is invalid_template or invalid_criteria, with issues); null for usable criteria.
   */
  get error() {
    return this.#errorText === null ? null : JSON.parse(this.#errorText);
  }

  /** True once close() has been called. */
  get closed() {
    return this.#closed;
  }

  /** Frees the compiled criteria in the engine. Idempotent. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#handle > 0) {
      this.#module.criteriaRelease(this.#handle);
      finalizer?.unregister(this);
      this.#handle = 0;
    }
  }

  /** `using c = engine.compileCriteria(...)` closes it at the end of the block. */
  [Symbol.dispose ?? Symbol.for('Symbol.dispose')]() {
    this.close();
  }
}

// The record wasm/bindings.cpp's sk_criteria_run() fills (EvaluationRecord): int32 fields
// at these indexes from its address, then three float64 (RECORD_NUMBER…) after 48 bytes.
const RECORD_QUALIFICATION = 0;
const RECORD_MATCHED = 1;
const RECORD_VALUE_KIND = 2; // 0 null, 1 number, 2 false, 3 true
const RECORD_RANGE_INDEX = 3;
const RECORD_RANGE_NULLS = 4;
const RECORD_CURRENCY = 5; // size, then address
const RECORD_CODE = 7;
const RECORD_REASON = 9;
const RECORD_NUMBER = 6; // float64 indexes: number, rangeStart, rangeEnd
const RECORD_RANGE_START = 7;
const RECORD_RANGE_END = 8;

// A number as the engine's JSON writes it and JSON.parse reads it back: -0 as 0, a number
// that is not finite as null.
const jsonNumber = (x) => (x - x === 0 ? x + 0 : null);

/** Adds checkCriteria, evaluate, evaluateMany, compileCriteria and fitScore to `engine`. */
export function addCriteria(engine, module, boundary) {
  const { maxBodyBytes, maxAnswerBytes, maxBatchBytes, maxBatchCount } = boundary.limits;
  // What each argument may take (signalkit/limits.h): templates, criteria and options are
  // request bodies; one answer, a batch of answers and fit-score items have limits of their own.
  const LIMITS = {
    answerType: maxBodyBytes, criteria: maxBodyBytes, template: maxBodyBytes, options: maxBodyBytes,
    answer: maxAnswerBytes, answers: maxBatchBytes, items: maxBatchBytes,
  };

  const PLURAL = new Set(['criteria', 'options', 'answers', 'items']);

  // Writes a call's text arguments (named as in LIMITS) into the engine's input; their
  // byte lengths. An argument over its limit is a RangeError before anything is copied.
  function write(names, texts) {
    const lengths = boundary.writeTexts(texts, names.map((n) => LIMITS[n]));
    if (lengths) return lengths;
    throw tooLarge(names[boundary.overLimit]);
  }

  function tooLarge(name) {
    const message = `The ${name} ${PLURAL.has(name) ? 'are' : 'is'} larger than ${sizeText(LIMITS[name])}, the most the engine takes in one call`;
    return limitError(message, [issue(name, 'too_large', message)]);
  }

  // One of the single calls (check, evaluate, fit score): its result, parsed.
  function call(entry, name, names, texts) {
    const status = entry(...write(names, texts));
    boundary.settle();
    if (status < 0) throw internalError(name);
    return boundary.json();
  }

  // A batch call: null when codes()/values() hold the results, else the error result.
  function batch(status, name) {
    boundary.settle();
    if (status < 0) throw internalError(name);
    return status === 0 ? null : boundary.json();
  }

  // Writes the template, the options and text answers (NUL-separated; null and undefined
  // become "", which the engine reads as no answer) into the input; their byte lengths, or
  // null when the answers are not all strings or missing (or one holds a NUL): those cross
  // as one JSON text instead.
  function writeTextAnswers(templateJson, opts, answers) {
    const [lt, lo] = write(['template', 'options'], [templateJson, opts]);
    const la = boundary.writeSeparated(answers, lt + lo, LIMITS.answers);
    if (la === -2) throw tooLarge('answers');
    return la < 0 ? null : [lt, lo, la];
  }

  function evaluateText(templateJson, answer, opts) {
    const answerJson = answer === undefined ? '' : toJson(answer, 'answer');
    const result = call(module.criteriaEvaluate, 'criteriaEvaluate', ['template', 'answer', 'options'], [templateJson, answerJson, opts]);
    if (result.code === 'invalid_options') throw optionsError(result.issues ?? []);
    return result;
  }

  // The JSON of one answer ('' for undefined: no answer). A string is what jsonText would
  // write for it (JSON.stringify never changes a string); anything else goes through it.
  function answerText(answer) {
    if (typeof answer === 'string') return JSON.stringify(answer);
    return answer === undefined ? '' : toJson(answer, 'answer');
  }

  let record = 0; // the address of sk_criteria_run()'s record, fixed for the instance
  const codeNames = new Map(); // static code-name strings by address

  // CompiledCriteria.evaluate: one crossing with the answer; the result from the record, or
  // from JSON for the rarer results a record cannot hold (lists, raw answers, issues).
  function runCompiled(handle, answer, errorText) {
    const [length] = write(['answer'], [answerText(answer)]); // its errors come first, as in evaluate()
    if (handle === 0) return JSON.parse(errorText);
    const status = module.criteriaRun(handle, length);
    boundary.settle();
    if (status < 0) throw internalError('criteriaRun');
    if (status > 0) return boundary.json();
    if (record === 0) record = module.criteriaRecord();
    const i32 = module.HEAP32;
    const f64 = module.HEAPF64;
    const at = record >>> 2;
    const fat = record >>> 3;
    const q = i32[at + RECORD_QUALIFICATION];
    const kind = i32[at + RECORD_VALUE_KIND];
    // Members in the order of the engine's JSON (evaluation_to_json), so that the two paths
    // give the same object, key order included.
    const result = {
      qualification: q < 0 ? null : QUALIFICATIONS[q],
      matched: i32[at + RECORD_MATCHED] === 1,
      value: kind === 1 ? jsonNumber(f64[fat + RECORD_NUMBER]) : kind === 0 ? null : kind === 3,
    };
    if (i32[at + RECORD_CURRENCY] !== 0) result.currency = boundary.string(i32[at + RECORD_CURRENCY + 1] >>> 0, i32[at + RECORD_CURRENCY]);
    const range = i32[at + RECORD_RANGE_INDEX];
    if (range >= 0) {
      const nulls = i32[at + RECORD_RANGE_NULLS];
      result.matchedRange = {
        index: range,
        rangeStart: nulls & 1 ? null : jsonNumber(f64[fat + RECORD_RANGE_START]),
        rangeEnd: nulls & 2 ? null : jsonNumber(f64[fat + RECORD_RANGE_END]),
      };
    }
    if (i32[at + RECORD_CODE] !== 0) {
      const address = i32[at + RECORD_CODE + 1] >>> 0;
      let name = codeNames.get(address);
      if (name === undefined) codeNames.set(address, (name = boundary.string(address, i32[at + RECORD_CODE])));
      result.code = name;
    }
    if (i32[at + RECORD_REASON] !== 0) result.reason = boundary.string(i32[at + RECORD_REASON + 1] >>> 0, i32[at + RECORD_REASON]);
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
      const result = call(module.criteriaCheck, 'criteriaCheck', ['answerType', 'criteria', 'options'], [String(answerType), text, optionsJson(options)]);
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
     * Compiles a template's qualification criteria once, for evaluating many answers one at
     * a time: the template does not cross again, and `evaluate(answer)` gives exactly what
     * evaluate(template, answer, options) gives. A template that cannot be evaluated still
     * compiles: its `error` is the result every answer gets. Close it when done.
     * @param {object} template  { answerType, qualificationCriteria, outputSchema?, weight? }
     * @param {object} [options]  the criteria options (README); bad ones throw a TypeError here
     * @returns {CompiledCriteria}
     * @example using employees = engine.compileCriteria(template); employees.evaluate('~1.2k')
     */
    compileCriteria(template, options) {
      const templateJson = toJson(template, 'template');
      const handle = module.criteriaCompile(...write(['template', 'options'], [templateJson, optionsJson(options)]));
      boundary.settle();
      if (handle < 0) throw internalError('criteriaCompile');
      if (handle > 0) return new CompiledCriteria(module, handle, null, runCompiled);
      const errorText = boundary.text();
      const error = JSON.parse(errorText);
      if (error.code === 'invalid_options') throw optionsError(error.issues ?? []);
      return new CompiledCriteria(module, 0, errorText, runCompiled);
    },

    /** Live compiled criteria and heap figures (for leak tests). */
    criteriaStats() {
      return { live: module.criteriaLiveCount(), heapBytes: module.HEAPU8.length, heapInUse: module.matcherHeapInUse() };
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
      if (answers instanceof BigInt64Array || answers instanceof BigUint64Array) {
        const message = `evaluateMany takes numbers; a ${answers.constructor.name} holds BigInts (convert it with Float64Array.from(answers, Number))`;
        throw argumentError(message, [issue('answers', 'type', message)]);
      }
      const numeric = (ArrayBuffer.isView(answers) && !(answers instanceof DataView)) || (Array.isArray(answers) && allNumbers(answers));
      if (!numeric && !Array.isArray(answers)) {
        const message = 'evaluateMany takes an array or a typed array of answers';
        throw argumentError(message, [issue('answers', 'type', message)]);
      }
      const n = answers.length;
      if (n > maxBatchCount) {
        const message = `evaluateMany takes at most ${maxBatchCount.toLocaleString('en-US')} answers in one call, not ${n.toLocaleString('en-US')}; split the batch`;
        throw limitError(message, [issue('answers', 'too_many', message)]);
      }
      if (out !== undefined && !(out instanceof Uint8Array && out.length >= n)) {
        const message = `options.out must be a Uint8Array of at least ${n} elements`;
        throw argumentError(message, [issue('options.out', 'type', message)]);
      }
      if (outValues !== undefined && !(outValues instanceof Float64Array && outValues.length >= n)) {
        const message = `options.outValues must be a Float64Array of at least ${n} elements`;
        throw argumentError(message, [issue('options.outValues', 'type', message)]);
      }
      let error;
      let texts;
      if (numeric) {
        const [lt, lo] = write(['template', 'options'], [templateJson, opts]);
        const address = module.criteriaNumberBuffer(n);
        if (n > 0) module.HEAPF64.set(answers, address >>> 3);
        error = batch(module.criteriaEvaluateNumbers(lt, lo, n), 'criteriaEvaluateNumbers');
      } else if ((texts = writeTextAnswers(templateJson, opts, answers))) {
        // Strings (and missing answers) cross as one NUL-separated UTF-8 text: no JSON.
        error = batch(module.criteriaEvaluateTexts(...texts, n), 'criteriaEvaluateTexts');
      } else {
        const [lt, la, lo] = write(['template', 'answers', 'options'], [templateJson, toJson(answers, 'answers'), opts]);
        error = batch(module.criteriaEvaluateAnswers(lt, la, lo), 'criteriaEvaluateAnswers');
      }
      if (error) {
        if (error.code === 'invalid_options') throw optionsError(error.issues ?? []);
        if (error.code === 'invalid_batch') throw limitError(error.reason, [issue('answers', 'invalid_batch', error.reason)]);
        const codes = (out ? out.subarray(0, n) : new Uint8Array(n)).fill(CODE_ERROR);
        const values = (outValues ? outValues.subarray(0, n) : new Float64Array(n)).fill(NaN);
        return new CriteriaBatch(codes, values, error, null);
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
     * The fit score of one company over many templates (README, "Fit score").
     * @param {Array<{template: object, answer: *}>} items
     * @param {object} [options]  { weights, points, veto, defaultWeight, … } (README)
     * @returns {{score: number|null, disqualified: boolean, disqualifiedBy: Array,
     *   parts: Array, unanswered: Array, errors: Array, totalWeight: number}}
     */
    fitScore(items, options) {
      if (!Array.isArray(items)) {
        const message = 'fitScore takes an array of {template, answer}';
        throw argumentError(message, [issue('items', 'type', message)]);
      }
      const result = call(module.criteriaFitScore, 'criteriaFitScore', ['items', 'options'], [toJson(items, 'items'), optionsJson(options)]);
      if (result.error) {
        if (result.error.code === 'invalid_options') throw optionsError(result.error.issues);
        const issues = result.error.issues.length ? result.error.issues : [issue('items', result.error.code, result.error.message)];
        const err = limitError(result.error.message, issues);
        err.code = result.error.code;
        throw err;
      }
      return result;
    },
  });
  return engine;
}
