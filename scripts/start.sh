#!/usr/bin/env bash
# `npm start`: from a fresh clone to the dashboard in a browser.
#   1. bootstrap   system packages, RE2 source, npm ci (quick when everything is present)
#   2. build       the wasm engine and JS bundles (no-op when up to date) and the
#                  single-file <script> bundles dist/signalkit.global.js and
#                  dist/signalkit.widgets.js
#   3. serve       the emulator, a signalkit proxy holding its dev keys (/proxy), the
#                  dashboard and the low-code page on 127.0.0.1; prints the URLs.
# Ctrl-C stops both (the node process owns both servers and closes them on SIGINT/SIGTERM).
#
# Environment: PORT (dashboard, default 8080), EMULATOR_PORT (default 4010); a port in use
# falls back to a free one. SK_SKIP_BOOTSTRAP=1 skips step 1.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${SK_SKIP_BOOTSTRAP:-0}" != 1 ]; then
  echo "== bootstrap"
  bash scripts/bootstrap.sh
fi

echo "== build (no-op when up to date)"
bash scripts/build.sh

echo "== serve"
exec node demo/server.mjs --port "${PORT:-8080}" --emulator-port "${EMULATOR_PORT:-4010}"
