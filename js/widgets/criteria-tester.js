// <signalkit-criteria-tester>: edit a Saber template's qualification criteria, try
// research answers against them, and see each answer's qualification and fit score.
// Uses engine.checkCriteria, engine.evaluate and engine.fitScore (README, "Qualification criteria").
// With an `endpoint` (a signalkit proxy) it lists the tenant's templates to pick from and
// saves the criteria back.
import { checks, HtmlConfig, isObject } from './config.js';
import { callEndpoint } from './endpoint.js';
import { debounce, emit, engineOrReport, h, replace, shadow, StatusLine } from './shared.js';
import { QUALIFICATIONS, RANGE_ANSWER_TYPES, TEMPLATE_DEFAULTS, WEIGHTS } from '../vendors/saber.js';

export { QUALIFICATIONS };
// The answer types offered: those whose text answers the engine qualifies (ranges, yes/no,
// choices) and two that take no criteria. Contacts and json_schema answers are not typed text.
const ANSWER_TYPES = [...RANGE_ANSWER_TYPES, 'boolean', 'list', TEMPLATE_DEFAULTS.answerType, 'url'];
const RANGE_TYPES = new Set(RANGE_ANSWER_TYPES);
/** Templates listed per page when loading from an endpoint (the API's largest page). */
const PAGE = 100;

// Everything a page can set without code (attributes, or keys of a child JSON script).
const SETTINGS = {
  template: { json: true, check: (v) => (isObject(v) ? null : 'must be a JSON object: a Saber template such as {"answerType": "number", "qualificationCriteria": {…}}.') },
  answers: {
    json: true,
    check: (v) => (Array.isArray(v) && v.every((a) => ['string', 'number', 'boolean'].includes(typeof a)) ? null
      : 'must be a JSON array of answers, such as ["1.2k", "45%", "yes"].'),
  },
  'template-id': {},
  endpoint: { check: checks.endpoint },
  credentials: { check: checks.credentials },
  heading: {},
};

const STYLES = `
.crit-row { display: grid; grid-template-columns: 1fr 1fr 1.2fr auto; gap: .4rem; align-items: end; margin: 0 0 .35rem; }
.crit-row.list { grid-template-columns: 1fr 1.3fr 1.2fr auto; }
.crit-row label { font-weight: 400; font-size: .82em; margin: 0; }
.crit-row .error { grid-column: 1 / -1; margin: 0 0 .2rem; }
.crit-row button { padding: .35rem .55rem; }
.score-bar { display: inline-block; height: .55rem; border-radius: 3px; background: var(--sk-accent, #2f5bea); vertical-align: middle; margin-right: .35rem; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
.reason { color: var(--sk-muted, #5d6475); font-size: .85em; }
`;

function qualificationSelect(value, attrs) {
  return h('select', attrs, QUALIFICATIONS.map((q) => h('option', { value: q, selected: q === value }, q)));
}

function readNumber(text) {
  const t = text.trim();
  if (t === '') return null;           // unbounded on that side
  const n = Number(t);
  return Number.isFinite(n) ? n : t;   // not a number: the engine says so next to the field
}

function defaultCriteria(answerType) {
  if (RANGE_TYPES.has(answerType)) {
    return answerType === 'percentage'
      ? { ranges: [{ rangeStart: 0, rangeEnd: 20, answerQualification: 'poor' }, { rangeStart: 20, rangeEnd: 100, answerQualification: 'good' }] }
      : { ranges: [{ rangeStart: null, rangeEnd: 50, answerQualification: 'poor' }, { rangeStart: 50, rangeEnd: null, answerQualification: 'good' }] };
  }
  if (answerType === 'boolean') return { yes: 'good', no: 'poor' };
  if (answerType === 'list') return { choices: { option_a: { answerQualification: 'good', label: 'Option A' } } };
  return {};
}

export class SignalkitCriteriaTester extends HTMLElement {
  static get observedAttributes() { return HtmlConfig.names(SETTINGS); }

  constructor() {
    super();
    this._engine = null;
    this._endpoint = null;     // optional signalkit proxy: pick a template, save the criteria
    this._credentials = 'same-origin';
    this._templateId = null;   // template-id: the template to pick from the endpoint's list
    this._list = null;         // the endpoint's templates (latest version of each)
    this._loads = 0;           // the latest load from the endpoint; older answers are dropped
    this._serverIssues = [];   // fields of the last refused save, until the next edit
    this._saving = false;
    this._template = { name: '', question: '', answerType: 'number', weight: TEMPLATE_DEFAULTS.weight, qualificationCriteria: defaultCriteria('number') };
    this._issues = [];
    this._results = [];
    this._root = shadow(this, STYLES);
    this._evaluateSoon = debounce(() => this.evaluate(), 60);
    this._build();
    this._config = new HtmlConfig(this, SETTINGS, (name, value) => this._configure(name, value),
      (errors) => this._status.set('config', errors.join(' '), { error: true }));
  }

  get engine() { return this._engine; }
  set engine(v) { this._engine = v; this._update(); }

  /**
   * The template under test: {answerType, weight, qualificationCriteria, …}; other
   * fields (id, name, question) are kept. Reading it gives the edited template.
   */
  get template() { return structuredClone(this._template); }
  set template(v) {
    const t = { ...(v ?? {}) };
    t.answerType = t.answerType ?? TEMPLATE_DEFAULTS.answerType;
    t.weight = t.weight ?? TEMPLATE_DEFAULTS.weight;
    t.qualificationCriteria = t.qualificationCriteria ?? {};
    this._template = structuredClone(t);
    this._serverIssues = [];
    this._renderEditor();
    this._renderPicker();
    this._update();
  }

  /**
   * The URL of a signalkit proxy (also the `endpoint` attribute): the tenant's templates are
   * listed to pick from, and Save stores the criteria as a new version of the template.
   */
  get endpoint() { return this._endpoint; }
  set endpoint(v) {
    this._endpoint = v || null;
    this._list = null;
    if (!this._endpoint) this._status.set('remote', null);
    this._renderPicker();
    this._load();
  }

  /** The id of the template to pick from the endpoint's list (also `template-id`). */
  get templateId() { return this._templateId; }
  set templateId(v) { this._templateId = v || null; this._pick(); }

  /** The answers to try, one per line (also settable). */
  get answers() { return this._answers.value.split('\n').filter((l) => l.trim() !== ''); }
  set answers(v) { this._answers.value = Array.isArray(v) ? v.join('\n') : String(v ?? ''); this.evaluate(); }

  /** Criteria issues from engine.checkCriteria, [{field, code, message}]. */
  get issues() { return this._issues; }

  /** The last results: [{answer, result, score}]. */
  get results() { return this._results; }

  attributeChangedCallback(name) { this._config.attributeChanged(name); }

  connectedCallback() {
    this._config.readAll();
    this._update();
    this._load();
  }

  // A setting from the page's HTML (undefined: no longer given).
  _configure(name, value) {
    if (name === 'template') this.template = value;
    else if (name === 'answers') this.answers = (value ?? []).map(String);
    else if (name === 'template-id') this.templateId = value;
    else if (name === 'endpoint') this.endpoint = value;
    else if (name === 'credentials') this._credentials = value ?? 'same-origin';
    else if (name === 'heading') this._heading.textContent = value ?? 'Criteria tester';
  }

  // The tenant's templates, every page, through the endpoint.
  async _load() {
    if (!this._endpoint || !this.isConnected) return;
    const load = ++this._loads;
    this._status.set('remote', 'Loading your templates…');
    try {
      const items = [];
      for (let offset = 0; ;) {
        const page = await callEndpoint(this._endpoint, 'saber.template.list', { query: { limit: PAGE, offset }, credentials: this._credentials });
        items.push(...(page.items ?? []));
        if (!page.hasMore || !page.items?.length) break;
        offset += page.items.length;
      }
      if (load !== this._loads) return;
      this._list = items;
      this._status.set('remote', items.length ? null : 'You have no Saber templates yet: create one, then reload this page.');
      this._renderPicker();
      this._pick();
    } catch (err) {
      if (load !== this._loads) return;
      this._status.set('remote', `Could not load your templates: ${err.message}`, { error: true });
    }
  }

  // template-id (else the first template) from the loaded list, unless one is shown already.
  _pick() {
    if (!this._list?.length) return;
    const id = this._templateId?.toLowerCase();
    const wanted = id
      ? this._list.find((t) => t.id?.toLowerCase() === id || t.templateId?.toLowerCase() === id)
      : (this._list.find((t) => t.id === this._template.id) ?? this._list[0]);
    if (!wanted) {
      this._status.set('remote', `None of your templates has the id ${this._templateId} (template-id).`, { error: true });
      return;
    }
    if (wanted.id !== this._template.id) this.template = wanted;
    else this._renderPicker();
  }

  // The template picker and the Save button exist in endpoint mode only.
  _renderPicker() {
    if (!this._picker) return;
    const on = Boolean(this._endpoint);
    this._pickerField.hidden = !on;
    this._saveRow.hidden = !on;
    if (!on) return;
    const list = this._list ?? [];
    replace(this._picker, list.length ? list.map((t) => h('option', { value: t.id }, `${t.name} (v${t.version})`)) : h('option', { value: '' }, '…'));
    this._picker.value = list.some((t) => t.id === this._template.id) ? this._template.id : '';
    this._picker.disabled = list.length === 0;
    this._save.disabled = !list.some((t) => t.id === this._template.id) || this._issues.length > 0 || this._saving;
  }

  /**
   * Saves the criteria (answerType, weight, qualificationCriteria) as a new version of the
   * template through the endpoint; resolves to the saved version, or null after showing why
   * not. Fires `signalkit-saved` {template, endpoint} or `signalkit-error` {error}.
   */
  async save() {
    const t = this._template;
    if (!this._endpoint || !t.id) return null;
    if (this._issues.length) {
      this._status.set('remote', 'Fix the criteria before saving.', { error: true });
      return null;
    }
    this._saving = true;
    this._status.set('remote', 'Saving…');
    this._renderPicker();
    try {
      const saved = await callEndpoint(this._endpoint, 'saber.template.update', {
        params: { id: t.id }, credentials: this._credentials,
        body: { answerType: t.answerType, weight: t.weight, qualificationCriteria: t.qualificationCriteria },
      });
      this._saving = false;
      // A new version has a new id: it replaces the old one in the list.
      this._list = (this._list ?? []).map((x) => (x.id === t.id ? saved : x));
      this.template = saved;
      this._status.set('remote', h('span', { class: 'saved' }, `Saved “${saved.name}” as version ${saved.version}.`));
      emit(this, 'signalkit-saved', { template: saved, endpoint: new URL(this._endpoint, document.baseURI).href });
      return saved;
    } catch (error) {
      this._saving = false;
      this._serverIssues = error.fields ?? [];
      this._status.set('remote', `Not saved: ${error.message}`, { error: true });
      this._showIssues();
      this._renderPicker();
      emit(this, 'signalkit-error', { error });
      return null;
    }
  }

  // The user changed the criteria: a "Saved" or a refused save no longer describes them.
  _edited() {
    this._serverIssues = [];
    if (!this._saving) this._status.set('remote', null);
  }

  _build() {
    this._heading = h('h2', { id: 'heading' }, 'Criteria tester');
    this._question = h('p', { class: 'hint', id: 'question' });
    this._picker = h('select', { id: 'template-pick', onChange: () => this._choose(this._picker.value) });
    this._pickerField = h('div', { class: 'field', hidden: true }, h('label', { for: 'template-pick' }, 'Saber template'), this._picker);
    this._save = h('button', { type: 'button', id: 'save', part: 'submit', onClick: () => this.save() }, 'Save criteria');
    this._saveRow = h('div', { class: 'actions', hidden: true }, this._save);
    this._answerType = h('select', { id: 'answer-type', onChange: () => this._changeType() },
      ANSWER_TYPES.map((t) => h('option', { value: t }, t)));
    this._weight = h('select', { id: 'weight', 'aria-describedby': 'weight-hint', onChange: () => { this._template.weight = this._weight.value; this._edited(); this._update(); } },
      WEIGHTS.map((w) => h('option', { value: w }, w)));
    this._editor = h('fieldset', { id: 'criteria', 'aria-describedby': 'criteria-error' });
    this._criteriaError = h('p', { class: 'error', id: 'criteria-error', part: 'error' });
    this._answers = h('textarea', {
      id: 'answers', rows: 4, spellcheck: 'false', 'aria-describedby': 'answers-hint',
      onInput: () => this._evaluateSoon(),
    });
    this._statusNode = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'status', part: 'status' });
    this._status = new StatusLine(this._statusNode);
    this._table = h('table', { id: 'results', part: 'results' });
    this._root.append(
      this._heading, this._pickerField, this._question,
      h('div', { class: 'row' },
        h('div', { class: 'field' }, h('label', { for: 'answer-type' }, 'Answer type'), this._answerType),
        h('div', { class: 'field' }, h('label', { for: 'weight' }, 'Weight'), this._weight)),
      h('p', { class: 'hint', id: 'weight-hint' }, 'Fit score weights: important 3, nice to have 1, not important 0.'),
      this._editor, this._criteriaError, this._saveRow,
      h('div', { class: 'field' }, h('label', { for: 'answers' }, 'Answers to try'), this._answers,
        h('p', { class: 'hint', id: 'answers-hint' }, 'One per line, as research returns them: “1.2k”, “45%”, “$3.5M”, “yes”, “HubSpot, Salesforce”.')),
      this._statusNode, this._table,
    );
    this._renderEditor();
  }

  // The user picked another template from the endpoint's list.
  _choose(id) {
    const t = this._list?.find((x) => x.id === id);
    if (t) { this._status.set('remote', null); this.template = t; }
  }

  _changeType() {
    this._edited();
    const type = this._answerType.value;
    this._template.answerType = type;
    this._template.qualificationCriteria = defaultCriteria(type);
    this._renderEditor();
    this._update();
  }

  // The criteria controls for the current answer type. Every control carries the issue
  // path it edits (data-path), so engine issues land next to the right input.
  _renderEditor() {
    if (!this._editor) return;
    const t = this._template;
    this._answerType.value = ANSWER_TYPES.includes(t.answerType) ? t.answerType : TEMPLATE_DEFAULTS.answerType;
    if (!ANSWER_TYPES.includes(t.answerType)) this._answerType.append(h('option', { value: t.answerType, selected: true }, t.answerType));
    this._weight.value = t.weight;
    this._question.textContent = [t.name, t.question].filter(Boolean).join(' — ');
    const c = t.qualificationCriteria ?? {};
    const changed = () => { this._edited(); this._readEditor(); this._update(); };
    const parts = [h('legend', {}, 'Qualification criteria')];
    if (RANGE_TYPES.has(t.answerType)) {
      const ranges = Array.isArray(c.ranges) ? c.ranges : [];
      ranges.forEach((r, i) => {
        const p = `qualificationCriteria.ranges[${i}]`;
        parts.push(h('div', { class: 'crit-row', 'data-row': p },
          h('label', {}, `From (≥), range ${i + 1}`, h('input', { type: 'text', inputmode: 'decimal', 'data-path': `${p}.rangeStart`, value: r.rangeStart ?? '', placeholder: 'no minimum', onInput: changed })),
          h('label', {}, `To (<), range ${i + 1}`, h('input', { type: 'text', inputmode: 'decimal', 'data-path': `${p}.rangeEnd`, value: r.rangeEnd ?? '', placeholder: 'no maximum', onInput: changed })),
          h('label', {}, `Qualification, range ${i + 1}`, qualificationSelect(r.answerQualification, { 'data-path': `${p}.answerQualification`, onChange: changed })),
          h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove range ${i + 1}`, onClick: () => { this._edited(); ranges.splice(i, 1); this._renderEditor(); this._update(); } }, '✕'),
          h('p', { class: 'error', 'data-error': p })));
      });
      parts.push(h('button', {
        type: 'button', class: 'secondary', id: 'add-range',
        onClick: () => {
          const last = ranges[ranges.length - 1];
          ranges.push({ rangeStart: last?.rangeEnd ?? null, rangeEnd: null, answerQualification: 'neutral' });
          c.ranges = ranges; t.qualificationCriteria = c;
          this._edited(); this._renderEditor(); this._update();
        },
      }, 'Add range'));
    } else if (t.answerType === 'boolean') {
      parts.push(h('div', { class: 'crit-row' },
        h('label', {}, 'When the answer is yes', qualificationSelect(c.yes ?? 'neutral', { 'data-path': 'qualificationCriteria.yes', onChange: changed })),
        h('label', {}, 'When the answer is no', qualificationSelect(c.no ?? 'neutral', { 'data-path': 'qualificationCriteria.no', onChange: changed })),
        h('p', { class: 'error', 'data-error': 'qualificationCriteria' })));
    } else if (t.answerType === 'list') {
      const choices = Object.entries(c.choices ?? {});
      choices.forEach(([key, ch], i) => {
        const p = `qualificationCriteria.choices${/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`;
        parts.push(h('div', { class: 'crit-row list', 'data-row': p, 'data-index': i },
          h('label', {}, `Key, choice ${i + 1}`, h('input', { type: 'text', 'data-key': i, value: key, onInput: changed })),
          h('label', {}, `Label, choice ${i + 1}`, h('input', { type: 'text', 'data-path': `${p}.label`, 'data-label': i, value: ch?.label ?? '', onInput: changed })),
          h('label', {}, `Qualification, choice ${i + 1}`, qualificationSelect(ch?.answerQualification, { 'data-path': `${p}.answerQualification`, 'data-q': i, onChange: changed })),
          h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove choice ${i + 1}`, onClick: () => { this._edited(); choices.splice(i, 1); c.choices = Object.fromEntries(choices); this._renderEditor(); this._update(); } }, '✕'),
          h('p', { class: 'error', 'data-error': p })));
      });
      parts.push(h('button', {
        type: 'button', class: 'secondary', id: 'add-choice',
        onClick: () => {
          let n = choices.length + 1;
          while (`choice_${n}` in (c.choices ?? {})) n += 1;
          c.choices = { ...(c.choices ?? {}), [`choice_${n}`]: { answerQualification: 'neutral', label: `Choice ${n}` } };
          t.qualificationCriteria = c;
          this._edited(); this._renderEditor(); this._update();
        },
      }, 'Add choice'));
    } else {
      parts.push(h('p', { class: 'hint' }, `A ${t.answerType} answer takes no qualification criteria; every answer is neutral.`));
    }
    replace(this._editor, parts);
  }

  // Reads the controls back into the template (the controls are the source of truth).
  _readEditor() {
    const t = this._template;
    const q = (path) => this._editor.querySelector(`[data-path="${CSS.escape(path)}"]`);
    if (RANGE_TYPES.has(t.answerType)) {
      const rows = [...this._editor.querySelectorAll('.crit-row')];
      t.qualificationCriteria = {
        ranges: rows.map((_, i) => {
          const p = `qualificationCriteria.ranges[${i}]`;
          return {
            rangeStart: readNumber(q(`${p}.rangeStart`).value),
            rangeEnd: readNumber(q(`${p}.rangeEnd`).value),
            answerQualification: q(`${p}.answerQualification`).value,
          };
        }),
      };
    } else if (t.answerType === 'boolean') {
      t.qualificationCriteria = { yes: q('qualificationCriteria.yes').value, no: q('qualificationCriteria.no').value };
    } else if (t.answerType === 'list') {
      const choices = {};
      for (const row of this._editor.querySelectorAll('.crit-row')) {
        const i = row.dataset.index;
        const key = row.querySelector(`[data-key="${i}"]`).value;
        choices[key] = { answerQualification: row.querySelector(`[data-q="${i}"]`).value, label: row.querySelector(`[data-label="${i}"]`).value };
      }
      t.qualificationCriteria = { choices };
    }
  }

  async _update() {
    if (!this.isConnected) return;
    const engine = await engineOrReport(this, this._status);
    if (!engine) return;
    const t = this._template;
    const check = engine.checkCriteria(t.answerType, t.qualificationCriteria);
    this._issues = check.issues;
    this._showIssues();
    this._renderPicker();
    emit(this, 'signalkit-criteria-change', { template: this.template, valid: check.valid, issues: check.issues });
    await this.evaluate();
  }

  _showIssues() {
    for (const el of this._editor.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    for (const el of this._editor.querySelectorAll('[data-error]')) el.replaceChildren();
    const loose = [];
    for (const issue of [...this._issues, ...this._serverIssues]) {
      const input = this._editor.querySelector(`[data-path="${CSS.escape(issue.field ?? '')}"]`);
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        const row = input.closest('.crit-row');
        const box = row?.querySelector('[data-error]');
        if (box) { box.append(box.childNodes.length ? h('br') : '', issue.message); continue; }
      }
      const row = [...this._editor.querySelectorAll('[data-row]')].find((r) => (issue.field ?? '').startsWith(r.dataset.row));
      const box = row?.querySelector('[data-error]');
      if (box) box.append(box.childNodes.length ? h('br') : '', issue.message);
      else loose.push(issue.message);
    }
    replace(this._criteriaError, loose.map((m, i) => [i ? h('br') : null, m]));
  }

  /** Evaluates every answer now; resolves to the results (also fired as `signalkit-evaluate`). */
  async evaluate() {
    const engine = await engineOrReport(this, this._status);
    if (!engine) return [];
    const t = this._template;
    const valid = this._issues.length === 0;
    let results = [];
    if (valid) {
      // Compiled once for all the answers: each evaluate then sends only its answer.
      const criteria = engine.compileCriteria(t);
      try {
        results = this.answers.map((answer) => {
          const result = criteria.evaluate(answer);
          const fit = engine.fitScore([{ template: t, answer }]);
          return { answer, result, score: fit.score, fit };
        });
      } finally {
        criteria.close();
      }
    }
    this._results = results;
    this._renderResults(valid);
    emit(this, 'signalkit-evaluate', { template: this.template, results });
    return results;
  }

  _renderResults(valid) {
    const rs = this._results;
    if (!valid) {
      this._status.set('local', `Fix the criteria to try answers (${this._issues.length} problem${this._issues.length === 1 ? '' : 's'}).`, { error: true });
      this._table.replaceChildren();
      return;
    }
    const counts = {};
    for (const r of rs) {
      const k = r.result.qualification ?? 'error';
      counts[k] = (counts[k] ?? 0) + 1;
    }
    this._status.set('local', rs.length
      ? `${rs.length} answer${rs.length === 1 ? '' : 's'}: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}.`
      : 'Type an answer to see how it qualifies.');
    if (!rs.length) { this._table.replaceChildren(); return; }
    replace(this._table,
      h('caption', { class: 'visually-hidden' }, 'Answers with their qualification and fit score'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Answer'), h('th', { scope: 'col' }, 'Read as'), h('th', { scope: 'col' }, 'Qualification'), h('th', { scope: 'col' }, 'Fit score'))),
      h('tbody', {}, rs.map(({ answer, result, score }) => {
        const q = result.qualification;
        const read = result.code ? '—' : [formatValue(result.value), result.currency].filter((x) => x !== undefined && x !== '').join(' ');
        return h('tr', { 'data-qualification': q ?? 'error' },
          h('td', {}, answer),
          h('td', { class: 'num' }, read),
          h('td', {},
            q ? h('span', { class: `q-${q}` }, q) : h('span', { class: 'q-disqualified' }, 'error'),
            result.matched === false && q ? h('div', { class: 'reason' }, result.reason ?? 'no criterion matched') : null,
            result.code ? h('div', { class: 'reason' }, result.reason ?? result.code) : null),
          h('td', { class: 'num' }, score === null || score === undefined ? '—'
            : [h('span', { class: 'score-bar', 'data-width': Math.round(score) }), `${Math.round(score)}`]));
      })));
    // Bar widths through the CSSOM: allowed under a CSP without style-src 'unsafe-inline'.
    for (const bar of this._table.querySelectorAll('.score-bar')) bar.style.width = `${Number(bar.dataset.width) * 0.6}px`;
  }
}

function formatValue(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return v.toLocaleString('en-US', { maximumFractionDigits: 4 });
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.join(', ');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

if (!customElements.get('signalkit-criteria-tester')) customElements.define('signalkit-criteria-tester', SignalkitCriteriaTester);
