// Runs under `script-src 'self' 'wasm-unsafe-eval'` (no 'unsafe-eval', no inline script):
// the engine's glue is built with -sDYNAMIC_EXECUTION=0 and the widgets use
// constructable stylesheets, so everything below must work.
import { loadEngine } from '/js/index.js';

const out = document.getElementById('result');
try {
  const engine = await loadEngine();
  const types = [{ id: 't1', label: 'Funding', enabled: true, sources: null, keywords: ['series b', 'raises'], disqualifiers: ['kickstarter'] }];
  const matcher = engine.compileMatcher(types);
  const match = matcher.match({ source: 'news', text: 'Acme raises a Series-B.' });
  matcher.close();
  const result = {
    validate: engine.validate('puffle.signalType.create', { name: '', keywords: ['x'], search_instructions: 's', scoring_criteria: 's', sources: ['news'] }).issues.map((i) => `${i.field}:${i.code}`),
    match: match.types.map((t) => `${t.label}:${t.keywords.map((k) => k.keyword).join('+')}`),
    evaluate: engine.evaluate({ answerType: 'number', qualificationCriteria: { ranges: [{ rangeStart: 1000, rangeEnd: null, answerQualification: 'excellent' }] } }, '1.2k').qualification,
  };
  document.getElementById('preview').types = types;
  document.getElementById('preview').text = 'Acme raises a Series-B round on Kickstarter?';
  out.textContent = JSON.stringify(result);
  out.dataset.state = 'done';
} catch (err) {
  out.textContent = `error: ${err.message}`;
  out.dataset.state = 'error';
}
