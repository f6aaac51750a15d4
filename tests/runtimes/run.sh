#!/usr/bin/env bash
# The runtime and bundler matrix (tests/runtimes/matrix.test.mjs): the package from
# `npm pack` in a fresh folder, run by Node (ESM, CJS), Bun, Deno, Cloudflare workerd
# (Miniflare), type-checked by TypeScript (nodenext, node16, bundler), and bundled by Vite
# (dev server and build), webpack 5 and esbuild, the pages loaded in Debian's Chromium.
# Called by scripts/test.sh after the wasm and JS build; also `npm run test:runtimes`.
# Writes test-results/runtimes/manifest.tsv for scripts/summary.mjs.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=test-results/runtimes
MANIFEST=$OUT/manifest.tsv
mkdir -p "$OUT" && : >"$MANIFEST"

for f in dist/signalkit.esm.mjs dist/signalkit.wasm dist/index.mjs dist/index.cjs dist/proxy.mjs dist/emulator.cjs types/index.d.cts; do
  if [ ! -f "$f" ]; then
    echo "runtimes: $f is missing: run scripts/build-wasm.sh and scripts/build-js.mjs first" >&2
    printf 'check\truntimes (build)\t-\t1\n' >>"$MANIFEST"
    node scripts/summary.mjs "$MANIFEST"; exit 1
  fi
done

node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$OUT/results.tap" \
  tests/runtimes/matrix.test.mjs
printf 'tap\truntimes\t%s\t%s\n' "$OUT/results.tap" $? >>"$MANIFEST"
node scripts/summary.mjs "$MANIFEST"
