// The package outside the dashboard, in real Chromium: the ES module build and the widgets
// under a strict CSP, the single-file builds in classic <script> tags, and a consumer
// app bundled by the real Vite.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { createStaticHandler } from '../../demo/server.mjs';
import { loadEngine } from '../../js/index.js';
import { launch, newPage, RESULTS, ROOT, screenshot } from './helpers.mjs';

const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'";
// The same without 'wasm-unsafe-eval': WebAssembly must then be refused (proves the
// header is really enforced, so the strict-CSP passes above mean something).
const NO_WASM_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'";

let browser;
let server;
let base;
before(async () => {
  browser = await launch();
  const statics = createStaticHandler({
    prefixes: ['/js/', '/dist/', '/tests/browser/pages/'],
    // Pages get the strict CSP; `?csp=no-wasm` gets the one without wasm-unsafe-eval.
    headersFor: (p, req) => {
      if (!p.startsWith('/tests/browser/pages/') || !p.endsWith('.html')) return {};
      if (p.endsWith('/single-raw.html')) return {}; // see that test
      return { 'content-security-policy': /[?&]csp=no-wasm\b/.test(req.url) ? NO_WASM_CSP : STRICT_CSP };
    },
  });
  server = http.createServer((req, res) => statics(req, res));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(async () => {
  await browser?.close();
  await new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); });
});

async function result(page) {
  await page.waitForSelector('#result[data-state]', { timeout: 30_000 });
  return { state: await page.getAttribute('#result', 'data-state'), text: await page.textContent('#result') };
}

test('strict CSP: the ES module package and the widgets work without unsafe-eval', async () => {
  const page = await newPage(browser.context);
  const res = await page.goto(`${base}/tests/browser/pages/csp-esm.html`);
  assert.equal(res.headers()['content-security-policy'], STRICT_CSP);
  const r = await result(page);
  assert.equal(r.state, 'done', r.text);
  assert.deepEqual(JSON.parse(r.text), {
    validate: ['name:too_short'],
    match: ['Funding:raises+series b'],
    evaluate: 'excellent',
  });
  // The widgets rendered and work under the same policy.
  const preview = page.locator('#preview');
  await preview.locator('#status').getByText('Ruled out by a disqualifier').waitFor();
  assert.deepEqual(await preview.locator('#doc mark.dq').allTextContents(), ['Kickstarter']);
  const name = page.locator('#editor #f-name');
  await name.fill('x'.repeat(101));
  await page.locator('#editor #e-name').getByText('100').waitFor();
  await page.locator('#tester #answers').fill('75');
  await page.locator('#tester #results tr[data-qualification]').waitFor();
  await screenshot(page, 'csp-esm');
  assert.deepEqual(page.problems, [], 'no CSP violation or error');
  await page.close();
});

// Node writes text into engine memory with Buffer#write, browsers with
// TextEncoder.encodeInto (js/boundary.js): the same batch must give the same results.
test('matchMany in Chromium (encodeInto) gives Node\'s results (Buffer#write), non-ASCII and lone surrogates included', async () => {
  const types = [
    { label: 'Funding', keywords: ['series b', 'финансирование', '人工智能', 'café'], disqualifiers: ['rumor'] },
    { label: 'Emoji', keywords: ['🚀 launch', 'naïve'] },
  ];
  const docs = [
    { id: 'a', title: 'Acme 🚀 launch', text: 'Acme raised a Series-B; финансирование and 人工智能 at the café.' },
    { id: 'b', text: 'lone \uD800 high, lone \uDC00 low, then series b and a naïve rumor' },
    { id: 'c', title: 'ends in half a pair \uD83D', text: `${'x'.repeat(5000)} 人工智能 ${'é'.repeat(3000)} series b \uD83D` },
    { id: 'd', text: 'nothing here' },
  ];
  const engine = await loadEngine();
  const m = engine.compileMatcher(types);
  const inNode = JSON.parse(JSON.stringify(m.matchMany(docs)));
  m.close();
  const page = await newPage(browser.context);
  await page.goto(`${base}/tests/browser/pages/csp-esm.html`);
  await result(page);
  const inChromium = await page.evaluate(async ({ types, docs }) => {
    const { loadEngine } = await import('/js/index.js');
    const m = (await loadEngine()).compileMatcher(types);
    return JSON.parse(JSON.stringify(m.matchMany(docs)));
  }, { types, docs });
  assert.equal(inNode.filter((r) => r.matched).length, 3);
  assert.deepEqual(inChromium, inNode);
  assert.deepEqual(page.problems, []);
});

test('strict CSP control: without wasm-unsafe-eval the engine is refused (the policy is enforced)', async () => {
  const page = await newPage(browser.context);
  const res = await page.goto(`${base}/tests/browser/pages/csp-esm.html?csp=no-wasm`);
  assert.equal(res.headers()['content-security-policy'], NO_WASM_CSP);
  const r = await result(page);
  assert.equal(r.state, 'error', r.text);
  assert.ok(page.problems.some((p) => /CSP violation: script-src|wasm-eval|WebAssembly/i.test(p)), page.problems.join('\n'));
  // The widgets say so instead of failing silently or throwing from input handlers.
  await page.locator('#preview #status').getByText('The signalkit engine could not be loaded').waitFor();
  await page.locator('#editor #status').getByText('could not be loaded').waitFor();
  assert.ok(!page.problems.some((p) => p.startsWith('pageerror')), page.problems.join('\n'));
  await page.close();
});

test('single-file build: dist/signalkit.global.js in a classic <script> under the strict CSP', async () => {
  const page = await newPage(browser.context);
  await page.goto(`${base}/tests/browser/pages/script-tag.html`);
  const r = await result(page);
  assert.equal(r.state, 'done', r.text);
  assert.deepEqual(JSON.parse(r.text), {
    validate: ['qualificationCriteria.ranges[0].rangeEnd:range_order'],
    criteria: ['qualificationCriteria.ranges[0].rangeEnd:range_order'],
    match: ['Hiring:7-19'],
    clients: true,
  });
  // One file: no .wasm was fetched.
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the <script> bundle\'s loadEngine: unknown and inapplicable options refused, a compiled wasmModule used as given', async () => {
  const page = await newPage(browser.context);
  const wasmRequests = [];
  page.on('request', (req) => { if (req.url().endsWith('.wasm')) wasmRequests.push(new URL(req.url()).pathname); });
  await page.goto(`${base}/tests/browser/pages/script-tag-module.html`);
  const r = await result(page);
  assert.equal(r.state, 'done', r.text);
  assert.deepEqual(JSON.parse(r.text), {
    refused: {
      misspelt: 'TypeError: loadEngine: unknown option "wasmModul"; did you mean "wasmModule"? Options: wasmModule, wasmBinary, locateFile.',
      locateFile: 'TypeError: loadEngine: this <script> bundle carries its engine inside it; wasmBinary and locateFile, which name a separate .wasm, do not apply (wasmModule does).',
      notAModule: 'TypeError: loadEngine: wasmModule must be a WebAssembly.Module',
    },
    issues: ['name:too_short', 'keywords:too_few'],
  });
  assert.deepEqual(wasmRequests, ['/dist/signalkit.wasm'], 'only the page\'s own fetch');
  assert.deepEqual(page.problems, []);
  await page.close();
});

// The raw factory as emscripten 3.1.6 writes it first tries fetch() on its own data: URL
// (a CSP without `connect-src data:` reports that, then the glue decodes the base64 itself);
// dist/signalkit.global.js is patched at bundle time to skip that fetch (scripts/build-browser.mjs),
// so only the raw file is loaded here without a CSP.
test('single-file build: the raw emscripten factory dist/signalkit.single.js', async () => {
  const page = await newPage(browser.context);
  const wasmRequests = [];
  page.on('request', (req) => { if (req.url().endsWith('.wasm')) wasmRequests.push(req.url()); });
  await page.goto(`${base}/tests/browser/pages/single-raw.html`);
  const r = await result(page);
  assert.equal(r.state, 'done', r.text);
  assert.ok(JSON.parse(r.text).kinds >= 17);
  assert.deepEqual(wasmRequests, [], 'the .wasm is inside the file');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('Vite consumer: an app importing "signalkit" builds with vite 7 and runs in Chromium', async () => {
  // The app as a user would have it: its own folder with node_modules/signalkit -> the package.
  const app = path.join(RESULTS, 'vite-consumer');
  rmSync(app, { recursive: true, force: true });
  cpSync(path.join(ROOT, 'tests/browser/vite-consumer'), app, { recursive: true });
  mkdirSync(path.join(app, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, path.join(app, 'node_modules', 'signalkit'), 'dir');
  const { build } = await import('vite');
  const outDir = path.join(app, 'dist');
  await build({ root: app, logLevel: 'warn', configFile: false, build: { outDir, emptyOutDir: true, target: 'es2022' } });
  const assets = readdirSync(path.join(outDir, 'assets'));
  assert.ok(assets.some((f) => /^signalkit-.*\.wasm$/.test(f)), `vite emitted the .wasm as an asset: ${assets}`);

  const statics = createStaticHandler({ root: outDir, prefixes: ['/'], index: '/index.html' });
  const vs = http.createServer((req, res) => statics(req, res));
  await new Promise((resolve) => vs.listen(0, '127.0.0.1', resolve));
  const page = await newPage(browser.context);
  try {
    const wasm = [];
    page.on('response', (r) => { if (r.url().endsWith('.wasm')) wasm.push([r.status(), r.headers()['content-type']]); });
    await page.goto(`http://127.0.0.1:${vs.address().port}/index.html`);
    const r = await result(page);
    assert.equal(r.state, 'done', r.text);
    assert.deepEqual(JSON.parse(r.text), { issues: ['sources[1]:enum'], browserGuard: true });
    assert.deepEqual(wasm, [[200, 'application/wasm']]);
    await page.locator('#preview #doc mark.kw').getByText('layoffs').waitFor();
    await screenshot(page, 'vite-consumer');
    assert.deepEqual(page.problems, []);
  } finally {
    await page.close();
    await new Promise((resolve) => { vs.close(resolve); vs.closeAllConnections(); });
  }
  assert.ok(existsSync(path.join(outDir, 'index.html')));
});

test('widgets: keyboard-only submit moves focus to the first invalid field; CSS custom properties theme them', async () => {
  const page = await newPage(browser.context);
  await page.goto(`${base}/tests/browser/pages/csp-esm.html`);
  await result(page);
  // Keyboard only: focus the name, type, press Enter (submits the form).
  await page.locator('#editor #f-name').focus();
  await page.keyboard.type('Layoffs');
  await page.keyboard.press('Enter');
  await page.locator('#editor #status').getByText(/[0-9]+ problems? to fix/).waitFor();
  assert.equal(await page.evaluate(() => document.getElementById('editor').shadowRoot.activeElement?.id), 'f-keywords');
  assert.equal(await page.locator('#editor #status').getAttribute('aria-live'), 'polite');
  // Every control is labelled.
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('signalkit-type-editor, signalkit-keyword-preview, signalkit-criteria-tester')]
    .flatMap((el) => [...el.shadowRoot.querySelectorAll('input, textarea, select')])
    .filter((c) => !(c.labels?.length || c.closest('label') || c.getAttribute('aria-label')))
    .map((c) => c.id || c.outerHTML.slice(0, 60)));
  assert.deepEqual(unlabelled, []);
  // Theming from outside the shadow root.
  const before = await page.locator('#editor button[type=submit]').evaluate((b) => getComputedStyle(b).backgroundColor);
  await page.evaluate(() => document.getElementById('editor').style.setProperty('--sk-accent', 'rgb(124, 58, 237)'));
  const after = await page.locator('#editor button[type=submit]').evaluate((b) => getComputedStyle(b).backgroundColor);
  assert.notEqual(before, after);
  assert.equal(after, 'rgb(124, 58, 237)');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('widgets tolerate what a newer API answers: unknown source ids and fields, missing optional fields', async () => {
  const page = await newPage(browser.context);
  await page.goto(`${base}/tests/browser/pages/tolerance.html`);
  const r = await result(page);
  assert.equal(r.state, 'done', r.text);
  const { untouched, edited, valid, matched } = JSON.parse(r.text);
  // Opening a type whose sources include one the editor has no checkbox for changes nothing;
  // an edit sends only what the user changed, never a sources list without the unknown id.
  assert.deepEqual(untouched, {});
  assert.deepEqual(edited, { description: 'Job cuts' });
  assert.equal(valid, true);
  // The preview applies a type restricted to an unknown source only to that source.
  assert.equal(matched, '1 type matched: Anywhere.');
  assert.deepEqual(page.problems, []);
  await page.close();
});
