// The dashboard in real Chromium against the real emulator: every flow of issue 7.
// Each test gets its own emulator + dashboard (fresh tenant state, fresh rate limits).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDashboard } from '../../demo/server.mjs';
import { SAMPLE_COMPANIES } from '../../demo/samples.js';
import { loadEngine, signalAnswer } from '../../js/index.js';
import { launch, newPage, screenshot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// `expected`: console messages a test provokes on purpose (Chromium logs every non-2xx
// fetch as "Failed to load resource … status of 428").
async function withDashboard(fn, expected = [], options = {}) {
  const app = await startDashboard({ port: 0, emulatorPort: 0, generateDelayMs: 1200, pollIntervalMs: 250, researchDelayMs: [100, 300], ...options });
  const page = await newPage(browser.context);
  try {
    await page.goto(app.url);
    await page.waitForSelector('body[data-ready=true]', { timeout: 30_000 });
    await fn(page, app);
    const problems = page.problems.filter((p) => !expected.some((re) => re.test(p)));
    assert.deepEqual(problems, [], 'no page errors, console errors or CSP violations');
  } finally {
    await page.close();
    await app.close();
  }
}

// Reads the emulator directly (not through the page) with the dev key.
async function puffleTypes(app) {
  const r = await fetch(`${app.emulatorUrl}/api/v1/signals/types`, { headers: { authorization: `Bearer ${app.devKeys.puffle}` } });
  assert.equal(r.status, 200);
  return (await r.json()).signal_types;
}

const editor = (page, sel) => page.locator(`#type-editor ${sel}`);

test('the dashboard lists types and templates from the emulator and says it runs against it', async () => {
  await withDashboard(async (page, app) => {
    assert.equal(page.url(), app.url + 'demo/');
    await assert.doesNotReject(page.locator('#emulator-banner').getByText('signalkit emulator').waitFor());
    assert.equal(await page.textContent('#emulator-url'), app.emulatorUrl);
    const labels = await page.locator('#types-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.label));
    assert.deepEqual(labels, ['hiring', 'funding', 'management_change', 'competitor_mentions']);
    const templates = await page.locator('#templates-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.name));
    assert.deepEqual(templates, ['Employee count', 'Uses a CRM', 'CRM vendor', 'Revenue growth']);
    // The page's own strict CSP is in force (the server sends it; the page still works).
    const csp = (await page.request.get(app.url + 'demo/index.html')).headers()['content-security-policy'];
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(csp, /[ ;]'unsafe-eval'|'unsafe-inline'/);
    // The page holds no key: its configuration names the proxy, which holds them, and it
    // only ever talks to this server (connect-src 'self').
    const config = await (await page.request.get(app.url + 'demo/config.json')).text();
    assert.equal(JSON.parse(config).proxyUrl, '/proxy');
    for (const key of Object.values(app.devKeys)) {
      assert.ok(!config.includes(key.slice(-16)) && !(await page.content()).includes(key.slice(-16)), 'a key reached the page');
    }
    assert.match(csp, /connect-src 'self'(;|$)/);
    await screenshot(page, 'dashboard');
  });
});

test('type editor: an invalid field shows its error inline as the user types; fixed, the type is saved', async () => {
  await withDashboard(async (page, app) => {
    await page.click('#new-type');
    const name = editor(page, '#f-name');
    await name.focus();
    // A name another type already has: caught from the listed types, nothing is sent.
    await page.keyboard.type('hiring');
    await editor(page, '#e-name').getByText('already').waitFor();
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    // The hints state the limits of the create schema the engine validates with.
    assert.equal(await editor(page, '#h-name').textContent(), '1–100 characters, unique among your signal types.');
    assert.equal(await editor(page, '#h-keywords').textContent(), 'One per line, 1–50. Matched as whole words, ignoring case.');
    assert.equal(await editor(page, '#h-sources').textContent(), 'At least one.');
    await name.fill('Layoffs');
    await editor(page, '#e-name:empty').waitFor({ state: 'attached' });
    assert.equal(await name.getAttribute('aria-invalid'), null);

    // A keyword line of only spaces: the engine's `blank` rule, shown next to the field.
    await editor(page, '#f-keywords').fill('layoffs\n   ');
    const kwError = editor(page, '#e-keywords');
    await kwError.getByText('Line 2:').waitFor();
    assert.match(await kwError.textContent(), /keywords\[1\] must not be blank/);
    assert.equal(await editor(page, '#f-keywords').getAttribute('aria-invalid'), 'true');
    assert.match(await editor(page, '#f-keywords').getAttribute('aria-describedby'), /e-keywords/);
    assert.match(await editor(page, '#status').textContent(), /1 problem/);
    await screenshot(page, 'type-editor-inline-error');

    // Submitting now reveals every problem and sends nothing.
    await editor(page, 'button[type=submit]').click();
    await editor(page, '#e-search_instructions').getByText('search_instructions').waitFor();
    assert.equal((await puffleTypes(app)).length, 4);

    await editor(page, '#f-keywords').fill('layoffs\nreduction in force');
    await editor(page, '#f-search_instructions').fill('News about layoffs at companies we sell to.');
    await editor(page, '#f-scoring_criteria').fill('Larger cuts rank higher.');
    await editor(page, 'input[value=linkedin_posts]').check();
    await editor(page, '#e-keywords:empty').waitFor({ state: 'attached' });
    await editor(page, 'button[type=submit]').click();

    await page.locator('#types-table tr[data-label="Layoffs"]').waitFor();
    await page.locator('#types-message').getByText('Created “Layoffs”').waitFor();
    const saved = (await puffleTypes(app)).find((t) => t.label === 'Layoffs');
    assert.ok(saved, 'the emulator has the new type');
    assert.deepEqual(saved.keywords, ['layoffs', 'reduction in force']);
    assert.deepEqual(saved.sources, ['news', 'linkedin_posts']);
    assert.equal(saved.kind, 'keyword');
  });
});

test('type editor: editing a built-in type locks its name and refuses a disqualifier with a dot', async () => {
  await withDashboard(async (page, app) => {
    await page.click('#types-table tr[data-label="funding"] button[data-action=edit]');
    assert.equal(await editor(page, '#f-name').getAttribute('readonly'), '');
    assert.equal(await editor(page, 'input[value=news]').isDisabled(), true);
    const dq = editor(page, '#f-disqualifiers');
    await dq.fill('crowdfunding\nkickstarter\nfunding.rumor');
    await editor(page, '#e-disqualifiers').getByText('Line 3:').waitFor();
    assert.equal(await dq.getAttribute('aria-invalid'), 'true');
    await dq.fill('crowdfunding\nkickstarter\nfunding rumor');
    await editor(page, '#e-disqualifiers:empty').waitFor({ state: 'attached' });
    await editor(page, 'button[type=submit]').click();
    await page.locator('#types-message').getByText('Saved “funding”').waitFor();
    const funding = (await puffleTypes(app)).find((t) => t.label === 'funding');
    assert.deepEqual(funding.disqualifiers, ['crowdfunding', 'kickstarter', 'funding rumor']);
  });
});

test('a custom type is deleted through the proxy', async () => {
  await withDashboard(async (page, app) => {
    const r = await fetch(`${app.emulatorUrl}/api/v1/signals/types`, {
      method: 'POST',
      headers: { authorization: `Bearer ${app.devKeys.puffle}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Expansion', keywords: ['new office'], search_instructions: 's', scoring_criteria: 's', sources: ['news'] }),
    });
    assert.equal(r.status, 201);
    await page.click('#reload-types');
    const row = page.locator('#types-table tr[data-label="Expansion"]');
    await row.waitFor();
    assert.equal(await page.locator('#types-table tr[data-label="hiring"] button[data-action=delete]').count(), 0, 'built-ins have no delete button');
    await row.locator('button[data-action=delete]').click();
    await row.waitFor({ state: 'detached' });
    await page.locator('#types-message').getByText('Deleted “Expansion”').waitFor();
    assert.equal((await puffleTypes(app)).some((t) => t.label === 'Expansion'), false);
  });
});

test('generate: 428 until a company profile is set, then visible progress until the type changes', async () => {
  await withDashboard(async (page, app) => {
    const gen = '#types-table tr[data-label="hiring"] button[data-action=generate]';
    await page.click(gen);
    await page.locator('#generation-status').getByText('company profile').waitFor();
    await page.click('#set-profile');
    await page.locator('#profile-status').getByText('Acme Analytics').waitFor();
    const before = (await puffleTypes(app)).find((t) => t.label === 'hiring');
    await page.click(gen);
    await page.locator('#generation-status').getByText(/Run run_[0-9a-f]+ started|not finished yet/).waitFor();
    const midway = await page.locator('#generation-progress').evaluate((p) => p.value);
    assert.ok(midway >= 0 && midway < 100, `progress is under way (${midway})`);
    await page.locator('#generation-status').getByText('Done:').waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('#generation-progress').evaluate((p) => p.value), 100);
    const after = (await puffleTypes(app)).find((t) => t.label === 'hiring');
    assert.notEqual(after.search_instructions, before.search_instructions);
    assert.match(after.search_instructions, /Acme Analytics|generated by run_/);
    await screenshot(page, 'generate-done');
  }, [/status of 428/]);
});

test('keyword preview: sample content highlights keywords, and a disqualifier rules a type out', async () => {
  await withDashboard(async (page) => {
    const preview = page.locator('#keyword-preview');
    await page.click('#samples button[data-sample="Funding news"]');
    await preview.locator('#status').getByText('matched').waitFor();
    const marks = await preview.locator('#doc mark.kw').allTextContents();
    assert.ok(marks.includes('raises'), `marks: ${marks}`);
    assert.ok(marks.includes('Series-B'), `"series b" matches "Series-B": ${marks}`);
    assert.ok(marks.includes('funding round'), `marks: ${marks}`);
    assert.ok(marks.includes('now hiring'), `marks: ${marks}`);
    assert.ok(marks.includes('steps down'), `marks: ${marks}`);
    assert.match(await preview.locator('button[data-type=funding]').textContent(), /✓/);

    // Select one type: only its matches stay highlighted.
    await preview.locator('button[data-type=hiring]').click();
    assert.deepEqual(await preview.locator('#doc mark').allTextContents(), ['now hiring']);

    await page.click('#samples button[data-sample="Crowdfunding post"]');
    await preview.locator('#status').getByText('Ruled out by a disqualifier').waitFor();
    assert.match(await preview.locator('button[data-type=funding]').textContent(), /✗/);
    assert.ok((await preview.locator('#doc mark.dq').count()) >= 1);

    // Typing: matched as the user types, whole words only ("hiringly" is not "hiring").
    const box = preview.locator('#text');
    await box.fill('');
    await box.pressSequentially('We are hiringly busy');
    await preview.locator('#status').getByText('No type matched').waitFor();
    await box.pressSequentially('. Now hiring!');
    await preview.locator('#status').getByText('matched: hiring').waitFor();
    await screenshot(page, 'keyword-preview');
  });
});

test('criteria tester: answers are qualified and scored; a bad range is shown inline; criteria are saved', async () => {
  await withDashboard(async (page, app) => {
    await page.click('#templates-table tr[data-name="Employee count"] button[data-action=criteria]');
    const tester = page.locator('#criteria-tester');
    await tester.locator('#answers').fill('1.2k\n12\n~300\nlots');
    await tester.locator('#status').getByText('4 answers').waitFor();
    const rows = await tester.locator('#results tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.cells[0].textContent, tr.dataset.qualification, tr.cells[3].textContent]));
    assert.deepEqual(rows.map((r) => r.slice(0, 2)), [['1.2k', 'excellent'], ['12', 'poor'], ['~300', 'good'], ['lots', 'error']]);
    assert.deepEqual(rows.map((r) => r[2]), ['100', '25', '75', '—']);

    // Range 2 ending below its start: the engine's error lands next to that input.
    const end2 = tester.locator('[data-path="qualificationCriteria.ranges[1].rangeEnd"]');
    await end2.fill('20');
    await tester.locator('[data-error="qualificationCriteria.ranges[1]"]').getByText(/rangeEnd|range/).waitFor();
    assert.equal(await end2.getAttribute('aria-invalid'), 'true');
    assert.match(await tester.locator('#status').textContent(), /Fix the criteria/);
    await screenshot(page, 'criteria-inline-error');

    await end2.fill('500');
    await tester.locator('#status').getByText('4 answers').waitFor();
    assert.equal(await end2.getAttribute('aria-invalid'), null);
    // 5,000 employees and more: from neutral to good.
    await tester.locator('[data-path="qualificationCriteria.ranges[3].answerQualification"]').selectOption('good');
    await tester.locator('#answers').fill('12,000');
    await tester.locator('#results tr[data-qualification=good]').waitFor();
    await page.click('#save-criteria');
    await page.locator('#criteria-message').getByText('Saved as version 2').waitFor();
    const r = await fetch(`${app.emulatorUrl}/v1/companies/signals/templates`, { headers: { authorization: `Bearer ${app.devKeys.saber}` } });
    const t = (await r.json()).items.find((x) => x.name === 'Employee count');
    assert.equal(t.version, 2);
    assert.equal(t.qualificationCriteria.ranges[3].answerQualification, 'good');
    // The fit-score chart follows the saved criteria (Globex: ~300 employees is still good).
    await page.locator('#chart rect[data-company=Northwind]').waitFor();
    assert.equal(await page.locator('#chart rect.bar').count(), 5);
  });
});

test('templates: the new-template form validates live, creates through the proxy, and delete removes it', async () => {
  await withDashboard(async (page, app) => {
    await page.click('#new-template');
    await page.fill('#tf-name', 'x');
    await page.fill('#tf-name', '');
    await page.locator('#tf-name-error').getByText('must not be empty').waitFor();
    assert.equal(await page.getAttribute('#tf-name', 'aria-invalid'), 'true');
    await page.fill('#tf-name', 'Open roles');
    await page.fill('#tf-question', 'How many open sales roles are listed?');
    await page.selectOption('#tf-answerType', 'number');
    await page.click('#template-form button[type=submit]');
    await page.locator('#templates-table tr[data-name="Open roles"]').waitFor();
    await page.locator('#criteria-panel:not([hidden])').waitFor();
    const r = await fetch(`${app.emulatorUrl}/v1/companies/signals/templates`, { headers: { authorization: `Bearer ${app.devKeys.saber}` } });
    assert.ok((await r.json()).items.some((x) => x.name === 'Open roles'));
    // Its column appears in the fit-score table, and the sample companies are researched with it.
    await page.locator('#scores-table th', { hasText: 'Open roles' }).waitFor();

    // Delete (Saber soft-deletes: gone from the list, kept with includeDeleted).
    await page.click('#templates-table tr[data-name="Open roles"] button[data-action=delete]');
    await page.locator('#templates-table tr[data-name="Open roles"]').waitFor({ state: 'detached' });
    await page.locator('#scores-table th', { hasText: 'Open roles' }).waitFor({ state: 'detached' });
    const all = await fetch(`${app.emulatorUrl}/v1/companies/signals/templates?includeDeleted=true`, { headers: { authorization: `Bearer ${app.devKeys.saber}` } });
    const gone = (await all.json()).items.find((x) => x.name === 'Open roles');
    assert.ok(gone?.deletedAt, 'soft-deleted on the emulator');
  });
});

/** The emulator's latest completed answer to each template's question about `domain` (read directly with the dev key). */
async function researched(app, domain, templates) {
  const r = await fetch(`${app.emulatorUrl}/v1/companies/signals?domain=${domain}`, { headers: { authorization: `Bearer ${app.devKeys.saber}` } });
  const { results } = await r.json();
  return templates.map((t) => results.find((s) => s.question === t.question && s.status !== 'processing') ?? null);
}
async function saberTemplates(app) {
  const r = await fetch(`${app.emulatorUrl}/v1/companies/signals/templates`, { headers: { authorization: `Bearer ${app.devKeys.saber}` } });
  return (await r.json()).items;
}

test('fit scores: each sample company researched on the emulator, scored as the engine scores its answers', async () => {
  await withDashboard(async (page, app) => {
    await page.locator('#scores[data-ready=true]').waitFor({ timeout: 30_000 });
    const bars = await page.locator('#chart rect.bar').evaluateAll((rs) => rs.map((r) => [r.dataset.company, r.dataset.domain, r.dataset.score, r.getAttribute('class')]));
    assert.deepEqual(bars.map((b) => b[0]), ['Northwind', 'Globex', 'Umbrella', 'Initech', 'Hooli']);
    assert.deepEqual(bars.map((b) => b[1]), SAMPLE_COMPANIES.map((c) => c.domain));
    // The same answers, read from the emulator and scored here, give the same scores.
    const engine = await loadEngine();
    const templates = await saberTemplates(app);
    for (const [company, domain, score, cls] of bars) {
      const signals = await researched(app, domain, templates);
      assert.ok(signals.every((x) => x !== null), `${domain} was researched with every template`);
      const fit = engine.fitScore(templates.map((t, i) => ({ template: t, answer: signalAnswer(signals[i]) })));
      assert.equal(score === '' ? null : Number(score), fit.score, company);
      assert.equal(cls.includes('disq'), fit.disqualified, company);
      if (fit.disqualified) assert.equal(fit.score, 0);
    }
    // The details table shows each answer with its qualification.
    const first = await researched(app, SAMPLE_COMPANIES[0].domain, templates);
    const cells = await page.locator('#scores-table tr[data-company=Northwind] td').allTextContents();
    for (const [i, t] of templates.entries()) {
      const answer = signalAnswer(first[i]);
      const q = engine.evaluate(t, answer).qualification;
      if (typeof answer === 'string') assert.ok(cells[i].startsWith(answer), `${t.name}: ${cells[i]} shows ${answer}`);
      if (q) assert.ok(cells[i].endsWith(q), `${t.name}: ${cells[i]} ends with ${q}`);
    }
    assert.match(await page.locator('#chart').getAttribute('aria-label'), /^Fit scores: Northwind \d+|^Fit scores: Northwind no score/);
    await screenshot(page, 'fit-scores');
  });
});

test('npm start\'s low-code page: one script tag and attributes, through the server\'s proxy', async () => {
  const app = await startDashboard({ port: 0, emulatorPort: 0 });
  const page = await newPage(browser.context);
  try {
    const res = await page.goto(`${app.url}demo/lowcode.html`);
    assert.match(res.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
    assert.deepEqual(await page.$$eval('script', (s) => s.map((x) => x.getAttribute('src'))), ['/dist/signalkit.widgets.js']);
    await page.locator('signalkit-keyword-preview #status').getByText(/types? matched: .*funding/).waitFor();
    await page.locator('signalkit-criteria-tester #status').getByText(/^4 answers: /).waitFor();
    assert.match(await page.locator('signalkit-type-editor #heading').textContent(), /New signal type/);
    await screenshot(page, 'lowcode-demo');
    assert.deepEqual(page.problems, []);
  } finally {
    await page.close();
    await app.close();
  }
});

test('score a company: the domain is checked as typed, research progresses per template, each answer is qualified and explained', async () => {
  await withDashboard(async (page, app) => {
    await page.locator('#scores[data-ready=true]').waitFor({ timeout: 30_000 });
    const input = page.locator('#score-domain');
    await input.pressSequentially('https://acme-rockets.com/');
    await page.locator('#score-domain-error').getByText('"acme-rockets.com"').waitFor();
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    await page.click('#score-run');
    assert.equal(await page.locator('#score-table').isHidden(), true, 'nothing is researched for a bad domain');

    await input.fill('acme-rockets.com');
    await page.locator('#score-domain-error:empty').waitFor({ state: 'attached' });
    // Research goes through the server's proxy, without a key.
    const sent = [];
    page.on('request', (r) => sent.push({ url: r.url(), authorization: r.headers().authorization }));
    await page.click('#score-run');
    // Progress: the rows move through researching (and possibly processing) to completed.
    await page.locator('#score-table tr[data-status=researching], #score-table tr[data-status=completed]').first().waitFor();
    await page.locator('#score[data-state=done]').waitFor({ timeout: 30_000 });
    const templates = await saberTemplates(app);
    const rows = await page.locator('#score-table tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      name: tr.dataset.template, status: tr.dataset.status, qualification: tr.dataset.qualification,
      answer: tr.querySelector('.answer').textContent, why: tr.querySelector('.why').textContent,
    })));
    assert.deepEqual(rows.map((r) => r.name), templates.map((t) => t.name));
    assert.ok(rows.every((r) => r.status === 'completed'), JSON.stringify(rows));
    const engine = await loadEngine();
    const signals = await researched(app, 'acme-rockets.com', templates);
    const fit = engine.fitScore(templates.map((t, i) => ({ template: t, answer: signalAnswer(signals[i]) })));
    for (const [i, r] of rows.entries()) {
      const e = engine.evaluate(templates[i], signalAnswer(signals[i]));
      assert.equal(r.qualification, e.qualification ?? 'error', r.name);
      assert.ok(r.why.length > 0, `${r.name} is explained`);
      if (e.code) assert.match(r.why, /is not a|expected/, `${r.name}: ${r.why}`);
    }
    const summary = await page.textContent('#score-result');
    if (fit.disqualified) assert.match(summary, /^Fit score 0: disqualified by /);
    else assert.equal(summary.match(/Fit score ([\d.]+)/)?.[1], fit.score?.toFixed(1), summary);
    assert.ok(sent.some((r) => r.url.startsWith(`${app.url}proxy/saber/v1/companies/signals/sync`)), JSON.stringify(sent));
    assert.deepEqual(sent.filter((r) => !r.url.startsWith(`${app.url}proxy/`) || r.authorization !== undefined), []);
    await screenshot(page, 'score-a-company');

    // A domain that cannot resolve: every template's research fails, and says why.
    await input.fill('gone.invalid');
    await page.click('#score-run');
    await page.locator('#score[data-state=done]').waitFor({ timeout: 30_000 });
    assert.equal(await page.textContent('#score-result'), 'No fit score: no weighted template has an answer.');
    const why = await page.locator('#score-table td.why').allTextContents();
    assert.deepEqual([...new Set(why)], ['research failed: the domain gone.invalid could not be resolved']);
  });
});

test('score a company: research can be cancelled', async () => {
  await withDashboard(async (page) => {
    await page.fill('#score-domain', 'slow-research.com');
    await page.click('#score-run');
    await page.locator('#score-cancel:not([hidden])').click();
    await page.locator('#score[data-state=cancelled]').waitFor();
    assert.match(await page.textContent('#score-status'), /^Cancelled: research of slow-research\.com stopped\.$/);
    assert.equal(await page.locator('#score-run').isDisabled(), false);
  }, [], { researchDelayMs: 3_000 });
});
