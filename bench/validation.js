// Preparing a request (validate + serialise) against ajv + JSON.stringify on the same
// bodies and the same schemas; start-up in fresh processes; shipped size.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

// The files the start-up probe loads in Node: the .wasm, the package's ESM entry (the
// bundle package.json "exports" names: wrapper, clients and glue in one file) and the
// engine's Node loader ('#signalkit-wasm' in package.json "imports") with the modules it
// imports.
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
function shippedFiles() {
  const files = [path.join(root, 'dist/signalkit.wasm')];
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    files.push(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:^|[;}])\s*(?:import|export)[^;]*?from\s*["'](\.[^"']+)["']/gm)) {
      visit(path.resolve(path.dirname(file), spec));
    }
  };
  visit(path.join(root, pkg.exports['.'].import));
  visit(path.join(root, pkg.imports['#signalkit-wasm'].node));
  return files;
}

const us = (s) => (s * 1e6).toFixed(2);

export async function run({ engine, log }) {
  const rows = [];
  for (const [kind, body] of [['saber.template.create', templateBody], ['puffle.signalType.create', signalTypeBody]]) {
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
    const ratio = t.signalkit.cpu / t['ajv+stringify'].cpu;
    log(`${kind} (${bytes} B), CPU | wall: signalkit ${us(t.signalkit.cpu)} | ${us(t.signalkit.wall)} µs, ` +
      `ajv+stringify ${us(t['ajv+stringify'].cpu)} | ${us(t['ajv+stringify'].wall)} µs, ` +
      `stringify alone ${us(t['stringify alone'].cpu)} | ${us(t['stringify alone'].wall)} µs`);
    rows.push({
      job: `prepare request ${kind} (${bytes} B), CPU`, unit: 'µs', signalkit: t.signalkit.cpu * 1e6,
      peers: { 'ajv+stringify': t['ajv+stringify'].cpu * 1e6 }, ratio, budget: '≤ 1.25× ajv+stringify', pass: ratio <= 1.25,
      note: `wall ${us(t.signalkit.wall)} vs ${us(t['ajv+stringify'].wall)} µs, ${(t.signalkit.wall / t['ajv+stringify'].wall).toFixed(2)}×`,
    });
  }

  // Fresh processes: import + instantiate + first validate (median of 9), wall from the
  // script's first line (Node's own start is not counted) and the process's CPU (which
  // includes Node's start, ~60 ms, and V8's background compile threads).
  const report = 'const u = process.cpuUsage(); console.log(performance.now() - t0, (u.user + u.system) / 1000);';
  // The probe imports the package as users do ('signalkit', resolved through package.json
  // "exports" by self-reference from the repository's root).
  const probe = `const t0 = performance.now();
    const { loadEngine } = await import('signalkit');
    const e = await loadEngine();
    e.validate('puffle.signalType.create', { name: 'x' });
    ${report}`;
  const ajvProbe = `const t0 = performance.now();
    const { default: Ajv } = await import('ajv');
    const s = JSON.parse((await import('node:fs')).readFileSync(${JSON.stringify(path.join(root, 'schemas/puffle.signalType.create.json'))}, 'utf8'));
    const v = new Ajv({ allErrors: true, strict: false }).compile(s);
    v({ name: 'x' });
    ${report}`;
  // What no change to the package can go below, measured the same way: importing an empty
  // module (Node's ES module loader starting up), and reading and compiling the .wasm alone.
  const empty = path.join(mkdtempSync(path.join(tmpdir(), 'signalkit-bench-')), 'empty.mjs');
  writeFileSync(empty, 'export {};\n');
  const floors = {
    'empty import': `const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(empty).href)}); ${report}`,
    '.wasm read + compile': `const t0 = performance.now();
      const { readFile } = await import('node:fs/promises');
      await WebAssembly.compile(await readFile(${JSON.stringify(path.join(root, 'dist/signalkit.wasm'))}));
      ${report}`,
  };
  // Round by round, so that every probe sees the same load.
  const probes = { signalkit: probe, ajv: ajvProbe, ...floors };
  const runs = Object.fromEntries(Object.keys(probes).map((name) => [name, []]));
  for (let round = 0; round < 9; round++) {
    for (const [name, code] of Object.entries(probes)) {
      runs[name].push(execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' }).trim().split(' ').map(Number));
    }
  }
  rmSync(path.dirname(empty), { recursive: true });
  const startup = (name) => ({ wall: median(runs[name].map((r) => r[0])), cpu: median(runs[name].map((r) => r[1])) });
  const sk = startup('signalkit');
  const ajvMs = startup('ajv');
  log(`import + init + first validate (fresh Node, median of 9), wall | process CPU: signalkit ${sk.wall.toFixed(1)} | ${sk.cpu.toFixed(1)} ms, ` +
    `ajv ${ajvMs.wall.toFixed(1)} | ${ajvMs.cpu.toFixed(1)} ms; floors: ` +
    Object.keys(floors).map((name) => `${name} ${startup(name).wall.toFixed(1)} | ${startup(name).cpu.toFixed(1)} ms`).join(', '));
  rows.push({
    job: 'import + init + first validate (fresh Node), wall', unit: 'ms', signalkit: sk.wall, peers: { ajv: ajvMs.wall },
    ratio: sk.wall / ajvMs.wall, budget: '≤ 30 ms', pass: sk.wall <= 30,
    note: `process CPU ${sk.cpu.toFixed(1)} vs ${ajvMs.cpu.toFixed(1)} ms; floors (wall): ` +
      Object.keys(floors).map((name) => `${name} ${startup(name).wall.toFixed(1)} ms`).join(', '),
  });

  // Shipped size from the real build: what loadEngine loads, brotli -q 11, file by file.
  const files = shippedFiles();
  const brotli = (f) => brotliCompressSync(readFileSync(f), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const sizes = files.map(brotli);
  const kb = sizes.reduce((a, b) => a + b, 0) / 1024;
  // The peer: re2-wasm 1.0.2 (the matcher bench's), its .wasm, glue and wrapper.
  const re2 = ['build/wasm/re2.wasm', 'build/wasm/re2.js', 'build/src/re2.js'].reduce((sum, f) =>
    sum + brotli(path.join(root, 'node_modules/re2-wasm', f)), 0) / 1024;
  log(`size (brotli -q 11): ${kb.toFixed(1)} KB = ${files.map((f, i) => `${path.relative(root, f)} ${(sizes[i] / 1024).toFixed(1)}`).join(' + ')}; re2-wasm ${re2.toFixed(1)} KB`);
  rows.push({ job: 'size, brotli (.wasm + glue + wrapper)', unit: 'KB', signalkit: kb, peers: { 're2-wasm': re2 }, budget: '≤ 150 KB', pass: kb <= 150 });
  return rows;
}
