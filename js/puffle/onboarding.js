// puffle.onboarding: Puffle builds the company profile that generate needs by crawling the
// company's website (internal endpoints /api/onboarding/*, outside v1; docs/contract.md).
// Functions of the client's context `{core, bases}`.
import { OnboardingFailedError, OnboardingTimeoutError } from '../errors.js';
import { pollUntil } from '../client/polling.js';
import { callOptions } from '../client/resource.js';
import { checkOptions } from '../util/options.js';
import { ONBOARDING, PUFFLE_BASE_PATHS, PUFFLE_PROFILE_PATHS } from '../vendors/puffle.js';

const { onboardingStart: START, onboardingStatus: STATUS } = PUFFLE_PROFILE_PATHS;
const shown = (path) => `${PUFFLE_BASE_PATHS.internal}${path}`; // how calls are named in messages and hooks

/** The `onboarding` resource of one client. */
export function onboarding(ctx) {
  return Object.freeze({
    start: (body, options) => start(ctx, body, options),
    status: (sessionId, options) => status(ctx, sessionId, options),
    waitForCompletion: (sessionId, options) => waitForCompletion(ctx, sessionId, options),
  });
}

/**
 * Starts onboarding (POST /api/onboarding/start-scraping): `{website, email?, firstName?,
 * lastName?}` → `{sessionId, runId}` at once; the crawl takes 30–90 s. Never retried once
 * sent (a second call starts a second crawl).
 */
function start({ core, bases }, body, options) {
  return core.request({
    kind: 'puffle.onboarding.start', method: 'POST', path: shown(START), url: `${bases.internal}${START}`, body, safe: false,
  }, callOptions(options, 'onboarding.start'));
}

/**
 * One onboarding session (GET /api/onboarding/status): `{session: {id, status, companyName,
 * errorMessage, errorStep}}`, or `{session: null}` when onboarding never started. Without a
 * `sessionId`, the latest session.
 */
function status({ core, bases }, sessionId, options) {
  return core.request({
    kind: 'puffle.onboarding.status', method: 'GET', path: shown(STATUS), url: `${bases.internal}${STATUS}`,
    query: sessionId === undefined ? {} : { sessionId }, safe: true,
  }, callOptions(options, 'onboarding.status'));
}

/**
 * Polls the session until it is `completed` (resolves with the session) or `failed`
 * (OnboardingFailedError with its errorMessage and errorStep).
 * @param {string} sessionId what start() answered
 * @param {object} [options]
 * @param {number|[number, number]} [options.interval=[3000, 5000]] ms between polls (a pair: random in range), as Puffle advises
 * @param {number} [options.timeout=180000] give up after this many ms (OnboardingTimeoutError; the session may still complete)
 * @param {AbortSignal} [options.signal]
 * @param {(state) => void} [options.onProgress] after each poll: {sessionId, poll, elapsedMs, status, session, done, error}
 */
async function waitForCompletion(ctx, sessionId, options = {}) {
  checkOptions('onboarding.waitForCompletion', options, ['interval', 'timeout', 'signal', 'onProgress']);
  if (typeof sessionId !== 'string') {
    throw new TypeError('waitForCompletion(sessionId): pass the sessionId that onboarding.start() answered');
  }
  await ctx.core.check('puffle.onboarding.status', { sessionId });
  const timeoutMs = options.timeout ?? ONBOARDING.timeoutMs;
  let last = null;
  const res = await pollUntil({
    interval: options.interval ?? ONBOARDING.pollIntervalMs,
    timeout: timeoutMs,
    signal: options.signal,
    read: () => status(ctx, sessionId, { signal: options.signal }),
    judge: (value) => {
      // `{session: null}` (not there yet) and unknown statuses keep the wait going.
      const session = value?.session ?? null;
      if (session) last = session;
      const done = ONBOARDING.done.includes(session?.status);
      return { done, progress: { sessionId, status: session?.status ?? null, session, done } };
    },
    onProgress: options.onProgress,
    timedOut: (polls) => new OnboardingTimeoutError(`Onboarding session ${sessionId} did not finish within ${timeoutMs} ms (${polls} polls`
      + `${last ? `, last status ${last.status}` : ''}); it may still complete later: check onboarding.status(sessionId).`,
    { sessionId, session: last, timeoutMs }),
  });
  const { session } = res;
  if (session.status === 'failed') {
    throw new OnboardingFailedError(`Onboarding session ${sessionId} failed${session.errorStep ? ` at ${session.errorStep}` : ''}: `
      + `${session.errorMessage ?? 'no reason given'}. Check the website and start onboarding again.`, { session });
  }
  return session;
}
