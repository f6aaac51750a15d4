// The engine object: a thin, allocation-conscious layer over the engine's entry points.
// What crosses the boundary and why is in docs/boundary.md; the crossing itself, the JSON
// serialiser and the error convention are js/boundary.js.

import { Boundary, argumentError, entryPoints, internalError, issue, jsonText, sizeText } from './boundary.js';
import { addCriteria } from './criteria.js';
import { addMatcher } from './matcher.js';

/** Bodies larger than this never enter the engine (1 MiB of UTF-8). */
export const MAX_BODY_BYTES = 1 << 20;
/** Arrays/objects nested deeper than this are rejected (`too_deep`). */
export const MAX_DEPTH = 64;

function tooLarge(what, limit) {
  return {
    field: what === 'context' ? 'context' : '',
    code: what === 'context' ? 'invalid_context' : 'too_large',
    message: `The ${what} is larger than ${sizeText(limit)}, the most the engine accepts.`,
  };
}

// Issues about values JSON cannot carry come first, then the engine's, except the engine's
// on those same fields (it saw null there, which the caller did not write).
function withValueIssues(valueIssues, engineIssues) {
  const fields = valueIssues.map((i) => i.field);
  const under = (f) => fields.some((v) => f === v || (f.startsWith(v) && (f[v.length] === '.' || f[v.length] === '[')));
  return valueIssues.concat(engineIssues.filter((i) => !under(i.field)));
}

/**
 * Wraps an instantiated module. Exported for the entry points (Node and browser differ
 * only in how the .wasm bytes are found); users call loadEngine().
 */
export function createEngine(instance) {
  const module = entryPoints(instance);
  const boundary = new Boundary(module);
  const { limits } = boundary;
  // The exported constants are static (they exist before the engine loads); the engine's
  // own limits are the one source, so a wrapper built against another engine fails here.
  if (limits.maxBodyBytes !== MAX_BODY_BYTES || limits.maxDepth !== MAX_DEPTH) {
    throw internalError(`the wrapper expects ${MAX_BODY_BYTES} bytes and depth ${MAX_DEPTH}, the engine has ${limits.maxBodyBytes} and ${limits.maxDepth}`);
  }
  module.kinds();
  const kinds = Object.freeze(boundary.json());
  const kindIndex = new Map(kinds.map((k, i) => [k, i]));
  const schemaCache = new Map();

  // Writes `text` as UTF-8 into the input at byte `at`; returns the byte length, or -1
  // when it does not fit the limit.
  function put(text, at, limit) {
    if (text.length > limit) return -1; // UTF-8 is never shorter than UTF-16 code units
    const capacity = Math.min(text.length * 3, limit + 4);
    if (boundary.reserve(at + capacity) === 0) return -1;
    const written = boundary.encode(text, at, at + capacity);
    return written > limit ? -1 : written;
  }

  function unknownKind(kind) {
    const message = `Unknown validation kind ${JSON.stringify(String(kind))}; expected one of: ${kinds.join(', ')}`;
    return argumentError(message, [issue('kind', 'unknown_kind', message)]);
  }

  const engine = {
    /** Every validation kind, sorted. */
    kinds() {
      return kinds;
    },

    /**
     * The draft-07 JSON Schema of a body or query kind (a fresh copy), or null for
     * body-less kinds.
     */
    schema(kind) {
      const index = kindIndex.get(kind);
      if (index === undefined) throw unknownKind(kind);
      if (!schemaCache.has(kind)) {
        module.schemaText(index);
        const text = boundary.text();
        schemaCache.set(kind, text ? text : null);
      }
      const text = schemaCache.get(kind);
      return text ? JSON.parse(text) : null;
    },

    /**
     * Validates one request before it is sent.
     * @param kind    a validation kind (engine.kinds())
     * @param body    the body or query: a value (serialised with JSON.stringify) or the
     *                exact JSON text to send; undefined/null for body-less kinds
     * @param context optional {params, type, types, template} (docs/validation.md)
     * @returns {{valid: boolean, issues: Array<{field, code, message}>, json: string|undefined}}
     *          `json` is the exact text that was validated, to be sent as is.
     */
    validate(kind, body, context) {
      const index = kindIndex.get(kind);
      if (index === undefined) throw unknownKind(kind);
      let json;
      let valueIssues = [];
      if (body !== undefined && body !== null) {
        if (typeof body === 'string') json = body;
        else ({ text: json, issues: valueIssues } = jsonText(body, { what: 'body' }));
      }
      // The input holds the context's bytes, then the body's.
      let contextLength = 0;
      if (context !== undefined && context !== null) {
        let text = context;
        if (typeof context !== 'string') {
          const s = jsonText(context, { what: 'context', field: 'context' });
          text = s.text;
          if (s.issues.length) valueIssues = valueIssues.concat(s.issues.map((i) => ({ ...i, code: 'invalid_context' })));
        }
        contextLength = put(text, 0, limits.maxContextBytes);
        if (contextLength < 0) return { valid: false, issues: [tooLarge('context', limits.maxContextBytes)], json };
      }
      let bodyLength = 0;
      if (json !== undefined) {
        bodyLength = put(json, contextLength, MAX_BODY_BYTES);
        if (bodyLength < 0) return { valid: false, issues: [tooLarge('body', MAX_BODY_BYTES)], json };
        if (bodyLength === 0) json = '';
      }
      const count = module.validate(index, contextLength, bodyLength);
      boundary.settle();
      if (count < 0) throw internalError('validate returned ' + count);
      const issues = count === 0 ? [] : boundary.json();
      // A body JSON.stringify would have changed is never valid, and its text is not sent.
      if (valueIssues.length) return { valid: false, issues: withValueIssues(valueIssues, issues), json: undefined };
      return count === 0 ? { valid: true, issues, json } : { valid: false, issues, json };
    },

    /**
     * Cumulative work the engine has done since it loaded ({schemaSteps, schemaNodes, schemaCompileWork,
     * patternBytes, matcherSteps, criteriaRangeSteps, criteriaListSteps}): tests and benchmarks prove
     * that hostile input stays cheap with these instead of timing it.
     */
    workCounters() {
      module.workCounters();
      return boundary.json();
    },
  };
  addCriteria(engine, module, boundary); // checkCriteria, evaluate, compileCriteria, evaluateMany, fitScore (js/criteria.js)
  addMatcher(engine, module, boundary); // compileMatcher -> match, matchMany, close (js/matcher.js)
  return engine;
}
