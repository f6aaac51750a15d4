// Qualification criteria through the JS package against the real WASM build: the shared
// fixtures (tests/fixtures/criteria/, also read by tests/cpp/criteria_test.cpp), the batch
// paths agreeing with evaluate(), JS-only inputs (NaN, Infinity, typed arrays) and hostile
// sizes. SK_CRITERIA_DIST=<dir> runs the suite against another build's dist folder.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadEngine } from '../../js/index.js';
import { createEngine } from '../../js/engine.js';
import { QUALIFICATIONS, CODE_ERROR, CODE_NO_ANSWER, CODE_MATCHED, CriteriaBatch } from '../../js/criteria.js';
import { thrown } from './support/thrown.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtureDir = path.join(here, '..', 'fixtures', 'criteria');
const readFixture = (name) => JSON.parse(fs.readFileSync(path.join(fixtureDir, name), 'utf8'));
const checkFixture = readFixture('check.json');
const evaluateFixture = readFixture('evaluate.json');
const fitFixture = readFixture('fitscore.json');

let engine;
beforeAll(async () => {
  const dir = process.env.SK_CRITERIA_DIST;
  if (!dir) {
    engine = await loadEngine();
    return;
  }
  const { default: factory } = await import(pathToFileURL(path.join(dir, 'signalkit.esm.mjs')).href);
  engine = createEngine(await factory({ wasmBinary: fs.readFileSync(path.join(dir, 'signalkit.wasm')) }));
});

// Expected ⊆ actual, as in the C++ suite: objects compare the expected keys only (an
// expected null also matches an absent key), arrays need equal length.
function subset(want, got, where = 'result') {
  if (want === null) {
    if (got !== undefined && got !== null) throw new Error(`${where}: want null, got ${JSON.stringify(got)}`);
    return;
  }
  if (got === undefined) throw new Error(`${where}: want ${JSON.stringify(want)}, got nothing`);
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) throw new Error(`${where}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    want.forEach((w, i) => subset(w, got[i], `${where}[${i}]`));
    return;
  }
  if (typeof want === 'object') {
    if (typeof got !== 'object' || got === null) throw new Error(`${where}: want an object, got ${JSON.stringify(got)}`);
    for (const k of Object.keys(want)) subset(want[k], got[k], `${where}.${k}`);
    return;
  }
  if (want !== got) throw new Error(`${where}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
}

const pairs = (issues) => issues.map((i) => [i.field, i.code]);
const templateOf = (c) => (typeof c.template === 'string' ? evaluateFixture.templates[c.template] : c.template);
const answerOf = (c) => ('answer' in c ? c.answer : undefined);

describe('checkCriteria fixtures', () => {
  test.each(checkFixture.cases.map((c) => [c.name, c]))('%s', (name, c) => {
    const r = engine.checkCriteria(c.answerType, c.criteriaText ?? c.criteria, c.options);
    expect(pairs(r.issues)).toEqual(c.issues);
    expect(r.valid).toBe(c.issues.length === 0);
    for (const m of c.messageIncludes ?? []) expect(r.issues[0].message).toContain(m);
    for (const i of r.issues) expect(i.message.length).toBeGreaterThan(0);
  });
});

describe('evaluate fixtures', () => {
  test.each(evaluateFixture.cases.map((c) => [c.name, c]))('%s', (name, c) => {
    const r = engine.evaluate(templateOf(c), answerOf(c), c.options);
    const { reasonIncludes, ...expected } = c.expect;
    subset(expected, r);
    if (reasonIncludes) expect(r.reason).toContain(reasonIncludes);
    if (c.issues) expect(pairs(r.issues)).toEqual(c.issues);
    if (r.qualification === null) expect(typeof r.reason).toBe('string');
    else expect(QUALIFICATIONS).toContain(r.qualification);
  });
});

describe('fitScore fixtures', () => {
  test.each(fitFixture.cases.map((c) => [c.name, c]))('%s', (name, c) => {
    subset(c.expect, engine.fitScore(c.items, c.options));
  });
});

function codeOf(r) {
  if (r.qualification === null) return r.code === 'no_answer' ? CODE_NO_ANSWER : CODE_ERROR;
  return QUALIFICATIONS.indexOf(r.qualification) | (r.matched ? CODE_MATCHED : 0);
}

describe('evaluateMany', () => {
  const fiveRanges = {
    answerType: 'number',
    qualificationCriteria: {
      ranges: [
        { rangeStart: null, rangeEnd: 10, answerQualification: 'disqualified' },
        { rangeStart: 10, rangeEnd: 50, answerQualification: 'poor' },
        { rangeStart: 50, rangeEnd: 200, answerQualification: 'neutral' },
        { rangeStart: 250, rangeEnd: 1000, answerQualification: 'good' },
        { rangeStart: 1000, rangeEnd: 5000, answerQualification: 'excellent' },
      ],
    },
  };

  test('the Float64Array fast path agrees with evaluate, boundaries and non-finite values included', () => {
    const xs = [10, 50, 200, 250, 1000, 5000, 9.999999, 5000.000001, -0, NaN, Infinity, -Infinity, 1e308, -1e308];
    let seed = 42;
    for (let i = 0; i < 3000; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      xs.push(Math.round((seed / 2147483648) * 6000 - 100));
    }
    const input = Float64Array.from(xs);
    for (const options of [undefined, { lastRangeInclusive: false }, { unmatched: 'poor' }, { allowOverlaps: true }]) {
      const batch = engine.evaluateMany(fiveRanges, input, options);
      expect(batch).toBeInstanceOf(CriteriaBatch);
      expect(batch.length).toBe(xs.length);
      expect(batch.values).toBe(input);
      for (let i = 0; i < xs.length; i++) {
        const single = engine.evaluate(fiveRanges, xs[i], options);
        if (batch.codes[i] !== codeOf(single)) throw new Error(`x=${xs[i]} options=${JSON.stringify(options)}: batch ${batch.codes[i]} vs ${JSON.stringify(single)}`);
      }
    }
  });

  test('decodes codes: top end inclusive, gap unmatched, NaN and Infinity are errors', () => {
    const b = engine.evaluateMany(fiveRanges, new Float64Array([5000, 220, NaN, Infinity, 3]));
    expect(b.qualifications()).toEqual(['excellent', 'neutral', null, null, 'disqualified']);
    expect([0, 1, 2, 3, 4].map((i) => b.matched(i))).toEqual([true, false, false, false, true]);
    expect(b.isError(2) && b.isError(3)).toBe(true);
    expect(b.get(2)).toMatchObject({ qualification: null, code: 'unparseable_answer' });
    expect(b.get(1)).toMatchObject({ qualification: 'neutral', matched: false, value: 220, reason: 'no range contains 220' });
    expect(b.counts()).toEqual({ disqualified: 1, poor: 0, neutral: 1, good: 0, excellent: 1, matched: 2, unmatched: 1, unanswered: 0, errors: 2 });
    expect([...b]).toEqual(b.qualifications());
  });

  test('plain arrays of numbers and other typed arrays take the numeric path', () => {
    expect(engine.evaluateMany(fiveRanges, [5, 60, 300]).qualifications()).toEqual(['disqualified', 'neutral', 'good']);
    expect(engine.evaluateMany(fiveRanges, new Int32Array([5, 60, 300])).qualifications()).toEqual(['disqualified', 'neutral', 'good']);
    expect(engine.evaluateMany(fiveRanges, []).length).toBe(0);
  });

  test('text answers in one crossing agree with evaluate for every fixture case', () => {
    const groups = new Map();
    for (const c of evaluateFixture.cases) {
      const key = JSON.stringify([c.template, c.options ?? null]);
      if (!groups.has(key)) groups.set(key, { template: templateOf(c), options: c.options, answers: [] });
      groups.get(key).answers.push(answerOf(c) === undefined ? null : answerOf(c));
    }
    for (const g of groups.values()) {
      const batch = engine.evaluateMany(g.template, g.answers, g.options);
      g.answers.forEach((a, i) => {
        const single = engine.evaluate(g.template, a, g.options);
        expect([a, batch.codes[i]]).toEqual([a, codeOf(single)]);
        expect(batch.get(i)).toEqual(single);
        if (typeof single.value === 'number') expect(batch.values[i]).toBe(single.value);
      });
    }
  });

  test('text batch: NaN inside a mixed array is an error, not a missing answer', () => {
    const b = engine.evaluateMany(fiveRanges, ['1.2k', NaN, null, '', 'abc']);
    expect(Array.from(b.codes)).toEqual([QUALIFICATIONS.indexOf('excellent') | CODE_MATCHED, CODE_ERROR, CODE_NO_ANSWER, CODE_NO_ANSWER, CODE_ERROR]);
    expect(b.values[0]).toBe(1200);
    expect(Number.isNaN(b.values[4])).toBe(true);
  });

  test('an invalid template gives one error for the whole batch', () => {
    const bad = { answerType: 'number', qualificationCriteria: { ranges: [{ rangeStart: 5, rangeEnd: 1, answerQualification: 'good' }] } };
    const b = engine.evaluateMany(bad, new Float64Array([1, 2]));
    expect(b.error).toMatchObject({ qualification: null, code: 'invalid_criteria' });
    expect(Array.from(b.codes)).toEqual([CODE_ERROR, CODE_ERROR]);
    expect(b.get(1).issues).toEqual([expect.objectContaining({ field: 'qualificationCriteria.ranges[0].rangeEnd', code: 'range_order' })]);
  });

  test('writes into caller-owned arrays when given out / outValues', () => {
    const out = new Uint8Array(8).fill(77);
    const outValues = new Float64Array(8);
    const b = engine.evaluateMany(fiveRanges, ['5000', '12', 'x'], { out, outValues, unmatched: 'poor' });
    expect(b.codes.buffer).toBe(out.buffer);
    expect(Array.from(out)).toEqual([4 | CODE_MATCHED, 1 | CODE_MATCHED, CODE_ERROR, 77, 77, 77, 77, 77]);
    expect(Array.from(outValues.subarray(0, 2))).toEqual([5000, 12]);
    const n = engine.evaluateMany(fiveRanges, new Float64Array([220]), { out, unmatched: 'poor' });
    expect(n.qualification(0)).toBe('poor');
    expect(() => engine.evaluateMany(fiveRanges, [1, 2], { out: new Uint8Array(1) })).toThrow(TypeError);
  });

  test('strings crossing as NUL-separated text agree with the JSON path', () => {
    const list = { answerType: 'list', qualificationCriteria: { choices: { hubspot: { answerQualification: 'good', label: 'HubSpot' }, pipedrive: { answerQualification: 'disqualified' } } } };
    const texts = ['HubSpot, Pipedrive', 'hubspot', '', null, undefined, 'Zoho', '€5', 'ünïcödé, hubspot'];
    const viaText = engine.evaluateMany(list, texts);
    const viaJson = engine.evaluateMany(list, [...texts, ['hubspot']]); // an array item forces JSON
    expect(Array.from(viaText.codes)).toEqual(Array.from(viaJson.codes.subarray(0, texts.length)));
    expect(viaText.qualifications()).toEqual(['disqualified', 'good', null, null, null, 'neutral', 'neutral', 'good']);
    // a string holding NUL cannot be NUL-separated: it goes through JSON and stays one answer
    const withNul = engine.evaluateMany(fiveRanges, ['12\u0000', '12']);
    expect(withNul.length).toBe(2);
    expect(withNul.isError(0)).toBe(true);
    expect(withNul.qualification(1)).toBe('poor');
  });

  test('rejects a non-array', () => {
    expect(() => engine.evaluateMany(fiveRanges, '1,2,3')).toThrow(TypeError);
  });
});

describe('JS-only inputs', () => {
  const t = { answerType: 'number', qualificationCriteria: { ranges: [{ rangeStart: 0, rangeEnd: null, answerQualification: 'good' }] } };

  test.each([[NaN], [Infinity], [-Infinity]])('%p answer is unparseable, never neutral', (x) => {
    expect(engine.evaluate(t, x)).toMatchObject({ qualification: null, matched: false, code: 'unparseable_answer', reason: 'the answer is not a finite number (NaN, Infinity or too large)' });
  });

  test('undefined, null and blank answers are no answer', () => {
    for (const a of [undefined, null, '   ']) expect(engine.evaluate(t, a)).toMatchObject({ qualification: null, code: 'no_answer' });
  });

  test('Infinity or NaN as a range bound is not_finite, not an unbounded null', () => {
    const r = engine.checkCriteria('number', { ranges: [{ rangeStart: 0, rangeEnd: Infinity, answerQualification: 'good' }, { rangeStart: NaN, answerQualification: 'poor' }] });
    expect(pairs(r.issues)).toEqual([
      ['qualificationCriteria.ranges[0].rangeEnd', 'not_finite'],
      ['qualificationCriteria.ranges[1].rangeStart', 'not_finite'],
    ]);
  });

  test('criteria may be given as JSON text; null/undefined are absent', () => {
    expect(engine.checkCriteria('boolean', '{"yes":"good"}').valid).toBe(true);
    expect(engine.checkCriteria('number', undefined)).toEqual({ valid: true, issues: [] });
    expect(engine.checkCriteria('number', null)).toEqual({ valid: true, issues: [] });
  });

  test('bad options throw a TypeError naming the option', () => {
    expect(() => engine.evaluate(t, 1, { lastRangeInclusve: false })).toThrow('unknown option lastRangeInclusve; did you mean lastRangeInclusive?');
    expect(() => engine.checkCriteria('number', null, { allowOverlaps: 'yes' })).toThrow('option allowOverlaps must be true or false, not a string');
    expect(() => engine.evaluateMany(t, [1], { unmatched: 'meh' })).toThrow(TypeError);
    expect(() => engine.fitScore([], { weights: { important: -1 } })).toThrow('option weights.important must be a number from 0 to 1e+300, not -1');
    expect(() => engine.fitScore([], [])).toThrow(TypeError);
    expect(() => engine.fitScore({})).toThrow(TypeError);
  });

  test('template validation rejects bad criteria before a request is sent', () => {
    const body = {
      name: 'Size',
      question: 'How many employees?',
      answerType: 'percentage',
      qualificationCriteria: { ranges: [{ rangeStart: 0, rangeEnd: 60, answerQualification: 'poor' }, { rangeStart: 50, rangeEnd: 120, answerQualification: 'good' }] },
    };
    const r = engine.validate('saber.template.create', body);
    expect(pairs(r.issues)).toEqual([
      ['qualificationCriteria.ranges[1].rangeEnd', 'out_of_range'],
      ['qualificationCriteria.ranges[1]', 'range_overlap'],
    ]);
    const update = engine.validate('saber.template.update', { qualificationCriteria: { ranges: [{ rangeStart: 9, rangeEnd: 3, answerQualification: 'good' }] } }, {
      params: { id: '497f6eca-6276-4993-bfeb-53cbbbba6f08' },
      template: { answerType: 'number' },
    });
    expect(pairs(update.issues)).toEqual([['qualificationCriteria.ranges[0].rangeEnd', 'range_order']]);
  });
});

describe('hostile inputs are refused early or read once, and never crash the instance', () => {
  // Proved by what the engine did (engine.workCounters()) and by its answers, not by a clock.
  // One answer takes at most 1 MiB of JSON (signalkit/limits.h): `big` is as large as that.
  const MIB = 1024 * 1024;
  const big = '9'.repeat(MIB - 2);

  test('an answer over 1 MiB is a RangeError naming the argument and the limit, before anything is copied', () => {
    const t = { answerType: 'list', qualificationCriteria: { choices: { a: { answerQualification: 'good' } } } };
    for (const answer of [big + '99', 'a,'.repeat(16 * MIB)]) {
      const err = (() => { try { engine.evaluate(t, answer); } catch (e) { return e; } return null; })();
      expect(err).toBeInstanceOf(RangeError);
      expect(err.code).toBe('too_large');
      expect(err.issues).toEqual([{ field: 'answer', code: 'too_large', message: 'The answer is larger than 1 MiB (1,048,576 bytes of UTF-8), the most the engine takes in one call' }]);
    }
    expect(engine.evaluate(t, 'a').qualification).toBe('good'); // the instance still works
  });

  test.each([['number'], ['currency'], ['percentage']])('a 1 MiB %s answer is refused by its length before parsing', (answerType) => {
    const t = answerType === 'number'
      ? { answerType, qualificationCriteria: { ranges: [{ rangeStart: 0, rangeEnd: 10, answerQualification: 'good' }] } }
      : { answerType };
    const r = engine.evaluate(t, big);
    expect(r).toMatchObject({ qualification: null, matched: false, code: 'unparseable_answer' });
    expect(r.reason).toBe(`the answer is ${big.length} bytes long, too long to be ${answerType === 'number' ? 'a number' : answerType === 'currency' ? 'a currency amount' : 'a percentage'}`);
  });

  test('a 1 MiB boolean answer is refused by its length', () => {
    const r = engine.evaluate({ answerType: 'boolean', qualificationCriteria: { yes: 'good' } }, big);
    expect(r).toMatchObject({ code: 'unparseable_answer' });
    expect(r.reason).toMatch(/^"9{40}…" is not a boolean/);
  });

  test('a 1 MiB list answer is split once into its one item', () => {
    const r = engine.evaluate({ answerType: 'list', qualificationCriteria: { choices: { a: { answerQualification: 'good' } } } }, big.slice(1000) + ','.repeat(1000));
    expect(r).toMatchObject({ qualification: 'neutral', matched: false });
    expect(r.value).toHaveLength(1);
  });

  test('a 1 MiB json_schema answer costs a handful of schema steps, and a pattern reads a string once', () => {
    const t = { answerType: 'json_schema', outputSchema: { type: 'string', pattern: '^(a|b)*$' } };
    let before = engine.workCounters();
    // The digits read as one (infinite) JSON number: the type check fails, no pattern runs.
    expect(engine.evaluate(t, big)).toMatchObject({ code: 'invalid_answer' });
    let after = engine.workCounters();
    expect(after.schemaSteps - before.schemaSteps).toBeLessThan(100);
    expect(after.patternBytes - before.patternBytes).toBe(0);
    const text = 'ab'.repeat(MIB / 2 - 8) + 'c';
    before = after;
    const r = engine.evaluate(t, text);
    expect(r).toMatchObject({ code: 'invalid_answer' });
    // RE2's price for 1 MiB is within the schema meter: the verdict is the pattern's own.
    expect(r.issues.at(-1).code).not.toBe('too_complex');
    after = engine.workCounters();
    expect(after.patternBytes - before.patternBytes).toBe(text.length); // RE2: one linear pass
    expect(after.schemaSteps - before.schemaSteps).toBeLessThanOrEqual(1_000_000);
  });

  test('a list answer of 150,000 items with one disqualifying choice', () => {
    const choices = {};
    for (let i = 0; i < 2000; i++) choices[`c${i}`] = { answerQualification: i === 1999 ? 'disqualified' : 'good' };
    const t = { answerType: 'list', qualificationCriteria: { choices } };
    const items = Array.from({ length: 150000 }, (_, i) => `C${i % 2000}`);
    const r = engine.evaluate(t, items.join(';'));
    expect(r.qualification).toBe('disqualified');
    expect(r.matchedChoices.length).toBe(2000);
  });

  test('a list answer costs its items, not items × matched choices (de-duplication is linear)', () => {
    // Every item names another choice: de-duplicating by searching the matches so far cost
    // 1 + 2 + … + n comparisons (2·10^8 here); the engine's work is proportional to the items.
    const n = 20000;
    const choices = {};
    for (let i = 0; i < n; i++) choices[`c${i}`] = { answerQualification: 'good' };
    const t = { answerType: 'list', qualificationCriteria: { choices } };
    const answer = Array.from({ length: n }, (_, i) => `c${i}`);
    const before = engine.workCounters().criteriaListSteps;
    const r = engine.evaluate(t, answer);
    const steps = engine.workCounters().criteriaListSteps - before;
    expect(r.matchedChoices).toHaveLength(n);
    expect(steps).toBeGreaterThanOrEqual(2 * n);
    expect(steps).toBeLessThanOrEqual(3 * n);
  });

  test('deeply nested answers are errors', () => {
    const deep = JSON.parse('['.repeat(500) + ']'.repeat(500));
    const r = engine.evaluate({ answerType: 'list' }, deep);
    expect(r).toMatchObject({ qualification: null, code: 'unparseable_answer' });
    // the instance still works
    expect(engine.evaluate({ answerType: 'number' }, '1.2k').value).toBe(1200);
  });

  test('thousands of overlapping ranges cost n log n comparisons and a capped issue list', () => {
    const n = 10000;
    const ranges = Array.from({ length: n }, (_, i) => ({ rangeStart: i, rangeEnd: i + 100000, answerQualification: 'good' }));
    const before = engine.workCounters().criteriaRangeSteps;
    const r = engine.checkCriteria('number', { ranges });
    const steps = engine.workCounters().criteriaRangeSteps - before;
    expect(steps).toBeLessThanOrEqual(2 * n * Math.ceil(Math.log2(n)) + n); // a pairwise check: 50 million
    expect(r.issues.length).toBe(100);
    expect(r.issues.every((i) => i.code === 'range_overlap')).toBe(true);
  });
});

describe('errors follow the facade convention (docs/boundary.md): code and issues on every thrown error', () => {
  const t = { answerType: 'number', qualificationCriteria: { ranges: [{ rangeStart: 0, rangeEnd: 10, answerQualification: 'good' }] } };
  test.each([
    ['options of the wrong type', () => engine.evaluate(t, 1, []), TypeError, 'type', 'options'],
    ['an unknown option', () => engine.checkCriteria('number', null, { allowOverlap: true }), TypeError, 'invalid_option', 'allowOverlap'],
    ['answers that are not an array', () => engine.evaluateMany(t, '1,2,3'), TypeError, 'type', 'answers'],
    ['an out array too short', () => engine.evaluateMany(t, [1, 2], { out: new Uint8Array(1) }), TypeError, 'type', 'options.out'],
    ['fit score items that are not an array', () => engine.fitScore({}), TypeError, 'type', 'items'],
    ['a value JSON cannot express', () => engine.evaluate(t, 10n), TypeError, 'invalid_json', 'answer'],
    ['a batch index out of range', () => engine.evaluateMany(t, [1]).get(5), RangeError, 'out_of_range', 'index'],
    ['fit score items nested too deep', () => engine.fitScore([{ template: t, answer: JSON.parse('['.repeat(70) + ']'.repeat(70)) }]), RangeError, 'too_deep', 'items'],
  ])('%s', (_, fn, Class, code, field) => {
    const err = thrown(fn);
    expect(err).toBeInstanceOf(Class);
    expect(err.code).toBe(code);
    expect(err.issues.length).toBeGreaterThan(0);
    expect(err.issues[0]).toMatchObject({ code, field });
    expect(typeof err.issues[0].message).toBe('string');
  });
});
