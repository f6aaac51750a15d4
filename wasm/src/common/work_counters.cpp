#include "signalkit/work_counters.h"

namespace signalkit {

WorkCounters g_work_counters;

std::string work_counters_json() {
  const WorkCounters& w = g_work_counters;
  return "{\"schemaSteps\":" + std::to_string(w.schema_steps) +
         ",\"schemaNodes\":" + std::to_string(w.schema_nodes) +
         ",\"schemaCompileWork\":" + std::to_string(w.schema_compile_work) +
         ",\"patternBytes\":" + std::to_string(w.pattern_bytes) +
         ",\"matcherSteps\":" + std::to_string(w.matcher_steps) +
         ",\"criteriaRangeSteps\":" + std::to_string(w.criteria_range_steps) +
         ",\"criteriaListSteps\":" + std::to_string(w.criteria_list_steps) + "}";
}

}  // namespace signalkit
