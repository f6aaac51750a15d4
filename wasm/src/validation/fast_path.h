// A one-pass proof that a request body is valid, for the common case: the body's text is
// checked against the kind's compiled schema while it is read (no document, no separate
// walk for repeated keys, no allocation). It only ever answers "valid" or "not proven":
// anything it does not handle (escapes, exponents, long numbers, keywords beyond the
// simple ones, deep or large bodies, any violation) sends the body to the general path,
// which then says what is wrong. So every issue and message comes from one place, and the
// fast path is held to one promise: it proves valid only what the general path finds
// valid (tests/cpp/fast_path_test.cpp, tests/fuzz/validate_fuzzer.cpp). Internal to
// validation/; docs/performance.md has its figures.
#ifndef SIGNALKIT_SRC_VALIDATION_FAST_PATH_H_
#define SIGNALKIT_SRC_VALIDATION_FAST_PATH_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "signalkit/json_schema.h"

namespace signalkit::request_internal {

// Bodies above this are left to the general path: the proof is for the small bodies
// requests carry, and below it no valid body can reach the schema meter's limit.
inline constexpr size_t kMaxFastBodyBytes = 64 * 1024;

// What a proof learned about the root object's members, for the kind's rules.
struct FastBody {
  static constexpr size_t kMaxMembers = 32;
  struct Member {
    std::string_view key;
    std::string_view text;  // the value's exact source text
    // The member's schema asks only for an object, and the proof found its end without
    // reading it: the kind's rules prove it (by the schema they apply to it, or
    // proves_json), so that it is read once.
    bool unchecked;
  };
  Member members[kMaxMembers];
  size_t count = 0;
  // The source text of member `key`, or an empty view when the root has no such member.
  std::string_view find(std::string_view key) const;
};

// The object members a proof met whose values are numbers or null, for rules a schema
// cannot say (the criteria's ranges). Objects are numbered in document order, the root 0.
struct FastScalars {
  static constexpr size_t kMax = 128;
  struct Entry {
    uint32_t object;
    std::string_view key;
    double number;  // 0 for null
    bool is_null;
  };
  Entry entries[kMax];
  size_t count = 0;
  uint32_t objects = 0;  // how many objects the text holds
};

// True only when `text` holds one JSON value, valid against `schema`, with no key repeated
// in any object (except inside members marked unchecked); then `root` (when given) lists
// the root object's members and `scalars`
// (when given) the numbers and nulls (more than it holds: not proven).
bool proves_valid(const JsonSchema& schema, std::string_view text, FastBody* root,
                  FastScalars* scalars = nullptr);
// The same against the schema `true`: one JSON value, no key repeated.
bool proves_json(std::string_view text);

}  // namespace signalkit::request_internal

#endif  // SIGNALKIT_SRC_VALIDATION_FAST_PATH_H_
