// Bundles the package's entries with esbuild, and writes the CommonJS declarations beside the
// ES ones. The js/ sources are what the repository's tests and tools import; the package
// entries "." and "./proxy" ship as bundles (docs/architecture.md, "Sources and bundles").
//
// ES module bundles, minified with source maps: one file to load instead of ~40 modules
// (importing the entry's module graph file by file was most of the start-up time,
// docs/performance.md):
// - js/index.js → dist/index.mjs, the ESM glue dist/signalkit.esm.mjs included. The runtime's
//   .wasm loader stays the run-time import '#signalkit-wasm' (package.json "imports"), so
//   each runtime and bundler still picks its own (js/load.js).
// - js/proxy/index.js → dist/proxy.mjs, importing the engine, the clients and the error
//   classes from './index.mjs' (as dist/proxy.cjs does from './index.cjs', below).
//
// CommonJS bundles, so that require() works on Node 20 (which cannot require() an ES module):
// - js/index.js → dist/index.cjs. The wrapper imports the ESM glue '../dist/signalkit.esm.mjs';
//   in the bundle that import becomes require() of the CommonJS glue './signalkit.cjs' (same
//   wasm, Node-capable glue). Run after build-wasm.sh.
// - js/emulator/index.js → dist/emulator.cjs (the engine as above).
// - js/webhooks/index.js → dist/webhooks.cjs (no engine, no glue, no Node built-in).
// - js/redis/index.js → dist/redis.cjs (no engine; its Redis client is imported only when a
//   store first connects).
// - types/<name>.d.ts → types/<name>.d.cts (git-ignored): the same declarations for the
//   "require" condition, which TypeScript (module node16/nodenext) reads as CommonJS.
// - js/proxy/index.js → dist/proxy.cjs. The engine, the clients and the error classes are
//   require('./index.cjs'): one engine and one rate limiter per key in the process, and the
//   proxy's instanceof checks see the classes the clients throw.
// Runtime and optional peer dependencies (package.json "dependencies", "peerDependencies":
// ioredis, redis) stay external: npm installs them, or the user does.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const dependencies = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
for (const f of ['js/index.js', 'dist/signalkit.cjs', 'dist/signalkit.esm.mjs', 'js/webhooks/index.js', 'js/redis/index.js', 'js/proxy/index.js']) {
  if (!existsSync(path.join(root, f))) {
    console.error(`build-js: ${f} is missing${f.startsWith('dist/') ? ' (run scripts/build-wasm.sh first)' : ''}`);
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

// CommonJS has no import.meta: each module's `import.meta.url` becomes the URL its source
// file would have in the installed package (the bundle's folder is dist/, beside js/), so
// that new URL('../../schemas/', import.meta.url) and the like resolve as they do unbundled.
const fileUrls = {
  name: 'file-urls',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      const rel = path.relative(root, args.path).split(path.sep).join('/');
      const contents = (await readFile(args.path, 'utf8')).replace(/\bimport\.meta\.url\b/g, `__signalkit_file_url(${JSON.stringify(rel)})`);
      return { contents, loader: 'js' };
    });
  },
};

// The modules the entry's bundle already holds (the package entry exports what the proxy
// uses of them), imported from it (./index.cjs, ./index.mjs) instead of bundled a second time.
const FROM_INDEX = ['js/load.js', 'js/engine.js', 'js/errors.js', 'js/puffle/index.js', 'js/saber/index.js'].map((f) => path.join(root, f));
const sharedWithIndex = (index) => ({
  name: 'shared-with-index',
  setup(b) {
    b.onResolve({ filter: /\.js$/ }, (args) => (FROM_INDEX.includes(path.resolve(args.resolveDir, args.path))
      ? { path: index, external: true } : undefined));
  },
});

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // node: builtins and runtime dependencies stay require()s; nothing else is external
  // except the glue (below).
  external: ['node:*', ...dependencies],
  logLevel: 'warning',
  metafile: true,
  banner: {
    js: "const __signalkit_file_url = (rel) => require('node:url').pathToFileURL(require('node:path').join(__dirname, '..', rel)).href;",
  },
};

// The ES module bundles run everywhere the sources did (browsers, workers, bundlers, Deno,
// Bun, Node): no Node built-in is bundled or imported, and import.meta.url keeps its meaning
// (from dist/, '../dist/signalkit.wasm' is still the package's .wasm). keepNames: the error
// classes' names are their class names. The source maps point at the js/ files the package
// ships rather than carrying their text (node --enable-source-maps, browsers' devtools).
const esm = {
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  external: ['#signalkit-wasm', 'node:*', ...dependencies],
  minify: true,
  keepNames: true,
  sourcemap: true,
  sourcesContent: false,
  banner: undefined, // the CommonJS banner (require() for file URLs) has no place here
  inputs: /^(js\/|dist\/signalkit\.esm\.mjs$)/,
};

const bundles = [
  { ...esm, entryPoints: ['js/index.js'], outfile: 'dist/index.mjs' },
  { ...esm, entryPoints: ['js/proxy/index.js'], outfile: 'dist/proxy.mjs', plugins: [sharedWithIndex('./index.mjs')] },
  { entryPoints: ['js/index.js'], outfile: 'dist/index.cjs', plugins: [glueToCjs, fileUrls] },
  { entryPoints: ['js/emulator/index.js'], outfile: 'dist/emulator.cjs', plugins: [glueToCjs, fileUrls] },
  { entryPoints: ['js/webhooks/index.js'], outfile: 'dist/webhooks.cjs' },
  { entryPoints: ['js/redis/index.js'], outfile: 'dist/redis.cjs' },
  { entryPoints: ['js/proxy/index.js'], outfile: 'dist/proxy.cjs', plugins: [sharedWithIndex('./index.cjs')] },
];

for (const { inputs: allowed = /^js\//, ...options } of bundles) {
  const result = await build({ ...common, ...options });
  const inputs = Object.keys(result.metafile.inputs);
  const stray = inputs.filter((f) => !allowed.test(f));
  if (stray.length) {
    console.error(`build-js: unexpected inputs bundled into ${options.outfile}: ${stray.join(', ')}`);
    process.exit(1);
  }
  console.log(`build-js: ${options.outfile} from ${inputs.length} module(s)`);
}

// The declarations for require(): the same text, importing each other as .cjs.
const declarations = readdirSync(path.join(root, 'types')).filter((f) => f.endsWith('.d.ts'));
for (const f of declarations) {
  const text = readFileSync(path.join(root, 'types', f), 'utf8').replace(/from '\.\/(\w+)\.js'/g, "from './$1.cjs'");
  writeFileSync(path.join(root, 'types', f.replace(/\.d\.ts$/, '.d.cts')), text);
}
console.log(`build-js: types/*.d.cts from ${declarations.length} declaration file(s)`);
