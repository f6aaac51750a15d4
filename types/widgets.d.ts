// Types for signalkit/widgets: the three custom elements, their properties and events.
// Behaviour and theming: docs/widgets.md.
import type { Engine, Issue as ValidationIssue, PuffleClient, PuffleSignalType } from './index.js';

/** The engine the widgets use when an element has no `engine` of its own. */
export function setDefaultEngine(engine: Engine | Promise<Engine>): void;

export const SOURCES: readonly ['news', 'reddit', 'hacker_news', 'x_twitter', 'linkedin_posts', 'linkedin_jobs', 'g2_capterra'];
export const QUALIFICATIONS: readonly ['disqualified', 'poor', 'neutral', 'good', 'excellent'];

export interface TypeEditorValidateDetail {
  mode: 'create' | 'edit';
  kind: 'puffle.signalType.create' | 'puffle.signalType.update';
  valid: boolean;
  issues: ValidationIssue[];
  /** The request body the form holds (the whole type on create, the changed fields on edit). */
  body: Record<string, unknown>;
  /** The exact JSON text that was validated. */
  json: string | undefined;
}
export interface TypeEditorSubmitDetail {
  mode: 'create' | 'edit';
  kind: 'puffle.signalType.create' | 'puffle.signalType.update';
  /** The type's id when editing, else null. */
  id: string | null;
  body: Record<string, unknown>;
  json: string | undefined;
}

/** `<signalkit-type-editor>`: create or edit a Puffle signal type with live validation. */
export class SignalkitTypeEditor extends HTMLElement {
  /** The engine to validate with (default: the shared `loadEngine()`). */
  engine: Engine | null;
  /** The type to edit as the API returns it; null for a new type. */
  type: PuffleSignalType | null;
  /** The caller's complete list of types: enables the 20-type cap and unique names. */
  types: PuffleSignalType[] | null;
  /** When set, submitting saves through it and fires `signalkit-saved` / `signalkit-error`. */
  client: PuffleClient | null;
  /** A signalkit proxy's URL (attribute `endpoint`): without `types` the list is loaded from it; without `client` it saves through it. */
  endpoint: string | null;
  /** The id of the type to edit, picked from `types` (attribute `type-id`). */
  typeId: string | null;
  readonly mode: 'create' | 'edit';
  readonly kind: 'puffle.signalType.create' | 'puffle.signalType.update';
  /** The request body the form holds now. */
  readonly value: Record<string, unknown>;
  /** Engine and server issues currently known. */
  readonly issues: ValidationIssue[];
  /** Validates now and shows the issues; fires `signalkit-validate`. */
  validate(): Promise<TypeEditorValidateDetail>;
  /** Validates everything; fires `signalkit-invalid` or the cancelable `signalkit-submit` (then saves when `client` is set). */
  submit(): Promise<PuffleSignalType | null>;
  /** Shows server-side issues (an error's `fields`) next to their fields. */
  setServerIssues(issues: Array<{ field?: string; code?: string; message?: string }>): void;
  /** Puts the form back to `type` (or a blank new type). */
  reset(): void;
}

export interface KeywordPreviewMatchDetail {
  doc: { source: string; text: string };
  /** `matcher.match(doc)`: per matching type, its keywords with UTF-16 offsets and any disqualifier. */
  result: { id: string | null; matched: boolean; types: Array<{ index: number; id: string | null; label: string | null; matched: boolean; keywords: Array<{ keyword: string; field: string; start: number; end: number; count: number }>; disqualifiedBy: { keyword: string; field: string; start: number; end: number; count: number } | null; snippet: { field: string; start: number; end: number; text: string } }> };
}

/** `<signalkit-keyword-preview>`: paste text, see matched keywords and disqualifiers per type. */
export class SignalkitKeywordPreview extends HTMLElement {
  engine: Engine | null;
  /** Signal types (or a list response `{signal_types}`); compiled once per assignment. */
  types: PuffleSignalType[] | { signal_types: PuffleSignalType[] };
  /** The text in the box (setting it matches at once). */
  text: string;
  /** The document's source; types restricted to other sources do not apply. */
  source: string;
  /** A signalkit proxy's URL (attribute `endpoint`): without `types` the tenant's types are loaded from it. */
  endpoint: string | null;
  readonly result: KeywordPreviewMatchDetail['result'] | null;
  /** Matches now; fires `signalkit-match`. */
  run(): Promise<KeywordPreviewMatchDetail['result'] | null>;
}

export interface CriteriaTemplate {
  id?: string;
  name?: string;
  question?: string;
  answerType: string;
  weight?: 'important' | 'nice_to_have' | 'not_important';
  qualificationCriteria?: Record<string, unknown>;
  [field: string]: unknown;
}
export interface CriteriaResultRow {
  answer: string;
  /** engine.evaluate(template, answer) */
  result: { qualification: string | null; matched: boolean; value: unknown; currency?: string; code?: string; reason?: string };
  /** engine.fitScore([{template, answer}]).score: 0–100, or null when the weight is 0. */
  score: number | null;
}

/** `<signalkit-criteria-tester>`: edit a template's criteria, try answers, see qualification and fit score. */
export class SignalkitCriteriaTester extends HTMLElement {
  engine: Engine | null;
  /** The template under test; reading gives the edited copy. */
  template: CriteriaTemplate;
  /** Answers to try, one per line. */
  answers: string[];
  /** A signalkit proxy's URL (attribute `endpoint`): the tenant's templates are loaded from it and Save criteria updates them. */
  endpoint: string | null;
  /** The template to pick from the endpoint's list (attribute `template-id`; default the first). */
  templateId: string | null;
  /** engine.checkCriteria issues of the current criteria. */
  readonly issues: ValidationIssue[];
  readonly results: CriteriaResultRow[];
  /** Evaluates every answer now; fires `signalkit-evaluate`. */
  evaluate(): Promise<CriteriaResultRow[]>;
}

declare global {
  interface HTMLElementTagNameMap {
    'signalkit-type-editor': SignalkitTypeEditor;
    'signalkit-keyword-preview': SignalkitKeywordPreview;
    'signalkit-criteria-tester': SignalkitCriteriaTester;
  }
  interface HTMLElementEventMap {
    'signalkit-validate': CustomEvent<TypeEditorValidateDetail>;
    'signalkit-invalid': CustomEvent<{ mode: 'create' | 'edit'; issues: ValidationIssue[] }>;
    'signalkit-submit': CustomEvent<TypeEditorSubmitDetail>;
    /** The type editor saved a type, or the criteria tester a template; `endpoint` when saved through one. */
    'signalkit-saved': CustomEvent<{ mode: 'create' | 'edit'; type: PuffleSignalType; endpoint?: string } | { template: CriteriaTemplate; endpoint: string }>;
    'signalkit-error': CustomEvent<{ mode: 'create' | 'edit'; error: unknown }>;
    'signalkit-cancel': CustomEvent<{ mode: 'create' | 'edit' }>;
    'signalkit-match': CustomEvent<KeywordPreviewMatchDetail>;
    'signalkit-criteria-change': CustomEvent<{ template: CriteriaTemplate; valid: boolean; issues: ValidationIssue[] }>;
    'signalkit-evaluate': CustomEvent<{ template: CriteriaTemplate; results: CriteriaResultRow[] }>;
  }
}
