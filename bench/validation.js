// Preparing a request (validate + serialise) against ajv + JSON.stringify on the same
// bodies and the same schemas; start-up in fresh processes; shipped size.
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { compare, median } from './timing.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The budget's workload (docs/performance.md): a 1.25 KB signal-type body. */
export const signalTypeBody = {
  name: 'Competitor layoffs in the mid-market CRM segment',
  description: 'Layoffs, hiring freezes and restructuring at companies that compete with us for mid-market CRM deals in Europe and North America.',
  keywords: ['layoff', 'layoffs', 'laid off', 'reduction in force', 'RIF', 'restructuring', 'hiring freeze',
    'job cuts', 'downsizing', 'workforce reduction', 'redundancies', 'cost cutting', 'let go', 'furlough',
    'sales team cuts', 'customer success cuts', 'office closure', 'reorg', 'severance', 'headcount reduction'],
  search_instructions: 'Look for credible reports (press, executive posts, employee posts with corroboration) that a company in our competitor list or in the mid-market CRM space is reducing staff, freezing hiring or closing offices. Ignore rumours without a named source and ignore companies outside software.',
  scoring_criteria: 'Score higher when the cuts affect sales, customer success or support teams, when the company is a named competitor, and when the report is less than a week old. Score lower for small single-team changes.',
  sources: ['news', 'reddit', 'hacker_news', 'linkedin_posts', 'x_twitter'],
  enabled: true,
};

export const templateBody = {
  name: 'Annual recurring revenue',
  description: 'Estimated ARR from public statements, funding announcements and press coverage.',
  question: 'What is the company\'s most recent annual recurring revenue in US dollars?',
  answerType: 'currency',
  weight: 'important',
  qualificationCriteria: {
    ranges: [
      { rangeStart: null, rangeEnd: 1000000, answerQualification: 'poor' },
      { rangeStart: 1000000, rangeEnd: 10000000, answerQualification: 'good' },
      { rangeStart: 10000000, rangeEnd: null, answerQualification: 'excellent' },
    ],
  },
};

function ajvFor(kind) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(path.join(root, 'schemas', `${kind}.json`), 'utf8')));
}

export async function run({ engine, log }) {
  const rows = [];
  for (const [kind, body] of [['puffle.signalType.create', signalTypeBody], ['saber.template.create', templateBody]]) {
    const ajvValidate = ajvFor(kind);
    if (!engine.validate(kind, body).valid || !ajvValidate(body)) throw new Error(`bench body for ${kind} is not valid`);
    const bytes = Buffer.byteLength(JSON.stringify(body));
    let sink = 0;
    const t = compare({
      signalkit: () => { sink += engine.validate(kind, body).json.length; },
      'ajv+stringify': () => { if (ajvValidate(body)) sink += JSON.stringify(body).length; },
      'stringify alone': () => { sink += JSON.stringify(body).length; },
    });
    if (sink === 0) throw new Error('unreachable');
    const ratio = t.signalkit / t['ajv+stringify'];
    log(`${kind} (${bytes} B): signalkit ${(t.signalkit * 1e6).toFixed(2)} µs, ajv+stringify ${(t['ajv+stringify'] * 1e6).toFixed(2)} µs, stringify alone ${(t['stringify alone'] * 1e6).toFixed(2)} µs`);
    rows.push({
      job: `prepare request ${kind} (${bytes} B)`, unit: 'µs', signalkit: t.signalkit * 1e6,
      peers: { 'ajv+stringify': t['ajv+stringify'] * 1e6 }, ratio, budget: '≤ 1.5× ajv+stringify', pass: ratio <= 1.5,
    });
  }

  // Fresh processes: import + instantiate + first validate (median of 9).
  const probe = `const t0 = performance.now();
    const { loadEngine } = await import(${JSON.stringify(path.join(root, 'js/index.js'))});
    const e = await loadEngine();
    e.validate('puffle.signalType.create', { name: 'x' });
    console.log(performance.now() - t0);`;
  const ajvProbe = `const t0 = performance.now();
    const { default: Ajv } = await import('ajv');
    const s = JSON.parse((await import('node:fs')).readFileSync(${JSON.stringify(path.join(root, 'schemas/puffle.signalType.create.json'))}, 'utf8'));
    const v = new Ajv({ allErrors: true, strict: false }).compile(s);
    v({ name: 'x' });
    console.log(performance.now() - t0);`;
  const startup = (code) => median(Array.from({ length: 9 }, () =>
    Number(execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' }).trim())));
  const sk = startup(probe);
  const ajvMs = startup(ajvProbe);
  log(`import + init + first validate: signalkit ${sk.toFixed(1)} ms, ajv ${ajvMs.toFixed(1)} ms (fresh Node, median of 9)`);
  rows.push({ job: 'import + init + first validate (fresh Node)', unit: 'ms', signalkit: sk, peers: { ajv: ajvMs }, budget: '≤ 30 ms', pass: sk <= 30 });

  // Shipped size: .wasm + ESM glue + wrapper, brotli -q 11.
  const files = ['dist/signalkit.wasm', 'dist/signalkit.esm.mjs', 'js/index.js', 'js/engine.js', 'js/errors.js']
    .map((f) => path.join(root, f)).filter(existsSync);
  const br = files.reduce((sum, f) => sum + brotliCompressSync(readFileSync(f), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length, 0);
  const kb = br / 1024;
  log(`size (brotli): ${kb.toFixed(1)} KB over ${files.map((f) => path.relative(root, f)).join(', ')}`);
  rows.push({ job: 'size, brotli (.wasm + glue + wrapper)', unit: 'KB', signalkit: kb, budget: '≤ 150 KB', pass: kb <= 150 });
  return rows;
}
