# Shared by the build scripts (sourced, not run). Picks Ninja when present (fast no-op
# builds, restat on generated files), Make otherwise; the choice sticks per build dir.
SK_JOBS=${SK_JOBS:-2}   # shared 2-core machine: never more by default

# sk_lock <build-dir>: waits until no other build runs in this dir, then holds the lock
# until the calling script exits (several people and scripts share build-native/ etc.;
# two ninjas in one dir corrupt its log).
sk_lock() {
  mkdir -p "$1"
  exec 9>"$1/.sk-build.lock"
  if ! flock -n 9; then
    echo "$1: another build is running here; waiting for it" >&2
    flock 9
  fi
}

# sk_configure <build-dir> <cmake args...>: configures only when the dir has no cache yet
# (later builds re-run cmake by themselves when CMakeLists or globbed folders change).
sk_configure() {
  local dir=$1; shift
  sk_lock "$dir"
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    local gen=()
    command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
    "${SK_CMAKE_WRAPPER[@]}" cmake -S . -B "$dir" "${gen[@]}" "$@"
  fi
}
SK_CMAKE_WRAPPER=()
