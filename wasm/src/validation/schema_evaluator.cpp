// Evaluating an instance against compiled Nodes: metered (every step, and work inside a
// step, is charged against kMaxSchemaSteps) so hostile schemas end with `too_complex`.
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "common/text.h"
#include "common/whitespace.h"
#include "signalkit/json_schema.h"
#include "signalkit/work_counters.h"
#include "validation/formats.h"
#include "validation/ids.h"
#include "validation/schema_node.h"

namespace signalkit {
namespace {

using json::Type;
using json::Value;
using namespace schema_internal;

// Work that is not one evaluation is charged in steps too, so that the limit bounds time:
// comparing 8 values (enum/const), 64 bytes of a string, a reported issue (its message).
constexpr uint64_t kReportCost = 16;

struct Eval {
  Issues* out;      // nullptr: only the verdict is needed (anyOf, not, if, contains)
  uint64_t steps = 0;
  int depth = 0;
  bool exhausted = false;
  size_t issue_limit = 0;  // out->size() at which issues stop being kept
};

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

bool report(Eval& ctx, Path& path, const char* code, std::string message) {
  ctx.steps += kReportCost;
  if (ctx.out && ctx.out->size() < ctx.issue_limit) ctx.out->push_back(Issue{path.str(), code, std::move(message)});
  return false;
}

// Steps for matching `bytes` bytes with `p`: RE2's work per byte grows with its program.
uint64_t pattern_charge(const Pattern& p, size_t bytes) {
  return (1 + bytes / 64) * static_cast<uint64_t>(p.cost_per_64_bytes);
}

bool eval_string(const StringRules& r, const Value& v, Path& path, Eval& ctx) {
  bool ok = true;
  int64_t len = static_cast<int64_t>(v.string_length());
  bool too_short = false;
  if (r.min_length >= 0 && len < r.min_length) {
    too_short = true;
    ok = r.min_length == 1
             ? report(ctx, path, "too_short", path.subject() + " must not be empty.")
             : report(ctx, path, "too_short",
                      path.subject() + " must be at least " + plural(r.min_length, "character", "characters") +
                          " long, but it has " + std::to_string(len) + ".");
    if (!ctx.out) return false;
  }
  if (r.max_length >= 0 && len > r.max_length) {
    ok = report(ctx, path, "too_long",
                path.subject() + " must be at most " + plural(r.max_length, "character", "characters") +
                    " long, but it has " + with_commas(static_cast<uint64_t>(len)) + ".");
    if (!ctx.out) return false;
  }
  if ((r.pattern.re || r.pattern_kind != PatternKind::kGeneric) && !too_short) {
    std::string_view s = v.as_string();
    switch (r.pattern_kind) {
      case PatternKind::kNotBlank:
        ctx.steps += s.size() / 64;
        if (whitespace::is_blank(s)) ok = report(ctx, path, "blank", path.subject() + " must not be blank (it holds only whitespace).");
        break;
      case PatternKind::kNoDot:
        ctx.steps += s.size() / 64;
        if (s.find('.') != std::string_view::npos)
          ok = report(ctx, path, "contains_dot",
                      path.subject() + " must not contain \".\" (disqualifiers are stored dot-separated), but it is " +
                          describe_value(v) + ".");
        break;
      case PatternKind::kGeneric:
        ctx.steps += pattern_charge(r.pattern, s.size());
        // A match the meter cannot pay for is not started: its verdict is too_complex.
        if (ctx.steps > kMaxSchemaSteps) {
          ctx.exhausted = true;
          return false;
        }
        g_work_counters.pattern_bytes += s.size();
        if (!RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *r.pattern.re)) {
          std::string form = r.pattern_src == ids::kPuffleIdPattern
                                 ? std::string(ids::kUuidForm)
                                 : "text matching the pattern " + shorten(r.pattern_src, 100);
          ok = report(ctx, path, "pattern", path.subject() + " must be " + form + ", but it is " + describe_value(v) + ".");
        }
        break;
    }
    if (!ok && !ctx.out) return false;
  }
  if (r.format != Format::kNone) {
    ctx.steps += v.as_string().size() / 16;
    if (const char* form = check_format(r.format, v.as_string()))
      ok = report(ctx, path, "format", path.subject() + " must be " + form + ", but it is " + describe_value(v) + ".");
  }
  return ok;
}

bool eval_number(const NumberRules& r, const Value& v, Path& path, Eval& ctx) {
  bool ok = true;
  double d = v.as_number();
  std::string shown = describe_value(v);
  if (r.has_min && !(d >= r.min))
    ok = report(ctx, path, "below_minimum", path.subject() + " must be at least " + number_text(r.min) + ", but it is " + shown + ".");
  if (r.has_xmin && !(d > r.xmin))
    ok = report(ctx, path, "below_minimum", path.subject() + " must be greater than " + number_text(r.xmin) + ", but it is " + shown + ".");
  if (r.has_max && !(d <= r.max))
    ok = report(ctx, path, "above_maximum", path.subject() + " must be at most " + number_text(r.max) + ", but it is " + shown + ".");
  if (r.has_xmax && !(d < r.xmax))
    ok = report(ctx, path, "above_maximum", path.subject() + " must be less than " + number_text(r.xmax) + ", but it is " + shown + ".");
  if (r.multiple_of > 0 && !is_multiple(d, r.multiple_of))
    ok = report(ctx, path, "multiple_of", path.subject() + " must be a multiple of " + number_text(r.multiple_of) + ", but it is " + shown + ".");
  return ok;
}

bool eval_array(const ArrayRules& r, const Value& v, Path& path, Eval& ctx) {
  bool ok = true;
  int64_t size = static_cast<int64_t>(v.size());
  if (r.min_items >= 0 && size < r.min_items) {
    ok = report(ctx, path, "too_few",
                size == 0 ? path.subject() + " must not be empty (at least " + plural(r.min_items, "item", "items") + ")."
                          : path.subject() + " must have at least " + plural(r.min_items, "item", "items") + ", but it has " + std::to_string(size) + ".");
    if (!ctx.out) return false;
  }
  if (r.max_items >= 0 && size > r.max_items) {
    ok = report(ctx, path, "too_many",
                path.subject() + " must have at most " + plural(r.max_items, "item", "items") + ", but it has " + with_commas(static_cast<uint64_t>(size)) + ".");
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
    if (!ok && !ctx.out) return false;
    ++i;
  }
  if (r.contains) {
    Eval probe{nullptr};
    probe.steps = ctx.steps;
    probe.depth = ctx.depth;
    bool found = false;
    for (auto item : v.items()) {
      if (eval(r.contains, item, path, probe)) { found = true; break; }
      if (probe.exhausted) break;
    }
    ctx.steps = probe.steps;
    if (probe.exhausted) ctx.exhausted = true;
    // A probe cut short by the meter has no verdict: too_complex alone is reported.
    if (!found && !ctx.exhausted) ok = report(ctx, path, "contains", path.subject() + " must contain at least one item of the required form.");
  }
  if (r.unique_items && size > 1) {
    std::vector<std::pair<std::string, size_t>> keys;
    keys.reserve(static_cast<size_t>(size));
    size_t k = 0;
    for (auto item : v.items()) {
      std::string c;
      canonical(item, c);
      keys.emplace_back(std::move(c), k++);
    }
    // Each item's canonical text is built, kept and sorted (~0.5 us per item in wasm).
    ctx.steps += 24 * static_cast<uint64_t>(size) + v.raw().size() / 8;
    std::sort(keys.begin(), keys.end());
    for (size_t j = 1; j < keys.size(); ++j) {
      if (keys[j].first == keys[j - 1].first) {
        size_t a = std::min(keys[j].second, keys[j - 1].second), b = std::max(keys[j].second, keys[j - 1].second);
        ok = report(ctx, path, "unique_items",
                    path.subject() + " must not repeat items, but items " + std::to_string(a) + " and " + std::to_string(b) + " are equal.");
        break;
      }
    }
  }
  return ok;
}

bool eval_object(const ObjectRules& r, const Value& v, Path& path, Eval& ctx) {
  bool ok = true;
  int64_t size = static_cast<int64_t>(v.size());
  if (r.min_props >= 0 && size < r.min_props)
    ok = report(ctx, path, "too_few_properties",
                size == 0 ? path.subject() + " must not be empty (at least " + plural(r.min_props, "entry", "entries") + ")."
                          : path.subject() + " must have at least " + plural(r.min_props, "entry", "entries") + ", but it has " + std::to_string(size) + ".");
  if (r.max_props >= 0 && size > r.max_props)
    ok = report(ctx, path, "too_many_properties",
                path.subject() + " must have at most " + plural(r.max_props, "entry", "entries") + ", but it has " + std::to_string(size) + ".");
  if (!ok && !ctx.out) return false;
  uint64_t seen = 0;  // bit j: properties[j] is present (for `required` without lookups)
  // Members are walked only when a per-member keyword exists (see eval_array).
  if (r.per_member()) for (auto m : v.members()) {
    // The property scan and each patternProperties match cost time per member.
    ctx.steps += 1 + r.properties.size() / 16;
    for (const auto& pp : r.pattern_properties) ctx.steps += pattern_charge(pp.first, m.key.size());
    if (ctx.steps > kMaxSchemaSteps) {
      ctx.exhausted = true;
      return false;
    }
    path.push_key(m.key);
    bool matched = false;
    for (size_t j = 0; j < r.properties.size(); ++j) {
      const auto& p = r.properties[j];
      if (p.first.size() == m.key.size() && p.first == m.key) {
        matched = true;
        if (j < 64) seen |= uint64_t{1} << j;
        if (!eval(p.second, m.value, path, ctx)) ok = false;
        break;
      }
    }
    for (const auto& pp : r.pattern_properties) {
      g_work_counters.pattern_bytes += m.key.size();
      if (RE2::PartialMatch(re2::StringPiece(m.key.data(), m.key.size()), *pp.first.re)) {
        matched = true;
        if (!eval(pp.second, m.value, path, ctx)) ok = false;
      }
    }
    if (!matched && r.additional_properties) {
      const Node* ap = r.additional_properties;
      if (ap->is_bool && !ap->bool_value) {
        std::string hint;
        if (ctx.out && m.key.size() <= kMaxSuggestKey) {
          ctx.steps += 16 * r.property_keys.size();
          hint = suggest(m.key, r.property_keys);
        }
        ok = report(ctx, path, "unknown_field",
                    path.subject() + " is not a field this API accepts" + (hint.empty() ? std::string(".") : "; did you mean " + hint + "?"));
      } else if (!eval(ap, m.value, path, ctx)) {
        ok = false;
      }
    }
    if (r.property_names) {
      // propertyNames applies to the key as a string; evaluate it against a one-off doc.
      ctx.steps += m.key.size() / 64;
      json::Document key_doc;
      std::string quoted;
      append_json_string(quoted, std::string(m.key));
      if (key_doc.parse(quoted)) {
        Eval probe{nullptr};
        probe.steps = ctx.steps;
        probe.depth = ctx.depth;
        bool allowed = eval(r.property_names, key_doc.root(), path, probe);
        ctx.steps = probe.steps;
        if (probe.exhausted) {
          ctx.exhausted = true;
          ok = false;
        } else if (!allowed) {
          ok = report(ctx, path, "property_name", path.subject() + " is not an allowed key here.");
        }
      }
    }
    path.pop();
    if (!ok && !ctx.out) return false;
  }
  // Names beyond the seen-mask are looked up (linear in the members).
  ctx.steps += r.required.size() * (1 + static_cast<uint64_t>(size) / 16);
  for (size_t k = 0; k < r.required.size(); ++k) {
    int j = r.required_index[k];
    bool present = (j >= 0 && j < 64) ? ((seen >> j) & 1) != 0 : v.find(r.required[k]).valid();
    if (!present) {
      path.push_key(r.required[k]);
      ok = report(ctx, path, "required", path.subject() + " is required.");
      path.pop();
      if (!ctx.out) return false;
    }
  }
  for (const auto& d : r.dep_required) {
    ctx.steps += (1 + d.second.size()) * (1 + static_cast<uint64_t>(size) / 16);
    if (!v.find(d.first).valid()) continue;
    for (const auto& name : d.second) {
      if (!v.find(name).valid()) {
        path.push_key(name);
        ok = report(ctx, path, "dependency", path.subject() + " is required when " + d.first + " is present.");
        path.pop();
      }
    }
  }
  for (const auto& d : r.dep_schemas) {
    ctx.steps += 1 + static_cast<uint64_t>(size) / 16;
    if (v.find(d.first).valid() && !eval(d.second, v, path, ctx)) ok = false;
  }
  return ok;
}

bool eval(const Node* n, const Value& v, Path& path, Eval& ctx) {
  if (ctx.exhausted) return false;
  if (++ctx.steps > kMaxSchemaSteps || ctx.depth >= kMaxSchemaDepth) {
    ctx.exhausted = true;
    return false;
  }
  struct DepthGuard {
    Eval& c;
    explicit DepthGuard(Eval& e) : c(e) { ++c.depth; }
    ~DepthGuard() { --c.depth; }
  } guard(ctx);

  if (n->is_bool) {
    if (n->bool_value) return true;
    return report(ctx, path, "not_allowed", path.subject() + " is not allowed here.");
  }
  if (n->ref) return eval(n->ref, v, path, ctx);

  if (n->types && !type_matches(n->types, v)) {
    return report(ctx, path, "type", path.subject() + " must be " + types_text(n->types) + ", but it is " +
                                         (v.is_number() || v.is_string() ? describe_value(v) : a_type_name(v)) + ".");
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
  if (!ok && !ctx.out) return false;
  if (n->logic && !eval_logic(*n->logic, v, path, ctx)) ok = false;
  return ok && !ctx.exhausted;
}

bool eval_values(const ValueRules& r, const Value& v, Path& path, Eval& ctx) {
  bool ok = true;
  uint64_t work = 0;
  bool const_ok = !r.has_const || equal(r.const_value, v, work);
  ctx.steps += work / 8;
  if (!const_ok) {
    ok = report(ctx, path, "const", path.subject() + " must be exactly " + owned_text(r.const_value) + ".");
    if (!ctx.out) return false;
  }
  if (r.has_enum) {
    bool found = false;
    work = 0;
    for (const auto& e : r.enum_values)
      if (equal(e, v, work)) { found = true; break; }
    ctx.steps += work / 8;
    if (!found) {
      std::string list;
      for (size_t i = 0; i < r.enum_values.size() && i < 20; ++i) {
        if (i) list += ", ";
        const Owned& e = r.enum_values[i];
        list += e.type == Type::kString ? shorten(e.str) : owned_text(e);
      }
      if (r.enum_values.size() > 20) list += ", …";
      ok = report(ctx, path, "enum", path.subject() + " must be one of " + list + "; it is " + describe_value(v) + ".");
    }
  }
  return ok;
}

bool eval_logic(const Combinators& n, const Value& v, Path& path, Eval& ctx) {
  bool ok = true;
  for (const Node* s : n.all_of)
    if (!eval(s, v, path, ctx)) ok = false;
  if (!n.any_of.empty()) {
    Eval probe{nullptr};
    probe.steps = ctx.steps;
    probe.depth = ctx.depth;
    bool any = false;
    for (const Node* s : n.any_of)
      if (eval(s, v, path, probe)) { any = true; break; }
    ctx.steps = probe.steps;
    if (probe.exhausted) ctx.exhausted = true;
    if (!any && !ctx.exhausted) ok = report(ctx, path, "any_of", path.subject() + " does not match any of the allowed forms.");
  }
  if (!n.one_of.empty()) {
    Eval probe{nullptr};
    probe.steps = ctx.steps;
    probe.depth = ctx.depth;
    int matches = 0;
    for (const Node* s : n.one_of)
      if (eval(s, v, path, probe)) ++matches;
    ctx.steps = probe.steps;
    if (probe.exhausted) ctx.exhausted = true;
    if (matches != 1 && !ctx.exhausted)
      ok = report(ctx, path, "one_of",
                  matches == 0 ? path.subject() + " does not match any of the allowed forms (exactly one must match)."
                               : path.subject() + " matches " + std::to_string(matches) + " of the allowed forms; exactly one must match.");
  }
  if (n.not_) {
    Eval probe{nullptr};
    probe.steps = ctx.steps;
    probe.depth = ctx.depth;
    bool matched = eval(n.not_, v, path, probe);
    ctx.steps = probe.steps;
    if (probe.exhausted) ctx.exhausted = true;
    if (matched && !ctx.exhausted) ok = report(ctx, path, "not", path.subject() + " must not have the excluded form.");
  }
  if (n.if_) {
    Eval probe{nullptr};
    probe.steps = ctx.steps;
    probe.depth = ctx.depth;
    bool cond = eval(n.if_, v, path, probe);
    ctx.steps = probe.steps;
    if (probe.exhausted) ctx.exhausted = true;
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
