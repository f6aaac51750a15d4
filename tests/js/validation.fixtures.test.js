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

test('an unknown kind is a TypeError with the facade convention (code, issues)', () => {
  for (const call of [() => engine.validate('puffle.signalType.crate', {}), () => engine.schema('nope')]) {
    let err;
    try {
      call();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TypeError);
    expect(err.code).toBe('unknown_kind');
    expect(err.issues).toEqual([{ field: 'kind', code: 'unknown_kind', message: err.message }]);
    expect(err.message).toMatch(/^Unknown validation kind "(puffle\.signalType\.crate|nope)"; expected one of: /);
    expect(err.message.endsWith(`expected one of: ${engine.kinds().join(', ')}`)).toBe(true);
  }
});

test('schemas come from the engine, body-less kinds have none', () => {
  expect(engine.schema('puffle.signalType.create').properties.sources.items.enum).toContain('hacker_news');
  expect(engine.schema('puffle.signalType.get')).toBeNull();
});
