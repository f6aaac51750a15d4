// The package as users load it: the CommonJS bundle (dist/index.cjs, built by
// scripts/build-js.mjs) and the ESM bundle (dist/index.mjs) must give the same engine, and
// Node's own resolution of `require('signalkit')` / `import 'signalkit'` through
// package.json "exports" must reach them.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const cjs = require('../../dist/index.cjs');

const body = {
  name: 'Layoffs',
  keywords: ['layoffs'],
  search_instructions: 'Find layoff news.',
  scoring_criteria: 'Score higher for large layoffs.',
  sources: ['news'],
};

test('the CommonJS bundle loads the engine and validates a body', async () => {
  const engine = await cjs.loadEngine();
  expect(engine.validate('puffle.signalType.create', body)).toEqual({
    valid: true,
    issues: [],
    json: JSON.stringify(body),
  });
  const bad = engine.validate('puffle.signalType.create', { ...body, keywords: [] });
  expect(bad.valid).toBe(false);
  expect(bad.issues.map((i) => [i.field, i.code])).toEqual([['keywords', 'too_few']]);
});

test('loadEngine caches one instance', async () => {
  expect(await cjs.loadEngine()).toBe(await cjs.loadEngine());
});

test('import and require give the same kinds and exports (the ESM bundle, its sources, the CJS bundle)', async () => {
  const esm = await import('../../dist/index.mjs');
  const sources = await import('../../js/index.js');
  const [a, b] = await Promise.all([cjs.loadEngine(), esm.loadEngine()]);
  expect([...a.kinds()]).toEqual([...b.kinds()]);
  expect(a.kinds().length).toBeGreaterThan(0);
  expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).filter((k) => k !== 'default').sort());
  expect(Object.keys(sources).sort()).toEqual(Object.keys(esm).sort());
});

// Plain Node (not Jest's module system): package self-reference through "exports".
function node(args) {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
}
const script = `.loadEngine().then(e => console.log(JSON.stringify({
  kinds: e.kinds(),
  verdict: e.validate('saber.template.create', { question: 'x' }).issues.map(i => i.field + ' ' + i.code),
})))`;

test("require('signalkit') and import('signalkit') work in plain Node", () => {
  const viaRequire = JSON.parse(node(['-e', `require('signalkit')${script}`]));
  const viaImport = JSON.parse(node(['--input-type=module', '-e', `import * as sk from 'signalkit'; sk${script}`]));
  expect(viaRequire).toEqual(viaImport);
  expect(viaRequire.kinds.length).toBeGreaterThan(0);
});

test("the schemas are exported as 'signalkit/schemas/<kind>.json'", () => {
  const schema = JSON.parse(node(['-e', "console.log(JSON.stringify(require('signalkit/schemas/puffle.signalType.create.json')))"]));
  expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
});

test('the ES module bundles end with their source maps, which name only files the package ships', () => {
  const { existsSync, readFileSync } = require('node:fs');
  const { files } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const shipped = (rel) => files.some((f) => (f.endsWith('/') ? rel.startsWith(f) : rel === f));
  for (const bundle of ['dist/index.mjs', 'dist/proxy.mjs']) {
    const text = readFileSync(path.join(root, bundle), 'utf8');
    expect(text.trimEnd().endsWith(`//# sourceMappingURL=${path.basename(bundle)}.map`)).toBe(true);
    expect(shipped(`${bundle}.map`)).toBe(true);
    const map = JSON.parse(readFileSync(path.join(root, `${bundle}.map`), 'utf8'));
    expect(map.sources.length).toBeGreaterThan(5);
    for (const source of map.sources) {
      const rel = path.posix.join('dist', source);
      expect(existsSync(path.join(root, rel))).toBe(true);
      expect([rel, shipped(rel)]).toEqual([rel, true]);
    }
  }
});
