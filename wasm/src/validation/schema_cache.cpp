#include "validation/schema_cache.h"

#include <list>
#include <string_view>
#include <utility>

#include "validation/schema_values.h"

namespace signalkit::schema_cache {
namespace {

struct Entry {
  uint64_t hash;  // of `text`
  std::string text;
  std::shared_ptr<const JsonSchema> schema;  // null: the schema was refused
  // A refusal, with its issues: they name fields under `prefix`, so a refusal is kept
  // per prefix (a compiled schema serves every prefix).
  std::string prefix;
  Issues refusal;

  size_t bytes() const {
    if (schema) return text.size() + schema->memory();
    size_t b = text.size() + prefix.size();
    for (const auto& i : refusal) b += sizeof(Issue) + i.field.size() + i.code.size() + i.message.size();
    return b;
  }
};

std::list<Entry>& entries() {
  static std::list<Entry>* cache = new std::list<Entry>();  // lives as long as the process
  return *cache;
}

size_t g_bytes = 0;  // Entry::bytes over the cache

}  // namespace

std::shared_ptr<const JsonSchema> get(const json::Value& schema, const std::string& field_prefix,
                                      Issues* issues) {
  auto& cache = entries();
  const std::string_view text = schema.raw();
  const uint64_t hash = schema_internal::hash_text(text);
  for (auto it = cache.begin(); it != cache.end(); ++it) {
    if (it->hash != hash || it->text.size() != text.size() || (!it->schema && it->prefix != field_prefix) ||
        it->text != text)
      continue;
    cache.splice(cache.begin(), cache, it);
    const Entry& e = cache.front();
    if (!e.schema && issues) issues->insert(issues->end(), e.refusal.begin(), e.refusal.end());
    return e.schema;
  }
  Issues found;
  std::shared_ptr<const JsonSchema> compiled = JsonSchema::compile(schema, &found, field_prefix);
  if (issues) issues->insert(issues->end(), found.begin(), found.end());
  cache.push_front(Entry{hash, std::string(text), compiled, compiled ? std::string() : field_prefix,
                         compiled ? Issues() : std::move(found)});
  g_bytes += cache.front().bytes();
  // The newest entry stays even alone over the limit: its caller is using it.
  while (cache.size() > 1 && (cache.size() > kCapacity || g_bytes > kMaxBytes)) {
    g_bytes -= cache.back().bytes();
    cache.pop_back();
  }
  return compiled;
}

}  // namespace signalkit::schema_cache
