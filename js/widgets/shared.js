// Shared plumbing of the signalkit web components: where the engine comes from, a tiny
// DOM builder (text goes in as text nodes, never as HTML, so pasted content cannot inject
// markup), events, and the common theme.

let defaultEngine = null;

/**
 * Sets the engine every widget uses unless it has its own `engine` property: an engine
 * object or a promise of one (e.g. `loadEngine({locateFile})` when the .wasm lives
 * elsewhere). Without it, the widgets call the package's `loadEngine()` on first use.
 */
export function setDefaultEngine(engineOrPromise) {
  defaultEngine = Promise.resolve(engineOrPromise);
}

/** The engine for one widget: its own `engine` property, else the shared default. */
export function engineFor(el) {
  if (el._engine) return Promise.resolve(el._engine);
  if (!defaultEngine) defaultEngine = import('../load.js').then((m) => m.loadEngine());
  return defaultEngine;
}

/**
 * The engine, or null after showing why it could not be loaded in the widget's status line
 * (a wrong .wasm URL, a CSP without 'wasm-unsafe-eval'): a widget degrades to a message, it
 * does not throw from an input handler.
 */
export async function engineOrReport(el, status) {
  try {
    const engine = await engineFor(el);
    status.set('engine', null);
    return engine;
  } catch (err) {
    status.set('engine', `The signalkit engine could not be loaded: ${err?.message ?? err}`, { error: true });
    return null;
  }
}

// What a status line shows, most important first: the page's configuration is wrong, the
// engine is missing, the endpoint is loading, saved or failed, then the widget's own summary.
const STATUS_SLOTS = ['config', 'engine', 'remote', 'local'];

/**
 * A widget's one polite live region. Each source of messages writes its own slot; the line
 * shows the most important one, and is only rewritten when its text changes (a screen reader
 * hears each new message once).
 */
export class StatusLine {
  constructor(node) {
    this.node = node;
    this.slots = new Map();
  }

  /** Sets a slot's content (text, nodes, or null to clear it); `error` marks it as a problem. */
  set(slot, content, { error = false } = {}) {
    if (!STATUS_SLOTS.includes(slot)) throw new TypeError(`unknown status slot ${slot}`);
    if (content === null || content === undefined || content === '') this.slots.delete(slot);
    else this.slots.set(slot, { content, error });
    this.render();
  }

  /** The content of a slot, or undefined. */
  get(slot) {
    return this.slots.get(slot)?.content;
  }

  render() {
    const shown = STATUS_SLOTS.map((s) => this.slots.get(s)).find(Boolean);
    const next = h('span', {}, shown?.content ?? '');
    if (next.textContent !== this.node.textContent) replace(this.node, ...next.childNodes);
    this.node.classList.toggle('has-errors', Boolean(shown?.error));
  }
}

/**
 * h('input', {id: 'x', type: 'text', onInput: fn}, ...children): an element. Attributes
 * starting with `on` become listeners; `false`/null/undefined attributes are left out;
 * children are nodes or strings (text nodes).
 */
export function h(tag, attrs = {}, ...children) {
  const el = tag.includes(':') || tag === 'svg' || SVG_TAGS.has(tag)
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.replace(/^svg:/, ''))
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === 'value' && 'value' in el && !(el instanceof SVGElement)) el.value = v;
    else if (k === 'checked') el.checked = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

const SVG_TAGS = new Set(['rect', 'text', 'g', 'line', 'title']);

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/**
 * Shows messages as lines of `el`, rewriting it only when they changed: re-inserting the
 * same text on every keystroke would be announced again and can make the browser's scroll
 * anchoring jump the page under the pointer.
 */
export function showLines(el, lines) {
  const key = lines.join('\n');
  if (el.dataset.lines === key) return;
  el.dataset.lines = key;
  replace(el, lines.map((line, n) => [n ? h('br') : null, line]));
}

/** Sets or removes a boolean ARIA state, touching the DOM only on a change. */
export function setAria(el, name, on) {
  if (on && el.getAttribute(name) !== 'true') el.setAttribute(name, 'true');
  else if (!on && el.hasAttribute(name)) el.removeAttribute(name);
}

/** Dispatches a bubbling, composed CustomEvent; returns false if a listener cancelled it. */
export function emit(el, name, detail, cancelable = false) {
  return el.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }));
}

/**
 * The base `field` of an issue path: `keywords[3]` -> `keywords`,
 * `qualificationCriteria.ranges[1].rangeEnd` -> `qualificationCriteria`.
 */
export function baseField(path) {
  const m = /^[^.[]*/.exec(path ?? '');
  return m ? m[0] : '';
}

/** The first array index in an issue path (`keywords[3]` -> 3), or -1. */
export function firstIndex(path) {
  const m = /\[(\d+)\]/.exec(path ?? '');
  return m ? Number(m[1]) : -1;
}

let sheet = null;
/**
 * The shared theme. Every colour, radius and font comes from a CSS custom property with
 * a default, so a page themes the widgets from outside the shadow root:
 *   signalkit-type-editor { --sk-accent: #7c3aed; --sk-radius: 0; }
 * Constructable stylesheets (adoptedStyleSheets) need no `style-src 'unsafe-inline'`.
 */
export function baseSheet() {
  if (sheet) return sheet;
  sheet = new CSSStyleSheet();
  sheet.replaceSync(`
:host {
  display: block;
  font: var(--sk-font-size, 0.95rem)/1.45 var(--sk-font, system-ui, -apple-system, "Segoe UI", sans-serif);
  color: var(--sk-color, #1f2330);
  background: var(--sk-bg, #ffffff);
  border: 1px solid var(--sk-border, #d5d9e2);
  border-radius: var(--sk-radius, 10px);
  padding: var(--sk-padding, 1rem 1.1rem);
  box-sizing: border-box;
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
h2, h3 { margin: 0 0 .6rem; font-size: 1.05rem; }
label, legend { display: block; font-weight: 600; margin: 0 0 .25rem; }
fieldset { border: 0; padding: 0; margin: 0; min-width: 0; }
.field { margin: 0 0 .85rem; }
.hint { color: var(--sk-muted, #5d6475); font-size: .85em; margin: .15rem 0 0; }
input[type=text], input[type=number], textarea, select {
  width: 100%; font: inherit; color: inherit;
  background: var(--sk-input-bg, #fff);
  border: 1px solid var(--sk-border, #c4cad6); border-radius: calc(var(--sk-radius, 10px) * .6);
  padding: .4rem .55rem;
}
textarea { min-height: 4.2rem; resize: vertical; }
input:focus-visible, textarea:focus-visible, select:focus-visible, button:focus-visible {
  outline: 3px solid var(--sk-focus, #7aa7ff); outline-offset: 1px;
}
[aria-invalid=true] { border-color: var(--sk-error, #c62828); background: var(--sk-error-bg, #fff6f6); }
.error { color: var(--sk-error, #c62828); font-size: .88em; margin: .2rem 0 0; }
.error:empty { display: none; }
.ok { color: var(--sk-ok, #1b7f3b); }
.saved { color: var(--sk-ok, #1b7f3b); font-weight: 600; }
button {
  font: inherit; cursor: pointer; border-radius: calc(var(--sk-radius, 10px) * .6);
  border: 1px solid var(--sk-accent, #2f5bea); background: var(--sk-accent, #2f5bea);
  color: var(--sk-accent-contrast, #fff); padding: .4rem .9rem;
}
button.secondary { background: transparent; color: var(--sk-accent, #2f5bea); }
button:disabled { opacity: .55; cursor: not-allowed; }
.row { display: flex; gap: var(--sk-gap, .6rem); align-items: flex-end; flex-wrap: wrap; }
.row > * { flex: 1 1 8rem; }
.checks { display: flex; flex-wrap: wrap; gap: .3rem 1rem; }
.checks label { font-weight: 400; display: inline-flex; gap: .3rem; align-items: center; margin: 0; }
.status { min-height: 1.2em; font-size: .9em; margin: .5rem 0 0; }
.status.has-errors { color: var(--sk-error, #c62828); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
mark.kw { background: var(--sk-mark-keyword, #ffe38a); color: inherit; border-radius: 3px; padding: 0 1px; }
mark.dq { background: var(--sk-mark-disqualifier, #ffc2c2); color: inherit; text-decoration: line-through; border-radius: 3px; padding: 0 1px; }
.chip { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .82em; margin: 0 .25rem .25rem 0;
  background: var(--sk-chip-bg, #eef1f7); }
.chip.kw { background: var(--sk-mark-keyword, #ffe38a); }
.chip.dq { background: var(--sk-mark-disqualifier, #ffc2c2); }
table { border-collapse: collapse; width: 100%; font-size: .92em; }
th, td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid var(--sk-border, #e3e6ee); vertical-align: top; }
.q-disqualified { color: var(--sk-q-disqualified, #b71c1c); font-weight: 600; }
.q-poor { color: var(--sk-q-poor, #c56a00); font-weight: 600; }
.q-neutral { color: var(--sk-q-neutral, #5d6475); font-weight: 600; }
.q-good { color: var(--sk-q-good, #2e7d32); font-weight: 600; }
.q-excellent { color: var(--sk-q-excellent, #1b5e20); font-weight: 700; }
`);
  return sheet;
}

/** Attaches an open shadow root with the theme (plus an optional widget sheet). */
export function shadow(el, css) {
  const root = el.attachShadow({ mode: 'open', delegatesFocus: false });
  const sheets = [baseSheet()];
  if (css) {
    const s = new CSSStyleSheet();
    s.replaceSync(css);
    sheets.push(s);
  }
  root.adoptedStyleSheets = sheets;
  return root;
}

/**
 * The bounds a request schema puts on a string or an array, in words: "1–100 characters",
 * "at most 500 characters", "1–50", "at least one"; '' when it sets none (or is unknown).
 * Hints built from engine.schema(kind) this way never disagree with the validation.
 */
export function bounds(property, unit = '') {
  const min = property?.minLength ?? property?.minItems;
  const max = property?.maxLength ?? property?.maxItems;
  const u = unit ? ` ${unit}` : '';
  if (min > 0 && max !== undefined) return `${min}–${max}${u}`;
  if (max !== undefined) return `at most ${max}${u}`;
  if (min > 0) return `at least ${min === 1 ? 'one' : min}${u}`;
  return '';
}

/** Non-empty parts joined with commas, capitalised, with a full stop: a hint sentence. */
export function sentence(...parts) {
  const text = parts.filter(Boolean).join(', ');
  return text ? `${text[0].toUpperCase()}${text.slice(1)}.` : '';
}

/** Runs `fn` at most once per animation-free `ms` window, trailing call kept. */
export function debounce(fn, ms) {
  let t = null;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

let uid = 0;
/** A page-unique id prefix (ids inside a shadow root only need to be unique there). */
export function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}
