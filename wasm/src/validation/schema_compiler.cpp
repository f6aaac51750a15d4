// Compiling a JSON Schema (draft-07) into Nodes: keywords read once, `$id`s and `$ref`s
// resolved as URIs (RFC 3986) to nodes, patterns compiled with RE2, and the result checked
// so that no schema is accepted that could not be used: $ref cycles that never descend
// are invalid; compile work, pattern size, $ref chain depth and combinator expansion are
// metered and end in `too_complex` (limits.h).
#include <algorithm>
#include <cstdlib>
#include <deque>
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
#include "validation/formats.h"
#include "validation/metaschema.h"
#include "validation/schema_node.h"
#include "validation/schema_uri.h"

namespace signalkit {
namespace {

using json::Value;
using namespace schema_internal;

// Keys longer than this are shortened in the fields of compile errors: a field must say
// where the problem is, not repeat a hostile 1 MiB key twenty times.
constexpr size_t kMaxFieldKey = 200;

// Compile work in units of ~25 ns of the wasm build, measured with bench/schema.js: a
// sub-schema costs its allocations, a $ref or $id its URI strings and map entries.
constexpr uint64_t kNodeWork = 20;
constexpr uint64_t kRefWork = 128;
constexpr uint64_t kUriBytesPerUnit = 8;   // building, resolving and keying URIs
constexpr uint64_t kIndexWork = 8;         // a name put into a hash index (required, properties)
constexpr uint64_t kEnumIndexWork = 4;     // an enum value hashed and sorted
constexpr uint64_t kHashBytesPerUnit = 8;  // ... per byte of its text
constexpr uint64_t kDependencyWork = 8;    // a dependencies entry (half that per name in it)

class Compiler {
 public:
  Compiler(JsonSchema::Impl* impl, Issues* issues, const std::string& prefix) : impl_(impl), issues_(issues) {
    crumbs_.push_back(Crumb{0, Crumb::kRoot, prefix, 0});
    bases_.emplace_back();
  }

  // The document's root: registered under its base ("" without $id), then compiled.
  Node* compile_root(const Value& root) {
    resources_.emplace("", Located{root, 0});
    Node* n = compile(root);
    root_base_ = cur_base_after_root_;
    return n;
  }

  // A synthetic {"$ref": entry} node, resolved with the others.
  Node* add_entry(std::string_view entry) {
    Node* n = new_node();
    texts_.emplace_back(entry);
    pending_.push_back(PendingRef{n, 0, root_base_, texts_.back()});
    return n;
  }

  void resolve_refs() {
    for (size_t i = 0; i < pending_.size() && !exhausted_; ++i) {
      const PendingRef pr = pending_[i];
      const std::string& base = bases_[pr.base];
      // Resolving a $ref allocates: the URI, its parts, map entries (~4 us in wasm).
      charge(kRefWork + (base.size() + pr.ref.size()) / kUriBytesPerUnit);
      std::string uri = resolve_uri(base, pr.ref);
      if (auto hit = by_uri_.find(uri); hit != by_uri_.end()) {
        pr.node->ref = hit->second;
        continue;
      }
      Located target;
      std::string why;
      if (!locate(uri, &target, &why)) {
        error_at(pr.crumb, why);
        continue;
      }
      Node* node = node_for(target, pr.ref);
      by_uri_.emplace(std::move(uri), node);
      pr.node->ref = node;
    }
  }

  // Same-instance edges ($ref, allOf, anyOf, oneOf, not, if/then/else, schema
  // dependencies) evaluate the same value again. A cycle of them recurses forever; a
  // chain deeper than kMaxSchemaDepth, or a node that fans out into more than
  // kMaxSchemaSteps evaluations of one value, can never answer. All three are refused here.
  void check_graph() {
    if (!ok_ || exhausted_) return;
    const auto& nodes = impl_->nodes;
    std::unordered_map<const Node*, uint32_t> index;
    index.reserve(nodes.size());
    for (uint32_t i = 0; i < nodes.size(); ++i) index.emplace(nodes[i].get(), i);
    auto edges = [&](const Node* n, std::vector<uint32_t>* out) {
      out->clear();
      auto add = [&](const Node* x) {
        if (x) out->push_back(index.at(x));
      };
      add(n->ref);
      if (n->logic) {
        for (auto* x : n->logic->all_of) add(x);
        for (auto* x : n->logic->any_of) add(x);
        for (auto* x : n->logic->one_of) add(x);
        for (auto* x : {n->logic->not_, n->logic->if_, n->logic->then_, n->logic->else_}) add(x);
      }
      if (n->object)
        for (auto& d : n->object->dep_schemas) add(d.second);
      charge(4 + 2 * out->size());
    };
    std::vector<uint8_t> colour(nodes.size(), 0);
    std::vector<uint32_t> depth(nodes.size(), 0);
    std::vector<uint64_t> fan(nodes.size(), 0);
    struct Frame {
      uint32_t node;
      std::vector<uint32_t> out;
      size_t next;
    };
    std::vector<Frame> stack;
    for (uint32_t start = 0; start < nodes.size() && !exhausted_; ++start) {
      if (colour[start]) continue;
      stack.push_back(Frame{start, {}, 0});
      edges(nodes[start].get(), &stack.back().out);
      colour[start] = 1;
      while (!stack.empty() && !exhausted_) {
        Frame& f = stack.back();
        if (f.next < f.out.size()) {
          uint32_t next = f.out[f.next++];
          if (colour[next] == 1) {
            error_at(node_crumb_[next], "its $ref chain loops back on itself without descending into the value");
            return;
          }
          if (colour[next] == 0) {
            colour[next] = 1;
            stack.push_back(Frame{next, {}, 0});
            edges(nodes[next].get(), &stack.back().out);
          }
          continue;
        }
        uint32_t d = 1;
        uint64_t paths = 1;
        for (uint32_t x : f.out) {
          d = std::max(d, depth[x] + 1);
          paths = std::min<uint64_t>(paths + fan[x], uint64_t{1} << 62);
        }
        depth[f.node] = d;
        fan[f.node] = paths;
        colour[f.node] = 2;
        stack.pop_back();
      }
    }
    // Reported at the outermost such node (nodes are numbered in the order the walk met
    // them), where the user's chain or fan-out starts.
    for (uint32_t i = 0; i < nodes.size() && !exhausted_; ++i) {
      if (depth[i] > static_cast<uint32_t>(kMaxSchemaDepth))
        return too_complex_at(node_crumb_[i], "its chain of $ref and combinators is " + with_commas(depth[i]) +
                                                  " schemas deep; evaluation nests at most " +
                                                  std::to_string(kMaxSchemaDepth) + " levels");
      if (fan[i] > kMaxSchemaSteps)
        return too_complex_at(node_crumb_[i], "its $refs and combinators apply more than " +
                                                  with_commas(kMaxSchemaSteps) +
                                                  " schemas to one value (the evaluation meter's limit)");
    }
  }

  bool ok() const { return ok_; }
  uint64_t work() const { return work_; }
  size_t memory() const { return memory_; }

 private:
  // A field path kept as a tree of crumbs while compiling: rendered only for an error, so
  // that 300,000 nodes under a long key do not each carry a copy of it.
  struct Crumb {
    uint32_t parent;
    enum Kind : uint8_t { kRoot, kKey, kIndex } kind;
    std::string_view text;  // kRoot: the field prefix or "<ref>"; kKey: the key
    size_t index;
  };
  struct Located {
    Value value;
    uint32_t base = 0;  // index into bases_
  };
  struct PendingRef {
    Node* node;
    uint32_t crumb;
    uint32_t base;
    std::string_view ref;  // views the schema's document, the meta-schema or texts_
  };

  // --- paths -------------------------------------------------------------------------
  void push_key(std::string_view k) {
    crumbs_.push_back(Crumb{cur_crumb_, Crumb::kKey, k, 0});
    cur_crumb_ = static_cast<uint32_t>(crumbs_.size() - 1);
  }
  void push_index(size_t i) {
    crumbs_.push_back(Crumb{cur_crumb_, Crumb::kIndex, {}, i});
    cur_crumb_ = static_cast<uint32_t>(crumbs_.size() - 1);
  }
  void pop() { cur_crumb_ = crumbs_[cur_crumb_].parent; }

  std::string render(uint32_t c) const {
    std::vector<const Crumb*> chain;
    while (crumbs_[c].kind != Crumb::kRoot) {
      chain.push_back(&crumbs_[c]);
      c = crumbs_[c].parent;
    }
    std::string out(crumbs_[c].text);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      const Crumb& s = **it;
      if (s.kind == Crumb::kKey) {
        append_path_key(out, s.text.size() > kMaxFieldKey ? shorten(std::string(s.text), kMaxFieldKey) : s.text);
      } else {
        out += "[" + std::to_string(s.index) + "]";
      }
    }
    return out;
  }

  // --- errors and the meter -------------------------------------------------------------
  void error(const std::string& what) { error_at(cur_crumb_, what); }
  void error_at(uint32_t crumb, const std::string& what) {
    ok_ = false;
    if (reported_ >= kMaxSchemaCompileIssues) return;
    ++reported_;
    std::string where = render(crumb);
    std::string subject = where.empty() ? "The schema" : where;
    issues_->push_back(Issue{where, "invalid_schema", subject + " is not valid JSON Schema: " + what + "."});
  }
  void too_complex(const std::string& what) { too_complex_at(cur_crumb_, what); }
  void too_complex_at(uint32_t crumb, const std::string& what) {
    ok_ = false;
    if (exhausted_) return;
    exhausted_ = true;
    std::string where = render(crumb);
    std::string subject = where.empty() ? "The schema" : where;
    issues_->push_back(Issue{where, "too_complex",
                             subject + " is too complex to use: " + what +
                                 ". Simplify it (docs/validation.md lists what a schema may cost)."});
  }
  // Compile work in units of ~25 ns, charged before the work it pays for; past
  // kMaxSchemaCompileWork the schema is refused and that work is not done (the count stops
  // at kMaxSchemaCompileWork + 1).
  void charge(uint64_t units) {
    if (exhausted_) return;  // refused already: nothing more is compiled
    if (units <= work_left()) {
      work_ += units;
      return;
    }
    work_ = kMaxSchemaCompileWork + 1;
    too_complex("compiling it takes more than " + with_commas(kMaxSchemaCompileWork) + " units of work");
  }
  uint64_t work_left() const { return work_ >= kMaxSchemaCompileWork ? 0 : kMaxSchemaCompileWork - work_; }

  // --- nodes -----------------------------------------------------------------------------
  Node* new_node() {
    auto owned = std::make_unique<Node>();
    Node* n = owned.get();
    impl_->nodes.push_back(std::move(owned));
    node_crumb_.push_back(cur_crumb_);
    memory_ += sizeof(Node) + sizeof(void*);
    return n;
  }
  template <typename T>
  T& block(std::unique_ptr<T>& p) {
    if (!p) {
      p = std::make_unique<T>();
      memory_ += sizeof(T);
    }
    return *p;
  }

  Node* compile(const Value& v) {
    if (exhausted_) {
      if (!spare_) spare_ = new_node();  // a placeholder: the schema is refused anyway
      return spare_;
    }
    if (auto hit = by_value_.find(v.raw().data()); hit != by_value_.end()) return hit->second;
    charge(kNodeWork + 2 * v.size());
    Node* n = new_node();
    by_value_.emplace(v.raw().data(), n);
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
      // draft-07: a $ref's siblings are ignored, $id included.
      push_key("$ref");
      if (!ref.is_string()) error("$ref must be a string");
      else pending_.push_back(PendingRef{n, cur_crumb_, cur_base_, ref.as_string()});
      pop();
      return n;
    }
    const uint32_t saved_base = cur_base_;
    if (Value id = v.find("$id"); id.is_string()) {
      push_key("$id");
      identify(v, id.as_string());
      pop();
    }
    if (impl_->nodes.size() == 1) cur_base_after_root_ = cur_base_;
    for (auto m : v.members()) {
      if (exhausted_) break;
      push_key(m.key);
      keyword(n, m.key, m.value);
      pop();
    }
    if (n->object) index_required(*n->object);
    cur_base_ = saved_base;
    return n;
  }

  // $id: a new base URI for the sub-schema (registered as a resource), or a plain-name
  // fragment ("#foo", a location-independent identifier).
  void identify(const Value& v, std::string_view id) {
    charge(kRefWork + (bases_[cur_base_].size() + id.size()) / kUriBytesPerUnit);
    std::string uri = resolve_uri(bases_[cur_base_], id);
    UriParts parts = split_fragment(uri);
    std::string absolute(parts.absolute);
    std::string fragment = percent_decode(parts.fragment);
    const bool anchor = !fragment.empty() && fragment[0] != '/';
    if (!(parts.absolute.empty() && parts.has_fragment) && absolute != bases_[cur_base_]) {
      bases_.push_back(absolute);
      cur_base_ = static_cast<uint32_t>(bases_.size() - 1);
      if (!resources_.emplace(absolute, Located{v, cur_base_}).second)
        return error("$id \"" + shorten(absolute, 100) + "\" is already the identifier of another schema in this document");
    }
    if (anchor && !anchors_.emplace(absolute + "#" + fragment, Located{v, cur_base_}).second)
      error("$id \"#" + shorten(fragment, 100) + "\" is already used by another schema in this document");
  }

  // Finds what a resolved $ref URI names: a resource (document root or $id) and a JSON
  // pointer inside it, or a plain-name fragment.
  bool locate(const std::string& uri, Located* out, std::string* why) {
    UriParts parts = split_fragment(uri);
    std::string absolute(parts.absolute);
    std::string fragment = percent_decode(parts.fragment);
    if (absolute == kDraft07MetaschemaUri && !resources_.count(absolute)) load_metaschema();
    if (!fragment.empty() && fragment[0] != '/') {
      auto it = anchors_.find(absolute + "#" + fragment);
      if (it == anchors_.end()) {
        *why = "$ref \"" + shorten(uri, 100) + "\" names no schema in this document (no \"$id\": \"#" +
               shorten(fragment, 60) + "\" resolves to it)";
        return false;
      }
      *out = it->second;
      return true;
    }
    auto it = resources_.find(absolute);
    if (it == resources_.end()) {
      *why = "$ref \"" + shorten(uri, 100) +
             "\" is not in this schema, and remote references are not fetched (the engine has no network; "
             "only the draft-07 meta-schema is built in). Put the schema under \"definitions\" and refer to it "
             "as \"#/definitions/name\", or give it that \"$id\"";
      return false;
    }
    Located at = it->second;
    size_t pos = 1;
    while (pos <= fragment.size() && !fragment.empty()) {
      size_t next = fragment.find('/', pos);
      if (next == std::string::npos) next = fragment.size();
      std::string token = unescape_token(fragment.substr(pos, next - pos));
      pos = next + 1;
      Value child;
      if (at.value.is_object()) {
        child = member(at.value, token);
      } else if (at.value.is_array() && !token.empty() && token.size() < 10 &&
                 token.find_first_not_of("0123456789") == std::string::npos) {
        size_t idx = std::strtoul(token.c_str(), nullptr, 10), k = 0;
        charge(1 + std::min(idx, at.value.size()) / 8);
        for (auto item : at.value.items())
          if (k++ == idx) {
            child = item;
            break;
          }
      }
      if (!child.valid()) {
        *why = "$ref \"" + shorten(uri, 100) + "\" points at nothing in this schema";
        return false;
      }
      // Descending into a sub-schema with its own $id moves the base, as the walk did.
      if (child.is_object() && !member(child, "$ref").valid()) {
        if (Value id = member(child, "$id"); id.is_string()) {
          charge(kRefWork + (bases_[at.base].size() + id.as_string().size()) / kUriBytesPerUnit);
          UriParts p = split_fragment(resolve_uri(bases_[at.base], id.as_string()));
          if (!p.absolute.empty()) {
            bases_.emplace_back(p.absolute);
            at.base = static_cast<uint32_t>(bases_.size() - 1);
          }
        }
      }
      at.value = child;
    }
    *out = at;
    return true;
  }

  // A member by name. Objects with many members get an index on first use: a thousand
  // pointers into one big "definitions" cost a thousand lookups, not a million.
  Value member(const Value& object, std::string_view key) {
    if (object.size() <= 16) {
      charge(4);
      return object.find(key);
    }
    auto [it, fresh] = member_index_.try_emplace(object.raw().data());
    if (fresh) {
      charge(4 * object.size());
      for (auto m : object.members()) it->second.emplace(m.key, m.value);
    }
    charge(1 + key.size() / 64);
    auto hit = it->second.find(key);
    return hit == it->second.end() ? Value() : hit->second;
  }

  // The node for a located value: the one the walk compiled, or a new one (a pointer may
  // name any part of the document, even one no keyword reaches).
  Node* node_for(const Located& target, std::string_view ref) {
    if (auto hit = by_value_.find(target.value.raw().data()); hit != by_value_.end()) return hit->second;
    const uint32_t saved_crumb = cur_crumb_, saved_base = cur_base_;
    texts_.push_back(std::string(crumbs_[0].text) + "<" + std::string(ref) + ">");
    crumbs_.push_back(Crumb{0, Crumb::kRoot, texts_.back(), 0});
    cur_crumb_ = static_cast<uint32_t>(crumbs_.size() - 1);
    cur_base_ = target.base;
    Node* n = compile(target.value);
    cur_crumb_ = saved_crumb;
    cur_base_ = saved_base;
    return n;
  }

  void load_metaschema() {
    static json::Document* doc = [] {
      auto* d = new json::Document();  // lives as long as the process, like the text it views
      d->parse(draft07_metaschema());
      return d;
    }();
    const uint32_t saved_crumb = cur_crumb_, saved_base = cur_base_;
    texts_.push_back("<" + std::string(kDraft07MetaschemaUri) + "#>");
    crumbs_.push_back(Crumb{0, Crumb::kRoot, texts_.back(), 0});
    cur_crumb_ = static_cast<uint32_t>(crumbs_.size() - 1);
    cur_base_ = 0;
    compile(doc->root());
    cur_crumb_ = saved_crumb;
    cur_base_ = saved_base;
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

  // --- keywords --------------------------------------------------------------------------
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

  std::vector<Node*> sub_array(const Value& v, bool non_empty) {
    std::vector<Node*> out;
    if (!v.is_array() || (non_empty && v.size() == 0)) {
      error(non_empty ? "must be a non-empty array of schemas" : "must be an array of schemas");
      return out;
    }
    size_t i = 0;
    for (auto item : v.items()) {
      push_index(i++);
      out.push_back(compile(item));
      pop();
    }
    return out;
  }

  static bool add_type(Node* n, std::string_view t) {
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

  // A copy of an enum or const value: charged a bound from its text before copying, then
  // what the copy cost beyond it.
  Owned owned(const Value& v) {
    const uint64_t bound = 1 + v.raw().size() / 8;
    charge(bound);
    if (exhausted_) return Owned();
    memory_ += v.raw().size() * 8;  // an Owned per value, strings copied
    uint64_t work = 0;
    Owned o = own(v, work);
    if (work > bound) charge(work - bound);
    return o;
  }

  void pattern(std::string_view src, Pattern* out) {
    CompiledRegex r = compile_regex(src, work_left());
    if (r.error == RegexError::kTooComplex) {
      work_ += r.work;  // what the estimate cost; the pattern itself was never compiled
      return too_complex("its regular expression is too big: " + r.message);
    }
    charge(r.work);
    switch (r.error) {
      case RegexError::kNone: break;
      case RegexError::kSyntax: return error("the regular expression is not valid ECMAScript: " + r.message);
      case RegexError::kUnsupported:
        return error("the regular expression uses " + r.message +
                     ", which the engine cannot run (patterns run on RE2, in linear time: lookaround and "
                     "backreferences are not supported)");
      case RegexError::kTooComplex: break;  // handled above
    }
    if (exhausted_) return;
    regex_memory_ += r.memory;
    memory_ += r.memory;
    if (regex_memory_ > kMaxSchemaRegexMemory)
      return too_complex("its patterns need more than " + with_commas(kMaxSchemaRegexMemory >> 20) +
                         " MiB of RE2 memory together");
    out->prog = std::move(r.prog);
  }

  void keyword(Node* n, std::string_view k, const Value& v) {
    if (k == "type") {
      if (v.is_string()) {
        if (!add_type(n, v.as_string()))
          error("unknown type \"" + shorten(std::string(v.as_string()), 60) +
                "\" (use null, boolean, object, array, number, string or integer)");
      } else if (v.is_array() && v.size() > 0) {
        for (auto t : v.items())
          if (!t.is_string() || !add_type(n, t.as_string())) return error("must list type names such as \"string\" or \"null\"");
      } else {
        error("must be a type name or a non-empty array of type names, but it is " + describe_value(v));
      }
    } else if (k == "enum") {
      if (!v.is_array()) return error("must be an array, but it is " + a_type_name(v));
      ValueRules& r = block(n->values);
      r.has_enum = true;
      r.enum_values.reserve(v.size());
      r.enum_costs.reserve(v.size());
      for (auto item : v.items()) {
        r.enum_values.push_back(owned(item));
        r.enum_costs.push_back(compare_cost(r.enum_values.back()));
      }
      if (exhausted_) return;
      if (r.enum_values.size() > kEnumScan) {
        // Hashed now so that evaluation compares a value only with the few sharing its hash.
        charge(r.enum_values.size() * kEnumIndexWork + v.raw().size() / kHashBytesPerUnit);
        r.enum_index.reserve(r.enum_values.size());
        for (uint32_t i = 0; i < r.enum_values.size(); ++i) r.enum_index.emplace_back(hash_owned(r.enum_values[i]), i);
        std::sort(r.enum_index.begin(), r.enum_index.end());
        memory_ += r.enum_index.size() * sizeof(r.enum_index[0]);
      }
    } else if (k == "const") {
      ValueRules& r = block(n->values);
      r.has_const = true;
      r.const_value = owned(v);
      r.const_cost = compare_cost(r.const_value);
    } else if (k == "multipleOf") {
      if (!v.is_number() || !(v.as_number() > 0)) return error("must be a number greater than 0");
      block(n->number).multiple_of = v.as_number();
    } else if (k == "maximum") { auto& r = block(n->number); r.has_max = number(v, &r.max);
    } else if (k == "minimum") { auto& r = block(n->number); r.has_min = number(v, &r.min);
    } else if (k == "exclusiveMaximum") { auto& r = block(n->number); r.has_xmax = number(v, &r.xmax);
    } else if (k == "exclusiveMinimum") { auto& r = block(n->number); r.has_xmin = number(v, &r.xmin);
    } else if (k == "maxLength") { non_negative_int(v, &block(n->string).max_length);
    } else if (k == "minLength") { non_negative_int(v, &block(n->string).min_length);
    } else if (k == "maxItems") { non_negative_int(v, &block(n->array).max_items);
    } else if (k == "minItems") { non_negative_int(v, &block(n->array).min_items);
    } else if (k == "maxProperties") { non_negative_int(v, &block(n->object).max_props);
    } else if (k == "minProperties") { non_negative_int(v, &block(n->object).min_props);
    } else if (k == "pattern") {
      if (!v.is_string()) return error("must be a string (a regular expression)");
      StringRules& r = block(n->string);
      r.pattern_src = std::string(v.as_string());
      memory_ += r.pattern_src.size();
      // The two patterns with codes of their own are checked directly, never by RE2
      // (compiling them cost most of the engine's start-up).
      if (r.pattern_src == "\\S") r.pattern_kind = PatternKind::kNotBlank;
      else if (r.pattern_src == "^[^.]*$") r.pattern_kind = PatternKind::kNoDot;
      else pattern(r.pattern_src, &r.pattern);
    } else if (k == "format") {
      if (!v.is_string()) return error("must be a string");
      Format f = parse_format(v.as_string());
      if (f != Format::kNone) block(n->string).format = f;
    } else if (k == "items") {
      ArrayRules& r = block(n->array);
      if (v.is_array()) {
        r.has_tuple = true;
        r.tuple = sub_array(v, false);
      } else {
        r.items = compile(v);
      }
    } else if (k == "additionalItems") { block(n->array).additional_items = compile(v);
    } else if (k == "uniqueItems") {
      if (!v.is_bool()) return error("must be true or false");
      if (v.as_bool()) block(n->array).unique_items = true;
    } else if (k == "contains") { block(n->array).contains = compile(v);
    } else if (k == "required") {
      if (!v.is_array()) return error("must be an array of property names");
      ObjectRules& r = block(n->object);
      for (auto item : v.items()) {
        if (!item.is_string()) return error("must be an array of property names (strings)");
        charge(1 + item.as_string().size() / 64);
        r.required.emplace_back(item.as_string());
        memory_ += sizeof(std::string) + item.as_string().size();
      }
    } else if (k == "properties" || k == "definitions" || k == "patternProperties") {
      if (!v.is_object()) return error("must be an object whose values are schemas");
      for (auto m : v.members()) {
        if (exhausted_) return;
        push_key(m.key);
        Node* child = compile(m.value);
        if (k == "properties") {
          ObjectRules& r = block(n->object);
          r.properties.emplace_back(std::string(m.key), child);
          if (m.key.size() <= kMaxSuggestKey) r.property_keys.emplace_back(m.key);
          memory_ += 2 * (sizeof(std::string) + m.key.size()) + sizeof(void*);
        } else if (k == "patternProperties") {
          Pattern p;
          pattern(m.key, &p);
          if (p.prog) block(n->object).pattern_properties.emplace_back(std::move(p), child);
        }
        pop();
      }
    } else if (k == "additionalProperties") { block(n->object).additional_properties = compile(v);
    } else if (k == "dependencies") {
      if (!v.is_object()) return error("must be an object");
      ObjectRules& r = block(n->object);
      for (auto m : v.members()) {
        if (exhausted_) return;
        push_key(m.key);
        if (m.value.is_array()) {
          charge(kDependencyWork + m.key.size() / 16);
          std::vector<std::string> names;
          for (auto item : m.value.items()) {
            charge(kDependencyWork / 2 + item.raw().size() / 16);
            if (!item.is_string()) error("must list property names (strings)");
            else names.emplace_back(item.as_string());
            memory_ += sizeof(std::string) + item.raw().size();
          }
          r.dep_required.emplace_back(std::string(m.key), std::move(names));
        } else {
          r.dep_schemas.emplace_back(std::string(m.key), compile(m.value));
        }
        pop();
      }
    } else if (k == "propertyNames") { block(n->object).property_names = compile(v);
    } else if (k == "if") { block(n->logic).if_ = compile(v);
    } else if (k == "then") { block(n->logic).then_ = compile(v);
    } else if (k == "else") { block(n->logic).else_ = compile(v);
    } else if (k == "not") { block(n->logic).not_ = compile(v);
    } else if (k == "allOf") { block(n->logic).all_of = sub_array(v, true);
    } else if (k == "anyOf") { block(n->logic).any_of = sub_array(v, true);
    } else if (k == "oneOf") { block(n->logic).one_of = sub_array(v, true);
    } else if (k == "$schema" || k == "$id" || k == "title" || k == "description" || k == "$comment") {
      if (!v.is_string()) error("must be a string");
    }
    // Other keywords (default, examples, readOnly, contentMediaType, contentEncoding,
    // vendor x-...) are annotations in draft-07 and do not affect validation.
  }

  // For each required name, its index in `properties` (or -1), so that evaluation checks
  // presence with a bit mask instead of a lookup.
  // Also indexes the property names of big `properties`, so that evaluation finds a
  // member's schema in one lookup.
  void index_required(ObjectRules& r) {
    charge((r.required.size() + r.properties.size()) * kIndexWork);
    std::unordered_map<std::string_view, int> by_name;
    for (size_t j = 0; j < r.properties.size(); ++j) by_name.emplace(r.properties[j].first, static_cast<int>(j));
    r.required_index.clear();
    for (const auto& name : r.required) {
      auto it = by_name.find(name);
      r.required_index.push_back(it == by_name.end() ? -1 : it->second);
    }
    for (const auto& key : r.property_keys) r.property_key_bytes += key.size();
    if (r.properties.size() > kPropertyScan) {
      r.property_index = std::move(by_name);
      memory_ += r.property_index.size() * (sizeof(std::string_view) + 2 * sizeof(void*));
    }
  }

  JsonSchema::Impl* impl_;
  Issues* issues_;
  std::vector<Crumb> crumbs_;
  uint32_t cur_crumb_ = 0;
  std::deque<std::string> texts_;  // crumb roots and entry refs (a deque: views stay valid)
  std::vector<std::string> bases_;  // base URIs, interned
  uint32_t cur_base_ = 0, cur_base_after_root_ = 0, root_base_ = 0;
  std::vector<uint32_t> node_crumb_;  // per node (same index as impl_->nodes)
  std::unordered_map<const char*, Node*> by_value_;  // compiled schemas by their text
  std::unordered_map<std::string, Located> resources_, anchors_;
  std::unordered_map<std::string, Node*> by_uri_;  // resolved $refs
  std::unordered_map<const char*, std::unordered_map<std::string_view, Value>> member_index_;
  std::vector<PendingRef> pending_;
  Node* spare_ = nullptr;
  uint64_t work_ = 0;
  size_t memory_ = 0, regex_memory_ = 0;
  size_t reported_ = 0;
  bool ok_ = true;
  bool exhausted_ = false;
};

}  // namespace

JsonSchema::JsonSchema(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonSchema::~JsonSchema() = default;

std::unique_ptr<JsonSchema> JsonSchema::compile(const json::Value& schema, Issues* issues,
                                                const std::string& field_prefix, std::string_view entry) {
  auto impl = std::make_unique<Impl>();
  Compiler c(impl.get(), issues, field_prefix);
  impl->root = c.compile_root(schema);
  if (!entry.empty()) impl->root = c.add_entry(entry);
  c.resolve_refs();
  c.check_graph();
  g_work_counters.schema_nodes += impl->nodes.size();
  g_work_counters.schema_compile_work += c.work();
  if (!c.ok()) return nullptr;
  impl->memory = c.memory();
  return std::unique_ptr<JsonSchema>(new JsonSchema(std::move(impl)));
}

size_t JsonSchema::memory() const { return impl_->memory; }

}  // namespace signalkit
