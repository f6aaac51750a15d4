// <signalkit-keyword-preview>: paste text, see which signal types match it, with their
// keywords and disqualifiers highlighted. Uses engine.compileMatcher (README, "Keyword
// matching"): the types are compiled once per change of `types` and the text is matched as
// the user types. The types come from the `types` attribute or property, or, with an
// `endpoint` (a signalkit proxy), from the tenant's own list.
import { SOURCE_IDS as SOURCES } from '../vendors/puffle.js';
import { checks, HtmlConfig } from './config.js';
import { loadTenantTypes, savedThroughSameEndpoint } from './endpoint.js';
import { debounce, emit, engineOrReport, h, replace, shadow, StatusLine } from './shared.js';

const MAX_ROUNDS = 400; // occurrences highlighted per document (the matcher reports the first of each keyword)

// Everything a page can set without code (attributes, or keys of a child JSON script).
const SETTINGS = {
  types: {
    json: true,
    check: (v) => (Array.isArray(v) || Array.isArray(v?.signal_types) ? null
      : 'must be a JSON array of signal types, or {"signal_types": [...]} as the API answers.'),
  },
  text: {},
  source: { check: checks.oneOf(SOURCES) },
  heading: {},
  endpoint: { check: checks.endpoint },
  credentials: { check: checks.credentials },
};

const STYLES = `
.types { display: flex; flex-wrap: wrap; gap: .4rem; margin: .6rem 0; padding: 0; list-style: none; }
.types button { background: var(--sk-chip-bg, #eef1f7); color: inherit; border-color: var(--sk-border, #c4cad6); padding: .25rem .7rem; }
.types button[aria-pressed=true] { background: var(--sk-accent, #2f5bea); color: var(--sk-accent-contrast, #fff); border-color: var(--sk-accent, #2f5bea); }
.types .verdict { font-size: .8em; margin-left: .35rem; opacity: .9; }
.doc { white-space: pre-wrap; word-break: break-word; border: 1px dashed var(--sk-border, #c4cad6); border-radius: 6px;
  padding: .6rem .7rem; min-height: 3rem; background: var(--sk-doc-bg, #fbfcfe); }
.summary { margin: .5rem 0 0; }
.legend { font-size: .82em; color: var(--sk-muted, #5d6475); margin: .3rem 0 0; }
`;

export class SignalkitKeywordPreview extends HTMLElement {
  static get observedAttributes() { return HtmlConfig.names(SETTINGS); }

  constructor() {
    super();
    this._engine = null;
    this._types = [];
    this._typesGiven = false; // types came from the page (attribute or property), not the endpoint
    this._endpoint = null;
    this._credentials = 'same-origin';
    this._loads = 0;          // the latest load from the endpoint; older answers are dropped
    this._matcher = null;
    this._matcherFor = null;
    this._result = null;
    this._selected = null; // index of the type whose matches are highlighted; null = all
    this._root = shadow(this, STYLES);
    this._runSoon = debounce(() => this.run(), 50);
    this._build();
    this._onSaved = (e) => this._savedElsewhere(e);
    this._config = new HtmlConfig(this, SETTINGS, (name, value) => this._configure(name, value),
      (errors) => this._status.set('config', errors.join(' '), { error: true }));
  }

  get engine() { return this._engine; }
  set engine(v) { this._engine = v; this._recompile(); }

  /**
   * Signal types to match (as the API returns them, or `{signal_types}`). null/undefined:
   * none given, so with an `endpoint` the widget loads the tenant's types.
   */
  get types() { return this._types; }
  set types(v) {
    this._typesGiven = v !== null && v !== undefined;
    this._loads += 1; // a load under way no longer decides
    if (this._typesGiven) this._setTypes(v);
    else { this._setTypes([]); this._load(); }
  }

  /** The URL of a signalkit proxy (also the `endpoint` attribute): without `types`, the tenant's types are loaded from it. */
  get endpoint() { return this._endpoint; }
  set endpoint(v) {
    this._endpoint = v || null;
    if (!this._endpoint) this._status.set('remote', null);
    this._load();
  }

  /** The text in the box. */
  get text() { return this._text.value; }
  set text(v) { this._text.value = v ?? ''; this.run(); }

  /** The document source (`news`, `reddit`, …): types restricted to other sources do not apply. */
  get source() { return this._source.value; }
  set source(v) { this._source.value = v; this.run(); }

  /** The last result of matcher.match() for the text, or null. */
  get result() { return this._result; }

  attributeChangedCallback(name) { this._config.attributeChanged(name); }

  connectedCallback() {
    document.addEventListener('signalkit-saved', this._onSaved);
    this._config.readAll();
    this._recompile();
    this._load();
  }

  disconnectedCallback() {
    document.removeEventListener('signalkit-saved', this._onSaved);
    this._matcher?.close();
    this._matcher = null;
    this._matcherFor = null;
  }

  // A setting from the page's HTML (undefined: no longer given).
  _configure(name, value) {
    if (name === 'types') this.types = value;
    else if (name === 'text') this.text = value ?? '';
    else if (name === 'source') this.source = value ?? 'news';
    else if (name === 'heading') this._heading.textContent = value ?? 'Keyword preview';
    else if (name === 'endpoint') this.endpoint = value;
    else if (name === 'credentials') this._credentials = value ?? 'same-origin';
  }

  _setTypes(v) {
    this._types = Array.isArray(v) ? v : Array.isArray(v?.signal_types) ? v.signal_types : [];
    this._recompile();
  }

  // The tenant's types, through the endpoint (when no types were given).
  _load() { return loadTenantTypes(this); }

  // Another widget saved a type through the same endpoint: the tenant's list changed.
  _savedElsewhere(e) { if (savedThroughSameEndpoint(this, e)) this._load(); }

  _build() {
    this._heading = h('h2', { id: 'heading' }, 'Keyword preview');
    this._source = h('select', { id: 'source', onChange: () => this.run() },
      SOURCES.map((s) => h('option', { value: s }, s)));
    this._source.value = 'news';
    this._text = h('textarea', {
      id: 'text', rows: 6, spellcheck: 'false', 'aria-describedby': 'text-hint',
      placeholder: 'Paste a news article, a post or a job ad…', onInput: () => this._runSoon(),
    });
    this._typeList = h('ul', { class: 'types', 'aria-label': 'Matching signal types' });
    this._doc = h('div', { class: 'doc', id: 'doc', part: 'document', 'aria-label': 'Text with highlighted matches', role: 'region' });
    this._statusNode = h('p', { class: 'status summary', role: 'status', 'aria-live': 'polite', id: 'status', part: 'status' });
    this._status = new StatusLine(this._statusNode);
    this._root.append(
      this._heading,
      h('div', { class: 'row' },
        h('div', { class: 'field' }, h('label', { for: 'source' }, 'Source'), this._source)),
      h('div', { class: 'field' }, h('label', { for: 'text' }, 'Text'), this._text,
        h('p', { class: 'hint', id: 'text-hint' }, 'Matching runs in your browser as you type; nothing is sent anywhere.')),
      this._statusNode,
      this._typeList,
      this._doc,
      h('p', { class: 'legend' }, h('mark', { class: 'kw' }, 'keyword'), ' matched · ', h('mark', { class: 'dq' }, 'disqualifier'), ' rules the type out'),
    );
  }

  async _recompile() {
    if (!this.isConnected) return;
    const engine = await engineOrReport(this, this._status);
    if (!engine) return;
    const types = this._types;
    this._matcher?.close();
    this._matcher = null;
    try {
      this._matcher = engine.compileMatcher(types);
      this._matcherFor = types;
      this._compileError = null;
    } catch (err) {
      this._compileError = err;
    }
    this.run();
  }

  /** Matches the text now; resolves to the result (also fired as `signalkit-match`). */
  async run() {
    if (!this._matcher) {
      if (this._compileError) this._status.set('local', `These types cannot be matched: ${this._compileError.message}`, { error: true });
      return null;
    }
    const text = this._text.value;
    const doc = { source: this._source.value, text };
    const result = this._matcher.match(doc);
    this._result = result;
    this._hits = text ? this._allHits(doc, result) : [];
    if (this._selected !== null && !result.types.some((t) => t.index === this._selected)) this._selected = null;
    this._render(doc, result);
    emit(this, 'signalkit-match', { doc, result });
    return result;
  }

  // Every occurrence, not only the first per keyword: match again after each earliest hit
  // (a match ends on a word boundary, so the rest of the text is matched as it stands).
  _allHits(doc, first) {
    const hits = [];
    const seen = new Set();
    let pos = 0;
    let r = first;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let nextEnd = Infinity;
      for (const t of r.types) {
        const add = (kind, k) => {
          if (k.field !== 'text') return;
          const start = pos + k.start;
          const end = pos + k.end;
          const key = `${t.index}:${kind}:${start}:${end}`;
          if (!seen.has(key)) { seen.add(key); hits.push({ type: t.index, kind, keyword: k.keyword, start, end }); }
          nextEnd = Math.min(nextEnd, end);
        };
        for (const k of t.keywords) add('kw', k);
        if (t.disqualifiedBy) add('dq', t.disqualifiedBy);
      }
      if (!Number.isFinite(nextEnd) || nextEnd <= pos || nextEnd >= doc.text.length) break;
      pos = nextEnd;
      r = this._matcher.match({ source: doc.source, text: doc.text.slice(pos) });
    }
    return hits;
  }

  _render(doc, result) {
    const matched = result.types.filter((t) => t.matched);
    const ruledOut = result.types.filter((t) => t.disqualifiedBy);
    const n = this._types.length;
    if (!n) this._status.set('local', 'No signal types to match: give them in the types attribute, or an endpoint to load yours from.');
    else if (!doc.text) this._status.set('local', `${n} signal type${n === 1 ? '' : 's'} ready. Paste some text.`);
    else {
      this._status.set('local', `${matched.length
        ? `${matched.length} type${matched.length === 1 ? '' : 's'} matched: ${matched.map((t) => t.label).join(', ')}.`
        : 'No type matched.'}${
        ruledOut.length ? ` Ruled out by a disqualifier: ${ruledOut.map((t) => `${t.label} (“${t.disqualifiedBy.keyword}”)`).join(', ')}.` : ''}`);
    }
    replace(this._typeList, result.types.map((t) => h('li', {},
      h('button', {
        type: 'button', 'aria-pressed': String(this._selected === t.index), 'data-type': t.label ?? '',
        onClick: () => { this._selected = this._selected === t.index ? null : t.index; this._render(doc, result); },
      }, t.label ?? `type ${t.index + 1}`,
      h('span', { class: 'verdict' }, t.matched ? `✓ ${t.keywords.map((k) => k.keyword).join(', ')}` : t.disqualifiedBy ? `✗ ${t.disqualifiedBy.keyword}` : '')))));
    this._renderDoc(doc.text);
  }

  _renderDoc(text) {
    const sel = this._selected;
    const hits = this._hits.filter((x) => sel === null || x.type === sel)
      .sort((a, b) => a.start - b.start || b.end - a.end);
    const out = [];
    let at = 0;
    for (const x of hits) {
      if (x.start < at) continue; // overlapping hits (two types, one phrase): the first wins
      if (x.start > at) out.push(text.slice(at, x.start));
      out.push(h('mark', { class: x.kind, title: `${x.kind === 'kw' ? 'keyword' : 'disqualifier'} “${x.keyword}”` }, text.slice(x.start, x.end)));
      at = x.end;
    }
    out.push(text.slice(at));
    replace(this._doc, out);
  }
}

if (!customElements.get('signalkit-keyword-preview')) customElements.define('signalkit-keyword-preview', SignalkitKeywordPreview);
