// The shared validation fixtures through the JS package (ESM entry, real wasm build):
// engine.validate(kind, body, context) must give exactly the listed {field, code} set,
// with a message on every issue, and return the exact text it validated.
import { loadEngine } from '../../js/index.js';
import { loadValidationFixtures, bodyArgument, bodyText, issueKeys, expectedKeys } from './support/fixtures.js';

const fixtures = loadValidationFixtures();
let engine;

beforeAll(async () => {
  engine = await loadEngine();
});

test('there is one fixture file per engine kind', () => {
  expect(fixtures.map((f) => f.file)).toEqual(fixtures.map((f) => `${f.kind}.json`));
  expect(fixtures.map((f) => f.kind)).toEqual([...engine.kinds()]);
});

describe.each(fixtures.map((f) => [f.kind, f]))('%s', (kind, fixture) => {
  test.each(fixture.cases.map((c) => [c.name, c]))('%s', (name, c) => {
    expect(('valid' in c) !== ('issues' in c)).toBe(true); // the case itself is well-formed
    const result = engine.validate(kind, bodyArgument(c), c.context);

    expect(issueKeys(result.issues)).toEqual(expectedKeys(c));
    expect(result.valid).toBe(result.issues.length === 0);
    for (const issue of result.issues) {
      expect(typeof issue.message).toBe('string');
      expect(issue.message.length).toBeGreaterThan(0);
    }
    if (bodyText(c) !== undefined) expect(result.json).toBe(bodyText(c));
  });
});
