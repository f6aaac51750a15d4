# Shared by the build scripts (sourced, not run). Picks Ninja when present (fast no-op
# builds, restat on generated files), Make otherwise; the choice sticks per build dir.
SK_JOBS=${SK_JOBS:-2}   # shared 2-core machine: never more by default

# sk_configure <build-dir> <cmake args...>: configures only when the dir has no cache yet
# (later builds re-run cmake by themselves when CMakeLists or globbed folders change).
sk_configure() {
  local dir=$1; shift
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    local gen=()
    command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
    "${SK_CMAKE_WRAPPER[@]}" cmake -S . -B "$dir" "${gen[@]}" "$@"
  fi
}
SK_CMAKE_WRAPPER=()
