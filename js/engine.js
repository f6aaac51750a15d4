// The engine object: a thin, allocation-conscious layer over the engine's entry points.
// What crosses the boundary and why is in docs/boundary.md; the crossing itself, the JSON
// serialiser and the error convention are js/boundary.js.

import { Boundary, argumentError, entryPoints, internalError, issue, serialise } from './boundary.js';
import { addCriteria } from './criteria.js';
import { addMatcher } from './matcher.js';

/** Bodies larger than this never enter the engine (1 MiB of UTF-8). */
export const MAX_BODY_BYTES = 1 << 20;
/** Arrays/objects nested deeper than this are rejected (`too_deep`). */
export const MAX_DEPTH = 64;

function tooLarge(what) {
  return {
    field: what === 'context' ? 'context' : '',
    code: what === 'context' ? 'invalid_context' : 'too_large',
    message: `The ${what} is larger than 1 MiB (1,048,576 bytes of UTF-8), the most the engine accepts.`,
  };
}

// The problem with a value JSON cannot express, for an issue's message.
function unserialisable(what, value, s) {
  return s.error
    ? `The ${what} cannot be serialised to JSON: ${s.error.message}`
    : `The ${what} cannot be expressed as JSON (it is ${typeof value}).`;
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
    const { read, written } = boundary.encode(text, at, at + capacity);
    if (read < text.length || written > limit) return -1;
    return written;
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
      if (body !== undefined && body !== null) {
        if (typeof body === 'string') json = body;
        else {
          const s = serialise(body);
          if (s.text === undefined) return { valid: false, issues: [issue('', 'invalid_json', unserialisable('body', body, s))], json: undefined };
          json = s.text;
        }
      }
      // The input holds the context's bytes, then the body's.
      let contextLength = 0;
      if (context !== undefined && context !== null) {
        const s = typeof context === 'string' ? { text: context } : serialise(context);
        if (s.text === undefined) return { valid: false, issues: [issue('context', 'invalid_context', unserialisable('context', context, s))], json };
        contextLength = put(s.text, 0, limits.maxContextBytes);
        if (contextLength < 0) return { valid: false, issues: [tooLarge('context')], json };
      }
      let bodyLength = 0;
      if (json !== undefined) {
        bodyLength = put(json, contextLength, MAX_BODY_BYTES);
        if (bodyLength < 0) return { valid: false, issues: [tooLarge('body')], json };
        if (bodyLength === 0) json = '';
      }
      const count = module.validate(index, contextLength, bodyLength);
      if (count === 0) return { valid: true, issues: [], json };
      if (count < 0) throw internalError('validate returned ' + count);
      return { valid: false, issues: boundary.json(), json };
    },

    /**
     * Cumulative work the engine has done since it loaded ({schemaSteps, schemaNodes, schemaCompileWork,
     * patternBytes, matcherSteps, criteriaRangeSteps}): tests and benchmarks prove
     * that hostile input stays cheap with these instead of timing it.
     */
    workCounters() {
      module.workCounters();
      return boundary.json();
    },
  };
  addCriteria(engine, module, boundary); // checkCriteria, evaluate, evaluateMany, fitScore (js/criteria.js)
  addMatcher(engine, module, boundary); // compileMatcher -> match, matchMany, close (js/matcher.js)
  return engine;
}
