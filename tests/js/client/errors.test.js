// The clients' error convention (js/errors.js): a malformed call is a TypeError, a request
// that breaks the API's rules a ValidationError (nothing sent), trouble on the wire an
// ApiError (or Timeout/Network/Abort). One table, every client entry point.
import {
  AbortError, ApiError, NotFoundError, PuffleClient, SignalkitError, ValidationError,
} from '../../../js/index.js';
import { countingFetch, failure, newTemplate, newType, puffle, saber, start } from './helpers.js';

let emu;
let fetch;
let p;
let s;
beforeAll(async () => {
  emu = await start();
  fetch = countingFetch();
  p = puffle(emu, 'errors', { fetch, maxRetries: 0 });
  s = saber(emu, 'errors', { fetch, maxRetries: 0 });
});
afterAll(() => emu.close());

// [what, the call, the class it throws]. Calls are wrapped so that synchronous throws and
// rejections are treated alike.
const ID = '00000000-0000-4000-8000-000000000000';
const cases = () => [
  ['options that are not an object', () => new PuffleClient('pk_live_'), TypeError],
  ['a hook that is not a function', () => puffle(emu, 'x', { hooks: { onRequest: 1 } }), TypeError],
  ['an unknown hook', () => saber(emu, 'x', { hooks: { onSend() {} } }), TypeError],
  ['a negative timeout', () => p.signalTypes.list({ timeout: -1 }), TypeError],
  ['a signal that is not an AbortSignal', () => s.templates.get(ID, { signal: {} }), TypeError],
  ['a list() query that is not an object', () => p.signals.list(null), TypeError],
  ['a bad waitForGeneration interval', () => p.signalTypes.waitForGeneration(ID, { before: {}, interval: [5, 1] }), TypeError],
  ['a bad rateLimit option', () => saber(emu, 'x', { rateLimit: { writes: {} } }), TypeError],
  ['a body that breaks a rule', () => p.signalTypes.create(newType('x', { keywords: [] })), ValidationError],
  ['a body that is not an object', () => p.signalTypes.create(null), ValidationError],
  ['a company profile that is not an object', () => p.context.set('Acme'), ValidationError],
  ['a malformed path id', () => s.templates.get('not-a-uuid'), ValidationError],
  ['a query that breaks a rule', () => s.templates.list({ limit: 0 }).firstPage(), ValidationError],
  ['a resource the server does not have', () => s.templates.get(ID), NotFoundError],
  ['an aborted call', () => s.templates.create(newTemplate('x'), { signal: AbortSignal.abort() }), AbortError],
  ['a sync timeout out of range', () => s.signals.sync({ domain: 'acme.com', question: 'q', answerType: 'number' }, { timeoutSec: 0 }), TypeError],
  ['an unknown option', () => s.signals.get(ID, { timout: 5 }), TypeError],
  ['a bad waitFor interval', () => s.signals.waitFor(ID, { interval: -1 }), TypeError],
  ['scoreCompany with templates that are not an array', () => s.scoreCompany('acme.com', { templates: 'all' }), TypeError],
  ['a URL for a company domain', () => s.signals.create({ domain: 'https://acme.com/', question: 'q', answerType: 'number' }), ValidationError],
  ['a company signal list query that breaks a rule', () => s.signals.list({ limit: 26 }).firstPage(), ValidationError],
  ['a company signal the server does not have', () => s.signals.get(ID), NotFoundError],
  ['an aborted scoring run', () => s.scoreCompany('acme.com', { templates: [], signal: AbortSignal.abort() }), AbortError],
];

test.each(cases().map(([what, , cls]) => [what, cls.name]))('%s: %s', async (what, name) => {
  const [, call, cls] = cases().find(([w]) => w === what);
  const sent = fetch.calls.length;
  const err = await failure(Promise.resolve().then(call));
  expect(err.constructor.name).toBe(name);
  expect(err).toBeInstanceOf(cls);
  if (cls === TypeError) {
    expect(err).not.toBeInstanceOf(SignalkitError);
  } else {
    expect(err).toBeInstanceOf(SignalkitError);
  }
  if (cls === ValidationError) expect(err.issues.length).toBeGreaterThan(0);
  if (cls === ValidationError || cls === TypeError || cls === AbortError) expect(fetch.calls.length).toBe(sent); // nothing sent
  if (cls === NotFoundError) expect(err).toBeInstanceOf(ApiError);
});
