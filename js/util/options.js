// Option objects are checked by name: a misspelt option is an error with a suggestion,
// never a silently ignored setting (a mistyped `dedupe` or rate-limit `store` would quietly
// fall back to the in-process default; a mistyped proxy `allow` would quietly expose the
// defaults). Used by the clients (constructor, rateLimit, hooks and per-call options), the
// emulator, signalkit/webhooks, signalkit/redis, signalkit/proxy, the widgets' HTML
// configuration and the CLI.

/**
 * Returns `options` (or `{}` when undefined) after checking that every key is in `allowed`.
 * @param {string} where  the function name, for the message
 * @throws {TypeError} on a non-object or an unknown key ("did you mean …?")
 */
export function checkOptions(where, options, allowed) {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object; got ${describe(options)}.`);
  }
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const near = closest(key, allowed);
    throw new TypeError(
      `${where}: unknown option "${key}"${near ? `; did you mean "${near}"?` : '.'} Options: ${allowed.join(', ')}.`,
    );
  }
  return options;
}

/** A short description of a value's kind for messages; never the value itself. */
export function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `a ${value.length}-character string`;
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
}

/** The candidate closest to `word` by edit distance, or null when none is close enough to suggest. */
export function closest(word, candidates) {
  let best = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 2)) ? best : null;
}

function editDistance(a, b) {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
