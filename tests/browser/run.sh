#!/usr/bin/env bash
# Browser tests in Debian's Chromium (playwright-core drives /usr/bin/chromium; nothing is
# downloaded). Called by scripts/test.sh after the wasm build; also `npm run test:browser`.
# Screenshots and the Vite consumer build go to test-results/browser/ (git-ignored).
# The last line is exactly `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=test-results/browser
mkdir -p "$OUT"

fail_all() { echo "browser: $1" >&2; echo "0 passed, 1 failed"; exit 1; }

CHROMIUM=${SK_CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || fail_all "$CHROMIUM not found (scripts/bootstrap.sh installs the chromium package)"
for f in dist/signalkit.esm.mjs dist/signalkit.wasm dist/signalkit.single.js; do
  [ -f "$f" ] || fail_all "$f is missing: run scripts/build-wasm.sh first"
done
# The <script> bundle is this suite's own build step (fast; skipped when up to date).
node scripts/build-browser.mjs || fail_all "scripts/build-browser.mjs failed"

# One file at a time (each launches its own Chromium); TAP to a file for the count, the
# spec reporter to the terminal.
node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$OUT/results.tap" \
  tests/browser/*.test.mjs
status=$?

pass=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$OUT/results.tap" | tail -1)
fail=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$OUT/results.tap" | tail -1)
cancelled=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$OUT/results.tap" | tail -1)
pass=${pass:-0}; fail=$(( ${fail:-0} + ${cancelled:-0} ))
# A crash before any test ran still counts as a failure.
if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi

echo "screenshots: $OUT/*.png"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
