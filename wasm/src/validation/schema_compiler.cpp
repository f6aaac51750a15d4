// Compiling a JSON Schema (draft-07) into Nodes: keywords read once, $refs resolved to
// nodes, patterns compiled with RE2, and $ref cycles that never descend rejected.
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/text.h"
#include "signalkit/json_schema.h"
#include "signalkit/work_counters.h"
#include "validation/ecma_regex.h"
#include "validation/schema_node.h"

namespace signalkit {
namespace {

using json::Value;
using namespace schema_internal;

class Compiler {
 public:
  Compiler(JsonSchema::Impl* impl, const Value& root, Issues* issues, std::string prefix)
      : impl_(impl), root_(root), issues_(issues), prefix_(std::move(prefix)), path_(prefix_) {}

  Node* compile(const Value& v) {
    auto owned = std::make_unique<Node>();
    Node* n = owned.get();
    impl_->nodes.push_back(std::move(owned));
    n->where = path_.str();
    by_offset_.emplace(v.offset(), n);  // a $ref to this value reuses it (see resolve_refs)
    if (v.is_bool()) {
      n->is_bool = true;
      n->bool_value = v.as_bool();
      return n;
    }
    if (!v.is_object()) {
      error("a schema must be an object or a boolean, but it is " + a_type_name(v));
      return n;
    }
    if (Value ref = v.find("$ref"); ref.valid()) {
      // draft-07: a $ref's siblings are ignored.
      path_.push_key("$ref");
      if (!ref.is_string()) {
        error("$ref must be a string");
      } else {
        n->has_ref = true;
        n->ref_text = std::string(ref.as_string());
        pending_refs_.push_back({n, path_.str()});
      }
      path_.pop();
      return n;
    }
    for (auto m : v.members()) {
      path_.push_key(m.key);
      keyword(n, m.key, m.value);
      path_.pop();
    }
    for (const auto& r : n->required) {
      int index = -1;
      for (size_t j = 0; j < n->properties.size() && index < 0; ++j)
        if (n->properties[j].first == r) index = static_cast<int>(j);
      n->required_index.push_back(index);
    }
    return n;
  }

  // Resolves $refs after the tree is compiled; compiles referenced sub-schemas that were
  // not reached by the walk (a pointer into anywhere in the document is legal).
  void resolve_refs() {
    for (size_t i = 0; i < pending_refs_.size(); ++i) {
      Node* n = pending_refs_[i].node;
      const std::string& ref = n->ref_text;
      if (ref.empty() || ref[0] != '#') {
        error_at(pending_refs_[i].where, "only local references (\"#/definitions/...\") are supported, not \"" + ref + "\"");
        continue;
      }
      auto it = by_pointer_.find(ref);
      if (it != by_pointer_.end()) {
        n->ref = it->second;
        continue;
      }
      Value target = root_;
      std::string pointer = percent_decode(ref.substr(1));
      bool ok = pointer.empty() || pointer[0] == '/';
      size_t pos = 1;
      while (ok && pos <= pointer.size() && !pointer.empty()) {
        size_t next = pointer.find('/', pos);
        if (next == std::string::npos) next = pointer.size();
        std::string token = unescape_token(pointer.substr(pos, next - pos));
        if (target.is_object()) {
          target = target.find(token);
        } else if (target.is_array() && !token.empty() && token.find_first_not_of("0123456789") == std::string::npos) {
          size_t idx = std::strtoul(token.c_str(), nullptr, 10);
          Value found;
          size_t k = 0;
          for (auto item : target.items())
            if (k++ == idx) found = item;
          target = found;
        } else {
          target = Value();
        }
        ok = target.valid();
        pos = next + 1;
      }
      if (!ok) {
        error_at(pending_refs_[i].where, "$ref \"" + ref + "\" points at nothing in this schema");
        continue;
      }
      // Pointers spelled differently ("#/properties/a", "#/properties/%61") or reaching a
      // sub-schema the walk already compiled share one node: compiling a copy per $ref
      // string would let a 1 MiB schema multiply its own size.
      if (auto hit = by_offset_.find(target.offset()); hit != by_offset_.end()) {
        by_pointer_[ref] = hit->second;
        n->ref = hit->second;
        continue;
      }
      Path saved = path_;
      ref_prefix_ = base_prefix_ + "<" + ref + ">";  // Path keeps a view: the string must live on
      path_ = Path(ref_prefix_);
      Node* target_node = compile(target);
      path_ = saved;
      by_pointer_[ref] = target_node;
      n->ref = target_node;
    }
  }

  void set_base_prefix(std::string p) { base_prefix_ = std::move(p); }
  // A synthetic {"$ref": entry} node, resolved with the others.
  Node* add_entry(const std::string& entry) {
    auto owned = std::make_unique<Node>();
    Node* n = owned.get();
    impl_->nodes.push_back(std::move(owned));
    n->has_ref = true;
    n->ref_text = entry;
    n->where = base_prefix_;
    pending_refs_.push_back({n, base_prefix_});
    return n;
  }
  void register_root(Node* root) { by_pointer_["#"] = root; by_pointer_["#/"] = root; }
  void register_definition(const std::string& pointer, Node* node) { by_pointer_[pointer] = node; }

 private:
  struct PendingRef {
    Node* node;
    std::string where;
  };

  static std::string percent_decode(const std::string& s) {
    auto hv = [](char c) {
      return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    };
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '%' && i + 2 < s.size() && hv(s[i + 1]) >= 0 && hv(s[i + 2]) >= 0) {
        out.push_back(static_cast<char>(hv(s[i + 1]) * 16 + hv(s[i + 2])));
        i += 2;
      } else {
        out.push_back(s[i]);
      }
    }
    return out;
  }
  static std::string unescape_token(const std::string& t) {
    std::string out;
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i] == '~' && i + 1 < t.size() && (t[i + 1] == '0' || t[i + 1] == '1')) {
        out.push_back(t[i + 1] == '0' ? '~' : '/');
        ++i;
      } else {
        out.push_back(t[i]);
      }
    }
    return out;
  }

  void error(const std::string& what) { error_at(path_.str(), what); }
  void error_at(const std::string& where, const std::string& what) {
    ok_ = false;
    std::string subject = where.empty() ? "The schema" : where;
    issues_->push_back(Issue{where, "invalid_schema", subject + " is not valid JSON Schema: " + what + "."});
  }

  bool non_negative_int(const Value& v, int64_t* out) {
    if (!v.is_integer() || v.as_number() < 0) {
      error("must be a non-negative integer, but it is " + describe_value(v));
      return false;
    }
    double d = v.as_number();
    *out = d > 9e15 ? static_cast<int64_t>(9e15) : static_cast<int64_t>(d);
    return true;
  }

  bool number(const Value& v, double* out) {
    if (!v.is_number()) {
      error("must be a number, but it is " + describe_value(v));
      return false;
    }
    *out = v.as_number();
    return true;
  }

  Node* sub(const Value& v) { return compile(v); }

  std::vector<Node*> sub_array(const Value& v, bool non_empty) {
    std::vector<Node*> out;
    if (!v.is_array() || (non_empty && v.size() == 0)) {
      error(non_empty ? "must be a non-empty array of schemas" : "must be an array of schemas");
      return out;
    }
    size_t i = 0;
    for (auto item : v.items()) {
      path_.push_index(i++);
      out.push_back(sub(item));
      path_.pop();
    }
    return out;
  }

  bool add_type(Node* n, std::string_view t) {
    if (t == "null") n->types |= kTNull;
    else if (t == "boolean") n->types |= kTBoolean;
    else if (t == "object") n->types |= kTObject;
    else if (t == "array") n->types |= kTArray;
    else if (t == "number") n->types |= kTNumber;
    else if (t == "string") n->types |= kTString;
    else if (t == "integer") n->types |= kTInteger;
    else return false;
    return true;
  }

  void keyword(Node* n, std::string_view k, const Value& v) {
    if (k == "type") {
      if (v.is_string()) {
        if (!add_type(n, v.as_string())) error("unknown type \"" + std::string(v.as_string()) + "\" (use null, boolean, object, array, number, string or integer)");
      } else if (v.is_array() && v.size() > 0) {
        for (auto t : v.items())
          if (!t.is_string() || !add_type(n, t.as_string())) error("must list type names such as \"string\" or \"null\"");
      } else {
        error("must be a type name or a non-empty array of type names, but it is " + describe_value(v));
      }
    } else if (k == "enum") {
      if (!v.is_array()) return error("must be an array, but it is " + a_type_name(v));
      n->has_enum = true;
      for (auto item : v.items()) n->enum_values.push_back(own(item));
    } else if (k == "const") {
      n->has_const = true;
      n->const_value = own(v);
    } else if (k == "multipleOf") {
      if (!v.is_number() || !(v.as_number() > 0)) return error("must be a number greater than 0");
      n->multiple_of = v.as_number();
    } else if (k == "maximum") { n->has_max = number(v, &n->max);
    } else if (k == "minimum") { n->has_min = number(v, &n->min);
    } else if (k == "exclusiveMaximum") { n->has_xmax = number(v, &n->xmax);
    } else if (k == "exclusiveMinimum") { n->has_xmin = number(v, &n->xmin);
    } else if (k == "maxLength") { non_negative_int(v, &n->max_length);
    } else if (k == "minLength") { non_negative_int(v, &n->min_length);
    } else if (k == "maxItems") { non_negative_int(v, &n->max_items);
    } else if (k == "minItems") { non_negative_int(v, &n->min_items);
    } else if (k == "maxProperties") { non_negative_int(v, &n->max_props);
    } else if (k == "minProperties") { non_negative_int(v, &n->min_props);
    } else if (k == "pattern") {
      if (!v.is_string()) return error("must be a string (a regular expression)");
      n->pattern_src = std::string(v.as_string());
      if (n->pattern_src == "\\S") n->pattern_kind = PatternKind::kNotBlank;
      else if (n->pattern_src == "^[^.]*$") n->pattern_kind = PatternKind::kNoDot;
      // The two patterns with codes of their own are checked directly, never by RE2
      // (compiling them cost most of the engine's start-up).
      if (n->pattern_kind != PatternKind::kGeneric) return;
      std::string err;
      n->pattern = compile_regex(n->pattern_src, &err);
      if (!n->pattern) error("the regular expression does not compile (" + err + "); lookaround and backreferences are not supported");
    } else if (k == "format") {
      if (!v.is_string()) return error("must be a string");
      n->format = std::string(v.as_string());
    } else if (k == "items") {
      if (v.is_array()) {
        n->has_tuple = true;
        n->tuple = sub_array(v, false);
      } else {
        n->items = sub(v);
      }
    } else if (k == "additionalItems") { n->additional_items = sub(v);
    } else if (k == "uniqueItems") {
      if (!v.is_bool()) return error("must be true or false");
      n->unique_items = v.as_bool();
    } else if (k == "contains") { n->contains = sub(v);
    } else if (k == "required") {
      if (!v.is_array()) return error("must be an array of property names");
      for (auto item : v.items()) {
        if (!item.is_string()) return error("must be an array of property names (strings)");
        n->required.emplace_back(item.as_string());
      }
    } else if (k == "properties" || k == "definitions" || k == "patternProperties") {
      if (!v.is_object()) return error("must be an object whose values are schemas");
      for (auto m : v.members()) {
        path_.push_key(m.key);
        Node* child = sub(m.value);
        path_.pop();
        if (k == "properties") {
          n->properties.emplace_back(std::string(m.key), child);
          if (m.key.size() <= kMaxSuggestKey) n->property_keys.emplace_back(m.key);
        } else if (k == "patternProperties") {
          std::string err;
          auto re = compile_regex(m.key, &err);
          if (!re) {
            error("the pattern \"" + std::string(m.key) + "\" does not compile (" + err + ")");
          } else {
            n->pattern_properties.emplace_back(std::move(re), child);
          }
        } else if (n == impl_->nodes.front().get()) {
          register_definition("#/definitions/" + escape_token(m.key), child);
        }
      }
    } else if (k == "additionalProperties") { n->additional_properties = sub(v);
    } else if (k == "dependencies") {
      if (!v.is_object()) return error("must be an object");
      for (auto m : v.members()) {
        path_.push_key(m.key);
        if (m.value.is_array()) {
          std::vector<std::string> names;
          for (auto item : m.value.items()) {
            if (!item.is_string()) error("must list property names (strings)");
            else names.emplace_back(item.as_string());
          }
          n->dep_required.emplace_back(std::string(m.key), std::move(names));
        } else {
          n->dep_schemas.emplace_back(std::string(m.key), sub(m.value));
        }
        path_.pop();
      }
    } else if (k == "propertyNames") { n->property_names = sub(v);
    } else if (k == "if") { n->if_ = sub(v);
    } else if (k == "then") { n->then_ = sub(v);
    } else if (k == "else") { n->else_ = sub(v);
    } else if (k == "not") { n->not_ = sub(v);
    } else if (k == "allOf") { n->all_of = sub_array(v, true);
    } else if (k == "anyOf") { n->any_of = sub_array(v, true);
    } else if (k == "oneOf") { n->one_of = sub_array(v, true);
    } else if (k == "$schema" || k == "$id" || k == "title" || k == "description" || k == "$comment") {
      if (!v.is_string()) error("must be a string");
    }
    // Other keywords (default, examples, readOnly, contentMediaType, vendor x-...) are
    // annotations in draft-07 and do not affect validation.
  }

  static std::string escape_token(std::string_view key) {
    std::string out;
    for (char c : key) {
      if (c == '~') out += "~0";
      else if (c == '/') out += "~1";
      else out.push_back(c);
    }
    return out;
  }

  JsonSchema::Impl* impl_;
  Value root_;
  Issues* issues_;
  std::string prefix_;      // declared before path_, which views it
  std::string ref_prefix_;
  Path path_;
  std::string base_prefix_;
  bool ok_ = true;
  std::vector<PendingRef> pending_refs_;
  std::unordered_map<std::string, Node*> by_pointer_;
  std::unordered_map<size_t, Node*> by_offset_;  // compiled schemas by their byte offset

 public:
  bool ok() const { return ok_; }
  void fail_at(const std::string& where, const std::string& what) { error_at(where, what); }
};

// Detects $ref/allOf/... cycles that never descend into the instance (they would recurse
// forever on any value) with a three-colour DFS over "same instance" edges.
bool has_same_instance_cycle(const std::vector<std::unique_ptr<Node>>& nodes, std::string* where) {
  std::unordered_map<const Node*, int> colour;
  auto edges = [](const Node* n) {
    std::vector<const Node*> e;
    if (n->ref) e.push_back(n->ref);
    for (auto* x : n->all_of) e.push_back(x);
    for (auto* x : n->any_of) e.push_back(x);
    for (auto* x : n->one_of) e.push_back(x);
    for (auto* x : {n->not_, n->if_, n->then_, n->else_})
      if (x) e.push_back(x);
    for (auto& d : n->dep_schemas) e.push_back(d.second);
    return e;
  };
  for (const auto& start : nodes) {
    if (colour[start.get()] != 0) continue;
    std::vector<std::pair<const Node*, std::vector<const Node*>>> dfs;
    dfs.push_back({start.get(), edges(start.get())});
    colour[start.get()] = 1;
    while (!dfs.empty()) {
      auto& [node, out] = dfs.back();
      if (out.empty()) {
        colour[node] = 2;
        dfs.pop_back();
        continue;
      }
      const Node* next = out.back();
      out.pop_back();
      int c = colour[next];
      if (c == 1) {
        *where = next->where;
        return true;
      }
      if (c == 0) {
        colour[next] = 1;
        dfs.push_back({next, edges(next)});
      }
    }
  }
  return false;
}

}  // namespace

JsonSchema::JsonSchema(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonSchema::~JsonSchema() = default;

std::unique_ptr<JsonSchema> JsonSchema::compile(const json::Value& schema, Issues* issues,
                                                const std::string& field_prefix, std::string_view entry) {
  auto impl = std::make_unique<Impl>();
  Compiler c(impl.get(), schema, issues, field_prefix);
  c.set_base_prefix(field_prefix);
  // The root node is created first so definitions register against it.
  impl->root = c.compile(schema);
  c.register_root(impl->root);
  if (!entry.empty()) impl->root = c.add_entry(std::string(entry));
  c.resolve_refs();
  g_work_counters.schema_nodes += impl->nodes.size();
  if (!c.ok()) return nullptr;
  std::string where;
  if (has_same_instance_cycle(impl->nodes, &where)) {
    c.fail_at(where, "its $ref chain loops back on itself without descending into the value");
    return nullptr;
  }
  return std::unique_ptr<JsonSchema>(new JsonSchema(std::move(impl)));
}

}  // namespace signalkit
