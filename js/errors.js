// Error classes, and the one convention the clients follow for what they throw:
//
//   TypeError        the call itself is malformed: an option or argument of the wrong type
//                    or range (apiKey, baseUrl, timeout, hooks, logger, rateLimit, signal,
//                    a list() query that is not an object, a wait's interval or timeout).
//                    A bug in the calling code; thrown before anything is validated or sent
//                    (synchronously by constructors and list(), as a rejection otherwise).
//   ValidationError  the request's content breaks a rule of the API (the engine's issue
//                    list, or a rule the client keeps itself such as one generation run at a
//                    time); nothing was sent.
//   ApiError family (ResearchTimeoutError among it), TimeoutError, NetworkError, AbortError,
//   GenerationTimeoutError, OnboardingTimeoutError, OnboardingFailedError,
//   SignalWaitTimeoutError
//                    something went wrong on the wire, while waiting, or in the vendor's
//                    background job.
//   SignalkitError   the base of all but TypeError; thrown as itself only for the refusal to
//                    run with a secret key in a browser without dangerouslyAllowBrowser.
//
// tests/js/client/errors.test.js holds the clients to this table.

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

// ---------------------------------------------------------------------------------------
// The wire family: everything that goes wrong once a request is sent (or while waiting).

/**
 * The API answered with a non-2xx status, or with a 2xx body that is not JSON.
 * - `status`     HTTP status
 * - `code`       the server's machine-readable code (Puffle `error.code`, Saber `error.code`),
 *                or `http_<status>` when the body has none
 * - `requestId`  the server's request id (Saber `error.requestId`, else `X-Request-Id`)
 * - `fields`     per-field problems `[{field, message, code?}]` (empty when none)
 * - `body`       the parsed JSON body (null when the body is not JSON)
 * - `rawBody`    the body text as received (at most 64 KiB, key redacted)
 * - `provider`, `method`, `path`: which call failed
 */
export class ApiError extends SignalkitError {
  constructor(message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.code = details.code;
    this.requestId = details.requestId;
    this.fields = details.fields ?? [];
    this.body = details.body ?? null;
    this.rawBody = details.rawBody ?? '';
    this.provider = details.provider;
    this.method = details.method;
    this.path = details.path;
    if (details.errorAction !== undefined) this.errorAction = details.errorAction;
    if (details.type !== undefined) this.type = details.type;
  }
}
/** 401: the key is missing, malformed, revoked or for the other provider. Never retried. */
export class AuthenticationError extends ApiError {}
/** 403: the key may not do this. */
export class PermissionError extends ApiError {}
/** 404: no such resource for this key. */
export class NotFoundError extends ApiError {}
/** 409: a conflicting resource exists (Puffle: duplicate signal type name). Never retried. */
export class ConflictError extends ApiError {}
/**
 * 428: a precondition is missing. Puffle's `generate` needs a company profile: run onboarding
 * (`puffle.onboarding.start({website})`, then `waitForCompletion`); the message says so.
 * Never retried.
 */
export class PreconditionError extends ApiError {}
/** 429: the server refused the request for its rate limit; `retryAfterMs` when it said. */
export class RateLimitError extends ApiError {
  constructor(message, details = {}) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}
/** 5xx: the server failed. */
export class ServerError extends ApiError {}
/**
 * 408 from Saber's synchronous research (`signals.sync` with `timeoutError: true`): research
 * did not finish within `timeoutSec`. The server may still finish it; list the domain's
 * signals to find it. Never retried (a retry would start another research).
 */
export class ResearchTimeoutError extends ApiError {
  constructor(message, details = {}) {
    super(message, details);
    this.timeoutSec = details.timeoutSec;
  }
}

/** The call's `timeout` passed before a response arrived. `timeoutMs` says which. */
export class TimeoutError extends SignalkitError {
  constructor(message, { timeoutMs, method, path, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.timeoutMs = timeoutMs;
    this.method = method;
    this.path = path;
  }
}
/** The connection failed or was cut (refused, reset, dropped, a body cut off). */
export class NetworkError extends SignalkitError {
  constructor(message, { method, path, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.method = method;
    this.path = path;
  }
}
/** The caller's AbortSignal fired. `reason` is the signal's reason. */
export class AbortError extends SignalkitError {
  constructor(message = 'The request was aborted by its AbortSignal.', { reason, method, path } = {}) {
    super(message);
    this.reason = reason;
    this.method = method;
    this.path = path;
  }
}
/**
 * `waitForGeneration` gave up before the run changed the type. `run_id` (also `runId`) is the
 * run to quote to the vendor's support; the run may still finish later.
 */
export class GenerationTimeoutError extends SignalkitError {
  constructor(message, { runId, typeId, timeoutMs } = {}) {
    super(message);
    this.run_id = runId;
    this.typeId = typeId;
    this.timeoutMs = timeoutMs;
  }
  get runId() {
    return this.run_id;
  }
}
/**
 * `onboarding.waitForCompletion` gave up before the session ended. The session may still
 * complete later; `session` is the last one read (or null).
 */
export class OnboardingTimeoutError extends SignalkitError {
  constructor(message, { sessionId, session, timeoutMs } = {}) {
    super(message);
    this.sessionId = sessionId;
    this.session = session ?? null;
    this.timeoutMs = timeoutMs;
  }
}
/**
 * An onboarding session ended `failed`: `session.errorMessage` says why and
 * `session.errorStep` where (also as `errorMessage` and `errorStep`).
 */
export class OnboardingFailedError extends SignalkitError {
  constructor(message, { session } = {}) {
    super(message);
    this.session = session;
    this.sessionId = session?.id;
    this.errorMessage = session?.errorMessage ?? null;
    this.errorStep = session?.errorStep ?? null;
  }
}
/**
 * `signals.waitFor` gave up while the company signal was still `processing`. It may still
 * finish: `signalId` is the one to read later; `signal` is the last one read (or null).
 */
export class SignalWaitTimeoutError extends SignalkitError {
  constructor(message, { signalId, signal, timeoutMs } = {}) {
    super(message);
    this.signalId = signalId;
    this.signal = signal ?? null;
    this.timeoutMs = timeoutMs;
  }
}
