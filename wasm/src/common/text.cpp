#include "common/text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/utf8.h"
#include "signalkit/issues.h"

namespace signalkit {

namespace {

bool is_identifier(std::string_view key) {
  if (key.empty()) return false;
  for (size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

std::string fold(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '_' || c == '-') continue;
    out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c);
  }
  return out;
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

void append_path_key(std::string& path, std::string_view key) {
  if (is_identifier(key)) {
    if (!path.empty()) path.push_back('.');
    path.append(key);
  } else {
    path.push_back('[');
    append_json_string(path, std::string(key));
    path.push_back(']');
  }
}

std::string Path::str() const {
  std::string out(prefix_);
  for (size_t i = 0; i < size_; ++i) {
    const Seg& s = segs_[i];
    if (s.is_key) {
      append_path_key(out, std::string_view(s.key, s.size_or_index));
    } else {
      out.push_back('[');
      out.append(std::to_string(s.size_or_index));
      out.push_back(']');
    }
  }
  return out;
}

std::string Path::subject() const {
  std::string s = str();
  return s.empty() ? std::string("The body") : s;
}

std::string a_type_name(const json::Value& v) {
  switch (v.type()) {
    case json::Type::kNull: return "null";
    case json::Type::kTrue:
    case json::Type::kFalse: return "a boolean";
    case json::Type::kNumber: return v.is_integer() ? "an integer" : "a number";
    case json::Type::kString: return "a string";
    case json::Type::kArray: return "an array";
    case json::Type::kObject: return "an object";
  }
  return "a value";
}

std::string describe_value(const json::Value& v) {
  switch (v.type()) {
    case json::Type::kString: {
      std::string_view s = v.as_string();
      std::string out;
      size_t i = utf8::prefix_bytes(s, 40);
      std::string shown(s.substr(0, i));
      append_json_string(out, shown);
      if (i < s.size()) {
        out.pop_back();
        out += "…\"";
      }
      return out;
    }
    case json::Type::kArray: {
      size_t n = v.size();
      return n == 0 ? "an empty array" : "an array of " + std::to_string(n) + (n == 1 ? " item" : " items");
    }
    case json::Type::kObject:
      return v.size() == 0 ? "an empty object" : "an object";
    case json::Type::kNumber:
      return std::string(v.raw().substr(0, 40));
    default:
      return std::string(v.raw());
  }
}

std::string suggest(std::string_view name, const std::vector<std::string>& candidates) {
  std::string f = fold(name);
  std::string best;
  size_t best_d = static_cast<size_t>(-1);
  for (const auto& c : candidates) {
    std::string fc = fold(c);
    size_t d = edit_distance(f, fc);
    size_t limit = std::max<size_t>(2, std::min(f.size(), fc.size()) / 3);
    bool contains = f.size() >= 3 && fc.size() >= 3 &&
                    (fc.find(f) != std::string::npos || f.find(fc) != std::string::npos);
    if ((d <= limit || contains) && d < best_d) {
      best = c;
      best_d = d;
    }
  }
  return best;
}

std::string with_commas(uint64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

std::string number_text(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[40];
  // Exact integers (below 2^53) in plain digits, never "1e+01".
  // Their digits by hand: snprintf's "%.0f" was ~9% of an evaluate() call in WebAssembly.
  if (std::fabs(d) < 9007199254740992.0 && std::floor(d) == d) {
    uint64_t n = static_cast<uint64_t>(std::fabs(d));
    char* const end = buf + sizeof buf;
    char* p = end;
    do {
      *--p = static_cast<char>('0' + n % 10);
      n /= 10;
    } while (n != 0);
    if (d < 0) *--p = '-';
    return std::string(p, end);
  }
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  return buf;
}

void append_json_number(std::string& out, double d) {
  if (!std::isfinite(d)) { out += "null"; return; }
  out += number_text(d);
}

}  // namespace signalkit
