#include "validation/schema_values.h"

#include <algorithm>
#include <cstring>

#include "common/text.h"
#include "common/utf8.h"
#include "signalkit/issues.h"

namespace signalkit::schema_internal {

using json::Type;
using json::Value;

uint64_t log2_ceil(uint64_t n) {
  uint64_t k = 0;
  while ((uint64_t{1} << k) < n && k < 63) ++k;
  return k;
}

Owned own(const Value& v, uint64_t& work) {
  work += 8;  // the Owned and its vectors
  Owned o;
  o.type = v.type();
  switch (v.type()) {
    case Type::kNumber: o.number = v.as_number(); break;
    case Type::kString:
      o.str = std::string(v.as_string());
      work += o.str.size() / 16;
      break;
    case Type::kArray:
      o.items.reserve(v.size());
      for (auto item : v.items()) o.items.push_back(own(item, work));
      break;
    case Type::kObject:
      o.members.reserve(v.size());
      for (auto m : v.members()) {
        work += 1 + m.key.size() / 16;
        o.members.emplace_back(std::string(m.key), own(m.value, work));
      }
      std::stable_sort(o.members.begin(), o.members.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      work += o.members.size() * log2_ceil(o.members.size()) / 4;
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
      work += a.members.size() * log2_ceil(a.members.size());
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

uint64_t compare_cost(const Owned& o) {
  uint64_t cost = 1;
  switch (o.type) {
    case Type::kString: cost += o.str.size() / 64; break;
    case Type::kArray:
      for (const auto& item : o.items) cost += compare_cost(item);
      break;
    case Type::kObject:
      cost += o.members.size() * log2_ceil(o.members.size());
      for (const auto& m : o.members) cost += compare_cost(m.second);
      break;
    default: break;
  }
  return cost;
}

namespace {

// Members of an object sorted by key (stable: duplicate keys keep their order), so that
// two objects compare in n log n whatever their key order.
std::vector<std::pair<std::string_view, Value>> sorted_members(const Value& v) {
  std::vector<std::pair<std::string_view, Value>> ms;
  ms.reserve(v.size());
  for (auto m : v.members()) ms.emplace_back(m.key, m.value);
  std::stable_sort(ms.begin(), ms.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return ms;
}

}  // namespace

bool equal(const Value& a, const Value& b, uint64_t& work) {
  ++work;
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Type::kNumber: return a.as_number() == b.as_number();
    case Type::kString: work += a.as_string().size() / 64; return a.as_string() == b.as_string();
    case Type::kArray: {
      if (a.size() != b.size()) return false;
      auto bi = b.items().begin();
      for (auto item : a.items()) {
        if (!equal(item, *bi, work)) return false;
        ++bi;
      }
      return true;
    }
    case Type::kObject: {
      if (a.size() != b.size()) return false;
      auto ma = sorted_members(a), mb = sorted_members(b);
      work += 2 * a.size() * log2_ceil(a.size());
      for (size_t i = 0; i < ma.size(); ++i) {
        work += ma[i].first.size() / 64;
        if (ma[i].first != mb[i].first || !equal(ma[i].second, mb[i].second, work)) return false;
      }
      return true;
    }
    default: return true;
  }
}

namespace {

// 64-bit mixing (the finaliser of MurmurHash3 / SplitMix64): every input bit affects
// every output bit, so sums of mixed member hashes do not cancel.
uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

uint64_t hash_bytes(std::string_view s, uint64_t seed) {
  uint64_t h = seed ^ (s.size() * 0x9e3779b97f4a7c15ULL);
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ mix(w)) * 0x9e3779b97f4a7c15ULL;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, s.data() + i, s.size() - i);
  return mix(h ^ tail);
}

// One seed per JSON type, so that "1", 1, [1] and {"1":…} never share a hash by design.
constexpr uint64_t kSeedNull = 0x6a09e667f3bcc908ULL, kSeedFalse = 0xbb67ae8584caa73bULL,
                   kSeedTrue = 0x3c6ef372fe94f82bULL, kSeedNumber = 0xa54ff53a5f1d36f1ULL,
                   kSeedString = 0x510e527fade682d1ULL, kSeedArray = 0x9b05688c2b3e6c1fULL,
                   kSeedObject = 0x1f83d9abfb41bd6bULL, kSeedKey = 0x5be0cd19137e2179ULL;

uint64_t hash_number(double d) {
  if (d == 0) d = 0;  // -0 is 0
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return mix(bits ^ kSeedNumber);
}

// Arrays fold their items in order; objects add up one mixed hash per member, so the
// order of members does not matter.
uint64_t fold_item(uint64_t h, uint64_t item) { return mix(h + item) * 0x9e3779b97f4a7c15ULL; }
uint64_t member_hash(std::string_view key, uint64_t value) {
  return mix(hash_bytes(key, kSeedKey) ^ (value * 0xc2b2ae3d27d4eb4fULL));
}

}  // namespace

uint64_t hash_text(std::string_view s) { return hash_bytes(s, kSeedString); }

uint64_t hash_value(const Value& v, uint64_t& work) {
  ++work;
  switch (v.type()) {
    case Type::kNull: return kSeedNull;
    case Type::kFalse: return kSeedFalse;
    case Type::kTrue: return kSeedTrue;
    case Type::kNumber: return hash_number(v.as_number());
    case Type::kString: work += v.as_string().size() / 8; return hash_bytes(v.as_string(), kSeedString);
    case Type::kArray: {
      uint64_t h = kSeedArray ^ v.size();
      for (auto item : v.items()) h = fold_item(h, hash_value(item, work));
      return mix(h);
    }
    case Type::kObject: {
      uint64_t sum = 0;
      for (auto m : v.members()) {
        work += 1 + m.key.size() / 8;
        sum += member_hash(m.key, hash_value(m.value, work));
      }
      return mix(sum ^ kSeedObject ^ v.size());
    }
  }
  return 0;
}

uint64_t hash_owned(const Owned& o) {
  switch (o.type) {
    case Type::kNull: return kSeedNull;
    case Type::kFalse: return kSeedFalse;
    case Type::kTrue: return kSeedTrue;
    case Type::kNumber: return hash_number(o.number);
    case Type::kString: return hash_bytes(o.str, kSeedString);
    case Type::kArray: {
      uint64_t h = kSeedArray ^ o.items.size();
      for (const auto& item : o.items) h = fold_item(h, hash_owned(item));
      return mix(h);
    }
    case Type::kObject: {
      uint64_t sum = 0;
      for (const auto& m : o.members) sum += member_hash(m.first, hash_owned(m.second));
      return mix(sum ^ kSeedObject ^ o.members.size());
    }
  }
  return 0;
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
