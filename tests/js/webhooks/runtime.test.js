// signalkit/webhooks wherever server-side JavaScript runs: through package.json "exports"
// for import and require, and with no Node at all (a Worker-like global scope).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';
import * as esm from '../../../js/webhooks/index.js';
import { NOW_MS, SECRET, signed } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const require = createRequire(import.meta.url);

test('the CommonJS bundle (dist/webhooks.cjs) has the same exports and verifies the same delivery', () => {
  const cjs = require('../../../dist/webhooks.cjs');
  expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).sort());
  const d = signed();
  expect(cjs.verifyWebhook(d.body, d.headers, SECRET, { now: NOW_MS })).toEqual(esm.verifyWebhook(d.body, d.headers, SECRET, { now: NOW_MS }));
  const err = (() => {
    try {
      return cjs.verifyWebhook(`${d.body} `, d.headers, SECRET, { now: NOW_MS });
    } catch (e) {
      return e;
    }
  })();
  expect(err).toBeInstanceOf(cjs.WebhookVerificationError);
  expect(err.code).toBe('bad_signature');
});

test("require('signalkit/webhooks') and import('signalkit/webhooks') resolve through package.json in plain Node", () => {
  const d = signed();
  const call = `.verifyWebhook(${JSON.stringify(d.body)}, ${JSON.stringify(d.headers)}, ${JSON.stringify(SECRET)}, { now: ${NOW_MS} })`;
  const run = (args) => JSON.parse(execFileSync(process.execPath, args, {
    cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' },
  }));
  const viaRequire = run(['-e', `console.log(JSON.stringify(require('signalkit/webhooks')${call}))`]);
  const viaImport = run(['--input-type=module', '-e', `import * as w from 'signalkit/webhooks'; console.log(JSON.stringify(w${call}))`]);
  expect(viaRequire).toEqual(viaImport);
  expect(viaImport.id).toBe('msg_2b8Hs0Y1fQ9vQ3r2mZcJjxPqLw1');
});

describe('without Node (Workers, Deno, Bun)', () => {
  let source;
  beforeAll(async () => {
    // platform 'neutral' resolves no Node built-in: an import of one anywhere in the module
    // graph (ours or the library's) fails this build.
    const result = await build({
      entryPoints: [path.join(root, 'js/webhooks/index.js')],
      bundle: true,
      platform: 'neutral',
      mainFields: ['module', 'main'],
      format: 'iife',
      globalName: 'signalkitWebhooks',
      write: false,
      logLevel: 'silent',
    });
    source = result.outputFiles[0].text;
  });

  test('the module runs in a global scope with only Web APIs: verifyWebhook and handler.fetch', async () => {
    // What a Worker has: Web APIs, no process, Buffer or require.
    const context = vm.createContext({
      TextEncoder, TextDecoder, Request, Response, Headers, ReadableStream, URL, console,
    });
    vm.runInContext(source, context);
    const d = signed({ atMs: Date.now() });
    context.delivery = { body: d.body, headers: d.headers, secret: SECRET };
    const result = await vm.runInContext(`(async () => {
      const { verifyWebhook, createWebhookHandler } = signalkitWebhooks;
      const seen = [];
      const event = verifyWebhook(new TextEncoder().encode(delivery.body), new Headers(delivery.headers), delivery.secret);
      const handler = createWebhookHandler({ secret: delivery.secret, onEvent: (e) => { seen.push(e.type); } });
      const post = () => handler.fetch(new Request('https://worker.example/webhooks', {
        method: 'POST', headers: delivery.headers, body: delivery.body }));
      const first = await post();
      const second = await post();
      return JSON.stringify({
        globals: [typeof process, typeof Buffer, typeof require],
        id: event.id, seen, answers: [first.status, await first.json(), second.status, await second.json()],
      });
    })()`, context);
    expect(JSON.parse(result)).toEqual({
      globals: ['undefined', 'undefined', 'undefined'],
      id: 'msg_2b8Hs0Y1fQ9vQ3r2mZcJjxPqLw1',
      seen: ['signal.detected'],
      answers: [200, { received: true }, 200, { received: true, duplicate: true }],
    });
  });
});
