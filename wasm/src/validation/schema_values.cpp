#include "validation/schema_values.h"

#include <algorithm>
#include <cstring>

#include "common/text.h"
#include "common/utf8.h"
#include "signalkit/issues.h"

namespace signalkit::schema_internal {

using json::Type;
using json::Value;

Owned own(const Value& v) {
  Owned o;
  o.type = v.type();
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

void canonical(const Value& v, std::string& out) {
  switch (v.type()) {
    case Type::kNumber: {
      // The double's bits in hex: equal numbers give equal text without formatting them
      // (-0 and 0 are the same number, as `equal` has it).
      double d = v.as_number();
      if (d == 0) d = 0;
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      static const char kHex[] = "0123456789abcdef";
      out.push_back('#');
      for (int shift = 60; shift >= 0; shift -= 4) out.push_back(kHex[(bits >> shift) & 15]);
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

std::string shorten(const std::string& s, size_t max) {
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

}  // namespace signalkit::schema_internal
