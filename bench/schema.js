// User JSON Schemas (a Saber template's outputSchema): compile and validate costs of the
// JSON-Schema-Test-Suite's draft-07 schemas against ajv + ajv-formats, and the hostile set
// (schemas built to be expensive) with the worst single compile and answer against the
// 50 ms a request may block the event loop (docs/validation.md, "Cost of a schema").
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { median } from './timing.js';

const SUITE = process.env.SIGNALKIT_JSON_SCHEMA_SUITE ?? '/usr/share/json-schema-test-suite/tests/draft7';
const BLOCK_MS = 50;

function suiteGroups() {
  const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.json') ? [path.join(d, e.name)] : []);
  return walk(SUITE).filter((f) => !f.endsWith('refRemote.json'))
    .flatMap((f) => JSON.parse(readFileSync(f, 'utf8')))
    .filter((g) => !JSON.stringify(g.schema).includes('localhost:1234'));
}

const newAjv = () => {
  const ajv = new Ajv({ strict: false, logger: false });
  addFormats(ajv);
  return ajv;
};

// The engine compiles a schema the first time a template uses it (then caches it): a
// "$comment" that changes every round makes each round a first time.
let round = 0;
const fresh = (schema) => (typeof schema === 'object' && schema !== null && !Array.isArray(schema)
  ? { $comment: `round ${round}`, ...schema } : { $comment: `round ${round}`, allOf: [schema] });

function timeMs(fn) {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

function dag(combinator, levels, leaf, use = { $ref: '#/definitions/d0' }) {
  const definitions = {};
  for (let i = 0; i < levels; ++i) {
    const next = { $ref: `#/definitions/d${i + 1}` };
    definitions[`d${i}`] = { [combinator]: [next, next] };
  }
  definitions[`d${levels}`] = leaf;
  return { ...use, definitions };
}

/** Schemas built to be expensive, each with an answer to evaluate. */
function hostileSet() {
  const heavy = { type: 'object', properties: {} };
  for (let i = 0; i < 20; ++i) heavy.properties[`p${i}`] = { pattern: `^.{0,1000}.{0,1000}.{0,${900 + i}}$` };
  const onePattern = { pattern: '^.{0,1000}$' };
  const chain = { $ref: '#/definitions/d0', definitions: {} };
  for (let i = 0; i < 20000; ++i) chain.definitions[`d${i}`] = { $ref: `#/definitions/d${i + 1}` };
  chain.definitions.d20000 = { type: 'string' };
  const manyPatterns = { type: 'object', properties: {} };
  for (let i = 0; i < 1000; ++i) manyPatterns.properties[`p${i}`] = { pattern: `^[a-z]{0,${i % 300}}x${i}$` };
  const empties = { allOf: Array.from({ length: 250000 }, () => ({})) };
  const hugeEnum = { enum: Array.from({ length: 70000 }, (_, i) => `value ${i}`) };
  const bigArray = Array.from({ length: 60000 }, (_, i) => ({ id: i, t: 'x' }));
  return [
    ['20 patterns ^.{0,1000}.{0,1000}.{0,N}$', heavy, { p0: 'x' }],
    ['one pattern ^.{0,1000}$ on 1,000 characters', onePattern, 'y'.repeat(1000)],
    ['1,000 patterns with repetitions', manyPatterns, { p1: 'x1' }],
    ['a 20,000-link $ref chain', chain, 'x'],
    ['an exponential anyOf graph (60 levels)', dag('anyOf', 60, false), 1],
    ['anyOf graph under the limit over 50 items', dag('anyOf', 18, false, { items: { $ref: '#/definitions/d0' } }), Array(50).fill(1)],
    ['250,000 empty schemas under allOf', empties, 1],
    ['an enum of 70,000 strings', hugeEnum, 'value -1'],
    ['uniqueItems over 60,000 objects', { uniqueItems: true }, bigArray],
    ['a backtracking pattern on 500,000 characters', { pattern: '^(a+)+$' }, 'a'.repeat(500000) + 'b'],
  ];
}

export async function run({ engine, log }) {
  const rows = [];
  if (!existsSync(path.join(SUITE, 'ref.json'))) {
    log(`the JSON-Schema-Test-Suite is not at ${SUITE} (scripts/bootstrap.sh installs it): suite rows skipped`);
  } else {
    const groups = suiteGroups();
    const tests = groups.reduce((n, g) => n + g.tests.length, 0);
    // Compile every suite schema (median of 5 rounds of the whole set).
    const skCompile = [], ajvCompile = [];
    for (round = 0; round < 5; ++round) {
      const schemas = groups.map((g) => fresh(g.schema));
      skCompile.push(timeMs(() => {
        for (const s of schemas) engine.validate('saber.template.create', { name: 'n', question: 'q', answerType: 'json_schema', outputSchema: s });
      }));
      ajvCompile.push(timeMs(() => {
        for (const s of schemas) { try { newAjv().compile(s); } catch { /* rejected */ } }
      }));
    }
    // Validate every suite test against its compiled schema (median of 5 rounds).
    const compiled = groups.map((g) => {
      let v = null;
      try { v = newAjv().compile(g.schema); } catch { /* rejected */ }
      return { template: { answerType: 'json_schema', outputSchema: g.schema }, ajv: v, tests: g.tests.map((t) => [t.data, JSON.stringify(t.data)]) };
    });
    const skValidate = [], ajvValidate = [];
    for (let r = 0; r < 5; ++r) {
      skValidate.push(timeMs(() => {
        for (const c of compiled) for (const [, text] of c.tests) engine.evaluate(c.template, text);
      }));
      ajvValidate.push(timeMs(() => {
        for (const c of compiled) for (const [data] of c.tests) if (c.ajv) c.ajv(data);
      }));
    }
    const sc = median(skCompile), ac = median(ajvCompile), sv = median(skValidate), av = median(ajvValidate);
    log(`suite: ${groups.length} schemas compiled in ${sc.toFixed(1)} ms (ajv ${ac.toFixed(1)} ms); ${tests} tests validated in ${sv.toFixed(1)} ms (ajv ${av.toFixed(1)} ms)`);
    rows.push({ job: `compile the suite's ${groups.length} draft-07 schemas`, unit: 'µs per schema', signalkit: sc * 1000 / groups.length,
      peers: { 'ajv+formats': ac * 1000 / groups.length }, ratio: sc / ac, budget: 'reported', pass: true });
    rows.push({ job: `validate the suite's ${tests} tests (evaluate, JSON text in)`, unit: 'µs per test', signalkit: sv * 1000 / tests,
      peers: { 'ajv+formats (object in)': av * 1000 / tests }, ratio: sv / av, budget: 'reported', pass: true });
  }

  // The hostile set: each schema compiled (cache-busted) and one answer evaluated.
  let worstCompile = 0, worstAnswer = 0, worstCompileName = '', worstAnswerName = '';
  for (const [name, schema, answer] of hostileSet()) {
    round += 1;
    const s = fresh(schema);
    const body = { name: 'n', question: 'q', answerType: 'json_schema', outputSchema: s };
    const compile = median(Array.from({ length: 3 }, (_, i) => {
      round += i;
      const b = { ...body, outputSchema: fresh(schema) };
      return timeMs(() => engine.validate('saber.template.create', b));
    }));
    const verdict = engine.validate('saber.template.create', body);
    const refused = verdict.issues.find((i) => i.code === 'too_complex');
    const text = JSON.stringify(answer);
    engine.evaluate({ answerType: 'json_schema', outputSchema: s }, text); // compiled and cached
    const answerMs = median(Array.from({ length: 3 }, () => timeMs(() => engine.evaluate({ answerType: 'json_schema', outputSchema: s }, text))));
    let ajvMs = NaN;
    // ajv would hang on the backtracking pattern and the exponential graphs, overflow its
    // stack on the chain and generate code of hundreds of MB for the biggest schemas.
    if (!/backtracking|20,000-link|graph/.test(name) && JSON.stringify(schema).length < 100000) {
      try {
        const t = performance.now();
        newAjv().compile(schema)(answer);
        ajvMs = performance.now() - t;
      } catch { ajvMs = NaN; }
    }
    log(`${name}: compile ${compile.toFixed(2)} ms${refused ? ' (refused: too_complex)' : ''}, one answer ${answerMs.toFixed(2)} ms; ajv compile + validate ${Number.isNaN(ajvMs) ? 'n/a' : ajvMs.toFixed(2) + ' ms'}`);
    if (compile > worstCompile) { worstCompile = compile; worstCompileName = name; }
    if (answerMs > worstAnswer) { worstAnswer = answerMs; worstAnswerName = name; }
  }
  rows.push({ job: 'hostile schemas: the slowest compile', unit: 'ms', signalkit: worstCompile, budget: `≤ ${BLOCK_MS} ms`,
    pass: worstCompile <= BLOCK_MS, note: worstCompileName });
  rows.push({ job: 'hostile schemas: the slowest single answer', unit: 'ms', signalkit: worstAnswer, budget: `≤ ${BLOCK_MS} ms`,
    pass: worstAnswer <= BLOCK_MS, note: worstAnswerName });
  return rows;
}
