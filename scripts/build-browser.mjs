// Builds the two files for a plain <script> tag (no module, no bundler, no separate .wasm):
// the single-file engine (dist/signalkit.single.js, the .wasm inlined as base64; CMake
// target signalkit_wasm_single) bundled with the ESM sources into one IIFE each.
//
//   dist/signalkit.global.js    the package, as `window.signalkit`
//     <script src="signalkit.global.js"></script>
//     <script src="app.js"></script>   // signalkit.loadEngine().then((engine) => …)
//   dist/signalkit.widgets.js   registers the three web components (docs/widgets.md); their
//                               classes, setDefaultEngine and loadEngine as `window.signalkitWidgets`
//     <script src="signalkit.widgets.js"></script>
//     <signalkit-keyword-preview endpoint="/signalkit"></signalkit-keyword-preview>
//
// Both work from file:// and under `script-src 'self' 'wasm-unsafe-eval'`. Run after
// scripts/build-wasm.sh. Fast (esbuild, ~100 ms each); a file is rebuilt only when an input
// is newer than it, unless --force.
import { build } from 'esbuild';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const single = path.join(root, 'dist/signalkit.single.js');
const BUNDLES = [
  { outfile: 'dist/signalkit.global.js', globalName: 'signalkit', entry: "export * from './js/index.js';\n" },
  {
    outfile: 'dist/signalkit.widgets.js',
    globalName: 'signalkitWidgets',
    entry: "export * from './js/widgets/index.js';\nexport { loadEngine } from './js/load.js';\n",
  },
];

if (!existsSync(single)) {
  console.error('build-browser: dist/signalkit.single.js is missing (run scripts/build-wasm.sh first)');
  process.exit(1);
}

function newestInput() {
  let newest = Math.max(statSync(single).mtimeMs, statSync(fileURLToPath(import.meta.url)).mtimeMs);
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p); else if (p.endsWith('.js')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(path.join(root, 'js'));
  return newest;
}

// Each entry is written here rather than as a file: the package entry (or the widgets'),
// with engine loading (js/load.js) replaced by a virtual module that instantiates the
// single-file glue, so a bundle never contains the ESM glue or looks for a separate .wasm.
const loader = `
import createSignalkit from './dist/signalkit.single.js';
import { createEngine } from './js/engine.js';
import { instantiateGlue } from './js/instantiate.js';
import { checkOptions } from './js/util/options.js';
let cached = null;
/**
 * Instantiates the engine once (the .wasm is inside this file); later calls share it. The
 * one option is wasmModule (a compiled WebAssembly.Module, e.g. received from another
 * worker); wasmBinary and locateFile, which name a separate .wasm, are refused here.
 */
export function loadEngine(options) {
  const o = checkOptions('loadEngine', options, ['wasmModule', 'wasmBinary', 'locateFile']);
  if (o.wasmBinary !== undefined || o.locateFile !== undefined) {
    throw new TypeError('loadEngine: this <script> bundle carries its engine inside it; wasmBinary and locateFile, which name a separate .wasm, do not apply (wasmModule does).');
  }
  if (o.wasmModule !== undefined && !(o.wasmModule instanceof WebAssembly.Module)) {
    throw new TypeError('loadEngine: wasmModule must be a WebAssembly.Module');
  }
  if (!cached) {
    cached = (o.wasmModule ? instantiateGlue(createSignalkit, o.wasmModule) : createSignalkit({}))
      .then(createEngine).catch((err) => { cached = null; throw err; });
  }
  return cached;
}
`;
const globalPlugin = {
  name: 'signalkit-global',
  setup(b) {
    // Every import of js/load.js (from the sources or the entry) gets the single-file loader.
    b.onResolve({ filter: /(^|\/)load\.js$/ }, (args) => (path.resolve(args.resolveDir, args.path) === path.join(root, 'js', 'load.js')
      ? { path: 'loader', namespace: 'sk-global' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'sk-global' }, () => ({ contents: loader, resolveDir: root, loader: 'js' }));
    b.onLoad({ filter: /signalkit\.single\.js$/ }, async (args) => {
      let glue = await readFile(args.path, 'utf8');
      // emscripten 3.1.6's glue fetch()es its own data: URL before decoding the base64
      // itself; under a CSP without `connect-src data:` that is a reported violation. Skip
      // the fetch for data: URLs (later emscripten versions do the same).
      const fetchCheck = 'if(!wasmBinary&&(ENVIRONMENT_IS_WEB||ENVIRONMENT_IS_WORKER)){if(typeof fetch=="function"){';
      if (glue.split(fetchCheck).length !== 2) {
        throw new Error('build-browser: the single-file glue changed; update the data: URL fetch patch');
      }
      glue = glue.replace(fetchCheck, 'if(!wasmBinary&&(ENVIRONMENT_IS_WEB||ENVIRONMENT_IS_WORKER)){if(typeof fetch=="function"&&!isDataURI(wasmBinaryFile)){');
      // The UMD glue is CommonJS in a "type": "module" package: give it an ES default
      // export (its own module.exports line is guarded by typeof checks and stays inert).
      return { contents: `${glue}\nexport default createSignalkit;\n`, loader: 'js' };
    });
  },
};

const newest = newestInput();
for (const { outfile, globalName, entry } of BUNDLES) {
  const out = path.join(root, outfile);
  if (!process.argv.includes('--force') && existsSync(out) && statSync(out).mtimeMs >= newest) {
    console.log(`build-browser: ${outfile} is up to date`);
    continue;
  }
  const result = await build({
    stdin: { contents: entry, resolveDir: root, sourcefile: `${globalName}-entry.js`, loader: 'js' },
    outfile: out,
    bundle: true,
    format: 'iife',
    globalName,
    platform: 'browser',
    target: ['chrome95', 'firefox100', 'safari15'],
    // The node: imports sit behind runtime checks the browser never takes.
    external: ['node:*'],
    logLevel: 'warning',
    metafile: true,
    legalComments: 'none',
    logOverride: { 'commonjs-variable-in-esm': 'silent' },
    plugins: [globalPlugin],
  });
  const bytes = statSync(out).size;
  console.log(`build-browser: ${outfile} (${Math.round(bytes / 1024)} KiB, ${Object.keys(result.metafile.inputs).length} inputs)`);
}
