// Every option object the clients and the emulator take is checked by name: a misspelt
// option is a TypeError naming the closest one, thrown before anything is sent, never a
// silently ignored setting.
import { newTemplate, newType, puffle, saber, start, startEmulator } from './helpers.js';

let emu;
beforeAll(async () => { emu = await start(); });
afterAll(() => emu.close());

test('client constructors reject unknown options with a suggestion', () => {
  expect(() => puffle(emu, 'opts', { timout: 5 })).toThrow(new TypeError(
    'PuffleClient: unknown option "timout"; did you mean "timeout"? Options: apiKey, baseUrl, fetch, timeout, maxRetries, '
    + 'retryBaseDelayMs, retryMaxDelayMs, maxRetryAfterMs, hooks, logger, rateLimit, engine, dangerouslyAllowBrowser, proxy.'));
  expect(() => saber(emu, 'opts', { maxRetry: 1 })).toThrow('SaberClient: unknown option "maxRetry"; did you mean "maxRetries"?');
  expect(() => puffle(emu, 'opts', { rateLimit: { limt: 5 } })).toThrow('PuffleClient rateLimit: unknown option "limt"; did you mean "limit"?');
  expect(() => saber(emu, 'opts', { baseURL: 'x' })).toThrow('did you mean "baseUrl"?');
});

test('per-call options are checked before anything is sent', async () => {
  const p = puffle(emu, 'per-call');
  const s = saber(emu, 'per-call');
  const before = emu.log.length;
  await expect(p.signalTypes.list({ timout: 5 })).rejects.toThrow(new TypeError(
    'signalTypes.list: unknown option "timout"; did you mean "timeout"? Options: signal, timeout, maxRetries.'));
  await expect(p.signalTypes.create(newType('Opt'), { signl: null })).rejects.toThrow('signalTypes.create: unknown option "signl"; did you mean "signal"?');
  expect(() => p.signals.list({}, { maxRetry: 1 })).toThrow('signals.list: unknown option "maxRetry"; did you mean "maxRetries"?');
  expect(() => s.templates.list({}, { timeOut: 1 })).toThrow('templates.list: unknown option "timeOut"; did you mean "timeout"?');
  await expect(s.templates.create(newTemplate('Opt'), { retries: 1 })).rejects.toThrow('templates.create: unknown option "retries"');
  await expect(p.signalTypes.update('3c90c3cc-0d44-4b50-8888-8dd25736052a', { name: 'x' }, { typ: {} }))
    .rejects.toThrow('signalTypes.update: unknown option "typ"; did you mean "type"?');
  await expect(p.signalTypes.generate('3c90c3cc-0d44-4b50-8888-8dd25736052a', { forse: true }))
    .rejects.toThrow('signalTypes.generate: unknown option "forse"; did you mean "force"?');
  await expect(p.signalTypes.waitForGeneration('3c90c3cc-0d44-4b50-8888-8dd25736052a', { intervall: 5 }))
    .rejects.toThrow('signalTypes.waitForGeneration: unknown option "intervall"; did you mean "interval"?');
  await expect(p.onboarding.waitForCompletion('s', { onProgres() {} }))
    .rejects.toThrow('onboarding.waitForCompletion: unknown option "onProgres"; did you mean "onProgress"?');
  expect(emu.log.length).toBe(before); // nothing reached the server
  // The options each method documents are still accepted.
  const t = await p.signalTypes.create(newType('Opt ok'), { timeout: 5000, maxRetries: 0 });
  await p.signalTypes.update(t, { disqualifiers: ['x'] }, { type: t, signal: new AbortController().signal });
  const [first] = await s.templates.list({ limit: 5 }, { timeout: 5000 }).toArray({ limit: 1 });
  expect(first === undefined || typeof first.id === 'string').toBe(true);
});

test('startEmulator rejects unknown options, also inside rateLimits, webhooks and timeouts', async () => {
  await expect(startEmulator({ generateDelay: 5 })).rejects.toThrow(new TypeError(
    'startEmulator: unknown option "generateDelay"; did you mean "generateDelayMs"? Options: port, host, seed, feedAnchor, '
    + 'generateDelayMs, researchDelayMs, onboardingStepMs, strictResponses, keys, rateLimits, faults, dataFile, cors, timeouts, '
    + 'maxConnections, maxConnectionsPerClient, quotas, maxTenants, webhooks, signalWebhooks, logger, engine.'));
  await expect(startEmulator({ rateLimits: { pufle: {} } })).rejects.toThrow('startEmulator rateLimits: unknown option "pufle"; did you mean "puffle"?');
  await expect(startEmulator({ rateLimits: { puffle: { limt: 5 } } })).rejects.toThrow('startEmulator rateLimits.puffle: unknown option "limt"; did you mean "limit"?');
  await expect(startEmulator({ timeouts: { bodyMS: 5 } })).rejects.toThrow('startEmulator timeouts: unknown option "bodyMS"; did you mean "bodyMs"?');
  await expect(startEmulator({ webhooks: { retryscale: 0.1 } })).rejects.toThrow('startEmulator webhooks: unknown option "retryscale"; did you mean "retryScale"?');
});
