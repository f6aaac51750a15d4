// Keyword matching on the peer workload (bench/corpus.js: 20 types x 30 keywords + 10
// disqualifiers, 20,000 documents, ~16.8 MB): signalkit's wasm matchMany (batch crossing
// included) against JS RegExp, a plain JS tokenizer, re2-wasm, modern-ahocorasick and
// native RE2::Set, with the results checked against a straightforward JS reference.
//   npm run bench -- matcher        (or: node bench/matcher.js)
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { generateCorpus } from './corpus.js';
import { median } from './timing.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const BUDGET = 200; // MB/s, docs/performance.md

// --- the straightforward reference (the README's Keyword matching rules written as JS regular expressions) ----------
const W = '\\p{L}\\p{M}\\p{N}';
const NS = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Thai}\\p{sc=Lao}\\p{sc=Khmer}\\p{sc=Myanmar}';
const WNN = `(?:(?![${NS}])[${W}])`;
const SEP = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\-\\u2010\\u2011]';
const sepRun = new RegExp(`${SEP}+`, 'gu');
const isWnn = new RegExp(`^${WNN}$`, 'u');
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

function keywordSource(k) {
  const words = k.split(sepRun).filter(Boolean);
  if (!words.length) return null;
  const body = words.map(escape).join(`${SEP}+`);
  const first = String.fromCodePoint(words[0].codePointAt(0));
  const last = [...words.at(-1)].at(-1);
  return (isWnn.test(first) ? `(?<!${WNN})` : '') + body + (isWnn.test(last) ? `(?!${WNN})` : '');
}

/** Per type: a combined test regex, then per keyword an exec loop (overlaps included). */
function compileReference(types, options = {}) {
  const prep = (list) => {
    const seen = new Set();
    const out = [];
    for (const k of list) {
      const src = keywordSource(k);
      if (!src) continue;
      const key = k.split(sepRun).filter(Boolean).join(' ').toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ keyword: k, re: new RegExp(src, 'giu') });
    }
    return out;
  };
  return types.map((t, index) => ({
    index,
    label: t.label,
    type: t,
    enabled: t.enabled !== false || options.includeDisabled,
    base: prep(t.keywords),
    disq: prep(t.disqualifiers ?? []),
    any: new RegExp([...t.keywords, ...(t.source_settings ?? []).flatMap((s) => s.keywords_extra ?? [])]
      .map(keywordSource).filter(Boolean).join('|') || '(?!)', 'iu'),
    extras: new Map((t.source_settings ?? []).map((s) => [s.source_id, { enabled: s.enabled !== false, list: s.keywords_extra ?? [] }])),
  }));
}

function occurrences(re, s) {
  const found = [];
  re.lastIndex = 0;
  for (let m; (m = re.exec(s));) {
    found.push([m.index, m.index + m[0].length]);
    re.lastIndex = m.index + 1;
  }
  return found;
}

function referenceMatch(ref, doc) {
  const types = [];
  for (const r of ref) {
    if (!r.enabled) continue;
    const src = doc.source ?? null;
    if (r.type.sources && !r.type.sources.includes(src)) continue;
    const extra = src !== null ? r.extras.get(src) : undefined;
    if (extra && !extra.enabled) continue;
    if (!r.any.test(doc.title ?? '') && !r.any.test(doc.text)) continue; // per-type test first
    let kws = r.base;
    if (extra && extra.list.length) {
      if (!extra.compiled) extra.compiled = compileReference([{ keywords: [...r.type.keywords, ...extra.list] }])[0].base;
      kws = extra.compiled;
    }
    const hits = [];
    for (const field of ['title', 'text']) {
      for (const k of kws) {
        const occ = occurrences(k.re, doc[field] ?? '');
        if (occ.length) hits.push({ keyword: k.keyword, field, start: occ[0][0], end: occ[0][1], count: occ.length });
      }
    }
    if (!hits.length) continue;
    hits.sort((a, b) => (a.field === b.field ? a.start - b.start || a.end - b.end : a.field === 'title' ? -1 : 1));
    let disq = null;
    for (const field of ['title', 'text']) {
      for (const k of r.disq) {
        const occ = occurrences(k.re, doc[field] ?? '');
        if (!occ.length) continue;
        const cand = { keyword: k.keyword, field, start: occ[0][0], end: occ[0][1], count: occ.length };
        if (!disq || (disq.field === cand.field && (cand.start - disq.start || cand.end - disq.end) < 0)) disq = cand;
      }
      if (disq) break;
    }
    types.push({ index: r.index, label: r.label, matched: !disq, keywords: hits, disqualifiedBy: disq });
  }
  return { id: doc.id ?? null, matched: types.some((t) => t.matched), types };
}

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

function nativeNumbers(log, corpus) {
  // The native bench reads the same generated corpus from bench/results/ (git-ignored).
  const corpusFile = path.join(here, 'results', 'matcher-corpus.json');
  if (!existsSync(corpusFile)) {
    mkdirSync(path.dirname(corpusFile), { recursive: true });
    writeFileSync(corpusFile, JSON.stringify({ types: corpus.types, docs: corpus.docs }));
  }
  for (const dir of ['build-matcher-native', 'build-native']) {
    for (const exe of ['matcher_bench_re2', 'bench_matcher_bench']) {
      const file = path.join(here, '..', dir, exe);
      if (!existsSync(file)) continue;
      try {
        const out = execFileSync(file, ['--benchmark_format=json', '--benchmark_filter=BM_MatcherBatch|BM_Re2Set|BM_MatcherScanOnly',
          '--benchmark_min_time=1'], { encoding: 'utf8', env: { ...process.env, SK_MATCHER_CORPUS: corpusFile }, stdio: ['ignore', 'pipe', 'ignore'] });
        const rows = JSON.parse(out).benchmarks;
        const failed = rows.find((b) => b.error_occurred);
        if (failed) throw new Error(`${failed.name}: ${failed.error_message}`);
        const get = (name) => rows.find((b) => b.name.startsWith(name))?.bytes_per_second / 1e6;
        return { matcher: get('BM_MatcherBatch'), scanOnly: get('BM_MatcherScanOnly'), re2set: get('BM_Re2Set'), exe: `${dir}/${exe}` };
      } catch (err) {
        log(`native bench ${dir}/${exe} failed: ${err.message.split('\n')[0]}`);
      }
    }
  }
  return null;
}

export async function run({ engine, log }) {
  const corpus = generateCorpus();
  const { types, docs, bytes } = corpus;
  const MB = bytes / 1e6;
  log(`workload: ${types.length} types x 30 keywords + 10 disqualifiers, ${docs.length} documents, ${MB.toFixed(2)} MB UTF-8`);

  const m = engine.compileMatcher(types);
  let results;
  const tBatch = timeIt(() => { results = m.matchMany(docs); }, 9);
  const tRead = timeIt(() => { for (const r of m.matchMany(docs)) if (r.matched) r.types; }, 5);
  const signalkit = MB / (tBatch / 1000);
  log(`signalkit wasm matchMany: ${signalkit.toFixed(0)} MB/s (${tBatch.toFixed(0)} ms CPU); building every matched document's types too: ${(MB / (tRead / 1000)).toFixed(0)} MB/s`);

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
    log(`native (${native.exe}): signalkit ${native.matcher?.toFixed(0)} MB/s, scan only ${native.scanOnly?.toFixed(0)} MB/s, RE2::Set ${native.re2set?.toFixed(0) ?? 'n/a'} MB/s`);
  } else {
    log('native numbers: build the bench (docs/performance.md, "Keyword matching") to include RE2::Set');
  }
  for (const [k, v] of Object.entries(peers)) log(`${k}: ${v.toFixed(1)} MB/s (signalkit ${(signalkit / v).toFixed(1)}x)`);
  m.close();

  const bestExactJs = peers['JS RegExp (per-type test, then per keyword)'];
  return [{
    job: 'keyword matching, exact (wasm matchMany, batch crossing included)',
    signalkit,
    peers,
    unit: 'MB/s',
    ratio: signalkit / bestExactJs,
    budget: `>= ${BUDGET} MB/s`,
    pass: signalkit >= BUDGET && mismatches === 0,
    note: `${mismatches} of ${docs.length} documents differ from the reference; CPU time on a shared 2-core machine`,
  }];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { loadEngine } = await import('../js/index.js');
  const engine = await loadEngine();
  const rows = await run({ engine, log: (...a) => console.log('  ', ...a) });
  console.log(rows);
}
