#!/usr/bin/env bash
# `npm run build`: the WebAssembly engine into dist/, the ES module bundles (dist/index.mjs,
# proxy.mjs), the CommonJS bundles (dist/index.cjs, emulator.cjs, webhooks.cjs, redis.cjs,
# proxy.cjs) and the single-file <script> bundles dist/signalkit.global.js and
# dist/signalkit.widgets.js.
# Needs the tools from scripts/bootstrap.sh (run it once on a new machine).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-wasm.sh
node scripts/build-js.mjs
node scripts/build-browser.mjs
