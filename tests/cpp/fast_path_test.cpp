// The request fast path (wasm/src/validation/fast_path.h) against the general path.
//
// The fast path only ever proves a body valid; what it cannot prove takes the general
// path. So the one promise to hold is: whatever it proves, the general path accepts. The
// general path's verdict is taken with an empty context object ("{}"), which changes no
// rule but keeps the fast path out (it runs only without context); every body is checked
// both ways, and the results (verdict, every issue's field, code and message) must be
// identical. Bodies: every fixture body of every kind and, from a fixed seed, thousands of
// variations of them (values swapped for edge cases, members dropped, repeated or added,
// ranges reordered and overlapped, white space, escapes, bytes changed).
#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fixtures.h"
#include "signalkit/json.h"
#include "signalkit/json_schema.h"
#include "signalkit/request_validator.h"
#include "validation/fast_path.h"

namespace {

using fixtures::Json;

struct Body {
  std::string kind;
  Json value;
};

std::vector<Body> fixture_bodies() {
  std::vector<Body> out;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(SK_FIXTURE_DIR) + "/validation")) {
    if (entry.path().extension() != ".json") continue;
    Json file = fixtures::load("validation/" + entry.path().filename().string());
    if (!file.is_object() || !file.contains("kind") || !file.contains("cases")) continue;
    for (const auto& c : file["cases"])
      if (c.contains("body") && !c.contains("context")) out.push_back({file["kind"].get<std::string>(), c["body"]});
  }
  return out;
}

// Values a member may be swapped for: each kind of JSON value, and the edges the fast path
// reads itself (lengths in code points, blank text, numbers it converts or leaves alone).
std::vector<Json> edge_values() {
  return {nullptr, true, false, 0, -0.0, 1, -1, 1.5, 0.1, 100, 101, 1e21, 1234567890123456789.0,
          0.30000000000000004, 1e-7, "", " ", "\t\n", "\u2003", "x", "é", "📈", "a\"b", "a\\b",
          "line\nbreak", std::string(200, 'x'), std::string(201, 'x'), std::string(500, 'y'),
          std::string(1001, 'z'), "news", "reddit", "currency", "percentage", "number", "boolean",
          "list", "json_schema", "open_text", "poor", "good", "excellent", "nope", Json::array(),
          Json::array({"news"}), Json::array({"a", "b"}), Json::object(), Json::object({{"a", 1}}),
          Json::parse(R"({"ranges":[{"rangeStart":0,"rangeEnd":10,"answerQualification":"good"}]})"),
          Json::parse(R"({"ranges":[{"rangeStart":10,"rangeEnd":10,"answerQualification":"good"}]})"),
          Json::parse(R"({"ranges":[{"rangeStart":0,"rangeEnd":150,"answerQualification":"good"}]})"),
          Json::parse(R"({"ranges":[{"rangeStart":null,"rangeEnd":5,"answerQualification":"poor"},)"
                      R"({"rangeStart":4,"rangeEnd":null,"answerQualification":"good"}]})"),
          Json::parse(R"({"ranges":[{"rangeStart":5,"rangeEnd":null,"answerQualification":"good"},)"
                      R"({"rangeEnd":5,"answerQualification":"poor"}]})"),
          Json::parse(R"({"yes":"good","no":"poor"})"), Json::parse(R"({"choices":{"a":{"answerQualification":"good"}}})")};
}

class Mutator {
 public:
  explicit Mutator(uint32_t seed) : rng_(seed), edges_(edge_values()) {}

  // A variation of `v`: one change somewhere in it.
  Json mutate(Json v) {
    std::vector<Json*> nodes;
    collect(v, nodes);
    Json* target = nodes[pick(nodes.size())];
    switch (pick(6)) {
      case 0:
        *target = edges_[pick(edges_.size())];
        break;
      case 1:  // drop a member or an item
        if (target->is_object() && !target->empty()) {
          auto it = target->begin();
          std::advance(it, static_cast<long>(pick(target->size())));
          target->erase(it.key());
        } else if (target->is_array() && !target->empty()) {
          target->erase(target->begin() + static_cast<long>(pick(target->size())));
        }
        break;
      case 2:  // add a member or an item
        if (target->is_object()) (*target)[pick(2) ? "extra" : "answerType"] = edges_[pick(edges_.size())];
        else if (target->is_array()) target->push_back(target->empty() ? edges_[pick(edges_.size())] : (*target)[0]);
        break;
      case 3:  // reverse an array (ranges out of order)
        if (target->is_array()) std::reverse(target->begin(), target->end());
        break;
      case 4:  // a number nudged
        if (target->is_number()) *target = target->get<double>() + (pick(2) ? 0.5 : -1e6);
        break;
      default:  // a range bound copied across (touching or overlapping ranges)
        if (target->is_object() && target->contains("rangeEnd")) (*target)["rangeStart"] = (*target)["rangeEnd"];
        break;
    }
    return v;
  }

  // A text-level change: white space, a repeated member, an escape, a byte changed.
  std::string mutate_text(std::string t) {
    if (t.empty()) return t;
    const size_t at = pick(t.size());
    switch (pick(5)) {
      case 0: t.insert(at, pick(2) ? " " : "\n"); break;
      case 1: {  // repeat the first member
        const size_t colon = t.find(':'), comma = t.find(',');
        if (t[0] == '{' && colon != std::string::npos && comma != std::string::npos && comma > colon)
          t.insert(comma + 1, t.substr(1, comma));
        break;
      }
      case 2: {  // a character as an escape
        const size_t q = t.find("\"", at);
        if (q != std::string::npos && q + 1 < t.size() && std::isalpha(static_cast<unsigned char>(t[q + 1])))
          t.replace(q + 1, 1, "\\u00" + std::string(1, "0123456789abcdef"[(t[q + 1] >> 4) & 15]) +
                                  std::string(1, "0123456789abcdef"[t[q + 1] & 15]));
        break;
      }
      case 3: t[at] = static_cast<char>(pick(256)); break;
      default: t.erase(at, 1); break;
    }
    return t;
  }

  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

 private:
  static void collect(Json& v, std::vector<Json*>& out) {
    out.push_back(&v);
    if (v.is_object() || v.is_array())
      for (auto& child : v) collect(child, out);
  }
  std::mt19937 rng_;
  std::vector<Json> edges_;
};

void expect_same(const signalkit::ValidationResult& fast, const signalkit::ValidationResult& general,
                 const std::string& kind, const std::string& body) {
  ASSERT_EQ(fast.valid, general.valid) << kind << " " << body;
  ASSERT_EQ(fast.issues.size(), general.issues.size()) << kind << " " << body;
  for (size_t i = 0; i < fast.issues.size(); ++i) {
    EXPECT_EQ(fast.issues[i].field, general.issues[i].field) << kind << " " << body;
    EXPECT_EQ(fast.issues[i].code, general.issues[i].code) << kind << " " << body;
    EXPECT_EQ(fast.issues[i].message, general.issues[i].message) << kind << " " << body;
  }
}

TEST(FastPath, AgreesWithTheGeneralPathOnFixturesAndTheirVariations) {
  signalkit::RequestValidator validator;
  const std::vector<Body> bodies = fixture_bodies();
  ASSERT_GT(bodies.size(), 100u);
  Mutator mutator(20261129);
  // Each kind's schema, compiled here to ask the proof directly (the validator's are private).
  std::map<std::string, std::unique_ptr<signalkit::JsonSchema>> schemas;
  std::vector<std::unique_ptr<signalkit::json::Document>> schema_docs;
  size_t checked = 0, valid = 0, proven = 0;
  auto check = [&](const std::string& kind, const std::string& text) {
    const auto fast = validator.validate(kind, text);
    const auto general = validator.validate(kind, text, "{}");
    expect_same(fast, general, kind, text);
    ++checked;
    valid += general.valid;
    if (validator.schema_text(kind).empty()) return;  // a kind without a body
    auto& schema = schemas[kind];
    if (!schema) {
      schema_docs.push_back(std::make_unique<signalkit::json::Document>());
      ASSERT_TRUE(schema_docs.back()->parse(validator.schema_text(kind)));
      signalkit::Issues problems;
      schema = signalkit::JsonSchema::compile(schema_docs.back()->root(), &problems);
      ASSERT_TRUE(schema) << kind;
    }
    signalkit::request_internal::FastBody root;
    bool proof = signalkit::request_internal::proves_valid(*schema, text, &root);
    // Members the proof left unchecked are the rules' to prove; as JSON at least.
    for (size_t i = 0; proof && i < root.count; ++i)
      proof = !root.members[i].unchecked || signalkit::request_internal::proves_json(root.members[i].text);
    if (proof) {
      ++proven;
      // What the proof says of the schema, the general reader and evaluator say too.
      signalkit::json::Document doc;
      ASSERT_TRUE(doc.parse(text)) << kind << " " << text;
      signalkit::Issues issues;
      EXPECT_TRUE(schema->validate(doc.root(), "", &issues) && issues.empty()) << kind << " " << text;
      for (const auto& issue : general.issues) EXPECT_NE(issue.code, "duplicate_key") << kind << " " << text;
    }
  };
  for (const Body& b : bodies) {
    check(b.kind, fixtures::text(b.value));
    for (int i = 0; i < 150; ++i) {
      Json v = b.value;
      const int changes = 1 + static_cast<int>(mutator.pick(3));
      for (int k = 0; k < changes; ++k) v = mutator.mutate(std::move(v));
      std::string text = fixtures::text(v);
      check(b.kind, text);
      check(b.kind, mutator.mutate_text(text));
      if (HasFatalFailure()) return;
    }
  }
  // The comparison means something only if many variations are valid (the fast path's
  // whole domain) and many are not.
  EXPECT_GT(valid, checked / 10) << "valid " << valid << " of " << checked;
  EXPECT_GT(proven, valid / 2) << "proven " << proven << " of " << valid << " valid";
  EXPECT_LT(valid, checked * 9 / 10) << "valid " << valid << " of " << checked;
}

}  // namespace
