#!/usr/bin/env bash
# `npm run build`: the WebAssembly engine into dist/, the CommonJS bundle dist/index.cjs and
# the single-file <script> bundle dist/signalkit.global.js.
# Needs the tools from scripts/bootstrap.sh (run it once on a new machine).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-wasm.sh
node scripts/build-js.mjs
node scripts/build-browser.mjs
