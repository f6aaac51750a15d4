#!/usr/bin/env bash
# libFuzzer targets (clang++, ASan + UBSan) in build-fuzz/. With --run SECONDS, runs every
# fuzzer for that long on its own corpus under build-fuzz/corpus/<name>/, seeded from
# tests/fuzz/make_seeds.mjs (fixtures, and recipes for large inputs) or
# tests/fuzz/seeds/<name>/, with tests/fuzz/<name>.dict when present. Any crash, leak, UB
# report or timeout fails the script, and so does a generating fuzzer (validate_fuzzer,
# criteria_fuzzer: tests/fuzz/generate.h) whose run did not get past the size and depth
# limits (the line it prints at exit says how far it got).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

seconds=0
[ "${1:-}" = --run ] && seconds=${2:?--run needs a number of seconds}

# The unit tests are not built here: ctest runs them in build-native.
export CXX=${SK_FUZZ_CXX:-clang++}
# Line tables are enough for symbolized crash reports and compile ~10% faster than -g.
sk_configure build-fuzz -DSK_FUZZ=ON -DSK_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -gline-tables-only -DNDEBUG"
cmake --build build-fuzz -j"$SK_JOBS" --target fuzzers
[ "$seconds" -gt 0 ] || exit 0

status=0
for bin in build-fuzz/*_fuzzer; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  corpus=build-fuzz/corpus/$name
  mkdir -p "$corpus" build-fuzz/artifacts
  # Seeds: the shared fixtures in the fuzzer's input layout (tests/fuzz/make_seeds.mjs),
  # so the run starts from every rule's accepted and rejected bodies.
  seeds=()
  generates=0
  case "$name" in validate_fuzzer|criteria_fuzzer) generates=1 ;; esac
  if [ "$generates" = 1 ] && node tests/fuzz/make_seeds.mjs "build-fuzz/seeds/$name" "$name" >/dev/null; then
    seeds+=("build-fuzz/seeds/$name")
  fi
  [ -d "tests/fuzz/seeds/$name" ] && seeds+=("tests/fuzz/seeds/$name")
  dict=()
  [ -f "tests/fuzz/$name.dict" ] && dict+=("-dict=tests/fuzz/$name.dict")
  echo "fuzz: $name for ${seconds}s (corpus $corpus)"
  # -max_len: bodies beyond 64 KiB add nothing the size limit tests do not cover and slow
  # every run; -timeout: a single input over 10 s is a hang; -rss_limit_mb guards the box.
  if ! "$bin" "$corpus" "${seeds[@]}" "${dict[@]}" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build-fuzz/artifacts/ \
        >"build-fuzz/$name.log" 2>&1; then
    echo "fuzz: $name FAILED; last lines of build-fuzz/$name.log:"
    tail -40 "build-fuzz/$name.log" >&2
    status=1
  else
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "build-fuzz/$name.log")
    echo "fuzz: $name ok (${runs:-?} runs, corpus $(ls "$corpus" | wc -l) inputs)"
    if [ "$generates" = 1 ]; then
      reach=$(grep "^$name: generated" "build-fuzz/$name.log" | tail -1)
      echo "fuzz: $reach"
      # "(N past the 1 MiB limit)" and, for bodies, "(N past 64)": both must be non-zero.
      if ! grep -q "([1-9][0-9]* past the 1 MiB limit)" <<<"$reach" \
         || { [ "$name" = validate_fuzzer ] && ! grep -q "([1-9][0-9]* past 64)" <<<"$reach"; }; then
        echo "fuzz: $name did not reach past its limits; see tests/fuzz/generate.h and make_seeds.mjs" >&2
        status=1
      fi
    fi
  fi
done
exit "$status"
