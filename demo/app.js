// The signalkit dashboard: the engine in the page, the three web components, and every
// API call through the signalkit proxy that demo/server.mjs mounts at /proxy (the proxy
// holds the emulator's keys and forwards with the real clients; the page holds no key).
// Scoring companies runs here, with a SaberClient pointed at the proxy ({proxy}).
// Served by `npm start`.
import { AbortError, loadEngine, SaberClient } from '../js/index.js';
import { pollUntil } from '../js/client/polling.js';
import { allChanged, changedFields } from '../js/puffle/generation.js';
import { ONBOARDING } from '../js/vendors/puffle.js';
import '../js/widgets/index.js';
import { setDefaultEngine } from '../js/widgets/index.js';
import { callEndpoint } from '../js/widgets/endpoint.js';
import { SAMPLE_COMPANIES, SAMPLE_DOCUMENTS, DEMO_ONBOARDING } from './samples.js';

const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2).toLowerCase(), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c != null && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}

function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  for (const c of children.flat()) if (c != null) e.append(c instanceof Node ? c : String(c));
  return e;
}

const state = {
  engine: null, saber: null, types: [], templates: [], config: null, profile: null,
  sampleScores: [], samplesRun: null, scoring: null,
};

/** One operation through the proxy (names and answers: docs/widgets.md#the-proxy). */
const api = (operation, call) => callEndpoint(state.config.proxyUrl, operation, call);

function say(target, text, kind = '') {
  const node = typeof target === 'string' ? $(target) : target;
  node.textContent = text;
  node.dataset.kind = kind;
}

function errorText(err) {
  if (err?.status === 428) return 'Puffle needs a company profile before it can generate. Use the demo company profile above, then try again.';
  return err?.message ?? String(err);
}

async function main() {
  const [config, engine] = await Promise.all([
    fetch('config.json', { cache: 'no-store' }).then((r) => r.json()),
    loadEngine(),
  ]);
  state.config = config;
  state.engine = engine;
  // Research goes through the proxy too: the client sends no key, the proxy adds it.
  state.saber = new SaberClient({ proxy: config.proxyUrl, engine });
  setDefaultEngine(engine);
  $('#emulator-url').textContent = config.emulatorUrl;
  $('#proxy-url').textContent = config.proxyUrl;

  wireTypes();
  wireTemplates();
  wirePreview();
  wireScoring();
  await Promise.all([loadTypes(), loadTemplates(), loadProfile()]);
  // The editor saves through the proxy; it gets the list from loadTypes (set first, so it
  // does not load the list itself).
  $('#type-editor').endpoint = config.proxyUrl;
  say('#app-status', `Connected to the emulator at ${config.emulatorUrl}: ${state.types.length} signal types, ${state.templates.length} templates.`, 'ok');
  document.body.dataset.ready = 'true';
}

// ---------------------------------------------------------------------------- types
function wireTypes() {
  const editor = $('#type-editor');
  $('#new-type').addEventListener('click', () => openEditor(null));
  $('#reload-types').addEventListener('click', () => loadTypes());
  $('#set-profile').addEventListener('click', onboard);
  editor.addEventListener('signalkit-saved', async (e) => {
    const { mode, type } = e.detail;
    editor.hidden = true;
    await loadTypes();
    say('#types-message', `${mode === 'edit' ? 'Saved' : 'Created'} “${type.label}” on the emulator.`, 'ok');
    $(`#types-table tr[data-id="${type.id}"] button`)?.focus();
  });
  editor.addEventListener('signalkit-cancel', () => { editor.hidden = true; $('#new-type').focus(); });
}

function openEditor(type) {
  const editor = $('#type-editor');
  editor.types = state.types;
  editor.type = type;
  editor.hidden = false;
  say('#types-message', '');
  editor.scrollIntoView({ block: 'nearest' });
  editor.shadowRoot.querySelector(type?.built_in ? '#f-description' : '#f-name').focus();
}

async function loadTypes() {
  try {
    state.types = (await api('puffle.signalType.list')).signal_types;
  } catch (err) {
    say('#types-message', `Could not list the signal types: ${errorText(err)}`, 'error');
    return;
  }
  renderTypes();
  $('#keyword-preview').types = state.types;
  $('#type-editor').types = state.types;
}

function renderTypes() {
  const body = $('#types-table tbody');
  body.replaceChildren(...state.types.map((t) => el('tr', { 'data-id': t.id, 'data-label': t.label },
    el('th', { scope: 'row' }, t.label, t.built_in ? el('span', { class: 'tag' }, 'built-in') : null,
      t.description ? el('div', { class: 'sub' }, t.description) : null),
    el('td', {}, t.kind),
    el('td', {}, t.enabled ? 'yes' : 'no'),
    el('td', { class: 'kw' }, `${t.keywords.length}: ${t.keywords.slice(0, 4).join(', ')}${t.keywords.length > 4 ? ', …' : ''}`),
    el('td', {}, t.sources == null ? 'all' : t.sources.join(', ')),
    el('td', { class: 'actions' },
      el('button', { type: 'button', class: 'secondary', 'data-action': 'edit', 'aria-label': `Edit ${t.label}`, onClick: () => openEditor(t) }, 'Edit'),
      el('button', { type: 'button', class: 'secondary', 'data-action': 'generate', 'aria-label': `Generate prompts and keywords for ${t.label}`, onClick: () => generate(t) }, 'Generate'),
      t.built_in ? null : el('button', { type: 'button', class: 'danger', 'data-action': 'delete', 'aria-label': `Delete ${t.label}`, onClick: () => deleteType(t) }, 'Delete')),
  )));
}

async function deleteType(t) {
  if (!window.confirm(`Delete the signal type “${t.label}”? This cannot be undone.`)) return;
  try {
    await api('puffle.signalType.delete', { params: { id: t.id } });
    say('#types-message', `Deleted “${t.label}”.`, 'ok');
  } catch (err) {
    say('#types-message', `Could not delete “${t.label}”: ${errorText(err)}`, 'error');
  }
  await loadTypes();
}

async function loadProfile() {
  try {
    state.profile = (await api('puffle.context.get')).profile;
  } catch (err) {
    state.profile = null;
    say('#profile-status', `Company profile: could not read it (${errorText(err)})`);
    return;
  }
  renderProfile();
}

function renderProfile() {
  say('#profile-status', state.profile
    ? `Company profile: ${state.profile.companyName ?? 'set'} (generation is available).`
    : 'Company profile: none yet. Puffle needs one before it can generate prompts and keywords.');
  $('#set-profile').hidden = Boolean(state.profile);
}

// Puffle builds the company profile by crawling the website (onboarding); the emulator
// simulates the crawl and its statuses.
async function onboard() {
  const button = $('#set-profile');
  button.disabled = true;
  try {
    const { sessionId } = await api('puffle.onboarding.start', { body: DEMO_ONBOARDING });
    say('#profile-status', `Onboarding ${DEMO_ONBOARDING.website}: started…`);
    const { session } = await pollUntil({
      interval: state.config.pollIntervalMs,
      timeout: 60_000,
      read: () => api('puffle.onboarding.status', { query: { sessionId } }),
      judge: (value) => {
        const status = value?.session?.status ?? null;
        return { done: ONBOARDING.done.includes(status), progress: { status } };
      },
      onProgress: (p) => {
        if (p.status && !ONBOARDING.done.includes(p.status)) say('#profile-status', `Onboarding ${DEMO_ONBOARDING.website}: ${p.status.replace(/_/g, ' ')}…`);
      },
      timedOut: () => new Error('onboarding did not finish within a minute'),
    });
    if (session.status === 'failed') throw new Error(session.errorMessage ?? `it failed at ${session.errorStep}`);
    await loadProfile();
    say('#types-message', `Company profile of ${session.companyName} is ready.`, 'ok');
  } catch (err) {
    say('#profile-status', `Onboarding did not complete: ${errorText(err)}`, 'error');
  } finally {
    button.disabled = false;
  }
}

async function generate(t) {
  const box = $('#generation');
  const bar = $('#generation-progress');
  box.hidden = false;
  $('#generation-label').textContent = `Generating prompts and keywords for “${t.label}”`;
  bar.value = 0;
  say('#generation-status', 'Starting a generation run…');
  let runId;
  let before;
  try {
    // What the run must change (Puffle reports no progress: the type changes in place).
    before = await api('puffle.signalType.get', { params: { id: t.id } });
    ({ run_id: runId } = await api('puffle.signalType.generate', { params: { id: t.id } }));
  } catch (err) {
    say('#generation-status', `Could not start: ${errorText(err)}`, 'error');
    return;
  }
  const expected = state.config.generateDelayMs || 4000;
  say('#generation-status', `Run ${runId} started; the emulator rewrites the type in about ${Math.round(expected / 1000)} s.`);
  const started = performance.now();
  const tick = setInterval(() => {
    // Puffle gives no progress figure: the bar shows time against the usual run length
    // and stays below 95% until the type has really changed.
    bar.value = Math.min(95, (100 * (performance.now() - started)) / expected);
  }, 100);
  try {
    const updated = await pollUntil({
      interval: state.config.pollIntervalMs,
      timeout: 60_000,
      read: () => api('puffle.signalType.get', { params: { id: t.id } }),
      judge: (now) => ({ done: Boolean(now) && allChanged(changedFields(before, now)), progress: {} }),
      onProgress: (p) => say('#generation-status', `Run ${runId}: poll ${p.poll}, ${(p.elapsedMs / 1000).toFixed(1)} s, not finished yet…`),
      timedOut: () => new Error(`run ${runId} did not change the type within a minute`),
    });
    bar.value = 100;
    say('#generation-status', `Done: “${updated.label}” now has ${updated.keywords.length} keywords (run ${runId}).`, 'ok');
  } catch (err) {
    say('#generation-status', `Generation did not finish: ${errorText(err)}`, 'error');
  } finally {
    clearInterval(tick);
    await loadTypes();
  }
}

// ------------------------------------------------------------------------ templates
function wireTemplates() {
  const form = $('#template-form');
  $('#new-template').addEventListener('click', () => {
    form.hidden = false;
    validateTemplateForm(false);
    $('#tf-name').focus();
  });
  $('#tf-cancel').addEventListener('click', () => { form.hidden = true; $('#new-template').focus(); });
  for (const id of ['#tf-name', '#tf-question', '#tf-answerType', '#tf-weight']) {
    $(id).addEventListener('input', (e) => { e.target.dataset.touched = 'true'; validateTemplateForm(false); });
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const { valid, body } = validateTemplateForm(true);
    if (!valid) { form.querySelector('[aria-invalid=true]')?.focus(); return; }
    try {
      stopSampleResearch();
      const created = await api('saber.template.create', { body });
      form.hidden = true;
      form.reset();
      for (const c of form.querySelectorAll('[data-touched]')) delete c.dataset.touched;
      await loadTemplates();
      openCriteria(created);
    } catch (err) {
      say('#tf-form-error', errorText(err));
    }
  });
  $('#close-criteria').addEventListener('click', () => { $('#criteria-panel').hidden = true; });
  $('#save-criteria').addEventListener('click', saveCriteria);
}

// The new-template form, checked live by the engine (kind saber.template.create).
function validateTemplateForm(all) {
  const body = {
    name: $('#tf-name').value,
    question: $('#tf-question').value,
    answerType: $('#tf-answerType').value,
    weight: $('#tf-weight').value,
  };
  const r = state.engine.validate('saber.template.create', body);
  for (const f of ['name', 'question', 'answerType', 'weight']) {
    const input = $(`#tf-${f}`);
    const show = all || input.dataset.touched === 'true';
    const issues = show ? r.issues.filter((i) => i.field === f) : [];
    $(`#tf-${f}-error`).textContent = issues.map((i) => i.message).join(' ');
    if (issues.length) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
  }
  $('#tf-form-error').textContent = all ? r.issues.filter((i) => i.field === '').map((i) => i.message).join(' ') : '';
  return { valid: r.valid, body };
}

async function loadTemplates() {
  try {
    // A fresh tenant has the demo templates: demo/server.mjs creates them at start.
    state.templates = await allTemplates();
  } catch (err) {
    say('#app-status', `Could not list the templates: ${errorText(err)}`, 'error');
    return;
  }
  renderTemplates();
  validateDomain(false);
  researchSamples();
}

// Every page of the template list.
async function allTemplates() {
  const items = [];
  for (let offset = 0; ;) {
    const page = await api('saber.template.list', { query: { limit: 100, offset } });
    items.push(...page.items);
    if (!page.hasMore || !page.items.length) return items;
    offset += page.items.length;
  }
}

function renderTemplates() {
  $('#templates-table tbody').replaceChildren(...state.templates.map((t) => el('tr', { 'data-id': t.id, 'data-name': t.name },
    el('th', { scope: 'row' }, t.name),
    el('td', {}, t.question),
    el('td', {}, t.answerType),
    el('td', {}, t.weight),
    el('td', {}, `v${t.version}`),
    el('td', { class: 'actions' },
      el('button', { type: 'button', class: 'secondary', 'data-action': 'criteria', 'aria-label': `Test criteria of ${t.name}`, onClick: () => openCriteria(t) }, 'Criteria'),
      el('button', { type: 'button', class: 'danger', 'data-action': 'delete', 'aria-label': `Delete ${t.name}`, onClick: () => deleteTemplate(t) }, 'Delete')),
  )));
}

function openCriteria(t) {
  const tester = $('#criteria-tester');
  tester.template = t;
  tester.setAttribute('heading', `Criteria of “${t.name}”`);
  // The sample companies' researched answers to this template, to try the criteria on.
  const researched = state.sampleScores.map((r) => r?.answers?.find((a) => a.templateId === (t.templateId ?? t.id))?.answer);
  tester.answers = researched.filter((a) => typeof a === 'string' || Array.isArray(a)).map(answerText);
  $('#criteria-panel').hidden = false;
  say('#criteria-message', '');
  $('#criteria-panel').scrollIntoView({ block: 'nearest' });
  tester.shadowRoot.querySelector('#answer-type').focus();
}

async function saveCriteria() {
  const tester = $('#criteria-tester');
  const t = tester.template;
  if (tester.issues.length) { say('#criteria-message', 'Fix the criteria first.', 'error'); return; }
  try {
    stopSampleResearch();
    const saved = await api('saber.template.update', {
      params: { id: t.id }, body: { answerType: t.answerType, weight: t.weight, qualificationCriteria: t.qualificationCriteria },
    });
    tester.template = saved;
    say('#criteria-message', `Saved as version ${saved.version}.`, 'ok');
    await loadTemplates();
  } catch (err) {
    say('#criteria-message', `Not saved: ${errorText(err)}`, 'error');
  }
}

async function deleteTemplate(t) {
  if (!window.confirm(`Delete the template “${t.name}”?`)) return;
  try {
    stopSampleResearch();
    await api('saber.template.delete', { params: { id: t.id } });
  } catch (err) {
    say('#app-status', `Could not delete “${t.name}”: ${errorText(err)}`, 'error');
  }
  await loadTemplates();
}

// -------------------------------------------------------------------------- preview
function wirePreview() {
  const preview = $('#keyword-preview');
  $('#samples').replaceChildren(...SAMPLE_DOCUMENTS.map((d) => el('button', {
    type: 'button', class: 'secondary', 'data-sample': d.name,
    onClick: () => { preview.source = d.source; preview.text = d.text; },
  }, d.name)));
}

// ------------------------------------------------------------------ score a company
/** An answer as research gave it, in one line. */
function answerText(answer) {
  if (answer === null || answer === undefined) return '';
  if (typeof answer === 'string') return answer;
  if (Array.isArray(answer) && answer.every((x) => typeof x === 'string')) return answer.join(', ');
  const text = JSON.stringify(answer);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

const bound = (n, side) => (n === null || n === undefined ? (side === 'start' ? '−∞' : '∞') : n.toLocaleString('en-US'));

/** Why an answer got its qualification, in words (the engine's evaluation, or the error). */
function explain(answer, result, template) {
  const error = result.errors.find((e) => e.index === answer.index);
  if (error) return error.reason;
  const e = answer.evaluation;
  if (!e) return 'No answer: not counted.';
  const parsed = typeof e.value === 'number' ? `${e.value.toLocaleString('en-US')}${e.currency ? ` ${e.currency}` : ''}` : null;
  if (e.matchedRange) return `${parsed} is in the range ${bound(e.matchedRange.rangeStart, 'start')} to ${bound(e.matchedRange.rangeEnd, 'end')}.`;
  const choices = template.qualificationCriteria?.choices ?? {};
  if (e.matchedChoices?.length) return `Matched ${e.matchedChoices.map((k) => choices[k]?.label ?? k).join(', ')}.`;
  if (e.matched && typeof e.value === 'boolean') return `The answer is ${e.value ? 'yes' : 'no'}.`;
  return `${parsed ? `${parsed}: ` : ''}${e.reason ?? 'no criterion matched'}.`.replace(/\.\.$/, '.');
}

const STATUS_TEXT = {
  queued: 'Queued', researching: 'Researching…', processing: 'Still processing…', completed: 'Completed', failed: 'Research failed', error: 'Request failed',
};

function wireScoring() {
  const input = $('#score-domain');
  input.addEventListener('input', () => { input.dataset.touched = 'true'; validateDomain(false); });
  $('#score-form').addEventListener('submit', (e) => { e.preventDefault(); scoreCompany(); });
  $('#score-cancel').addEventListener('click', () => state.scoring?.abort(new Error('cancelled')));
}

// The domain, checked live by the engine as the research request will be (kind saber.companySignal.create).
function validateDomain(all) {
  const input = $('#score-domain');
  const domain = input.value.trim();
  const template = state.templates[0];
  const issues = template
    ? state.engine.validate('saber.companySignal.create', { domain, signalTemplateId: template.templateId ?? template.id }).issues.filter((i) => i.field === 'domain')
    : [];
  const show = all || input.dataset.touched === 'true';
  $('#score-domain-error').textContent = show ? issues.map((i) => i.message).join(' ') : '';
  if (show && issues.length) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
  return { valid: Boolean(template) && issues.length === 0, domain };
}

async function scoreCompany() {
  const { valid, domain } = validateDomain(true);
  if (!state.templates.length) { say('#score-status', 'Create a template first: a company is researched with your templates.', 'error'); return; }
  if (!valid) { $('#score-domain').focus(); return; }
  const templates = state.templates;
  const controller = new AbortController();
  state.scoring = controller;
  const section = $('#score');
  section.dataset.state = 'running';
  $('#score-run').disabled = true;
  $('#score-cancel').hidden = false;
  say('#score-result', '');
  const rows = templates.map((t) => el('tr', { 'data-template': t.name, 'data-status': 'queued' },
    el('th', { scope: 'row' }, t.name, el('div', { class: 'sub' }, t.question)),
    el('td', { class: 'status' }, STATUS_TEXT.queued), el('td', { class: 'answer' }), el('td', { class: 'qualification' }), el('td', { class: 'why' })));
  $('#score-table tbody').replaceChildren(...rows);
  $('#score-table').hidden = false;
  say('#score-status', `Researching ${domain} with ${templates.length} template${templates.length === 1 ? '' : 's'}…`);
  try {
    const result = await state.saber.scoreCompany(domain, {
      templates, signal: controller.signal, timeoutSec: 30, wait: { interval: state.config.pollIntervalMs },
      onProgress: (p) => {
        const row = rows[p.index];
        row.dataset.status = p.status;
        row.querySelector('.status').textContent = p.poll ? `${STATUS_TEXT.processing} (poll ${p.poll})` : STATUS_TEXT[p.status];
        say('#score-status', `Researching ${domain}: ${p.done} of ${p.total} templates answered…`);
      },
    });
    for (const a of result.answers) {
      const row = rows[a.index];
      const q = a.evaluation?.qualification ?? null;
      const failed = result.errors.some((e) => e.index === a.index);
      row.dataset.qualification = q ?? (failed ? 'error' : 'unanswered');
      row.querySelector('.answer').replaceChildren(a.answer === null ? el('span', { class: 'muted' }, 'no answer') : answerText(a.answer));
      row.querySelector('.qualification').replaceChildren(el('span', { class: `q q-${q ?? 'neutral'}` }, q ?? (failed ? 'error' : 'unanswered')));
      row.querySelector('.why').textContent = explain(a, result, templates[a.index]);
    }
    const counted = result.parts.length;
    const summary = result.disqualified
      ? `Fit score 0: disqualified by ${result.disqualifiedBy.map((d) => d.name).join(', ')}.`
      : result.score === null ? 'No fit score: no weighted template has an answer.'
        : `Fit score ${result.score.toFixed(1)} of 100, over ${counted} answer${counted === 1 ? '' : 's'}.`;
    say('#score-result', summary, result.disqualified ? 'error' : 'ok');
    say('#score-status', `Researched ${domain}: ${counted} counted, ${result.errors.length} not evaluable, ${result.unanswered.length} unanswered.`, 'ok');
    section.dataset.state = 'done';
  } catch (err) {
    const cancelled = err instanceof AbortError;
    say('#score-status', cancelled ? `Cancelled: research of ${domain} stopped.` : `Could not score ${domain}: ${errorText(err)}`, 'error');
    section.dataset.state = cancelled ? 'cancelled' : 'failed';
  } finally {
    if (state.scoring === controller) state.scoring = null;
    $('#score-run').disabled = false;
    $('#score-cancel').hidden = true;
  }
}

// --------------------------------------------------------------------------- scores
// The sample companies, researched with the current templates (scoreCompanies streams each
// company as it finishes); a change of templates researches again (the emulator answers
// unchanged questions from its cache at once).
// The templates are about to change: research with the old ones would only be thrown away.
function stopSampleResearch() {
  state.samplesRun?.abort(new Error('the templates changed'));
}

async function researchSamples() {
  stopSampleResearch();
  const controller = new AbortController();
  state.samplesRun = controller;
  state.sampleScores = SAMPLE_COMPANIES.map(() => null);
  document.querySelector('#scores').dataset.ready = 'false';
  renderScores();
  if (!state.templates.length) { say('#scores-status', 'No templates: nothing to research.'); return; }
  say('#scores-status', `Researching ${SAMPLE_COMPANIES.length} companies with ${state.templates.length} templates…`);
  let done = 0;
  try {
    for await (const r of state.saber.scoreCompanies(SAMPLE_COMPANIES.map((c) => c.domain), {
      templates: state.templates, signal: controller.signal, concurrency: 8, timeoutSec: 30, wait: { interval: state.config.pollIntervalMs },
    })) {
      if (controller.signal.aborted) return;
      state.sampleScores[r.index] = r;
      done += 1;
      renderScores();
      say('#scores-status', done < SAMPLE_COMPANIES.length ? `Researched ${done} of ${SAMPLE_COMPANIES.length} companies…` : `Researched ${done} companies.`);
    }
    document.querySelector('#scores').dataset.ready = 'true';
  } catch (err) {
    if (!controller.signal.aborted) say('#scores-status', `Research stopped: ${errorText(err)}`, 'error');
  }
}

function renderScores() {
  const templates = state.templates;
  const rows = SAMPLE_COMPANIES.map((company, i) => ({ company, fit: state.sampleScores[i] }));
  // Bar chart (SVG, no library): one bar per company, score 0–100.
  const w = 640; const barH = 26; const gap = 12; const left = 150; const right = 150;
  const h = rows.length * (barH + gap) + 30;
  const chart = svg('svg', { viewBox: `0 0 ${w} ${h}`, width: '100%', class: 'bars', 'aria-hidden': 'true' });
  for (let x = 0; x <= 100; x += 25) {
    const px = left + ((w - left - right) * x) / 100;
    chart.append(svg('line', { x1: px, x2: px, y1: 0, y2: h - 22, class: 'gridline' }),
      svg('text', { x: px, y: h - 6, class: 'axis', 'text-anchor': 'middle' }, String(x)));
  }
  rows.forEach(({ company, fit }, i) => {
    const y = i * (barH + gap) + 4;
    const score = fit?.score ?? 0;
    const width = ((w - left - right) * score) / 100;
    const cls = !fit ? 'bar pending' : fit.disqualified ? 'bar disq' : fit.score == null ? 'bar none' : 'bar';
    const label = !fit ? 'researching…' : fit.error ? `error: ${fit.error.message}`
      : fit.disqualified ? `0, disqualified (${fit.disqualifiedBy.map((d) => d.name ?? `#${d.index + 1}`).join(', ')})`
        : fit.score == null ? 'no score' : `${fit.score.toFixed(1)}`;
    chart.append(
      svg('text', { x: left - 10, y: y + barH * 0.68, 'text-anchor': 'end', class: 'name' }, company.name),
      svg('rect', { x: left, y, width: Math.max(width, 2), height: barH, rx: 4, class: cls, 'data-company': company.name, 'data-domain': company.domain, 'data-score': fit?.score ?? '' }),
      svg('text', { x: left + Math.max(width, 2) + 8, y: y + barH * 0.68, class: 'value' }, label),
    );
  });
  $('#chart').replaceChildren(chart);
  $('#chart').setAttribute('aria-label', `Fit scores: ${rows.map(({ company, fit }) => `${company.name} ${!fit ? 'researching' : fit.score == null ? 'no score' : Math.round(fit.score)}`).join(', ')}`);

  const head = el('tr', {}, el('th', { scope: 'col' }, 'Company'), templates.map((t) => el('th', { scope: 'col' }, t.name)), el('th', { scope: 'col' }, 'Fit score'));
  $('#scores-table thead').replaceChildren(head);
  $('#scores-table tbody').replaceChildren(...rows.map(({ company, fit }) => el('tr', { 'data-company': company.name },
    el('th', { scope: 'row' }, company.name, el('div', { class: 'sub' }, company.domain)),
    templates.map((t) => {
      const a = fit?.answers?.find((x) => x.templateId === (t.templateId ?? t.id));
      if (!a) return el('td', {}, el('span', { class: 'muted' }, fit ? 'unanswered' : 'researching…'));
      const q = a.evaluation?.qualification;
      const failed = fit.errors.some((e) => e.index === a.index);
      return el('td', {}, a.answer === null ? el('span', { class: 'muted' }, failed ? 'no answer' : 'unanswered') : answerText(a.answer),
        q ? el('div', { class: `q q-${q}` }, q) : failed ? el('div', { class: 'q q-disqualified' }, 'error') : null);
    }),
    el('td', { class: 'score' }, !fit ? '…' : fit.error ? fit.error.message : fit.score == null ? '—' : fit.score.toFixed(1)),
  )));
}

main().catch((err) => {
  say('#app-status', `The dashboard could not start: ${errorText(err)}. Is the emulator running (npm start)?`, 'error');
  console.error(err);
});
