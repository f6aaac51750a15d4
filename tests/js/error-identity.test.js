// One error identity across the package's copies: the ES module sources (js/index.js, what
// the repository imports), the ES module bundle users import (dist/index.mjs) and the
// CommonJS bundle (dist/index.cjs) share one engine, and an error from any of them is
// `instanceof` the others' classes; Class.is() and isSignalkitError() answer by class name.
import { createRequire } from 'node:module';
import * as esm from '../../js/index.js';
import * as bundle from '../../dist/index.mjs';
import { WebhookVerificationError } from '../../js/webhooks/index.js';

const cjs = createRequire(import.meta.url)('../../dist/index.cjs');
const copies = { esm, bundle, cjs };

test('the ESM sources, the ESM bundle and the CJS bundle share one engine', async () => {
  const engine = await esm.loadEngine();
  expect(await bundle.loadEngine()).toBe(engine);
  expect(await cjs.loadEngine()).toBe(engine);
});

test.each(Object.keys(copies))('errors made by the %s copy are instanceof every copy\'s classes, by their own names only', (maker) => {
  const from = copies[maker];
  const rateLimited = new from.RateLimitError('slow down', { status: 429 });
  const invalid = new from.ValidationError([{ field: 'name', code: 'required', message: 'name is required.' }]);
  for (const copy of Object.values(copies)) {
    expect(rateLimited).toBeInstanceOf(copy.RateLimitError);
    expect(rateLimited).toBeInstanceOf(copy.ApiError);
    expect(rateLimited).toBeInstanceOf(copy.SignalkitError);
    expect(copy.RateLimitError.is(rateLimited)).toBe(true);
    expect(copy.isSignalkitError(rateLimited)).toBe(true);
    expect(rateLimited instanceof copy.ValidationError).toBe(false);
    expect(copy.ServerError.is(rateLimited)).toBe(false);
    expect(invalid).toBeInstanceOf(copy.ValidationError);
    expect(copy.ValidationError.is(invalid)).toBe(true);
    expect(copy.ApiError.is(invalid)).toBe(false);
    expect(copy.isSignalkitError(new WebhookVerificationError('bad_signature', 'no'))).toBe(true);
  }
  // The minified bundle keeps the class names the errors are named after.
  expect(rateLimited.name).toBe('RateLimitError');
  expect(invalid.name).toBe('ValidationError');
});

test('plain errors and look-alikes are not signalkit errors; a user subclass keeps its own name', () => {
  for (const value of [new Error('x'), new TypeError('x'), { name: 'ValidationError' }, null, undefined, 'ValidationError']) {
    expect(esm.isSignalkitError(value)).toBe(false);
    expect(esm.ValidationError.is(value)).toBe(false);
  }
  class MyError extends bundle.ValidationError {}
  const mine = new MyError([]);
  expect(mine.name).toBe('MyError');
  expect(mine).toBeInstanceOf(cjs.ValidationError);
  expect(mine).toBeInstanceOf(esm.ValidationError);
});
