// The keyword matcher through the JS package (real wasm build): the shared fixtures
// (tests/fixtures/matcher, also read by the C++ suite), input issues, handles and the heap.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { loadEngine, ValidationError } from '../../js/index.js';

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

describe('limits', () => {
  test('a 10 MB document of near misses walks each candidate once, no further than its keyword', () => {
    const m = track(engine.compileMatcher([{ label: 'A', keywords: ['needle', 'a b c d e f'] }]));
    const text = 'a b c d e '.repeat(1_000_000) + 'needle';
    const before = engine.workCounters().matcherWalkBytes;
    const r = m.match({ text });
    const walked = engine.workCounters().matcherWalkBytes - before;
    // Every "a" starts a walk that reads "a b c d e " and stops at the next "a" (not "f"):
    // 10 bytes per 10 bytes of text. A walk restarted from every byte would be quadratic.
    expect(walked).toBeLessThanOrEqual(text.length + 6);
    expect(r.types[0].keywords[0]).toEqual({ keyword: 'needle', field: 'text', start: text.length - 6, end: text.length, count: 1 });
  }, 60000);

  test('keywords are never regular expressions, and pathological ones are literal', () => {
    const m = track(engine.compileMatcher([{ label: 'A', keywords: ['(a+)+$', '.*', 'a{1000}', '\\b', '[^]'] }]));
    const r = m.match({ text: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaa! (a+)+$ .* \\b [^]' });
    expect(r.types[0].keywords.map((k) => k.keyword)).toEqual(['(a+)+$', '.*', '\\b', '[^]']);
  });
});
