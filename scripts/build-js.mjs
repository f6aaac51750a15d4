// Bundles the ESM entries into CommonJS so that require() works on Node 20 (which cannot
// require() an ES module):
// - js/index.js → dist/index.cjs. The wrapper imports the ESM glue '../dist/signalkit.esm.mjs';
//   in the bundle that import becomes require() of the CommonJS glue './signalkit.cjs' (same
//   wasm, Node-capable glue). Run after build-wasm.sh.
// - js/webhooks/index.js → dist/webhooks.cjs (no engine, no glue, no Node built-in).
// - js/redis/index.js → dist/redis.cjs (no engine; its Redis client is imported only when a
//   store first connects).
// - js/proxy/index.js → dist/proxy.cjs. The engine, the clients and the error classes are
//   require('./index.cjs'): one engine and one rate limiter per key in the process, and the
//   proxy's instanceof checks see the classes the clients throw.
// Runtime and optional peer dependencies (package.json "dependencies", "peerDependencies":
// ioredis, redis) stay require()s: npm installs them, or the user does.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const dependencies = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
for (const f of ['js/index.js', 'dist/signalkit.cjs', 'js/webhooks/index.js', 'js/redis/index.js', 'js/proxy/index.js']) {
  if (!existsSync(path.join(root, f))) {
    console.error(`build-js: ${f} is missing${f.endsWith('.cjs') ? ' (run scripts/build-wasm.sh first)' : ''}`);
    process.exit(1);
  }
}

const esmGlue = /(^|\/)signalkit\.esm\.mjs$/;
const glueToCjs = {
  name: 'glue-to-cjs',
  setup(b) {
    // Any import of the ESM glue resolves to the CJS glue next to the bundle, kept external
    // so the bundle stays small and loads the same file the package ships.
    b.onResolve({ filter: esmGlue }, () => ({ path: './signalkit.cjs', external: true }));
  },
};

// The modules dist/index.cjs already holds (the package entry exports what the proxy uses
// of them), required from it instead of bundled a second time.
const FROM_INDEX = ['js/load.js', 'js/engine.js', 'js/errors.js', 'js/puffle/index.js', 'js/saber/index.js'].map((f) => path.join(root, f));
const sharedWithIndex = {
  name: 'shared-with-index',
  setup(b) {
    b.onResolve({ filter: /\.js$/ }, (args) => (FROM_INDEX.includes(path.resolve(args.resolveDir, args.path))
      ? { path: './index.cjs', external: true } : undefined));
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // node: builtins and runtime dependencies stay require()s; nothing else is external
  // except the glue (above).
  external: ['node:*', ...dependencies],
  logLevel: 'warning',
  metafile: true,
};

const bundles = [
  {
    entryPoints: ['js/index.js'],
    outfile: 'dist/index.cjs',
    plugins: [glueToCjs],
    // CJS has no import.meta: give the wrapper the bundle's own file URL instead, so
    // new URL('../dist/signalkit.wasm', import.meta.url) still resolves inside dist/.
    define: { 'import.meta.url': '__signalkit_import_meta_url' },
    banner: { js: "const __signalkit_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  },
  { entryPoints: ['js/webhooks/index.js'], outfile: 'dist/webhooks.cjs' },
  { entryPoints: ['js/redis/index.js'], outfile: 'dist/redis.cjs' },
  { entryPoints: ['js/proxy/index.js'], outfile: 'dist/proxy.cjs', plugins: [sharedWithIndex] },
];

for (const options of bundles) {
  const result = await build({ ...common, ...options });
  const inputs = Object.keys(result.metafile.inputs);
  const stray = inputs.filter((f) => !f.startsWith('js/'));
  if (stray.length) {
    console.error(`build-js: unexpected inputs bundled into ${options.outfile}: ${stray.join(', ')}`);
    process.exit(1);
  }
  console.log(`build-js: ${options.outfile} from ${inputs.length} module(s)`);
}
