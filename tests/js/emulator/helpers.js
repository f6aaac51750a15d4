// Shared helpers for the emulator tests: start a real emulator on loopback, talk to it
// with Node's fetch, and raw sockets for what fetch cannot do.
import net from 'node:net';
import { createHash } from 'node:crypto';
import { startEmulator } from '../../../js/emulator/index.js';

export { startEmulator };

/** A distinct, well-formed Puffle key per name. */
export const puffleKey = (name) => `pk_live_${createHash('sha256').update(`puffle:${name}`).digest('hex')}`;
/** A distinct, well-formed Saber key per name. */
export const saberKey = (name) => `sk_live_${createHash('sha256').update(`saber:${name}`).digest('base64url').slice(0, 32)}`;

export const PUFFLE_TYPES = '/api/v1/signals/types';
export const TEMPLATES = '/v1/companies/signals/templates';

/**
 * Starts an emulator with fast defaults for tests (rate limits off unless given), held to the
 * OpenAPI documents: strictResponses is on, and close() throws when any response broke them.
 */
export async function start(options = {}) {
  return strict(await startEmulator({ generateDelayMs: 20, onboardingStepMs: 10, rateLimits: false, strictResponses: true, ...options }));
}

/** Makes `emu.close()` fail the test when the emulator sent a response its documents forbid. */
export function strict(emu) {
  const close = emu.close;
  let closing = null;
  emu.close = () => {
    closing ??= close().then(() => {
      const found = emu.contractViolations;
      if (found.length) {
        throw new Error(`the emulator sent ${found.length} response(s) that break its OpenAPI document:\n${found.map((v) => v.message).join('\n')}`);
      }
    });
    return closing;
  };
  return emu;
}

/**
 * A tiny HTTP client bound to one emulator and key: call(method, path, {body, raw,
 * headers, query}) -> {status, headers, body, text}. `body` is JSON-encoded; `raw` is
 * sent as is.
 */
export function client(emu, key) {
  const call = async (method, path, { body, raw, headers = {}, query } = {}) => {
    const h = { ...headers };
    if (key) h.authorization = `Bearer ${key}`;
    let payload;
    if (raw !== undefined) payload = raw;
    else if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined && !Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
    const qs = query ? `?${new URLSearchParams(query)}` : '';
    const res = await fetch(`${emu.url}${path}${qs}`, { method, headers: h, body: payload });
    const text = await res.text();
    let parsed;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
  return {
    call,
    get: (path, opts) => call('GET', path, opts),
    post: (path, body, opts) => call('POST', path, { ...opts, body }),
    patch: (path, body, opts) => call('PATCH', path, { ...opts, body }),
    put: (path, body, opts) => call('PUT', path, { ...opts, body }),
    del: (path, opts) => call('DELETE', path, opts),
  };
}

/** A valid Puffle create body with a given name. */
export const newType = (name, extra = {}) => ({
  name,
  keywords: ['layoffs', 'reduction in force'],
  search_instructions: 'Find news about layoffs at software companies.',
  scoring_criteria: 'Higher when more than 10% of staff are affected.',
  sources: ['news', 'reddit'],
  ...extra,
});

/**
 * A company profile as PUT /api/context takes it (docs/contract.md): every section, the
 * given company name and product, ICP job titles and (in `extra`) competitors.
 */
export const workspace = ({ company = 'Acme Robotics', product = 'Pick-and-place arms', titles = ['Head of Logistics'],
  industry = 'manufacturing', competitors = ['RoboCorp'] } = {}) => ({
  context: {
    user: { professionalBackground: 'Ten years in warehouse automation sales.' },
    company: { overview: `${company} builds robots.`, product, problemSolved: 'Slow picking', differentiators: null, linkedInPresence: null },
    content: { linkedInVoice: null, recommendedTopics: [], preferredTone: null, contentFormats: [], topicsToAvoid: [], postingCadence: null },
    market: { targetAudience: 'mid-size warehouses', industryContext: industry, icpJobTitles: titles, icpIndustries: [industry],
      icpCompanySizes: ['201-1000'], icpPainPoints: ['labour shortage'], icpKeywords: ['automation'] },
    extra: { competitors },
  },
  profile: { companyName: company, website: 'https://acme.example' },
});

/**
 * Sends raw bytes over a TCP socket and collects everything the server sends until it
 * closes the connection (or `waitMs` passes). Returns {data, closed}.
 */
export function rawExchange(emu, chunks, { waitMs = 2000, gapMs = 0 } = {}) {
  const { port } = new URL(emu.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let data = '';
    let closed = false;
    const timer = setTimeout(() => { socket.destroy(); resolve({ data, closed }); }, waitMs);
    socket.on('data', (d) => { data += d.toString('latin1'); });
    socket.on('close', () => { closed = true; clearTimeout(timer); resolve({ data, closed }); });
    socket.on('error', (err) => { if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') reject(err); });
    socket.on('connect', async () => {
      for (const c of chunks) {
        if (socket.destroyed) break;
        socket.write(c);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

/** Polls `fn` until it returns a truthy value (or gives up after `tries`). */
export async function eventually(fn, { tries = 100, everyMs = 20 } = {}) {
  for (let i = 0; i < tries; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error('condition not met in time');
}
