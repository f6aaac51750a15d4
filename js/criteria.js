// Qualification criteria on the engine object: checkCriteria, evaluate, evaluateMany,
// fitScore. The rules live in C++ (wasm/include/signalkit/criteria.h); this layer only
// serialises once per call and shapes the results. What crosses and why: one JSON text
// per argument; a numeric batch crosses as one Float64Array copy into the wasm heap and
// comes back as one Uint8Array of codes (no per-answer objects).

import { argumentError, internalError, issue, jsonText, limitError, sizeText } from './boundary.js';
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

/** Adds checkCriteria, evaluate, evaluateMany and fitScore to `engine`. */
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
    const name = names[boundary.overLimit];
    const message = `The ${name} ${PLURAL.has(name) ? 'are' : 'is'} larger than ${sizeText(LIMITS[name])}, the most the engine takes in one call`;
    throw limitError(message, [issue(name, 'too_large', message)]);
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

  function evaluateText(templateJson, answer, opts) {
    const answerJson = answer === undefined ? '' : toJson(answer, 'answer');
    const result = call(module.criteriaEvaluate, 'criteriaEvaluate', ['template', 'answer', 'options'], [templateJson, answerJson, opts]);
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
      let joined;
      if (numeric) {
        const [lt, lo] = write(['template', 'options'], [templateJson, opts]);
        const address = module.criteriaNumberBuffer(n);
        if (n > 0) module.HEAPF64.set(answers, address >>> 3);
        error = batch(module.criteriaEvaluateNumbers(lt, lo, n), 'criteriaEvaluateNumbers');
      } else if ((joined = joinTexts(answers)) !== undefined) {
        // Strings (and missing answers) cross as one NUL-separated UTF-8 text: no JSON.
        const [lt, lo, la] = write(['template', 'options', 'answers'], [templateJson, opts, joined]);
        error = batch(module.criteriaEvaluateTexts(lt, lo, la, n), 'criteriaEvaluateTexts');
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
