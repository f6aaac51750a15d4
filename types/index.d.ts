// Type declarations for signalkit. Kept honest by tests/types (tsc --noEmit, strict) and
// by tests that compare the runtime exports with these names.

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
  | 'invalid_json' | 'too_large' | 'too_deep' | 'duplicate_key' | 'required' | 'unexpected_body'
  | 'type' | 'unknown_field' | 'too_short' | 'too_long' | 'blank' | 'too_few' | 'too_many' | 'enum'
  | 'pattern' | 'format' | 'below_minimum' | 'above_maximum' | 'contains_dot' | 'empty_patch'
  | 'invalid_range' | 'limit_reached' | 'duplicate_name' | 'built_in_locked' | 'built_in'
  | 'not_built_in' | 'not_applicable' | 'invalid_schema' | 'invalid_context' | 'const' | 'not'
  | 'one_of' | 'any_of' | 'multiple_of' | 'unique_items' | 'contains' | 'too_few_properties'
  | 'too_many_properties' | 'dependency' | 'property_name' | 'not_allowed' | 'too_complex';

export type ValidationKind =
  | 'puffle.signal.dismiss' | 'puffle.signal.feedback' | 'puffle.signal.list'
  | 'puffle.signalType.create' | 'puffle.signalType.delete' | 'puffle.signalType.generate'
  | 'puffle.signalType.get' | 'puffle.signalType.list' | 'puffle.signalType.reset'
  | 'puffle.signalType.update' | 'puffle.signalTypeSource.list' | 'puffle.signalTypeSource.update'
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

export interface RangeCriteria {
  ranges: Array<{ rangeStart?: number | null; rangeEnd?: number | null; answerQualification: Qualification }>;
}
export interface BooleanCriteria { yes?: Qualification; no?: Qualification }
export interface ListCriteria { choices: Record<string, { answerQualification: Qualification; label?: string }> }
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
   * Validates one request before it is sent. `body` is a value (JSON.stringify'd) or the exact
   * JSON text; undefined/null for body-less kinds. Never throws for bad data; throws TypeError
   * for an unknown kind.
   */
  validate(kind: ValidationKind, body?: unknown, context?: ValidationContext | string): ValidationResult;
}

export interface LoadEngineOptions {
  /** The .wasm bytes, when the default location does not work (bundlers, custom hosting). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Browser: maps 'signalkit.wasm' to the URL to fetch it from. */
  locateFile?: (name: string) => string;
}

/** Instantiates the engine once per process/page; later calls return the same promise. */
export function loadEngine(options?: LoadEngineOptions): Promise<Engine>;

/** Largest body the engine accepts: 1 MiB of UTF-8. */
export const MAX_BODY_BYTES: number;
/** Deepest nesting of arrays/objects the engine accepts: 64. */
export const MAX_DEPTH: number;

/** Base class of every error signalkit throws. */
export class SignalkitError extends Error {}

/** A request broke the API's rules; nothing was sent. */
export class ValidationError extends SignalkitError {
  constructor(issues: Issue[], options?: { kind?: string; message?: string });
  readonly kind: string | undefined;
  readonly issues: Issue[];
  /** Same as `issues` (the Saber envelope's name). */
  readonly fields: Issue[];
}
