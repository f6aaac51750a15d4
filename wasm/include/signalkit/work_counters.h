// signalkit — counters of the work the engine has done, so tests and benchmarks can prove
// that hostile input is cheap without timing anything: a bound on the work is a bound on
// the time, on any machine, under any load.
//
//   uint64_t before = signalkit::work_counters().schema_steps;
//   schema->validate(instance, "", &issues);
//   EXPECT_LE(signalkit::work_counters().schema_steps - before, signalkit::kMaxSchemaSteps + 1);
//
// Cumulative since the process (or the wasm instance) started; the engine is
// single-threaded, and so are the counters.
#ifndef SIGNALKIT_WORK_COUNTERS_H_
#define SIGNALKIT_WORK_COUNTERS_H_

#include <cstdint>
#include <string>

namespace signalkit {

struct WorkCounters {
  uint64_t schema_steps = 0;          // JSON Schema evaluation steps charged (what kMaxSchemaSteps meters; a call that runs out counts kMaxSchemaSteps + 1)
  uint64_t schema_nodes = 0;          // JSON Schema (sub-)schemas compiled
  uint64_t schema_compile_work = 0;   // JSON Schema compile work charged (what kMaxSchemaCompileWork meters, likewise)
  uint64_t pattern_bytes = 0;         // bytes of text RE2 matched against schema patterns
  uint64_t matcher_steps = 0;         // keyword matcher automaton steps: symbols fed, failure links followed, terminals recorded
  uint64_t criteria_range_steps = 0;  // range comparisons while checking criteria for overlaps
  uint64_t criteria_list_steps = 0;   // list answer items looked up, plus matched choices compared to de-duplicate
};

extern WorkCounters g_work_counters;
inline WorkCounters& work_counters() { return g_work_counters; }

// {"schemaSteps":…,"schemaNodes":…,"schemaCompileWork":…,"patternBytes":…,"matcherSteps":…,
//  "criteriaRangeSteps":…,"criteriaListSteps":…}
std::string work_counters_json();

}  // namespace signalkit

#endif  // SIGNALKIT_WORK_COUNTERS_H_
