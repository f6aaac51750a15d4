// Shared helpers for the client tests: a real emulator on loopback, clients bound to it,
// the emulator's own request log, and a counting wrapper around the real fetch.
import { createHash } from 'node:crypto';
import { startEmulator } from '../../../js/emulator/index.js';
import { loadEngine, PuffleClient, SaberClient } from '../../../js/index.js';
import { strict } from '../emulator/helpers.js';

export { startEmulator, PuffleClient, SaberClient };

export const puffleKey = (name) => `pk_live_${createHash('sha256').update(`client-puffle:${name}`).digest('hex')}`;
export const saberKey = (name) => `sk_live_${createHash('sha256').update(`client-saber:${name}`).digest('base64url').slice(0, 32)}`;

/**
 * Starts an emulator whose logger records one entry per request it answered:
 * {method, path, status, at, ms} (`at` when the answer was logged, `ms` how long the
 * emulator took, so `at - ms` is when the request arrived). `emu.log` is that list;
 * `emu.count(method, pathPrefix)` counts.
 * Its responses are held to the OpenAPI documents (strictResponses; close() throws when one
 * broke them).
 */
export async function start(options = {}) {
  const log = [];
  const engine = await loadEngine();
  const emu = strict(await startEmulator({
    port: 0,
    generateDelayMs: 20,
    onboardingStepMs: 10,
    rateLimits: false,
    strictResponses: true,
    engine,
    ...options,
    logger: (level, message) => {
      const m = /^(GET|POST|PUT|PATCH|DELETE) (\S+) (\d{3}|dropped)(?: (\d+)ms)?/.exec(message);
      if (m) log.push({ method: m[1], path: m[2], status: m[3], at: Date.now(), ms: m[4] === undefined ? undefined : Number(m[4]) });
    },
  }));
  emu.log = log;
  emu.count = (method, prefix = '') => log.filter((e) => (!method || e.method === method) && e.path.startsWith(prefix)).length;
  emu.plan = async (body) => {
    const res = await fetch(`${emu.url}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 200) throw new Error(`fault plan refused: ${await res.text()}`);
  };
  emu.clearFaults = () => fetch(`${emu.url}/__emulator/faults`, { method: 'DELETE' });
  return emu;
}

/** A fetch that counts calls and passes them to the real fetch. */
export function countingFetch() {
  const calls = [];
  const f = (url, init) => {
    calls.push({ url: String(url), method: init?.method ?? 'GET' });
    return fetch(url, init);
  };
  f.calls = calls;
  return f;
}

export function puffle(emu, name, options = {}) {
  return new PuffleClient({ apiKey: puffleKey(name), baseUrl: `${emu.url}/api/v1`, retryBaseDelayMs: 5, retryMaxDelayMs: 20, ...options });
}
export function saber(emu, name, options = {}) {
  return new SaberClient({ apiKey: saberKey(name), baseUrl: `${emu.url}/v1`, retryBaseDelayMs: 5, retryMaxDelayMs: 20, ...options });
}

export { newType } from '../emulator/helpers.js';

export const newTemplate = (name, extra = {}) => ({
  name,
  question: 'How many employees does the company have?',
  answerType: 'number',
  weight: 'important',
  qualificationCriteria: { ranges: [{ rangeStart: 0, rangeEnd: 50, answerQualification: 'poor' }, { rangeStart: 50, rangeEnd: null, answerQualification: 'good' }] },
  ...extra,
});

/** Resolves with the error a promise rejects with (fails when it resolves). */
export async function failure(promise) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}
