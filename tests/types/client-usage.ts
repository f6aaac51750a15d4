// Type-level usage of the clients, checked by `tsc --noEmit -p tests/types` (strict).
// Never executed. `@ts-expect-error` lines prove that wrong uses are rejected.
import {
  ApiError,
  GenerationTimeoutError,
  PuffleClient,
  RateLimitError,
  SaberClient,
  ValidationError,
  type PuffleEntityGroup,
  type PuffleOnboardingStatus,
  type PuffleSignal,
  type PuffleSignalType,
  type RetryState,
  type SaberTemplate,
  type SaberTemplatePage,
  ResearchTimeoutError,
  SignalWaitTimeoutError,
  signalAnswer,
  type CompanyScore,
  type CompanyScoreResult,
  type SaberCompanySignal,
  type SaberCompanySignalPage,
} from '../../types/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function assertType<T extends true>(): void {}

async function usage(): Promise<void> {
  const puffle = new PuffleClient({
    apiKey: 'pk_live_' + '0'.repeat(64),
    baseUrl: 'http://127.0.0.1:4010/api/v1',
    timeout: 10_000,
    maxRetries: 3,
    rateLimit: { limit: 100, windowMs: 60_000 },
    hooks: { onRetry: (s: RetryState) => void s.delayMs, onResponse: (s) => void s.status },
    fetch: (input, init) => fetch(input, init),
  });
  // @ts-expect-error apiKey is required
  new PuffleClient({});
  // @ts-expect-error Puffle's limiter is a window, not buckets
  new PuffleClient({ apiKey: 'x', rateLimit: { write: { limit: 1 } } });

  const types = await puffle.signalTypes.list();
  assertType<Equal<typeof types, PuffleSignalType[]>>();
  const created = await puffle.signalTypes.create({
    name: 'Layoffs', keywords: ['layoffs'], search_instructions: 's', scoring_criteria: 'c', sources: ['news'],
  });
  // @ts-expect-error sources come from the request enum
  await puffle.signalTypes.create({ name: 'x', keywords: ['x'], search_instructions: 's', scoring_criteria: 'c', sources: ['myspace'] });
  await puffle.signalTypes.update(created, { keywords: ['a'] }, { type: created, signal: AbortSignal.timeout(1000) });
  await puffle.signalTypes.update(created.id, '{"enabled":false}');
  // @ts-expect-error label is the response name; requests use name
  await puffle.signalTypes.update(created.id, { label: 'x' });
  const { run_id } = await puffle.signalTypes.generate(created, { force: true });
  const done = await puffle.signalTypes.waitForGeneration(created.id, {
    interval: [10_000, 15_000], timeout: 180_000, onProgress: (p) => void p.changed.keywords,
  });
  assertType<Equal<typeof done, PuffleSignalType>>();
  const rows = await puffle.signalTypes.sources.list(created);
  await puffle.signalTypes.sources.update(created, 'reddit', { prompt_override: null });
  // @ts-expect-error unknown source id
  await puffle.signalTypes.sources.update(created, 'myspace', { enabled: true });

  for await (const s of puffle.signals.list({ sort: 'score', source: ['news', 'reddit'], since: new Date() })) {
    assertType<Equal<typeof s, PuffleSignal>>();
    await puffle.signals.feedback(s.id, 'positive');
    await puffle.signals.dismiss(s.id);
  }
  // @ts-expect-error feedback is positive or negative
  await puffle.signals.feedback('id', 'meh');
  const firstTen: PuffleSignal[] = await puffle.signals.list().toArray({ limit: 10 });
  const { sessionId } = await puffle.onboarding.start({ website: 'https://acme.com', firstName: 'Jane' });
  const session = await puffle.onboarding.waitForCompletion(sessionId, { interval: [3000, 5000], onProgress: (p) => void p.status });
  assertType<Equal<typeof session.status, PuffleOnboardingStatus>>();
  const { context, profile } = await puffle.context.get();
  if (context) await puffle.context.set({ context, profile: { companyName: profile?.companyName ?? null } });
  await puffle.context.set({ context: { user: {}, company: { product: 'Rockets' }, content: {}, market: { icpJobTitles: ['CTO'] }, extra: null } });
  // @ts-expect-error the company profile is not a flat object
  await puffle.context.set({ company_name: 'Acme' });
  // @ts-expect-error market is one of the four required sections
  await puffle.context.set({ context: { user: {}, company: {}, content: {} } });
  const { url } = await puffle.partners.portal();
  for await (const group of puffle.signals.list({ group_by: 'entity' })) {
    assertType<Equal<typeof group, PuffleEntityGroup>>();
    void group.signals[0]?.confidence;
  }
  const page = await puffle.signals.list({ limit: 10 }).firstPage();
  if (page) { const next: string | null = page.pagination.cursor; void next; }
  const deletedType: void = await puffle.signalTypes.delete(created);
  void [url, deletedType];

  const saber = new SaberClient({ apiKey: 'sk_live_x', rateLimit: { write: { limit: 2000, windowMs: 60_000, burst: 400 }, read: false } });
  const t = await saber.templates.create({ name: 'n', question: 'q', answerType: 'boolean', qualificationCriteria: { yes: 'good', no: 'poor' } });
  assertType<Equal<typeof t, SaberTemplate>>();
  await saber.templates.update(t, { weight: 'nice_to_have' }, { template: t });
  // @ts-expect-error contacts_generation cannot be set by update
  await saber.templates.update(t, { answerType: 'contacts_generation' });
  for await (const page of saber.templates.list({ limit: 100, includeDeleted: true }).pages()) {
    assertType<Equal<typeof page, SaberTemplatePage>>();
  }
  const deleted: void = await saber.templates.delete(t.id);

  const started = await saber.signals.create({ domain: 'acme.com', signalTemplateId: t.id, forceRefresh: true });
  const finished = await saber.signals.waitFor(started, { interval: [3000, 5000], onProgress: (p) => void p.status });
  assertType<Equal<typeof finished, SaberCompanySignal>>();
  const synced = await saber.signals.sync({ domain: 'acme.com', question: 'How many employees?', answerType: 'number' }, { timeoutSec: 120, timeoutError: true });
  if (synced.status === 'processing') await saber.signals.waitFor(synced.id);
  // @ts-expect-error verificationMode is strict or lenient
  await saber.signals.create({ domain: 'acme.com', signalTemplateId: t.id, verificationMode: 'loose' });
  // @ts-expect-error status filters take an array of states
  saber.signals.list({ status: 'completed' });
  for await (const p of saber.signals.list({ domain: 'acme.com', status: ['completed', 'failed'], limit: 25 }).pages()) {
    assertType<Equal<typeof p, SaberCompanySignalPage>>();
  }
  const value: unknown = signalAnswer(finished);
  const score = await saber.scoreCompany('acme.com', { templates: [t, t.id], concurrency: 4, criteria: { veto: true }, onProgress: (p) => void p.status });
  assertType<Equal<typeof score, CompanyScore>>();
  const why: string[] = score.errors.map((e) => `${e.name}: ${e.code} ${e.reason}`);
  for (const a of score.answers) void [a.signal?.status, a.evaluation?.qualification, a.answer];
  for await (const r of saber.scoreCompanies(['acme.com', 'globex.com'], { concurrency: 8, onProgress: (p) => void (p.type === 'company' ? p.done : p.status) })) {
    assertType<Equal<typeof r, CompanyScoreResult>>();
    if ('error' in r) void r.error.message; else void [r.index, r.score, r.disqualifiedBy];
  }
  // @ts-expect-error domains are strings
  saber.scoreCompanies([42]);
  void [value, why];

  try {
    await saber.templates.get(t.id);
  } catch (err) {
    if (err instanceof RateLimitError) { const ms: number | undefined = err.retryAfterMs; void ms; }
    if (err instanceof ApiError) { const status: number = err.status; const rid: string | undefined = err.requestId; void [status, rid, err.fields[0]?.field]; }
    if (err instanceof ValidationError) void err.fields;
    if (err instanceof GenerationTimeoutError) { const runId: string | undefined = err.run_id; void runId; }
    if (err instanceof ResearchTimeoutError) { const sec: number | undefined = err.timeoutSec; const status: number = err.status; void [sec, status]; }
    if (err instanceof SignalWaitTimeoutError) { const last: SaberCompanySignal | null = err.signal; void [last, err.signalId]; }
  }
  void [run_id, rows, firstTen, deleted];
}
void usage;
