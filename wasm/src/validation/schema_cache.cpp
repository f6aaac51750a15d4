#include "validation/schema_cache.h"

#include <list>
#include <string_view>
#include <utility>

namespace signalkit::schema_cache {
namespace {

struct Entry {
  std::string text;
  json::Document doc;  // parsed from `text`, which it views
  std::shared_ptr<const JsonSchema> schema;
};

std::list<Entry>& entries() {
  static std::list<Entry>* cache = new std::list<Entry>();  // lives as long as the process
  return *cache;
}

size_t entry_bytes(const Entry& e) { return 2 * e.text.size() + e.schema->memory(); }
size_t g_bytes = 0;  // entry_bytes over the cache

}  // namespace

std::shared_ptr<const JsonSchema> get(const json::Value& schema, const std::string& field_prefix,
                                      Issues* issues) {
  auto& cache = entries();
  std::string_view raw = schema.raw();
  for (auto it = cache.begin(); it != cache.end(); ++it) {
    if (it->text == raw) {
      cache.splice(cache.begin(), cache, it);
      return cache.front().schema;
    }
  }
  cache.emplace_front();
  Entry& e = cache.front();
  e.text.assign(raw);
  // The text was read once already (as part of its document), so no size limit applies.
  if (!e.doc.parse(e.text, e.text.size(), kMaxDepth)) {
    if (issues)
      issues->push_back(Issue{field_prefix, "invalid_schema",
                              field_prefix + " could not be read: " + e.doc.error().message});
    cache.pop_front();
    return nullptr;
  }
  auto compiled = JsonSchema::compile(e.doc.root(), issues, field_prefix);
  if (!compiled) {
    cache.pop_front();
    return nullptr;
  }
  e.schema = std::shared_ptr<const JsonSchema>(std::move(compiled));
  g_bytes += entry_bytes(e);
  // The newest entry stays even alone over the limit: its caller is using it.
  while (cache.size() > 1 && (cache.size() > kCapacity || g_bytes > kMaxBytes)) {
    g_bytes -= entry_bytes(cache.back());
    cache.pop_back();
  }
  return e.schema;
}

}  // namespace signalkit::schema_cache
