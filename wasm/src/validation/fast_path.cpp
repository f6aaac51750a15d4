#include "validation/fast_path.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "common/utf8.h"
#include "common/whitespace.h"
#include "validation/schema_node.h"

namespace signalkit::request_internal {

using schema_internal::Node;

std::string_view FastBody::find(std::string_view key) const {
  for (size_t i = 0; i < count; ++i)
    if (members[i].key == key) return members[i].text;
  return {};
}

namespace {

// Deeper bodies are left to the general path (its limit is kMaxDepth).
constexpr int kMaxFastDepth = 32;
// Objects with more members not named by `properties` are left to the general path (the
// repeated-key check compares such keys pairwise).
constexpr size_t kMaxOtherKeys = 16;

constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                             1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the string scan reads bytes as little-endian words");

inline uint64_t load8(const char* p) {
  uint64_t x;
  std::memcpy(&x, p, 8);
  return x;
}
constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
// Flags (high bits) at the zero bytes of `x`, the classic SWAR test: the lowest flag is
// always a zero byte; flags above it may not be (a borrow), so only the lowest is used.
inline uint64_t zero_bytes(uint64_t x) { return (x - kOnes) & ~x & kHighs; }

// Equal bytes, compared in words: keys and enum values are short, and a call to memcmp
// (a byte loop in the WebAssembly build's libc) costs more than the compare.
inline bool same(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  size_t i = 0;
  for (; i + 8 <= a.size(); i += 8)
    if (load8(a.data() + i) != load8(b.data() + i)) return false;
  for (; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// The index in `properties` of `key`, or -1.
inline int property(const schema_internal::ObjectRules& r, std::string_view key) {
  if (!r.property_index.empty()) return r.property(key);
  for (size_t j = 0; j < r.properties.size(); ++j)
    if (same(r.properties[j].first, key)) return static_cast<int>(j);
  return -1;
}

class Proof {
 public:
  Proof(std::string_view text, FastBody* root, FastScalars* scalars)
      : p_(text.data()), end_(text.data() + text.size()), root_(root), scalars_(scalars) {}

  bool run(const Node* schema) {
    ws();
    if (!value(schema, 0)) return false;
    ws();
    return p_ == end_;
  }

 private:
  const char* p_;
  const char* end_;
  FastBody* root_;
  FastScalars* scalars_;
  double last_number_ = 0;  // the last number value() read

  // JSON.stringify writes no white space: one compare settles the common case.
  void ws() {
    const char* p = p_;
    while (p < end_ && static_cast<unsigned char>(*p) <= ' ' && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
    p_ = p;
  }

  bool eat(char c) {
    ws();
    if (p_ >= end_ || *p_ != c) return false;
    ++p_;
    return true;
  }

  // A string without escapes (p_ at its opening quote): its bytes and code points. Invalid
  // UTF-8, control characters and escapes are not proven (the general reader decides).
  bool string(std::string_view* out, size_t* code_points) {
    const char* const start = p_ + 1;
    const char* p = start;
    size_t cps = 0;
    for (;;) {
      // Eight bytes at a time; the lowest flagged byte is the first quote, backslash,
      // control or high byte (the flags above it may be false).
      if (end_ - p >= 8) {
        const uint64_t x = load8(p);
        const uint64_t special = zero_bytes(x ^ (kOnes * '"')) | zero_bytes(x ^ (kOnes * '\\')) |
                                 ((x - kOnes * 0x20) & ~x & kHighs) | (x & kHighs);
        if (!special) {
          p += 8;
          cps += 8;
          continue;
        }
        const size_t plain = static_cast<size_t>(__builtin_ctzll(special)) / 8;  // little-endian
        p += plain;
        cps += plain;
      }
      if (p >= end_) return false;
      const auto c = static_cast<unsigned char>(*p);
      if (c == '"') break;
      if (c == '\\' || c < 0x20) return false;
      if (c < 0x80) {
        ++p;
      } else {
        const size_t len = utf8::valid_length(reinterpret_cast<const uint8_t*>(p),
                                              reinterpret_cast<const uint8_t*>(end_));
        if (len == 0) return false;
        p += len;
      }
      ++cps;
    }
    *out = std::string_view(start, static_cast<size_t>(p - start));
    *code_points = cps;
    p_ = p + 1;
    return true;
  }

  // A number with at most 15 significant digits and no exponent: exact (an integer below
  // 2^53 divided by an exact power of ten is correctly rounded, as strtod is).
  bool number(double* out) {
    const char* p = p_;
    const char* const start = p;
    const bool negative = *p == '-';
    if (negative) ++p;
    if (p >= end_ || *p < '0' || *p > '9') return false;
    uint64_t mantissa = 0;
    int digits = 0, decimals = 0;
    if (*p == '0') {
      ++p;
      if (p < end_ && *p >= '0' && *p <= '9') return false;
    } else {
      for (; p < end_ && *p >= '0' && *p <= '9'; ++p, ++digits) mantissa = mantissa * 10 + static_cast<uint64_t>(*p - '0');
    }
    if (p < end_ && *p == '.') {
      ++p;
      if (p >= end_ || *p < '0' || *p > '9') return false;
      for (; p < end_ && *p >= '0' && *p <= '9'; ++p, ++digits, ++decimals)
        mantissa = mantissa * 10 + static_cast<uint64_t>(*p - '0');
    }
    if (p < end_ && (*p == 'e' || *p == 'E')) return false;
    if (digits > 15 || p - start > 40) return false;
    double v = static_cast<double>(mantissa);
    if (decimals) v /= kPow10[decimals];
    *out = negative ? -v : v;
    p_ = p;
    return true;
  }

  bool literal(const char* word, size_t len) {
    if (static_cast<size_t>(end_ - p_) < len || std::memcmp(p_, word, len) != 0) return false;
    p_ += len;
    return true;
  }

  // The value at p_ (past any white space) against `n` (nullptr: any value).
  bool value(const Node* n, int depth) {
    if (depth > kMaxFastDepth) return false;
    if (n) {
      if (n->is_bool) {
        if (!n->bool_value) return false;
        n = nullptr;
      } else {
        while (n->ref) n = n->ref;
        if (n->is_bool) {
          if (!n->bool_value) return false;
          n = nullptr;
        }
      }
    }
    // Combinators and const are the general path's; so is an enum of anything but strings
    // (checked where a string meets it).
    if (n && (n->logic || (n->values && n->values->has_const))) return false;
    if (p_ >= end_) return false;
    using namespace schema_internal;
    const uint8_t types = n ? n->types : 0;
    switch (*p_) {
      case '"': {
        std::string_view s;
        size_t cps;
        if (!string(&s, &cps)) return false;
        if (!n) return true;
        if (types && !(types & kTString)) return false;
        if (n->values && n->values->has_enum) {
          bool found = false;
          for (const auto& e : n->values->enum_values)
            if (e.type == json::Type::kString && same(e.str, s)) { found = true; break; }
          if (!found) return false;
        }
        if (n->string) {
          const StringRules& r = *n->string;
          if (r.format != Format::kNone) return false;
          if (r.min_length >= 0 && cps < static_cast<uint64_t>(r.min_length)) return false;
          if (r.max_length >= 0 && cps > static_cast<uint64_t>(r.max_length)) return false;
          switch (r.pattern_kind) {
            case PatternKind::kNotBlank:
              if (whitespace::is_blank(s)) return false;
              break;
            case PatternKind::kNoDot:
              if (s.find('.') != std::string_view::npos) return false;
              break;
            case PatternKind::kGeneric:
              if (r.pattern.prog) return false;
              break;
          }
        }
        return true;
      }
      case '{':
        if (n && types && !(types & kTObject)) return false;
        if (n && n->values && n->values->has_enum) return false;
        return object(n ? n->object.get() : nullptr, depth);
      case '[':
        if (n && types && !(types & kTArray)) return false;
        if (n && n->values && n->values->has_enum) return false;
        return array(n ? n->array.get() : nullptr, depth);
      case 't':
      case 'f':
        if (!literal(*p_ == 't' ? "true" : "false", *p_ == 't' ? 4 : 5)) return false;
        return !n || ((!types || (types & kTBoolean)) && !(n->values && n->values->has_enum));
      case 'n':
        if (!literal("null", 4)) return false;
        return !n || ((!types || (types & kTNull)) && !(n->values && n->values->has_enum));
      default: {
        double v;
        if (!number(&v)) return false;
        last_number_ = v;
        if (!n) return true;
        if (n->values && n->values->has_enum) return false;
        if (types && !(types & kTNumber) && !((types & kTInteger) && std::floor(v) == v)) return false;
        if (n->number) {
          const NumberRules& r = *n->number;
          if (r.multiple_of != 0) return false;
          if ((r.has_min && !(v >= r.min)) || (r.has_max && !(v <= r.max)) ||
              (r.has_xmin && !(v > r.xmin)) || (r.has_xmax && !(v < r.xmax)))
            return false;
        }
        return true;
      }
    }
  }

  // A schema that asks nothing of an object: `true`, or only "type": "object".
  static bool only_an_object(const Node* n) {
    if (!n) return true;
    while (!n->is_bool && n->ref) n = n->ref;
    if (n->is_bool) return n->bool_value;
    return (n->types == 0 || n->types == schema_internal::kTObject) && !n->values && !n->string && !n->number &&
           !n->array && !n->object && !n->logic;
  }

  // Moves past the object at p_ by its brackets and strings alone (nothing else is
  // checked: the caller has it proven later). False when it does not end.
  bool skip_object() {
    const char* p = p_;
    int open = 0;
    while (p < end_) {
      const char c = *p++;
      if (c == '"') {
        for (;;) {
          if (end_ - p >= 8) {
            const uint64_t x = load8(p);
            const uint64_t stop = zero_bytes(x ^ (kOnes * '"')) | zero_bytes(x ^ (kOnes * '\\'));
            if (!stop) {
              p += 8;
              continue;
            }
            p += static_cast<size_t>(__builtin_ctzll(stop)) / 8;
          }
          if (p >= end_) return false;
          if (*p == '"') break;
          if (*p == '\\') ++p;  // the escaped byte cannot close the string
          ++p;
        }
        ++p;
      } else if (c == '{' || c == '[') {
        ++open;
      } else if (c == '}' || c == ']') {
        if (--open == 0) {
          p_ = p;
          return true;
        }
      }
    }
    return false;
  }

  bool array(const schema_internal::ArrayRules* r, int depth) {
    if (r && (r->has_tuple || r->additional_items || r->unique_items || r->contains)) return false;
    const Node* items = r ? r->items : nullptr;
    ++p_;
    int64_t count = 0;
    ws();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
    } else {
      for (;;) {
        if (!value(items, depth + 1)) return false;
        ++count;
        ws();
        if (p_ >= end_) return false;
        if (*p_ == ']') { ++p_; break; }
        if (*p_++ != ',') return false;
        ws();
      }
    }
    if (r && ((r->min_items >= 0 && count < r->min_items) || (r->max_items >= 0 && count > r->max_items)))
      return false;
    return true;
  }

  bool object(const schema_internal::ObjectRules* r, int depth) {
    if (r && (!r->pattern_properties.empty() || !r->dep_required.empty() || !r->dep_schemas.empty() ||
              r->property_names || r->properties.size() > 64))
      return false;
    ++p_;
    uint64_t seen = 0;  // the members named by `properties`, by index
    struct Key {
      const char* data;
      size_t size;
    } others[kMaxOtherKeys];  // no initialisation: only the first other_count are read
    size_t other_count = 0;
    int64_t count = 0;
    FastBody* root = depth == 0 ? root_ : nullptr;
    if (root) root->count = 0;
    const uint32_t ordinal = scalars_ ? scalars_->objects++ : 0;
    ws();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
    } else {
      for (;;) {
        if (p_ >= end_ || *p_ != '"') return false;
        std::string_view key;
        size_t key_cps;
        if (!string(&key, &key_cps)) return false;
        if (!eat(':')) return false;
        const int j = r ? property(*r, key) : -1;
        const Node* member_schema = nullptr;
        if (j >= 0) {
          const uint64_t bit = uint64_t{1} << j;
          if (seen & bit) return false;  // a repeated key
          seen |= bit;
          member_schema = r->properties[static_cast<size_t>(j)].second;
        } else {
          for (size_t k = 0; k < other_count; ++k)
            if (same(std::string_view(others[k].data, others[k].size), key)) return false;  // a repeated key
          if (other_count == kMaxOtherKeys) return false;
          others[other_count++] = {key.data(), key.size()};
          if (r && r->additional_properties) member_schema = r->additional_properties;
        }
        ws();
        const char* value_start = p_;
        const bool unchecked = root && p_ < end_ && *p_ == '{' && only_an_object(member_schema);
        if (unchecked ? !skip_object() : !value(member_schema, depth + 1)) return false;
        if (scalars_ && (*value_start == 'n' || *value_start == '-' || (*value_start >= '0' && *value_start <= '9'))) {
          if (scalars_->count == FastScalars::kMax) return false;
          const bool is_null = *value_start == 'n';
          scalars_->entries[scalars_->count++] = {ordinal, key, is_null ? 0 : last_number_, is_null};
        }
        if (root) {
          if (root->count == FastBody::kMaxMembers) return false;
          root->members[root->count++] = {key, std::string_view(value_start, static_cast<size_t>(p_ - value_start)),
                                          unchecked};
        }
        ++count;
        ws();
        if (p_ >= end_) return false;
        if (*p_ == '}') { ++p_; break; }
        if (*p_++ != ',') return false;
        ws();
      }
    }
    if (!r) return true;
    for (int index : r->required_index)
      if (index < 0 || !(seen & (uint64_t{1} << index))) return false;
    if ((r->min_props >= 0 && count < r->min_props) || (r->max_props >= 0 && count > r->max_props)) return false;
    return true;
  }
};

}  // namespace

bool proves_json(std::string_view text) {
  return text.size() <= kMaxFastBodyBytes && Proof(text, nullptr, nullptr).run(nullptr);
}

bool proves_valid(const JsonSchema& schema, std::string_view text, FastBody* root, FastScalars* scalars) {
  if (text.size() > kMaxFastBodyBytes) return false;
  if (root) root->count = 0;
  if (scalars) {
    scalars->count = 0;
    scalars->objects = 0;
  }
  return Proof(text, root, scalars).run(schema.internals().root);
}

}  // namespace signalkit::request_internal
