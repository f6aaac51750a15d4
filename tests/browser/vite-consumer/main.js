// A consumer app: imports the package by name, as an application would after
// `npm install signalkit`. Vite must find the .wasm through
// new URL('../dist/signalkit.wasm', import.meta.url) and emit it as an asset.
import { loadEngine, PuffleClient } from 'signalkit';
import 'signalkit/widgets';

const out = document.getElementById('result');
try {
  const engine = await loadEngine();
  const v = engine.validate('puffle.signalType.create', { name: 'Layoffs', keywords: ['layoffs'], search_instructions: 'x', scoring_criteria: 'y', sources: ['news', 'myspace'] });
  // Browser use of a client needs the explicit opt-in (README "Browser clients").
  let browserGuard = false;
  try {
    new PuffleClient({ apiKey: `pk_live_${'a'.repeat(64)}` });
  } catch (err) {
    browserGuard = /dangerouslyAllowBrowser/.test(err.message);
  }
  const preview = document.getElementById('preview');
  preview.types = [{ label: 'Layoffs', enabled: true, sources: null, keywords: ['layoffs'], disqualifiers: [] }];
  preview.text = 'Globex announces layoffs.';
  out.textContent = JSON.stringify({ issues: v.issues.map((i) => `${i.field}:${i.code}`), browserGuard });
  out.dataset.state = 'done';
} catch (err) {
  out.textContent = `error: ${err.message}`;
  out.dataset.state = 'error';
}
