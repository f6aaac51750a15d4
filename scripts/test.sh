#!/usr/bin/env bash
# `npm test` (and .ci/run): everything from a fresh clone, no manual step.
#
#   1. bootstrap        system packages, RE2 source, npm ci (quick when all is present)
#   2. native           build-native/ + ctest (GoogleTest)
#   3. fuzz             build-fuzz/: every libFuzzer target for SK_FUZZ_SECONDS (30) each
#   4. wasm + js        build-wasm/ -> dist/signalkit.{cjs,esm.mjs,wasm}, dist/index.{mjs,cjs}
#   5. types            the OpenAPI documents' types (openapi-typescript), then tsc --noEmit
#                       -p tests/types (engine, clients, widgets, emulator, webhooks, and the
#                       declarations held to the documents: one project)
#   6. import cycles    scripts/check-cycles.mjs (the JS import graph has none)
#   7. openapi          redocly lint of schemas/openapi/*.json (scripts/lint-openapi.sh)
#   8. jest             tests/js (the real wasm build through the JS package)
#   9. browser          tests/browser/run.sh, when it exists
#  10. runtimes         tests/runtimes/run.sh: the packed package in Node, Bun, Deno, workerd,
#                       TypeScript, Vite (dev + build), webpack and esbuild (pages in Chromium)
#
# Keeps going after a failure so one run reports everything. Each step appends a line to
# test-results/manifest.tsv naming its runner's results; scripts/summary.mjs counts them
# (ctest tests + jest tests + browser tests + one per fuzzer, type check, OpenAPI lint,
# cycle check and failed build step) and prints the last line, exactly `N passed, N failed`.
# The exit status is non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS=${SK_FUZZ_SECONDS:-30}
OUT=test-results            # git-ignored
MANIFEST=$OUT/manifest.tsv
rm -rf "$OUT" && mkdir -p "$OUT" && : >"$MANIFEST"

step()   { printf '\n=== %s (at %dm%02ds) ===\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }
# record <format> <name> <results file | -> <exit status>   (formats: scripts/summary.mjs)
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$MANIFEST"; }
finish() {
  printf '\ntotal time %dm%02ds\n' $((SECONDS / 60)) $((SECONDS % 60))
  node scripts/summary.mjs "$MANIFEST"
  exit $?
}

step "bootstrap"
bash scripts/bootstrap.sh; status=$?
if [ "$status" -ne 0 ]; then record check bootstrap - "$status"; finish; fi

step "native build + ctest"
bash scripts/build-native.sh; status=$?
if [ "$status" -eq 0 ]; then
  ctest --test-dir build-native -j"${SK_JOBS:-2}" --output-on-failure --no-tests=error \
        --output-junit "$PWD/$OUT/ctest.xml"
  record junit ctest "$OUT/ctest.xml" $?
else
  record check "native build" - "$status"
fi

step "fuzz (${FUZZ_SECONDS}s per target)"
bash scripts/build-fuzz.sh --run "$FUZZ_SECONDS" | tee "$OUT/fuzz.log"
record fuzz fuzz "$OUT/fuzz.log" "${PIPESTATUS[0]}"

step "wasm build + js bundle"
bash scripts/build-wasm.sh && node scripts/build-js.mjs; wasm_status=$?
[ "$wasm_status" -eq 0 ] || record check "wasm/js build" - "$wasm_status"

step "types (openapi-typescript, then tsc --noEmit -p tests/types)"
npm run -s test:types; status=$?   # scripts/openapi-types.sh && tsc --noEmit -p tests/types
record check tsc - "$status"
[ "$status" -ne 0 ] || echo "types: ok"

step "import cycles (scripts/check-cycles.mjs)"
npm run -s check:cycles            # node scripts/check-cycles.mjs
record check "import cycles" - $?

step "openapi (redocly lint)"
bash scripts/lint-openapi.sh
record check "openapi lint" - $?

step "jest"
if [ "$wasm_status" -eq 0 ]; then
  # ESM test files need the VM modules flag; fetch stays on (tests use it against a
  # loopback emulator; the wrapper passes wasmBinary, so the glue never fetches).
  NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning" \
    node_modules/.bin/jest --ci --json --outputFile="$OUT/jest.json"
  record jest jest "$OUT/jest.json" $?
else
  echo "skipped: the wasm build failed"
fi

if [ -f tests/browser/run.sh ]; then
  step "browser"
  # The runner writes its own manifest lines (test-results/browser/manifest.tsv).
  bash tests/browser/run.sh; status=$?
  if [ -s "$OUT/browser/manifest.tsv" ]; then
    cat "$OUT/browser/manifest.tsv" >>"$MANIFEST"
  else
    record check browser - "$((status == 0 ? 1 : status))"
  fi
fi

step "runtimes"
if [ "$wasm_status" -eq 0 ]; then
  # The runner writes its own manifest lines (test-results/runtimes/manifest.tsv).
  bash tests/runtimes/run.sh; status=$?
  if [ -s "$OUT/runtimes/manifest.tsv" ]; then
    cat "$OUT/runtimes/manifest.tsv" >>"$MANIFEST"
  else
    record check runtimes - "$((status == 0 ? 1 : status))"
  fi
else
  echo "skipped: the wasm build failed"
fi

finish
