// The keyword matcher through the JS package (real wasm build): the shared fixtures
// (tests/fixtures/matcher, also read by the C++ suite), input issues, handles and the heap.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { AbortError, loadEngine, ValidationError } from '../../js/index.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/matcher');
const matchCases = JSON.parse(readFileSync(path.join(dir, 'match.json'), 'utf8')).cases;
const invalidCases = JSON.parse(readFileSync(path.join(dir, 'invalid.json'), 'utf8')).cases;

let engine;
beforeAll(async () => {
  engine = await loadEngine();
});

// Matchers a test opened, closed after it (Node 20 has no `using` syntax yet).
const open = [];
function track(m) {
  open.push(m);
  return m;
}
afterEach(() => {
  while (open.length) open.pop().close();
});

function expected(c) {
  return c.expect.map((e) => ({
    index: e.type,
    label: c.types[e.type].label,
    matched: e.matched,
    keywords: e.hits.map(({ keyword, field, start, end, count }) => ({ keyword, field, start, end, count })),
    disqualifiedBy: e.disqualifiedBy
      ? { keyword: e.disqualifiedBy.keyword, field: e.disqualifiedBy.field, start: e.disqualifiedBy.start, end: e.disqualifiedBy.end, count: e.disqualifiedBy.count }
      : null,
    ...(e.snippet ? { snippet: { field: e.snippet.field, start: e.snippet.start, end: e.snippet.end, text: e.snippet.text } } : {}),
  }));
}

function shape(result, withSnippet) {
  return result.types.map((t) => {
    const { index, label, matched, keywords, disqualifiedBy, snippet } = t;
    return { index, label, matched, keywords, disqualifiedBy, ...(withSnippet ? { snippet } : {}) };
  });
}

describe('fixtures: match.json', () => {
  test.each(matchCases.map((c) => [c.name, c]))('%s', (name, c) => {
    const m = track(engine.compileMatcher(c.types, c.options));
    const r = m.match(c.doc);
    const want = expected(c);
    const withSnippet = c.expect.every((e) => e.snippet);
    expect(shape(r, withSnippet)).toEqual(want);
    expect(r.matched).toBe(want.some((t) => t.matched));
    expect(r.id).toBe(c.doc.id ?? null);
    // Offsets index the caller's string: slice gives the match.
    for (const t of r.types) {
      for (const k of t.keywords) expect(c.doc[k.field].slice(k.start, k.end).length).toBe(k.end - k.start);
      expect(t.snippet.text).toBe(c.doc[t.snippet.field].slice(t.snippet.start, t.snippet.end));
    }
    c.expect.forEach((e) => e.hits.forEach((h) => expect(c.doc[h.field].slice(h.start, h.end)).toBe(h.match)));
  });

  test('matchMany gives the same results as match, in one call, document by document', () => {
    const types = [{ label: 'Funding', keywords: ['series b', 'raised'], disqualifiers: ['rumor'], sources: null },
      { label: 'AI', keywords: ['AI', '人工智能'], sources: ['news', 'reddit'] }];
    const m = track(engine.compileMatcher(types));
    const docs = matchCases.map((c, i) => ({ id: `d${i}`, ...c.doc })).concat([
      { id: 'a', source: 'news', title: 'AI raised', text: 'Series-B 🚀 人工智能 said AI' },
      { id: 'b', source: 'reddit', text: 'rumor: raised' },
      { id: 'c', text: '' },
    ]);
    const many = m.matchMany(docs);
    expect(many).toHaveLength(docs.length);
    docs.forEach((d, i) => expect(many[i].toJSON()).toEqual(m.match(d).toJSON()));
    expect(many.at(-3).types.map((t) => t.label)).toEqual(['Funding', 'AI']);
    expect(many.at(-2).types[0].disqualifiedBy.keyword).toBe('rumor');
    expect(many.at(-1).toJSON()).toEqual({ id: 'c', matched: false, types: [] });
    // Results stay valid after later calls reuse the engine's buffers, and serialise whole.
    const fresh = m.matchMany(docs);
    const again = m.matchMany([{ text: 'nothing here' }]);
    expect(again[0].matched).toBe(false);
    expect(fresh.map((r) => r.toJSON())).toEqual(many.map((r) => r.toJSON()));
    expect(JSON.parse(JSON.stringify(many.at(-3))).types.map((t) => t.label)).toEqual(['Funding', 'AI']);
    expect(m.matchMany([])).toEqual([]);
  });

  test('types read later come from the documents as matched, even when the caller reuses its array', () => {
    const m = track(engine.compileMatcher([{ label: 'Funding', keywords: ['series b'] }]));
    const docs = [{ id: 'x', text: 'Acme closed a Series B round' }, { id: 'y', text: 'no match' }];
    const [x] = m.matchMany(docs);
    docs[0] = { id: 'other', text: 'something else entirely, longer than the first text was' };
    docs.length = 0;
    expect(x.types[0].snippet.text).toBe('Acme closed a Series B round');
    expect(x.types[0].keywords[0]).toEqual({ keyword: 'series b', field: 'text', start: 14, end: 22, count: 1 });
  });

  test('types read later describe the document as matched, even when the caller changes that document object', () => {
    const m = track(engine.compileMatcher([{ label: 'Funding', keywords: ['series b'] }]));
    const doc = { id: 'x', title: 'Series B news', text: 'Acme closed a Series B round' };
    const result = m.match(doc);
    doc.title = 'changed';
    doc.text = 'a different text altogether, with no keyword in it';
    expect(result.types[0].snippet).toEqual({ field: 'title', start: 0, end: 13, text: 'Series B news' });
    expect(result.types[0].keywords.map((k) => [k.field, k.start, k.end])).toEqual([['title', 0, 8], ['text', 14, 22]]);
  });

  test('a batch with long non-ASCII texts grows the buffer and keeps exact offsets', () => {
    const m = track(engine.compileMatcher([{ label: 'X', keywords: ['终点', 'end'] }]));
    const long = '中文'.repeat(50000) + ' 终点 end';
    const docs = [{ text: 'ascii first end' }, { title: '🚀'.repeat(1000), text: long }];
    const [a, b] = m.matchMany(docs);
    expect(a.types[0].keywords[0]).toMatchObject({ keyword: 'end', start: 12, end: 15 });
    const [k1, k2] = b.types[0].keywords;
    expect(long.slice(k1.start, k1.end)).toBe('终点');
    expect(long.slice(k2.start, k2.end)).toBe('end');
  });
});

describe('fixtures: invalid.json', () => {
  test.each(invalidCases.map((c) => [c.name, c]))('%s', (name, c) => {
    const pairs = c.issues;
    if (pairs.length === 0) {
      engine.compileMatcher(c.types, c.options).close();
      return;
    }
    let err;
    try {
      engine.compileMatcher(c.types, c.options).close();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues.map((i) => [i.field, i.code])).toEqual(pairs);
    expect(err.fields).toBe(err.issues);
    for (const i of err.issues) expect(i.message).toContain(i.field);
  });

  test('types that are not an array, or options that are not an object', () => {
    for (const bad of [undefined, null, 'AI', 5]) {
      expect(() => engine.compileMatcher(bad)).toThrow(ValidationError);
    }
    expect(() => engine.compileMatcher([], [])).toThrow(/options must be an object/);
    const cyclic = [{ label: 'x', keywords: ['a'] }];
    cyclic[0].self = cyclic;
    expect(() => engine.compileMatcher(cyclic)).toThrow(/cannot be serialised/);
  });

  test('the list response {signal_types} is accepted as is', () => {
    const m = track(engine.compileMatcher({ signal_types: [{ label: 'A', keywords: ['acme'], sources: null }] }));
    expect(m.match({ text: 'ACME' }).matched).toBe(true);
  });

  test('documents are checked: every problem at once, nothing matched', () => {
    const m = track(engine.compileMatcher([{ label: 'A', keywords: ['a'] }]));
    let err;
    try {
      m.matchMany([{ text: 'ok' }, null, { title: 3 }, { text: 5, source: [] }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues.map((i) => [i.field, i.code])).toEqual([
      ['docs[1]', 'type'], ['docs[2].text', 'required'], ['docs[2].title', 'type'],
      ['docs[3].text', 'type'], ['docs[3].source', 'type']]);
    expect(() => m.match('text')).toThrow(ValidationError);
    expect(() => m.matchMany('text')).toThrow(/docs must be an array/);
  });
});

describe('handles', () => {
  test('close() is idempotent, [Symbol.dispose] closes, and a closed matcher throws a clear error', () => {
    const before = engine.matcherStats().live;
    const m = engine.compileMatcher([{ label: 'A', keywords: ['a'] }]);
    expect(engine.matcherStats().live).toBe(before + 1);
    expect(m.closed).toBe(false);
    m.close();
    m.close();
    expect(m.closed).toBe(true);
    expect(engine.matcherStats().live).toBe(before);
    expect(() => m.match({ text: 'a' })).toThrow('signalkit: this matcher is closed; compile a new one with engine.compileMatcher()');
    expect(() => m.matchMany([{ text: 'a' }])).toThrow(/closed/);
    // The facade's convention (docs/boundary.md): code and issues on every thrown error.
    let err;
    try {
      m.match({ text: 'a' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('closed');
    expect(err.issues).toEqual([{ field: '', code: 'closed', message: err.message }]);
    const d = engine.compileMatcher([{ label: 'A', keywords: ['a'] }]);
    expect(d.match({ text: 'a' }).matched).toBe(true);
    expect(engine.matcherStats().live).toBe(before + 1);
    d[Symbol.dispose]();
    expect(d.closed).toBe(true);
    expect(engine.matcherStats().live).toBe(before);
  });

  test('10,000 matchers compiled and closed and 100,000 documents matched leave the heap where it started', () => {
    const types = [{ label: 'Funding', keywords: ['series b', 'raised', '融资'], disqualifiers: ['rumor'], sources: null,
      source_settings: [{ source_id: 'reddit', keywords_extra: ['bagged'] }] }];
    const docs = Array.from({ length: 1000 }, (_, i) => ({
      id: `d${i}`, source: i % 2 ? 'reddit' : 'news', title: `Acme ${i}`,
      text: `Acme raised a Series-B 🚀 (${i}) 融资 bagged ${'lorem ipsum '.repeat(i % 40)} rumor`.slice(0, 200 + (i % 300)),
    }));
    // Warm up: the first compile builds the shared Unicode tables; the first batch sizes
    // the reusable input and output buffers.
    engine.compileMatcher(types).close();
    const w = engine.compileMatcher(types);
    w.matchMany(docs);
    w.close();
    const start = engine.matcherStats();
    for (let i = 0; i < 10000; i++) {
      const m = engine.compileMatcher(types);
      if (i % 100 === 0) expect(m.matchMany(docs)).toHaveLength(1000); // 100 x 1,000 documents
      m.close();
    }
    const end = engine.matcherStats();
    expect(end.live).toBe(start.live);
    expect(end.heapBytes).toBe(start.heapBytes);
    // malloc's in-use total may differ by a few bytes when a freed chunk a little larger than
    // a request is reused whole; a leak of anything per matcher or per batch would be
    // 10,000 or 100 times bigger than this bound.
    expect(Math.abs(end.heapInUse - start.heapInUse)).toBeLessThan(1024);
  }, 120000);
});

// Work is counted, never timed (docs/decisions.md): the engine's matcherSteps grow by at
// most 4 per byte of a field, plus 2, plus the keywords that occur (matcher/automaton.h).
function stepsOf(fn) {
  const before = engine.workCounters().matcherSteps;
  const value = fn();
  return { value, steps: engine.workCounters().matcherSteps - before };
}
const utf8Length = (s) => Buffer.byteLength(s, 'utf8');

describe('limits', () => {
  test('prefix chains of dots (4 types x 50 keywords up to 200 characters) are linear, with exact counts', () => {
    // The head-word matcher took 12 s on half a megabyte of this and then aborted the engine.
    const types = [0, 1, 2, 3].map((t) => ({ label: `T${t}`, keywords: Array.from({ length: 50 }, (_, k) => '.'.repeat(t * 50 + k + 1)) }));
    const m = track(engine.compileMatcher(types));
    const text = '.'.repeat(1 << 20);
    const { value: r, steps } = stepsOf(() => m.match({ text }));
    expect(r.types).toHaveLength(4);
    for (const t of r.types) for (const k of t.keywords) expect(k).toEqual({ keyword: k.keyword, field: 'text', start: 0, end: k.keyword.length, count: text.length - k.keyword.length + 1 });
    expect(steps).toBeLessThanOrEqual(4 * text.length + 4 + 400);
  });

  test('word chains ("a", "a a", ... 200 characters) over 2 MB of words are linear', () => {
    // The head-word matcher aborted at 2 MB of this.
    const types = [0, 1, 2, 3].map((t) => ({ label: `T${t}`, keywords: Array.from({ length: 25 }, (_, k) => Array(t * 25 + k + 1).fill('a').join(' ')) }));
    const m = track(engine.compileMatcher(types));
    const text = 'a - a '.repeat(350000);
    const words = text.length / 3;
    const { value: r, steps } = stepsOf(() => m.match({ text }));
    for (const t of r.types) for (const k of t.keywords) expect(k.count).toBe(words - (k.keyword.length + 1) / 2 + 1);
    expect(steps).toBeLessThanOrEqual(4 * text.length + 4 + 200);
  });

  test('one 200-character keyword against text that keeps almost matching it is linear', () => {
    for (const [keyword, text] of [
      ['a'.repeat(199) + 'b', 'a'.repeat(1 << 20)],
      ['a '.repeat(99) + 'b', 'a '.repeat(1 << 20)],
      ['.'.repeat(199) + '!', '.'.repeat(1 << 20)],
      ['人'.repeat(199) + '工', '人'.repeat(1 << 19)],
    ]) {
      const m = track(engine.compileMatcher([{ label: 'A', keywords: [keyword, keyword.slice(0, 100)] }]));
      const { steps } = stepsOf(() => m.match({ text }));
      expect(steps).toBeLessThanOrEqual(4 * utf8Length(text) + 4 + 4);
    }
  });

  test('a 10 MB document of near misses costs a bounded number of steps per byte', () => {
    const m = track(engine.compileMatcher([{ label: 'A', keywords: ['needle', 'a b c d e f'] }]));
    const text = 'a b c d e '.repeat(1_000_000) + 'needle';
    const { value: r, steps } = stepsOf(() => m.match({ text }));
    expect(steps).toBeLessThanOrEqual(4 * text.length + 4 + 2);
    expect(r.types[0].keywords[0]).toEqual({ keyword: 'needle', field: 'text', start: text.length - 6, end: text.length, count: 1 });
  }, 60000);

  test('a batch whose results outgrow one crossing is matched in several, with the same results', () => {
    // 6,000 documents x 4 types x 50 hits: more records than the engine keeps per call.
    const types = [0, 1, 2, 3].map((t) => ({ label: `T${t}`, keywords: Array.from({ length: 50 }, (_, k) => '.'.repeat(t * 50 + k + 1)) }));
    const m = track(engine.compileMatcher(types));
    const docs = Array.from({ length: 6000 }, (_, i) => ({ id: `d${i}`, text: '.'.repeat(250 + (i % 50)) }));
    const many = m.matchMany(docs);
    expect(many).toHaveLength(docs.length);
    for (const i of [0, 1, 2999, 3000, 5999]) expect(many[i].toJSON()).toEqual(m.match(docs[i]).toJSON());
    for (let i = 0; i < docs.length; i++) {
      expect(many[i].types).toHaveLength(4);
      expect(many[i].types[3].keywords[49].count).toBe(docs[i].text.length - 200 + 1);
    }
  });

  test('a document over the per-document limit is refused before anything is matched', () => {
    const m = track(engine.compileMatcher([{ label: 'A', keywords: ['a'] }]));
    const max = 64 * 1024 * 1024; // README, "Keyword matching": Limits
    const big = { title: 'a', text: 'a '.repeat(max / 2) }; // one unit over, counting the title
    const heap = engine.matcherStats().heapBytes;
    for (const call of [() => m.matchMany([{ text: 'a' }, big]), () => m.match(big)]) {
      let err;
      const { steps } = stepsOf(() => { try { call(); } catch (e) { err = e; } });
      expect(err).toBeInstanceOf(RangeError);
      expect(err.code).toBe('too_large');
      expect(err.issues[0].field).toMatch(/^(docs\[1\]|doc)\.text$/);
      expect(err.message).toContain(`at most ${max}`);
      expect(steps).toBe(0);
    }
    expect(engine.matcherStats().heapBytes).toBe(heap);
    expect(m.match({ text: big.text }).matched).toBe(true); // exactly the limit is fine
  }, 60000);

  test('keywords are never regular expressions, and pathological ones are literal', () => {
    const m = track(engine.compileMatcher([{ label: 'A', keywords: ['(a+)+$', '.*', 'a{1000}', '\\b', '[^]'] }]));
    const r = m.match({ text: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaa! (a+)+$ .* \\b [^]' });
    expect(r.types[0].keywords.map((k) => k.keyword)).toEqual(['(a+)+$', '.*', '\\b', '[^]']);
  });
});

describe('memory', () => {
  test('matching a large document takes at most twice its UTF-8 size of engine memory, plus a constant', async () => {
    // A fresh instance, so that buffers grown by other tests do not hide the growth.
    const { createEngine } = await import('../../js/engine.js');
    const { default: createSignalkit } = await import('../../dist/signalkit.esm.mjs');
    const fresh = createEngine(await createSignalkit({ wasmBinary: readFileSync(path.join(dir, '../../../dist/signalkit.wasm')) }));
    const m = fresh.compileMatcher([{ label: 'A', keywords: ['needle', '人工智能', '.'.repeat(200)] }]);
    m.match({ text: 'warm up' });
    const constant = 24 << 20; // the batch output bound (16 MiB) and the table, with room
    let heap = fresh.matcherStats().heapBytes;
    for (const text of ['lorem ipsum, dolor. '.repeat(2_500_000) + 'needle', '中文人工智能'.repeat(3_000_000)]) {
      expect(m.match({ text }).matched).toBe(true);
      const grown = fresh.matcherStats().heapBytes - heap;
      expect(grown).toBeLessThanOrEqual(2 * utf8Length(text) + constant);
      heap = fresh.matcherStats().heapBytes;
    }
    m.close();
  }, 120000);
});

describe('against the JavaScript reference', () => {
  test('random documents and keywords give the reference\'s results (the WebAssembly build, SIMD block scan included)', async () => {
    const { compileReference, referenceMatch } = await import('./support/matcher_reference.js');
    const pieces = ['new', 'data', 'series', 'b', 'AI', 'ai', 'said', 'node', 'js', 'x', 'abcdefghij', 'C', '++', '.', '..', '.NET',
      ' ', '  ', '-', ' - ', '\n', '\u00a0', '\u2010', ',', '#', "'", 'é', 'caf', 'cafe\u0301', 'мир', 'Мир', '人工', '智能', 'ธนาคาร',
      '😀', '\u212a', 'k', 'K', 'ß', '1', '2024', '_'];
    let seed = 42;
    const rnd = (n) => { seed = (seed * 1103515245 + 12345) >>> 0; return (seed >>> 8) % n; };
    const text = (n) => Array.from({ length: n }, () => pieces[rnd(pieces.length)]).join('');
    let compared = 0;
    for (let round = 0; round < 120; round++) {
      const types = Array.from({ length: 1 + rnd(3) }, (_, t) => ({
        label: `T${t}`,
        keywords: Array.from({ length: 1 + rnd(8) }, () => text(1 + rnd(3))),
        disqualifiers: rnd(2) ? [text(1 + rnd(2))] : [],
        sources: rnd(3) ? null : ['news'],
        source_settings: rnd(3) ? undefined : [{ source_id: 'reddit', enabled: rnd(2) === 0, keywords_extra: [text(2)] }],
      }));
      let m;
      try {
        m = engine.compileMatcher(types);
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError); // a keyword of separators only
        continue;
      }
      const ref = compileReference(types);
      const docs = Array.from({ length: 20 }, (_, i) => ({ id: `d${i}`, source: ['news', 'reddit', undefined][rnd(3)], title: text(rnd(4)), text: text(rnd(400)) }));
      const results = m.matchMany(docs);
      docs.forEach((d, i) => {
        const got = results[i].types.map(({ index, label, matched, keywords, disqualifiedBy }) => ({ index, label, matched, keywords, disqualifiedBy }));
        expect(got).toEqual(referenceMatch(ref, d).types);
        compared++;
      });
      m.close();
    }
    expect(compared).toBeGreaterThan(1200);
  }, 60000);
});

describe('matchManyAsync', () => {
  const types = [{ label: 'Funding', keywords: ['series b', 'raised'], disqualifiers: ['rumor'] }, { label: 'AI', keywords: ['AI', '人工智能'] }];
  const docs = Array.from({ length: 10000 }, (_, i) => ({ id: `d${i}`, text: `${'lorem ipsum '.repeat(i % 200)}Acme raised a Series-B ${i % 7 ? '' : 'rumor'} 人工智能 ${'x'.repeat(i % 13)}` }));

  test('gives matchMany\'s results, in slices with the event loop running between them', async () => {
    const m = track(engine.compileMatcher(types));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const later = await m.matchManyAsync(docs);
    clearInterval(timer);
    expect(later.map((r) => r.toJSON())).toEqual(m.matchMany(docs).map((r) => r.toJSON()));
    expect(ticks).toBeGreaterThan(0);
    expect(await m.matchManyAsync([])).toEqual([]);
  });

  test('an AbortSignal stops it between slices with AbortError; an aborted one before any work', async () => {
    const m = track(engine.compileMatcher(types));
    const { steps: all } = stepsOf(() => m.matchMany(docs));
    const done = new AbortController();
    done.abort(new Error('stop'));
    let before = engine.workCounters().matcherSteps;
    await expect(m.matchManyAsync(docs, { signal: done.signal })).rejects.toMatchObject({ name: 'AbortError', reason: done.signal.reason });
    expect(engine.workCounters().matcherSteps).toBe(before);
    const ctl = new AbortController();
    before = engine.workCounters().matcherSteps;
    const run = m.matchManyAsync(docs, { signal: ctl.signal });
    setImmediate(() => ctl.abort());
    await expect(run).rejects.toBeInstanceOf(AbortError);
    const spent = engine.workCounters().matcherSteps - before;
    expect(spent).toBeGreaterThan(0);
    expect(spent).toBeLessThan(all / 2);
  });

  test('checks every document and its options before matching anything', async () => {
    const m = track(engine.compileMatcher(types));
    await expect(m.matchManyAsync([...docs, { text: 5 }])).rejects.toBeInstanceOf(ValidationError);
    await expect(m.matchManyAsync(docs, { signa: null })).rejects.toThrow('unknown option "signa"; did you mean "signal"?');
    await expect(m.matchManyAsync(docs, { signal: 'stop' })).rejects.toMatchObject({ code: 'type', issues: [{ field: 'options.signal' }] });
    await expect(m.matchManyAsync('docs')).rejects.toThrow(/docs must be an array/);
    m.close();
    await expect(m.matchManyAsync(docs)).rejects.toMatchObject({ code: 'closed' });
  });
});
