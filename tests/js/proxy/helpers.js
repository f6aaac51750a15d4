// Shared by the proxy tests: the proxy in both of its flavours (called with a Fetch API
// Request, and behind Node's http through toNodeHandler), and a spy upstream that records
// what reached it and answers what a test scripts.
import http from 'node:http';
import { toNodeHandler } from '../../../js/proxy/index.js';

/**
 * The two ways a proxy is served: `flavour.serve(proxy)` → `{call(path, init) → Response,
 * origin, close()}`. `origin` is the proxy's own origin (same-origin pages send it).
 */
export const FLAVOURS = [
  ['Fetch API handler', {
    async serve(proxy) {
      const origin = 'http://proxy.test';
      return { origin, call: (path, init) => proxy(new Request(`${origin}${path}`, init)), close: async () => {} };
    },
  }],
  ['Node http (toNodeHandler)', {
    async serve(proxy) {
      const server = http.createServer(toNodeHandler(proxy));
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      const origin = `http://127.0.0.1:${server.address().port}`;
      return {
        origin,
        call: (path, init) => fetch(`${origin}${path}`, init),
        close: () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }),
      };
    },
  }],
];

/** A JSON request init. */
export const json = (method, body, headers = {}) => ({
  method, headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body),
});

/**
 * A plain node:http upstream standing in for a vendor: `answer(req, body)` returns
 * `{status, body, headers?, delayMs?}`; every request is recorded in `seen` as
 * `{method, path, auth, body}`.
 */
export async function startSpy(answer) {
  const seen = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', async () => {
      const path = new URL(req.url, 'http://spy').pathname;
      const entry = { method: req.method, path, auth: req.headers.authorization, body };
      seen.push(entry);
      const reply = await answer(entry);
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      if (res.destroyed) return;
      const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(text);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    seen,
    close: () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }),
  };
}
