// The official JSON-Schema-Test-Suite (draft-07) through the engine's public API, next to
// ajv + ajv-formats on the same tests in the same run.
//
// The suite's files come from Debian's json-schema-test-suite package (installed by
// scripts/bootstrap.sh; no npm package ships the draft-07 files, and third-party files are
// not committed): /usr/share/json-schema-test-suite/tests/draft7, or the folder named by
// SIGNALKIT_JSON_SCHEMA_SUITE. Each test is a Saber template with answerType json_schema
// whose outputSchema is the suite's schema, evaluated on the suite's data: `invalid_answer`
// is "invalid", no code is "valid", any other code is a failure. Remote refs
// (refRemote.json and schemas naming localhost:1234) need a network and are skipped.
//
// Every test must give the suite's verdict, except the documented decisions in
// DECIDED_OTHERWISE (asserted to still differ, so a change shows up here). The last test
// prints the per-file figures of both validators (docs/validation.md quotes them).
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadEngine } from '../../js/index.js';

const SUITE = process.env.SIGNALKIT_JSON_SCHEMA_SUITE ?? '/usr/share/json-schema-test-suite/tests/draft7';
if (!existsSync(path.join(SUITE, 'ref.json'))) {
  throw new Error(`the JSON-Schema-Test-Suite (draft-07) is not at ${SUITE}: run scripts/bootstrap.sh ` +
    '(it installs Debian\'s json-schema-test-suite) or set SIGNALKIT_JSON_SCHEMA_SUITE to a draft7 folder');
}

// draft-07 lets content* be validated or not; the engine treats them as annotations
// (docs/validation.md), so these optional tests expect what the engine does not do.
const DECIDED_OTHERWISE = new Set([
  'optional/content.json | validation of string-encoded content based on media type | an invalid JSON document',
  'optional/content.json | validation of binary string-encoding | an invalid base64 string (% is not a valid character)',
  'optional/content.json | validation of binary-encoded media type documents | a validly-encoded invalid JSON document',
  'optional/content.json | validation of binary-encoded media type documents | an invalid base64 string that is valid JSON',
]);

const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.json') ? [path.join(dir, e.name)] : []);

const files = walk(SUITE).map((f) => path.relative(SUITE, f)).filter((f) => f !== 'refRemote.json').sort();
const cases = [];
for (const file of files) {
  for (const group of JSON.parse(readFileSync(path.join(SUITE, file), 'utf8'))) {
    if (JSON.stringify(group.schema).includes('localhost:1234')) continue;
    for (const t of group.tests) cases.push({ file, group, test: t, name: `${file} | ${group.description} | ${t.description}` });
  }
}

let engine;
const figures = new Map(); // file -> { total, signalkit, ajv }
const ajvValidators = new Map();

function ajvVerdict(schema, data) {
  const key = JSON.stringify(schema);
  if (!ajvValidators.has(key)) {
    // One ajv per schema: suite schemas reuse $ids, which one ajv would keep.
    const ajv = new Ajv({ strict: false, logger: false });
    addFormats(ajv);
    let validate = null;
    try { validate = ajv.compile(JSON.parse(key)); } catch { /* ajv rejects the schema */ }
    ajvValidators.set(key, validate);
  }
  const validate = ajvValidators.get(key);
  try { return validate ? validate(data) : 'schema rejected'; } catch (e) { return `threw ${e.message}`; }
}

beforeAll(async () => {
  engine = await loadEngine();
});

describe(`JSON-Schema-Test-Suite draft-07 (${SUITE})`, () => {
  test('the suite is there: required files and the optional ones', () => {
    expect(files).toEqual(expect.arrayContaining(['ref.json', 'definitions.json', 'optional/format/idn-hostname.json',
      'optional/bignum.json', 'optional/ecmascript-regex.json']));
    expect(cases.length).toBeGreaterThan(500);
  });

  test.each(cases.map((c) => [c.name, c]))('%s', (name, c) => {
    const template = { answerType: 'json_schema', outputSchema: c.group.schema };
    const r = engine.evaluate(template, JSON.stringify(c.test.data));
    // Compiled criteria (engine.compileCriteria) give the same result, issues included.
    const compiled = engine.compileCriteria(template);
    expect(compiled.evaluate(JSON.stringify(c.test.data))).toStrictEqual(r);
    compiled.close();
    const verdict = r.code === 'invalid_answer' ? false : r.code === undefined || r.code === null ? true : `code ${r.code}`;
    const a = ajvVerdict(c.group.schema, c.test.data);
    const f = figures.get(c.file) ?? { total: 0, signalkit: 0, ajv: 0 };
    f.total += 1;
    if (verdict === c.test.valid) f.signalkit += 1;
    if (a === c.test.valid) f.ajv += 1;
    figures.set(c.file, f);
    if (DECIDED_OTHERWISE.has(name)) expect(verdict).toBe(!c.test.valid);
    else expect(verdict).toBe(c.test.valid);
  });

  test('per file: signalkit passes at least as many tests as ajv + ajv-formats', () => {
    const sum = (rows) => rows.reduce((s, [, f]) => ({ total: s.total + f.total, signalkit: s.signalkit + f.signalkit, ajv: s.ajv + f.ajv }),
      { total: 0, signalkit: 0, ajv: 0 });
    const rows = [...figures.entries()];
    const required = sum(rows.filter(([file]) => !file.startsWith('optional/')));
    const optional = sum(rows.filter(([file]) => file.startsWith('optional/')));
    const lines = rows.filter(([, f]) => f.signalkit < f.total || f.ajv < f.total)
      .map(([file, f]) => `  ${file}: signalkit ${f.signalkit}/${f.total}, ajv ${f.ajv}/${f.total}`);
    process.stdout.write(`\nJSON-Schema-Test-Suite draft-07 (${SUITE}), files where either misses a test:\n${lines.join('\n')}\n` +
      `  required: signalkit ${required.signalkit}/${required.total}, ajv ${required.ajv}/${required.total}\n` +
      `  optional: signalkit ${optional.signalkit}/${optional.total}, ajv ${optional.ajv}/${optional.total}\n`);
    expect(required.total).toBeGreaterThan(0);
    for (const [file, f] of rows) expect({ file, signalkit: f.signalkit >= f.ajv }).toEqual({ file, signalkit: true });
  });
});
