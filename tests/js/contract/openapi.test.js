// The OpenAPI documents (schemas/openapi/*.json) held to an independent reference: ajv
// (draft 2020-12, the dialect of OpenAPI 3.1 schemas) compiles every response schema and
// checks every example; request bodies must be $refs to the request schema files the engine
// embeds, not copies of them. Redocly CLI lints the same documents in `npm test`
// (scripts/lint-openapi.sh); this file checks what a linter cannot know about this project.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { codeBlocks, readmeSection, ROOT, run, runModule } from '../support/readme.js';

const require = createRequire(import.meta.url);
const SCHEMA_DIR = path.join(ROOT, 'schemas');
const DOC_DIR = path.join(SCHEMA_DIR, 'openapi');
const ID_BASE = 'https://signalkit.dev/schemas/';   // the request schemas' $id prefix
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const PROVIDERS = ['puffle', 'saber'];
const docs = Object.fromEntries(PROVIDERS.map((p) => [p, readJson(path.join(DOC_DIR, `${p}.json`))]));
const requestSchemaFiles = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json')).sort();

/** Every {pointer, value} in a JSON tree, depth first. */
function* walk(node, pointer = '') {
  yield { pointer, value: node };
  if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      yield* walk(v, `${pointer}/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
  }
}
function resolvePointer(root, pointer) {
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}
const refsOf = (doc) => [...walk(doc)].filter(({ value }) => value && typeof value.$ref === 'string')
  .map(({ pointer, value }) => ({ pointer, ref: value.$ref }));
const operationsOf = (doc) => Object.entries(doc.paths).flatMap(([p, item]) =>
  METHODS.filter((m) => item[m]).map((m) => ({ path: p, method: m, op: item[m], where: `${m.toUpperCase()} ${p}` })));
/** A response object, following one $ref into components. */
const deref = (doc, obj) => (obj && obj.$ref ? resolvePointer(doc, obj.$ref.slice(1)) : obj);

// One ajv for everything: the draft-07 request schemas (under their $id) and each document
// (under the $id its location implies, so that "../x.json" resolves to x.json's $id).
function makeAjv() {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-07.json'));
  // getSchema(<document>#<pointer>) compiles the document's root too: its OpenAPI fields
  // are declared as annotations so that strict mode still rejects unknown schema keywords.
  ajv.addVocabulary(['openapi', 'info', 'jsonSchemaDialect', 'servers', 'security', 'tags', 'paths', 'webhooks', 'components', 'externalDocs']);
  for (const f of requestSchemaFiles) ajv.addSchema(readJson(path.join(SCHEMA_DIR, f)));
  for (const p of PROVIDERS) ajv.addSchema(docs[p], `${ID_BASE}openapi/${p}.json`, undefined, false);
  return ajv;
}
const ajv = makeAjv();
const validatorAt = (provider, pointer) => ajv.getSchema(`${ID_BASE}openapi/${provider}.json#${pointer}`);
const componentValidator = (provider, name) => validatorAt(provider, `/components/schemas/${name}`);
const requestValidator = (file) => ajv.getSchema(`${ID_BASE}${file}`);

/** [{where, pointer, mediaType}] for every request body and response body of a document. */
function bodiesOf(provider) {
  const doc = docs[provider];
  const out = [];
  for (const { path: p, method, op, where } of operationsOf(doc)) {
    const opPointer = `/paths/${p.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`;
    if (op.requestBody) {
      out.push({ where: `${where} request`, kind: 'request', pointer: `${opPointer}/requestBody/content/application~1json`, media: op.requestBody.content['application/json'] });
    }
    for (const [status, r] of Object.entries(op.responses)) {
      const direct = !r.$ref;
      const base = direct ? `${opPointer}/responses/${status}` : r.$ref.slice(1);
      const media = deref(doc, r).content?.['application/json'];
      if (media) out.push({ where: `${where} ${status}`, kind: 'response', status, pointer: `${base}/content/application~1json`, media });
    }
  }
  return out;
}

describe.each(PROVIDERS)('%s.json', (provider) => {
  const doc = docs[provider];

  test('is an OpenAPI 3.1 document with bearer security for every operation', () => {
    expect(doc.openapi).toBe('3.1.0');
    const schemes = Object.values(doc.components.securitySchemes);
    expect(schemes).toHaveLength(1);
    expect(schemes[0]).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes[0].bearerFormat).toMatch(provider === 'puffle' ? /^pk_live_/ : /^sk_live_/);
    expect(doc.security).toEqual([{ [Object.keys(doc.components.securitySchemes)[0]]: [] }]);
    for (const { op } of operationsOf(doc)) expect(op.security).toBeUndefined();
  });

  test('every $ref resolves: in the document, or to an existing schema file and pointer', () => {
    const problems = [];
    for (const { pointer, ref } of refsOf(doc)) {
      const [file, fragment = ''] = ref.split('#');
      if (file === '') {
        if (resolvePointer(doc, fragment) === undefined) problems.push(`${pointer}: ${ref}`);
        continue;
      }
      const target = path.resolve(DOC_DIR, file);
      if (path.dirname(target) !== SCHEMA_DIR || !existsSync(target)) { problems.push(`${pointer}: no file ${ref}`); continue; }
      if (fragment && resolvePointer(readJson(target), fragment) === undefined) problems.push(`${pointer}: no ${fragment} in ${file}`);
    }
    expect(problems).toEqual([]);
  });

  test('request bodies are the request schema files, referenced, never retyped', () => {
    const bodies = bodiesOf(provider).filter((b) => b.kind === 'request');
    expect(bodies.length).toBeGreaterThan(0);
    for (const { where, media } of bodies) {
      // Exactly a $ref to ../<provider>.<resource>.<operation>.json: nothing added beside it.
      expect({ where, keys: Object.keys(media.schema) }).toEqual({ where, keys: ['$ref'] });
      const file = media.schema.$ref.replace(/^\.\.\//, '');
      expect({ where, file }).toEqual({ where, file: expect.stringMatching(new RegExp(`^${provider}\\.[a-zA-Z]+\\.[a-zA-Z]+\\.json$`)) });
      const schema = readJson(path.join(SCHEMA_DIR, file));
      expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
      expect(schema.$id).toBe(`${ID_BASE}${file}`);
      expect(requestValidator(file)).toEqual(expect.any(Function));
    }
  });

  test(`every ${provider}.* request schema file is used by this document`, () => {
    const used = new Set(refsOf(doc).map(({ ref }) => ref.split('#')[0]).filter(Boolean).map((f) => f.replace(/^\.\.\//, '')));
    expect(requestSchemaFiles.filter((f) => f.startsWith(`${provider}.`))).toEqual([...used].sort());
  });

  test('every component is used', () => {
    const refs = new Set(refsOf(doc).map(({ ref }) => ref));
    const unused = [];
    for (const [section, entries] of Object.entries(doc.components)) {
      if (section === 'securitySchemes') continue;
      for (const name of Object.keys(entries)) {
        if (!refs.has(`#/components/${section}/${name}`)) unused.push(`${section}/${name}`);
      }
    }
    expect(unused).toEqual([]);
  });

  test('every operation documents success, 401 and 429; 204 has no body; a body can be refused with 400', () => {
    for (const { op, where } of operationsOf(doc)) {
      const statuses = Object.keys(op.responses);
      expect({ where, ok: statuses.some((s) => /^2\d\d$/.test(s)) }).toEqual({ where, ok: true });
      expect({ where, has: ['401', '429'].filter((s) => statuses.includes(s)) }).toEqual({ where, has: ['401', '429'] });
      if (op.requestBody) expect({ where, has400: statuses.includes('400') }).toEqual({ where, has400: true });
      if (op.responses['204']) expect({ where, content: deref(doc, op.responses['204']).content }).toEqual({ where, content: undefined });
      expect(op.operationId).toMatch(/^[a-z][A-Za-z]+$/);
    }
  });

  test('ajv (draft 2020-12) compiles every response schema and every component schema', () => {
    const bodies = bodiesOf(provider).filter((b) => b.kind === 'response');
    expect(bodies.length).toBeGreaterThan(10);
    for (const { where, pointer } of bodies) {
      expect({ where, compiled: typeof validatorAt(provider, `${pointer}/schema`) }).toEqual({ where, compiled: 'function' });
    }
    for (const name of Object.keys(doc.components.schemas)) {
      expect({ name, compiled: typeof componentValidator(provider, name) }).toEqual({ name, compiled: 'function' });
    }
  });

  test('every example (request and response) is valid against its schema', () => {
    let checked = 0;
    for (const { where, pointer, media } of bodiesOf(provider)) {
      const validate = validatorAt(provider, `${pointer}/schema`);
      for (const [name, example] of Object.entries(media.examples ?? {})) {
        const value = deref(doc, example).value;
        const ok = validate(value);
        expect({ where, name, errors: ok ? null : validate.errors }).toEqual({ where, name, errors: null });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(15);
  });

  test('response objects are open (no additionalProperties: false); request schemas are closed', () => {
    for (const name of Object.keys(doc.components.schemas)) {
      for (const { pointer, value } of walk(doc.components.schemas[name])) {
        if (value && typeof value === 'object' && 'additionalProperties' in value) {
          throw new Error(`components/schemas/${name}${pointer} sets additionalProperties`);
        }
      }
    }
    for (const f of requestSchemaFiles.filter((x) => x.startsWith(`${provider}.`))) {
      expect({ f, additionalProperties: readJson(path.join(SCHEMA_DIR, f)).additionalProperties }).toEqual({ f, additionalProperties: false });
    }
  });
});

describe('the contract in examples', () => {
  const signal = {
    id: 'bbbb1111-1111-1111-1111-111111111111', signal_type: 'hiring', title: 'Acme is hiring', text: 'A new role',
    reasoning: 'Matches.', source: 'linkedin_jobs', source_url: 'https://linkedin.com/jobs/view/1', score: 86, confidence: 0.92,
    entity: { id: 'cccc1111-1111-1111-1111-111111111111', name: 'Acme Inc', type: 'company', domain: 'acme.com' },
    person_entity: null, classification: {}, created_at: '2026-04-22T09:00:00Z',
  };
  const feedPage = (body) => validatorAt('puffle', '/paths/~1api~1v1~1signals/get/responses/200/content/application~1json/schema')(body);
  const pagination = { cursor: null, has_more: false, count: 1 };

  test('responses tolerate unknown fields and source ids Puffle adds later; requests do not', () => {
    expect(feedPage({ signals: [{ ...signal, source: 'podcasts', sentiment: 'positive' }], pagination, served_by: 'x' })).toBe(true);
    const type = {
      id: '3c90c3cc-0d44-4b50-8888-8dd25736052a', label: 'Layoffs', description: '', kind: 'keyword', enabled: true,
      keywords: ['layoffs'], disqualifiers: [], config: null, config_schema: null, built_in: false,
      search_instructions: 'Find', scoring_criteria: 'Rank', sources: ['news', 'podcasts'], position: 3,
    };
    expect(componentValidator('puffle', 'SignalType')(type)).toBe(true);
    expect(componentValidator('puffle', 'SourceSetting')({ source_id: 'podcasts', enabled: false, keywords_extra: [], prompt_override: null })).toBe(true);

    const create = requestValidator('puffle.signalType.create.json');
    const body = { name: 'Layoffs', keywords: ['layoffs'], search_instructions: 'Find', scoring_criteria: 'Rank', sources: ['news'] };
    expect(create(body)).toBe(true);
    expect(create({ ...body, sources: ['podcasts'] })).toBe(false);
    expect(create({ ...body, position: 3 })).toBe(false);
  });

  test('feed pages nest pagination; a grouped page holds entities', () => {
    expect(feedPage({ signals: [signal], pagination })).toBe(true);
    expect(feedPage({ entities: [{ entity: signal.entity, signals: [signal], signal_count: 1 }], pagination })).toBe(true);
    // The shape signalkit served before: paging at the top level, no pagination object.
    expect(feedPage({ signals: [signal], cursor: null, has_more: false, count: 1 })).toBe(false);
    // And the signal fields it served instead of the documented ones.
    const { text, reasoning, source_url: sourceUrl, ...rest } = signal;
    expect([text, reasoning, sourceUrl].every(Boolean)).toBe(true);
    expect(feedPage({ signals: [{ ...rest, url: sourceUrl, snippet: text, detected_at: signal.created_at }], pagination })).toBe(false);
  });

  test('Puffle errors use the documented codes; Saber 429s come in both documented shapes', () => {
    const puffleError = componentValidator('puffle', 'Error');
    expect(puffleError({ error: { code: 'invalid_request', message: 'keywords: too few', fields: [{ field: 'keywords', message: 'too few', code: 'too_few' }] } })).toBe(true);
    expect(puffleError({ error: { code: 'validation_failed', message: 'keywords: too few' } })).toBe(false);

    const tooMany = validatorAt('saber', '/components/responses/TooManyRequests/content/application~1json/schema');
    expect(tooMany({ statusCode: 429, message: 'Rate limit exceeded', error: 'Too Many Requests', retryAfter: 12 })).toBe(true);
    expect(tooMany({ error: { type: 'TIMEOUT', code: 'TOO_MANY_REQUESTS', message: 'Per-route rate limit exceeded' } })).toBe(true);
    expect(tooMany({ error: { type: 'RATE_LIMIT', code: 'TOO_MANY_REQUESTS', message: 'slow down' } })).toBe(false);
  });

  test('Saber sync: 200 is finished research, 202 is still processing', () => {
    const sync = (status) => validatorAt('saber', `/paths/~1v1~1companies~1signals~1sync/post/responses/${status}/content/application~1json/schema`);
    const base = { id: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890', domain: 'acme.com', question: 'How many employees?', createdAt: '2024-01-15T09:00:00Z' };
    expect(sync(200)({ ...base, status: 'completed', answer: '1.2k' })).toBe(true);
    expect(sync(200)({ ...base, status: 'processing' })).toBe(false);
    expect(sync(202)({ ...base, status: 'processing' })).toBe(true);
    expect(sync(202)({ ...base, status: 'completed' })).toBe(false);
  });

  test('company-signal requests: a bare hostname, known fields only, list limit 1-25', () => {
    const create = requestValidator('saber.companySignal.create.json');
    expect(create({ domain: 'acme.com', signalTemplateId: 'a12b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d' })).toBe(true);
    expect(create({ domain: 'https://acme.com/' })).toBe(false);
    expect(create({ domain: 'acme.com', question: 'Size?', answerType: 'number', webhook: 'https://x.example' })).toBe(false);
    const list = requestValidator('saber.companySignal.list.json');
    expect(list({ limit: 25, fromDate: '2026-01-01T00:00:00Z', status: ['completed'] })).toBe(true);
    expect(list({ limit: 26 })).toBe(false);
    expect(list({ fromDate: '2026-01-01' })).toBe(false);
  });

  test('a company profile read with GET can be written back with PUT unchanged', () => {
    const example = docs.puffle.components.examples.Context.value;
    expect(validatorAt('puffle', '/paths/~1api~1context/get/responses/200/content/application~1json/schema')(example)).toBe(true);
    const put = requestValidator('puffle.context.set.json');
    expect(put(example)).toBe(true);
    expect(put({ context: { ...example.context, market: undefined } })).toBe(false);
    expect(put({ context: { ...example.context, company: { ...example.context.company, slogan: 'x' } } })).toBe(false);
  });
});

describe('README: OpenAPI documents', () => {
  // The section's code blocks, run as written in a fresh project that depends on signalkit
  // (a symlink, as `npm link` makes) and has Redocly CLI installed.
  const blocks = codeBlocks(readmeSection('## OpenAPI documents'));
  let dir;
  const options = () => ({ cwd: dir, env: { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }, timeout: 120_000 });

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'signalkit-openapi-'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'openapi-readme', private: true, type: 'module' }));
    mkdirSync(path.join(dir, 'node_modules/@redocly'), { recursive: true });
    mkdirSync(path.join(dir, 'node_modules/.bin'));
    symlinkSync(ROOT, path.join(dir, 'node_modules/signalkit'));
    symlinkSync(path.join(ROOT, 'node_modules/@redocly/cli'), path.join(dir, 'node_modules/@redocly/cli'));
    symlinkSync(readlinkSync(path.join(ROOT, 'node_modules/.bin/redocly')), path.join(dir, 'node_modules/.bin/redocly'));
  });
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  test('has one js block and one sh block', () => {
    expect(blocks.map((b) => b.lang)).toEqual(['js', 'sh']);
  });

  test('the js block prints what its comments claim', async () => {
    const code = blocks[0].body;
    const claimed = [...code.matchAll(/^\/\/ (.+)$/gm)].map((m) => m[1]);
    expect(claimed).toHaveLength(2);
    expect((await runModule(code, options())).trim().split('\n')).toEqual(claimed);
  });

  test('the sh block writes self-contained documents with the same paths', async () => {
    await run('bash', ['-e', '-c', blocks[1].body], options());
    for (const p of PROVIDERS) {
      const bundled = readJson(path.join(dir, `${p}.openapi.json`));
      expect(Object.keys(bundled.paths)).toEqual(Object.keys(docs[p].paths));
      expect(JSON.stringify(bundled)).not.toContain('"$ref"');
    }
  }, 120_000);
});
