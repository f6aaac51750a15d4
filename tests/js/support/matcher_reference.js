// The keyword matcher's independent reference in JavaScript: the README's rules written as
// regular expressions (\p{L} classes, lookbehind boundaries, /iu case folding, one exec loop
// per keyword with overlaps), sharing nothing with the engine. The matcher tests hold the
// WebAssembly build to it on random documents, and the bench checks every corpus document.
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
export function compileReference(types, options = {}) {
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
    // The next code point (a /u regex put inside a surrogate pair would match it again).
    re.lastIndex = m.index + (s.codePointAt(m.index) > 0xffff ? 2 : 1);
  }
  return found;
}

/** The result of one document `{id, matched, types}`, in the shape of DocumentMatch.toJSON() without snippets. */
export function referenceMatch(ref, doc) {
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

