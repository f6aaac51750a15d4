// Writing answers: one JSON response (with the post-processing faults of fault mode), the
// CORS headers a browser page on another origin needs, and each provider's error body.
import { puffleErrorBody, saberErrorBody } from './http.js';

/** The error body of `provider` for an HttpError. */
export function errorBody(provider, err, requestId) {
  return provider === 'saber' ? saberErrorBody(err, requestId) : puffleErrorBody(err);
}

/**
 * The CORS headers for a request from a browser (one with an Origin header), when `cors`
 * is '*' or an origin; none otherwise.
 */
export function corsHeaders(cors, req) {
  if (!cors || req.headers.origin === undefined) return {};
  return {
    'access-control-allow-origin': cors,
    'access-control-expose-headers': 'X-Request-Id, X-Ratelimit-Limit, X-Ratelimit-Remaining, X-Ratelimit-Reset, Retry-After',
    ...(cors === '*' ? {} : { vary: 'Origin' }),
  };
}

/** Answers a CORS preflight. */
export function preflightHeaders(cors, req) {
  return {
    ...corsHeaders(cors, req),
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
    // Saber's synchronous research takes its wait in two headers of its own.
    'access-control-allow-headers': 'Authorization, Content-Type, X-Sbr-Timeout-Sec, X-Sbr-Timeout-Error',
    'access-control-max-age': '600',
  };
}

/** Writes one response, applying a post-processing fault if there is one. */
export function send(req, res, { status, headers, body }, fault, onSent) {
  if (res.headersSent || res.destroyed) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  const h = { ...headers };
  if (fault?.type === 'drop_after') {
    req.socket.destroy();
    return;
  }
  if (fault?.type === 'malformed_body') {
    const half = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    const bad = `${half}<html><body>502 upstream hiccup</body>`;
    res.writeHead(status === 204 ? 200 : status, { ...h, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(bad) });
    res.end(bad, onSent);
    return;
  }
  if (fault?.type === 'truncated_body') {
    const full = Buffer.from(text || '{"truncated":true}');
    res.writeHead(status === 204 ? 200 : status, { ...h, 'content-type': 'application/json; charset=utf-8', 'content-length': full.length });
    res.write(full.subarray(0, Math.floor(full.length / 2)), () => req.socket.destroy());
    return;
  }
  if (status === 204) {
    res.writeHead(204, h);
    res.end(onSent);
    return;
  }
  res.writeHead(status, { ...h, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text, onSent);
}
