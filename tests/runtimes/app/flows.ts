// Type-checked (never run) under TypeScript's strict mode with module nodenext, node16 (as
// an ES module and as CommonJS) and bundler resolution: the package's main flows must
// compile as users write them. tests/runtimes/matrix.test.mjs copies it to .mts/.cts/.ts.
import { isSignalkitError, loadEngine, PuffleClient, SaberClient, ValidationError, type PuffleSignalType } from 'signalkit';
import { startEmulator } from 'signalkit/emulator';

export async function typedFlows(): Promise<number> {
  const emu = await startEmulator({ generateDelayMs: 10 });
  const engine = await loadEngine();
  const puffle = new PuffleClient({ apiKey: emu.devKeys.puffle, baseUrl: emu.url });

  // list → compileMatcher (with and without the per-source settings)
  const types = await puffle.signalTypes.list();
  const matcher = engine.compileMatcher(await puffle.signalTypes.list());
  const withSettings = await Promise.all(types.map(async (t) => ({ ...t, source_settings: await puffle.signalTypes.sources.list(t) })));
  const preview = engine.compileMatcher(withSettings, { includeDisabled: true });
  const labels: Array<string | null> = matcher.match({ id: 'p1', source: 'news', title: 'Acme raises', text: '' }).types.map((t) => t.label);
  matcher.close();
  preview.close();

  // create → update
  const created: PuffleSignalType = await puffle.signalTypes.create({
    name: 'Layoffs', keywords: ['layoffs'], search_instructions: 's', scoring_criteria: 'c', sources: ['news'],
  });
  const updated = await puffle.signalTypes.update(created, { disqualifiers: ['rumour'] }, { timeout: 5000 });
  const disqualifiers: string[] = updated.disqualifiers;

  // the feed, across every page
  let scored = 0;
  for await (const signal of puffle.signals.list({ sort: 'score', source: ['news'] })) {
    if ((signal.score ?? 0) > 50) scored += 1;
  }

  // errors, by class and by name-based guard
  try {
    await puffle.signalTypes.create({ name: '', keywords: [], search_instructions: 's', scoring_criteria: 'c', sources: ['news'] });
  } catch (err) {
    if (ValidationError.is(err)) scored += err.issues.length;
    else if (err instanceof ValidationError) scored += err.fields.length;
    else if (isSignalkitError(err)) throw err;
  }

  const saber = new SaberClient({ apiKey: emu.devKeys.saber, baseUrl: emu.saberBaseUrl });
  const template = await saber.templates.create({ name: 'Headcount', question: 'How many employees?', answerType: 'number' });
  const v2 = await saber.templates.update(template, { description: 'From public sources' });
  await emu.close();
  return labels.length + disqualifiers.length + scored + v2.version;
}
