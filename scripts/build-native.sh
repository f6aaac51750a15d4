#!/usr/bin/env bash
# Native build (g++ by default): the engine and its GoogleTest suite in build-native/.
# Runs ctest when given --test (extra arguments go to ctest). Fast no-op when up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

run_tests=0; ctest_args=()
for a in "$@"; do
  if [ "$a" = --test ]; then run_tests=1; else ctest_args+=("$a"); fi
done

sk_configure build-native -DCMAKE_BUILD_TYPE=Release
cmake --build build-native -j"$SK_JOBS"
if [ "$run_tests" = 1 ]; then
  ctest --test-dir build-native -j"$SK_JOBS" --output-on-failure "${ctest_args[@]}"
fi
