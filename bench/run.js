#!/usr/bin/env node
// `npm run bench`: every signalkit job against its peers, in one run on this machine, with
// ratios against the budgets (docs/performance.md). Each bench/<job>.js module exports
// `run({ engine, log })` and returns rows { job, signalkit, peers: {name: value}, unit,
// ratio, budget, pass, note }. Results also go to bench/results/latest.json (git-ignored).
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import os from 'node:os';
import { loadEngine } from '../js/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const modules = ['validation', 'schema', 'criteria', 'matcher', 'ratelimit'].filter((m) => !only.length || only.includes(m));

const engine = await loadEngine();
const rows = [];
for (const name of modules) {
  const file = path.join(here, `${name}.js`);
  if (!existsSync(file)) continue;
  const mod = await import(file);
  console.log(`\n== ${name} ==`);
  rows.push(...(await mod.run({ engine, log: (...a) => console.log('  ', ...a) })));
}

console.log('\n== summary ==');
const fmt = (v) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)) : String(v));
for (const r of rows) {
  const peers = Object.entries(r.peers ?? {}).map(([k, v]) => `${k} ${fmt(v)}`).join('; ');
  console.log(`${r.pass ? 'PASS' : 'MISS'}  ${r.job}: signalkit ${fmt(r.signalkit)} ${r.unit}` +
    (peers ? ` | ${peers}` : '') + (r.ratio !== undefined ? ` | ratio ${fmt(r.ratio)}` : '') + ` | budget ${r.budget}` +
    (r.note ? ` (${r.note})` : ''));
}
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'latest.json'), JSON.stringify({
  date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model,
  loadavg: os.loadavg(), rows,
}, null, 2));
