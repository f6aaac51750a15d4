// One error identity across the package's copies: the ES module entry and the CommonJS
// bundle (dist/index.cjs) share one engine, and an error from either is `instanceof` the
// other's classes; Class.is() and isSignalkitError() answer by class name.
import { createRequire } from 'node:module';
import * as esm from '../../js/index.js';
import { WebhookVerificationError } from '../../js/webhooks/index.js';

const cjs = createRequire(import.meta.url)('../../dist/index.cjs');

test('the ESM and CJS entries share one engine', async () => {
  expect(await cjs.loadEngine()).toBe(await esm.loadEngine());
});

test('errors of either copy are instanceof the other copy\'s classes, by their own names only', () => {
  const fromCjs = new cjs.RateLimitError('slow down', { status: 429 });
  for (const copy of [esm, cjs]) {
    expect(fromCjs).toBeInstanceOf(copy.RateLimitError);
    expect(fromCjs).toBeInstanceOf(copy.ApiError);
    expect(fromCjs).toBeInstanceOf(copy.SignalkitError);
    expect(copy.RateLimitError.is(fromCjs)).toBe(true);
    expect(copy.isSignalkitError(fromCjs)).toBe(true);
    expect(fromCjs instanceof copy.ValidationError).toBe(false);
    expect(copy.ServerError.is(fromCjs)).toBe(false);
  }
  expect(fromCjs.name).toBe('RateLimitError');
  const fromEsm = new esm.ValidationError([{ field: 'name', code: 'required', message: 'name is required.' }]);
  expect(fromEsm).toBeInstanceOf(cjs.ValidationError);
  expect(cjs.ValidationError.is(fromEsm)).toBe(true);
  expect(cjs.ApiError.is(fromEsm)).toBe(false);
  expect(esm.isSignalkitError(new WebhookVerificationError('bad_signature', 'no'))).toBe(true);
});

test('plain errors and look-alikes are not signalkit errors; a user subclass keeps its own name', () => {
  for (const value of [new Error('x'), new TypeError('x'), { name: 'ValidationError' }, null, undefined, 'ValidationError']) {
    expect(esm.isSignalkitError(value)).toBe(false);
    expect(esm.ValidationError.is(value)).toBe(false);
  }
  class MyError extends esm.ValidationError {}
  const mine = new MyError([]);
  expect(mine.name).toBe('MyError');
  expect(mine).toBeInstanceOf(cjs.ValidationError);
});
