// Shared helpers for the webhook tests. Deliveries are signed by the Standard Webhooks
// reference library's own sign() (never by the code under test), the way Svix signs them:
// "v1,<base64 HMAC-SHA256 of id.timestamp.body>" in svix-signature.
import http from 'node:http';
import standardwebhooks from 'standardwebhooks';

const { Webhook } = standardwebhooks;

/** A `whsec_` secret over fixed key bytes (24, as Svix issues), distinct per name. */
export function secretFor(name) {
  const key = Buffer.alloc(24);
  Buffer.from(`signalkit-test-${name}`).copy(key);
  return `whsec_${key.toString('base64')}`;
}
export const SECRET = secretFor('a');
export const OTHER_SECRET = secretFor('b');

/** A fixed instant for tests that pass `now` (Thursday 2026-01-15 12:00:00 UTC). */
export const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0);

export const SIGNAL = {
  id: '7b1d5f0e-8c1a-4e55-9a0e-3f1c2b4d5e6f',
  signal_type_label: 'Funding',
  headline: 'Acme raises a $20M Series B',
  score: 86,
  source: 'news',
  detected_at: '2026-01-15T11:59:30.000Z',
};
export const RESEARCH = {
  id: 'c3a1e2b4-1111-4222-8333-944455556666',
  first_name: 'Ada',
  last_name: 'Lovelace',
  company: 'Analytical Engines Ltd',
  icp_score: 92,
  report_url: 'https://app.puffle.example/research/c3a1e2b4',
};

/** A Puffle envelope as JSON text. */
export function envelope(type = 'signal.detected', data = SIGNAL, timestamp = '2026-01-15T11:59:31.000Z') {
  return JSON.stringify({ type, timestamp, data });
}

/**
 * Signs `body` as delivery `id` at `atMs` with every secret given (several secrets: the
 * header lists one v1 signature per secret, as during a key rotation). → {body, headers}
 */
export function signed({ body = envelope(), id = 'msg_2b8Hs0Y1fQ9vQ3r2mZcJjxPqLw1', atMs = NOW_MS, secrets = [SECRET] } = {}) {
  const at = new Date(atMs);
  const signature = secrets.map((s) => new Webhook(s).sign(id, at, body)).join(' ');
  return {
    body,
    headers: { 'svix-id': id, 'svix-timestamp': String(Math.floor(atMs / 1000)), 'svix-signature': signature },
  };
}

export { thrown } from '../support/thrown.js';

/** Every way an object can show up in a log: message, stack, inspect, JSON. */
export async function everyRendering(value) {
  const { inspect } = await import('node:util');
  return [String(value?.message ?? ''), String(value?.stack ?? ''), inspect(value, { depth: 10, showHidden: true }),
    JSON.stringify(value) ?? ''].join('\n');
}

/** The secret in every form it could leak: the whole string, the base64 key, the key as hex. */
export function secretForms(secret) {
  const b64 = secret.slice('whsec_'.length);
  return [secret, b64, Buffer.from(b64, 'base64').toString('hex')];
}

// ---------------------------------------------------------------------------------------
// Servers on loopback: the Node flavour as Node's own request listener, the Fetch flavour
// behind a small bridge that turns each Node request into a Fetch Request and writes the
// Response back (what Deno.serve or a Worker runtime does).

export function listen(listener) {
  return new Promise((resolve) => {
    const server = http.createServer(listener);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}/webhooks`,
        close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
      });
    });
  });
}

export const serveNode = (handler) => listen(handler);

export function serveFetch(fetchHandler) {
  return listen(async (req, res) => {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
      body: hasBody ? req : undefined,
      duplex: hasBody ? 'half' : undefined,
    });
    const response = await fetchHandler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
}

/**
 * Sends `delivery` like Svix: POST with its headers, re-signed at the current time for each
 * attempt (Svix signs every retry afresh; the svix-id stays). `sentBody` replaces the signed
 * body on the wire (tampering). → {status, body, headers}
 */
export async function deliver(url, { id = 'msg_2b8Hs0Y1fQ9vQ3r2mZcJjxPqLw1', body = envelope(), secrets = [SECRET], headers, sentBody = body } = {}) {
  const d = signed({ id, body, secrets, atMs: Date.now() });
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...d.headers, ...headers },
    body: sentBody,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}
