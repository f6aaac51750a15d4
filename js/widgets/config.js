// Configuration from HTML alone, for pages built without code (WordPress, Webflow, Bubble,
// Retool): every input of a widget is an attribute (JSON for lists and objects), or a key of
// one child <script type="application/json"> holding an object with the attributes' names
// (for JSON too long for an attribute). An attribute wins over the same key in the script.
// Changes to either apply at once. A value that is not valid JSON, or not of the right
// shape, is reported in the widget's status line with the reason; the widget keeps the last
// good value meanwhile (a builder typing JSON passes through invalid states).
import { closest } from '../util/options.js';

const SCRIPT = ':scope > script[type="application/json"]';

/**
 * Reads and watches one element's configuration.
 * `spec`: `{[attributeName]: {json?: true, check?: (value) => string|null}}` (`check` returns
 * why a value is wrong, in words). `apply(name, value)` receives each effective value when it
 * changes (`undefined` when it is no longer given); `report(messages)` the current problems.
 */
export class HtmlConfig {
  constructor(el, spec, apply, report) {
    this.el = el;
    this.spec = spec;
    this.apply = apply;
    this.report = report;
    // name -> the raw text last applied or refused; null: not given (the widget's default)
    this.seen = new Map(Object.keys(spec).map((name) => [name, null]));
    this.errors = new Map();     // name (or 'script') -> message
    this.script = { text: null, values: {} };
    this.observer = new MutationObserver(() => this.readScript());
    this.observer.observe(el, { childList: true, subtree: true, characterData: true });
  }

  /** The attribute names a widget observes. */
  static names(spec) {
    return Object.keys(spec);
  }

  /** Re-reads every name (the element was connected, or something may have changed). */
  readAll() {
    this.readScript(true);
  }

  /** An observed attribute changed. */
  attributeChanged(name) {
    if (name in this.spec) this.read(name);
    this.publish();
  }

  readScript(force = false) {
    const node = this.el.querySelector(SCRIPT);
    const text = node ? node.textContent : null;
    if (!force && text === this.script.text) return;
    this.script.text = text;
    this.script.values = {};
    this.errors.delete('script');
    if (text !== null && text.trim() !== '') {
      const parsed = parseJson(text);
      if (parsed.error) this.errors.set('script', `The <script type="application/json"> inside the element is not valid JSON: ${parsed.error}`);
      else if (!isObject(parsed.value)) this.errors.set('script', 'The <script type="application/json"> inside the element must hold a JSON object whose keys are attribute names.');
      else {
        const unknown = Object.keys(parsed.value).filter((k) => !(k in this.spec));
        if (unknown.length) {
          const near = closest(unknown[0], Object.keys(this.spec));
          this.errors.set('script', `The <script type="application/json"> names "${unknown[0]}", which is not a setting of <${this.el.localName}>`
            + `${near ? ` (did you mean "${near}"?)` : ''}; settings: ${Object.keys(this.spec).join(', ')}.`);
        }
        this.script.values = parsed.value;
      }
    }
    for (const name of Object.keys(this.spec)) this.read(name);
    this.publish();
  }

  // The effective value of one setting: its attribute, else the script's key.
  read(name) {
    const { json = false, check } = this.spec[name];
    const fromAttribute = this.el.hasAttribute(name);
    let raw;
    let value;
    if (fromAttribute) {
      raw = `a:${this.el.getAttribute(name)}`;
    } else if (Object.hasOwn(this.script.values, name)) {
      value = this.script.values[name];
      raw = `s:${JSON.stringify(value)}`;
    } else {
      raw = null;
    }
    if (raw === this.seen.get(name)) return;
    this.seen.set(name, raw);
    this.errors.delete(name);
    if (fromAttribute) {
      const text = this.el.getAttribute(name);
      if (json) {
        const parsed = parseJson(text);
        if (parsed.error) {
          this.errors.set(name, `The ${name} attribute is not valid JSON: ${parsed.error}`);
          return;
        }
        value = parsed.value;
      } else {
        value = text;
      }
    } else if (raw !== null && !json && typeof value !== 'string') {
      this.errors.set(name, `"${name}" in the <script type="application/json"> must be a string.`);
      return;
    }
    const problem = raw === null ? null : check?.(value);
    if (problem) {
      this.errors.set(name, `${fromAttribute ? `The ${name} attribute` : `"${name}" in the <script type="application/json">`} ${problem}`);
      return;
    }
    this.apply(name, raw === null ? undefined : value);
  }

  publish() {
    this.report([...this.errors.values()]);
  }
}

/** `{value}` or `{error}` with the parser's reason (and where). */
function parseJson(text) {
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { error: err.message };
  }
}

export function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Checks shared by the widgets' specs: each returns why a value is wrong, or null. */
export const checks = {
  endpoint(value) {
    let url = null;
    try {
      url = new URL(value, document.baseURI);
    } catch {
      url = null;
    }
    return url && (url.protocol === 'https:' || url.protocol === 'http:')
      ? null
      : `must be the URL of a signalkit proxy, such as https://my-server.example/signalkit; it is ${JSON.stringify(value.slice(0, 100))}.`;
  },
  credentials(value) {
    return ['omit', 'same-origin', 'include'].includes(value) ? null : `must be omit, same-origin or include; it is ${JSON.stringify(value.slice(0, 40))}.`;
  },
  oneOf(list) {
    return (value) => (list.includes(value) ? null : `must be one of ${list.join(', ')}; it is ${JSON.stringify(String(value).slice(0, 40))}.`);
  },
};
