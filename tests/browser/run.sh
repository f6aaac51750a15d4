#!/usr/bin/env bash
# Browser tests in Debian's Chromium (playwright-core drives /usr/bin/chromium; nothing is
# downloaded). Called by scripts/test.sh after the wasm build; also `npm run test:browser`.
# Screenshots and the Vite consumer build go to test-results/browser/ (git-ignored).
# Writes test-results/browser/manifest.tsv for scripts/summary.mjs, whose last line,
# exactly `N passed, N failed`, is this script's last line.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=test-results/browser
MANIFEST=$OUT/manifest.tsv
mkdir -p "$OUT" && : >"$MANIFEST"

summary() { node scripts/summary.mjs "$MANIFEST"; }
fail_all() { echo "browser: $1" >&2; printf 'check\tbrowser (%s)\t-\t1\n' "$2" >>"$MANIFEST"; summary; exit 1; }

CHROMIUM=${SK_CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || fail_all "$CHROMIUM not found (scripts/bootstrap.sh installs the chromium package)" chromium
for f in dist/signalkit.esm.mjs dist/signalkit.wasm dist/signalkit.single.js; do
  [ -f "$f" ] || fail_all "$f is missing: run scripts/build-wasm.sh first" build
done
# The <script> bundle is this suite's own build step (fast; skipped when up to date).
node scripts/build-browser.mjs || fail_all "scripts/build-browser.mjs failed" "script bundle"

# One file at a time (each launches its own Chromium); TAP to a file for the count, the
# spec reporter to the terminal.
node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$OUT/results.tap" \
  tests/browser/*.test.mjs
printf 'tap\tbrowser\t%s\t%s\n' "$OUT/results.tap" $? >>"$MANIFEST"

echo "screenshots: $OUT/*.png"
summary
