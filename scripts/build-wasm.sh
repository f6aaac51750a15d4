#!/usr/bin/env bash
# WebAssembly build with Debian's emscripten 3.1.6 in build-wasm/; copies the CJS glue,
# the ESM glue and the one .wasm into dist/. Fast no-op when up to date.
# SK_WASM_OPT=-O1 for a quicker dev loop (applies when build-wasm/ is first configured).
#
# --debug: the same engine with emscripten's runtime checks (-sASSERTIONS=2, stack
# overflow checks, C++ assert()s, debug names) at -O1, in build-wasm-debug/, copied to
# build-wasm-debug/dist/ (never over dist/). scripts/test-debug.sh runs Jest against it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

# Debian's emcc runs acorn from /usr/share/nodejs, which NodeSource's node does not search
# (without it: "acorn-optimizer.js returned 1" at -O1 and above).
export NODE_PATH=/usr/share/nodejs
SK_CMAKE_WRAPPER=(emcmake)
if [ "${1:-}" = --debug ]; then
  sk_configure build-wasm-debug -DCMAKE_BUILD_TYPE=Debug -DSK_WASM_OPT=-O1 -DSK_WASM_DEBUG=ON \
    "-DSK_DIST_DIR=$PWD/build-wasm-debug/dist"
  cmake --build build-wasm-debug -j"$SK_JOBS"
else
  sk_configure build-wasm -DCMAKE_BUILD_TYPE=Release "-DSK_WASM_OPT=${SK_WASM_OPT:--O2}"
  cmake --build build-wasm -j"$SK_JOBS"
fi
