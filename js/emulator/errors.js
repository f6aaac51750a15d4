// Errors a route handler throws; the HTTP layer renders them in each provider's shape.
// (Named HttpError, not ApiError: this is the server side of what the clients' ApiError
// reports.)

export class HttpError extends Error {
  /**
   * @param {number} status HTTP status
   * @param {string} code stable machine-readable code (see docs/emulator.md)
   * @param {string} message plain-words explanation
   * @param {Array<{field, code, message}>} [fields] per-field issues
   */
  constructor(status, code, message, fields) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export const notFound = (what) => new HttpError(404, 'not_found', `${what} not found`);

function summarize(issues) {
  const first = issues[0];
  const where = first.field ? `${first.field}: ` : '';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
  return `${where}${first.message}${more}`;
}

/**
 * Maps engine issues to one error: 409 when every issue is a duplicate name, 400
 * otherwise (limit_reached included, as the vendor documents).
 */
export function errorFromIssues(issues) {
  const fields = issues.map((i) => ({ field: i.field, code: i.code, message: i.message }));
  if (issues.every((i) => i.code === 'duplicate_name')) {
    return new HttpError(409, 'conflict', summarize(issues), fields);
  }
  return new HttpError(400, 'validation_failed', summarize(issues), fields);
}

/**
 * Runs one engine validation and throws the matching HttpError. `exists` false means the
 * path id names nothing of this caller's: 400 if the id itself is malformed, else 404.
 */
export function enforce(engine, kind, body, context, { exists = true, what = 'resource' } = {}) {
  const result = engine.validate(kind, body, context);
  if (result.valid) {
    if (!exists) throw notFound(what);
    return;
  }
  const badParam = result.issues.some((i) => i.field === 'id' || i.field === 'sourceId');
  if (!exists && !badParam) throw notFound(what);
  throw errorFromIssues(result.issues);
}
