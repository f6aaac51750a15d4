#!/usr/bin/env bash
# Installs everything signalkit builds and tests with: Debian packages (emscripten, CMake,
# GoogleTest and nlohmann/json for the native tests, Chromium, the JSON-Schema-Test-Suite
# that tests/js/json_schema.suite.test.js runs, redis-server for the fleet rate-limit tests and
# benchmark), RE2's source from Debian's source package, and npm dependencies.
# Idempotent: each step checks first, so a machine that has everything spends ~1 s here.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

RE2_VERSION=20220601+dfsg-1
RE2_DIR=third_party/re2          # git-ignored; never committed
PKGS=(emscripten nlohmann-json3-dev cmake make ninja-build g++ clang libgtest-dev
      libbenchmark-dev libclang-rt-14-dev dpkg-dev xz-utils perl python3 python3-six
      unicode-data brotli json-schema-test-suite redis-server chromium)
[ "${SIGNALKIT_NO_BROWSER:-0}" = 1 ] && PKGS=("${PKGS[@]/chromium}")

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${PKGS[@]}"; do
  [ -n "$p" ] || continue
  dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
done
need_src=0; [ -f "$RE2_DIR/re2/unicode_groups.cc" ] || need_src=1

has_deb_src() { grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; }
need_update=0
[ ${#missing[@]} -gt 0 ] && need_update=1
if [ "$need_src" = 1 ] && ! has_deb_src; then
  # apt-get source needs deb-src entries: mirror the binary sources.
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
      | as_root tee /etc/apt/sources.list.d/debian-src.sources >/dev/null
  else
    grep -hE '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
      | as_root tee /etc/apt/sources.list.d/debian-src.list >/dev/null
  fi
  need_update=1
fi
if [ "$need_update" = 1 ]; then
  echo "bootstrap: apt-get update" >&2
  as_root apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}" >&2
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$need_src" = 1 ]; then
  echo "bootstrap: fetching RE2 $RE2_VERSION source" >&2
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get source -qq "re2=$RE2_VERSION" 2>&1 | grep -v 'unsandboxed' || true)
  src=$(find "$tmp" -maxdepth 1 -type d -name 're2-*' | head -1)
  [ -n "$src" ] || { echo "bootstrap: apt-get source re2 failed" >&2; exit 1; }
  # Debian's +dfsg tarball deletes three generated tables; regenerate them (needs unicode-data).
  perl "$src/re2/make_perl_groups.pl" > "$src/re2/perl_groups.cc"
  (cd "$src/re2" && /usr/bin/python3 make_unicode_casefold.py > unicode_casefold.cc \
                 && /usr/bin/python3 make_unicode_groups.py > unicode_groups.cc)
  rm -rf "$RE2_DIR" && mkdir -p "$(dirname "$RE2_DIR")" && mv "$src" "$RE2_DIR"
  rm -rf "$tmp"
fi

# npm dependencies: only when the lock changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "bootstrap: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
