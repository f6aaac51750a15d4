// Reads the shared validation fixtures (tests/fixtures/validation/<kind>.json; format in
// its README.md) for the Jest suites. The C++ suite reads the same files.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const FIXTURE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/validation');

/** Every fixture file as { file, kind, cases }, sorted by file name. */
export function loadValidationFixtures() {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const doc = JSON.parse(readFileSync(path.join(FIXTURE_DIR, file), 'utf8'));
      return { file, kind: doc.kind, cases: doc.cases };
    });
}

/**
 * What a case sends as `body` to engine.validate: the value itself for objects and arrays
 * (the wrapper serialises them), JSON text for other values (a string argument IS the JSON
 * text, and null/undefined mean "no body"), the raw text for bodyText/bodyTextRepeat, and
 * undefined when the case has no body.
 */
export function bodyArgument(c) {
  if ('bodyText' in c) return c.bodyText;
  if ('bodyTextRepeat' in c) {
    const r = c.bodyTextRepeat;
    return (r.prefix ?? '') + r.repeat.repeat(r.times) + (r.suffix ?? '');
  }
  if ('body' in c) {
    return c.body !== null && typeof c.body === 'object' ? c.body : JSON.stringify(c.body);
  }
  return undefined;
}

/** The exact JSON text the engine validates for a case (undefined: no body). */
export function bodyText(c) {
  const arg = bodyArgument(c);
  return typeof arg === 'string' || arg === undefined ? arg : JSON.stringify(arg);
}

/** "field code" strings, sorted: compare issue lists as multisets of {field, code}. */
export function issueKeys(issues) {
  return issues.map((i) => `${JSON.stringify(i.field)} ${i.code}`).sort();
}

/** The expected issue keys of a case ([] for a valid one). */
export function expectedKeys(c) {
  return c.valid === true ? [] : issueKeys(c.issues);
}
