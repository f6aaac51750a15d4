#!/usr/bin/env bash
# `npm test` (and .ci/run): everything from a fresh clone, no manual step.
#
#   1. bootstrap        system packages, RE2 source, npm ci (quick when all is present)
#   2. native           build-native/ + ctest (GoogleTest)
#   3. fuzz             build-fuzz/: every libFuzzer target for SK_FUZZ_SECONDS (30) each
#   4. wasm + js        build-wasm/ -> dist/signalkit.{cjs,esm.mjs,wasm}, dist/index.cjs
#   5. types            tsc --noEmit -p tests/types
#   5b. openapi         redocly lint of schemas/openapi/*.json (scripts/lint-openapi.sh)
#   6. jest             tests/js (the real wasm build through the JS package)
#   7. browser          tests/browser/run.sh, when it exists (its last line: N passed, N failed)
#
# Keeps going after a failure so one run reports everything; the last line is exactly
# `N passed, N failed` (ctest tests + jest tests + one per fuzzer, type check, OpenAPI lint
# and failed build step), and the exit status is non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS=${SK_FUZZ_SECONDS:-30}
OUT=test-results            # git-ignored
rm -rf "$OUT" && mkdir -p "$OUT"

passed=0; failed=0; failures=()
step() { printf '\n=== %s (at %dm%02ds) ===\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }
ok()   { passed=$((passed + ${2:-1})); }
bad()  { failed=$((failed + ${2:-1})); failures+=("$1"); }
finish() {
  printf '\ntotal time %dm%02ds\n' $((SECONDS / 60)) $((SECONDS % 60))
  if [ ${#failures[@]} -gt 0 ]; then printf 'failed: %s\n' "${failures[@]}"; fi
  echo "$passed passed, $failed failed"
  exit $((failed > 0))
}

step "bootstrap"
if ! bash scripts/bootstrap.sh; then bad "bootstrap"; finish; fi

step "native build + ctest"
if bash scripts/build-native.sh; then
  ctest --test-dir build-native -j"${SK_JOBS:-2}" --output-on-failure --no-tests=error \
        --output-junit "$PWD/$OUT/ctest.xml"
  # JUnit <testsuite tests= failures= disabled= skipped=> (attributes span several lines).
  read -r cp cf <<<"$(node -e '
    const x = require("fs").readFileSync(process.argv[1], "utf8").match(/<testsuite\b[^>]*>/);
    const n = (a) => Number(((x && x[0].match(new RegExp(`\\s${a}="(\\d+)"`))) || [0, 0])[1]);
    console.log(x ? n("tests") - n("failures") - n("disabled") - n("skipped") : -1, n("failures"));
  ' "$PWD/$OUT/ctest.xml" 2>/dev/null)"
  if [ "${cp:--1}" -ge 0 ]; then
    ok ctest "$cp"
    [ "$cf" -eq 0 ] || bad "ctest ($cf)" "$cf"
  else
    bad "ctest (no results)"
  fi
else
  bad "native build"
fi

step "fuzz (${FUZZ_SECONDS}s per target)"
bash scripts/build-fuzz.sh --run "$FUZZ_SECONDS" | tee "$OUT/fuzz.log"
fuzz_status=${PIPESTATUS[0]}
nok=$(grep -c '^fuzz: .* ok' "$OUT/fuzz.log"); nbad=$(grep -c '^fuzz: .* FAILED' "$OUT/fuzz.log")
ok fuzz "$nok"
[ "$nbad" -eq 0 ] || bad "fuzz ($nbad targets)" "$nbad"
[ "$fuzz_status" -eq 0 ] || [ "$nbad" -gt 0 ] || bad "fuzz build"

step "wasm build + js bundle"
wasm_ok=0
if bash scripts/build-wasm.sh && node scripts/build-js.mjs; then wasm_ok=1; else bad "wasm/js build"; fi

step "types (tsc --noEmit -p tests/types)"
if node_modules/.bin/tsc --noEmit -p tests/types; then ok tsc; echo "types: ok"; else bad "tsc"; fi

step "openapi (redocly lint)"; if bash scripts/lint-openapi.sh; then ok openapi-lint; else bad "openapi lint"; fi

step "jest"
if [ "$wasm_ok" = 1 ]; then
  # ESM test files need the VM modules flag; fetch stays on (tests use it against a
  # loopback emulator; the wrapper passes wasmBinary, so the glue never fetches).
  NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning" \
    node_modules/.bin/jest --ci --json --outputFile="$OUT/jest.json"
  if [ -s "$OUT/jest.json" ]; then
    read -r jp jf <<<"$(node -e '
      const r = require(process.argv[1]);
      // A suite that cannot even load has no failed test: count it once.
      console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites);
    ' "$PWD/$OUT/jest.json")"
    ok jest "$jp"
    [ "$jf" -eq 0 ] || bad "jest ($jf)" "$jf"
    echo "jest: $jp passed, $jf failed"
  else
    bad "jest (no results)"
  fi
else
  echo "skipped: the wasm build failed"
fi

if [ -f tests/browser/run.sh ]; then
  step "browser"
  bash tests/browser/run.sh | tee "$OUT/browser.log"
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$OUT/browser.log" | tail -1)
  if [ -n "$line" ]; then
    bp=${line%% passed*}; bf=${line#*, }; bf=${bf%% failed}
    ok browser "$bp"
    [ "$bf" -eq 0 ] || bad "browser ($bf)" "$bf"
  else
    bad "browser (no summary line)"
  fi
fi

finish
