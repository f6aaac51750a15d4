// Keyword matching on the peer workload (bench/corpus.js: 20 types x 30 keywords + 10
// disqualifiers, 20,000 documents, ~16.8 MB): signalkit's wasm matchMany (batch crossing
// included, every matched document's results read) against JS RegExp, a plain JS
// tokenizer, re2-wasm, modern-ahocorasick and native RE2::Set (built here from
// bench/cpp/matcher_bench.cpp), with every document checked against a straightforward JS
// reference; then adversarial inputs within the limits, in MB/s, and the engine memory a
// large document takes.
//   npm run bench -- matcher        (or: node bench/matcher.js)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { corpusJson, generateCorpus } from './corpus.js';
import { median } from './timing.js';
import { compileReference, referenceMatch } from '../tests/js/support/matcher_reference.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const BUDGET = 415; // MB/s with results read: native RE2::Set on this workload (the budget)
const ADVERSARIAL_BUDGET = 50; // MB/s on any input within the limits

// --- a plain JS tokenizer (lower-cased words and symbols, phrase = token sequence) ------
function compileTokenizer(types) {
  const tok = /[\p{L}\p{M}\p{N}]+|[^\s\-\p{L}\p{M}\p{N}]/gu;
  const tokens = (s) => s.toLowerCase().match(tok) ?? [];
  const first = new Map();
  types.forEach((t, ti) => {
    if (t.enabled === false) return;
    for (const [list, dq] of [[t.keywords, false], [t.disqualifiers ?? [], true]]) {
      for (const k of list) {
        const ks = tokens(k);
        if (!ks.length) continue;
        if (!first.has(ks[0])) first.set(ks[0], []);
        first.get(ks[0]).push({ ti, ks, dq, keyword: k });
      }
    }
  });
  return (doc) => {
    const found = new Map();
    for (const s of [doc.title ?? '', doc.text]) {
      const ts = tokens(s);
      for (let i = 0; i < ts.length; i++) {
        const cands = first.get(ts[i]);
        if (!cands) continue;
        for (const c of cands) {
          let ok = true;
          for (let j = 1; ok && j < c.ks.length; j++) ok = ts[i + j] === c.ks[j];
          if (ok) found.set(c.ti, (found.get(c.ti) ?? 0) | (c.dq ? 2 : 1));
        }
      }
    }
    let n = 0;
    for (const v of found.values()) if (v === 1) n++;
    return n;
  };
}

function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Median of `rounds` runs of fn, in CPU milliseconds (this machine is shared). */
function timeIt(fn, rounds) {
  fn();
  const xs = [];
  for (let r = 0; r < rounds; r++) {
    const t = cpuMs();
    fn();
    xs.push(cpuMs() - t);
  }
  return median(xs);
}

function sameResult(a, b) {
  const strip = (r) => r.types.map(({ index, matched, keywords, disqualifiedBy }) => ({ index, matched, keywords, disqualifiedBy }));
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

// Builds the native bench (Google Benchmark, the engine and RE2, in build-native/) when it
// is missing or older than its sources; the CMake target is not part of the default build.
function buildNativeBench(log) {
  const root = path.join(here, '..');
  try {
    execFileSync('bash', ['-c', '. scripts/lib.sh && sk_configure build-native -DCMAKE_BUILD_TYPE=Release >/dev/null && ' +
      'cmake --build build-native -j"$SK_JOBS" --target bench_matcher_bench >/dev/null'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    return path.join(root, 'build-native', 'bench_matcher_bench');
  } catch (err) {
    log(`native bench not built (needs libbenchmark-dev, scripts/bootstrap.sh): ${String(err.stderr ?? err.message).trim().split('\n').at(-1)}`);
    return null;
  }
}

function nativeNumbers(log, corpus) {
  // The native bench reads the same generated corpus from bench/results/ (git-ignored).
  const corpusFile = path.join(here, 'results', 'matcher-corpus.json');
  mkdirSync(path.dirname(corpusFile), { recursive: true });
  writeFileSync(corpusFile, corpusJson(corpus));
  const exe = buildNativeBench(log);
  if (!exe) return null;
  try {
    const out = execFileSync(exe, ['--benchmark_format=json', '--benchmark_filter=BM_MatcherBatch|BM_Re2Set|BM_MatcherScanOnly',
      '--benchmark_min_time=1'], { encoding: 'utf8', env: { ...process.env, SK_MATCHER_CORPUS: corpusFile }, stdio: ['ignore', 'pipe', 'ignore'] });
    const rows = JSON.parse(out).benchmarks;
    const failed = rows.find((b) => b.error_occurred);
    if (failed) throw new Error(`${failed.name}: ${failed.error_message}`);
    // CPU time, like the wasm figures (bytes_per_second is per CPU second).
    const get = (name) => rows.find((b) => b.name.startsWith(name))?.bytes_per_second / 1e6;
    return { matcher: get('BM_MatcherBatch'), scanOnly: get('BM_MatcherScanOnly'), re2set: get('BM_Re2Set') };
  } catch (err) {
    log(`native bench failed: ${err.message.split('\n')[0]}`);
    return null;
  }
}

// --- adversarial inputs within the limits ----------------------------------------------
const dots = (n) => '.'.repeat(n);
const chain = (unit, n, sep = '') => Array(n).fill(unit).join(sep);

/** Cases that defeat a matcher walking a trie per candidate or storing every occurrence. */
export function adversarialCases() {
  const prefixTypes = [0, 1, 2, 3].map((t) => ({ label: `dots ${t}`, keywords: Array.from({ length: 50 }, (_, k) => dots(t * 50 + k + 1)) }));
  const wordTypes = [0, 1, 2, 3].map((t) => ({ label: `words ${t}`, keywords: Array.from({ length: 25 }, (_, k) => chain('a', t * 25 + k + 1, ' ')) }));
  const hanTypes = [0, 1, 2, 3].map((t) => ({ label: `han ${t}`, keywords: Array.from({ length: 50 }, (_, k) => chain('人', t * 50 + k + 1)) }));
  const sharedPrefix = Array.from({ length: 20 }, (_, t) => ({
    label: `prefix ${t}`, keywords: Array.from({ length: 50 }, (_, k) => (k === 49 ? 'a' : `${chain('a', 98, ' ')} ${t * 50 + k}`)),
  }));
  // The largest matcher the limits allow: 20 types x (50 keywords + 7 x 50 extras + 50
  // disqualifiers), 9,000 distinct keywords of 200 characters, a boundary between every two.
  let n = 0;
  const next = () => {
    let k = '';
    for (let v = n++; k.length < 200; v = Math.floor(v / 26)) k += `${String.fromCharCode(97 + (v % 26))}.`;
    return k;
  };
  const largest = Array.from({ length: 20 }, (_, t) => ({
    label: `large ${t}`, keywords: Array.from({ length: 50 }, next), disqualifiers: Array.from({ length: 50 }, next),
    source_settings: Array.from({ length: 7 }, (_, s) => ({ source_id: `s${s}`, keywords_extra: Array.from({ length: 50 }, next) })),
  }));
  let seed = 7;
  const rnd = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed >>> 8; };
  const largeText = Array.from({ length: 12000 }, () => { const t = largest[rnd() % 20]; return t.source_settings[rnd() % 7].keywords_extra[rnd() % 50].slice(0, 40 + (rnd() % 160)); }).join(' ');
  const noise = Array.from({ length: 1 << 20 }, () => String.fromCharCode(rnd() % 4 ? 32 + (rnd() % 95) : 0x80 + (rnd() % 0x700))).join('');
  return [
    { name: 'prefix chains: 4 x 50 keywords of 1-200 dots, 1 MB of dots', types: prefixTypes, docs: [{ text: dots(1 << 20) }] },
    { name: 'word chains: 4 x 25 keywords "a a ..." up to 199 characters, 2 MB of "a - a"', types: wordTypes, docs: [{ text: 'a - a '.repeat(350000) }] },
    { name: 'no-space chains: 4 x 50 keywords of 1-200 Han characters, 1.5 MB of Han', types: hanTypes, docs: [{ text: '人'.repeat(500000) }] },
    { name: 'one 200-character keyword, 1 MB word of its first letter', types: [{ label: 'long', keywords: [`${'a'.repeat(199)}b`] }], docs: [{ text: 'a'.repeat(1 << 20) }] },
    { name: 'one 200-character phrase "a a ... b", 2 MB of "a a"', types: [{ label: 'long', keywords: [`${chain('a', 99, ' ')} b`] }], docs: [{ text: 'a '.repeat(1 << 20) }] },
    { name: 'one 200-character keyword of dots and "!", 1 MB of dots', types: [{ label: 'long', keywords: [`${dots(199)}!`] }], docs: [{ text: dots(1 << 20) }] },
    { name: '20 x 50 keywords sharing a 98-word prefix, 10 MB of "a - "', types: sharedPrefix, docs: [{ text: 'a - '.repeat(10 << 18) }] },
    { name: 'the largest matcher (9,000 keywords x 200 characters), 1.5 MB of its keywords', types: largest, docs: [{ source: 's3', text: largeText }] },
    { name: 'random ASCII and non-ASCII characters (1 MB) against the peer workload', types: null, docs: [{ text: noise }] },
  ];
}

// Results cost what they hold: 20,000 documents of 250 dots, each with all 200 keywords
// of the prefix chains found (4 types x 50 hits): 84 MB of records for 5 MB of text.
function resultsHeavy(engine, log) {
  const types = adversarialCases()[0].types;
  const docs = Array.from({ length: 20000 }, () => ({ text: dots(250) }));
  const m = engine.compileMatcher(types);
  const hits = 20000 * 200;
  const tMatch = timeIt(() => m.matchMany(docs), 3);
  const tRead = timeIt(() => { for (const r of m.matchMany(docs)) r.types; }, 3);
  m.close();
  log(`results heavy: 20,000 documents x 200 hits: ${(tMatch * 1e6 / hits).toFixed(0)} ns per hit in matchMany ` +
    `(${(5 / (tMatch / 1000)).toFixed(0)} MB/s), ${(tRead * 1e6 / hits).toFixed(0)} ns per hit with every result object built`);
  return tRead * 1e6 / hits;
}

function adversarial(engine, log, peerTypes) {
  const figures = {};
  for (const c of adversarialCases()) {
    const t0 = cpuMs();
    const m = engine.compileMatcher(c.types ?? peerTypes);
    const compileMs = cpuMs() - t0;
    const bytes = c.docs.reduce((s, d) => s + Buffer.byteLength(d.text), 0);
    const before = engine.workCounters().matcherSteps;
    m.matchMany(c.docs);
    const steps = engine.workCounters().matcherSteps - before;
    const t = timeIt(() => { for (const r of m.matchMany(c.docs)) if (r.matched) r.types; }, 3);
    m.close();
    figures[c.name] = bytes / 1e6 / (t / 1000);
    log(`adversarial: ${c.name}: ${figures[c.name].toFixed(0)} MB/s (${(steps / bytes).toFixed(2)} steps per byte, compile ${compileMs.toFixed(0)} ms)`);
  }
  return figures;
}

// Engine memory a large document takes, each in a fresh instance, so that buffers grown
// before do not hide it.
async function memory(log) {
  const { createEngine } = await import('../js/engine.js');
  const { default: createSignalkit } = await import('../dist/signalkit.esm.mjs');
  const wasmBinary = readFileSync(path.join(here, '..', 'dist', 'signalkit.wasm'));
  let worst = 0;
  for (const [name, text] of [['ASCII', 'lorem ipsum, dolor. '.repeat(2_500_000)], ['Han', '中文人工智能'.repeat(3_000_000)]]) {
    const fresh = createEngine(await createSignalkit({ wasmBinary }));
    const m = fresh.compileMatcher([{ label: 'A', keywords: ['needle', '人工智能'] }]);
    m.match({ text: 'warm up' });
    const heap = fresh.matcherStats().heapBytes;
    m.match({ text });
    const bytes = Buffer.byteLength(text);
    const ratio = (fresh.matcherStats().heapBytes - heap) / bytes;
    worst = Math.max(worst, ratio);
    log(`memory: one ${(bytes / 1e6).toFixed(0)} MB ${name} document grew engine memory by ${ratio.toFixed(2)}x its UTF-8 size`);
    m.close();
  }
  return worst;
}

export async function run({ engine, log }) {
  const corpus = generateCorpus();
  const { types, docs, bytes } = corpus;
  const MB = bytes / 1e6;
  log(`workload: ${types.length} types x 30 keywords + 10 disqualifiers, ${docs.length} documents, ${MB.toFixed(2)} MB UTF-8`);

  const m = engine.compileMatcher(types);
  let results;
  const tBatch = timeIt(() => { results = m.matchMany(docs); }, 9);
  const tRead = timeIt(() => { for (const r of m.matchMany(docs)) if (r.matched) r.types; }, 9);
  const signalkit = MB / (tRead / 1000);
  log(`signalkit wasm matchMany, every matched document's types read: ${signalkit.toFixed(0)} MB/s (${tRead.toFixed(0)} ms CPU); ` +
    `results not read: ${(MB / (tBatch / 1000)).toFixed(0)} MB/s (${tBatch.toFixed(0)} ms)`);
  // Exactness: every document against the straightforward reference.
  const ref = compileReference(types);
  let mismatches = 0;
  let first = null;
  const tRef0 = cpuMs();
  const refResults = docs.map((d) => referenceMatch(ref, d));
  const tRef = cpuMs() - tRef0;
  docs.forEach((d, i) => {
    if (!sameResult(results[i], refResults[i])) {
      mismatches++;
      first ??= { id: d.id, signalkit: results[i].toJSON().types, reference: refResults[i].types };
    }
  });
  log(`exactness: ${docs.length - mismatches}/${docs.length} documents identical to the JS RegExp reference` +
    (first ? `; first difference ${JSON.stringify(first).slice(0, 400)}` : ''));
  const peers = {};
  peers['JS RegExp (per-type test, then per keyword)'] = MB / (tRef / 1000);

  const sub = docs.slice(0, 2000);
  const subMB = sub.reduce((n, d) => n + Buffer.byteLength(d.title) + Buffer.byteLength(d.text), 0) / 1e6;
  const tok = compileTokenizer(types);
  peers['plain JS tokenizer (approximate)'] = MB / (timeIt(() => { for (const d of docs) tok(d); }, 3) / 1000);

  try {
    const { RE2 } = require('re2-wasm');
    const perType = types.map((t) => new RE2(`\\b(?:${[...t.keywords].map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})\\b`, 'iu'));
    peers['re2-wasm (per-type test, ASCII \\b)'] = subMB / (timeIt(() => {
      for (const d of sub) for (const re of perType) re.test(d.text);
    }, 3) / 1000);
  } catch (err) {
    log(`re2-wasm not installed (npm i -D re2-wasm@1.0.2): ${err.message.split('\n')[0]}`);
  }
  try {
    const { default: AhoCorasick } = await import('modern-ahocorasick');
    const words = [...new Set(types.flatMap((t) => [...t.keywords, ...t.disqualifiers]).map((k) => k.toLowerCase()))];
    const ac = new AhoCorasick(words);
    const wordChar = /[\p{L}\p{M}\p{N}]/u;
    peers['modern-ahocorasick (lower-cased, boundaries checked)'] = MB / (timeIt(() => {
      for (const d of docs) {
        for (const s of [d.title, d.text]) {
          const low = s.toLowerCase();
          for (const h of ac.search(low)) {
            if (h.start > 0 && wordChar.test(low[h.start - 1])) continue;
            if (h.end < low.length && wordChar.test(low[h.end])) continue;
          }
        }
      }
    }, 3) / 1000);
  } catch (err) {
    log(`modern-ahocorasick not installed (npm i -D modern-ahocorasick@3.3.0): ${err.message.split('\n')[0]}`);
  }

  const native = nativeNumbers(log, corpus);
  if (native) {
    if (native.re2set) peers['native RE2::Set (ASCII \\b, no offsets)'] = native.re2set;
    if (native.matcher) peers['native signalkit (same C++)'] = native.matcher;
    log(`native (build-native/bench_matcher_bench): signalkit ${native.matcher?.toFixed(0)} MB/s, scan only ${native.scanOnly?.toFixed(0)} MB/s, RE2::Set ${native.re2set?.toFixed(0) ?? 'n/a'} MB/s`);
  }
  for (const [k, v] of Object.entries(peers)) log(`${k}: ${v.toFixed(1)} MB/s (signalkit ${(signalkit / v).toFixed(1)}x)`);
  m.close();

  const worst = adversarial(engine, log, types);
  const slowest = Math.min(...Object.values(worst));
  const perHit = resultsHeavy(engine, log);
  const memoryRatio = await memory(log);

  const re2 = peers['native RE2::Set (ASCII \\b, no offsets)'];
  return [{
    job: 'keyword matching, exact, results read (wasm matchMany, batch crossing included)',
    signalkit,
    peers,
    unit: 'MB/s',
    ratio: re2 ? signalkit / re2 : signalkit / peers['JS RegExp (per-type test, then per keyword)'],
    budget: `>= ${BUDGET} MB/s (ratio: against ${re2 ? 'native RE2::Set' : 'JS RegExp'})`,
    pass: signalkit >= BUDGET && mismatches === 0,
    note: `${mismatches} of ${docs.length} documents differ from the reference; CPU time on a shared 2-core machine`,
  }, {
    job: `keyword matching, adversarial inputs within the limits (slowest of ${Object.keys(worst).length})`,
    signalkit: slowest,
    peers: worst,
    unit: 'MB/s',
    budget: `>= ${ADVERSARIAL_BUDGET} MB/s on every one`,
    pass: slowest >= ADVERSARIAL_BUDGET,
  }, {
    job: 'keyword matching, results heavy (20,000 documents x 200 hits, every result object built)',
    signalkit: perHit,
    unit: 'ns per hit',
    budget: 'no budget (reported): the cost follows the results, not the bytes',
    pass: true,
  }, {
    job: 'keyword matching, engine memory for one large document (x its UTF-8 size)',
    signalkit: memoryRatio,
    unit: 'x',
    budget: '<= 2x plus a constant',
    pass: memoryRatio <= 2,
  }];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { loadEngine } = await import('../js/index.js');
  const engine = await loadEngine();
  const rows = await run({ engine, log: (...a) => console.log('  ', ...a) });
  console.log(rows);
}
