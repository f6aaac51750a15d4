// The widgets as a person who writes no JavaScript uses them, in real Chromium: a page made
// only of HTML tags and attributes plus one classic <script src="signalkit.widgets.js">
// copied next to it (as a builder downloads it), opened from file:// and over HTTP, under
// the strict CSP `script-src 'self' 'wasm-unsafe-eval'`. Through a signalkit proxy against
// the real emulator the page creates a signal type, previews keywords for the tenant's
// types, tests criteria of the tenant's template and saves them, while every request and
// response the page sees is inspected for the key.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startEmulator } from '../../js/emulator/index.js';
import { createProxy, toNodeHandler } from '../../js/proxy/index.js';
import { launch, newPage, ROOT, screenshot } from './helpers.mjs';

const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'";
const MOUNT = '/signalkit';

// The page a builder pastes: HTML only. `endpoint` is where the proxy is; `csp` the
// <meta> policy (a file:// page has no response headers to carry one).
const lowcodePage = ({ endpoint, csp }) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <title>signalkit without code</title>
  <script src="signalkit.widgets.js"></script>
</head>
<body>
  <signalkit-type-editor id="editor" endpoint="${endpoint}" heading="New signal type" submit-label="Create"></signalkit-type-editor>
  <signalkit-keyword-preview id="preview" endpoint="${endpoint}" source="news"
    text="Acme Robotics raises a $40M Series B round and is hiring a head of sales."></signalkit-keyword-preview>
  <signalkit-criteria-tester id="tester" endpoint="${endpoint}" answers='["12", "1.2k", "lots"]'></signalkit-criteria-tester>
  <signalkit-keyword-preview id="given" heading="Given types">
    <script type="application/json">{"types": [{"id": "t", "label": "Layoffs", "keywords": ["layoffs"], "sources": ["news"]}],
      "text": "Globex announces layoffs."}</script>
  </signalkit-keyword-preview>
</body>
</html>
`;

const TEMPLATE = {
  name: 'Headcount', question: 'How many employees does the company have?', answerType: 'number', weight: 'important',
  qualificationCriteria: { ranges: [{ rangeStart: 0, rangeEnd: 50, answerQualification: 'poor' }, { rangeStart: 50, rangeEnd: null, answerQualification: 'good' }] },
};

let browser;
let emu;
let server;
let origin;
let dir;
before(async () => {
  browser = await launch();
  emu = await startEmulator({ port: 0, generateDelayMs: 50, rateLimits: false });
  dir = mkdtempSync(path.join(tmpdir(), 'sk-lowcode-'));
  copyFileSync(path.join(ROOT, 'dist/signalkit.widgets.js'), path.join(dir, 'signalkit.widgets.js'));
  // One server: the proxy at /signalkit, the builder's pages and the script file elsewhere.
  const proxy = toNodeHandler(createProxy({
    puffleKey: emu.devKeys.puffle, puffleBaseUrl: emu.puffleBaseUrl,
    saberKey: emu.devKeys.saber, saberBaseUrl: emu.saberBaseUrl,
    allow: ['puffle.signalType.*', 'saber.template.*'], basePath: MOUNT,
    cors: 'null', // the file:// page (for local development only)
  }));
  server = http.createServer((req, res) => {
    if (req.url.startsWith(`${MOUNT}/`)) { proxy(req, res); return; }
    const name = path.basename(req.url.split('?')[0]);
    if (name === 'favicon.ico') { res.writeHead(204).end(); return; }
    const type = name.endsWith('.html') ? 'text/html; charset=utf-8' : name.endsWith('.js') ? 'text/javascript' : null;
    if (!type) { res.writeHead(404).end(); return; }
    let body;
    try { body = readFileSync(path.join(dir, name)); } catch { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': type, ...(name.endsWith('.html') ? { 'content-security-policy': STRICT_CSP } : {}) }).end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  writeFileSync(path.join(dir, 'http.html'), lowcodePage({ endpoint: MOUNT, csp: STRICT_CSP }));
  writeFileSync(path.join(dir, 'no-wasm.html'), lowcodePage({ endpoint: `${origin}${MOUNT}`, csp: "script-src 'self'" }));
  writeFileSync(path.join(dir, 'file.html'), lowcodePage({ endpoint: `${origin}${MOUNT}`, csp: `${STRICT_CSP}; connect-src ${origin}` }));
  // The tenant's template, for the criteria tester to load.
  const made = await fetch(`${origin}${MOUNT}/saber/v1/companies/signals/templates`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(TEMPLATE),
  });
  assert.equal(made.status, 201, await made.clone().text());
});
after(async () => {
  await browser?.close();
  if (server) await new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); });
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Every request and response of the page, as text: URL, headers, bodies.
function recordTraffic(page) {
  const seen = [];
  page.on('request', (r) => seen.push(r.allHeaders().then((h) => `${r.method()} ${r.url()} ${JSON.stringify(h)} ${r.postData() ?? ''}`)));
  page.on('response', (r) => seen.push((async () => {
    const body = r.url().startsWith('http') ? await r.text().catch(() => '') : '';
    return `${r.status()} ${r.url()} ${JSON.stringify(await r.allHeaders())} ${body}`;
  })()));
  return async () => Promise.all(seen);
}

for (const [where, open] of [
  ['over HTTP (CSP header and meta)', () => `${origin}/http.html`],
  ['from file:// (meta CSP)', () => pathToFileURL(path.join(dir, 'file.html')).href],
]) {
  test(`a page without code ${where}: create a type, preview keywords, test and save criteria; the key never reaches it`, async () => {
    const page = await newPage(browser.context);
    const traffic = recordTraffic(page);
    const label = `Robot arms ${where.startsWith('over') ? 'http' : 'file'}`;
    await page.goto(open());
    // The page has no script of its own: one classic script tag, nothing inline, no module.
    assert.deepEqual(await page.$$eval('script', (s) => s.map((x) => [x.type, x.getAttribute('src')])),
      [['', 'signalkit.widgets.js'], ['application/json', null]]);

    // Keyword preview: the tenant's own types, loaded through the proxy, matched at once.
    const preview = page.locator('#preview');
    await preview.locator('#status').getByText(/2 types matched: (hiring, funding|funding, hiring)\./).waitFor();
    // A preview configured by its child JSON script.
    await page.locator('#given #status').getByText('1 type matched: Layoffs.').waitFor();

    // Type editor: a builder fills the form and saves; the widget says what happened.
    const editor = page.locator('#editor');
    await editor.locator('#f-name').fill(label);
    await editor.locator('#f-keywords').fill('pick-and-place arm\nrobot arms');
    await editor.locator('#f-search_instructions').fill('Find news about companies buying robot arms.');
    await editor.locator('#f-scoring_criteria').fill('Higher for larger orders.');
    await editor.locator('button[part=submit]').click();
    await editor.locator('#status').getByText(`Created “${label}”.`).waitFor();
    // Saved for real, for the proxy key's tenant.
    const list = await (await fetch(`${emu.puffleBaseUrl}/signals/types`, { headers: { authorization: `Bearer ${emu.devKeys.puffle}` } })).json();
    assert.ok(list.signal_types.some((t) => t.label === label), 'the emulator has the new type');
    // The preview reloads the tenant's types after the save and matches the new one.
    await preview.locator('#text').fill('Globex bought a pick-and-place arm for its plant.');
    await preview.locator('#status').getByText(new RegExp(`types? matched: .*${label}`)).waitFor();

    // A refusal only the server can know is shown in the widget: another user has just
    // created a type of this name (the widget's list predates it).
    const taken = `Taken ${label}`;
    const other = await fetch(`${emu.puffleBaseUrl}/signals/types`, {
      method: 'POST', headers: { authorization: `Bearer ${emu.devKeys.puffle}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: taken, keywords: ['taken'], search_instructions: 's', scoring_criteria: 'c', sources: ['news'] }),
    });
    assert.equal(other.status, 201);
    await editor.locator('#f-name').fill(taken);
    await editor.locator('#f-keywords').fill('robot arms');
    await editor.locator('#f-search_instructions').fill('s');
    await editor.locator('#f-scoring_criteria').fill('c');
    await editor.locator('button[part=submit]').click();
    await editor.locator('#status.has-errors').getByText(/Not saved: /).waitFor();
    assert.equal(await editor.locator('#status').textContent(),
      `Not saved: name: A signal type named "${taken}" already exists (names are case-sensitive).`);
    assert.equal(await editor.locator('#f-name').getAttribute('aria-invalid'), 'true');

    // Criteria tester: the tenant's template, the answers from the attribute.
    const tester = page.locator('#tester');
    await tester.locator('#status').getByText('3 answers: 1 poor, 1 good, 1 error.').waitFor();
    const rows = await tester.locator('#results tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.cells[0].textContent, tr.dataset.qualification]));
    assert.deepEqual(rows, [['12', 'poor'], ['1.2k', 'good'], ['lots', 'error']]);
    await tester.locator('#weight').selectOption('nice_to_have');
    await tester.locator('#save').click();
    await tester.locator('#status').getByText(/Saved “Headcount” as version \d+\./).waitFor();

    // Attributes are observed: a builder's change applies at once; bad JSON is shown, with why.
    await page.evaluate(() => document.querySelector('#given').setAttribute('types', '[{"label": "Oops"'));
    await page.locator('#given #status.has-errors').getByText(/The types attribute is not valid JSON: /).waitFor();
    await page.evaluate(() => document.querySelector('#given').setAttribute('types', '[{"id": "f", "label": "Funding", "keywords": ["announces"]}]'));
    await page.locator('#given #status').getByText('1 type matched: Funding.').waitFor();

    await screenshot(page, `lowcode-${where.startsWith('over') ? 'http' : 'file'}`);
    // The key: not in any request or response the page saw, nor in the page.
    const texts = await traffic();
    assert.ok(texts.some((t) => t.includes(`${MOUNT}/puffle/api/v1/signals/types`)), 'the page talked to the proxy');
    assert.ok(texts.some((t) => t.includes('"signal_types"')), 'the answers\' bodies were inspected');
    for (const key of [emu.devKeys.puffle, emu.devKeys.saber]) {
      const secret = key.slice(-16); // never shown, not even in a masked key
      assert.equal(texts.filter((t) => t.includes(secret)).length, 0, 'the key reached the browser');
      assert.ok(!(await page.content()).includes(secret));
    }
    assert.deepEqual(page.problems.filter((p) => !/status of 409/.test(p)), []);
    await page.close();
  });
}

test('the file:// page\'s <meta> CSP is enforced: without wasm-unsafe-eval the widgets say the engine cannot load', async () => {
  const page = await newPage(browser.context);
  await page.goto(pathToFileURL(path.join(dir, 'no-wasm.html')).href);
  await page.locator('#given #status.has-errors').getByText(/^The signalkit engine could not be loaded: /).waitFor();
  await page.close();
});
