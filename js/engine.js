// The engine object: a thin, allocation-conscious layer over the embind functions.
// What crosses the boundary and why is in docs/boundary.md.

import { addCriteria } from './criteria.js';
import { addMatcher } from './matcher.js';

/** Bodies and context larger than this never enter the engine (SPEC §4: 1 MiB). */
export const MAX_BODY_BYTES = 1 << 20;
/** Arrays/objects nested deeper than this are rejected (`too_deep`). */
export const MAX_DEPTH = 64;

const encoder = new TextEncoder();
const SLOT_BODY = 0;
const SLOT_CONTEXT = 1;

function tooLarge(what) {
  return {
    field: what === 'context' ? 'context' : '',
    code: what === 'context' ? 'invalid_context' : 'too_large',
    message: `The ${what} is larger than 1 MiB (1,048,576 bytes of UTF-8), the most the engine accepts.`,
  };
}

/**
 * Wraps an instantiated module. Exported for the entry points (Node and browser differ
 * only in how the .wasm bytes are found); users call loadEngine().
 */
export function createEngine(module) {
  const kinds = Object.freeze(JSON.parse(module.kinds()));
  const kindIndex = new Map(kinds.map((k, i) => [k, i]));
  const schemaCache = new Map();

  // Writes `text` as UTF-8 into an engine-owned slot; returns the byte length, or -1
  // when it does not fit the limit. The heap may grow inside inputBuffer(), so the
  // view is taken after the call.
  function put(slot, text, limit) {
    if (text.length > limit) return -1; // UTF-8 is never shorter than UTF-16 code units
    const capacity = Math.min(text.length * 3, limit + 4);
    const ptr = module.inputBuffer(slot, capacity);
    const { read, written } = encoder.encodeInto(text, module.HEAPU8.subarray(ptr, ptr + capacity));
    if (read < text.length || written > limit) return -1;
    return written;
  }

  function serialise(value, what) {
    try {
      const text = JSON.stringify(value);
      if (text === undefined) return { error: `The ${what} cannot be expressed as JSON (it is ${typeof value}).` };
      return { text };
    } catch (err) {
      return { error: `The ${what} cannot be serialised to JSON: ${err.message}` };
    }
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
      if (!kindIndex.has(kind)) throw new TypeError(unknownKind(kind));
      if (!schemaCache.has(kind)) {
        const text = module.schemaText(kind);
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
      if (index === undefined) throw new TypeError(unknownKind(kind));
      let json;
      if (body !== undefined && body !== null) {
        if (typeof body === 'string') json = body;
        else {
          const s = serialise(body, 'body');
          if (s.error) return { valid: false, issues: [{ field: '', code: 'invalid_json', message: s.error }], json: undefined };
          json = s.text;
        }
      }
      let contextLength = 0;
      if (context !== undefined && context !== null) {
        const s = typeof context === 'string' ? { text: context } : serialise(context, 'context');
        if (s.error) return { valid: false, issues: [{ field: 'context', code: 'invalid_context', message: s.error }], json };
        contextLength = put(SLOT_CONTEXT, s.text, 8 * MAX_BODY_BYTES);
        if (contextLength < 0) return { valid: false, issues: [tooLarge('context')], json };
      }
      let bodyLength = 0;
      if (json !== undefined) {
        bodyLength = put(SLOT_BODY, json, MAX_BODY_BYTES);
        if (bodyLength < 0) return { valid: false, issues: [tooLarge('body')], json };
        if (bodyLength === 0) json = '';
      }
      const count = module.validate(index, bodyLength, contextLength);
      if (count === 0) return { valid: true, issues: [], json };
      if (count < 0) throw new Error('signalkit engine: internal error (validate returned ' + count + ')');
      return { valid: false, issues: JSON.parse(module.lastIssues()), json };
    },
  };
  addCriteria(engine, module); // checkCriteria, evaluate, evaluateMany, fitScore (js/criteria.js)
  addMatcher(engine, module); // compileMatcher -> match, matchMany, close (js/matcher.js)
  return engine;

  function unknownKind(kind) {
    return `Unknown validation kind ${JSON.stringify(String(kind))}; expected one of: ${kinds.join(', ')}`;
  }
}
