// Builds dist/signalkit.global.js: the whole package for a plain <script> tag (no module,
// no bundler, no separate .wasm). The single-file engine (dist/signalkit.single.js, the
// .wasm inlined as base64; CMake target signalkit_wasm_single) and the ESM wrapper are
// bundled into one IIFE that sets `window.signalkit`:
//
//   <script src="signalkit.global.js"></script>
//   <script src="app.js"></script>   // signalkit.loadEngine().then((engine) => …)
//
// Run after scripts/build-wasm.sh. Fast (esbuild, ~100 ms); rebuilt only when an input is
// newer than the output, unless --force.
import { build } from 'esbuild';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const single = path.join(root, 'dist/signalkit.single.js');
const outfile = path.join(root, 'dist/signalkit.global.js');

if (!existsSync(single)) {
  console.error('build-browser: dist/signalkit.single.js is missing (run scripts/build-wasm.sh first)');
  process.exit(1);
}

function newestInput() {
  let newest = statSync(single).mtimeMs;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'emulator' && e.name !== 'widgets') walk(p); } else if (p.endsWith('.js')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(path.join(root, 'js'));
  return newest;
}

if (!process.argv.includes('--force') && existsSync(outfile) && statSync(outfile).mtimeMs >= Math.max(newestInput(), statSync(fileURLToPath(import.meta.url)).mtimeMs)) {
  console.log('build-browser: dist/signalkit.global.js is up to date');
  process.exit(0);
}

// The entry, written here rather than as a file: the package entry itself, with engine
// loading (js/load.js) replaced by a virtual module that instantiates the single-file glue,
// so the bundle never contains the ESM glue or looks for a separate .wasm.
const entry = "export * from './js/index.js';\n";
const loader = `
import createSignalkit from './dist/signalkit.single.js';
import { createEngine } from './js/engine.js';
let cached = null;
/** Instantiates the engine once (the .wasm is inside this file); later calls share it. */
export function loadEngine(options = {}) {
  if (!cached) {
    cached = createSignalkit({ ...options }).then(createEngine).catch((err) => { cached = null; throw err; });
  }
  return cached;
}
`;
const globalPlugin = {
  name: 'signalkit-global',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/load\.js$/ }, (args) => (args.importer.startsWith(path.join(root, 'js') + path.sep)
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

const result = await build({
  stdin: { contents: entry, resolveDir: root, sourcefile: 'signalkit-global-entry.js', loader: 'js' },
  outfile,
  bundle: true,
  format: 'iife',
  globalName: 'signalkit',
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
const bytes = statSync(outfile).size;
console.log(`build-browser: dist/signalkit.global.js (${Math.round(bytes / 1024)} KiB, ${Object.keys(result.metafile.inputs).length} inputs)`);
