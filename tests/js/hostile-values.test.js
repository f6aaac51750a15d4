// What JavaScript values and sizes the engine facade refuses, and how (issue 12): a body is
// never sent other than the caller wrote it, every figure in a message is true, a large
// call gives its memory back, and no internal encoding leaks into results.
import { loadEngine } from '../../js/index.js';
import { failure, newTemplate, PuffleClient, puffleKey, saber, start } from './client/helpers.js';
import { thrown } from './support/thrown.js';

let engine;
beforeAll(async () => { engine = await loadEngine(); });

const MIB = 1024 * 1024;
const TYPE = { name: 'Layoffs', keywords: ['layoff'], search_instructions: 's', scoring_criteria: 'c', sources: ['news'] };
const RANGES = (start, end) => ({ ranges: [{ rangeStart: start, rangeEnd: end, answerQualification: 'good' }] });
const TEMPLATE = (criteria) => ({ name: 'n', question: 'q', answerType: 'number', qualificationCriteria: criteria });

describe('validate never checks (or hands back to send) a body other than the one given', () => {
  test('NaN and ±Infinity are not_finite at their field, never the null JSON.stringify would send', () => {
    const r = engine.validate('saber.template.create', TEMPLATE(RANGES(NaN, Infinity)));
    expect(r).toEqual({
      valid: false,
      json: undefined,
      issues: [
        { field: 'qualificationCriteria.ranges[0].rangeStart', code: 'not_finite', message: 'qualificationCriteria.ranges[0].rangeStart is NaN, which JSON cannot express (JSON.stringify would send null); give a finite number' },
        { field: 'qualificationCriteria.ranges[0].rangeEnd', code: 'not_finite', message: 'qualificationCriteria.ranges[0].rangeEnd is Infinity, which JSON cannot express (JSON.stringify would send null); give a finite number' },
      ],
    });
    // Anywhere in a body, also where null would have been valid; -Infinity too.
    const deep = engine.validate('puffle.signalType.update', { config: { limits: { max: -Infinity } } }, { params: { id: '3c90c3cc-0d44-4b50-8888-8dd25736052a' } });
    expect(deep.issues).toEqual([expect.objectContaining({ field: 'config.limits.max', code: 'not_finite' })]);
    expect(engine.validate('puffle.signal.list', { limit: NaN }).issues.map((i) => [i.field, i.code])).toEqual([['limit', 'not_finite']]);
  });

  test('every other problem of the body is still reported, after the values JSON cannot carry', () => {
    const r = engine.validate('puffle.signalType.create', { ...TYPE, name: ' ', keywords: ['a', undefined], sources: ['tiktok'], priority: NaN });
    expect(r.valid).toBe(false);
    expect(r.issues.map((i) => [i.field, i.code])).toEqual([
      ['keywords[1]', 'type'], ['priority', 'not_finite'], ['name', 'blank'], ['sources[0]', 'enum'],
    ]);
    expect(r.issues[0].message).toBe('keywords[1] is undefined, which a JSON array cannot hold (JSON.stringify would send null); remove it or give a value');
  });

  test('a hole or undefined in an array is an issue; an undefined member is absent, as in JSON', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(engine.validate('puffle.signalType.create', { ...TYPE, keywords: ['a', , 'b'] }).issues).toEqual([
      { field: 'keywords[1]', code: 'type', message: 'keywords[1] is undefined, which a JSON array cannot hold (JSON.stringify would send null); remove it or give a value' },
    ]);
    // Also where the null JSON.stringify sends would be valid (an enum of a user schema).
    const schema = engine.validate('saber.template.create', { name: 'n', question: 'q', answerType: 'json_schema', outputSchema: { enum: ['a', undefined] } });
    expect(schema.issues.map((i) => [i.field, i.code])).toEqual([['outputSchema.enum[1]', 'type']]);
    const r = engine.validate('puffle.signalType.create', { ...TYPE, description: undefined });
    expect(r).toEqual({ valid: true, issues: [], json: JSON.stringify(TYPE) });
  });

  test.each([
    ['a BigInt', { ...TYPE, keywords: ['a', 10n] }, 'keywords[1]', 'keywords[1] is a BigInt (10n), which JSON cannot express'],
    ['a function member (JSON.stringify drops it)', { ...TYPE, sources: ['news'], toString() { return 'x'; } }, 'toString', 'toString is a function (toString), which JSON cannot express'],
    ['a function in an array', { ...TYPE, keywords: [() => 1] }, 'keywords[0]', 'keywords[0] is a function, which JSON cannot express'],
    ['a symbol member', { ...TYPE, name: Symbol('n') }, 'name', 'name is a symbol (Symbol(n)), which JSON cannot express'],
    ['a cycle', (() => { const t = { ...TYPE, config: { a: {} } }; t.config.a.back = t.config; return t; })(), 'config.a.back', 'config.a.back refers back to config (a cycle), which JSON cannot express'],
    ['a top-level function', () => 1, '', 'the body is a function, which JSON cannot express'],
    ['a key that is not an identifier', { ...TYPE, 'odd key': 1n }, '["odd key"]', '["odd key"] is a BigInt (1n), which JSON cannot express'],
  ])('%s is a TypeError naming the field (invalid_json), before anything crosses', (_, body, field, message) => {
    const err = thrown(() => engine.validate('puffle.signalType.create', body));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.code).toBe('invalid_json');
    expect(err.issues).toEqual([{ field, code: 'invalid_json', message }]);
    expect(err.message).toBe(`The body cannot be serialised to JSON: ${message}`);
  });

  test('a context holding such values: invalid_context at its field, or a TypeError', () => {
    const r = engine.validate('puffle.signalType.create', TYPE, { types: [{ id: 'x', label: 'A', score: NaN }] });
    expect(r.issues).toEqual([expect.objectContaining({ field: 'context.types[0].score', code: 'invalid_context' })]);
    expect(thrown(() => engine.validate('puffle.signalType.create', TYPE, { types: [1n] })).issues[0].field).toBe('context.types[0]');
  });

  test('a faithful body is exactly JSON.stringify, toJSON included', () => {
    const body = { since: new Date('2026-01-02T03:04:05Z'), source: 'news' };
    const r = engine.validate('puffle.signal.list', body);
    expect(r).toEqual({ valid: true, issues: [], json: JSON.stringify(body) });
    const strange = { ...TYPE, name: new String('Boxed'), enabled: new Boolean(false) };
    expect(engine.validate('puffle.signalType.create', strange).json).toBe(JSON.stringify(strange));
  });

  test('through a client: nothing is sent, ValidationError for not_finite, TypeError for a BigInt', async () => {
    const emu = await start();
    try {
      const calls = [];
      const client = saber(emu, 'values', { fetch: (url, init) => { calls.push(url); return fetch(url, init); } });
      const err = await failure(client.templates.create(newTemplate('NaN', { qualificationCriteria: RANGES(NaN, Infinity) })));
      expect(err.name).toBe('ValidationError');
      expect(err.issues.map((i) => [i.field, i.code])).toEqual([
        ['qualificationCriteria.ranges[0].rangeStart', 'not_finite'], ['qualificationCriteria.ranges[0].rangeEnd', 'not_finite'],
      ]);
      const big = await failure(client.templates.create(newTemplate('Big', { qualificationCriteria: RANGES(0, 10n) })));
      expect(big).toBeInstanceOf(TypeError);
      expect(big.issues[0].field).toBe('qualificationCriteria.ranges[0].rangeEnd');
      // The same through Puffle's company profile.
      const pClient = new PuffleClient({ apiKey: puffleKey('values'), baseUrl: emu.puffleBaseUrl, fetch: (url, init) => { calls.push(url); return fetch(url, init); } });
      const profile = await failure(pClient.context.set({ context: { company: { overview: 'x' } }, profile: { employees: NaN } }));
      expect(profile.name).toBe('ValidationError');
      expect(profile.issues[0]).toMatchObject({ field: 'profile.employees', code: 'not_finite' });
      expect(await failure(pClient.context.set({ context: { company: { overview: 1n } } }))).toBeInstanceOf(TypeError);
      expect(calls).toEqual([]);
      expect(emu.count('POST')).toBe(0);
      expect(emu.count('PUT')).toBe(0);
    } finally {
      await emu.close();
    }
  });
});

describe('figures in messages and results are true', () => {
  test('a context over 8 MiB says 8 MiB', () => {
    const r = engine.validate('puffle.signalType.create', TYPE, { types: [{ id: 'x', label: 'y'.repeat(9 * MIB) }] });
    expect(r.issues).toEqual([{ field: 'context', code: 'invalid_context', message: 'The context is larger than 8 MiB (8,388,608 bytes of UTF-8), the most the engine accepts.' }]);
  });

  test('text is measured as UTF-8, not guessed at 3 bytes per unit', () => {
    const t = { answerType: 'number', qualificationCriteria: RANGES(0, 10) };
    // 7 MiB of ASCII answers: 21 MiB at 3 bytes per unit, 7 MiB as the UTF-8 it is.
    const answers = Array.from({ length: 7 * 1024 }, () => '5'.repeat(1023));
    const batch = engine.evaluateMany(t, answers);
    expect(batch.error).toBeNull();
    expect(batch.counts().unanswered + batch.counts().errors).toBe(answers.length); // too long for numbers
    // 100 MB of ASCII is refused, and the limit the message names is below its size.
    const err = thrown(() => engine.evaluateMany(t, ['x'.repeat(100e6)]));
    expect(err).toBeInstanceOf(RangeError);
    expect(err.code).toBe('too_large');
    const [, named] = /larger than \d+ MiB \(([\d,]+) bytes of UTF-8\)/.exec(err.message);
    expect(Number(named.replace(/,/g, ''))).toBeLessThan(100e6);
    // Near the limit in multi-byte text: measured exactly at the boundary.
    const limit = Number(named.replace(/,/g, ''));
    const euro = '€'.repeat(Math.floor(limit / 3)); // 3 bytes each: fits
    expect(engine.evaluateMany(t, [euro]).error).toBeNull();
    expect(thrown(() => engine.evaluateMany(t, [`${euro}€`])).code).toBe('too_large');
  });

  test('fitScore with weights and points up to 1e300 never overflows into "nothing answered"', () => {
    const yes = (weight) => ({ template: { answerType: 'boolean', weight, qualificationCriteria: { yes: 'good', no: 'poor' } }, answer: 'yes' });
    const r = engine.fitScore([yes('important'), yes('important'), yes('nice_to_have')], { weights: { important: 1e300, nice_to_have: 1e300 }, points: { good: 1e300 } });
    expect(r.score).toBe(1e302);
    expect(r.totalWeight).toBe(3e300);
    const plain = engine.fitScore([yes('important'), yes('nice_to_have')], { weights: { important: 1e300 } });
    expect(plain.score).toBe(75);
    // Past what a double can sum: a TypeError naming the limit, never score: null.
    const err = thrown(() => engine.fitScore([yes('important')], { weights: { important: 1e308 } }));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.issues).toEqual([{ field: 'weights.important', code: 'invalid_option', message: 'option weights.important must be a number from 0 to 1e+300, not 1e+308' }]);
    expect(thrown(() => engine.fitScore([], { points: { good: 1e308 } })).issues[0].field).toBe('points.good');
  });

  test('a NaN inside a list answer is an error, not an item called "1e999"', () => {
    const t = { answerType: 'list', qualificationCriteria: { choices: { '1e999': { answerQualification: 'good' }, a: { answerQualification: 'poor' } } } };
    for (const answer of [['a', NaN], [Infinity], NaN]) {
      const r = engine.evaluate(t, answer);
      expect(r).toMatchObject({ qualification: null, matched: false, code: 'unparseable_answer' });
      expect(r.reason).toMatch(/not (a )?finite/);
    }
    const batch = engine.evaluateMany(t, [['a', NaN], ['1e999'], 'a']);
    expect(batch.qualifications()).toEqual([null, 'good', 'poor']);
    expect(batch.isError(0)).toBe(true);
  });

  test('no string is read as a number because of its content (no internal sentinel)', () => {
    const sentinel = '\u0000signalkit:non-finite';
    const list = { answerType: 'list', qualificationCriteria: { choices: { [sentinel]: { answerQualification: 'good' } } } };
    expect(engine.evaluate(list, [sentinel])).toMatchObject({ qualification: 'good', matchedChoices: [sentinel] });
    const number = { answerType: 'number', qualificationCriteria: RANGES(0, 10) };
    expect(engine.evaluate(number, { x: sentinel }).reason).not.toMatch(/finite/);
    expect(engine.checkCriteria('list', { choices: { [sentinel]: { answerQualification: 'good' } } })).toEqual({ valid: true, issues: [] });
    const r = engine.evaluate({ answerType: 'open_text' }, [sentinel, 1]);
    expect(r.value).toEqual([sentinel, 1]);
  });

  test('evaluateMany of a BigInt64Array is a TypeError that says how to convert it', () => {
    for (const answers of [new BigInt64Array(3), new BigUint64Array(1)]) {
      const err = thrown(() => engine.evaluateMany({ answerType: 'number' }, answers));
      expect(err).toBeInstanceOf(TypeError);
      expect(err.issues).toEqual([{ field: 'answers', code: 'type', message: `evaluateMany takes numbers; a ${answers.constructor.name} holds BigInts (convert it with Float64Array.from(answers, Number))` }]);
    }
  });
});

describe('one call is bounded, and gives its memory back', () => {
  const heap = () => engine.matcherStats().heapInUse;
  const small = () => engine.evaluate({ answerType: 'number' }, '1');

  test.each([
    ['a 1 MiB list answer of 200,000 items', () => engine.evaluate({ answerType: 'list', qualificationCriteria: { choices: { a: { answerQualification: 'good' } } } }, Array.from({ length: 200000 }, () => 'ab'))],
    ['a 16 MiB text batch', () => engine.evaluateMany({ answerType: 'list' }, Array.from({ length: 16 * 1024 }, () => 'x,'.repeat(511)))],
    ['a 1 MiB body and an 8 MiB context', () => engine.validate('puffle.signalType.create', { ...TYPE, keywords: Array.from({ length: 100000 }, () => 'kw') }, { types: Array.from({ length: 20 }, (_, i) => ({ id: `t${i}`, label: 'l'.repeat(380000) })) })],
    ['16 million numbers', () => engine.evaluateMany({ answerType: 'number', qualificationCriteria: RANGES(0, 10) }, new Float64Array(1 << 24))],
  ])('after %s, the memory in use is back within the 4 MiB the engine keeps', (_, run) => {
    small();
    const before = heap();
    run();
    small();
    expect(heap() - before).toBeLessThanOrEqual(4 * MIB + 256 * 1024);
  });

  test('a batch past 16,777,216 answers is refused before anything is copied', () => {
    const err = thrown(() => engine.evaluateMany({ answerType: 'number' }, new Uint8Array((1 << 24) + 1)));
    expect(err).toBeInstanceOf(RangeError);
    expect(err.issues).toEqual([{ field: 'answers', code: 'too_many', message: 'evaluateMany takes at most 16,777,216 answers in one call, not 16,777,217; split the batch' }]);
  });
});
