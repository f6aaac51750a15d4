// The keyword-matching peer workload, generated from a fixed seed (the data itself is not
// committed): 20 signal types x 30 keywords + 10 disqualifiers, and 20,000 documents of
// 200-2,000 bytes, about 16.7 MB of UTF-8 in all. Text is mostly English-like words from a
// fixed vocabulary with keywords planted at a realistic rate, plus some accented, Cyrillic,
// CJK and emoji text, hyphenated phrases and punctuation, so that every rule is exercised.
//
//   import { generateCorpus } from './corpus.js';  const { types, docs, bytes } = generateCorpus();
//   node bench/corpus.js [out.json]   writes { types, docs } (default bench/results/matcher-corpus.json)
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SOURCES = ['news', 'reddit', 'hacker_news', 'x_twitter', 'linkedin_posts', 'linkedin_jobs', 'g2_capterra'];

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON = ('the of and to in a is that for it as was with be by on not he this are or his from at ' +
  'which but have an they you were her she there been one all we their has would when if so no will ' +
  'more out up about into them can only other new some could time these two may then do first any my ' +
  'now such like our over man me even most made after also did many before must through back years ' +
  'where much your way well down should because each just those people how too little state good very ' +
  'make world still own see men work long get here between both life being under never day same another ' +
  'know while last might us great old year off come since against go came right used take three company ' +
  'market team product customer platform growth revenue quarter launch update release support service ' +
  'data cloud security model users teams enterprise startup founder engineer report week month today').split(' ');

const STEMS = ['acq', 'bor', 'cal', 'dev', 'ent', 'fin', 'gro', 'hir', 'inv', 'jun', 'kin', 'lum', 'mar',
  'nex', 'opt', 'pro', 'qua', 'ris', 'sal', 'tal', 'ult', 'ven', 'wor', 'xen', 'yie', 'zen'];
const ENDS = ['ing', 'ed', 'er', 'ion', 'ity', 'al', 'ly', 'ment', 'ness', 'able', 's', 'or', 'ive', 'ure'];

const KEYWORD_POOL = [
  'series b', 'series a', 'seed round', 'raised', 'funding', 'venture capital', 'led by', 'valuation',
  'hiring', 'we are hiring', 'open roles', 'head of sales', 'vp engineering', 'job opening', 'recruiting',
  'layoffs', 'restructuring', 'new ceo', 'appointed', 'steps down', 'chief revenue officer', 'joins as',
  'pricing', 'pricing page', 'price increase', 'free trial', 'enterprise plan', 'discount', 'churn',
  'migration', 'switching from', 'alternative to', 'competitor', 'vs', 'replace', 'evaluating',
  'C++', '.NET', 'node.js', 'kubernetes', 'AI', 'machine learning', 'LLM', 'GPT-4', 'data warehouse',
  'snowflake', 'salesforce', 'hubspot', 'zendesk', 'SOC 2', 'GDPR', 'ISO 27001', 'e-commerce',
  'acquisition', 'acquired', 'merger', 'IPO', 'partnership', 'integration', 'expansion', 'new office',
  'product launch', 'beta', 'general availability', 'roadmap', 'outage', 'downtime', 'security breach',
  'café', 'naïve', 'Straße', 'финансирование', 'инвестиции', '人工智能', '融资', '採用', 'カメラ',
  'open source', 'self-hosted', 'on-prem', 'B2B', 'SaaS', 'ARR', 'MRR', 'net retention', 'CRM',
  'customer success', 'onboarding', 'sales team', 'RevOps', 'go-to-market', 'demand gen', 'ABM',
];
const DISQ_POOL = ['rumor', 'rumour', 'parody', 'satire', 'april fools', 'hypothetical', 'fiction', 'joke',
  'unconfirmed', 'speculation', 'opinion', 'sponsored', 'advertisement', 'giveaway', 'meme', 'spam',
  'crypto scam', 'not hiring', 'no longer', 'cancelled'];

export function generateCorpus({ seed = 20240601, docs: docCount = 20000, types: typeCount = 20 } = {}) {
  const rnd = mulberry32(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const vocab = [...COMMON];
  for (let i = 0; i < 1500; i++) vocab.push(pick(STEMS) + pick(STEMS).slice(1) + pick(ENDS));
  // Keyword-only terms (product names, jargon): they occur in text only where planted.
  const rare = [];
  for (let i = 0; i < 400; i++) rare.push(pick(STEMS) + pick(ENDS) + pick(STEMS) + (rnd() < 0.3 ? ' ' + pick(vocab) : ''));
  const keywordTerms = [...KEYWORD_POOL, ...rare];

  const types = [];
  for (let t = 0; t < typeCount; t++) {
    const kws = new Set();
    while (kws.size < 30) kws.add(rnd() < 0.5 ? pick(KEYWORD_POOL) : pick(rare));
    const dq = new Set();
    while (dq.size < 10) dq.add(pick(DISQ_POOL));
    const restricted = rnd() < 0.3;
    types.push({
      id: `00000000-0000-4000-8000-${String(t).padStart(12, '0')}`,
      label: `Type ${t}`,
      kind: 'keyword',
      enabled: t !== 7,
      keywords: [...kws],
      disqualifiers: [...dq],
      sources: restricted ? SOURCES.filter(() => rnd() < 0.5).concat(['news']) : null,
      source_settings: t % 5 === 0 ? [{ source_id: 'reddit', enabled: true, keywords_extra: [pick(KEYWORD_POOL), pick(vocab)], prompt_override: null }] : undefined,
    });
  }

  const SEPS = [' ', ' ', ' ', ' ', ' ', ' ', ', ', '. ', '\n', ' - ', '-'];
  const docs = [];
  let bytes = 0;
  const enc = new TextEncoder();
  for (let d = 0; d < docCount; d++) {
    const target = 200 + Math.floor(1800 * Math.pow(rnd(), 1.95));
    const flavour = rnd();
    let text = '';
    while (text.length < target) {
      const r = rnd();
      let w;
      // About one planted keyword per document, sometimes in capitals; rarer disqualifiers.
      if (r < 0.006) w = pick(keywordTerms);
      else if (r < 0.007) w = pick(DISQ_POOL);
      else if (r < 0.008) w = pick(keywordTerms).toUpperCase();
      else if (flavour < 0.05 && r < 0.3) w = pick(['人工智能平台', '我们的融资', '東京のカメラ', 'ธนาคาร', '😀', '🚀', 'финансирование', 'Привет', 'naïve', 'Straße']);
      else w = pick(vocab);
      if (rnd() < 0.08) w = w[0].toUpperCase() + w.slice(1);
      text += w + pick(SEPS);
    }
    text = text.slice(0, target).trimEnd();
    const title = rnd() < 0.9 ? `${pick(vocab)} ${pick(rnd() < 0.1 ? keywordTerms : vocab)} ${pick(vocab)}` : '';
    const doc = { id: `d${d}`, source: pick(SOURCES), title, text };
    bytes += enc.encode(title).length + enc.encode(text).length;
    docs.push(doc);
  }
  return { types, docs, bytes };
}

/**
 * The corpus as JSON for the native bench (bench/cpp/matcher_bench.cpp). A few texts end in
 * half a surrogate pair (the cut at `target`); the engine's JSON reader refuses an escaped
 * lone surrogate, and the wasm matcher receives one as U+FFFD (UTF-8 cannot hold it), so
 * they are written well-formed: the native bench reads the very bytes the wasm one matches.
 */
export function corpusJson({ types, docs }) {
  const wellFormed = (s) => (typeof s === 'string' ? s.toWellFormed() : s);
  return JSON.stringify({ types, docs: docs.map((d) => ({ ...d, title: wellFormed(d.title), text: wellFormed(d.text) })) });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const out = process.argv[2] ?? path.join(here, 'results', 'matcher-corpus.json');
  const { types, docs, bytes } = generateCorpus();
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, corpusJson({ types, docs }));
  console.log(`${docs.length} documents, ${(bytes / 1e6).toFixed(2)} MB of UTF-8 -> ${out}`);
}
