// The dashboard server behind `npm start`: serves demo/, js/ and dist/ from the package
// on loopback, runs the emulator next to it, and mounts a signalkit proxy at /proxy that
// holds the emulator's keys: the pages call the proxy, never the emulator, and hold no key.
// Also used by the browser tests (startDashboard({port: 0})).
//
//   node demo/server.mjs [--port 8080] [--emulator-port 4010] [--host 127.0.0.1]
import http from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createProxy, toNodeHandler } from '../js/proxy/index.js';
import { maskKey } from '../js/vendors/index.js';
import { DEMO_TEMPLATES } from './samples.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};
/** Folders of the package a browser may load; everything else is 404. */
export const DEFAULT_PREFIXES = ['/demo/', '/js/', '/dist/'];
/** Where the dashboard's proxy is mounted. */
export const PROXY_PATH = '/proxy';
/** What the dashboard and the low-code page do through the proxy. */
export const DASHBOARD_ALLOW = Object.freeze([
  'puffle.signalType.*', 'puffle.onboarding.start', 'puffle.onboarding.status', 'puffle.context.get', 'saber.template.*',
  'saber.companySignal.*',
]);
/** The pages served with the strict CSP. */
const PAGES = new Set(['/demo/index.html', '/demo/lowcode.html']);

/**
 * A static file server for the package folders in `prefixes` (paths under `root`).
 * `routes` maps a path to a handler (req, res) for dynamic answers; `headersFor(path)`
 * (pathname, req) adds response headers (the browser tests use it for CSP pages).
 */
export function createStaticHandler({ root = ROOT, prefixes = DEFAULT_PREFIXES, routes = {}, headersFor = () => ({}), index = '/demo/' } = {}) {
  return (req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    if (routes[pathname]) { routes[pathname](req, res); return; }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (pathname === '/') { res.writeHead(302, { location: index }).end(); return; }
    if (pathname === '/favicon.ico') { res.writeHead(204).end(); return; } // pages without an icon link
    if (pathname.endsWith('/')) pathname += 'index.html';
    const file = path.resolve(root, `.${pathname}`);
    const inside = prefixes.some((p) => file.startsWith(path.join(root, p)));
    let st = null;
    try { st = inside && !pathname.includes('\0') ? statSync(file) : null; } catch { st = null; }
    if (!st || !st.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found: ${pathname}`);
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'content-length': st.size,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      ...headersFor(pathname, req),
    });
    if (req.method === 'HEAD') { res.end(); return; }
    createReadStream(file).pipe(res);
  };
}

/** The pages' Content-Security-Policy: they reach nothing but this server (and its proxy). */
export const DASHBOARD_CSP = [
  "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "connect-src 'self'",
  "style-src 'self'", "img-src 'self' data:", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
].join('; ');

// A fresh Saber tenant gets the demo templates (through the proxy, as a page would), so the
// dashboard's fit scores and the low-code page's criteria tester have templates to show.
async function seedTemplates(fetchProxy) {
  const url = `http://dashboard.invalid${PROXY_PATH}/saber/v1/companies/signals/templates`;
  const list = await fetchProxy(new Request(url));
  if (list.status !== 200) throw new Error(`listing the demo templates failed: ${list.status} ${await list.text()}`);
  if ((await list.json()).items.length) return;
  for (const template of DEMO_TEMPLATES) {
    const made = await fetchProxy(new Request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(template) }));
    if (made.status !== 201) throw new Error(`creating the demo template ${template.name} failed: ${made.status} ${await made.text()}`);
  }
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    const onError = (err) => { server.off('listening', onListening); reject(err); };
    const onListening = () => { server.off('error', onError); resolve(server.address().port); };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

// Tries `port`, then a free one when it is taken (a second `npm start`, another service).
async function listenOrAny(server, port, host, what, log) {
  try {
    return await listen(server, port, host);
  } catch (err) {
    if (err.code !== 'EADDRINUSE' || port === 0) throw err;
    log(`${what}: port ${port} is in use; picking a free port`);
    return listen(server, 0, host);
  }
}

/**
 * Starts the emulator and the dashboard.
 * @param {object} [o]
 * @param {number} [o.port=8080] dashboard port (0: any free port)
 * @param {number} [o.emulatorPort=4010] emulator port (0: any free port)
 * @param {string} [o.host='127.0.0.1']
 * @param {number} [o.generateDelayMs=4000] how long a simulated generation takes
 * @param {number|[number, number]} [o.researchDelayMs=[800, 2500]] how long simulated company research takes
 * @param {number} [o.pollIntervalMs=1000] how often the dashboard polls a generation run or an onboarding session
 * @param {string} [o.seed] emulator seed (dev keys and built-in ids depend on it)
 * @param {object} [o.emulator] more startEmulator options
 * @param {(msg: string) => void} [o.log]
 * @returns {Promise<{url, emulatorUrl, puffleBaseUrl, saberBaseUrl, devKeys, close(): Promise<void>}>}
 */
export async function startDashboard(o = {}) {
  const host = o.host ?? '127.0.0.1';
  const log = o.log ?? (() => {});
  let config = null;
  let canonicalHost = null;
  let proxy = null;
  const statics = createStaticHandler({
    routes: {
      // What the page needs to know: where the proxy is (no key: the proxy holds them).
      '/demo/config.json': (req, res) => {
        const body = JSON.stringify(config);
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(body);
      },
    },
    prefixes: o.prefixes ?? DEFAULT_PREFIXES,
    // The pages run under a strict CSP: no inline script, no eval, WebAssembly allowed, and
    // network access only to this server.
    headersFor: (p, req) => ({
      ...(PAGES.has(p) ? { 'content-security-policy': DASHBOARD_CSP } : {}),
      ...(o.headersFor ? o.headersFor(p, req) : {}),
    }),
  });
  const server = http.createServer((req, res) => {
    // One origin for the pages: http://localhost:8080 is sent to http://127.0.0.1:8080.
    if (canonicalHost && req.headers.host !== canonicalHost && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(308, { location: `http://${canonicalHost}${req.url}` }).end();
      return;
    }
    const pathname = req.url.split('?')[0];
    if (proxy && (pathname === PROXY_PATH || pathname.startsWith(`${PROXY_PATH}/`))) {
      proxy(req, res);
      return;
    }
    statics(req, res);
  });
  server.keepAliveTimeout = 2000;
  const port = await listenOrAny(server, o.port ?? 8080, host, 'dashboard', log);
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  canonicalHost = `${hostForUrl}:${port}`;
  const url = `http://${canonicalHost}/`;

  let emulator;
  try {
    const { startEmulator } = await import('../js/emulator/index.js');
    const emulatorOptions = {
      host, generateDelayMs: o.generateDelayMs ?? 4000, researchDelayMs: o.researchDelayMs ?? [800, 2500],
      ...(o.seed ? { seed: o.seed } : {}), ...(o.emulator ?? {}),
    };
    const emulatorPort = o.emulatorPort ?? 4010;
    try {
      emulator = await startEmulator({ ...emulatorOptions, port: emulatorPort });
    } catch (err) {
      if (err.code !== 'EADDRINUSE' || emulatorPort === 0) throw err;
      log(`emulator: port ${emulatorPort} is in use; picking a free port`);
      emulator = await startEmulator({ ...emulatorOptions, port: 0 });
    }
  } catch (err) {
    server.close();
    server.closeAllConnections();
    throw err;
  }
  // The keys stay here: the proxy adds them to what it forwards to the emulator.
  const fetchProxy = createProxy({
    puffleKey: emulator.devKeys.puffle, puffleBaseUrl: emulator.puffleBaseUrl,
    saberKey: emulator.devKeys.saber, saberBaseUrl: emulator.saberBaseUrl,
    allow: DASHBOARD_ALLOW, basePath: PROXY_PATH,
    logger: (level, message) => { if (level !== 'info') log(message); }, // retries and failures, keys masked
  });
  try {
    await seedTemplates(fetchProxy);
  } catch (err) {
    await emulator.close();
    server.close();
    server.closeAllConnections();
    throw err;
  }
  proxy = toNodeHandler(fetchProxy);
  config = {
    proxyUrl: PROXY_PATH,
    emulatorUrl: emulator.url,
    pollIntervalMs: o.pollIntervalMs ?? 1000,
    generateDelayMs: o.generateDelayMs ?? 4000,
  };

  let closing = null;
  return {
    url,
    emulatorUrl: emulator.url,
    puffleBaseUrl: emulator.puffleBaseUrl,
    saberBaseUrl: emulator.saberBaseUrl,
    devKeys: emulator.devKeys,
    close() {
      if (!closing) {
        closing = Promise.all([
          emulator.close(),
          new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
        ]).then(() => {});
      }
      return closing;
    },
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '8080' },
      'emulator-port': { type: 'string', default: process.env.EMULATOR_PORT ?? '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      'generate-delay-ms': { type: 'string', default: '4000' },
    },
  });
  const int = (name) => {
    const v = values[name];
    if (!/^\d+$/.test(v) || Number(v) > 65535 * 1000) throw new Error(`--${name} must be a non-negative integer (got ${JSON.stringify(v)})`);
    return Number(v);
  };
  const log = (m) => console.log(m);
  const app = await startDashboard({
    port: int('port'), emulatorPort: int('emulator-port'), host: values.host,
    generateDelayMs: int('generate-delay-ms'), log,
  });
  console.log('');
  console.log(`  signalkit dashboard   ${app.url}`);
  console.log(`  low-code page         ${app.url}demo/lowcode.html  (one script tag: ${app.url}dist/signalkit.widgets.js)`);
  console.log(`  proxy                 ${app.url.replace(/\/$/, '')}${PROXY_PATH}  (holds the dev keys; the pages call it)`);
  console.log(`  emulator              ${app.emulatorUrl}  (Puffle ${app.puffleBaseUrl}, Saber ${app.saberBaseUrl})`);
  console.log(`  dev keys              puffle ${maskKey(app.devKeys.puffle)}  saber ${maskKey(app.devKeys.saber)}`);
  console.log('');
  console.log('  Open the dashboard URL in a browser. Press Ctrl-C to stop both.');
  let stopping = false;
  const stop = (signal) => {
    if (stopping) { process.exit(130); }
    stopping = true;
    console.log(`\n${signal}: stopping the dashboard and the emulator…`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    app.close().then(() => { console.log('stopped.'); process.exit(0); });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`signalkit dashboard: ${err.message}`);
    process.exit(1);
  });
}
