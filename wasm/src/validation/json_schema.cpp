#include "signalkit/json_schema.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>
#include <utility>
#include <vector>

#include "re2/re2.h"
#include "common/text.h"
#include "common/utf8.h"
#include "common/whitespace.h"

namespace signalkit {

namespace {

using json::Type;
using json::Value;

// Evaluation is metered (kMaxSchemaSteps, kMaxSchemaDepth in signalkit/limits.h). Work
// that is not one evaluation is charged in steps too, so that the limit bounds time:
// comparing 8 values (enum/const), 64 bytes of a string, a reported issue (its message).
constexpr uint64_t kReportCost = 16;
// A validate() call keeps at most kMaxSchemaIssues issues (a hostile allOf graph can find
// millions); the verdict is unaffected.
// Keys longer than this get no "did you mean" (edit distance is quadratic).
constexpr size_t kMaxSuggestKey = 64;

enum TypeBit : uint8_t {
  kTNull = 1, kTBoolean = 2, kTObject = 4, kTArray = 8, kTNumber = 16, kTString = 32, kTInteger = 64
};

// An owned copy of a JSON value (enum/const operands outlive the schema's Document).
struct Owned {
  Type type = Type::kNull;
  double number = 0;
  std::string str;
  std::vector<Owned> items;
  std::vector<std::pair<std::string, Owned>> members;  // sorted by key
};

Owned own(const Value& v) {
  Owned o;
  o.type = v.type() == Type::kFalse || v.type() == Type::kTrue ? v.type() : v.type();
  switch (v.type()) {
    case Type::kNumber: o.number = v.as_number(); break;
    case Type::kString: o.str = std::string(v.as_string()); break;
    case Type::kArray:
      for (auto item : v.items()) o.items.push_back(own(item));
      break;
    case Type::kObject:
      for (auto m : v.members()) o.members.emplace_back(std::string(m.key), own(m.value));
      std::stable_sort(o.members.begin(), o.members.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      break;
    default: break;
  }
  return o;
}

// `work` counts the values visited and the 64-byte blocks of strings compared.
bool equal(const Owned& a, const Value& b, uint64_t& work) {
  ++work;
  if (a.type != b.type()) return false;
  switch (a.type) {
    case Type::kNumber: return a.number == b.as_number();
    case Type::kString: work += a.str.size() / 64; return a.str == b.as_string();
    case Type::kArray: {
      if (a.items.size() != b.size()) return false;
      size_t i = 0;
      for (auto item : b.items())
        if (!equal(a.items[i++], item, work)) return false;
      return true;
    }
    case Type::kObject: {
      if (a.members.size() != b.size()) return false;
      for (auto m : b.members()) {
        auto it = std::lower_bound(a.members.begin(), a.members.end(), m.key,
                                   [](const auto& p, std::string_view k) { return p.first < k; });
        if (it == a.members.end() || it->first != m.key || !equal(it->second, m.value, work)) return false;
      }
      return true;
    }
    default: return true;
  }
}

// Canonical text of a value (sorted keys, numbers normalised) so that equal values give
// equal strings: uniqueItems sorts these instead of comparing every pair.
void canonical(const Value& v, std::string& out) {
  switch (v.type()) {
    case Type::kNumber: {
      // -0 and 0 are the same number (JSON Schema compares by value), as `equal` has it.
      double d = v.as_number();
      out += number_text(d == 0 ? 0.0 : d);
      break;
    }
    case Type::kString: append_json_string(out, std::string(v.as_string())); break;
    case Type::kArray: {
      out.push_back('[');
      bool first = true;
      for (auto item : v.items()) {
        if (!first) out.push_back(',');
        first = false;
        canonical(item, out);
      }
      out.push_back(']');
      break;
    }
    case Type::kObject: {
      std::vector<std::pair<std::string_view, Value>> ms;
      for (auto m : v.members()) ms.emplace_back(m.key, m.value);
      std::stable_sort(ms.begin(), ms.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      out.push_back('{');
      for (size_t i = 0; i < ms.size(); ++i) {
        if (i) out.push_back(',');
        append_json_string(out, std::string(ms[i].first));
        out.push_back(':');
        canonical(ms[i].second, out);
      }
      out.push_back('}');
      break;
    }
    default: out += std::string(v.raw()); break;
  }
}

// At most ~60 bytes of `s` (cut at a UTF-8 boundary) for messages: enum values and
// patterns come from the schema and may be huge.
std::string shorten(const std::string& s, size_t max = 60) {
  if (s.size() <= max) return s;
  return s.substr(0, utf8::floor_boundary(s, max)) + "…";
}

std::string owned_text(const Owned& o) {
  switch (o.type) {
    case Type::kNull: return "null";
    case Type::kTrue: return "true";
    case Type::kFalse: return "false";
    case Type::kNumber: return number_text(o.number);
    case Type::kString: {
      std::string s;
      append_json_string(s, shorten(o.str));
      return s;
    }
    case Type::kArray: return "an array";
    case Type::kObject: return "an object";
  }
  return "";
}

// Patterns with a meaning of their own: the schemas stay standard (ajv accepts them) and
// the engine reports the rule by name.
enum class PatternKind { kGeneric, kNotBlank, kNoDot };

const char* kPuffleIdPattern =
    "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|"
    "00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$";

struct Node {
  bool is_bool = false;
  bool bool_value = true;
  uint8_t types = 0;
  bool has_enum = false;
  std::vector<Owned> enum_values;
  bool has_const = false;
  Owned const_value;
  double multiple_of = 0;
  bool has_max = false, has_min = false, has_xmax = false, has_xmin = false;
  double max = 0, min = 0, xmax = 0, xmin = 0;
  int64_t max_length = -1, min_length = -1;
  std::unique_ptr<RE2> pattern;
  std::string pattern_src;
  PatternKind pattern_kind = PatternKind::kGeneric;
  std::string format;
  Node* items = nullptr;
  bool has_tuple = false;
  std::vector<Node*> tuple;
  Node* additional_items = nullptr;
  int64_t max_items = -1, min_items = -1;
  bool unique_items = false;
  Node* contains = nullptr;
  int64_t max_props = -1, min_props = -1;
  std::vector<std::string> required;
  std::vector<int> required_index;  // index of each required name in `properties`, or -1
  std::vector<std::pair<std::string, Node*>> properties;
  std::vector<std::string> property_keys;  // for "did you mean"
  std::vector<std::pair<std::unique_ptr<RE2>, Node*>> pattern_properties;
  Node* additional_properties = nullptr;  // nullptr: anything goes
  std::vector<std::pair<std::string, std::vector<std::string>>> dep_required;
  std::vector<std::pair<std::string, Node*>> dep_schemas;
  Node* property_names = nullptr;
  Node *if_ = nullptr, *then_ = nullptr, *else_ = nullptr, *not_ = nullptr;
  std::vector<Node*> all_of, any_of, one_of;
  bool has_ref = false;
  std::string ref_text;
  Node* ref = nullptr;
  std::string where;  // path inside the schema, for compile errors
};

// Reads an ECMAScript \uXXXX (a surrogate pair as one code point) or \u{X...} escape
// at src[i] == '\\'; returns its length in bytes, or 0.
size_t ecma_u_escape(std::string_view src, size_t i, uint32_t* cp) {
  auto hex4 = [&](size_t at, uint32_t* out) {
    if (at + 6 > src.size() || src[at] != '\\' || src[at + 1] != 'u') return false;
    uint32_t v = 0;
    for (size_t k = at + 2; k < at + 6; ++k) {
      char c = src[k];
      int h = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (h < 0) return false;
      v = v << 4 | static_cast<uint32_t>(h);
    }
    *out = v;
    return true;
  };
  if (i + 2 < src.size() && src[i + 2] == '{') {
    size_t close = src.find('}', i + 3);
    if (close == std::string_view::npos || close == i + 3 || close - (i + 3) > 6) return 0;
    uint32_t v = 0;
    for (size_t k = i + 3; k < close; ++k) {
      char c = src[k];
      int h = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (h < 0) return 0;
      v = v << 4 | static_cast<uint32_t>(h);
    }
    if (v > 0x10FFFF) return 0;
    *cp = v;
    return close + 1 - i;
  }
  uint32_t hi, lo;
  if (!hex4(i, &hi)) return 0;
  if (hi >= 0xD800 && hi <= 0xDBFF && hex4(i + 6, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
    *cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
    return 12;
  }
  *cp = hi;
  return 6;
}

// ECMAScript's \s as the body of an RE2 class (RE2's \s is only [\t\n\f\r ]), from the
// one white-space table: "\t\n\x0B\f\r\x20\x{A0}\x{1680}\x{2000}-\x{200A}...".
const std::string& ecma_space_class() {
  static const std::string body = [] {
    static const char* const kAscii[] = {"\\t", "\\n", "\\x0B", "\\f", "\\r"};  // U+0009–U+000D
    std::string s;
    char buf[32];
    for (const auto& r : whitespace::kRanges) {
      if (!r.ecma) continue;
      for (uint32_t cp = r.first; cp <= r.last && cp < 0x80; ++cp)
        s += cp >= 0x09 && cp <= 0x0D ? std::string(kAscii[cp - 0x09]) : "\\x20";
      if (r.first < 0x80) continue;
      if (r.first == r.last) std::snprintf(buf, sizeof buf, "\\x{%X}", static_cast<unsigned>(r.first));
      else std::snprintf(buf, sizeof buf, "\\x{%X}-\\x{%X}", static_cast<unsigned>(r.first), static_cast<unsigned>(r.last));
      s += buf;
    }
    return s;
  }();
  return body;
}

// JSON Schema patterns are ECMAScript regexes. RE2 lacks three common spellings of things
// it does support: \uXXXX and \u{X...} (RE2: \x{X...}) and (?<name>...) (RE2: (?P<name>...)),
// and two classes mean more in ECMAScript: \s/\S (Unicode spaces) and `.` (which excludes
// \r, U+2028 and U+2029 too). Those are rewritten; \S inside [...] stays RE2's ASCII one.
// Everything else is passed through; what RE2 cannot do (lookaround, backreferences)
// still fails to compile.
std::string ecma_to_re2(std::string_view src) {
  std::string out;
  out.reserve(src.size());
  bool in_class = false;
  for (size_t i = 0; i < src.size(); ++i) {
    char c = src[i];
    if (c == '\\' && i + 1 < src.size()) {
      uint32_t cp;
      size_t len = src[i + 1] == 'u' ? ecma_u_escape(src, i, &cp) : 0;
      if (len > 0) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "\\x{%X}", static_cast<unsigned>(cp));
        out += buf;
        i += len - 1;
      } else if (src[i + 1] == 's') {
        out += in_class ? ecma_space_class() : "[" + ecma_space_class() + "]";
        ++i;
      } else if (src[i + 1] == 'S' && !in_class) {
        out += "[^" + ecma_space_class() + "]";
        ++i;
      } else {
        out.push_back(c);
        out.push_back(src[++i]);
      }
      continue;
    }
    if (c == '[') in_class = true;
    else if (c == ']') in_class = false;
    if (!in_class && c == '(' && src.substr(i, 3) == "(?<" && i + 3 < src.size() && src[i + 3] != '=' &&
        src[i + 3] != '!') {
      out += "(?P<";
      i += 2;
      continue;
    }
    if (!in_class && c == '.') {
      out += "[^\\n\\r\\x{2028}\\x{2029}]";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::unique_ptr<RE2> compile_regex(std::string_view ecma_src, std::string* error) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_encoding(RE2::Options::EncodingUTF8);
  const std::string src = ecma_to_re2(ecma_src);
  auto re = std::make_unique<RE2>(re2::StringPiece(src.data(), src.size()), o);
  if (!re->ok()) {
    *error = re->error();
    return nullptr;
  }
  return re;
}

// --- formats -------------------------------------------------------------------------

bool digits(std::string_view s, size_t at, size_t n) {
  if (at + n > s.size()) return false;
  for (size_t i = 0; i < n; ++i)
    if (s[at + i] < '0' || s[at + i] > '9') return false;
  return true;
}
int num(std::string_view s, size_t at, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n; ++i) v = v * 10 + (s[at + i] - '0');
  return v;
}
bool valid_date(std::string_view s) {
  if (s.size() != 10 || !digits(s, 0, 4) || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' || !digits(s, 8, 2))
    return false;
  int y = num(s, 0, 4), m = num(s, 5, 2), d = num(s, 8, 2);
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(m == 2 && d == 29 && !leap);
}
bool valid_time(std::string_view s) {
  if (!digits(s, 0, 2) || s.size() < 8 || s[2] != ':' || !digits(s, 3, 2) || s[5] != ':' || !digits(s, 6, 2))
    return false;
  if (num(s, 0, 2) > 23 || num(s, 3, 2) > 59 || num(s, 6, 2) > 60) return false;
  size_t i = 8;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  if (i == s.size()) return false;  // RFC 3339 requires an offset
  if (s[i] == 'Z' || s[i] == 'z') return i + 1 == s.size();
  if (s[i] != '+' && s[i] != '-') return false;
  return s.size() == i + 6 && digits(s, i + 1, 2) && s[i + 3] == ':' && digits(s, i + 4, 2) &&
         num(s, i + 1, 2) <= 23 && num(s, i + 4, 2) <= 59;
}
bool valid_date_time(std::string_view s) {
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't')) return false;
  return valid_date(s.substr(0, 10)) && valid_time(s.substr(11));
}
bool valid_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}
bool valid_email(std::string_view s) {
  size_t at = s.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < s.size() && s.find('@', at + 1) == std::string_view::npos &&
         s.find(' ') == std::string_view::npos;
}
bool valid_uri(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
    if (!ok) return false;
  }
  for (char c : s)
    if (c == ' ' || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}')
      return false;
  return true;
}

// Returns a description of the expected form when `value` fails `format`, else nullptr.
const char* check_format(const std::string& format, std::string_view value) {
  if (format == "date-time")
    return valid_date_time(value) ? nullptr : "an ISO 8601 date-time with a time zone, such as 2026-01-31T09:30:00Z";
  if (format == "date") return valid_date(value) ? nullptr : "a date such as 2026-01-31";
  if (format == "time") return valid_time(value) ? nullptr : "a time with a time zone, such as 09:30:00Z";
  if (format == "uuid") return valid_uuid(value) ? nullptr : "a UUID such as 3c90c3cc-0d44-4b50-8888-8dd25736052a";
  if (format == "email") return valid_email(value) ? nullptr : "an email address";
  if (format == "uri") return valid_uri(value) ? nullptr : "an absolute URI such as https://example.com/";
  return nullptr;  // other formats are annotations only
}

std::string types_text(uint8_t types) {
  std::vector<std::string> names;
  if (types & kTObject) names.push_back("an object");
  if (types & kTArray) names.push_back("an array");
  if (types & kTString) names.push_back("a string");
  if (types & kTInteger) names.push_back("an integer");
  if ((types & kTNumber) && !(types & kTInteger)) names.push_back("a number");
  if ((types & kTNumber) && (types & kTInteger)) names.back() = "a number";
  if (types & kTBoolean) names.push_back("a boolean (true or false)");
  if (types & kTNull) names.push_back("null");
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

bool type_matches(uint8_t types, const Value& v) {
  switch (v.type()) {
    case Type::kNull: return types & kTNull;
    case Type::kTrue:
    case Type::kFalse: return types & kTBoolean;
    case Type::kObject: return types & kTObject;
    case Type::kArray: return types & kTArray;
    case Type::kString: return types & kTString;
    case Type::kNumber: return (types & kTNumber) || ((types & kTInteger) && v.is_integer());
  }
  return false;
}

std::string plural(int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

// ---------------------------------------------------------------------------------------

struct JsonSchema::Impl {
  std::vector<std::unique_ptr<Node>> nodes;
  Node* root = nullptr;
};

namespace {

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
  std::vector<std::pair<const Node*, size_t>> stack;
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

// ---------------------------------------------------------------------------------------
// Evaluation

struct Eval {
  Issues* out;      // nullptr: only the verdict is needed (anyOf, not, if, contains)
  uint64_t steps = 0;
  int depth = 0;
  bool exhausted = false;
  size_t issue_limit = 0;  // out->size() at which issues stop being kept
};

bool eval(const Node* n, const Value& v, Path& path, Eval& ctx);

bool report(Eval& ctx, Path& path, const char* code, std::string message) {
  ctx.steps += kReportCost;
  if (ctx.out && ctx.out->size() < ctx.issue_limit) ctx.out->push_back(Issue{path.str(), code, std::move(message)});
  return false;
}

bool eval_string(const Node* n, const Value& v, Path& path, Eval& ctx) {
  bool ok = true;
  int64_t len = static_cast<int64_t>(v.string_length());
  bool too_short = false;
  if (n->min_length >= 0 && len < n->min_length) {
    too_short = true;
    ok = n->min_length == 1
             ? report(ctx, path, "too_short", path.subject() + " must not be empty.")
             : report(ctx, path, "too_short",
                      path.subject() + " must be at least " + plural(n->min_length, "character", "characters") +
                          " long, but it has " + std::to_string(len) + ".");
    if (!ctx.out) return false;
  }
  if (n->max_length >= 0 && len > n->max_length) {
    ok = report(ctx, path, "too_long",
                path.subject() + " must be at most " + plural(n->max_length, "character", "characters") +
                    " long, but it has " + with_commas(static_cast<uint64_t>(len)) + ".");
    if (!ctx.out) return false;
  }
  if ((n->pattern || n->pattern_kind != PatternKind::kGeneric) && !too_short) {
    std::string_view s = v.as_string();
    ctx.steps += s.size() / 64;
    switch (n->pattern_kind) {
      case PatternKind::kNotBlank:
        if (whitespace::is_blank(s)) ok = report(ctx, path, "blank", path.subject() + " must not be blank (it holds only whitespace).");
        break;
      case PatternKind::kNoDot:
        if (s.find('.') != std::string_view::npos)
          ok = report(ctx, path, "contains_dot",
                      path.subject() + " must not contain \".\" (disqualifiers are stored dot-separated), but it is " +
                          describe_value(v) + ".");
        break;
      case PatternKind::kGeneric:
        if (!RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *n->pattern)) {
          std::string form = n->pattern_src == kPuffleIdPattern
                                 ? "a UUID such as 3c90c3cc-0d44-4b50-8888-8dd25736052a"
                                 : "text matching the pattern " + shorten(n->pattern_src, 100);
          ok = report(ctx, path, "pattern", path.subject() + " must be " + form + ", but it is " + describe_value(v) + ".");
        }
        break;
    }
    if (!ok && !ctx.out) return false;
  }
  if (!n->format.empty()) {
    ctx.steps += v.as_string().size() / 64;
    if (const char* form = check_format(n->format, v.as_string()))
      ok = report(ctx, path, "format", path.subject() + " must be " + form + ", but it is " + describe_value(v) + ".");
  }
  return ok;
}

bool eval_number(const Node* n, const Value& v, Path& path, Eval& ctx) {
  bool ok = true;
  double d = v.as_number();
  std::string shown = describe_value(v);
  if (n->has_min && !(d >= n->min))
    ok = report(ctx, path, "below_minimum", path.subject() + " must be at least " + number_text(n->min) + ", but it is " + shown + ".");
  if (n->has_xmin && !(d > n->xmin))
    ok = report(ctx, path, "below_minimum", path.subject() + " must be greater than " + number_text(n->xmin) + ", but it is " + shown + ".");
  if (n->has_max && !(d <= n->max))
    ok = report(ctx, path, "above_maximum", path.subject() + " must be at most " + number_text(n->max) + ", but it is " + shown + ".");
  if (n->has_xmax && !(d < n->xmax))
    ok = report(ctx, path, "above_maximum", path.subject() + " must be less than " + number_text(n->xmax) + ", but it is " + shown + ".");
  if (n->multiple_of > 0) {
    double q = d / n->multiple_of;
    if (!std::isfinite(q) || std::fabs(q - std::round(q)) > 1e-9 * std::max(1.0, std::fabs(q)))
      ok = report(ctx, path, "multiple_of", path.subject() + " must be a multiple of " + number_text(n->multiple_of) + ", but it is " + shown + ".");
  }
  return ok;
}

bool eval_array(const Node* n, const Value& v, Path& path, Eval& ctx) {
  bool ok = true;
  int64_t size = static_cast<int64_t>(v.size());
  if (n->min_items >= 0 && size < n->min_items) {
    ok = report(ctx, path, "too_few",
                size == 0 ? path.subject() + " must not be empty (at least " + plural(n->min_items, "item", "items") + ")."
                          : path.subject() + " must have at least " + plural(n->min_items, "item", "items") + ", but it has " + std::to_string(size) + ".");
    if (!ctx.out) return false;
  }
  if (n->max_items >= 0 && size > n->max_items) {
    ok = report(ctx, path, "too_many",
                path.subject() + " must have at most " + plural(n->max_items, "item", "items") + ", but it has " + with_commas(static_cast<uint64_t>(size)) + ".");
    if (!ctx.out) return false;
  }
  size_t i = 0;
  // Only walk the items when a schema applies to them: every node of a combinator graph
  // sees the same array, and an unmetered walk per node was quadratic.
  for (auto item : v.items()) {
    const Node* s = nullptr;
    if (n->has_tuple) s = i < n->tuple.size() ? n->tuple[i] : n->additional_items;
    else s = n->items;
    if (!s) break;  // no items schema, or past the tuple with no additionalItems
    path.push_index(i);
    if (!eval(s, item, path, ctx)) ok = false;
    path.pop();
    if (!ok && !ctx.out) return false;
    ++i;
  }
  if (n->contains) {
    Eval probe{nullptr};
    probe.steps = ctx.steps;
    probe.depth = ctx.depth;
    bool found = false;
    for (auto item : v.items()) {
      if (eval(n->contains, item, path, probe)) { found = true; break; }
      if (probe.exhausted) break;
    }
    ctx.steps = probe.steps;
    if (probe.exhausted) ctx.exhausted = true;
    // A probe cut short by the meter has no verdict: too_complex alone is reported.
    if (!found && !ctx.exhausted) ok = report(ctx, path, "contains", path.subject() + " must contain at least one item of the required form.");
  }
  if (n->unique_items && size > 1) {
    std::vector<std::pair<std::string, size_t>> keys;
    keys.reserve(static_cast<size_t>(size));
    size_t k = 0;
    for (auto item : v.items()) {
      std::string c;
      canonical(item, c);
      keys.emplace_back(std::move(c), k++);
    }
    ctx.steps += static_cast<uint64_t>(size) + v.raw().size() / 64;
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

bool eval_object(const Node* n, const Value& v, Path& path, Eval& ctx) {
  bool ok = true;
  int64_t size = static_cast<int64_t>(v.size());
  if (n->min_props >= 0 && size < n->min_props)
    ok = report(ctx, path, "too_few_properties",
                size == 0 ? path.subject() + " must not be empty (at least " + plural(n->min_props, "entry", "entries") + ")."
                          : path.subject() + " must have at least " + plural(n->min_props, "entry", "entries") + ", but it has " + std::to_string(size) + ".");
  if (n->max_props >= 0 && size > n->max_props)
    ok = report(ctx, path, "too_many_properties",
                path.subject() + " must have at most " + plural(n->max_props, "entry", "entries") + ", but it has " + std::to_string(size) + ".");
  if (!ok && !ctx.out) return false;
  uint64_t seen = 0;  // bit j: properties[j] is present (for `required` without lookups)
  // Members are walked only when a per-member keyword exists (see eval_array).
  const bool per_member = !n->properties.empty() || !n->pattern_properties.empty() ||
                          n->additional_properties || n->property_names;
  if (per_member) for (auto m : v.members()) {
    // The property scan and each patternProperties match cost time per member.
    ctx.steps += 1 + n->properties.size() / 16 + n->pattern_properties.size() * (1 + m.key.size() / 64);
    path.push_key(m.key);
    bool matched = false;
    for (size_t j = 0; j < n->properties.size(); ++j) {
      const auto& p = n->properties[j];
      if (p.first.size() == m.key.size() && p.first == m.key) {
        matched = true;
        if (j < 64) seen |= uint64_t{1} << j;
        if (!eval(p.second, m.value, path, ctx)) ok = false;
        break;
      }
    }
    for (const auto& pp : n->pattern_properties) {
      if (RE2::PartialMatch(re2::StringPiece(m.key.data(), m.key.size()), *pp.first)) {
        matched = true;
        if (!eval(pp.second, m.value, path, ctx)) ok = false;
      }
    }
    if (!matched && n->additional_properties) {
      const Node* ap = n->additional_properties;
      if (ap->is_bool && !ap->bool_value) {
        std::string hint;
        if (ctx.out && m.key.size() <= kMaxSuggestKey) {
          ctx.steps += 16 * n->property_keys.size();
          hint = suggest(m.key, n->property_keys);
        }
        ok = report(ctx, path, "unknown_field",
                    path.subject() + " is not a field this API accepts" + (hint.empty() ? std::string(".") : "; did you mean " + hint + "?"));
      } else if (!eval(ap, m.value, path, ctx)) {
        ok = false;
      }
    }
    if (n->property_names) {
      // propertyNames applies to the key as a string; evaluate it against a one-off doc.
      ctx.steps += m.key.size() / 64;
      json::Document key_doc;
      std::string quoted;
      append_json_string(quoted, std::string(m.key));
      if (key_doc.parse(quoted)) {
        Eval probe{nullptr};
        probe.steps = ctx.steps;
        probe.depth = ctx.depth;
        bool allowed = eval(n->property_names, key_doc.root(), path, probe);
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
  ctx.steps += n->required.size() * (1 + static_cast<uint64_t>(size) / 16);
  for (size_t k = 0; k < n->required.size(); ++k) {
    int j = n->required_index[k];
    bool present = (j >= 0 && j < 64) ? ((seen >> j) & 1) != 0 : v.find(n->required[k]).valid();
    if (!present) {
      path.push_key(n->required[k]);
      ok = report(ctx, path, "required", path.subject() + " is required.");
      path.pop();
      if (!ctx.out) return false;
    }
  }
  for (const auto& d : n->dep_required) {
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
  for (const auto& d : n->dep_schemas) {
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
  if (n->has_ref) return true;  // unresolved: the compile already failed

  if (n->types && !type_matches(n->types, v)) {
    return report(ctx, path, "type", path.subject() + " must be " + types_text(n->types) + ", but it is " +
                                         (v.is_number() || v.is_string() ? describe_value(v) : a_type_name(v)) + ".");
  }
  bool ok = true;
  uint64_t work = 0;
  bool const_ok = !n->has_const || equal(n->const_value, v, work);
  ctx.steps += work / 8;
  if (!const_ok) {
    ok = report(ctx, path, "const", path.subject() + " must be exactly " + owned_text(n->const_value) + ".");
    if (!ctx.out) return false;
  }
  if (n->has_enum) {
    bool found = false;
    work = 0;
    for (const auto& e : n->enum_values)
      if (equal(e, v, work)) { found = true; break; }
    ctx.steps += work / 8;
    if (!found) {
      std::string list;
      for (size_t i = 0; i < n->enum_values.size() && i < 20; ++i) {
        if (i) list += ", ";
        const Owned& e = n->enum_values[i];
        list += e.type == Type::kString ? shorten(e.str) : owned_text(e);
      }
      if (n->enum_values.size() > 20) list += ", …";
      ok = report(ctx, path, "enum", path.subject() + " must be one of " + list + "; it is " + describe_value(v) + ".");
      if (!ctx.out) return false;
    }
  }
  switch (v.type()) {
    case Type::kString: if (!eval_string(n, v, path, ctx)) ok = false; break;
    case Type::kNumber: if (!eval_number(n, v, path, ctx)) ok = false; break;
    case Type::kArray: if (!eval_array(n, v, path, ctx)) ok = false; break;
    case Type::kObject: if (!eval_object(n, v, path, ctx)) ok = false; break;
    default: break;
  }
  if (!ok && !ctx.out) return false;

  for (const Node* s : n->all_of)
    if (!eval(s, v, path, ctx)) ok = false;
  if (!n->any_of.empty()) {
    Eval probe{nullptr};
    probe.steps = ctx.steps;
    probe.depth = ctx.depth;
    bool any = false;
    for (const Node* s : n->any_of)
      if (eval(s, v, path, probe)) { any = true; break; }
    ctx.steps = probe.steps;
    if (probe.exhausted) ctx.exhausted = true;
    if (!any && !ctx.exhausted) ok = report(ctx, path, "any_of", path.subject() + " does not match any of the allowed forms.");
  }
  if (!n->one_of.empty()) {
    Eval probe{nullptr};
    probe.steps = ctx.steps;
    probe.depth = ctx.depth;
    int matches = 0;
    for (const Node* s : n->one_of)
      if (eval(s, v, path, probe)) ++matches;
    ctx.steps = probe.steps;
    if (probe.exhausted) ctx.exhausted = true;
    if (matches != 1 && !ctx.exhausted)
      ok = report(ctx, path, "one_of",
                  matches == 0 ? path.subject() + " does not match any of the allowed forms (exactly one must match)."
                               : path.subject() + " matches " + std::to_string(matches) + " of the allowed forms; exactly one must match.");
  }
  if (n->not_) {
    Eval probe{nullptr};
    probe.steps = ctx.steps;
    probe.depth = ctx.depth;
    bool matched = eval(n->not_, v, path, probe);
    ctx.steps = probe.steps;
    if (probe.exhausted) ctx.exhausted = true;
    if (matched && !ctx.exhausted) ok = report(ctx, path, "not", path.subject() + " must not have the excluded form.");
  }
  if (n->if_) {
    Eval probe{nullptr};
    probe.steps = ctx.steps;
    probe.depth = ctx.depth;
    bool cond = eval(n->if_, v, path, probe);
    ctx.steps = probe.steps;
    if (probe.exhausted) ctx.exhausted = true;
    const Node* branch = cond ? n->then_ : n->else_;
    if (branch && !eval(branch, v, path, ctx)) ok = false;
  }
  return ok && !ctx.exhausted;
}

}  // namespace

// ---------------------------------------------------------------------------------------

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
  if (!c.ok()) return nullptr;
  std::string where;
  if (has_same_instance_cycle(impl->nodes, &where)) {
    c.fail_at(where, "its $ref chain loops back on itself without descending into the value");
    return nullptr;
  }
  return std::unique_ptr<JsonSchema>(new JsonSchema(std::move(impl)));
}

bool JsonSchema::validate(const json::Value& instance, const std::string& prefix, Issues* out) const {
  Path path(prefix);
  Eval ctx{out};
  ctx.issue_limit = out->size() + kMaxSchemaIssues;
  bool ok = eval(impl_->root, instance, path, ctx);
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
