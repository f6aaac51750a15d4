// <signalkit-type-editor>: create or edit a Puffle signal type, validated by the engine
// as the user types (the same rules the client and the server apply). It saves through a
// `client` (code) or an `endpoint` (a signalkit proxy; no code, no key in the page).
// Attributes, properties and events: docs/widgets.md.
import {
  baseField, bounds, emit, engineOrReport, firstIndex, h, sentence, setAria, shadow, showLines, StatusLine,
} from './shared.js';
import { checks, HtmlConfig, isObject } from './config.js';
import { callEndpoint, loadTenantTypes, savedThroughSameEndpoint } from './endpoint.js';
import { SOURCE_IDS, SOURCE_LABELS } from '../vendors/puffle.js';

/** The source ids a request may name (the checkboxes of the Sources field). */
export const SOURCES = SOURCE_IDS;
// Form fields in display order: [key in the request body, label, hint, control]. A hint is
// built from the field's property in the request schema (engine.schema(kind)), so the limits
// it states are the ones validation applies; before the engine is loaded it has none.
const FIELDS = [
  ['name', 'Name', (p) => sentence(bounds(p, 'characters'), 'unique among your signal types'), 'input'],
  ['description', 'Description', (p) => sentence('optional', bounds(p, 'characters')), 'textarea'],
  ['keywords', 'Keywords', (p) => `${sentence('one per line', bounds(p))} Matched as whole words, ignoring case.`, 'lines'],
  ['disqualifiers', 'Disqualifiers', (p) => `${sentence('one per line', bounds(p))} A match on any of them rules the content out. No dots.`, 'lines'],
  ['search_instructions', 'Search instructions', () => 'What the scanner should look for.', 'textarea'],
  ['scoring_criteria', 'Scoring criteria', () => 'How matches should be ranked.', 'textarea'],
  ['sources', 'Sources', (p) => sentence(bounds(p)), 'sources'],
  ['enabled', 'Enabled', null, 'checkbox'],
];
const LINE_FIELDS = new Set(['keywords', 'disqualifiers']);

// Everything a page can set without code (attributes, or keys of a child JSON script).
const SETTINGS = {
  type: { json: true, check: (v) => (v === null || isObject(v) ? null : 'must be a JSON object: the signal type to edit, as the API answers it (or null for a new one).') },
  types: {
    json: true,
    check: (v) => (Array.isArray(v) || Array.isArray(v?.signal_types) ? null
      : 'must be a JSON array of your signal types, or {"signal_types": [...]} as the API answers.'),
  },
  'type-id': {},
  endpoint: { check: checks.endpoint },
  credentials: { check: checks.credentials },
  heading: {},
  'submit-label': {},
};
const typeList = (v) => (Array.isArray(v) ? v : Array.isArray(v?.signal_types) ? v.signal_types : null);

const STYLES = `
.form-status { border-radius: 6px; padding: 0; }
.actions { display: flex; gap: .6rem; align-items: center; margin-top: .4rem; }
.locked { color: var(--sk-muted, #5d6475); font-size: .85em; font-weight: 400; }
`;

function lines(text) {
  // A completely empty line is a separator the user left, not a keyword; a line of only
  // spaces is kept so the engine can say it is blank.
  return text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.length > 0);
}

function sameList(a, b) {
  return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]);
}

export class SignalkitTypeEditor extends HTMLElement {
  static get observedAttributes() { return HtmlConfig.names(SETTINGS); }

  constructor() {
    super();
    this._engine = null;
    this._type = null;      // the type being edited (null: create)
    this._typeGiven = false; // the page named the type itself (not by type-id)
    this._types = null;     // the caller's complete list, for the cap and unique names
    this._typesGiven = false; // the list came from the page, not the endpoint
    this._typeId = null;    // type-id: edit the type of this id from the list
    this._client = null;    // optional PuffleClient: the widget saves by itself
    this._endpoint = null;  // optional signalkit proxy: the widget loads the list and saves through it
    this._credentials = 'same-origin';
    this._loads = 0;        // the latest load from the endpoint; older answers are dropped
    this._labels = {};      // heading, submit-label from the page
    this._touched = new Set();
    this._submitted = false;
    this._issues = [];
    this._serverIssues = [];
    this._busy = false;
    this._root = shadow(this, STYLES);
    this._hintsFor = null;  // the kind whose schema the hints show
    this._build();
    this._onSaved = (e) => { if (e.target !== this) this._savedElsewhere(e); };
    this._config = new HtmlConfig(this, SETTINGS, (name, value) => this._configure(name, value),
      (errors) => this._status.set('config', errors.join(' '), { error: true }));
  }

  /** The engine to validate with (default: the shared loadEngine()). */
  get engine() { return this._engine; }
  set engine(v) { this._engine = v; this.validate(); }

  /** The signal type to edit, as the API returns it; null/undefined for a new type. */
  get type() { return this._type; }
  set type(v) {
    this._typeGiven = v !== null && v !== undefined;
    this._show(v ?? null);
    this._pick();
  }

  // Puts a type (or a blank new one) in the form.
  _show(type) {
    this._type = type;
    this._touched.clear();
    this._submitted = false;
    this._serverIssues = [];
    this._fill();
    this.validate();
  }

  /**
   * The caller's complete list of types (enables the 20-type cap and unique names), or
   * `{signal_types}`. null/undefined: none given, so with an `endpoint` the widget loads it.
   */
  get types() { return this._types; }
  set types(v) {
    this._typesGiven = typeList(v) !== null;
    this._loads += 1; // a load under way no longer decides
    this._setTypes(typeList(v));
    if (!this._typesGiven) this._load();
  }

  /** A PuffleClient; when set, submitting saves through it (create or update). */
  get client() { return this._client; }
  set client(v) { this._client = v ?? null; }

  /**
   * The URL of a signalkit proxy (also the `endpoint` attribute). Without `types`, the
   * caller's list is loaded from it; submitting saves through it unless a `client` is set.
   */
  get endpoint() { return this._endpoint; }
  set endpoint(v) {
    this._endpoint = v || null;
    if (!this._endpoint) this._status.set('remote', null);
    this._load();
  }

  /** The id of the type to edit, picked from `types` (also the `type-id` attribute); ignored while `type` is given. */
  get typeId() { return this._typeId; }
  set typeId(v) { this._typeId = v || null; this._pick(); }

  /** 'create' or 'edit'. */
  get mode() { return this._type ? 'edit' : 'create'; }

  /** The validation kind for the current mode. */
  get kind() { return this._type ? 'puffle.signalType.update' : 'puffle.signalType.create'; }

  /** The request body the form holds now (the whole type on create, the changes on edit). */
  get value() { return this._body(); }

  /** The issues of the last validation (engine and server), [{field, code, message}]. */
  get issues() { return [...this._issues, ...this._serverIssues]; }

  attributeChangedCallback(name) { this._config.attributeChanged(name); }

  connectedCallback() {
    document.addEventListener('signalkit-saved', this._onSaved);
    this._config.readAll();
    this.validate();
    this._load();
  }

  disconnectedCallback() { document.removeEventListener('signalkit-saved', this._onSaved); }

  // A setting from the page's HTML (undefined: no longer given).
  _configure(name, value) {
    if (name === 'type') this.type = value;
    else if (name === 'types') this.types = value;
    else if (name === 'type-id') this.typeId = value;
    else if (name === 'endpoint') this.endpoint = value;
    else if (name === 'credentials') this._credentials = value ?? 'same-origin';
    else { this._labels[name] = value; this._fillChrome(); } // heading, submit-label
  }

  _setTypes(list) {
    this._types = list;
    this._pick();
    this.validate();
  }

  // type-id: the type of that id from the list (unless the page gave the type itself).
  _pick() {
    if (this._typeGiven || !this._typeId) return;
    if (!this._types) return; // not loaded yet
    const found = this._types.find((t) => String(t?.id).toLowerCase() === this._typeId.toLowerCase()) ?? null;
    this._status.set('remote', found ? null : `None of your signal types has the id ${this._typeId} (type-id).`, { error: true });
    if (found !== this._type) this._show(found);
  }

  // The caller's list, through the endpoint (when no types were given).
  _load() { return loadTenantTypes(this); }

  // Another widget saved a type through the same endpoint: the list changed.
  _savedElsewhere(e) { if (savedThroughSameEndpoint(this, e)) this._load(); }

  _build() {
    const root = this._root;
    this._heading = h('h2', { id: 'heading' });
    this._controls = {};
    this._errors = {};
    this._hints = {};
    this._wraps = {};
    const form = h('form', {
      novalidate: true, 'aria-labelledby': 'heading',
      onSubmit: (e) => { e.preventDefault(); this.submit(); },
    });
    for (const [key, label, hint, control] of FIELDS) {
      const id = `f-${key}`;
      const errId = `e-${key}`;
      const hintId = `h-${key}`;
      const err = h('p', { class: 'error', id: errId, part: 'error' });
      this._errors[key] = err;
      if (control !== 'checkbox') this._hints[key] = h('p', { class: 'hint', id: hintId }, hint());
      const onInput = () => {
        this._touched.add(key);
        this._serverIssues = this._serverIssues.filter((i) => baseField(i.field) !== key);
        this._status.set('remote', null); // "Saved" or the server's error no longer describes the form
        // At once, not debounced (a check costs microseconds): the form must never show a
        // stale issue when the field loses focus, or the line appearing or vanishing on blur
        // moves the control under a fast user's click between mousedown and mouseup.
        this.validate();
      };
      const onBlur = () => { this._touched.add(key); this._render(); };
      let wrap;
      if (control === 'sources') {
        const boxes = SOURCES.map((s) => h('label', {}, h('input', { type: 'checkbox', name: 'sources', value: s, onChange: onInput }), SOURCE_LABELS[s]));
        this._controls[key] = h('fieldset', { id, 'aria-describedby': `${hintId} ${errId}` },
          h('legend', {}, label, ' ', h('span', { class: 'locked', id: 'sources-locked' })),
          h('div', { class: 'checks' }, boxes));
        wrap = h('div', { class: 'field', 'data-field': key }, this._controls[key], this._hints[key], err);
      } else if (control === 'checkbox') {
        this._controls[key] = h('input', { type: 'checkbox', id, onChange: onInput, 'aria-describedby': errId });
        wrap = h('div', { class: 'field', 'data-field': key }, h('div', { class: 'checks' }, h('label', { for: id }, this._controls[key], label)), err);
      } else {
        const tag = control === 'input' ? 'input' : 'textarea';
        this._controls[key] = h(tag, {
          id, name: key, type: tag === 'input' ? 'text' : undefined, autocomplete: 'off', spellcheck: control === 'lines' ? 'false' : undefined,
          rows: control === 'lines' ? 4 : 3, 'aria-describedby': `${hintId} ${errId}`, onInput, onBlur,
        });
        wrap = h('div', { class: 'field', 'data-field': key },
          h('label', { for: id }, label, ' ', h('span', { class: 'locked', id: `${key}-locked` })),
          this._controls[key], this._hints[key], err);
      }
      this._wraps[key] = wrap;
      form.append(wrap);
    }
    this._formError = h('p', { class: 'error', id: 'e-form', part: 'error' });
    // One polite live region: a screen reader hears the count of problems as they change.
    this._statusNode = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'status', part: 'status' });
    this._status = new StatusLine(this._statusNode);
    this._submitButton = h('button', { type: 'submit', part: 'submit' });
    this._cancelButton = h('button', { type: 'button', class: 'secondary', onClick: () => emit(this, 'signalkit-cancel', { mode: this.mode }) }, 'Cancel');
    form.append(this._formError, h('div', { class: 'actions' }, this._submitButton, this._cancelButton), this._statusNode);
    this._form = form;
    root.append(this._heading, form);
    this._fill();
  }

  _fillChrome() {
    const editing = Boolean(this._type);
    this._heading.textContent = this._labels.heading ?? (editing ? `Edit “${this._type.label ?? ''}”` : 'New signal type');
    this._submitButton.textContent = this._labels['submit-label'] ?? (editing ? 'Save changes' : 'Create type');
  }

  // Puts the current type (or the defaults of a new one) into the controls.
  _fill() {
    if (!this._controls) return;
    const t = this._type;
    const c = this._controls;
    c.name.value = t ? (t.label ?? '') : '';
    c.description.value = t ? (t.description ?? '') : '';
    c.keywords.value = t ? (t.keywords ?? []).join('\n') : '';
    c.disqualifiers.value = t ? (t.disqualifiers ?? []).join('\n') : '';
    c.search_instructions.value = t ? (t.search_instructions ?? '') : '';
    c.scoring_criteria.value = t ? (t.scoring_criteria ?? '') : '';
    const srcs = t ? t.sources : ['news'];
    for (const box of c.sources.querySelectorAll('input')) box.checked = srcs == null ? true : srcs.includes(box.value);
    c.enabled.checked = t ? t.enabled !== false : true;
    // Create takes no disqualifiers (the API adds them by PATCH): hide the field.
    this._wraps.disqualifiers.hidden = !t;
    // Built-in types keep their name and sources (the API refuses to change them): say so
    // instead of failing later.
    const locked = Boolean(t?.built_in);
    c.name.readOnly = locked;
    for (const box of c.sources.querySelectorAll('input')) box.disabled = locked;
    this._root.getElementById('name-locked').textContent = locked ? '(built-in: cannot be renamed)' : '';
    this._root.getElementById('sources-locked').textContent = locked ? '(built-in: cannot change)' : '';
    this._fillChrome();
  }

  _read(key) {
    const c = this._controls[key];
    if (key === 'sources') return [...c.querySelectorAll('input:checked')].map((b) => b.value);
    if (key === 'enabled') return c.checked;
    if (LINE_FIELDS.has(key)) return lines(c.value);
    return c.value;
  }

  _body() {
    const t = this._type;
    if (!t) {
      const body = {};
      for (const key of ['name', 'description', 'keywords', 'search_instructions', 'scoring_criteria', 'sources', 'enabled']) {
        const v = this._read(key);
        if (key === 'description' && v === '') continue; // the API's default
        body[key] = v;
      }
      return body;
    }
    // Edit: only the fields that differ from the type (PATCH changes only what is given).
    const patch = {};
    const was = {
      name: t.label ?? '', description: t.description ?? '', keywords: t.keywords ?? [], disqualifiers: t.disqualifiers ?? [],
      search_instructions: t.search_instructions ?? '', scoring_criteria: t.scoring_criteria ?? '',
      sources: t.sources, enabled: t.enabled !== false,
    };
    for (const key of Object.keys(was)) {
      const now = this._read(key);
      if (key === 'sources' && was.sources == null && now.length === SOURCES.length) continue; // null = all
      // A response may name sources Puffle added after this version (they have no checkbox
      // and no request may name them): unchanged checkboxes leave the type's sources alone.
      const before = key === 'sources' && Array.isArray(was.sources) ? was.sources.filter((s) => SOURCES.includes(s)) : was[key];
      if (Array.isArray(now) ? !sameList(now, before) : now !== before) patch[key] = now;
    }
    return patch;
  }

  _context() {
    const ctx = {};
    if (this._type) { ctx.params = { id: this._type.id }; ctx.type = this._type; }
    if (this._types) ctx.types = this._types;
    return ctx;
  }

  /**
   * Validates the form now with engine.validate(kind, body, context) and shows the
   * issues. Resolves to {valid, issues, body, json}. Fires `signalkit-validate`.
   */
  async validate() {
    if (!this._controls) return null;
    const engine = await engineOrReport(this, this._status);
    if (!engine) return { mode: this.mode, kind: this.kind, valid: false, issues: [], body: this._body(), json: undefined };
    this._showLimits(engine);
    const body = this._body();
    const result = engine.validate(this.kind, body, this._context());
    this._issues = result.issues;
    this._render();
    const detail = { mode: this.mode, kind: this.kind, valid: result.valid && this._serverIssues.length === 0, issues: this.issues, body, json: result.json };
    emit(this, 'signalkit-validate', detail);
    return detail;
  }

  // The hints state the limits of the current kind's request schema.
  _showLimits(engine) {
    if (this._hintsFor === this.kind) return;
    this._hintsFor = this.kind;
    const properties = engine.schema(this.kind)?.properties ?? {};
    for (const [key, , hint] of FIELDS) if (this._hints[key]) this._hints[key].textContent = hint(properties[key]);
  }

  _visible(issue) {
    const key = baseField(issue.field);
    if (this._submitted) return true;
    if (key === '') return issue.code !== 'empty_patch'; // "nothing changed yet" is not an error while editing
    return this._touched.has(key);
  }

  _render() {
    const byField = new Map();
    const shown = this.issues.filter((i) => this._visible(i));
    for (const issue of shown) {
      const key = FIELDS.some(([k]) => k === issue.field.replace(/[.[].*$/, '')) ? baseField(issue.field) : '';
      if (!byField.has(key)) byField.set(key, []);
      byField.get(key).push(issue);
    }
    for (const [key] of FIELDS) {
      const list = byField.get(key) ?? [];
      const ctl = this._controls[key];
      showLines(this._errors[key], list.map(describe));
      setAria(ctl, 'aria-invalid', list.length > 0);
    }
    showLines(this._formError, (byField.get('') ?? []).map((i) => i.message));
    const n = shown.length;
    const text = n === 0 ? (this._issues.length === 0 ? 'No problems found.' : '') : `${n} problem${n === 1 ? '' : 's'} to fix before saving.`;
    this._status.set('local', text, { error: n > 0 });
    this._submitButton.disabled = this._busy;
    this._form.setAttribute('aria-busy', String(this._busy));
  }

  /**
   * Shows issues from the server (e.g. a ValidationError's or ApiError's `fields`),
   * next to their fields, until the user edits that field.
   */
  setServerIssues(issues) {
    this._serverIssues = (issues ?? []).map((i) => ({ field: i.field ?? '', code: i.code ?? 'server', message: i.message ?? String(i) }));
    this._submitted = true;
    this._render();
  }

  /**
   * Submits: validates everything, focuses the first problem, or fires the cancelable
   * `signalkit-submit` {mode, kind, id, body, json}. If not cancelled, saves through `client`,
   * else through `endpoint` (when either is set), shows the outcome in the status line and
   * fires `signalkit-saved` {mode, type, endpoint?} or `signalkit-error` {mode, error}.
   * After a create the form starts a new type; after an edit it shows the saved version.
   */
  async submit() {
    this._submitted = true;
    const r = await this.validate();
    if (!r.valid) {
      emit(this, 'signalkit-invalid', { mode: this.mode, issues: r.issues });
      this._focusFirstError();
      return null;
    }
    const id = this._type?.id ?? null;
    const go = emit(this, 'signalkit-submit', { mode: this.mode, kind: this.kind, id, body: r.body, json: r.json }, true);
    const save = go ? this._saver(r) : null;
    if (!save) return null;
    const mode = this.mode;
    const before = this._type;
    this._busy = true;
    this._status.set('remote', mode === 'edit' ? 'Saving…' : 'Creating…');
    this._render();
    try {
      const saved = await save();
      this._busy = false;
      if (this._types) {
        const at = this._types.findIndex((t) => t?.id === saved.id);
        this._types = at < 0 ? [...this._types, saved] : this._types.map((t, i) => (i === at ? saved : t));
      }
      if (mode === 'edit' && this._type === before) this._show(saved);
      else if (mode === 'create') this._show(null);
      this._status.set('remote', h('span', { class: 'saved' }, mode === 'edit' ? `Saved “${saved.label}”.` : `Created “${saved.label}”.`));
      const via = this._client ? {} : { endpoint: new URL(this._endpoint, document.baseURI).href };
      emit(this, 'signalkit-saved', { mode, type: saved, ...via });
      return saved;
    } catch (error) {
      this._busy = false;
      const fields = Array.isArray(error?.fields) && error.fields.length ? error.fields : [{ field: '', code: error?.code ?? 'error', message: error?.message ?? String(error) }];
      this._status.set('remote', `Not saved: ${error?.message ?? error}`, { error: true });
      this.setServerIssues(fields);
      emit(this, 'signalkit-error', { mode, error });
      this._focusFirstError();
      return null;
    }
  }

  // How a submit saves: through the client, else the endpoint, else not at all (the page
  // handles signalkit-submit itself). The endpoint gets the exact JSON text validated here.
  _saver(r) {
    const type = this._type;
    if (this._client) return () => (type ? this._client.signalTypes.update(type, r.body) : this._client.signalTypes.create(r.body));
    if (!this._endpoint) return null;
    return () => callEndpoint(this._endpoint, type ? 'puffle.signalType.update' : 'puffle.signalType.create', {
      params: type ? { id: type.id } : undefined, body: r.json, credentials: this._credentials,
    });
  }

  _focusFirstError() {
    for (const [key] of FIELDS) {
      const ctl = this._controls[key];
      if (ctl.getAttribute('aria-invalid') === 'true') {
        (key === 'sources' ? ctl.querySelector('input:not(:disabled)') ?? ctl : ctl).focus();
        return;
      }
    }
  }

  /** Clears the form back to the type (or to a blank new type). */
  reset() { this._show(this._type); }
}

function describe(issue) {
  const i = firstIndex(issue.field);
  // keywords[3] is line 4 of the textarea: say so, the user sees lines, not indexes.
  if (i >= 0 && LINE_FIELDS.has(baseField(issue.field))) return `Line ${i + 1}: ${issue.message}`;
  return issue.message;
}

if (!customElements.get('signalkit-type-editor')) customElements.define('signalkit-type-editor', SignalkitTypeEditor);
