# RE2 20220601 (Debian source package, fetched into third_party/re2 by scripts/bootstrap.sh),
# compiled from an explicit source list for both native and wasm: more controlled than
# add_subdirectory, which would drag in include(CTest), install rules and its own flags.
set(RE2_SOURCE_DIR "${PROJECT_SOURCE_DIR}/third_party/re2" CACHE PATH "RE2 source tree")
if(NOT EXISTS "${RE2_SOURCE_DIR}/re2/unicode_groups.cc")
  message(FATAL_ERROR "RE2 source not found in ${RE2_SOURCE_DIR}: run scripts/bootstrap.sh")
endif()

set(_sk_re2_names bitstate compile dfa filtered_re2 mimics_pcre nfa onepass parse perl_groups
    prefilter prefilter_tree prog re2 regexp set simplify stringpiece tostring
    unicode_casefold unicode_groups)
list(TRANSFORM _sk_re2_names PREPEND "${RE2_SOURCE_DIR}/re2/")
list(TRANSFORM _sk_re2_names APPEND ".cc")
add_library(re2_static STATIC ${_sk_re2_names}
            "${RE2_SOURCE_DIR}/util/rune.cc" "${RE2_SOURCE_DIR}/util/strutil.cc")
# The shim folder comes first: its util/logging.h replaces RE2's iostream-based logger
# (see the header for why); RE2's sources themselves are used unchanged.
target_include_directories(re2_static BEFORE PRIVATE "${PROJECT_SOURCE_DIR}/cmake/re2-shim")
target_include_directories(re2_static SYSTEM PUBLIC "${RE2_SOURCE_DIR}")
# Third-party code: its warnings are not ours to fix.
target_compile_options(re2_static PRIVATE -w)
if(EMSCRIPTEN)
  # RE2 only parses and compiles user schema patterns here (cold code: the keyword matcher
  # uses its Unicode tables, not its matchers), so it is optimised for size. Target
  # options come after the global -O level, so this one wins for RE2 alone.
  set(SK_WASM_RE2_OPT "-Oz" CACHE STRING "optimisation level for RE2 in the wasm build")
  target_compile_options(re2_static PRIVATE ${SK_WASM_RE2_OPT})
endif()
if(NOT EMSCRIPTEN)
  # Native RE2 takes real locks. The wasm build stays single-threaded (no -pthread: that
  # would need SharedArrayBuffer and COOP/COEP); emscripten's libc stubs cover the locks.
  set(THREADS_PREFER_PTHREAD_FLAG ON)
  find_package(Threads REQUIRED)
  target_link_libraries(re2_static PUBLIC Threads::Threads)
endif()
add_library(re2::re2 ALIAS re2_static)
