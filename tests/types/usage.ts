// Type-level usage of the public API, checked by `tsc --noEmit -p tests/types` (strict).
// Never executed. `@ts-expect-error` lines prove that wrong uses are rejected: if the
// declarations loosen (e.g. kind becomes `string`), those lines stop erroring and tsc fails.
import {
  loadEngine,
  MAX_BODY_BYTES,
  MAX_DEPTH,
  SignalkitError,
  ValidationError,
  type Engine,
  type Issue,
  type IssueCode,
  type ValidationContext,
  type ValidationKind,
  type ValidationResult,
  type Qualification,
  type FitScore,
  type CompiledCriteria,
  type Evaluation,
  type Matcher,
  type DocumentMatch,
} from '../../types/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function assertType<T extends true>(): void {}

async function usage(): Promise<void> {
  const engine = await loadEngine();
  assertType<Equal<typeof engine, Engine>>();
  await loadEngine({ wasmBinary: new Uint8Array(8) });
  await loadEngine({ locateFile: (name: string) => `/assets/${name}` });
  // @ts-expect-error wasmBinary is bytes, not a path
  await loadEngine({ wasmBinary: 'signalkit.wasm' });

  const kinds = engine.kinds();
  assertType<Equal<typeof kinds, readonly ValidationKind[]>>();
  // @ts-expect-error kinds() is read-only
  kinds.push('puffle.signalType.create');

  const result = engine.validate('puffle.signalType.create', {
    name: 'Layoffs',
    keywords: ['layoffs'],
    search_instructions: 'Find layoff news.',
    scoring_criteria: 'Score higher for large layoffs.',
    sources: ['news'],
  });
  assertType<Equal<typeof result, ValidationResult>>();
  const valid: boolean = result.valid;
  const json: string | undefined = result.json;
  for (const issue of result.issues) {
    assertType<Equal<typeof issue, Issue>>();
    const field: string = issue.field;
    const message: string = issue.message;
    const code: string = issue.code;
    const documented: IssueCode | (string & {}) = issue.code; // documented codes autocomplete
    void [field, message, code, documented];
  }
  void [valid, json];

  // Body as exact JSON text, body-less kinds, and every context member.
  engine.validate('saber.template.list', '{"limit":10}');
  engine.validate('puffle.signalType.delete', undefined, { params: { id: '3c90c3cc-0d44-4b50-8888-8dd25736052a' } });
  const context: ValidationContext = {
    params: { id: 'x', sourceId: 'news' },
    type: { id: 'x', built_in: true, keywords: [] },
    types: [{ label: 'Layoffs' }],
    template: { answerType: 'number' },
  };
  engine.validate('puffle.signalType.update', { enabled: false }, context);

  // @ts-expect-error not a validation kind
  engine.validate('puffle.signalType.frobnicate', {});
  // @ts-expect-error context members are typed
  engine.validate('puffle.signalType.update', {}, { params: { id: 42 } });
  // @ts-expect-error a template's answerType is one of the Saber answer types
  engine.validate('saber.template.update', {}, { template: { answerType: 'numeric' } });

  const schema = engine.schema('saber.template.create');
  assertType<Equal<typeof schema, Record<string, unknown> | null>>();

  const limits: number = MAX_BODY_BYTES + MAX_DEPTH;
  void limits;

  const error = new ValidationError(result.issues, { kind: 'puffle.signalType.create' });
  const base: SignalkitError = error;
  const issues: Issue[] = error.issues;
  const fields: Issue[] = error.fields;
  const errorKind: string | undefined = error.kind;
  void [base, issues, fields, errorKind];
  if (error instanceof Error) void error.message;

  // Qualification criteria
  const template = {
    answerType: 'number' as const,
    weight: 'important' as const,
    qualificationCriteria: { ranges: [{ rangeStart: null, rangeEnd: 10, answerQualification: 'poor' as const }] },
  };
  const checked: { valid: boolean; issues: Issue[] } = engine.checkCriteria('number', template.qualificationCriteria);
  const evaluation = engine.evaluate(template, '1.2k', { lastRangeInclusive: false });
  const q: Qualification | null = evaluation.qualification;
  const batch = engine.evaluateMany(template, new Float64Array([1, 2]), { out: new Uint8Array(2) });
  const fit: FitScore = engine.fitScore([{ template, answer: '5' }]);
  const score: number | null = fit.score;
  // @ts-expect-error listCombine takes one of three names
  engine.evaluate(template, '1', { listCombine: 'first' });
  const compiled: CompiledCriteria = engine.compileCriteria(template, { unmatched: 'poor' });
  const again: Evaluation = compiled.evaluate('1.2k');
  const compileError: Evaluation | null = compiled.error;
  // @ts-expect-error the options are fixed when the criteria are compiled
  compiled.evaluate('1.2k', { unmatched: 'good' });
  compiled[Symbol.dispose]();
  compiled.close();
  const closed: boolean = compiled.closed;
  const live: number = engine.criteriaStats().live;
  void [checked, q, batch, score, again, compileError, closed, live];

  // Keyword matching
  const matcher: Matcher = engine.compileMatcher([{ label: 'Funding', keywords: ['series b'], sources: null }], { snippetRadius: 40 });
  const match: DocumentMatch = matcher.match({ source: 'news', title: 'Series-B', text: 'raised' });
  for (const t of match.types) for (const k of t.keywords) void [k.start, k.end, k.field];
  const many: DocumentMatch[] = matcher.matchMany([{ text: 'a' }]);
  const later: Promise<DocumentMatch[]> = matcher.matchManyAsync([{ text: 'a' }], { signal: new AbortController().signal });
  // @ts-expect-error a document needs its text
  matcher.match({ title: 'no text' });
  matcher.close();
  void [many, later];
}
void usage;
