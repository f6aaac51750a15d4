// Type declarations for signalkit. Kept honest by tests/types (tsc --noEmit, strict) and
// by tests that compare the runtime exports with these names.

// Matchers are disposable (`using m = engine.compileMatcher(...)`). Declared here as
// @types/node and lib.esnext.disposable do, so projects whose `lib` predates it compile too.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** One problem with a request, in the Saber error envelope's `fields` shape plus a code. */
export interface Issue {
  /** Path into the body (`keywords[3]`, `qualificationCriteria.ranges[1].rangeEnd`); "" for the whole body; `id`/`sourceId` for path parameters. */
  field: string;
  /** Stable machine-readable code (docs/validation.md), e.g. `required`, `too_long`, `blank`, `unknown_field`. */
  code: IssueCode | (string & {});
  /** Plain English naming the field, the rule and what is wrong with the value. */
  message: string;
}

export type IssueCode =
  | 'invalid_json' | 'invalid_unicode' | 'too_large' | 'too_deep' | 'duplicate_key' | 'required' | 'unexpected_body'
  | 'type' | 'unknown_field' | 'too_short' | 'too_long' | 'blank' | 'too_few' | 'too_many' | 'enum'
  | 'pattern' | 'format' | 'below_minimum' | 'above_maximum' | 'contains_dot' | 'empty_patch'
  | 'invalid_range' | 'limit_reached' | 'duplicate_name' | 'built_in_locked' | 'built_in'
  | 'not_built_in' | 'not_applicable' | 'invalid_schema' | 'invalid_context' | 'const' | 'not'
  | 'one_of' | 'any_of' | 'multiple_of' | 'unique_items' | 'contains' | 'too_few_properties'
  | 'too_many_properties' | 'dependency' | 'property_name' | 'not_allowed' | 'too_complex'
  // qualification criteria (checkCriteria and template validation)
  | 'range_order' | 'range_overlap' | 'out_of_range' | 'not_finite' | 'invalid_option';

export type ValidationKind =
  | 'puffle.context.get' | 'puffle.context.set' | 'puffle.onboarding.start' | 'puffle.onboarding.status'
  | 'puffle.partners.portal'
  | 'puffle.signal.dismiss' | 'puffle.signal.feedback' | 'puffle.signal.list'
  | 'puffle.signalType.create' | 'puffle.signalType.delete' | 'puffle.signalType.generate'
  | 'puffle.signalType.get' | 'puffle.signalType.list' | 'puffle.signalType.reset'
  | 'puffle.signalType.update' | 'puffle.signalTypeSource.list' | 'puffle.signalTypeSource.update'
  | 'saber.companySignal.create' | 'saber.companySignal.get' | 'saber.companySignal.list'
  | 'saber.template.create' | 'saber.template.delete' | 'saber.template.get'
  | 'saber.template.list' | 'saber.template.update';

export interface ValidationResult {
  valid: boolean;
  issues: Issue[];
  /** The exact JSON text that was validated (send it as is); undefined for body-less kinds. */
  json: string | undefined;
}

/** A Puffle source id as requests must name it (responses may carry others). */
export type PuffleSource =
  | 'news' | 'reddit' | 'hacker_news' | 'x_twitter' | 'linkedin_posts' | 'linkedin_jobs' | 'g2_capterra';

/** A Puffle signal type as the API returns it. */
export interface PuffleSignalType {
  id: string;
  label: string;
  description: string;
  kind: 'structured' | 'keyword';
  enabled: boolean;
  keywords: string[];
  disqualifiers: string[];
  config: Record<string, unknown> | null;
  config_schema: Record<string, unknown> | null;
  built_in: boolean;
  search_instructions: string | null;
  scoring_criteria: string | null;
  /** null: no restriction. May hold source ids newer than PuffleSource. */
  sources: string[] | null;
}

export type SaberAnswerType =
  | 'open_text' | 'number' | 'boolean' | 'list' | 'percentage' | 'currency' | 'url' | 'contacts'
  | 'contacts_generation' | 'contact_posts' | 'contact_engagements' | 'json_schema';
export type SaberWeight = 'important' | 'nice_to_have' | 'not_important';
export type Qualification = 'disqualified' | 'poor' | 'neutral' | 'good' | 'excellent';

// Type aliases, not interfaces: each then fits the documents' "an object" (tests/types/openapi-contract.ts).
export type RangeCriteria = {
  ranges: Array<{ rangeStart?: number | null; rangeEnd?: number | null; answerQualification: Qualification }>;
};
export type BooleanCriteria = { yes?: Qualification; no?: Qualification };
export type ListCriteria = { choices: Record<string, { answerQualification: Qualification; label?: string }> };
export type QualificationCriteria = RangeCriteria | BooleanCriteria | ListCriteria | Record<string, never>;

/** A Saber signal template as the API returns it. */
export interface SaberTemplate {
  id: string;
  templateId: string;
  version: number;
  organizationId: string;
  name: string;
  description: string | null;
  question: string;
  answerType: SaberAnswerType;
  outputSchema: Record<string, unknown> | null;
  weight: SaberWeight | null;
  qualificationCriteria: QualificationCriteria | null;
  createdByUserId: string | null;
  createdAt: string;
  deletedAt: string | null;
  source: string | null;
}

/** What the caller knows; rules whose context is missing are left to the server. */
export interface ValidationContext {
  /** Path parameters. */
  params?: { id?: string; sourceId?: string };
  /** The current Puffle type (update, delete, reset, generate). */
  type?: Partial<PuffleSignalType> | null;
  /** The caller's COMPLETE list of Puffle types (cap of 20, unique names). */
  types?: Array<Partial<PuffleSignalType>> | null;
  /** The current Saber template (update). */
  template?: Partial<SaberTemplate> | null;
}

export interface Engine {
  /** Every validation kind, sorted. */
  kinds(): readonly ValidationKind[];
  /** The draft-07 JSON Schema of a body/query kind (a fresh copy), or null for body-less kinds. Throws TypeError for an unknown kind. */
  schema(kind: ValidationKind): Record<string, unknown> | null;
  /**
   * Validates one request before it is sent. `body` is a value (JSON.stringify'd, never changed
   * by it: NaN/Infinity are `not_finite` issues, undefined in an array a `type` issue) or the
   * exact JSON text; undefined/null for body-less kinds. Never throws for bad data; throws
   * TypeError for an unknown kind or a value JSON cannot express (a BigInt, a function, a cycle).
   */
  validate(kind: ValidationKind, body?: unknown, context?: ValidationContext | string): ValidationResult;

  // --- criteria (issue 3; README "Qualification criteria") ---
  /** Checks qualification criteria for an answer type (criteria as a value or JSON text; null/undefined = absent). Throws TypeError for bad options. */
  checkCriteria(answerType: SaberAnswerType | (string & {}), criteria: unknown, options?: CriteriaOptions): { valid: boolean; issues: Issue[] };
  /** Evaluates one research answer (text as research returns it, a number, boolean, array or JSON value). */
  evaluate(template: CriteriaTemplate, answer: unknown, options?: CriteriaOptions): Evaluation;
  /**
   * Compiles a template's criteria once for evaluating many answers one at a time (README
   * "Compiled criteria"): `evaluate(answer)` gives exactly what `evaluate(template, answer, options)`
   * gives, without the template crossing again. A snapshot: later changes to `template` do not
   * reach it. Throws TypeError for bad options or a template JSON cannot express; a template
   * that cannot be evaluated compiles to its `error`. Close it when done (or `using`).
   */
  compileCriteria(template: CriteriaTemplate, options?: CriteriaOptions): CompiledCriteria;
  /** Live compiled criteria and heap figures (for leak tests). */
  criteriaStats(): { live: number; heapBytes: number; heapInUse: number };
  /** Many answers against one template in one crossing; a Float64Array (or number[]) takes the numeric fast path. */
  evaluateMany(template: CriteriaTemplate, answers: ArrayLike<number> | readonly unknown[], options?: CriteriaOptions & { out?: Uint8Array; outValues?: Float64Array }): CriteriaBatch;
  /** The fit score of one company over many templates (README "Fit score"). Throws TypeError for bad options or a non-array. */
  fitScore(items: ReadonlyArray<{ template: CriteriaTemplate; answer?: unknown }>, options?: CriteriaOptions): FitScore;

  // --- matcher (issue 4; README "Keyword matching") ---
  /**
   * Compiles signal types for keyword matching (README "Keyword matching"). Throws ValidationError (with
   * `issues`) for invalid input: not an array, empty/blank keyword, keyword > 200 code points,
   * > 20 types, > 50 items in a list, > 400 keywords per type counting keywords_extra.
   */
  compileMatcher(types: ReadonlyArray<MatcherSignalType> | { signal_types: ReadonlyArray<MatcherSignalType> }, options?: MatcherOptions): Matcher;
  /** Live matcher handles and heap figures (for leak tests). */
  matcherStats(): { live: number; heapBytes: number; heapInUse: number };
}

/**
 * What compileMatcher reads from a Puffle signal type; other members are ignored. A
 * `PuffleSignalType` (what `signalTypes.list()` answers) is one; add `source_settings` as
 * `{ ...type, source_settings: await puffle.signalTypes.sources.list(type) }`.
 */
export interface MatcherSignalType {
  id?: string;
  label?: string;
  /** Used when `label` is absent (create bodies call it `name`). */
  name?: string;
  /** Default true; disabled types are skipped unless `includeDisabled`. */
  enabled?: boolean;
  keywords: readonly string[];
  disqualifiers?: readonly string[] | null;
  /** null/absent = every source. */
  sources?: readonly string[] | null;
  /** The items of GET /signals/types/{id}/sources: per-source keywords_extra and enabled. */
  source_settings?: ReadonlyArray<{ source_id: string; enabled?: boolean; keywords_extra?: readonly string[] | null; prompt_override?: string | null }> | null;
}

export interface MatcherOptions {
  /** Match disabled types too, to preview them before enabling. Default false. */
  includeDisabled?: boolean;
  /** Snippet context in code points on each side of the first match, 0–1000. Default 60. */
  snippetRadius?: number;
}

export interface MatchDocument {
  id?: string | null;
  /** The document's source id (`news`, `reddit`, …); absent = only unrestricted types apply. */
  source?: string | null;
  title?: string | null;
  text: string;
}

/** One keyword found in one field: its first occurrence (UTF-16 offsets: `doc[field].slice(start, end)`) and how often it occurs there. */
export interface KeywordMatch {
  keyword: string;
  field: 'title' | 'text';
  start: number;
  end: number;
  count: number;
}

export interface TypeMatch {
  /** Index of the type in the array given to compileMatcher. */
  index: number;
  id: string | null;
  label: string | null;
  /** A keyword occurred and no disqualifier did. */
  matched: boolean;
  /** One entry per (keyword, field), title first, then by position. */
  keywords: KeywordMatch[];
  /** The earliest disqualifier occurrence, when one excluded the type. */
  disqualifiedBy: KeywordMatch | null;
  /** Around the first keyword occurrence; `text` is `doc[field].slice(start, end)`. */
  snippet: { field: 'title' | 'text'; start: number; end: number; text: string };
}

export interface DocumentMatch {
  id: string | null;
  /** Some type matched (and was not disqualified). */
  matched: boolean;
  /** Types with a keyword occurrence, in type order (built on first access). */
  readonly types: readonly TypeMatch[];
  toJSON(): { id: string | null; matched: boolean; types: readonly TypeMatch[] };
}

export interface Matcher {
  /** Matches one document. Throws ValidationError for a malformed document, Error once closed. */
  match(doc: MatchDocument): DocumentMatch;
  /**
   * Matches many documents in one crossing into WebAssembly; one result per document, in order.
   * Throws RangeError (`too_large`) for a document over 64 Mi UTF-16 code units, before matching anything.
   */
  matchMany(docs: readonly MatchDocument[]): DocumentMatch[];
  /**
   * matchMany in slices (about a million UTF-16 units or 4,096 documents each) with the event loop
   * running between them; `signal` is checked before each slice (AbortError when it fires).
   */
  matchManyAsync(docs: readonly MatchDocument[], options?: { signal?: AbortSignal }): Promise<DocumentMatch[]>;
  /** Frees the compiled matcher; idempotent. */
  close(): void;
  readonly closed: boolean;
  [Symbol.dispose](): void;
}

/** Every criteria decision the vendor leaves open, named; defaults in brackets (README "Options"). */
export interface CriteriaOptions {
  /** The range with the greatest rangeEnd also includes its end [true]. */
  lastRangeInclusive?: boolean;
  /** Qualification of an unmatched value, absent boolean key or list with no known choice ['neutral']. */
  unmatched?: Qualification;
  /** Accept overlapping ranges; the first in document order wins [false]. */
  allowOverlaps?: boolean;
  /** Percentage bounds must lie in 0–100 [true]. */
  percentageBounds?: boolean;
  /** Parse text answers ("1.2k", "45%", "$3M", "Yes") [true]. */
  parseText?: boolean;
  /** List items match choice labels as well as keys [true]. */
  matchLabels?: boolean;
  /** Several matching list choices: disqualified wins then best, best, or worst ['disqualifiedWins']. */
  listCombine?: 'disqualifiedWins' | 'best' | 'worst';
  /** Validate json_schema answers against outputSchema [true]. */
  validateJsonSchema?: boolean;
  /** Fit score weights [important 3, nice_to_have 1, not_important 0]. */
  weights?: Partial<Record<SaberWeight, number>>;
  /** Fit score points [excellent 1, good 0.75, neutral 0.5, poor 0.25, disqualified 0 (used when veto is false)]. */
  points?: Partial<Record<Qualification, number>>;
  /** A disqualified answer on a template with weight > 0 makes the score 0 [true]. */
  veto?: boolean;
  /** Weight of a template without one ['important']. */
  defaultWeight?: SaberWeight;
}

/** What evaluation reads from a template; other members are ignored. */
export interface CriteriaTemplate {
  answerType?: SaberAnswerType;
  qualificationCriteria?: QualificationCriteria | null;
  outputSchema?: unknown;
  weight?: SaberWeight;
  templateId?: string;
  id?: string;
  name?: string;
  [key: string]: unknown;
}

export interface Evaluation {
  /** null when the answer could not be qualified (see code and reason). */
  qualification: Qualification | null;
  /** A range, boolean key or list choice matched. */
  matched: boolean;
  /** The parsed value: number, boolean, list items, or the answer as given. */
  value: unknown;
  /** Currency answers: the ISO code from the text ("$1.2M" → "USD"), absent when none. */
  currency?: string;
  matchedRange?: { index: number; rangeStart: number | null; rangeEnd: number | null };
  /** List answers: the matched choice keys, in first-seen order. */
  matchedChoices?: string[];
  code?: 'no_answer' | 'unparseable_answer' | 'invalid_answer' | 'invalid_criteria' | 'invalid_template';
  reason?: string;
  issues?: Issue[];
}

/** A template's criteria compiled once (engine.compileCriteria); lives in engine memory until closed. */
export interface CompiledCriteria {
  /** The same result as engine.evaluate(template, answer, options). Throws Error (code `closed`) once closed. */
  evaluate(answer: unknown): Evaluation;
  /** The result every answer gets when the template cannot be evaluated (`invalid_template` / `invalid_criteria`); null otherwise. */
  readonly error: Evaluation | null;
  /** Frees the compiled criteria; idempotent. Forgotten ones are freed when garbage-collected. */
  close(): void;
  readonly closed: boolean;
  [Symbol.dispose](): void;
}

export interface CriteriaBatch extends Iterable<Qualification | null> {
  /** Per answer: 0–4 (index into disqualified…excellent) + 8 when matched; 0xFE no answer; 0xFF error. */
  readonly codes: Uint8Array;
  /** Parsed numbers (1/0 booleans, matched-choice counts for lists, NaN otherwise). */
  readonly values: Float64Array;
  /** Set when the template or criteria are invalid (every code is then 0xFF). */
  readonly error: Evaluation | null;
  readonly length: number;
  qualification(i: number): Qualification | null;
  matched(i: number): boolean;
  isError(i: number): boolean;
  isUnanswered(i: number): boolean;
  /** The full evaluate() result for answer i (one more crossing). */
  get(i: number): Evaluation;
  qualifications(): Array<Qualification | null>;
  counts(): Record<Qualification | 'matched' | 'unmatched' | 'unanswered' | 'errors', number>;
}

export interface CriteriaTemplateRef { index: number; templateId?: string; name?: string }

export interface FitScore {
  /** 0–100; 0 when vetoed; null when no counted template has weight > 0. */
  score: number | null;
  disqualified: boolean;
  disqualifiedBy: Array<CriteriaTemplateRef & { reason: string }>;
  parts: Array<CriteriaTemplateRef & { weight: SaberWeight; weightValue: number; qualification: Qualification; matched: boolean; points: number }>;
  unanswered: CriteriaTemplateRef[];
  errors: Array<CriteriaTemplateRef & { code: string; reason: string; issues?: Issue[] }>;
  totalWeight: number;
}

export interface LoadEngineOptions {
  /** The .wasm bytes, when the default location does not work (bundlers, custom hosting). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /**
   * The compiled .wasm, for runtimes that refuse to compile WebAssembly from bytes
   * (Cloudflare Workers: `import wasmModule from 'signalkit/signalkit.wasm'`). A
   * `WebAssembly.Module`; typed as `object` so that no DOM or Node typings are needed.
   */
  wasmModule?: object;
  /** Maps 'signalkit.wasm' to the URL (browsers, workers) or path / file URL (Node, Bun, Deno) to load it from. */
  locateFile?: (name: string) => string | URL;
}

/** Instantiates the engine once per process/page; later calls return the same promise. */
export function loadEngine(options?: LoadEngineOptions): Promise<Engine>;

/** Largest body the engine accepts: 1 MiB of UTF-8. */
export const MAX_BODY_BYTES: number;
/** Deepest nesting of arrays/objects the engine accepts: 64. */
export const MAX_DEPTH: number;

/** Base class of every error signalkit throws. */
export class SignalkitError extends Error {
  /**
   * True when `value` is an error of this class (or a subclass) from any copy of signalkit in
   * the process: its ES module and CommonJS entries share one error identity (`instanceof`
   * works across them too).
   */
  static is<T>(this: abstract new (...args: any[]) => T, value: unknown): value is T;
}
/** True when `value` is an error signalkit threw (any copy: ES module or CommonJS). */
export function isSignalkitError(value: unknown): value is SignalkitError;

/** A request broke the API's rules; nothing was sent. */
export class ValidationError extends SignalkitError {
  constructor(issues: Issue[], options?: { kind?: string; message?: string });
  readonly kind: string | undefined;
  readonly issues: Issue[];
  /** Same as `issues` (the Saber envelope's name). */
  readonly fields: Issue[];
}

// ---------------------------------------------------------------------------------------
// Clients (PuffleClient, SaberClient) and their errors.

/** A per-field problem reported by a server (Saber's `fields`, Puffle's `error.fields`). */
export interface ApiFieldError {
  field: string;
  message: string;
  /** Present when the server gives one (the emulator always does). */
  code?: string;
}

/** The API answered with a non-2xx status (or a 2xx body that is not JSON: code `invalid_response`). */
export class ApiError extends SignalkitError {
  readonly status: number;
  /** The server's code (Puffle: `invalid_request`, `not_found`, … — PuffleErrorCode; Saber: `VALIDATION_ERROR`, `TOO_MANY_REQUESTS`, …), else `http_<status>`. */
  readonly code: string;
  readonly requestId: string | undefined;
  readonly fields: ApiFieldError[];
  /** The parsed JSON body; null when it is not JSON. */
  readonly body: unknown;
  /** The body text as received (at most 64 KiB; the key redacted). */
  readonly rawBody: string;
  readonly provider: 'Puffle' | 'Saber';
  readonly method: string;
  /** The path below the base URL, e.g. `/signals/types/<id>`; Puffle's company-profile calls give the documented path (`/api/context`). */
  readonly path: string;
  /** How long the server asked to wait (Retry-After, body retryAfter, X-Ratelimit-Reset), when it did. */
  readonly retryAfterMs?: number | undefined;
  /** Saber envelope extras. */
  readonly errorAction?: string;
  readonly type?: string;
}
/** 401: missing, malformed or revoked key. Never retried. */
export class AuthenticationError extends ApiError {}
/** 403 */
export class PermissionError extends ApiError {}
/** 404 */
export class NotFoundError extends ApiError {}
/** 409: e.g. a Puffle signal type name already in use. Never retried. */
export class ConflictError extends ApiError {}
/** 428: Puffle `generate` without a company profile; the message says to run onboarding. Never retried. */
export class PreconditionError extends ApiError {}
/** 429 after the retries allowed (or a wait longer than `maxRetryAfterMs`). */
export class RateLimitError extends ApiError {
  readonly retryAfterMs: number | undefined;
}
/** 5xx */
export class ServerError extends ApiError {}
/** The per-attempt `timeout` passed. */
export class TimeoutError extends SignalkitError {
  readonly timeoutMs: number;
  readonly method: string;
  readonly path: string;
}
/** The connection failed, was dropped, or a response body was cut off. */
export class NetworkError extends SignalkitError {
  readonly method: string;
  readonly path: string;
}
/** The caller's AbortSignal fired (while queued, sending, or waiting to retry). */
export class AbortError extends SignalkitError {
  /** The signal's reason. */
  readonly reason: unknown;
}
/** `onboarding.waitForCompletion` gave up; the session may still complete. */
export class OnboardingTimeoutError extends SignalkitError {
  readonly sessionId: string;
  /** The last session read, or null. */
  readonly session: PuffleOnboardingSession | null;
  readonly timeoutMs: number;
}
/** The onboarding session ended `failed`. */
export class OnboardingFailedError extends SignalkitError {
  readonly session: PuffleOnboardingSession;
  readonly sessionId: string;
  readonly errorMessage: string | null;
  readonly errorStep: string | null;
}
/** 408 from `signals.sync` with `timeoutError: true`: research did not finish within `timeoutSec`; it may still complete. */
export class ResearchTimeoutError extends ApiError {
  readonly timeoutSec: number | undefined;
}
/** `signals.waitFor` gave up while the signal was still processing; research may still finish. */
export class SignalWaitTimeoutError extends SignalkitError {
  readonly signalId: string;
  /** The last signal read, or null. */
  readonly signal: SaberCompanySignal | null;
  readonly timeoutMs: number;
}
/** `waitForGeneration` gave up; the run may still finish. */
export class GenerationTimeoutError extends SignalkitError {
  readonly run_id: string | undefined;
  readonly runId: string | undefined;
  readonly typeId: string;
  readonly timeoutMs: number;
}

/** What every hook receives about the attempt. The key is masked in `headers.authorization`. */
export interface RequestState {
  provider: 'Puffle' | 'Saber';
  kind: ValidationKind | undefined;
  method: string;
  url: string;
  path: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
  headers: Record<string, string>;
  /** The exact JSON text sent, if any. */
  body: string | undefined;
}
export interface ResponseState extends RequestState {
  status: number;
  requestId: string | undefined;
  /** The response's headers, lower-case names. */
  responseHeaders: Record<string, string>;
  durationMs: number;
}
export interface RetryState extends RequestState {
  error: Error;
  delayMs: number;
  /** Which retry this is (1-based). */
  retry: number;
  maxRetries: number;
}
export interface ClientHooks {
  onRequest?: (state: RequestState) => void | Promise<void>;
  onResponse?: (state: ResponseState) => void | Promise<void>;
  onRetry?: (state: RetryState) => void | Promise<void>;
}
/** One line per response and per retry; keys masked. */
export type ClientLogger =
  | ((level: 'info' | 'warn', message: string) => void)
  | { info?: (message: string) => void; warn?: (message: string) => void; log?: (message: string) => void };

/** What both clients take besides where they send (ClientAccess). */
export interface ClientSettings {
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** ms per attempt (0: none). Default 60000. */
  timeout?: number;
  /** Default 2. */
  maxRetries?: number;
  /** Backoff: min(retryMaxDelayMs, retryBaseDelayMs * 2^(n-1)), jittered to 50-100%. Defaults 500 and 8000. */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** A 429/503 asking to wait longer than this is thrown, not waited for. Default 60000. */
  maxRetryAfterMs?: number;
  hooks?: ClientHooks;
  logger?: ClientLogger;
  /** An engine to validate with (default: loadEngine()). */
  engine?: Engine | Promise<Engine>;
}
/** Where a client sends, and with what: a key (and a base URL), or a signalkit proxy that holds the key. */
export type ClientAccess =
  | {
    apiKey: string;
    /**
     * https, or http for localhost / 127.0.0.1 / [::1] only. Puffle: its origin, or a URL ending in
     * `/api/v1` (the company-profile calls go to `/api` beside it).
     */
    baseUrl?: string;
    /** Required in a browser-like environment: the key would be visible to every visitor. */
    dangerouslyAllowBrowser?: boolean;
    proxy?: never;
  }
  | {
    /**
     * The URL of a signalkit proxy (signalkit/proxy) that holds the key: absolute, or relative to
     * the page in a browser. The client sends no key, so a page may use it.
     */
    proxy: string;
    apiKey?: never; baseUrl?: never; dangerouslyAllowBrowser?: never;
  };
export type ClientOptions = ClientSettings & ClientAccess;
// ---------------------------------------------------------------------------------------
// Rate-limit stores (docs/ratelimit.md)

/** One bucket of a key, as a store receives it (frozen). */
export type RateLimitBucket =
  /** Puffle: at most `limit` requests in any `windowMs`, a slot held from send until `windowMs` after the response ended. */
  | { readonly id: string; readonly kind: 'window'; readonly limit: number; readonly windowMs: number }
  /** Saber: `burst` tokens, refilled at `limit` per `windowMs`; a token held from send, spent when the response ends. */
  | { readonly id: string; readonly kind: 'bucket'; readonly limit: number; readonly windowMs: number; readonly burst: number };
/** A store's answer to acquire(): a permit, or how long until one may be free (Infinity: only a release in this process frees one). */
export type RateLimitGrant<P = unknown> = { permit: P } | { waitMs: number };
/**
 * Where the clients keep the count of their rate limits: the in-process `memoryStore()` (the
 * default), `redisStore()` from 'signalkit/redis', or your own. Methods may answer at once or
 * with a promise; `release`, `pause` and `observe` must not reject.
 */
export interface RateLimitStore<P = any> {
  /** Takes one permit if the bucket allows it now. `leaseMs`: the longest the request may take (its timeout), if it has one. */
  acquire(bucket: RateLimitBucket, options: { leaseMs: number | undefined }): RateLimitGrant<P> | Promise<RateLimitGrant<P>>;
  /** Gives a permit back when its response ended (`sent: true`: it counts) or when it was never used (`sent: false`). */
  release(bucket: RateLimitBucket, permit: P, options: { sent: boolean }): void | Promise<void>;
  /** No permit for `ms` (a 429 came back; the client waits this long before retrying). */
  pause(bucket: RateLimitBucket, ms: number): void | Promise<void>;
  /** Saber's X-Ratelimit-Remaining after a response: may only lower the count. */
  observe?(bucket: RateLimitBucket, observation: { remaining: number }): void | Promise<void>;
}
/** A new in-process store (clients share one per process by default). */
export function memoryStore(): RateLimitStore;

export interface PuffleClientSettings extends ClientSettings {
  /**
   * Sliding window per key; default {limit: 100, windowMs: 60000}, counted in this process.
   * `store`: where the count lives (redisStore() shares it between processes). `shared: false`:
   * a count of this client's own. false disables.
   */
  rateLimit?: false | { limit?: number; windowMs?: number; marginMs?: number; store?: RateLimitStore; shared?: boolean };
}
export type PuffleClientOptions = PuffleClientSettings & ClientAccess;
export interface TokenBucketOptions { limit?: number; windowMs?: number; burst?: number }
export interface SaberClientSettings extends ClientSettings {
  /** Token buckets per key; default write {2000/min, burst 400}, read {100000/min, burst 10000}; `store` and `shared` as for Puffle. */
  rateLimit?: false | { write?: false | TokenBucketOptions; read?: false | TokenBucketOptions; store?: RateLimitStore; shared?: boolean };
}
export type SaberClientOptions = SaberClientSettings & ClientAccess;
/** Every method's last argument. */
export interface CallOptions {
  signal?: AbortSignal;
  /** ms per attempt; overrides the client's. */
  timeout?: number;
  maxRetries?: number;
}

/** Lazy pages: `for await (const item of list)`, `.pages()`, `.toArray({limit})`, `.firstPage()`. */
export interface Paginator<T, P> extends AsyncIterable<T> {
  pages(): AsyncGenerator<P, void, undefined>;
  toArray(options?: { limit?: number }): Promise<T[]>;
  firstPage(): Promise<P | undefined>;
}

export interface PuffleSignalTypeCreate {
  name: string;
  keywords: string[];
  search_instructions: string;
  scoring_criteria: string;
  sources: PuffleSource[];
  description?: string;
  enabled?: boolean;
}
export interface PuffleSignalTypeUpdate {
  name?: string;
  description?: string;
  keywords?: string[];
  disqualifiers?: string[];
  search_instructions?: string;
  scoring_criteria?: string;
  sources?: PuffleSource[];
  enabled?: boolean;
  config?: Record<string, unknown> | null;
}
export interface PuffleSourceSetting {
  /** May be a source id newer than PuffleSource. */
  source_id: string;
  enabled: boolean;
  keywords_extra: string[];
  prompt_override: string | null;
}
export interface PuffleSourceUpdate {
  enabled?: boolean;
  keywords_extra?: string[];
  prompt_override?: string | null;
}
/** The company (or other entity) a signal is about. */
export interface PuffleEntity {
  id: string;
  name: string;
  /** e.g. `company`. */
  type?: string;
  domain?: string | null;
}
/** One classified signal of the feed: the fields Puffle documents. Others may appear and are passed through. */
export interface PuffleSignal {
  id: string;
  /** The label of the signal type. */
  signal_type: string;
  title: string;
  text: string | null;
  /** Why the scorer rated it so. */
  reasoning: string | null;
  /** A source id; may be one newer than PuffleSource. */
  source: string;
  source_url: string | null;
  /** 0–100. */
  score: number;
  /** 0–1. */
  confidence: number | null;
  entity: PuffleEntity;
  /** The person the signal is about, when there is one. */
  person_entity: Record<string, unknown> | null;
  /** Free-form classification details. */
  classification: Record<string, unknown> | null;
  /** ISO 8601. */
  created_at: string;
}
/** One entity of a `group_by: 'entity'` feed page: its top signals (at most 25, by score) and how many it has. */
export interface PuffleEntityGroup {
  entity: PuffleEntity;
  signals: PuffleSignal[];
  signal_count: number;
}
/** Where the next feed page starts (nested under `pagination`). */
export interface PufflePagination {
  /** Opaque; null on the last page. */
  cursor: string | null;
  has_more: boolean;
  /** Entries on this page. */
  count: number;
}
export interface PuffleSignalPage {
  signals: PuffleSignal[];
  pagination: PufflePagination;
}
export interface PuffleEntityPage {
  entities: PuffleEntityGroup[];
  pagination: PufflePagination;
}
export interface PuffleFeedQuery {
  since?: string | Date;
  until?: string | Date;
  /** Labels; an array is joined with commas. */
  signal_type?: string | string[];
  source?: PuffleSource | string | PuffleSource[];
  entity_id?: string;
  sort?: 'score';
  /** `entity`: the feed yields entity groups instead of signals. */
  group_by?: 'entity';
  cursor?: string;
  /** Page size, 1-100. */
  limit?: number;
}
/** Puffle's documented error codes (`ApiError.code` of a Puffle error in the documented body). */
export type PuffleErrorCode =
  | 'unauthorized' | 'forbidden' | 'not_found' | 'invalid_request' | 'conflict' | 'precondition_failed'
  | 'rate_limited' | 'internal_error';

/** Company profile: starting onboarding (`POST /api/onboarding/start-scraping`). */
export interface PuffleOnboardingStart {
  /** The company's website, a URL or a bare domain. */
  website: string;
  email?: string;
  firstName?: string;
  lastName?: string;
}
export interface PuffleOnboardingStarted {
  sessionId: string;
  runId: string;
}
export type PuffleOnboardingStatus = 'pending' | 'looking_up' | 'gathering_info' | 'generating_context' | 'completed' | 'failed';
export interface PuffleOnboardingSession {
  id: string;
  /** `completed`: the profile is ready; `failed`: see errorMessage and errorStep; otherwise still running. */
  status: PuffleOnboardingStatus;
  companyName?: string | null;
  errorMessage?: string | null;
  errorStep?: string | null;
}
export interface PuffleOnboardingStatusResponse {
  /** null: onboarding never started (or no such session). */
  session: PuffleOnboardingSession | null;
}
export interface OnboardingProgress {
  sessionId: string;
  poll: number;
  elapsedMs: number;
  status: PuffleOnboardingStatus | null;
  session: PuffleOnboardingSession | null;
  done: boolean;
  /** A transient failure of this poll (the wait goes on). */
  error: Error | undefined;
}
export interface WaitForOnboardingOptions {
  /** ms between polls, or a [min, max] range; default [3000, 5000]. */
  interval?: number | [number, number];
  /** Give up after this many ms (OnboardingTimeoutError); default 180000. */
  timeout?: number;
  signal?: AbortSignal;
  onProgress?: (progress: OnboardingProgress) => void | Promise<void>;
}
/** The workspace context as GET /api/context answers it (its sections are open objects). */
export interface PuffleContext {
  user: Record<string, unknown>;
  company: Record<string, unknown>;
  content: Record<string, unknown>;
  market: Record<string, unknown>;
  extra?: Record<string, unknown> | null;
}
/** Identity fields stored with the context. */
export interface PuffleProfile {
  firstName?: string | null;
  lastName?: string | null;
  companyName?: string | null;
  website?: string | null;
}
/** GET/PUT /api/context: both null before onboarding. */
export interface PuffleContextResponse {
  context: PuffleContext | null;
  profile: PuffleProfile | null;
}
/** PUT /api/context replaces the whole context: all four sections; `extra` may be null; only the given profile keys change. */
export interface PuffleContextSet {
  context: {
    user: { professionalBackground?: string | null };
    company: {
      overview?: string | null; product?: string | null; problemSolved?: string | null;
      differentiators?: string | null; linkedInPresence?: string | null;
    };
    content: {
      linkedInVoice?: string | null; recommendedTopics?: string[] | null; preferredTone?: string | null;
      contentFormats?: string[] | null; topicsToAvoid?: string[] | null; postingCadence?: string | null;
    };
    market: {
      targetAudience?: string | null; industryContext?: string | null; icpJobTitles?: string[] | null;
      icpIndustries?: string[] | null; icpCompanySizes?: string[] | null; icpPainPoints?: string[] | null;
      icpKeywords?: string[] | null;
    };
    extra?: { [key: string]: unknown } | null;
  };
  profile?: PuffleProfile;
}
/** GET /partners/portal: a link valid for about 5 minutes. */
export interface PufflePortalLink {
  url: string;
}
export interface GenerationProgress {
  typeId: string;
  runId: string | undefined;
  poll: number;
  elapsedMs: number;
  changed: { search_instructions: boolean; scoring_criteria: boolean; keywords: boolean };
  done: boolean;
  type: PuffleSignalType | undefined;
  /** A transient failure of this poll (the wait goes on). */
  error: Error | undefined;
}
export interface WaitForGenerationOptions {
  /** ms between polls, or a [min, max] range; default [10000, 15000]. */
  interval?: number | [number, number];
  /** Give up after this many ms (GenerationTimeoutError); default 180000. */
  timeout?: number;
  signal?: AbortSignal;
  onProgress?: (progress: GenerationProgress) => void | Promise<void>;
  /** The type before generate, when this client did not call generate. */
  before?: Partial<PuffleSignalType>;
  runId?: string;
}
/** A type id, or the type object itself (its id; and it is the context for local rules). */
export type SignalTypeRef = string | PuffleSignalType;
export interface TypeCallOptions extends CallOptions {
  /** The current type, for the built-in, keyword and config_schema rules. */
  type?: Partial<PuffleSignalType>;
}

export class PuffleClient {
  constructor(options: PuffleClientOptions);
  readonly baseUrl: string;
  /** The types seen in responses, and whether that is the complete list (after list()). */
  readonly knownTypes: { types: PuffleSignalType[]; complete: boolean };
  clearCache(): void;
  readonly signalTypes: {
    list(options?: CallOptions): Promise<PuffleSignalType[]>;
    create(body: PuffleSignalTypeCreate | string, options?: CallOptions): Promise<PuffleSignalType>;
    get(id: SignalTypeRef, options?: CallOptions): Promise<PuffleSignalType>;
    update(id: SignalTypeRef, patch: PuffleSignalTypeUpdate | string, options?: TypeCallOptions): Promise<PuffleSignalType>;
    /** 204, no body: resolves to undefined. */
    delete(id: SignalTypeRef, options?: TypeCallOptions): Promise<void>;
    reset(id: SignalTypeRef, options?: TypeCallOptions): Promise<PuffleSignalType>;
    generate(id: SignalTypeRef, options?: TypeCallOptions & { force?: boolean }): Promise<{ run_id: string }>;
    waitForGeneration(id: SignalTypeRef, options?: WaitForGenerationOptions): Promise<PuffleSignalType>;
    readonly sources: {
      list(id: SignalTypeRef, options?: CallOptions): Promise<PuffleSourceSetting[]>;
      update(id: SignalTypeRef, sourceId: PuffleSource, patch: PuffleSourceUpdate | string, options?: TypeCallOptions): Promise<PuffleSourceSetting>;
    };
  };
  readonly signals: {
    /** With `group_by: 'entity'`: the entity groups, across every page. */
    list(query: PuffleFeedQuery & { group_by: 'entity' }, options?: CallOptions): Paginator<PuffleEntityGroup, PuffleEntityPage>;
    /** The signals, across every page. */
    list(query?: PuffleFeedQuery & { group_by?: undefined }, options?: CallOptions): Paginator<PuffleSignal, PuffleSignalPage>;
    dismiss(id: string, options?: CallOptions): Promise<{ success: true }>;
    feedback(id: string, feedback: 'positive' | 'negative' | { feedback: 'positive' | 'negative' }, options?: CallOptions): Promise<{ success: true }>;
  };
  /** Onboarding: Puffle crawls the company's website and writes the company profile that generate needs. */
  readonly onboarding: {
    start(body: PuffleOnboardingStart | string, options?: CallOptions): Promise<PuffleOnboardingStarted>;
    /** The session, or the latest one without a sessionId. */
    status(sessionId?: string, options?: CallOptions): Promise<PuffleOnboardingStatusResponse>;
    /** Resolves with the completed session; OnboardingFailedError when it fails, OnboardingTimeoutError after `timeout`. */
    waitForCompletion(sessionId: string, options?: WaitForOnboardingOptions): Promise<PuffleOnboardingSession>;
  };
  /** The company profile (GET/PUT /api/context, beside /api/v1 on the same origin). */
  readonly context: {
    get(options?: CallOptions): Promise<PuffleContextResponse>;
    /** Replaces the whole context. */
    set(full: PuffleContextSet | string, options?: CallOptions): Promise<PuffleContextResponse>;
  };
  readonly partners: {
    /** A short-lived webhook-portal link; NotFoundError while no webhook app exists for the key. */
    portal(options?: CallOptions): Promise<PufflePortalLink>;
  };
}

export interface SaberTemplateCreate {
  name: string;
  question: string;
  description?: string;
  answerType?: SaberAnswerType;
  outputSchema?: Record<string, unknown> | boolean;
  weight?: SaberWeight;
  qualificationCriteria?: QualificationCriteria;
}
export interface SaberTemplateUpdate {
  name?: string;
  question?: string;
  description?: string;
  answerType?: Exclude<SaberAnswerType, 'contacts_generation'>;
  outputSchema?: Record<string, unknown> | boolean;
  weight?: SaberWeight;
  qualificationCriteria?: QualificationCriteria;
}
export interface SaberTemplatePage {
  items: SaberTemplate[];
  total: number;
  limit: number;
  offset: number;
  hasMore: boolean;
}
export interface SaberListQuery {
  /** Page size, 1-100 (default 20). */
  limit?: number;
  offset?: number;
  includeDeleted?: boolean;
}
export type TemplateRef = string | SaberTemplate;

/** Where a company signal's research is. */
export type SaberSignalStatus = 'processing' | 'completed' | 'failed';
export interface SaberCompanySignalSource {
  title?: string | null;
  url: string;
}
/** One piece of research about one company, as the API returns it. A processing signal has only the required members. */
export interface SaberCompanySignal {
  id: string;
  status: SaberSignalStatus;
  domain: string;
  question: string;
  answerType?: SaberAnswerType;
  /** Any JSON, shaped by answerType: text ("1.2k"), a value, or a wrapper ({type, openText: {value}}); `signalAnswer(signal)` unwraps it. */
  answer?: unknown;
  confidence?: number | null;
  reasoning?: string | null;
  sources?: SaberCompanySignalSource[] | null;
  createdAt: string;
  completedAt?: string | null;
  /** Why research failed (status failed). */
  error?: unknown;
}
export interface SaberCompanySignalPage {
  results: SaberCompanySignal[];
  total: number;
  limit: number;
  offset: number;
  /** Signals on this page. */
  count: number;
}
/** Body of signals.create and signals.sync: `signalTemplateId`, or `question` + `answerType` (+ `outputSchema` for json_schema). */
export interface SaberCompanySignalCreate {
  /** A hostname without scheme or path: "acme.com". */
  domain: string;
  signalTemplateId?: string;
  question?: string;
  answerType?: SaberAnswerType;
  outputSchema?: Record<string, unknown>;
  weight?: SaberWeight;
  webhookUrl?: string;
  /** Skip the cache (default false: a cached answer may come back, and then no webhook is sent). */
  forceRefresh?: boolean;
  verificationMode?: 'strict' | 'lenient';
}
export interface SaberCompanySignalQuery {
  domain?: string;
  companyId?: string;
  /** Page size, 1-25 (default 25). */
  limit?: number;
  offset?: number;
  /** RFC 3339; completion time. */
  fromDate?: string;
  toDate?: string;
  /** Sent as one `status` parameter per value. */
  status?: SaberSignalStatus[];
  subscriptionId?: string;
}
export interface SyncOptions extends CallOptions {
  /** How long the server waits for the answer, 1-900 s (X-Sbr-Timeout-Sec; default: the key's setting). */
  timeoutSec?: number;
  /** Answer a timeout with 408 (ResearchTimeoutError) instead of 202 and a processing signal (X-Sbr-Timeout-Error). */
  timeoutError?: boolean;
}
export interface SignalWaitProgress {
  signalId: string;
  poll: number;
  elapsedMs: number;
  status: SaberSignalStatus | null;
  signal: SaberCompanySignal | null;
  done: boolean;
  /** A transient failure of this poll (the wait goes on). */
  error: Error | undefined;
}
export interface WaitForSignalOptions {
  /** ms between polls, or a [min, max] range; default [3000, 5000]. */
  interval?: number | [number, number];
  /** Give up after this many ms (SignalWaitTimeoutError); default 900000. */
  timeout?: number;
  signal?: AbortSignal;
  onProgress?: (progress: SignalWaitProgress) => void | Promise<void>;
}
/** A signal id, or the signal itself. */
export type CompanySignalRef = string | SaberCompanySignal;

/** One template's answer for a company: its signal, the value evaluated, and the evaluation. */
export interface CompanyAnswer extends CriteriaTemplateRef {
  /** The research, or null when the request failed. */
  signal: SaberCompanySignal | null;
  /** What the engine evaluated (`signalAnswer(signal)`); null when there is none. */
  answer: unknown;
  /** `engine.evaluate(template, answer)`; null without an answer. */
  evaluation: Evaluation | null;
}
/** A template whose research gave nothing to evaluate, and why. */
export interface ResearchError extends CriteriaTemplateRef {
  code: 'research_failed' | 'research_timeout' | 'request_failed';
  reason: string;
  /** The HTTP status, when a request failed with one. */
  status?: number;
}
/** The engine's fit score of one company, with the research behind it. */
export interface CompanyScore extends Omit<FitScore, 'errors'> {
  domain: string;
  answers: CompanyAnswer[];
  /** Answers that could not be evaluated (the engine's codes) and research that failed (ResearchError). */
  errors: Array<FitScore['errors'][number] | ResearchError>;
}
/** What scoreCompanies yields: a score and the domain's position in the input, or a company that failed as a whole. */
export type CompanyScoreResult = (CompanyScore & { index: number }) | { domain: string; index: number; error: Error };
export interface TemplateScoreProgress extends CriteriaTemplateRef {
  type: 'template';
  domain: string;
  status: 'researching' | 'processing' | 'completed' | 'failed' | 'error';
  /** Templates finished for this company, of `total`. */
  done: number;
  total: number;
  signal?: SaberCompanySignal | null;
  /** While processing: the waitFor poll. */
  poll?: number;
  error?: Error;
}
export interface CompanyScoreProgress {
  type: 'company';
  domain: string;
  index: number;
  /** Companies finished, and of them failed as a whole. */
  done: number;
  failed: number;
  /** The number of domains when they were given as an array, else null. */
  total: number | null;
  result?: CompanyScore & { index: number };
  error?: Error;
}
export interface ScoreCompanyOptions {
  /** The templates to score with (objects as templates.list gives them, or ids); default: every active template. */
  templates?: ReadonlyArray<SaberTemplate | string>;
  /** Research calls in flight at once (1-64, default 4; across companies in scoreCompanies). */
  concurrency?: number;
  forceRefresh?: boolean;
  verificationMode?: 'strict' | 'lenient';
  /** Each sync's wait, 1-900 s; a signal still processing then is waited for with `wait`. */
  timeoutSec?: number;
  wait?: { interval?: number | [number, number]; timeout?: number };
  /** Criteria options for evaluate and fitScore. */
  criteria?: CriteriaOptions;
  signal?: AbortSignal;
  onProgress?: (progress: TemplateScoreProgress) => void | Promise<void>;
}
export interface ScoreCompaniesOptions extends Omit<ScoreCompanyOptions, 'onProgress'> {
  onProgress?: (progress: TemplateScoreProgress | CompanyScoreProgress) => void | Promise<void>;
}

/** The value of a company signal's answer, as `engine.evaluate(template, value)` takes it (null when there is none). */
export function signalAnswer(signal: unknown): unknown;

export class SaberClient {
  constructor(options: SaberClientOptions);
  readonly baseUrl: string;
  readonly templates: {
    list(query?: SaberListQuery, options?: CallOptions): Paginator<SaberTemplate, SaberTemplatePage>;
    create(body: SaberTemplateCreate | string, options?: CallOptions): Promise<SaberTemplate>;
    get(id: TemplateRef, options?: CallOptions): Promise<SaberTemplate>;
    /** Stores a new version; `template` (or the last version seen) supplies the current answerType. */
    update(id: TemplateRef, patch: SaberTemplateUpdate | string, options?: CallOptions & { template?: Partial<SaberTemplate> }): Promise<SaberTemplate>;
    delete(id: TemplateRef, options?: CallOptions): Promise<void>;
  };
  /** Company signals: research of one company with a template or an inline question. */
  readonly signals: {
    /** Starts research; usually answers a processing signal (a cached answer may come back completed). Never retried once sent. */
    create(body: SaberCompanySignalCreate | string, options?: CallOptions): Promise<SaberCompanySignal>;
    /** Waits for the answer: completed or failed (200), or still processing when the wait ran out (202). */
    sync(body: SaberCompanySignalCreate | string, options?: SyncOptions): Promise<SaberCompanySignal>;
    list(query?: SaberCompanySignalQuery, options?: CallOptions): Paginator<SaberCompanySignal, SaberCompanySignalPage>;
    get(id: CompanySignalRef, options?: CallOptions): Promise<SaberCompanySignal>;
    /** Polls until the research ends: resolves with the completed or failed signal. */
    waitFor(id: CompanySignalRef, options?: WaitForSignalOptions): Promise<SaberCompanySignal>;
  };
  /** Researches one company with every active template (or `options.templates`) and scores it. */
  scoreCompany(domain: string, options?: ScoreCompanyOptions): Promise<CompanyScore>;
  /** Scores many companies, yielding each result as it is ready. */
  scoreCompanies(domains: Iterable<string> | AsyncIterable<string>, options?: ScoreCompaniesOptions): AsyncGenerator<CompanyScoreResult, void, undefined>;
}
