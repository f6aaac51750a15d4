// engine.compileCriteria: a template's criteria compiled once into an engine handle, whose
// evaluate(answer) must give exactly what engine.evaluate(template, answer, options) gives
// (the same object, key order included, and the same thrown errors) for every shared
// fixture and for random answers; and whose handles are freed by close(), `using` and the
// FinalizationRegistry, proved with the engine's live count and heap figures.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine } from '../../js/index.js';
import { CompiledCriteria } from '../../js/criteria.js';
import { codeBlocks, readmeSection, runModule } from './support/readme.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const readJson = (...parts) => JSON.parse(fs.readFileSync(path.join(here, '..', ...parts), 'utf8'));
const evaluateFixture = readJson('fixtures', 'criteria', 'evaluate.json');
const fitFixture = readJson('fixtures', 'criteria', 'fitscore.json');
const golden = readJson('golden', 'messages.json');

let engine;
beforeAll(async () => {
  engine = await loadEngine();
});

const templateOf = (c) => (typeof c.template === 'string' ? evaluateFixture.templates[c.template] : c.template);
const answerOf = (c) => ('answer' in c ? c.answer : undefined);

// What a call gives: its result, or what it threw (class, message, code, issues).
function outcome(fn) {
  try {
    return { result: fn() };
  } catch (err) {
    return { threw: { name: err.name, message: err.message, code: err.code, issues: err.issues } };
  }
}

// The compiled path against engine.evaluate for one (template, options) and some answers,
// through one handle: a result must not depend on the answers evaluated before it.
function agree(template, options, answers) {
  const compiled = outcome(() => engine.compileCriteria(template, options));
  try {
    for (const answer of answers) {
      const want = outcome(() => engine.evaluate(template, answer, options));
      const got = compiled.threw ? compiled : outcome(() => compiled.result.evaluate(answer));
      expect([answer, got]).toStrictEqual([answer, want]);
      // Key order too: the record path builds the object the JSON path parses.
      if (want.result) expect(JSON.stringify(got.result)).toBe(JSON.stringify(want.result));
    }
  } finally {
    compiled.result?.close();
  }
}

describe('the same results as evaluate(template, answer, options)', () => {
  test.each(evaluateFixture.cases.map((c) => [c.name, c]))('fixture: %s', (_, c) => {
    agree(templateOf(c), c.options, [answerOf(c)]);
  });

  test('every fixture answer against every fixture template and options, one handle each', () => {
    const answers = evaluateFixture.cases.map(answerOf);
    const setups = new Map();
    for (const c of evaluateFixture.cases) setups.set(JSON.stringify([templateOf(c), c.options ?? null]), [templateOf(c), c.options]);
    for (const [template, options] of setups.values()) agree(template, options, answers);
    expect(setups.size).toBeGreaterThan(20);
  });

  test('the golden file\'s evaluate cases give the recorded results', () => {
    const cases = golden.cases.filter((c) => c.call === 'evaluate');
    expect(cases.length).toBeGreaterThan(10);
    for (const c of cases) {
      const compiled = engine.compileCriteria(c.template, c.options);
      expect([c.name, compiled.evaluate(c.answer)]).toEqual([c.name, c.result]);
      compiled.close();
    }
  });

  test('the fit-score fixtures\' templates and answers', () => {
    for (const c of fitFixture.cases) {
      if (!Array.isArray(c.items)) continue;
      for (const item of c.items) if (item && typeof item === 'object') agree(item.template, c.options, [item.answer]);
    }
  });

  test('random numbers and research texts, every option that changes a number\'s result', () => {
    const ranges = {
      answerType: 'number',
      qualificationCriteria: { ranges: [
        { rangeStart: null, rangeEnd: 10, answerQualification: 'disqualified' },
        { rangeStart: 10, rangeEnd: 50, answerQualification: 'poor' },
        { rangeStart: 250, rangeEnd: 1000, answerQualification: 'good' },
        { rangeStart: 1000, rangeEnd: 5000.5, answerQualification: 'excellent' },
      ] },
    };
    const answers = [-0, 0, 0.1 + 0.2, 5000.5, 1e308, -1e308, NaN, Infinity, -Infinity, 2 ** 53 + 2, true, false, null, undefined, '', '  ',
      '-0', '~1.2k', '500+', '1,234.5', 'about 3.5M', '1e6', '−42', 'a lot', '€5', '½', '12\u0000', { n: 1 }, [1, 'a'], 'x'.repeat(300)];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 1500; i++) {
      const x = Math.round((next() * 6000 - 100) * 100) / 100;
      answers.push(x, next() < 0.5 ? `${x / 1000}k` : `~${x.toLocaleString('en-US')}+`);
    }
    for (const options of [undefined, { lastRangeInclusive: false }, { unmatched: 'poor' }, { parseText: false }]) agree(ranges, options, answers);
    for (const answerType of ['percentage', 'currency']) {
      agree({ ...ranges, answerType }, { percentageBounds: false }, [...answers.slice(0, 400), '45%', '$3M', 'USD 1,200', '1.2 million euros', '¥5', '12 pct']);
    }
    agree({ answerType: 'boolean', qualificationCriteria: { yes: 'good' } }, undefined, ['yes', 'No!', 'TRUE', true, false, 'maybe', 1, null, '']);
  });

  test('bad input: the same errors, thrown at the same argument', () => {
    const t = { answerType: 'list', qualificationCriteria: { choices: { a: { answerQualification: 'good' } } } };
    const cycle = {};
    cycle.self = cycle;
    agree(t, undefined, [10n, Symbol('s'), () => 1, cycle, '9'.repeat(1024 * 1024), 'a,'.repeat(16 * 1024 * 1024), JSON.parse('['.repeat(500) + ']'.repeat(500)), 'a']);
    // An invalid template compiles to its error; answer errors still come first.
    const bad = { answerType: 'number', qualificationCriteria: { ranges: [{ rangeStart: 5, rangeEnd: 1, answerQualification: 'good' }] } };
    agree(bad, undefined, ['1', null, 10n, 'x'.repeat(2 * 1024 * 1024)]);
    agree({ answerType: 'nope' }, undefined, ['1']);
    agree('{"answerType":"number"}', undefined, ['1']);
    // Bad options throw at compile time, the same TypeError evaluate throws.
    for (const options of [[], 'x', { lastRangeInclusve: false }, { unmatched: 'meh' }]) {
      expect(outcome(() => engine.compileCriteria(t, options))).toStrictEqual(outcome(() => engine.evaluate(t, 'a', options)));
    }
    expect(outcome(() => engine.compileCriteria(10n)).threw).toMatchObject({ name: 'TypeError', code: 'invalid_json' });
  });
});

describe('handles', () => {
  const t = { answerType: 'number', qualificationCriteria: { ranges: [{ rangeStart: 0, rangeEnd: 10, answerQualification: 'good' }] } };

  test('close() is idempotent, [Symbol.dispose] closes, and closed criteria throw a clear error', () => {
    const before = engine.criteriaStats().live;
    const c = engine.compileCriteria(t);
    expect(c).toBeInstanceOf(CompiledCriteria);
    expect(c.error).toBeNull();
    expect(engine.criteriaStats().live).toBe(before + 1);
    expect(c.evaluate('5')).toEqual(engine.evaluate(t, '5'));
    c.close();
    c.close();
    expect(c.closed).toBe(true);
    expect(engine.criteriaStats().live).toBe(before);
    const err = outcome(() => c.evaluate('5')).threw;
    expect(err).toEqual({
      name: 'Error',
      message: 'signalkit: these compiled criteria are closed; compile them again with engine.compileCriteria()',
      code: 'closed',
      issues: [{ field: '', code: 'closed', message: err.message }],
    });
    const d = engine.compileCriteria(t);
    d[Symbol.dispose]();
    expect(d.closed).toBe(true);
    expect(engine.criteriaStats().live).toBe(before);
  });

  test('a template that cannot be evaluated holds no engine memory and gives its error for every answer', () => {
    const before = engine.criteriaStats().live;
    const c = engine.compileCriteria({ answerType: 'number', qualificationCriteria: { ranges: [] } });
    expect(engine.criteriaStats().live).toBe(before);
    expect(c.error).toMatchObject({ qualification: null, code: 'invalid_criteria' });
    expect(c.evaluate('1')).toEqual(c.error);
    expect(c.evaluate('1')).not.toBe(c.evaluate('1')); // a fresh object each time
    c.close();
    expect(() => c.evaluate('1')).toThrow(/closed/);
  });

  test('10,000 compiled and closed, 100,000 answers evaluated, leave the live count and the heap where they started', () => {
    const list = { answerType: 'list', qualificationCriteria: { choices: { a: { answerQualification: 'good', label: 'Ä' }, b: { answerQualification: 'poor' } } } };
    const warm = engine.compileCriteria(list);
    warm.evaluate('a, b, c');
    warm.evaluate('x'.repeat(100));
    warm.close();
    const start = engine.criteriaStats();
    for (let i = 0; i < 10000; i++) {
      const c = engine.compileCriteria(i % 2 ? list : t);
      for (let k = 0; k < 10; k++) c.evaluate(k % 3 ? `${k}` : 'ä, b');
      c.close();
    }
    const end = engine.criteriaStats();
    expect(end.live).toBe(start.live);
    expect(end.heapBytes).toBe(start.heapBytes);
    // A leak of anything per handle or per answer would be 10,000 or 100,000 times bigger.
    expect(Math.abs(end.heapInUse - start.heapInUse)).toBeLessThan(1024);
  }, 60000);

  test('compiling a 1 MiB template and evaluating a 1 MiB answer give their scratch memory back at once', () => {
    const MIB = 1024 * 1024;
    const choices = {};
    // Each choice is 37 to 41 bytes of JSON ("c12345":{"answerQualification":"good"},).
    for (let i = 0; i < 26000; i++) choices[`c${i}`] = { answerQualification: 'good' };
    const big = { answerType: 'list', qualificationCriteria: { choices } };
    expect(JSON.stringify(big).length).toBeGreaterThan(MIB - 64 * 1024);
    expect(JSON.stringify(big).length).toBeLessThan(MIB);
    const heap = () => engine.criteriaStats().heapInUse;
    engine.evaluate(t, '1');
    const before = heap();
    const c = engine.compileCriteria(big);
    c.close(); // no other call in between: compile itself released what it parsed
    expect(heap() - before).toBeLessThanOrEqual(4 * MIB + 256 * 1024);
    const d = engine.compileCriteria(t);
    const answer = Array.from({ length: 200000 }, () => 'ab');
    expect(d.evaluate(answer)).toStrictEqual(engine.evaluate(t, answer));
    d.evaluate(answer);
    d.close();
    expect(heap() - before).toBeLessThanOrEqual(4 * MIB + 256 * 1024);
  }, 60000);

  test('forgotten compiled criteria are freed when they are garbage-collected', () => {
    // A fresh Node with --expose-gc: two rounds of 20,000 compiled criteria dropped without
    // close(). Each round is freed; the second reuses what the first left (the handle
    // table keeps its slots: 8 bytes per handle at the peak), so the heap does not grow.
    const script = `
      import { loadEngine } from ${JSON.stringify(new URL('../../js/index.js', import.meta.url).href)};
      const engine = await loadEngine();
      const t = { answerType: 'number', qualificationCriteria: { ranges: [{ rangeStart: 0, rangeEnd: 10, answerQualification: 'good' }] } };
      const rounds = [];
      for (let round = 0; round < 2; round++) {
        const start = engine.criteriaStats().live;
        for (let i = 0; i < 20000; i++) engine.compileCriteria(t).evaluate('5');
        const peak = engine.criteriaStats().live;
        for (let i = 0; i < 50 && engine.criteriaStats().live > start; i++) {
          globalThis.gc();
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        rounds.push({ start, peak, ...engine.criteriaStats() });
      }
      process.stdout.write(JSON.stringify(rounds));
    `;
    const [first, second] = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' }));
    for (const round of [first, second]) {
      expect(round.peak).toBeGreaterThan(round.start + 1000);
      expect(round.live).toBe(round.start);
    }
    expect(second.heapBytes).toBe(first.heapBytes);
    expect(Math.abs(second.heapInUse - first.heapInUse)).toBeLessThan(1024);
  }, 60000);
});

test('README: the compileCriteria example prints what the README claims', async () => {
  const blocks = codeBlocks(readmeSection('### One template, many single answers: `compileCriteria`'));
  expect(blocks.map((b) => b.lang)).toEqual(['js', 'text']);
  const [code, claimed] = blocks;
  expect(await runModule(code.body)).toBe(claimed.body);
}, 60000);
