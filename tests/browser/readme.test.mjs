// The README's browser blocks, run as written in Chromium: "Web components" (its HTML, then
// its script with the `puffle` client and Saber `template` it names, made against the
// emulator) and "Plain <script> tag" (its two script tags, app.js being its js block,
// printing what the README says). The Node-run blocks are in tests/js/readme.test.js.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { codeBlocks, readmeSection } from '../js/support/readme.js';
import { startEmulator } from '../../js/emulator/index.js';
import { launch, newPage, ROOT } from './helpers.mjs';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
/** A section's fenced blocks by language: {html: [...], js: [...], text: [...]}. */
function blocks(heading) {
  const byLang = {};
  for (const b of codeBlocks(readmeSection(heading))) (byLang[b.lang] ??= []).push(b);
  return byLang;
}

let browser;
let server;
let base;
let emu;
const pages = new Map(); // path → [content type, text]

before(async () => {
  emu = await startEmulator({ cors: true, rateLimits: false });
  browser = await launch();
  server = http.createServer((req, res) => {
    const p = new URL(req.url, 'http://x').pathname;
    if (p === '/favicon.ico') { res.writeHead(204).end(); return; }
    if (pages.has(p)) { const [type, text] = pages.get(p); res.writeHead(200, { 'content-type': type }).end(text); return; }
    // The package as an app serves it: /node_modules/signalkit/… and, for the <script> page, signalkit/dist/… beside it.
    const rel = p.replace(/^\/node_modules\/signalkit\//, '/').replace(/^\/readme\/signalkit\//, '/');
    if (!/^\/(js|dist)\/[\w./-]+$/.test(rel) || rel.includes('..')) { res.writeHead(404).end(); return; }
    try {
      const file = path.join(ROOT, rel);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(async () => {
  await browser?.close();
  await new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); });
  await emu?.close();
});

test('README "Web components": the elements get the client\'s types and a Saber template, and the editor saves by itself', async () => {
  const { html: [markup], js: [code] } = blocks('## Web components');
  // What the block names but does not make: a Puffle client and a Saber template (here from the emulator).
  const given = `
import { PuffleClient, SaberClient } from '/node_modules/signalkit/js/index.js';
const puffle = new PuffleClient({ apiKey: '${emu.devKeys.puffle}', baseUrl: '${emu.url}', dangerouslyAllowBrowser: true });
const saber = new SaberClient({ apiKey: '${emu.devKeys.saber}', baseUrl: '${emu.saberBaseUrl}', dangerouslyAllowBrowser: true });
const template = await saber.templates.create({ name: 'Headcount', question: 'How many employees?', answerType: 'number' });
`;
  pages.set('/readme/widgets.html', ['text/html', `<!doctype html><meta charset="utf-8">${markup.body}<script type="module" src="/readme/widgets.mjs"></script>`]);
  pages.set('/readme/widgets.mjs', ['text/javascript', `${given}\n${code.body}\nwindow.__done = true;`]);
  const page = await newPage(browser.context);
  const logged = [];
  page.on('console', (m) => logged.push(m.text()));
  await page.goto(`${base}/readme/widgets.html`);
  await page.waitForFunction(() => window.__done === true, null, { timeout: 30_000 });
  const state = await page.evaluate(() => ({
    types: document.querySelector('signalkit-type-editor').types.length,
    shared: document.querySelector('signalkit-keyword-preview').types === document.querySelector('signalkit-type-editor').types,
    template: document.querySelector('signalkit-criteria-tester').template.name,
  }));
  assert.deepEqual(state, { types: 4, shared: true, template: 'Headcount' });
  // Saving a new type through the editor goes through the client and fires signalkit-saved.
  const editor = page.locator('signalkit-type-editor');
  await editor.locator('#f-name').fill('Layoffs');
  await editor.locator('#f-keywords').fill('layoffs');
  await editor.locator('#f-search_instructions').fill('Find layoff news.');
  await editor.locator('#f-scoring_criteria').fill('Bigger is better.');
  await editor.locator('input[value=news]').check();
  await editor.locator('#status').getByText('No problems found').waitFor();
  await editor.locator('button[type=submit]').click();
  for (let i = 0; i < 100 && logged.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(logged.length, 1, `signalkit-saved logged the saved type (status: ${await editor.locator('#status').textContent()})`);
  const res = await fetch(`${emu.url}/api/v1/signals/types`, { headers: { authorization: `Bearer ${emu.devKeys.puffle}` } });
  const listed = (await res.json()).signal_types.map((t) => t.label);
  assert.ok(listed.includes('Layoffs'), `the emulator has the type the editor saved: ${listed}; console: ${logged}`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('README "Plain <script> tag": the global bundle and app.js print what the README claims', async () => {
  const { html: [markup], js: [code], text: [claimed] } = blocks('## Plain `<script>` tag');
  pages.set('/readme/script.html', ['text/html', `<!doctype html><meta charset="utf-8">${markup.body}`]);
  pages.set('/readme/app.js', ['text/javascript', code.body]);
  const page = await newPage(browser.context);
  const logged = [];
  page.on('console', (m) => logged.push(m.text()));
  await page.goto(`${base}/readme/script.html`);
  for (let i = 0; i < 100 && logged.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(logged, claimed.body.trimEnd().split('\n'));
  assert.deepEqual(page.problems, []);
  await page.close();
});
