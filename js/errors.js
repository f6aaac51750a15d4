// Error classes. Two families share one base: rule violations found before a request is
// sent (ValidationError, carrying the engine's issue list) and everything that goes wrong
// on the wire (ApiError and friends, added by the clients).

/** Base class of every error signalkit throws. */
export class SignalkitError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A request (or engine input) broke the API's rules; nothing was sent.
 * `issues` (also `fields`, the Saber envelope's name) is `[{field, code, message}]`.
 */
export class ValidationError extends SignalkitError {
  constructor(issues, { kind, message } = {}) {
    const list = Array.isArray(issues) ? issues : [];
    const head = list.slice(0, 3).map((i) => i.message).join(' ');
    const more = list.length > 3 ? ` (and ${list.length - 3} more)` : '';
    super(message ?? `${kind ? `Invalid ${kind}: ` : ''}${head}${more}`);
    this.kind = kind;
    this.issues = list;
  }
  /** Same list as `issues`, named like the Saber error envelope's `fields`. */
  get fields() {
    return this.issues;
  }
}
