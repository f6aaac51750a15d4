#!/usr/bin/env bash
# `npm run test:debug [jest args]`: the Jest suite against the debug wasm build
# (scripts/build-wasm.sh --debug: emscripten's ASSERTIONS=2 runtime checks, stack overflow
# checks, C++ assert()s). A misuse of the boundary that the release build survives by
# luck (a call before the runtime is ready, a stale heap view, a stack overflow) fails
# here with a named error.
#
# The wrapper finds its wasm next to itself (../dist/ from js/), so the suite runs in a
# temporary copy of the package whose dist/ is the debug build (js/, tests/, schemas/,
# demo/, types/, README.md and package.json copied; node_modules linked), outside the
# repository so that Jest here never sees two packages. dist/ is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build-wasm.sh --debug

suite=$(mktemp -d "${TMPDIR:-/tmp}/signalkit-debug-suite.XXXXXX")
trap 'rm -rf "$suite"' EXIT
mkdir -p "$suite/scripts"
cp -R js tests schemas demo types package.json README.md "$suite/"
cp scripts/build-js.mjs scripts/summary.mjs "$suite/scripts/"
cp -R build-wasm-debug/dist "$suite/dist"
# The ES-module glue is compiled for web and worker only; Node runs the release one because
# nothing checks, but with ASSERTIONS it stops at "environment detection error". Under
# Node the suite gets the CommonJS glue (compiled for Node as well) behind the ESM name.
cat > "$suite/dist/signalkit.esm.mjs" <<'GLUE'
import { createRequire } from 'node:module';
export default createRequire(import.meta.url)('./signalkit.cjs');
GLUE
ln -s "$PWD/node_modules" "$suite/node_modules"
node "$suite/scripts/build-js.mjs"

cd "$suite"
# --forceExit: the debug glue (ASSERTIONS) starts a 10-second "still waiting on run
# dependencies" interval while the module instantiates and clears it only when that
# finishes or the glue aborts; tests/js/load.test.js makes instantiation fail on purpose,
# which leaves the interval (and Jest) running for ever. The release glue has no such timer.
NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning" \
  node_modules/.bin/jest --forceExit "$@"
