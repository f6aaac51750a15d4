#!/usr/bin/env node
// A Node automation that uses both signalkit clients end to end:
//   1. Puffle: list the signal types, create (or reuse) a custom type, show a mistake caught
//      before sending, onboard the company (the profile generate needs), generate and wait,
//      tune a source.
//   2. Puffle feed: page through the top signals, dismiss the weak ones, send feedback.
//   3. Saber: create a qualification template, update it (a new version), evaluate answers
//      locally with the engine, page through templates, research three companies with it
//      and score them, clean up.
//
//   node demo/automation/index.js                     # starts its own emulator
//   node demo/automation/index.js --url http://127.0.0.1:4010
//        (keys from PUFFLE_API_KEY / SABER_API_KEY, else the emulator's development keys)
import { parseArgs } from 'node:util';
import {
  loadEngine, PuffleClient, SaberClient, ValidationError, PreconditionError,
} from '../../js/index.js';
import { devKeys, startEmulator } from '../../js/emulator/index.js';

const { values } = parseArgs({
  options: { url: { type: 'string' }, quiet: { type: 'boolean', default: false } },
});
const say = values.quiet ? () => {} : (...a) => console.log(...a);

async function main() {
  const engine = await loadEngine();
  const emu = values.url ? null : await startEmulator({ port: 0, generateDelayMs: 300, onboardingStepMs: 100, researchDelayMs: [50, 200], engine });
  const url = (values.url ?? emu.url).replace(/\/+$/, '');
  const keys = devKeys();
  const local = !values.url || /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])/.test(url);
  say(`signalkit automation against ${url}${emu ? ' (own emulator)' : ''}`);

  const puffle = new PuffleClient({
    apiKey: process.env.PUFFLE_API_KEY ?? keys.puffle,
    baseUrl: `${url}/api/v1`,
    hooks: { onRetry: (s) => say(`  retrying ${s.method} ${s.path} in ${Math.round(s.delayMs)} ms (${s.error.name})`) },
  });
  const saber = new SaberClient({ apiKey: process.env.SABER_API_KEY ?? keys.saber, baseUrl: `${url}/v1` });
  const summary = {};

  try {
    // --- Puffle: signal types -------------------------------------------------------------
    const types = await puffle.signalTypes.list();
    say(`Puffle: ${types.length} signal types: ${types.map((t) => t.label).join(', ')}`);

    try {
      await puffle.signalTypes.create({ name: 'Layoffs', keywords: ['layoffs'], search_instructions: 'Find layoffs.', scoring_criteria: '', sources: ['newsletters'] });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      say(`  caught before sending (${err.fields.length} issues):`);
      for (const f of err.fields) say(`    ${f.field}: ${f.code}: ${f.message}`);
    }

    const existing = types.find((t) => t.label === 'Layoffs');
    const layoffs = existing ?? await puffle.signalTypes.create({
      name: 'Layoffs',
      description: 'Companies cutting staff: they may need cheaper tooling.',
      keywords: ['layoffs', 'reduction in force', 'restructuring'],
      search_instructions: 'Find reports of layoffs at B2B software companies.',
      scoring_criteria: 'Higher when more than 10% of staff are affected.',
      sources: ['news', 'reddit', 'hacker_news'],
    });
    say(`  ${existing ? 'reusing' : 'created'} "${layoffs.label}" (${layoffs.id})`);

    try {
      await puffle.signalTypes.generate(layoffs);
    } catch (err) {
      if (!(err instanceof PreconditionError)) throw err;
      say('  generate needs a company profile; onboarding the company');
      const { sessionId } = await puffle.onboarding.start({ website: 'https://acme-analytics.com' });
      const session = await puffle.onboarding.waitForCompletion(sessionId, {
        // Puffle's crawl takes 30-90 s: keep the default 3-5 s polls there.
        ...(local ? { interval: 100 } : {}),
        onProgress: (s) => say(`  onboarding: ${s.status ?? 'waiting'}`),
      });
      say(`  company profile of ${session.companyName} is ready`);
      const { run_id: runId } = await puffle.signalTypes.generate(layoffs);
      say(`  generation run ${runId} started`);
    }
    const generated = await puffle.signalTypes.waitForGeneration(layoffs, {
      // The real API takes 30-90 s: keep the default 10-15 s polls there.
      ...(local ? { interval: [100, 200], timeout: 30_000 } : {}),
      onProgress: (s) => say(`  poll ${s.poll}: ${s.done ? 'done' : 'still generating'}`),
    });
    say(`  generated ${generated.keywords.length} keywords: ${generated.keywords.slice(0, 5).join(', ')}, ...`);
    const row = await puffle.signalTypes.sources.update(layoffs, 'reddit', { keywords_extra: ['rif'], prompt_override: 'Only r/sales and r/startups.' });
    say(`  source reddit: keywords_extra=${JSON.stringify(row.keywords_extra)}`);
    summary.keywords = generated.keywords.length;

    // --- Puffle: the feed ------------------------------------------------------------------
    const top = await puffle.signals.list({ sort: 'score', limit: 3 }).firstPage();
    for (const signal of top.signals) {
      say(`  top signal: [${signal.score}] ${signal.title} (${signal.source})`);
      await puffle.signals.feedback(signal.id, 'positive');
    }
    let seen = 0;
    let dismissed = 0;
    for await (const signal of puffle.signals.list({ limit: 50 })) { // newest first, cursor pages
      seen += 1;
      if (signal.score < 15) {
        await puffle.signals.dismiss(signal.id);
        dismissed += 1;
      }
      if (seen >= 100) break;
    }
    say(`Feed: looked at the ${seen} newest signals, dismissed ${dismissed} weak ones (score < 15)`);
    summary.signals = seen;

    // --- Saber: templates ------------------------------------------------------------------
    const template = await saber.templates.create({
      name: 'Headcount',
      question: 'How many employees does the company have?',
      answerType: 'number',
      weight: 'important',
      qualificationCriteria: { ranges: [
        { rangeStart: null, rangeEnd: 20, answerQualification: 'disqualified' },
        { rangeStart: 20, rangeEnd: 200, answerQualification: 'good' },
        { rangeStart: 200, rangeEnd: null, answerQualification: 'excellent' },
      ] },
    });
    const v2 = await saber.templates.update(template, { description: 'Company size from public sources' });
    say(`Saber: template "${v2.name}" version ${v2.version} (templateId ${v2.templateId})`);
    for (const answer of ['12', '1.2k', '~150']) {
      const r = engine.evaluate(v2, answer);
      say(`  answer ${JSON.stringify(answer)} -> ${r.qualification}${r.value !== undefined ? ` (${r.value})` : ''}`);
    }
    try {
      await saber.templates.update(v2, { qualificationCriteria: { yes: 'good' } });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      say(`  caught before sending: ${err.fields[0].field}: ${err.fields[0].message}`);
    }
    const all = await saber.templates.list({ limit: 50 }).toArray();
    say(`  ${all.length} template(s) listed`);

    // --- Saber: research companies with the template and score them ---------------------
    let scored = 0;
    for await (const r of saber.scoreCompanies(['contoso.com', 'tyrell.com', 'fabrikam.com'], { templates: [v2] })) {
      const a = r.answers[0];
      say(`  ${r.domain}: ${JSON.stringify(a.answer)} -> ${a.evaluation?.qualification ?? r.errors[0]?.code}, fit score ${r.score ?? 'none'}`);
      scored += 1;
    }
    summary.scored = scored;
    await saber.templates.delete(v2);
    summary.templates = all.length;
    say('Done.');
    return summary;
  } finally {
    await emu?.close();
  }
}

main().then(
  (summary) => { if (values.quiet) console.log(JSON.stringify(summary)); },
  (err) => {
    console.error(`automation failed: ${err.message}`);
    process.exitCode = 1;
  },
);
