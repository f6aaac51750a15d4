// The validation kinds: one per API operation, what each one sends (body, path
// parameters) and which rules beyond its schema apply. Internal to validation/.
#ifndef SIGNALKIT_SRC_VALIDATION_REQUEST_KINDS_H_
#define SIGNALKIT_SRC_VALIDATION_REQUEST_KINDS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace signalkit::request_internal {

enum class Params { kNone, kPuffleId, kPuffleIdAndSource, kSaberId };
enum class Body { kNone, kRequired, kOptional };  // kOptional: a query, all of whose parameters are optional
enum class Rules {
  kNone, kPuffleCreate, kPuffleUpdate, kPuffleDelete, kPuffleReset, kSourceUpdate, kFeedQuery,
  kSaberCreate, kSaberUpdate, kCompanySignalCreate, kCompanySignalQuery
};

struct KindSpec {
  const char* name;  // also the embedded schema's name (schemas/<name>.json) for body kinds
  Body body;
  Params params;
  Rules rules;
};

// Every kind, sorted by name.
const std::vector<KindSpec>& all_kinds();

// The kind named `name` and its index in all_kinds(), or nullptr.
const KindSpec* find_kind(std::string_view name, size_t* index);

// Puffle's source ids, read once from the embedded request schema
// (puffle.signalType.create: sources.items.enum), so the engine holds no copy of them.
struct Sources {
  std::vector<std::string> ids;
  std::string list;  // "news, reddit, …" for messages
  bool contains(std::string_view id) const;
};
const Sources& puffle_sources();

}  // namespace signalkit::request_internal

#endif  // SIGNALKIT_SRC_VALIDATION_REQUEST_KINDS_H_
