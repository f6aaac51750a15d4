// Bundles the ESM wrapper (js/index.js) into dist/index.cjs so that require('signalkit')
// works on Node 20 (which cannot require() an ES module). The wrapper imports the ESM
// glue '../dist/signalkit.esm.mjs'; in the bundle that import becomes require() of the
// CommonJS glue './signalkit.cjs' (same wasm, Node-capable glue). Run after build-wasm.sh.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'js/index.js');
const outfile = path.join(root, 'dist/index.cjs');
for (const f of [entry, path.join(root, 'dist/signalkit.cjs')]) {
  if (!existsSync(f)) {
    console.error(`build-js: ${path.relative(root, f)} is missing${f.endsWith('.cjs') ? ' (run scripts/build-wasm.sh first)' : ''}`);
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

const result = await build({
  entryPoints: [entry],
  outfile,
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // node: builtins stay require()s; nothing else is external except the glue (above).
  external: ['node:*'],
  plugins: [glueToCjs],
  // CJS has no import.meta: give the wrapper the bundle's own file URL instead, so
  // new URL('../dist/signalkit.wasm', import.meta.url) still resolves inside dist/.
  define: { 'import.meta.url': '__signalkit_import_meta_url' },
  banner: { js: "const __signalkit_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  metafile: true,
});

const inputs = Object.keys(result.metafile.inputs);
const stray = inputs.filter((f) => !f.startsWith('js/'));
if (stray.length) {
  console.error(`build-js: unexpected inputs bundled: ${stray.join(', ')}`);
  process.exit(1);
}
console.log(`build-js: dist/index.cjs from ${inputs.length} module(s)`);
