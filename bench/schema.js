// User JSON Schemas (a Saber template's outputSchema): compile and validate costs of the
// JSON-Schema-Test-Suite's draft-07 schemas against ajv + ajv-formats, and the hostile set
// (schemas built to be expensive) with the worst single compile and answer against the
// 50 ms a request may block the event loop (docs/validation.md, "Cost of a schema").
//
// The hostile set also checks that the meters are an honest model of time: for each case,
// the time the metered work took (the call, minus the same call once the work is not done
// again: the compiled or refused schema is cached; the answer with validateJsonSchema off)
// divided by the units the engine charged for it (engine.workCounters()) must stay under
// the unit's documented cost.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { median } from './timing.js';

const SUITE = process.env.SIGNALKIT_JSON_SCHEMA_SUITE ?? '/usr/share/json-schema-test-suite/tests/draft7';
const BLOCK_MS = 50;
const UNIT_NS = 25; // a unit of compile work or an evaluation step (limits.h, docs/validation.md)
const MIN_UNITS = 20000; // below this the metered time is within the timer's noise
const MAX_BODY = 1 << 20;

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

// Wall and CPU time of one call (CPU time is what the meters model: a loaded machine
// stretches wall time, not CPU time).
function clock(fn) {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = fn();
  const wall = performance.now() - t;
  const u = process.cpuUsage(c);
  return { wall, cpu: (u.user + u.system) / 1000, value };
}

function medians(samples) {
  return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) };
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

const numbered = (prefix, n, value = (i) => i) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, value(i)]));

function randomAb(n) {
  let x = 12345;
  let s = '';
  for (let i = 0; i < n; ++i) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += (x >> 16) & 1 ? 'a' : 'b';
  }
  return s;
}

/**
 * Schemas built to be expensive, each with an answer to evaluate: [name, schema, answer,
 * ajv], where ajv is 'skip' (with the reason in the name of the case) or a smaller case
 * ajv can do: { schema, answer, label }.
 */
function hostileSet() {
  const heavy = { type: 'object', properties: {} };
  for (let i = 0; i < 20; ++i) heavy.properties[`p${i}`] = { pattern: `^.{0,1000}.{0,1000}.{0,${900 + i}}$` };
  const chain = { $ref: '#/definitions/d0', definitions: {} };
  for (let i = 0; i < 20000; ++i) chain.definitions[`d${i}`] = { $ref: `#/definitions/d${i + 1}` };
  chain.definitions.d20000 = { type: 'string' };
  const manyPatterns = { type: 'object', properties: {} };
  for (let i = 0; i < 1000; ++i) manyPatterns.properties[`p${i}`] = { pattern: `^[a-z]{0,${i % 300}}x${i}$` };
  const object40k = numbered('k', 40000);
  const rows = (n) => Array.from({ length: n }, (_, i) => ({ id: i, t: 'x' }));
  const letters = (n, pattern) => ({ properties: numbered('p', n, (i) => ({ pattern: `${pattern}${i}$` })) });
  const ids = { $id: `http://example.com/${'a'.repeat(100000)}/`, definitions: numbered('d', 8, (i) => ({ $id: `#a${i}` })) };
  const regex = '(a|b)'.repeat(150000);
  return [
    ['20 patterns ^.{0,1000}.{0,1000}.{0,N}$', heavy, { p0: 'x' }],
    ['one pattern ^.{0,1000}$ on 1,000 characters', { pattern: '^.{0,1000}$' }, 'y'.repeat(1000)],
    ['1,000 patterns with repetitions', manyPatterns, { p1: 'x1' }],
    ['10 patterns ^\\p{L}+$ (650 ranges each)', letters(10, '^\\p{L}+'), { p0: 'é0' }],
    ['a pattern of 2,000 \\p{L}', { pattern: '\\p{L}'.repeat(2000) }, 'x'],
    ['a pattern of 100,000 (a|b)', { pattern: '(a|b)'.repeat(100000) }, 'x'],
    ['a 20,000-link $ref chain', chain, 'x'],
    ['8,000 distinct $refs', { allOf: Array.from({ length: 8000 }, (_, i) => ({ $ref: `#/definitions/a${i}` })), definitions: numbered('a', 8000, (i) => ({ minimum: i })) }, 1e9],
    ['30,000 $id anchors', { definitions: numbered('d', 30000, (i) => ({ $id: `#i${i}` })) }, 1],
    ['$ids under a 100 KB base URI', ids, 1],
    ['an exponential anyOf graph (60 levels)', dag('anyOf', 60, false), 1],
    ['an anyOf graph under the limit over 50 items', dag('anyOf', 17, false, { items: { $ref: '#/definitions/d0' } }), Array(50).fill(1)],
    ['an anyOf graph over a 2,000-array enum', dag('anyOf', 12, { enum: Array.from({ length: 2000 }, (_, i) => [1, 2, 3, 4, 5, 6, 7, 8, 9, i]) }), [1, 2, 3, 4, 5, 6, 7, 8, 9, -1]],
    ['250,000 empty schemas under allOf', { allOf: Array.from({ length: 250000 }, () => ({})) }, 1],
    ['an enum of 70,000 strings', { enum: Array.from({ length: 70000 }, (_, i) => `value ${i}`) }, 'value -1'],
    ['an enum of 12,000 objects', { enum: Array.from({ length: 12000 }, (_, i) => ({ a: i, b: 'x', c: [1, 2] })) }, { a: -1, b: 'x', c: [1, 2] }],
    ['const of a 40,000-member object', { const: object40k }, object40k],
    ['uniqueItems over 60,000 objects', { uniqueItems: true }, rows(60000),
      { schema: { uniqueItems: true }, answer: rows(3000), label: '3,000 objects' }],
    ['uniqueItems over 2,000 deep items', { uniqueItems: true }, Array.from({ length: 2000 }, (_, i) => ({ a: { b: { c: [i, 'y'.repeat(200)] } } }))],
    ['20,000 required names over 40,000 members', { required: Object.keys(numbered('k', 20000)) }, object40k],
    ['20,000 properties over 40,000 members', { properties: numbered('k', 20000, () => ({})) }, object40k],
    ['propertyNames over 40,000 members', { propertyNames: { maxLength: 3 } }, object40k],
    ['40 patternProperties over 20,000 members', { patternProperties: numbered('^x', 40, () => ({})) }, numbered('k', 20000)],
    ['10,000 dependencies over 40,000 members', { dependencies: numbered('k', 10000, (i) => [`k${i + 1}`, `k${i + 2}`]) }, object40k],
    ['additionalProperties false: 3,000 unknown of 5,000', { properties: numbered('property_name_', 5000, () => ({})), additionalProperties: false }, numbered('propertyname', 3000)],
    ['contains over 200,000 items', { contains: { const: -1 } }, Array.from({ length: 200000 }, (_, i) => i % 10)],
    ['a pattern on 100,000 strings', { items: { pattern: 'abc' } }, Array.from({ length: 100000 }, () => 'xyz')],
    ['a backtracking pattern on 500,000 characters', { pattern: '^(a+)+$' }, 'a'.repeat(500000) + 'b'],
    ['a pattern whose DFA gives up, on 100 KB', { pattern: '(a|b)*a(a|b){20}c' }, randomAb(100000)],
    ['format regex on 750 KB', { format: 'regex' }, regex, 'skip'],
    ['format email on 900 KB', { format: 'email' }, 'a'.repeat(900000) + '@b.c'],
  ];
}

// ajv would hang on the backtracking patterns and the exponential graphs, overflow its
// stack on the chain and generate code of hundreds of MB for the biggest schemas.
const AJV_CANNOT = /backtracking|DFA gives up|\$ref chain|graph|regex on/;

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
      peers: { 'ajv+formats (object in)': av * 1000 / tests }, ratio: sv / av, budget: 'reported', pass: true,
      note: 'the whole evaluate call; docs/performance.md breaks it down' });
  }

  // The hostile set: each schema compiled (cache-busted) and one answer evaluated, as the
  // JSON texts a server receives.
  const worst = {};
  for (const slot of ['compile', 'compileCpu', 'answer', 'answerCpu', 'schemaPart', 'compileUnit', 'answerUnit']) worst[slot] = { value: 0 };
  const keep = (slot, value, name) => { if (value > worst[slot].value) worst[slot] = { value, name }; };
  for (const [name, schema, answer, ajvCase] of hostileSet()) {
    const counted = (fn) => {
      const before = engine.workCounters();
      const c = clock(fn);
      const after = engine.workCounters();
      return { ...c, units: after.schemaCompileWork - before.schemaCompileWork, steps: after.schemaSteps - before.schemaSteps };
    };
    // Compile: 5 fresh texts; the control is the same text again (cached: parsed, looked up).
    const compiles = [], controls = [];
    let units = 0, refused = false, bodyBytes = 0;
    for (let i = 0; i < 5; ++i) {
      round += 1;
      const body = JSON.stringify({ name: 'n', question: 'q', answerType: 'json_schema', outputSchema: fresh(schema) });
      bodyBytes = body.length;
      const first = counted(() => engine.validate('saber.template.create', body));
      compiles.push(first);
      controls.push(counted(() => engine.validate('saber.template.create', body)));
      units = first.units;
      refused = first.value.issues.some((x) => x.code === 'too_complex');
    }
    if (bodyBytes > MAX_BODY) log(`${name}: the body is ${bodyBytes} bytes, over the 1 MiB limit (the engine refuses it as too_large)`);
    const compile = medians(compiles), compileControl = medians(controls);
    // One answer: the template compiled (or refused) and cached first; the control is the
    // same call with validateJsonSchema off (the answer read, no schema applied).
    const template = { answerType: 'json_schema', outputSchema: fresh(schema) };
    const text = JSON.stringify(answer);
    const off = { validateJsonSchema: false };
    engine.evaluate(template, text);
    engine.evaluate(template, text, off);
    const answers = [], answerControls = [];
    for (let i = 0; i < 5; ++i) {
      answers.push(counted(() => engine.evaluate(template, text)));
      answerControls.push(counted(() => engine.evaluate(template, text, off)));
    }
    const answerTime = medians(answers), answerControl = medians(answerControls);
    const steps = answers[0].steps, again = answers[0].units;
    const verdict = answers[0].value.code ?? answers[0].value.qualification;
    const reason = (answers[0].value.issues ?? []).at(-1)?.code;

    // Time per unit of the metered work (CPU time; wall time in parentheses).
    const perUnit = (t, c, n) => ({ cpu: Math.max(0, t.cpu - c.cpu) * 1e6 / n, wall: Math.max(0, t.wall - c.wall) * 1e6 / n });
    let compileNs = null, answerNs = null;
    if (units >= MIN_UNITS) { compileNs = perUnit(compile, compileControl, units); keep('compileUnit', compileNs.cpu, name); }
    if (steps >= MIN_UNITS) { answerNs = perUnit(answerTime, answerControl, steps); keep('answerUnit', answerNs.cpu, name); }
    keep('compile', compile.wall, name);
    keep('compileCpu', compile.cpu, name);
    keep('answer', answerTime.wall, name);
    keep('answerCpu', answerTime.cpu, name);
    keep('schemaPart', Math.max(0, answerTime.cpu - answerControl.cpu), name);

    let ajvText = 'n/a';
    if (ajvCase === 'skip' || AJV_CANNOT.test(name)) {
      ajvText = 'n/a (hangs, overflows or is refused)';
    } else if (ajvCase) {
      // ajv compares every pair of items (quadratic): measured where it finishes.
      const ms = timeMs(() => newAjv().compile(ajvCase.schema)(ajvCase.answer));
      ajvText = `n/a at this size; ${ajvCase.label}: ${ms.toFixed(1)} ms (quadratic)`;
    } else if (JSON.stringify(schema).length < 100000) {
      try {
        ajvText = `${timeMs(() => newAjv().compile(schema)(answer)).toFixed(2)} ms`;
      } catch { ajvText = 'n/a (ajv throws)'; }
    }
    const f = (x) => x.toFixed(2);
    log(`${name}: compile ${f(compile.wall)} ms (CPU ${f(compile.cpu)}, cached ${f(compileControl.cpu)})${refused ? ' refused: too_complex' : ''}, ${units} units` +
      (compileNs ? ` (${compileNs.cpu.toFixed(1)} ns/unit CPU, ${compileNs.wall.toFixed(1)} wall)` : '') +
      `; one answer ${f(answerTime.wall)} ms (CPU ${f(answerTime.cpu)}, unchecked ${f(answerControl.cpu)}), ${steps} steps` + (answerNs ? ` (${answerNs.cpu.toFixed(1)} ns/step CPU, ${answerNs.wall.toFixed(1)} wall)` : '') +
      ` → ${verdict}${reason ? `/${reason}` : ''}${again ? `, recompiled ${again} units` : ''}; ajv compile + validate ${ajvText}`);
  }
  const row = (slot, job, unit, budget) => rows.push({ job, unit, signalkit: worst[slot].value, budget: `≤ ${budget} ${unit}`,
    pass: worst[slot].value <= budget, note: worst[slot].name });
  // Wall time (median of 5) is what blocks the event loop; on a loaded machine it is a
  // multiple of the CPU time the call needs. The answer rows include reading the answer's
  // text (bounded by its own size limit, not by the schema); the schema's part is the
  // answer minus the same answer read with validateJsonSchema off.
  row('compile', 'hostile schemas: the slowest compile', 'ms', BLOCK_MS);
  row('compileCpu', 'hostile schemas: the slowest compile, CPU time', 'ms', BLOCK_MS);
  row('answer', 'hostile schemas: the slowest single answer', 'ms', BLOCK_MS);
  row('answerCpu', 'hostile schemas: the slowest single answer, CPU time', 'ms', BLOCK_MS);
  row('schemaPart', "hostile schemas: the slowest answer's schema work, CPU time", 'ms', BLOCK_MS);
  row('compileUnit', 'hostile schemas: CPU time per unit of compile work, the worst case', 'ns', UNIT_NS);
  row('answerUnit', 'hostile schemas: CPU time per evaluation step, the worst case', 'ns', UNIT_NS);
  return rows;
}
