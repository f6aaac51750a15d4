// signalkit/proxy as users load it: `require('signalkit/proxy')` (dist/proxy.cjs, which
// takes the engine and the clients from dist/index.cjs) and `import 'signalkit/proxy'`
// (dist/proxy.mjs, which takes them from dist/index.mjs),
// through package.json "exports", in a fresh Node; the CommonJS proxy validates with the
// engine and refuses an invalid body with the engine's issues.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '../../..');
const KEY = `pk_live_${'c'.repeat(64)}`;

function node(args, code) {
  return JSON.parse(execFileSync(process.execPath, [...args, '-e', code], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }));
}

const probe = (load) => `${load}.then(async ({ createProxy, toNodeHandler }) => {
  const proxy = createProxy({ puffleKey: '${KEY}', allow: ['puffle.signalType.create'] });
  const res = await proxy(new Request('http://p.test/puffle/api/v1/signals/types', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": ""}' }));
  const { error } = await res.json();
  console.log(JSON.stringify({ status: res.status, code: error.code, fields: error.fields.map((f) => f.field + ':' + f.code),
    node: typeof toNodeHandler(proxy) }));
})`;

const expected = {
  status: 400,
  code: 'validation_failed',
  fields: ['name:too_short', 'keywords:required', 'search_instructions:required', 'scoring_criteria:required', 'sources:required'],
  node: 'function',
};

test('require("signalkit/proxy") resolves to the CommonJS bundle and validates with the engine', () => {
  const cjs = node([], probe("Promise.resolve(require('signalkit/proxy'))"));
  expect(cjs).toEqual(expected);
  const esm = node(['--input-type=module'], probe("import('signalkit/proxy')"));
  // The same answer either way: one engine, one rule book.
  expect(cjs).toEqual(esm);
  expect(require.resolve('signalkit/proxy')).toBe(path.join(root, 'dist/proxy.cjs'));
});

test('dist/proxy.cjs and dist/proxy.mjs hold no second copy of the engine or the clients', () => {
  const { readFileSync } = require('node:fs');
  const cjs = readFileSync(path.join(root, 'dist/proxy.cjs'), 'utf8');
  expect(cjs).toContain('require("./index.cjs")');
  expect(cjs).not.toMatch(/class PuffleClient|signalkit\.cjs/);
  // Minified: a class keeps its name through esbuild's keepNames call, ,"PuffleClient");
  // the glue is known by its exports (_sk_validate).
  const defined = /,"PuffleClient"\)|_sk_validate/;
  expect(readFileSync(path.join(root, 'dist/index.mjs'), 'utf8')).toMatch(defined);
  const esm = readFileSync(path.join(root, 'dist/proxy.mjs'), 'utf8');
  expect(esm).toContain('from"./index.mjs"');
  expect(esm).not.toMatch(defined);
});
