// Writes tests/golden/messages.json: a representative set of engine calls and the exact
// issues and results they give, messages included (messages are API). Both suites check
// it: tests/js/messages.golden.test.js through the JS API and
// tests/cpp/golden_messages_test.cpp through the C++ API.
//
// Run it only when a message changes on purpose, and review the diff:
//   node tests/golden/generate.mjs [package root, default: this checkout]
// (The first version was generated with the engine as it was before the layout of issue
// 10, so the suites prove that the refactoring changed no message.)
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] ?? path.join(here, '../..'));
const { loadEngine } = await import(pathToFileURL(path.join(root, 'js/index.js')).href);
const engine = await loadEngine();

const ID = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
const OTHER = '6f1c2a4e-9b7d-4c3a-8e2f-1a2b3c4d5e6f';
const TYPE = { name: 'Layoffs', keywords: ['layoff'], search_instructions: 's', scoring_criteria: 'c', sources: ['news'] };
const ranges = (...r) => ({ ranges: r.map(([rangeStart, rangeEnd, answerQualification]) => ({ rangeStart, rangeEnd, answerQualification })) });
const FIVE = { answerType: 'number', qualificationCriteria: ranges([null, 10, 'disqualified'], [10, 50, 'poor'], [50, 200, 'neutral'], [250, 1000, 'good'], [1000, 5000, 'excellent']) };
const configType = (config_schema) => ({ params: { id: ID }, type: { id: ID, label: 'Hiring', kind: 'structured', built_in: false, enabled: true, keywords: ['k'], config_schema } });

// Request validation: [name, kind, body | {bodyText}, context]
const validations = [
  ['malformed JSON names line and column', 'puffle.signalType.create', { bodyText: '{"name": "x",\n  "keywords": [1, }' }],
  ['nesting deeper than 64', 'puffle.signalType.create', { bodyText: '{"config":' + '['.repeat(70) + ']'.repeat(70) + '}' }],
  ['an escaped lone surrogate is not Unicode', 'puffle.signalType.create', { bodyText: '{"name": "ok",\n "keywords": ["\\udc00x"]}' }],
  ['a repeated key', 'puffle.signalType.create', { bodyText: '{"name":"a","name":"b","keywords":["k"],"search_instructions":"s","scoring_criteria":"c","sources":["news"]}' }],
  ['missing fields and a wrong type', 'puffle.signalType.create', { name: 5 }],
  ['an unknown field with a suggestion', 'puffle.signalType.create', { ...TYPE, keyword: ['x'] }],
  ['blank, too long and a dot', 'puffle.signalType.create', { ...TYPE, name: ' ', keywords: ['k'.repeat(201)], disqualifiers: ['a.b'] }],
  ['an unknown source', 'puffle.signalType.create', { ...TYPE, sources: ['news', 'tiktok'] }],
  ['too many signal types', 'puffle.signalType.create', TYPE, { types: Array.from({ length: 20 }, (_, i) => ({ id: `t${i}`, label: `T${i}` })) }],
  ['a duplicate name', 'puffle.signalType.create', TYPE, { types: [{ id: OTHER, label: 'Layoffs' }] }],
  ['an empty patch', 'puffle.signalType.update', {}, { params: { id: ID } }],
  ['built-in name and sources are locked', 'puffle.signalType.update', { name: 'X', sources: ['news'] }, { params: { id: ID }, type: { id: ID, label: 'Funding', built_in: true } }],
  ['an enabled keyword type keeps a keyword', 'puffle.signalType.update', { keywords: [] }, { params: { id: ID }, type: { id: ID, label: 'K', kind: 'keyword', enabled: true } }],
  ['a missing path id', 'puffle.signalType.update', { name: 'X' }],
  ['a path id of the wrong form', 'puffle.signalType.get', undefined, { params: { id: 'not-a-uuid' } }],
  ['a path id of the wrong type', 'saber.template.get', undefined, { params: { id: 7 } }],
  ['an unknown source path parameter', 'puffle.signalTypeSource.update', { enabled: false }, { params: { id: ID, sourceId: 'tiktok' } }],
  ['an empty source patch', 'puffle.signalTypeSource.update', {}, { params: { id: ID, sourceId: 'news' } }],
  ['a body where none is sent', 'puffle.signalType.delete', { x: 1 }, { params: { id: ID } }],
  ['a built-in type cannot be deleted', 'puffle.signalType.delete', undefined, { params: { id: ID }, type: { id: ID, label: 'Funding', built_in: true } }],
  ['only built-in types are reset', 'puffle.signalType.reset', undefined, { params: { id: ID }, type: { id: ID, name: 'Mine', built_in: false } }],
  ['a context member that does not exist', 'puffle.signalType.create', TYPE, { typs: [] }],
  ['a context of the wrong shape', 'puffle.signalType.create', TYPE, { types: {} }],
  ['feed query: an unknown source and until before since', 'puffle.signal.list', { source: 'news,,tiktok', since: '2026-02-01T00:00:00Z', until: '2026-01-01T00:00:00Z' }],
  ['feed query: limits and formats', 'puffle.signal.list', { limit: 1000, since: 'yesterday', entity_id: 'x' }],
  ['template: outputSchema required and not a schema', 'saber.template.create', { name: 'n', question: 'q', answerType: 'json_schema' }],
  ['template: an outputSchema that does not compile', 'saber.template.create', { name: 'n', question: 'q', answerType: 'json_schema', outputSchema: { type: 'strin', pattern: '(?<=a)b' } }],
  ['template: criteria for a type that takes none', 'saber.template.create', { name: 'n', question: 'q', answerType: 'url', qualificationCriteria: { yes: 'good' } }],
  ['template: ranges out of order and overlapping', 'saber.template.create', { name: 'n', question: 'q', answerType: 'number', qualificationCriteria: ranges([10, 5, 'good'], [0, 100, 'poor'], [50, 150, 'good']) }],
  ['template: a percentage bound outside 0-100', 'saber.template.create', { name: 'n', question: 'q', answerType: 'percentage', qualificationCriteria: ranges([0, 150, 'good']) }],
  ['template: an unknown answerType and weight', 'saber.template.update', { answerType: 'contacts_generation', weight: 'vital' }, { params: { id: ID } }],
  ['template list: limit and unknown query', 'saber.template.list', { limit: 0, sort: 'name' }],
  ['config_schema: numbers, strings and arrays', 'puffle.signalType.update', { config: { n: 7.5, s: 'abc', a: [1, 1], e: 'z', c: 'no' } }, configType({
    type: 'object', additionalProperties: false,
    properties: { n: { type: 'integer', minimum: 10, multipleOf: 2 }, s: { type: 'string', minLength: 5, pattern: '^x' }, a: { type: 'array', uniqueItems: true, minItems: 3 }, e: { enum: ['x', 'y'] }, c: { const: 'yes' } },
    required: ['r'],
  })],
  ['config_schema: combinators, formats and keys', 'puffle.signalType.update', { config: { any: true, one: 1, not: 'x', date: '2026-13-01', email: 'no', Bad: 1, dep: 1 } }, configType({
    type: 'object',
    properties: { any: { anyOf: [{ type: 'string' }, { type: 'number' }] }, one: { oneOf: [{ type: 'number' }, { type: 'integer' }] }, not: { not: { type: 'string' } }, date: { format: 'date' }, email: { format: 'email' } },
    propertyNames: { pattern: '^[a-z]+$' },
    dependencies: { dep: ['other'] },
  })],
  // Compiles (17 levels: ~524,000 evaluations per value) but four values exceed the meter.
  ['config_schema: too complex', 'puffle.signalType.update', { config: { a: [1, 2, 3, 4] } }, configType((() => {
    const definitions = {};
    for (let i = 0; i < 17; ++i) definitions[`d${i}`] = { anyOf: [{ $ref: `#/definitions/d${i + 1}` }, { $ref: `#/definitions/d${i + 1}` }] };
    definitions.d17 = false;
    return { type: ['object', 'null'], properties: { a: { items: { $ref: '#/definitions/d0' } } }, definitions };
  })())],
  ['template: an outputSchema refused for its cost', 'saber.template.create', {
    name: 'n', question: 'q', answerType: 'json_schema', outputSchema: { pattern: '^.{0,1000}.{0,1000}.{0,1000}$' },
  }],
];

// checkCriteria: [name, answerType, criteria, options]
const checks = [
  ['an unknown answerType', 'numbr', {}],
  ['ranges missing', 'number', {}],
  ['an unknown range field with a suggestion', 'number', { ranges: [{ rangeStart: 0, rangeEnd: 1, answerQualification: 'good', rangeEnd2: 3 }] }],
  ['an unknown qualification', 'boolean', { yes: 'great', no: 5 }],
  ['choices: blank key, missing qualification, label type', 'list', { choices: { ' ': { answerQualification: 'good' }, a: { label: 3 } } }],
  ['not finite', 'number', '{"ranges":[{"rangeStart":0,"rangeEnd":1e999,"answerQualification":"good"}]}'],
  ['criteria that are not JSON', 'number', '{"ranges":'],
  ['an unknown option with a suggestion', 'number', ranges([0, 1, 'good']), { allowOverlap: true }],
];

// evaluate: [name, template, answer, options]
const evaluations = [
  ['a number in range', FIVE, '~1.2k'],
  ['no range contains it', FIVE, '220'],
  ['thousands groups', FIVE, '12,34'],
  ['a currency where a number is due', FIVE, '$5'],
  ['text after the number', FIVE, '12 apples'],
  ['a percentage sign on a number', FIVE, '45%'],
  ['too long to be a number', FIVE, '9'.repeat(300)],
  ['two currencies', { answerType: 'currency' }, '$5 EUR'],
  ['a currency amount', { answerType: 'currency', qualificationCriteria: ranges([0, 1e6, 'poor'], [1e6, null, 'good']) }, '1.2 million euros'],
  ['not a boolean', { answerType: 'boolean', qualificationCriteria: { yes: 'good' } }, 'maybe'],
  ['a boolean without criteria for no', { answerType: 'boolean', qualificationCriteria: { yes: 'good' } }, 'No.'],
  ['a list', { answerType: 'list', qualificationCriteria: { choices: { hubspot: { answerQualification: 'good', label: 'HubSpot' }, zoho: { answerQualification: 'disqualified' } } } }, 'HubSpot; Zoho, Pipedrive'],
  ['no answer', FIVE, '  '],
  ['parseText false', FIVE, '12', { parseText: false }],
  ['a json_schema answer that does not match', { answerType: 'json_schema', outputSchema: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } }, '{"n": "x"}'],
  ['a template that is not usable', { answerType: 'number', qualificationCriteria: { ranges: [] } }, '5'],
  ['an unknown answerType in a template', { answerType: 'digits' }, '5'],
  ['an outputSchema that does not compile', { answerType: 'json_schema', outputSchema: { type: 7 } }, '{}'],
];

// fitScore: [name, items, options]
const fitScores = [
  ['a score with a veto, an error and a missing answer', [
    { template: { templateId: 't1', name: 'Size', weight: 'important', ...FIVE }, answer: '300' },
    { template: { templateId: 't2', name: 'CRM', weight: 'nice_to_have', answerType: 'list', qualificationCriteria: { choices: { zoho: { answerQualification: 'disqualified' } } } }, answer: 'Zoho' },
    { template: { templateId: 't3', name: 'Growth', ...FIVE }, answer: 'lots' },
    { template: { templateId: 't4', name: 'Budget', weight: 'vital', ...FIVE }, answer: '5' },
    { template: { templateId: 't5', name: 'Other', ...FIVE } },
    'not an item',
  ]],
  ['bad options', [], { weights: { important: -1 }, vetoo: true }],
  ['weights and points at their limit (no overflow)', [
    { template: { weight: 'important', ...FIVE }, answer: '2000' },
    { template: { weight: 'nice_to_have', ...FIVE }, answer: '300' },
  ], { weights: { important: 1e300, nice_to_have: 1e299 }, points: { excellent: 1e300, good: 5e299 } }],
  ['a weight past its limit', [], { weights: { important: 1e301 } }],
];

// compileMatcher: [name, types, options]
const matchers = [
  ['keyword rules', [{ label: 'A', keywords: ['', ' - ', 'k'.repeat(201)], disqualifiers: Array.from({ length: 51 }, (_, i) => `d${i}`) }]],
  ['types and fields of the wrong type', [{ label: 'A', keywords: 'x', enabled: 'yes', source_settings: [{ enabled: true }, 5] }, 7]],
  ['options', [{ label: 'A', keywords: ['x'] }], { snippetRadius: 5000, includeDisabled: 1, colour: 'red' }],
  ['too many types', Array.from({ length: 21 }, (_, i) => ({ label: `T${i}`, keywords: ['x'] }))],
];

const cases = [];
for (const [name, kind, body, context] of validations) {
  const c = { name, call: 'validate', kind };
  if (body && typeof body === 'object' && 'bodyText' in body) c.bodyText = body.bodyText;
  else if (body !== undefined) c.body = body;
  if (context) c.context = context;
  const r = engine.validate(kind, c.bodyText ?? c.body, context);
  c.issues = r.issues;
  cases.push(c);
}
for (const [name, answerType, criteria, options] of checks) {
  const c = { name, call: 'checkCriteria', answerType, criteria };
  if (options) c.options = options;
  try {
    c.result = engine.checkCriteria(answerType, criteria, options);
  } catch (err) {
    c.error = { name: err.name, message: err.message, issues: err.issues };
  }
  cases.push(c);
}
for (const [name, template, answer, options] of evaluations) {
  const c = { name, call: 'evaluate', template, answer };
  if (options) c.options = options;
  c.result = engine.evaluate(template, answer, options);
  cases.push(c);
}
for (const [name, items, options] of fitScores) {
  const c = { name, call: 'fitScore', items };
  if (options) c.options = options;
  try {
    c.result = engine.fitScore(items, options);
  } catch (err) {
    c.error = { name: err.name, message: err.message, issues: err.issues };
  }
  cases.push(c);
}
for (const [name, types, options] of matchers) {
  const c = { name, call: 'compileMatcher', types };
  if (options) c.options = options;
  try {
    engine.compileMatcher(types, options).close();
    c.issues = [];
  } catch (err) {
    c.error = { name: err.name, message: err.message };
    c.issues = err.issues;
  }
  cases.push(c);
}

const file = path.join(here, 'messages.json');
writeFileSync(file, JSON.stringify({
  about: 'Engine messages are API: the exact issues, reasons and results of representative calls. Checked by tests/js/messages.golden.test.js and tests/cpp/golden_messages_test.cpp; regenerate with tests/golden/generate.mjs only for an intended change.',
  cases,
}, null, 1) + '\n');
console.log(`golden: ${cases.length} cases -> ${path.relative(process.cwd(), file)}`);
