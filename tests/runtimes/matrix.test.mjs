// The runtime and bundler matrix: the package as `npm pack` makes it, installed into a fresh
// folder (the tarball extracted into node_modules/signalkit; its one dependency linked from
// this checkout's node_modules, so nothing is downloaded), then used the way each runtime's
// users do. Every case runs tests/runtimes/app/flows.mjs (validate, evaluate, match, call the
// emulator) and compares its answer with EXPECTED; the server cases serve signalkit/proxy and a
// signalkit/webhooks receiver in a runtime and run tests/runtimes/app/proxy-checks.mjs and
// webhook-checks.mjs against them (PROXY_EXPECTED, WEBHOOK_EXPECTED).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { launch, newPage } from '../browser/helpers.mjs';
import { serveStatic } from './serve.mjs';
import { PROXY_EXPECTED, proxyChecks } from './app/proxy-checks.mjs';
import { WEBHOOK_EXPECTED, webhookChecks } from './app/webhook-checks.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'node_modules/.bin');
const run = promisify(execFile);

const EXPECTED = {
  issues: ['name:too_short', 'keywords:too_few', 'sources[1]:enum', 'search_instructions:required', 'scoring_criteria:required'],
  qualification: 'good',
  matched: ['hiring', 'funding'],
  clientError: ['ValidationError', true, true, true],
};

let work; // the temp folder: app/ is the consumer project
let app;
let emu;
let browser;

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'signalkit-matrix-'));
  app = path.join(work, 'app');
  const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', work], { cwd: ROOT });
  const tarball = path.join(work, stdout.trim().split('\n').pop());
  const pkg = path.join(app, 'node_modules/signalkit');
  mkdirSync(pkg, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', pkg, '--strip-components=1']);
  for (const dep of ['standardwebhooks']) symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(app, 'node_modules', dep), 'dir');
  cpSync(path.join(ROOT, 'tests/runtimes/app'), app, { recursive: true });
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { signalkit: '*' } }));
  const { startEmulator } = await import(path.join(pkg, 'js/emulator/index.js'));
  emu = await startEmulator({ cors: true, rateLimits: false });
});

after(async () => {
  await browser?.close();
  await emu?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const node = (args, options = {}) => run(process.execPath, args, { cwd: app, env: { ...process.env, NODE_OPTIONS: '' }, ...options });
const json = (stdout) => JSON.parse(stdout.trim().split('\n').pop());

test('the tarball holds the docs, the screenshot the README shows, and every file package.json points at', () => {
  const pkg = path.join(app, 'node_modules/signalkit');
  for (const f of ['README.md', 'docs/validation.md', 'docs/images/dashboard.jpg', 'dist/signalkit.wasm', 'dist/index.mjs', 'dist/index.cjs',
    'dist/proxy.mjs', 'dist/emulator.cjs', 'types/index.d.cts', 'types/emulator.d.cts', 'js/widgets/server.js', 'js/wasm-workerd.js']) {
    assert.ok(existsSync(path.join(pkg, f)), `${f} is in the tarball`);
  }
  assert.ok(!existsSync(path.join(pkg, 'tests')) && !existsSync(path.join(pkg, 'wasm')), 'no tests or C++ sources');
});

test('Node, ES module', async () => {
  assert.deepEqual(json((await node(['cli.mjs', emu.url, emu.devKeys.puffle])).stdout), EXPECTED);
});

test('Node, CommonJS: require entries, one engine and one error identity with ESM, widgets a no-op, require("signalkit/emulator")', async () => {
  assert.deepEqual(json((await node(['cjs.cjs'])).stdout), { types: 4 });
});

test('Bun', async () => {
  const { stdout } = await run(path.join(BIN, 'bun'), ['run', 'cli.mjs', emu.url, emu.devKeys.puffle], { cwd: app });
  assert.deepEqual(json(stdout), EXPECTED);
});

test('Deno', async () => {
  const { stdout } = await run(path.join(BIN, 'deno'), ['run', '--allow-read', '--allow-env', '--allow-net=127.0.0.1', 'cli.mjs', emu.url, emu.devKeys.puffle],
    { cwd: app, env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } });
  assert.deepEqual(json(stdout), EXPECTED);
});

test('Cloudflare workerd (Miniflare): a Worker bundled with the workerd condition, no bundler hacks', async () => {
  const result = await miniflare('worker.mjs', { EMULATOR_URL: emu.url, PUFFLE_KEY: emu.devKeys.puffle }, async (call) => (await call('/')).json());
  assert.deepEqual(result, EXPECTED);
});

// The server-side pieces where the docs say they run: signalkit/proxy as a Worker (the .wasm
// imported as a module and passed as wasmModule) and signalkit/webhooks' handler.fetch as a
// Worker, then both under Deno.serve and Bun.serve.
const SECRET = `whsec_${Buffer.from('signalkit-runtime-matrix-key').subarray(0, 24).toString('base64')}`;

async function miniflare(entry, bindings, fn) {
  const { build } = await import('esbuild');
  const out = path.join(work, path.basename(entry, '.mjs'));
  // As wrangler does: the workerd/worker/browser conditions, .wasm imports left to the runtime.
  await build({
    entryPoints: [path.join(app, entry)], outfile: path.join(out, 'worker.mjs'), bundle: true, format: 'esm',
    platform: 'neutral', conditions: ['workerd', 'worker', 'browser'], mainFields: ['module', 'main'], logLevel: 'error',
    plugins: [{ name: 'wasm-modules', setup(b) { b.onResolve({ filter: /\.wasm$/ }, (args) => ({ path: `./${path.basename(args.path)}`, external: true })); } }],
  });
  copyFileSync(path.join(app, 'node_modules/signalkit/dist/signalkit.wasm'), path.join(out, 'signalkit.wasm'));
  const { Miniflare } = await import('miniflare');
  const mf = new Miniflare({
    modules: true, scriptPath: path.join(out, 'worker.mjs'), modulesRoot: out, compatibilityDate: '2025-01-01',
    modulesRules: [{ type: 'ESModule', include: ['**/*.js', '**/*.mjs'] }, { type: 'CompiledWasm', include: ['**/*.wasm'] }],
    bindings,
  });
  try {
    return await fn((p, init) => mf.dispatchFetch(`http://worker.test${p}`, init));
  } finally {
    await mf.dispose();
  }
}

test('signalkit/proxy in workerd (Miniflare), as the Workers recipe writes it: validates, forwards, refuses foreign origins, never answers the key', async () => {
  const result = await miniflare('proxy-worker.mjs', { PUFFLE_BASE_URL: emu.puffleBaseUrl, PUFFLE_API_KEY: emu.devKeys.puffle },
    (call) => proxyChecks(call, emu.devKeys.puffle, 'workerd'));
  assert.deepEqual(result, PROXY_EXPECTED);
});

test('signalkit/webhooks in workerd (Miniflare): a signed delivery handled once, its retry a duplicate, a tampered body refused', async () => {
  const result = await miniflare('webhook-worker.mjs', { WEBHOOK_SECRET: SECRET }, (call) => webhookChecks(call, SECRET));
  assert.deepEqual(result, WEBHOOK_EXPECTED);
});

// Starts tests/runtimes/app/fetch-serve.mjs under a runtime, runs both checks against the
// port it prints, stops it.
async function serveUnder(command, args) {
  const child = spawn(command, [...args, 'fetch-serve.mjs', emu.puffleBaseUrl, emu.devKeys.puffle, SECRET],
    { cwd: app, env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  try {
    const port = await new Promise((resolve, reject) => {
      let stdout = '';
      child.stdout.on('data', (d) => {
        stdout += d;
        const m = /listening (\d+)/.exec(stdout);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`${path.basename(command)} exited (${code}) before listening: ${stderr}`)));
    });
    const call = (p, init) => fetch(`http://127.0.0.1:${port}${p}`, init);
    return { proxy: await proxyChecks(call, emu.devKeys.puffle, path.basename(command)), webhooks: await webhookChecks(call, SECRET) };
  } finally {
    child.kill();
  }
}

test('signalkit/proxy and signalkit/webhooks under Deno.serve', async () => {
  const result = await serveUnder(path.join(BIN, 'deno'), ['run', '--allow-read', '--allow-env', '--allow-net=127.0.0.1']);
  assert.deepEqual(result, { proxy: PROXY_EXPECTED, webhooks: WEBHOOK_EXPECTED });
});

test('signalkit/proxy and signalkit/webhooks under Bun.serve', async () => {
  const result = await serveUnder(path.join(BIN, 'bun'), ['run']);
  assert.deepEqual(result, { proxy: PROXY_EXPECTED, webhooks: WEBHOOK_EXPECTED });
});

test('TypeScript strict: nodenext, node16 (ES module and CommonJS) and bundler type-check the main flows', async () => {
  const configs = {
    nodenext: { module: 'nodenext', moduleResolution: 'nodenext', files: ['flows.mts', 'flows.cts'] },
    node16: { module: 'node16', moduleResolution: 'node16', files: ['flows.mts', 'flows.cts'] },
    bundler: { module: 'esnext', moduleResolution: 'bundler', files: ['flows.ts'] },
  };
  copyFileSync(path.join(app, 'flows.ts'), path.join(app, 'flows.mts'));
  copyFileSync(path.join(app, 'flows.ts'), path.join(app, 'flows.cts'));
  for (const [name, { files, ...options }] of Object.entries(configs)) {
    const tsconfig = path.join(app, `tsconfig.${name}.json`);
    writeFileSync(tsconfig, JSON.stringify({
      compilerOptions: { ...options, strict: true, noEmit: true, target: 'es2022', lib: ['es2022', 'dom', 'esnext.disposable'], types: [], skipLibCheck: false },
      files,
    }));
    const result = await run(path.join(BIN, 'tsc'), ['-p', tsconfig], { cwd: app }).catch((err) => err);
    assert.equal(result.code ?? 0, 0, `tsc (${name}):\n${result.stdout}`);
  }
});

/** Loads a page in Chromium and resolves with its window.__result. */
async function pageResult(url) {
  browser ??= await launch();
  const page = await newPage(browser.context);
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 30_000 });
    return await page.evaluate(() => window.__result);
  } finally {
    await page.close();
  }
}
const query = () => `?emulator=${encodeURIComponent(emu.url)}&key=${emu.devKeys.puffle}`;

test('Vite dev server (dependency pre-bundling on, no config) in Chromium', async () => {
  const { createServer } = await import('vite');
  const server = await createServer({
    root: app, configFile: false, logLevel: 'silent', cacheDir: path.join(app, 'node_modules/.vite'),
    server: { host: '127.0.0.1', port: await freePort(), strictPort: true, hmr: false },
  });
  await server.listen();
  try {
    assert.deepEqual(await pageResult(`${server.resolvedUrls.local[0]}${query()}`), EXPECTED);
  } finally {
    await server.close();
  }
});

test('vite build in Chromium', async () => {
  const { build } = await import('vite');
  const outDir = path.join(work, 'vite-dist');
  await build({ root: app, configFile: false, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  assert.ok(readdirSync(path.join(outDir, 'assets')).some((f) => /^signalkit-.*\.wasm$/.test(f)), 'the .wasm is emitted');
  await withServer(outDir, async (url) => assert.deepEqual(await pageResult(`${url}/index.html${query()}`), EXPECTED));
});

test('webpack 5 (no config beyond entry and output) in Chromium', async () => {
  const { default: webpack } = await import('webpack');
  const outDir = path.join(work, 'webpack-dist');
  const stats = await promisify(webpack)({
    mode: 'production', context: app, entry: './page.mjs', output: { path: outDir, filename: 'page.mjs' }, target: 'web',
    experiments: { topLevelAwait: true },
  });
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  copyFileSync(path.join(app, 'index.html'), path.join(outDir, 'index.html'));
  await withServer(outDir, async (url) => assert.deepEqual(await pageResult(`${url}/index.html${query()}`), EXPECTED));
});

test('esbuild browser bundle (no externals) in Chromium: a clear error naming the .wasm URL, then locateFile', async () => {
  const { build } = await import('esbuild');
  const outDir = path.join(work, 'esbuild-dist');
  await build({ entryPoints: [path.join(app, 'page.mjs')], outdir: outDir, bundle: true, format: 'esm', platform: 'browser', logLevel: 'error', outExtension: { '.js': '.mjs' } });
  copyFileSync(path.join(app, 'index.html'), path.join(outDir, 'index.html'));
  await withServer(outDir, async (url) => {
    // esbuild does not copy the .wasm: the error says which URL failed and what to do.
    const { error } = await pageResult(`${url}/index.html`);
    assert.match(error, /^SignalkitError: signalkit could not load its engine: fetching http:\/\/127\.0\.0\.1:\d+\/dist\/signalkit\.wasm failed: the server answered 404/);
    assert.match(error, /locateFile/);
    assert.match(error, /wasmBinary/);
    assert.match(error, /wasmModule/);
    copyFileSync(path.join(app, 'node_modules/signalkit/dist/signalkit.wasm'), path.join(outDir, 'signalkit.wasm'));
    assert.deepEqual(await pageResult(`${url}/index.html${query()}&wasm=/signalkit.wasm`), EXPECTED);
  });
});

test('in a browser, a CORS refusal and a closed port are told apart, and the message says what to do', async () => {
  const { build } = await import('esbuild');
  const outDir = path.join(work, 'network-dist');
  await build({ entryPoints: [path.join(app, 'network.mjs')], outfile: path.join(outDir, 'page.mjs'), bundle: true, format: 'esm', platform: 'browser', logLevel: 'error' });
  copyFileSync(path.join(app, 'index.html'), path.join(outDir, 'index.html'));
  mkdirSync(path.join(outDir, 'dist'));  // where the bundle looks for the .wasm: beside it, in dist/
  copyFileSync(path.join(app, 'node_modules/signalkit/dist/signalkit.wasm'), path.join(outDir, 'dist/signalkit.wasm'));
  const { startEmulator } = await import(path.join(app, 'node_modules/signalkit/js/emulator/index.js'));
  const noCors = await startEmulator();
  const closedPort = await freePort();
  try {
    await withServer(outDir, async (url) => {
      const cors = await pageResult(`${url}/index.html?api=${encodeURIComponent(noCors.url)}`);
      assert.match(cors.error, /^NetworkError: Puffle GET \/signals\/types: the connection failed \(Failed to fetch\)\. The server at http:\/\/127\.0\.0\.1:\d+ answered, but the browser refused to show this page its answer \(CORS\)/);
      assert.ok(cors.error.includes(`The local emulator allows it when started with --cors ${url}`), cors.error);
      const closed = await pageResult(`${url}/index.html?api=${encodeURIComponent(`http://127.0.0.1:${closedPort}`)}`);
      assert.ok(closed.error.endsWith(`. Nothing answered at http://127.0.0.1:${closedPort}: is the server running? (the local emulator: npx signalkit emulator --cors ${url})`), closed.error);
    });
  } finally {
    await noCors.close();
  }
});

test('esbuild Node bundle (no externals)', async () => {
  const { build } = await import('esbuild');
  const outfile = path.join(work, 'esbuild-node/cli.mjs');
  await build({ entryPoints: [path.join(app, 'cli.mjs')], outfile, bundle: true, format: 'esm', platform: 'node', logLevel: 'error' });
  // The bundle has no .wasm beside it: the error names the file it tried.
  const failed = await run(process.execPath, [outfile], { cwd: app }).catch((err) => err);
  assert.ok(failed.stderr.includes(`signalkit could not load its engine: reading ${path.join(work, 'dist/signalkit.wasm')} failed (ENOENT). `
    + 'Point loadEngine at the file with { locateFile'), failed.stderr);
  mkdirSync(path.join(work, 'dist'), { recursive: true });
  copyFileSync(path.join(app, 'node_modules/signalkit/dist/signalkit.wasm'), path.join(work, 'dist/signalkit.wasm'));
  assert.deepEqual(json((await run(process.execPath, [outfile, emu.url, emu.devKeys.puffle], { cwd: app })).stdout), EXPECTED);
});

async function withServer(dir, fn) {
  const server = await serveStatic(dir);
  try {
    await fn(server.url);
  } finally {
    await server.close();
  }
}

async function freePort() {
  const server = await serveStatic(work);
  const { port } = new URL(server.url);
  await server.close();
  return Number(port);
}
