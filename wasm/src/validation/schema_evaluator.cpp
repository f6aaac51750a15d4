// Evaluating an instance against compiled Nodes: metered so that hostile schemas end with
// `too_complex`. Every piece of work is charged before it is done, in steps of about
// 25 ns of the wasm build (docs/validation.md, "Cost of a schema"), and work the meter can
// no longer pay for is not started.
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "common/text.h"
#include "common/whitespace.h"
#include "signalkit/json_schema.h"
#include "signalkit/work_counters.h"
#include "validation/ecma_regex.h"
#include "validation/formats.h"
#include "validation/ids.h"
#include "validation/schema_node.h"

namespace signalkit {
namespace {

using json::Type;
using json::Value;
using namespace schema_internal;

// What work inside one evaluation step costs, in steps, measured on the wasm build with
// bench/schema.js (an evaluation itself is 1 step):
constexpr uint64_t kReportCost = 64;          // an issue kept: its field, message and JSON
constexpr uint64_t kIssueBytesPerStep = 4;    // ... plus its text
constexpr uint64_t kHashBytesPerStep = 8;     // hashing a value (enum, uniqueItems): bytes of its text
constexpr uint64_t kUniqueItemCost = 10;      // uniqueItems: an item's hash kept and sorted
constexpr uint64_t kScanBytesPerStep = 32;    // the blank and dot checks: bytes scanned
constexpr uint64_t kMemberCost = 7;           // an object member looked at (property lookup)
constexpr uint64_t kPropertyNameCost = 12;    // a key turned into a string value for propertyNames
constexpr uint64_t kMaxSuggestCost = 20000;   // "did you mean" for an unknown field, at most
// enum and const compare at one step per unit of compare_cost (schema_values.h); a sorted
// index of keys costs 1 + log2(n) / 2 steps a key to build and 1 + log2(n) a lookup.

struct Eval {
  Issues* out;      // nullptr: only the verdict is needed (anyOf, not, if, contains)
  uint64_t steps = 0;
  int depth = 0;
  bool exhausted = false;
  size_t issue_limit = 0;  // out->size() at which issues stop being kept

  // A probe: the same meter, no issues.
  Eval probe() const {
    Eval p{nullptr};
    p.steps = steps;
    p.depth = depth;
    return p;
  }
  void absorb(const Eval& p) {
    steps = p.steps;
    if (p.exhausted) exhausted = true;
  }
};

// Charges `units` steps; false (and the evaluation is over) when the meter cannot pay.
// Work the meter refuses is never done, so the count stops at kMaxSchemaSteps + 1.
bool spend(Eval& ctx, uint64_t units) {
  if (ctx.exhausted || units > kMaxSchemaSteps - std::min(ctx.steps, kMaxSchemaSteps)) {
    ctx.steps = kMaxSchemaSteps + 1;
    ctx.exhausted = true;
    return false;
  }
  ctx.steps += units;
  return true;
}
uint64_t steps_left(const Eval& ctx) { return ctx.steps >= kMaxSchemaSteps ? 0 : kMaxSchemaSteps - ctx.steps; }
// For work priced by the callee (a match, a format): what it spent, or the end of the
// evaluation when it could not be done within what was left.
bool settle(Eval& ctx, uint64_t work, bool too_complex) {
  return too_complex ? spend(ctx, kMaxSchemaSteps + 1) : spend(ctx, work);
}

// Whether `text` matches `p`, metered (ecma_regex.h prices the search before running it).
// False when it does not or when the meter cannot pay (ctx.exhausted tells).
bool matches(const Pattern& p, std::string_view text, Eval& ctx) {
  RegexSearch m = search_regex(*p.prog, text, steps_left(ctx));
  g_work_counters.pattern_bytes += m.bytes;
  return settle(ctx, m.work, m.too_complex) && m.matched;
}

bool eval(const Node* n, const Value& v, Path& path, Eval& ctx);
bool eval_values(const ValueRules& r, const Value& v, Path& path, Eval& ctx);
bool eval_logic(const Combinators& n, const Value& v, Path& path, Eval& ctx);

// multipleOf: a quotient within 1e-9 (relative) of an integer, so that decimal steps such
// as 0.01 work on binary doubles. When the quotient overflows (1e308 / 0.5), fmod decides
// exactly: a finite number is a multiple when it leaves no remainder.
bool is_multiple(double d, double m) {
  double q = d / m;
  if (std::isfinite(q)) return std::fabs(q - std::round(q)) <= 1e-9 * std::max(1.0, std::fabs(q));
  return std::isfinite(d) && std::fmod(d, m) == 0;
}

// A failed rule. The message is built only when the issue is kept (probes and calls past
// the issue cap only need the verdict): `message(subject)` gets the path as messages name
// it ("config.a", or "The body" at the root).
template <typename Message>
bool report(Eval& ctx, const Path& path, const char* code, Message&& message) {
  if (!ctx.out || ctx.out->size() >= ctx.issue_limit) return false;
  std::string field = path.str();
  std::string text = message(field.empty() ? std::string("The body") : field);
  if (spend(ctx, kReportCost + (field.size() + text.size()) / kIssueBytesPerStep))
    ctx.out->push_back(Issue{std::move(field), code, std::move(text)});
  return false;
}

bool eval_string(const StringRules& r, const Value& v, Path& path, Eval& ctx) {
  bool ok = true;
  int64_t len = static_cast<int64_t>(v.string_length());
  bool too_short = false;
  if (r.min_length >= 0 && len < r.min_length) {
    too_short = true;
    ok = r.min_length == 1
             ? report(ctx, path, "too_short", [&](const std::string& s) { return s + " must not be empty."; })
             : report(ctx, path, "too_short", [&](const std::string& s) {
                 return s + " must be at least " + plural(r.min_length, "character", "characters") + " long, but it has " +
                        std::to_string(len) + ".";
               });
    if (!ctx.out) return false;
  }
  if (r.max_length >= 0 && len > r.max_length) {
    ok = report(ctx, path, "too_long", [&](const std::string& s) {
      return s + " must be at most " + plural(r.max_length, "character", "characters") + " long, but it has " +
             with_commas(static_cast<uint64_t>(len)) + ".";
    });
    if (!ctx.out) return false;
  }
  std::string_view s = v.as_string();
  if ((r.pattern.prog || r.pattern_kind != PatternKind::kGeneric) && !too_short) {
    switch (r.pattern_kind) {
      case PatternKind::kNotBlank:
        if (!spend(ctx, 1 + s.size() / kScanBytesPerStep)) return false;
        if (whitespace::is_blank(s))
          ok = report(ctx, path, "blank", [&](const std::string& subj) { return subj + " must not be blank (it holds only whitespace)."; });
        break;
      case PatternKind::kNoDot:
        if (!spend(ctx, 1 + s.size() / kScanBytesPerStep)) return false;
        if (s.find('.') != std::string_view::npos)
          ok = report(ctx, path, "contains_dot", [&](const std::string& subj) {
            return subj + " must not contain \".\" (disqualifiers are stored dot-separated), but it is " + describe_value(v) + ".";
          });
        break;
      case PatternKind::kGeneric:
        // A match the meter cannot pay for is not started: its verdict is too_complex.
        if (!matches(r.pattern, s, ctx)) {
          if (ctx.exhausted) return false;
          ok = report(ctx, path, "pattern", [&](const std::string& subj) {
            std::string form = r.pattern_src == ids::kPuffleIdPattern ? std::string(ids::kUuidForm)
                                                                      : "text matching the pattern " + shorten(r.pattern_src, 100);
            return subj + " must be " + form + ", but it is " + describe_value(v) + ".";
          });
        }
        break;
    }
    if (!ok && !ctx.out) return false;
  }
  if (r.format != Format::kNone) {
    FormatCheck f = check_format(r.format, s, steps_left(ctx));
    if (!settle(ctx, f.work, f.too_complex)) return false;
    if (f.form) ok = report(ctx, path, "format", [&](const std::string& subj) { return subj + " must be " + f.form + ", but it is " + describe_value(v) + "."; });
  }
  return ok;
}

bool eval_number(const NumberRules& r, const Value& v, Path& path, Eval& ctx) {
  bool ok = true;
  double d = v.as_number();
  auto rule = [&](const char* code, const char* relation, double bound) {
    return report(ctx, path, code, [&](const std::string& s) {
      return s + " must be " + relation + " " + number_text(bound) + ", but it is " + describe_value(v) + ".";
    });
  };
  if (r.has_min && !(d >= r.min)) ok = rule("below_minimum", "at least", r.min);
  if (r.has_xmin && !(d > r.xmin)) ok = rule("below_minimum", "greater than", r.xmin);
  if (r.has_max && !(d <= r.max)) ok = rule("above_maximum", "at most", r.max);
  if (r.has_xmax && !(d < r.xmax)) ok = rule("above_maximum", "less than", r.xmax);
  if (r.multiple_of > 0 && !is_multiple(d, r.multiple_of)) ok = rule("multiple_of", "a multiple of", r.multiple_of);
  return ok;
}

// A bound on comparing two values of documents whose texts have `bytes` bytes: objects
// are sorted by key (a member takes at least 5 bytes: "":0,).
uint64_t compare_bound(uint64_t bytes) { return 1 + bytes / 5 * (2 + log2_ceil(bytes / 5)); }

// uniqueItems: every item hashed once and the hashes sorted; only items whose hashes
// collide are compared (equal items always do). Linear in the array's text plus n log n,
// where comparing every pair was quadratic.
bool unique_items(const Value& v, Path& path, Eval& ctx) {
  const size_t n = v.size();
  if (!spend(ctx, n * kUniqueItemCost + v.raw().size() / kHashBytesPerStep)) return false;
  std::vector<Value> items;
  std::vector<std::pair<uint64_t, uint32_t>> hashes;
  items.reserve(n);
  hashes.reserve(n);
  uint64_t work = 0;
  for (auto item : v.items()) {
    hashes.emplace_back(hash_value(item, work), static_cast<uint32_t>(items.size()));
    items.push_back(item);
  }
  std::sort(hashes.begin(), hashes.end());
  // The duplicate reported is the one whose second item comes first in the array.
  size_t first = n, second = n;
  for (size_t run = 0; run < n;) {
    size_t end = run + 1;
    while (end < n && hashes[end].first == hashes[run].first) ++end;
    // Within a run (same hash), items in array order: each against the ones before it,
    // until a pair is found or no pair of this run could come before the one found.
    for (size_t j = run + 1; j < end && hashes[j].second < second; ++j) {
      bool found = false;
      for (size_t i = run; i < j; ++i) {
        const Value &a = items[hashes[i].second], &b = items[hashes[j].second];
        if (!spend(ctx, compare_bound(std::min(a.raw().size(), b.raw().size())))) return false;
        uint64_t w = 0;
        if (equal(a, b, w)) {
          if (hashes[j].second < second) {
            first = hashes[i].second;
            second = hashes[j].second;
          }
          found = true;
          break;
        }
      }
      if (found) break;
    }
    run = end;
  }
  if (second == n) return true;
  return report(ctx, path, "unique_items", [&](const std::string& s) {
    return s + " must not repeat items, but items " + std::to_string(first) + " and " + std::to_string(second) + " are equal.";
  });
}

bool eval_array(const ArrayRules& r, const Value& v, Path& path, Eval& ctx) {
  bool ok = true;
  int64_t size = static_cast<int64_t>(v.size());
  if (r.min_items >= 0 && size < r.min_items) {
    ok = report(ctx, path, "too_few", [&](const std::string& s) {
      return size == 0 ? s + " must not be empty (at least " + plural(r.min_items, "item", "items") + ")."
                       : s + " must have at least " + plural(r.min_items, "item", "items") + ", but it has " + std::to_string(size) + ".";
    });
    if (!ctx.out) return false;
  }
  if (r.max_items >= 0 && size > r.max_items) {
    ok = report(ctx, path, "too_many", [&](const std::string& s) {
      return s + " must have at most " + plural(r.max_items, "item", "items") + ", but it has " +
             with_commas(static_cast<uint64_t>(size)) + ".";
    });
    if (!ctx.out) return false;
  }
  size_t i = 0;
  // Only walk the items when a schema applies to them: every node of a combinator graph
  // sees the same array, and an unmetered walk per node was quadratic.
  for (auto item : v.items()) {
    const Node* s = nullptr;
    if (r.has_tuple) s = i < r.tuple.size() ? r.tuple[i] : r.additional_items;
    else s = r.items;
    if (!s) break;  // no items schema, or past the tuple with no additionalItems
    path.push_index(i);
    if (!eval(s, item, path, ctx)) ok = false;
    path.pop();
    if (ctx.exhausted || (!ok && !ctx.out)) return false;
    ++i;
  }
  if (r.contains) {
    Eval probe = ctx.probe();
    bool found = false;
    for (auto item : v.items()) {
      if (eval(r.contains, item, path, probe)) { found = true; break; }
      if (probe.exhausted) break;
    }
    ctx.absorb(probe);
    // A probe cut short by the meter has no verdict: too_complex alone is reported.
    if (ctx.exhausted) return false;
    if (!found) ok = report(ctx, path, "contains", [&](const std::string& s) { return s + " must contain at least one item of the required form."; });
  }
  if (r.unique_items && size > 1 && !unique_items(v, path, ctx)) ok = false;
  return ok;
}

// Whether an object has a key, for `required` and `dependencies`: a look along the
// members of a small object, a sorted index of the keys of a big one (built once per
// object and rule set, charged when built), so that many names over many members cost
// n log n instead of their product.
class MemberKeys {
 public:
  explicit MemberKeys(const Value& v) : v_(v) {}
  // False also when the meter ran out (ctx.exhausted tells).
  bool has(std::string_view key, Eval& ctx) {
    if (v_.size() <= 8) return spend(ctx, 1) && v_.find(key).valid();
    const uint64_t log = log2_ceil(v_.size());
    if (keys_.empty()) {
      if (!spend(ctx, v_.size() * (1 + log / 2))) return false;
      keys_.reserve(v_.size());
      for (auto m : v_.members()) keys_.push_back(m.key);
      std::sort(keys_.begin(), keys_.end());
    }
    return spend(ctx, 1 + log + key.size() / 64) && std::binary_search(keys_.begin(), keys_.end(), key);
  }

 private:
  Value v_;
  std::vector<std::string_view> keys_;
};

// propertyNames applies to each key as a string value: the key, quoted, parsed into a
// document reused for every key (a string has no members, so this never nests).
Value key_as_value(std::string_view key) {
  static std::string* text = new std::string();
  static json::Document* doc = new json::Document();  // lives as long as the process
  text->clear();
  append_json_string(*text, std::string(key));
  return doc->parse(*text, text->size() + 1, 1) ? doc->root() : Value();
}

bool eval_object(const ObjectRules& r, const Value& v, Path& path, Eval& ctx) {
  bool ok = true;
  int64_t size = static_cast<int64_t>(v.size());
  if (r.min_props >= 0 && size < r.min_props)
    ok = report(ctx, path, "too_few_properties", [&](const std::string& s) {
      return size == 0 ? s + " must not be empty (at least " + plural(r.min_props, "entry", "entries") + ")."
                       : s + " must have at least " + plural(r.min_props, "entry", "entries") + ", but it has " + std::to_string(size) + ".";
    });
  if (r.max_props >= 0 && size > r.max_props)
    ok = report(ctx, path, "too_many_properties", [&](const std::string& s) {
      return s + " must have at most " + plural(r.max_props, "entry", "entries") + ", but it has " + std::to_string(size) + ".";
    });
  if (!ok && !ctx.out) return false;
  uint64_t seen = 0;  // bit j: properties[j] is present (for `required` without lookups)
  // Members are walked only when a per-member keyword exists (see eval_array).
  if (r.per_member()) for (auto m : v.members()) {
    if (!spend(ctx, kMemberCost + m.key.size() / 64)) return false;
    path.push_key(m.key);
    bool matched = false;
    int j = r.property(m.key);
    if (j >= 0) {
      matched = true;
      if (j < 64) seen |= uint64_t{1} << j;
      if (!eval(r.properties[static_cast<size_t>(j)].second, m.value, path, ctx)) ok = false;
    }
    for (const auto& pp : r.pattern_properties) {
      if (matches(pp.first, m.key, ctx)) {
        matched = true;
        if (!eval(pp.second, m.value, path, ctx)) ok = false;
      }
      if (ctx.exhausted) return false;
    }
    if (!matched && r.additional_properties) {
      const Node* ap = r.additional_properties;
      if (ap->is_bool && !ap->bool_value) {
        ok = report(ctx, path, "unknown_field", [&](const std::string& s) {
          std::string hint;
          // "Did you mean": edit distances to every property name, for short keys and
          // when that costs little (a schema of thousands of properties gets no hint).
          const uint64_t cost = 16 * r.property_keys.size() + m.key.size() * r.property_key_bytes / 8;
          if (m.key.size() <= kMaxSuggestKey && cost <= kMaxSuggestCost && spend(ctx, cost))
            hint = suggest(m.key, r.property_keys);
          return s + " is not a field this API accepts" + (hint.empty() ? std::string(".") : "; did you mean " + hint + "?");
        });
      } else if (!eval(ap, m.value, path, ctx)) {
        ok = false;
      }
    }
    if (r.property_names && !ctx.exhausted) {
      if (!spend(ctx, kPropertyNameCost + m.key.size() / 16)) return false;
      Value key = key_as_value(m.key);
      Eval probe = ctx.probe();
      bool allowed = key.valid() && eval(r.property_names, key, path, probe);
      ctx.absorb(probe);
      if (ctx.exhausted) return false;
      if (!allowed) ok = report(ctx, path, "property_name", [&](const std::string& s) { return s + " is not an allowed key here."; });
    }
    path.pop();
    if (ctx.exhausted || (!ok && !ctx.out)) return false;
  }
  MemberKeys keys(v);
  for (size_t k = 0; k < r.required.size(); ++k) {
    int j = r.required_index[k];
    bool present = (j >= 0 && j < 64) ? ((seen >> j) & 1) != 0 : keys.has(r.required[k], ctx);
    if (ctx.exhausted) return false;
    if (!present) {
      path.push_key(r.required[k]);
      ok = report(ctx, path, "required", [&](const std::string& s) { return s + " is required."; });
      path.pop();
      if (!ctx.out) return false;
    }
  }
  for (const auto& d : r.dep_required) {
    if (!keys.has(d.first, ctx)) {
      if (ctx.exhausted) return false;
      continue;
    }
    for (const auto& name : d.second) {
      bool present = keys.has(name, ctx);
      if (ctx.exhausted) return false;
      if (!present) {
        path.push_key(name);
        ok = report(ctx, path, "dependency", [&](const std::string& s) { return s + " is required when " + d.first + " is present."; });
        path.pop();
        if (!ctx.out) return false;
      }
    }
  }
  for (const auto& d : r.dep_schemas) {
    bool present = keys.has(d.first, ctx);
    if (ctx.exhausted) return false;
    if (present && !eval(d.second, v, path, ctx)) ok = false;
  }
  return ok;
}

bool eval(const Node* n, const Value& v, Path& path, Eval& ctx) {
  if (ctx.exhausted) return false;
  if (ctx.depth >= kMaxSchemaDepth) {
    ctx.exhausted = true;
    return false;
  }
  if (!spend(ctx, 1)) return false;
  struct DepthGuard {
    Eval& c;
    explicit DepthGuard(Eval& e) : c(e) { ++c.depth; }
    ~DepthGuard() { --c.depth; }
  } guard(ctx);

  if (n->is_bool) {
    if (n->bool_value) return true;
    return report(ctx, path, "not_allowed", [&](const std::string& s) { return s + " is not allowed here."; });
  }
  if (n->ref) return eval(n->ref, v, path, ctx);

  if (n->types && !type_matches(n->types, v)) {
    return report(ctx, path, "type", [&](const std::string& s) {
      return s + " must be " + types_text(n->types) + ", but it is " +
             (v.is_number() || v.is_string() ? describe_value(v) : a_type_name(v)) + ".";
    });
  }
  bool ok = true;
  if (n->values && !eval_values(*n->values, v, path, ctx)) {
    ok = false;
    if (!ctx.out) return false;
  }
  switch (v.type()) {
    case Type::kString: if (n->string && !eval_string(*n->string, v, path, ctx)) ok = false; break;
    case Type::kNumber: if (n->number && !eval_number(*n->number, v, path, ctx)) ok = false; break;
    case Type::kArray: if (n->array && !eval_array(*n->array, v, path, ctx)) ok = false; break;
    case Type::kObject: if (n->object && !eval_object(*n->object, v, path, ctx)) ok = false; break;
    default: break;
  }
  if (ctx.exhausted || (!ok && !ctx.out)) return false;
  if (n->logic && !eval_logic(*n->logic, v, path, ctx)) ok = false;
  return ok && !ctx.exhausted;
}

bool eval_values(const ValueRules& r, const Value& v, Path& path, Eval& ctx) {
  bool ok = true;
  if (r.has_const) {
    if (!spend(ctx, r.const_cost)) return false;
    uint64_t work = 0;
    if (!equal(r.const_value, v, work)) {
      ok = report(ctx, path, "const", [&](const std::string& s) { return s + " must be exactly " + owned_text(r.const_value) + "."; });
      if (!ctx.out) return false;
    }
  }
  if (r.has_enum) {
    bool found = false;
    if (r.enum_index.empty()) {  // a few values: compared one by one
      for (size_t i = 0; i < r.enum_values.size() && !found; ++i) {
        if (!spend(ctx, r.enum_costs[i])) return false;
        uint64_t work = 0;
        found = equal(r.enum_values[i], v, work);
      }
    } else {  // many: the value's hash looked up, then compared with the values sharing it
      // Hashing costs per value (a value takes at least 2 bytes of text) and byte; then a
      // binary search.
      if (!spend(ctx, 2 + v.raw().size() / 4 + log2_ceil(r.enum_index.size()))) return false;
      uint64_t work = 0;
      const uint64_t h = hash_value(v, work);
      auto it = std::lower_bound(r.enum_index.begin(), r.enum_index.end(), std::make_pair(h, uint32_t{0}));
      for (; !found && it != r.enum_index.end() && it->first == h; ++it) {
        if (!spend(ctx, r.enum_costs[it->second])) return false;
        found = equal(r.enum_values[it->second], v, work);
      }
    }
    if (!found) {
      ok = report(ctx, path, "enum", [&](const std::string& s) {
        std::string list;
        for (size_t i = 0; i < r.enum_values.size() && i < 20; ++i) {
          if (i) list += ", ";
          const Owned& e = r.enum_values[i];
          list += e.type == Type::kString ? shorten(e.str) : owned_text(e);
        }
        if (r.enum_values.size() > 20) list += ", …";
        return s + " must be one of " + list + "; it is " + describe_value(v) + ".";
      });
    }
  }
  return ok;
}

bool eval_logic(const Combinators& n, const Value& v, Path& path, Eval& ctx) {
  bool ok = true;
  for (const Node* s : n.all_of)
    if (!eval(s, v, path, ctx)) ok = false;
  if (ctx.exhausted) return false;
  if (!n.any_of.empty()) {
    Eval probe = ctx.probe();
    bool any = false;
    for (const Node* s : n.any_of)
      if (eval(s, v, path, probe)) { any = true; break; }
    ctx.absorb(probe);
    if (ctx.exhausted) return false;
    if (!any) ok = report(ctx, path, "any_of", [&](const std::string& s) { return s + " does not match any of the allowed forms."; });
  }
  if (!n.one_of.empty()) {
    Eval probe = ctx.probe();
    int matches = 0;
    for (const Node* s : n.one_of)
      if (eval(s, v, path, probe)) ++matches;
    ctx.absorb(probe);
    if (ctx.exhausted) return false;
    if (matches != 1)
      ok = report(ctx, path, "one_of", [&](const std::string& s) {
        return matches == 0 ? s + " does not match any of the allowed forms (exactly one must match)."
                            : s + " matches " + std::to_string(matches) + " of the allowed forms; exactly one must match.";
      });
  }
  if (n.not_) {
    Eval probe = ctx.probe();
    bool matched = eval(n.not_, v, path, probe);
    ctx.absorb(probe);
    if (ctx.exhausted) return false;
    if (matched) ok = report(ctx, path, "not", [&](const std::string& s) { return s + " must not have the excluded form."; });
  }
  if (n.if_) {
    Eval probe = ctx.probe();
    bool cond = eval(n.if_, v, path, probe);
    ctx.absorb(probe);
    if (ctx.exhausted) return false;
    const Node* branch = cond ? n.then_ : n.else_;
    if (branch && !eval(branch, v, path, ctx)) ok = false;
  }
  return ok && !ctx.exhausted;
}

}  // namespace

bool JsonSchema::validate(const json::Value& instance, const std::string& prefix, Issues* out) const {
  Path path(prefix);
  Eval ctx{out};
  ctx.issue_limit = out->size() + kMaxSchemaIssues;
  bool ok = eval(impl_->root, instance, path, ctx);
  g_work_counters.schema_steps += ctx.steps;
  if (ctx.exhausted) {
    std::string field = path.str();
    out->push_back(Issue{field, "too_complex",
                         (field.empty() ? std::string("The value") : field) +
                             " could not be checked: its schema needs more than " + with_commas(kMaxSchemaSteps) +
                             " steps or nests deeper than " + std::to_string(kMaxSchemaDepth) + " levels."});
    return false;
  }
  return ok;
}

}  // namespace signalkit
