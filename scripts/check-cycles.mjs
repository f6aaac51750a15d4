// Fails when the package's own ES modules import each other in a cycle (run by
// scripts/test.sh; `node scripts/check-cycles.mjs`). A cycle works only as long as nobody
// touches an import during module evaluation, so we keep the graph acyclic instead.
//
// The graph comes from esbuild's metafile (esbuild parses the modules; nothing is written):
// every module under js/ and demo/ is an entry point, static `import`/`export from` and
// dynamic `import()` both count as edges, anything outside those folders (the wasm glue
// in dist/, node: built-ins, npm packages) is left out.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FOLDERS = ['js', 'demo'];
const inScope = (file) => FOLDERS.some((f) => file.startsWith(`${f}/`));

function modules(dir) {
  const out = [];
  for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...modules(rel));
    else if (/\.m?js$/.test(e.name)) out.push(rel);
  }
  return out;
}

const entryPoints = FOLDERS.flatMap(modules);
const outOfScope = {
  name: 'out-of-scope',
  setup(b) {
    // Only our own modules are followed; the rest is a leaf of the graph.
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (!args.path.startsWith('.')) return { path: args.path, external: true };
      const abs = path.resolve(args.resolveDir, args.path);
      return inScope(path.relative(root, abs).split(path.sep).join('/')) ? undefined : { path: args.path, external: true };
    });
  },
};
const { metafile } = await build({
  entryPoints,
  absWorkingDir: root,
  bundle: true,
  write: false,
  outdir: 'out',
  format: 'esm',
  platform: 'neutral',
  splitting: true,
  metafile: true,
  logLevel: 'error',
  loader: { '.js': 'js', '.mjs': 'js' },
  plugins: [outOfScope],
});

const graph = new Map();
for (const [file, input] of Object.entries(metafile.inputs)) {
  if (!inScope(file)) continue;
  graph.set(file, input.imports.filter((i) => !i.external && inScope(i.path)).map((i) => i.path));
}

// Depth-first search; a back edge closes a cycle, reported as the path around it.
const cycles = [];
const state = new Map(); // file -> 'open' | 'done'
const stack = [];
function visit(file) {
  state.set(file, 'open');
  stack.push(file);
  for (const next of graph.get(file) ?? []) {
    if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
    else if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(file, 'done');
}
for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);

const edges = [...graph.values()].reduce((n, list) => n + list.length, 0);
if (cycles.length) {
  console.error(`import cycles: ${cycles.length} found in ${graph.size} modules`);
  for (const c of cycles) console.error(`  ${c.join(' -> ')}`);
  process.exit(1);
}
console.log(`import cycles: none (${graph.size} modules, ${edges} imports under ${FOLDERS.join('/, ')}/)`);
