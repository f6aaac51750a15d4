// Keeping an API key out of what a server sends back. Servers (and proxies in front of them)
// echo request headers in error bodies and response headers, and not always literally: JSON
// escapes (\u0070\u006b…), percent-encoding, HTML character references, another case, a
// cut-off copy, or base64 of the Authorization value. Everything the client shows of a
// response (errors, their bodies, hook payloads, log lines) goes through `KeyRedactor`.
//
// What counts as revealing: any run of at least `WINDOW` characters of the key's secret
// part (everything the vendor's masked form does not show), in any of those encodings and
// in any case; the masked form's visible prefix followed by even one more character of the
// key; and any `WINDOW` characters of base64 that encode only secret bytes (in each of the
// three alignments, standard or URL-safe). Such a run is replaced by the tail of the masked
// form (`…` for Puffle keys, `***` for Saber keys), so the full key reads as its masked form.

// Shorter runs of a random secret turn up by chance (8 hex digits: once in 4 billion).
const WINDOW = 8;

const hexValue = (c) => (c >= 48 && c <= 57 ? c - 48 : (c | 32) >= 97 && (c | 32) <= 102 ? (c | 32) - 87 : -1);
const JSON_ESCAPES = { 34: 34, 92: 92, 47: 47, 98: 8, 102: 12, 110: 10, 114: 13, 116: 9 };
const lower = (c) => (c >= 65 && c <= 90 ? c + 32 : c);
const utf16 = new TextDecoder('utf-16le');

// `text` as the characters it stands for, lower-cased: JSON and \x escapes, %XX and HTML
// character references decoded, each with the span of `text` it came from.
function decoded(text) {
  const n = text.length;
  const chars = new Uint16Array(n);
  const starts = new Uint32Array(n + 1);
  let k = 0;
  let i = 0;
  const hex = (at, count) => {
    if (at + count > n) return -1;
    let v = 0;
    for (let j = at; j < at + count; j++) {
      const h = hexValue(text.charCodeAt(j));
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    return v;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    let ch = c;
    let len = 1;
    if (c === 92 && i + 1 < n) { // backslash
      const e = text.charCodeAt(i + 1);
      let v;
      if (e === 117 && (v = hex(i + 2, 4)) >= 0) { ch = v; len = 6; } // \uXXXX
      else if (e === 120 && (v = hex(i + 2, 2)) >= 0) { ch = v; len = 4; } // \xXX
      else if (JSON_ESCAPES[e] !== undefined) { ch = JSON_ESCAPES[e]; len = 2; }
    } else if (c === 37) { // %XX
      const v = hex(i + 1, 2);
      if (v >= 0) { ch = v; len = 3; }
    } else if (c === 38 && text.charCodeAt(i + 1) === 35) { // &#NNN; or &#xHH;
      const semi = text.indexOf(';', i + 2);
      if (semi > i + 2 && semi - i <= 10) {
        const body = text.slice(i + 2, semi);
        const v = /^[xX][0-9a-fA-F]+$/.test(body) ? parseInt(body.slice(1), 16) : /^\d+$/.test(body) ? Number(body) : -1;
        if (v >= 0 && v <= 0xffff) { ch = v; len = semi + 1 - i; }
      }
    }
    chars[k] = lower(ch);
    starts[k++] = i;
    i += len;
  }
  starts[k] = n;
  return { chars: chars.subarray(0, k), starts };
}

// `text` itself, lower-cased, each character its own span.
function literal(text) {
  const n = text.length;
  const chars = new Uint16Array(n);
  const starts = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    chars[i] = lower(text.charCodeAt(i));
    starts[i] = i;
  }
  starts[n] = n;
  return { chars, starts };
}

// A rolling hash of `count` characters from `at` (base 31, 32 bits).
function hashOf(chars, at, count) {
  let h = 0;
  for (let j = at; j < at + count; j++) h = (Math.imul(h, 31) + chars[j]) | 0;
  return h;
}

const codes = (s) => Uint16Array.from(s, (c) => lower(c.charCodeAt(0)));

// The base64 characters (standard and URL-safe) that encode only bytes of `secret`, when
// it follows `before` bytes, for each of the three alignments.
function base64Runs(before, secret) {
  const runs = [];
  for (let pad = 0; pad < 3; pad++) {
    const bytes = '\0'.repeat(pad) + before + secret;
    const b64 = btoa(bytes);
    const from = Math.ceil((pad + before.length) / 3) * 4; // first group of secret bytes only
    const to = Math.floor(bytes.length / 3) * 4; // last complete group
    if (to - from >= WINDOW) {
      const run = b64.slice(from, to);
      runs.push(run, run.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return runs;
}

export class KeyRedactor {
  #key;
  #visible;
  #tail;
  #prefix;
  #grams = new Map(); // hash -> [needle codes]
  #window;

  /**
   * @param key     the API key
   * @param masked  its masked form (js/vendors/: `pk_live_<16 hex>…`, `sk_live_***`): its
   *                visible part may be shown, the rest of the key never
   */
  constructor(key, masked) {
    const shown = masked.replace(/[…*]+$/, '');
    this.#visible = key.startsWith(shown) ? shown.length : 0;
    this.#tail = masked.slice(this.#visible) || '…';
    this.#key = codes(key);
    this.#prefix = key.slice(0, this.#visible + 1).toLowerCase();
    const secret = key.slice(this.#visible);
    this.#window = Math.min(WINDOW, secret.length);
    const runs = [secret, ...(secret.length >= WINDOW ? base64Runs(key.slice(0, this.#visible), secret) : [])];
    for (const run of runs) {
      const c = codes(run);
      for (let at = 0; at + this.#window <= c.length; at++) {
        const gram = c.subarray(at, at + this.#window);
        const h = hashOf(gram, 0, gram.length);
        const list = this.#grams.get(h);
        if (list) list.push(gram); else this.#grams.set(h, [gram]);
      }
    }
  }

  /** `text` with every revealing run of the key replaced; `text` itself when there is none. */
  redact(text) {
    if (typeof text !== 'string' || text.length < this.#window) return text;
    const marks = new Uint8Array(text.length);
    let found = this.#mark(literal(text), marks);
    if (/[\\%&]/.test(text)) found = this.#mark(decoded(text), marks) || found;
    if (!found) return text;
    let out = '';
    let i = 0;
    while (i < text.length) {
      if (!marks[i]) {
        const next = marks.indexOf(1, i);
        const end = next < 0 ? text.length : next;
        out += text.slice(i, end);
        i = end;
      } else {
        while (i < text.length && marks[i]) i++;
        out += this.#tail;
      }
    }
    return out;
  }

  /** Every header value redacted, as a plain object. */
  redactHeaders(headers) {
    const out = {};
    headers.forEach((value, name) => { out[name] = this.redact(value); });
    return out;
  }

  // Marks (in `text` positions) the runs of `view` that reveal the key; true when any.
  #mark({ chars, starts }, marks) {
    let found = false;
    const set = (from, to) => { // view positions [from, to)
      marks.fill(1, starts[from], starts[to]);
      found = true;
    };
    // The visible prefix followed by more of the key: everything past the prefix.
    const view = utf16.decode(chars);
    const key = this.#key;
    for (let at = view.indexOf(this.#prefix); at >= 0; at = view.indexOf(this.#prefix, at + 1)) {
      let end = at + this.#prefix.length;
      while (end < chars.length && end - at < key.length && chars[end] === key[end - at]) end++;
      set(at + this.#visible, end);
    }
    // Any window of the secret, in any encoding the constructor prepared.
    const w = this.#window;
    if (w === 0 || chars.length < w) return found;
    let h = hashOf(chars, 0, w);
    let top = 1; // 31^(w-1), to remove the character leaving the window
    for (let j = 1; j < w; j++) top = Math.imul(top, 31);
    for (let at = 0; ; at++) {
      const list = this.#grams.get(h);
      if (list && list.some((g) => g.every((c, j) => chars[at + j] === c))) set(at, at + w);
      if (at + w >= chars.length) break;
      h = (Math.imul(h - Math.imul(chars[at], top), 31) + chars[at + w]) | 0;
    }
    return found;
  }
}

/** A client without a key (proxy mode: the proxy holds it) has nothing to redact. */
export const NO_KEY_REDACTOR = Object.freeze({
  redact: (text) => text,
  redactHeaders(headers) {
    const out = {};
    headers.forEach((value, name) => { out[name] = value; });
    return out;
  },
});
