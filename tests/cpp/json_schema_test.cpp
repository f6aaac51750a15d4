// signalkit::JsonSchema (compiled draft-07): the shared keyword cases in
// tests/fixtures/json_schema/cases.json (verdict and exact [field, code] issues), schema
// errors with their schema path, $ref resolution and cycles, metering of hostile schemas,
// RE2 patterns, messages.
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "common/text.h"
#include "fixtures.h"
#include "signalkit/json.h"
#include "signalkit/json_schema.h"
#include "signalkit/work_counters.h"
#include "validation/metaschema.h"
#include "validation/schema_cache.h"

namespace {

using signalkit::Issue;
using signalkit::Issues;
using signalkit::JsonSchema;
using signalkit::WorkCounters;
using signalkit::work_counters;
using signalkit::json::Document;
using signalkit::json::Value;
using FieldCode = std::pair<std::string, std::string>;
using signalkit::kMaxSchemaCompileWork;
using signalkit::kMaxSchemaSteps;

// The meters' limits as messages print them ("1,000,000").
const std::string kStepsText = signalkit::with_commas(kMaxSchemaSteps);

std::vector<FieldCode> field_codes(const Issues& issues) {
  std::vector<FieldCode> out;
  for (const auto& i : issues) out.emplace_back(i.field, i.code);
  std::sort(out.begin(), out.end());
  return out;
}

std::string describe(const Issues& issues) {
  std::string s;
  for (const auto& i : issues) s += "  [" + i.field + "] " + i.code + ": " + i.message + "\n";
  return s;
}

// A schema compiled from text; keeps its Document alive for the test's convenience (the
// compiled schema itself must not need it: see CompiledSchemaOutlivesItsDocument).
struct Compiled {
  Document doc;
  Issues problems;
  std::unique_ptr<JsonSchema> schema;
};

std::unique_ptr<Compiled> compile(const std::string& text, const std::string& prefix = "",
                                  std::string_view entry = "") {
  auto c = std::make_unique<Compiled>();
  EXPECT_TRUE(c->doc.parse(text)) << text.substr(0, 200) << ": " << c->doc.error().message;
  c->schema = JsonSchema::compile(c->doc.root(), &c->problems, prefix, entry);
  return c;
}

struct Outcome {
  bool valid;
  Issues issues;
};

Outcome run(const JsonSchema& schema, const std::string& instance, const std::string& prefix = "") {
  Document doc;
  EXPECT_TRUE(doc.parse(instance)) << instance.substr(0, 200) << ": " << doc.error().message;
  Outcome o;
  o.valid = schema.validate(doc.root(), prefix, &o.issues);
  return o;
}

// ---------------------------------------------------------------------------------------
// The shared cases

TEST(JsonSchema, SharedCasesGiveTheExpectedVerdictAndIssues) {
  const fixtures::Json fixture = fixtures::load("json_schema/cases.json");
  ASSERT_TRUE(fixture.is_object());
  int tests = 0;
  for (const auto& group : fixture.at("groups")) {
    const std::string gname = group.at("description").get<std::string>();
    SCOPED_TRACE("group: " + gname);
    auto c = compile(fixtures::text(group.at("schema")));
    ASSERT_NE(c->schema, nullptr) << describe(c->problems);
    EXPECT_TRUE(c->problems.empty());
    for (const auto& t : group.at("tests")) {
      SCOPED_TRACE("test: " + t.at("description").get<std::string>());
      ++tests;
      Outcome o = run(*c->schema, fixtures::text(t.at("data")));
      const bool want = t.at("valid").get<bool>();
      EXPECT_EQ(o.valid, want) << describe(o.issues);
      EXPECT_EQ(o.valid, o.issues.empty()) << describe(o.issues);
      for (const auto& i : o.issues) {
        EXPECT_FALSE(i.code.empty());
        EXPECT_FALSE(i.message.empty());
      }
      std::vector<FieldCode> expected;
      for (const auto& pair : t.value("issues", fixtures::Json::array())) {
        ASSERT_EQ(pair.size(), 2u);
        expected.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::string>());
      }
      std::sort(expected.begin(), expected.end());
      if (!want) {
        EXPECT_FALSE(expected.empty()) << "an invalid case must list its issues";
      }
      EXPECT_EQ(field_codes(o.issues), expected) << describe(o.issues);
    }
  }
  EXPECT_GE(tests, 150);
}

// ---------------------------------------------------------------------------------------
// Fields, prefixes and messages

TEST(JsonSchema, FieldsStartWithThePrefix) {
  auto c = compile(R"({"type":"object","properties":{"a":{"items":{"type":"string"}},"my key":{"type":"null"}},"required":["b"]})");
  ASSERT_NE(c->schema, nullptr);
  Outcome o = run(*c->schema, R"({"a":["x",1],"my key":0})", "config");
  EXPECT_FALSE(o.valid);
  EXPECT_EQ(field_codes(o.issues), (std::vector<FieldCode>{{"config.a[1]", "type"},
                                                            {"config.b", "required"},
                                                            {"config[\"my key\"]", "type"}}));
  Outcome root = run(*c->schema, "[]", "config");
  EXPECT_EQ(field_codes(root.issues), (std::vector<FieldCode>{{"config", "type"}}));
  EXPECT_NE(root.issues[0].message.find("config must be an object, but it is an array"), std::string::npos)
      << root.issues[0].message;
  Outcome bare = run(*c->schema, "1");
  EXPECT_NE(bare.issues[0].message.find("The body must be an object"), std::string::npos) << bare.issues[0].message;
}

TEST(JsonSchema, UnknownFieldSuggestsAClosePropertyName) {
  auto c = compile(R"({"properties":{"threshold":{},"keywords":{}},"additionalProperties":false})");
  ASSERT_NE(c->schema, nullptr);
  Outcome o = run(*c->schema, R"({"treshold":1,"zzz":2,"Keywords":3})", "config");
  ASSERT_EQ(o.issues.size(), 3u) << describe(o.issues);
  EXPECT_EQ(o.issues[0].field, "config.treshold");
  EXPECT_EQ(o.issues[0].code, "unknown_field");
  EXPECT_NE(o.issues[0].message.find("did you mean threshold?"), std::string::npos) << o.issues[0].message;
  EXPECT_EQ(o.issues[1].field, "config.zzz");
  EXPECT_EQ(o.issues[1].message.find("did you mean"), std::string::npos) << o.issues[1].message;
  EXPECT_NE(o.issues[2].message.find("did you mean keywords?"), std::string::npos) << o.issues[2].message;
}

TEST(JsonSchema, MessagesNameTheRuleAndTheValue) {
  struct M {
    const char* schema;
    const char* instance;
    const char* code;
    const char* needle;
    const char* field = "v";
  };
  const std::vector<M> cases = {
      {R"({"maxLength":3})", R"("abcdef")", "too_long", "at most 3 characters long, but it has 6"},
      {R"({"minLength":2})", R"("a")", "too_short", "at least 2 characters long, but it has 1"},
      {R"({"minLength":1})", R"("")", "too_short", "must not be empty"},
      {R"({"enum":["a","b"]})", R"("c")", "enum", "must be one of a, b; it is \"c\""},
      {R"({"const":3})", "4", "const", "must be exactly 3"},
      {R"({"minimum":2.5})", "1", "below_minimum", "at least 2.5, but it is 1"},
      {R"({"exclusiveMaximum":10.5})", "10.5", "above_maximum", "less than 10.5, but it is 10.5"},
      {R"({"minimum":10})", "5", "below_minimum", "at least 10, but it is 5"},  // not 1e+01
      {R"({"maximum":1e300})", "1e301", "above_maximum", "at most 1e+300, but it is 1e301"},
      {R"({"multipleOf":3})", "7", "multiple_of", "multiple of 3"},
      {R"({"maxItems":1})", "[1,2]", "too_many", "at most 1 item, but it has 2"},
      {R"({"minItems":2})", "[]", "too_few", "must not be empty"},
      {R"({"uniqueItems":true})", "[1,2,1]", "unique_items", "items 0 and 2 are equal"},
      {R"({"maxProperties":1})", R"({"a":1,"b":2})", "too_many_properties", "at most 1 entry"},
      {R"({"pattern":"^[0-9]+$"})", R"("x1")", "pattern", "text matching the pattern ^[0-9]+$"},
      {R"({"format":"date"})", R"("31/01/2026")", "format", "a date such as 2026-01-31"},
      {R"({"type":"integer"})", "1.5", "type", "must be an integer, but it is 1.5"},
      {R"({"type":["string","null"]})", "true", "type", "must be a string or null, but it is a boolean"},
      {R"({"dependencies":{"a":["b"]}})", R"({"a":1})", "dependency", "v.b is required when a is present", "v.b"},
      {R"({"oneOf":[{},{}]})", "1", "one_of", "matches 2 of the allowed forms"},
      {R"({"pattern":"\\S"})", R"(" ")", "blank", "must not be blank"},
      {R"({"pattern":"^[^.]*$"})", R"("a.b")", "contains_dot", "must not contain \".\""},
  };
  for (const auto& m : cases) {
    SCOPED_TRACE(m.schema);
    auto c = compile(m.schema);
    ASSERT_NE(c->schema, nullptr) << describe(c->problems);
    Outcome o = run(*c->schema, m.instance, "v");
    ASSERT_EQ(o.issues.size(), 1u) << describe(o.issues);
    EXPECT_EQ(o.issues[0].code, m.code);
    EXPECT_EQ(o.issues[0].field, m.field);
    EXPECT_NE(o.issues[0].message.find(m.needle), std::string::npos) << o.issues[0].message;
    EXPECT_EQ(o.issues[0].message.rfind(std::string(m.field) + " ", 0), 0u) << o.issues[0].message;  // names the field first
  }
}

TEST(JsonSchema, AllErrorsAreReportedNotJustTheFirst) {
  auto c = compile(R"({"properties":{"a":{"type":"string","maxLength":2,"pattern":"^x"},"b":{"minimum":5,"multipleOf":2}},"required":["c","d"]})");
  ASSERT_NE(c->schema, nullptr);
  Outcome o = run(*c->schema, R"({"a":"yyy","b":3})");
  EXPECT_EQ(field_codes(o.issues),
            (std::vector<FieldCode>{{"a", "pattern"}, {"a", "too_long"}, {"b", "below_minimum"}, {"b", "multiple_of"},
                                    {"c", "required"}, {"d", "required"}}));
}

// ---------------------------------------------------------------------------------------
// Invalid schemas: invalid_schema at compile, with the path inside the schema

TEST(JsonSchema, InvalidSchemasNameThePathInsideTheSchema) {
  struct Bad {
    const char* schema;
    const char* field;  // with the prefix "outputSchema"
  };
  const std::vector<Bad> cases = {
      {"5", "outputSchema"},
      {R"("string")", "outputSchema"},
      {"null", "outputSchema"},
      {R"({"type":"strin"})", "outputSchema.type"},
      {R"({"type":5})", "outputSchema.type"},
      {R"({"type":[]})", "outputSchema.type"},
      {R"({"type":["string",1]})", "outputSchema.type"},
      {R"({"minLength":-1})", "outputSchema.minLength"},
      {R"({"maxLength":1.5})", "outputSchema.maxLength"},
      {R"({"maxItems":"3"})", "outputSchema.maxItems"},
      {R"({"minProperties":null})", "outputSchema.minProperties"},
      {R"({"multipleOf":0})", "outputSchema.multipleOf"},
      {R"({"multipleOf":-2})", "outputSchema.multipleOf"},
      {R"({"minimum":"0"})", "outputSchema.minimum"},
      {R"({"exclusiveMaximum":true})", "outputSchema.exclusiveMaximum"},
      {R"({"pattern":"(?=a)b"})", "outputSchema.pattern"},
      {R"~({"pattern":"a(?!b)"})~", "outputSchema.pattern"},
      {R"({"pattern":"(?<=a)b"})", "outputSchema.pattern"},
      {R"({"pattern":"(a)\\1"})", "outputSchema.pattern"},
      {R"({"pattern":"("})", "outputSchema.pattern"},
      {R"({"pattern":5})", "outputSchema.pattern"},
      {R"~({"patternProperties":{"(?!x)":{}}})~", "outputSchema.patternProperties[\"(?!x)\"]"},
      {R"({"patternProperties":[]})", "outputSchema.patternProperties"},
      {R"({"properties":{"a":5}})", "outputSchema.properties.a"},
      {R"({"properties":[]})", "outputSchema.properties"},
      {R"({"properties":{"a":{"items":{"minimum":"x"}}}})", "outputSchema.properties.a.items.minimum"},
      {R"({"items":[{},5]})", "outputSchema.items[1]"},
      {R"({"items":"x"})", "outputSchema.items"},
      {R"({"additionalProperties":1})", "outputSchema.additionalProperties"},
      {R"({"required":"a"})", "outputSchema.required"},
      {R"({"required":["a",1]})", "outputSchema.required"},
      {R"({"enum":1})", "outputSchema.enum"},
      {R"({"allOf":[]})", "outputSchema.allOf"},
      {R"({"anyOf":{}})", "outputSchema.anyOf"},
      {R"({"oneOf":[1]})", "outputSchema.oneOf[0]"},
      {R"({"not":"x"})", "outputSchema.not"},
      {R"({"uniqueItems":1})", "outputSchema.uniqueItems"},
      {R"({"format":1})", "outputSchema.format"},
      {R"({"title":5})", "outputSchema.title"},
      {R"({"dependencies":{"a":[1]}})", "outputSchema.dependencies.a"},
      {R"({"dependencies":{"a":1}})", "outputSchema.dependencies.a"},
      {R"({"definitions":{"x":{"type":"nope"}}})", "outputSchema.definitions.x.type"},
      {R"({"$ref":5})", "outputSchema.$ref"},
      {R"({"$ref":"http://example.com/schema.json"})", "outputSchema.$ref"},
      {R"({"$ref":"other.json#/definitions/a"})", "outputSchema.$ref"},
      {R"({"properties":{"a":{"$ref":"#/definitions/missing"}}})", "outputSchema.properties.a.$ref"},
      {R"({"$ref":"#anchor"})", "outputSchema.$ref"},
      {R"({"$ref":"#/items/5","items":[{}]})", "outputSchema.$ref"},
  };
  for (const auto& b : cases) {
    SCOPED_TRACE(b.schema);
    auto c = compile(b.schema, "outputSchema");
    EXPECT_EQ(c->schema, nullptr);
    ASSERT_FALSE(c->problems.empty());
    bool found = false;
    for (const auto& p : c->problems) {
      EXPECT_EQ(p.code, "invalid_schema");
      EXPECT_NE(p.message.find("is not valid JSON Schema"), std::string::npos) << p.message;
      if (p.field == b.field) found = true;
    }
    EXPECT_TRUE(found) << "wanted field " << b.field << "\n" << describe(c->problems);
  }
}

TEST(JsonSchema, RegexErrorsSayWhatIsUnsupported) {
  auto c = compile(R"({"pattern":"^(?=.*\\d)\\w+$"})");
  ASSERT_EQ(c->schema, nullptr);
  ASSERT_EQ(c->problems.size(), 1u);
  EXPECT_EQ(c->problems[0].field, "pattern");
  EXPECT_NE(c->problems[0].message.find("uses lookaround"), std::string::npos) << c->problems[0].message;
  EXPECT_NE(c->problems[0].message.find("lookaround and backreferences are not supported"), std::string::npos)
      << c->problems[0].message;
  auto empty_prefix = compile("7");
  ASSERT_EQ(empty_prefix->problems.size(), 1u);
  EXPECT_EQ(empty_prefix->problems[0].field, "");
  EXPECT_EQ(empty_prefix->problems[0].message.rfind("The schema is not valid JSON Schema", 0), 0u)
      << empty_prefix->problems[0].message;
}

// ---------------------------------------------------------------------------------------
// $ref: resolution, recursion, cycles

TEST(JsonSchema, RefToRootAndDefinitionsResolve) {
  auto c = compile(R"({"definitions":{"name":{"type":"string","minLength":1}},
                      "type":"object",
                      "properties":{"name":{"$ref":"#/definitions/name"},"child":{"$ref":"#"}}})");
  ASSERT_NE(c->schema, nullptr) << describe(c->problems);
  EXPECT_TRUE(run(*c->schema, R"({"name":"a","child":{"name":"b","child":{}}})").valid);
  Outcome o = run(*c->schema, R"({"name":"a","child":{"name":"","child":[]}})");
  EXPECT_EQ(field_codes(o.issues), (std::vector<FieldCode>{{"child.child", "type"}, {"child.name", "too_short"}}));
}

TEST(JsonSchema, RecursiveTreeSixtyLevelsDeepIsAccepted) {
  auto c = compile(R"({"definitions":{"node":{"type":"object","required":["id"],
      "properties":{"id":{"type":"integer"},"kids":{"type":"array","items":{"$ref":"#/definitions/node"}}}}},
      "$ref":"#/definitions/node"})");
  ASSERT_NE(c->schema, nullptr) << describe(c->problems);
  // 31 nodes deep: {"id":0,"kids":[{"id":1,"kids":[ ... ]}]} nests 61 levels.
  std::string tree;
  for (int i = 0; i < 31; ++i) tree += "{\"id\":" + std::to_string(i) + ",\"kids\":[";
  tree += "{\"id\":99}";
  for (int i = 0; i < 31; ++i) tree += "]}";
  Outcome ok = run(*c->schema, tree);
  EXPECT_TRUE(ok.valid) << describe(ok.issues);
  std::string bad = tree;
  bad.replace(bad.find("{\"id\":99}"), 9, "{\"id\":\"x\"}");
  Outcome o = run(*c->schema, bad);
  ASSERT_EQ(o.issues.size(), 1u) << describe(o.issues);
  EXPECT_EQ(o.issues[0].code, "type");
  std::string field;
  for (int i = 0; i < 31; ++i) field += i ? ".kids[0]" : "kids[0]";
  EXPECT_EQ(o.issues[0].field, field + ".id");
}

TEST(JsonSchema, RefCyclesThatDoNotDescendAreRejectedAtCompile) {
  const std::vector<const char*> cycles = {
      R"({"$ref":"#"})",
      R"({"allOf":[{"$ref":"#"}]})",
      R"({"anyOf":[{"type":"string"},{"$ref":"#"}]})",
      R"({"oneOf":[{"$ref":"#"}]})",
      R"({"not":{"$ref":"#"}})",
      R"({"if":{"$ref":"#"},"then":{}})",
      R"({"if":{},"then":{"$ref":"#"}})",
      R"({"if":{},"else":{"$ref":"#"}})",
      R"({"dependencies":{"a":{"$ref":"#"}}})",
      R"({"$ref":"#/definitions/a","definitions":{"a":{"$ref":"#/definitions/b"},"b":{"allOf":[{"$ref":"#/definitions/a"}]}}})",
      R"({"definitions":{"a":{"$ref":"#/definitions/a"}}})",
      R"({"properties":{"x":{"$ref":"#/definitions/a"}},"definitions":{"a":{"anyOf":[{"$ref":"#/definitions/a"}]}}})",
  };
  for (const char* s : cycles) {
    SCOPED_TRACE(s);
    auto c = compile(s, "config_schema");
    EXPECT_EQ(c->schema, nullptr);
    ASSERT_FALSE(c->problems.empty());
    EXPECT_EQ(c->problems[0].code, "invalid_schema");
    EXPECT_EQ(c->problems[0].field.rfind("config_schema", 0), 0u) << c->problems[0].field;
    EXPECT_NE(c->problems[0].message.find("loops back on itself"), std::string::npos) << c->problems[0].message;
  }
  // Recursion that descends into the value is fine, whichever keyword descends.
  const std::vector<const char*> descending = {
      R"({"properties":{"a":{"$ref":"#"}}})",
      R"({"items":{"$ref":"#"}})",
      R"({"items":[{"$ref":"#"}],"additionalItems":{"$ref":"#"}})",
      R"({"additionalProperties":{"$ref":"#"}})",
      R"({"patternProperties":{"x":{"$ref":"#"}}})",
      R"({"contains":{"$ref":"#"}})",
      R"({"propertyNames":{"$ref":"#/definitions/s"},"definitions":{"s":{"type":"string"}}})",
      R"({"anyOf":[{"type":"null"},{"items":{"$ref":"#"}}]})",
  };
  for (const char* s : descending) {
    SCOPED_TRACE(s);
    auto c = compile(s);
    EXPECT_NE(c->schema, nullptr) << describe(c->problems);
    if (c->schema) {
      std::string deep = std::string(60, '[') + std::string(60, ']');
      Issues issues;
      Document d;
      ASSERT_TRUE(d.parse(deep));
      c->schema->validate(d.root(), "", &issues);  // must end; the verdict depends on the schema
      for (const auto& i : issues) EXPECT_NE(i.code, "too_complex") << describe(issues);
    }
  }
}

TEST(JsonSchema, EntryPointValidatesASubSchemaWithRefsIntoTheWholeDocument) {
  const char* text = R"({"definitions":{"range":{"type":"object","properties":{"min":{"$ref":"#/definitions/n"}},"required":["min"]},
                                       "n":{"type":"number"}},"type":"string"})";
  auto c = compile(text, "qualificationCriteria", "#/definitions/range");
  ASSERT_NE(c->schema, nullptr) << describe(c->problems);
  EXPECT_TRUE(run(*c->schema, R"({"min":1})", "qualificationCriteria").valid);
  Outcome o = run(*c->schema, R"({"min":"1"})", "qualificationCriteria");
  EXPECT_EQ(field_codes(o.issues), (std::vector<FieldCode>{{"qualificationCriteria.min", "type"}}));
  auto missing = compile(text, "qualificationCriteria", "#/definitions/nope");
  EXPECT_EQ(missing->schema, nullptr);
  ASSERT_FALSE(missing->problems.empty());
  EXPECT_EQ(missing->problems[0].code, "invalid_schema");
}

TEST(JsonSchema, CompiledSchemaOutlivesItsDocument) {
  std::unique_ptr<JsonSchema> schema;
  {
    std::string text = R"({"enum":["alpha",{"k":[1]}],"const":"alpha","required":["q"],
        "properties":{"alpha":{"const":"beta"}},"patternProperties":{"^z":false},
        "additionalProperties":false,"dependencies":{"alpha":["gamma"]}})";
    Document doc;
    ASSERT_TRUE(doc.parse(text));
    Issues problems;
    schema = JsonSchema::compile(doc.root(), &problems);
    ASSERT_NE(schema, nullptr) << describe(problems);
    ASSERT_TRUE(doc.parse(R"(["overwrite the tape and arena with something else entirely"])"));
    text.assign(text.size(), 'x');
  }
  Outcome o = run(*schema, R"({"alpha":"beta","zz":1,"alpah":2})");
  EXPECT_EQ(field_codes(o.issues),
            (std::vector<FieldCode>{{"", "const"}, {"", "enum"}, {"alpah", "unknown_field"}, {"gamma", "dependency"},
                                    {"q", "required"}, {"zz", "not_allowed"}}));
}

// ---------------------------------------------------------------------------------------
// Hostile schemas end quickly with too_complex

// {"definitions":{d0..dN}, <use>}: d_i = {combinator: [$ref d_i+1, $ref d_i+1]}, d_N = leaf;
// 2^N paths through N+1 schemas. `use` is where d0 is referenced from.
std::string dag(const char* combinator, int levels, const std::string& leaf,
                const std::string& use = R"("$ref":"#/definitions/d0")") {
  std::string s = "{" + use + R"(,"definitions":{)";
  for (int i = 0; i < levels; ++i) {
    std::string next = "{\"$ref\":\"#/definitions/d" + std::to_string(i + 1) + "\"}";
    s += "\"d" + std::to_string(i) + "\":{\"" + combinator + "\":[" + next + "," + next + "]},";
  }
  s += "\"d" + std::to_string(levels) + "\":" + leaf + "}}";
  return s;
}

// Work the engine did inside `f` (signalkit/work_counters.h): the proof that hostile
// input stays cheap, independent of the machine and its load.
template <typename F>
WorkCounters work_of(F f) {
  const WorkCounters before = work_counters();
  f();
  const WorkCounters& after = work_counters();
  WorkCounters d;
  d.schema_steps = after.schema_steps - before.schema_steps;
  d.schema_nodes = after.schema_nodes - before.schema_nodes;
  d.pattern_bytes = after.pattern_bytes - before.pattern_bytes;
  d.schema_compile_work = after.schema_compile_work - before.schema_compile_work;
  return d;
}

// A schema whose combinators apply more than kMaxSchemaSteps schemas to one value could
// never answer: it is refused at compile, naming where the fan-out starts, after work
// linear in its size (2^60 paths through 61 nodes).
TEST(JsonSchema, ExponentialCombinatorGraphsAreRefusedAtCompile) {
  for (const char* combinator : {"anyOf", "allOf", "oneOf"}) {
    SCOPED_TRACE(combinator);
    std::unique_ptr<Compiled> c;
    WorkCounters w = work_of([&] { c = compile(dag(combinator, 60, "false"), "config"); });
    EXPECT_EQ(c->schema, nullptr);
    ASSERT_EQ(c->problems.size(), 1u) << describe(c->problems);
    EXPECT_EQ(c->problems[0].code, "too_complex");
    EXPECT_EQ(c->problems[0].field, "config");
    EXPECT_NE(c->problems[0].message.find("more than " + kStepsText + " schemas to one value"), std::string::npos)
        << c->problems[0].message;
    EXPECT_LE(w.schema_compile_work, 60000u);  // linear: under 1,000 units per level
  }
  // The same graph under a keyword that descends is refused where it starts.
  auto c = compile(dag("anyOf", 60, "false", R"("properties":{"x":{"$ref":"#/definitions/d0"}})"), "config");
  ASSERT_EQ(c->problems.size(), 1u) << describe(c->problems);
  EXPECT_EQ(c->problems[0].code, "too_complex");
  EXPECT_EQ(c->problems[0].field, "config.properties.x");
  // Under the limit (17 levels: 4 x 2^17 evaluations per value) compiles: evaluation is
  // metered from there on; one level more is refused.
  EXPECT_NE(compile(dag("anyOf", 17, "false"))->schema, nullptr);
  EXPECT_EQ(compile(dag("anyOf", 18, "false"))->schema, nullptr);
}

// Every charge is made before the work it pays for, and work the meter cannot pay for is
// not done: an evaluation that runs out ends at exactly kMaxSchemaSteps + 1 counted steps.
// These schemas compile (a DAG of 17 levels applies ~524,000 schemas to one value, under
// the compile limit) and exceed the meter only over several values.
constexpr uint64_t kMeteredSteps = kMaxSchemaSteps + 1;

TEST(JsonSchema, ExponentialRefDagOverSeveralValuesEndsWithTooComplexWithinTheMeter) {
  struct Hostile {
    std::string schema;
    const char* instance;
  };
  const std::vector<Hostile> cases = {
      {dag("anyOf", 17, "false", R"("items":{"$ref":"#/definitions/d0"})"), "[1,2,3,4]"},
      {dag("allOf", 17, "true", R"("items":{"$ref":"#/definitions/d0"})"), "[1,2,3,4]"},
      {dag("oneOf", 17, "true", R"("items":{"$ref":"#/definitions/d0"})"), "[1,2,3,4]"},
      {dag("anyOf", 17, R"({"not":{}})", R"("items":{"$ref":"#/definitions/d0"})"), R"([{"a":[1,2,3]},1,2,3])"},
      {dag("allOf", 17, R"({"type":"object","required":["a"]})", R"("items":{"$ref":"#/definitions/d0"})"),
       R"([{"a":1},{"a":1},{"a":1},{"a":1}])"},
      // The DAG under a keyword that probes (contains / propertyNames / not / if).
      {dag("anyOf", 17, "false", R"("contains":{"$ref":"#/definitions/d0"})"), "[1,2,3,4]"},
      {dag("anyOf", 17, "false", R"("items":{"not":{"$ref":"#/definitions/d0"}})"), "[1,2,3,4]"},
      {dag("anyOf", 17, "false", R"("items":{"if":{"$ref":"#/definitions/d0"},"then":false})"), "[1,2,3,4]"},
      {dag("anyOf", 17, "false", R"("propertyNames":{"$ref":"#/definitions/d0"})"), R"({"a":1,"b":2,"c":3,"d":4})"},
      {dag("anyOf", 17, "false", R"("additionalProperties":{"$ref":"#/definitions/d0"})"), R"({"a":1,"b":2,"c":3,"d":4})"},
  };
  for (const auto& h : cases) {
    SCOPED_TRACE(h.schema.substr(0, 80));
    auto c = compile(h.schema, "config");
    ASSERT_NE(c->schema, nullptr) << describe(c->problems);
    Outcome o;
    WorkCounters w = work_of([&] { o = run(*c->schema, h.instance, "config"); });
    EXPECT_EQ(w.schema_steps, kMeteredSteps);
    EXPECT_FALSE(o.valid);
    ASSERT_FALSE(o.issues.empty());
    EXPECT_EQ(o.issues.back().code, "too_complex") << describe(o.issues);
    EXPECT_EQ(o.issues.back().field.rfind("config", 0), 0u);
    EXPECT_NE(o.issues.back().message.find(kStepsText), std::string::npos) << o.issues.back().message;
    // Each value takes ~524,000 steps: the first one checked keeps its verdict; once the
    // meter stops evaluation, the verdict of the probe is unknown: no guessed issue.
    EXPECT_LE(o.issues.size(), 2u) << describe(o.issues);
  }
}

// Work inside one evaluation step (enum/const comparisons, string scans, property
// lookups, messages) is metered too: each of these hung for minutes before.
TEST(JsonSchema, ExpensiveKeywordsUnderAnExponentialDagStayBounded) {
  std::string big_enum = R"({"enum":[)";
  for (int i = 0; i < 2000; ++i) big_enum += (i ? "," : "") + std::string("[1,2,3,4,5,6,7,8,9,") + std::to_string(i) + "]";
  big_enum += "]}";
  std::string array = "[";
  for (int i = 0; i < 50000; ++i) array += i ? ",1" : "1";
  array += "]";
  std::string props = R"({"properties":{)", object = "{";
  for (int i = 0; i < 3000; ++i) {
    props += (i ? ",\"p" : "\"p") + std::to_string(i) + "\":true";
    object += (i ? ",\"q" : "\"q") + std::to_string(i) + "\":1";
  }
  props += R"(},"required":[)";
  for (int i = 0; i < 3000; ++i) props += (i ? ",\"r" : "\"r") + std::to_string(i) + "\"";
  props += R"(],"patternProperties":{"a":true,"b":true},"dependencies":{"q1":["x","y"]}})";
  object += "}";
  const std::string spaces = "\"" + std::string(400000, ' ') + "\"";
  const std::string letters = "\"" + std::string(400000, 'a') + "\"";
  struct Hostile {
    const char* name;
    std::string schema;
    std::string instance;
    bool exceeds;  // the meter runs out (too_complex); else the answer comes within it
  };
  const std::vector<Hostile> cases = {
      {"big enum", dag("anyOf", 17, big_enum), "[1,2,3,4,5,6,7,8,9,-1]", true},
      {"const of a big array", dag("anyOf", 17, R"({"not":{"const":)" + array + "}}"), array, true},
      {"blank check of a long string", dag("anyOf", 17, R"({"pattern":"\\S"})"), spaces, true},
      // allOf [check, false]: the check runs on every path, and no path satisfies anyOf.
      {"dot check of a long string", dag("anyOf", 17, R"({"allOf":[{"pattern":"^[^.]*$"},false]})"), letters, true},
      {"format of a long string", dag("anyOf", 17, R"({"allOf":[{"format":"email"},false]})"), letters, true},
      {"uniqueItems of a big array", dag("anyOf", 17, R"({"allOf":[{"uniqueItems":true},false]})"), array, true},
      {"many properties and required", dag("anyOf", 17, R"({"allOf":[)" + props + ",false]}"), object, true},
      {"required reported everywhere", dag("allOf", 17, props), object, true},
      // 131,072 false leaves: 1,000 issues are built, the others cost a step each.
      {"false reported everywhere", dag("allOf", 17, "false"), "1", false},
      {"unknown fields reported everywhere", dag("allOf", 17, R"({"properties":{"alpha":{}},"additionalProperties":false})"), object, true},
  };
  for (const auto& h : cases) {
    SCOPED_TRACE(h.name);
    auto c = compile(h.schema, "config");
    ASSERT_NE(c->schema, nullptr) << describe(c->problems);
    Outcome o;
    WorkCounters w = work_of([&] { o = run(*c->schema, h.instance, "config"); });
    EXPECT_LE(w.schema_steps, kMeteredSteps);
    EXPECT_FALSE(o.valid);
    ASSERT_FALSE(o.issues.empty());
    EXPECT_EQ(o.issues.back().code == "too_complex", h.exceeds) << describe(o.issues).substr(0, 300);
    // At most 1,000 issues are kept per call (plus too_complex).
    EXPECT_LE(o.issues.size(), 1001u);
  }
}

TEST(JsonSchema, IssuesPerCallAreCapped) {
  std::string instance = "[";
  for (int i = 0; i < 5000; ++i) instance += i ? ",1" : "1";
  instance += "]";
  auto c = compile(R"({"items":{"type":"string"}})");
  Outcome o = run(*c->schema, instance);
  EXPECT_FALSE(o.valid);
  EXPECT_EQ(o.issues.size(), 1000u);
  EXPECT_EQ(o.issues.front().field, "[0]");
  // The cap counts from what the caller's list already held.
  Issues out(5, Issue{"x", "y", "z"});
  Document d;
  ASSERT_TRUE(d.parse(instance));
  EXPECT_FALSE(c->schema->validate(d.root(), "", &out));
  EXPECT_EQ(out.size(), 1005u);
}

TEST(JsonSchema, RefsSpelledManyWaysCompileOnce) {
  // 1,024 spellings of "#/properties/aaaaaaaaaa" (each "a" plain or %61) to a 1,500-property
  // sub-schema: one compiled copy, not 1,024 (that took minutes and gigabytes).
  std::string big = R"({"type":"object","properties":{)";
  for (int i = 0; i < 1500; ++i) big += (i ? ",\"p" : "\"p") + std::to_string(i) + R"(":{"type":"string","minLength":1})";
  big += "}}";
  std::string refs;
  for (int m = 0; m < 1024; ++m) {
    std::string key;
    for (int b = 0; b < 10; ++b) key += (m >> b & 1) ? "%61" : "a";
    refs += (m ? "," : "") + std::string(R"({"$ref":"#/properties/)") + key + "\"}";
  }
  std::unique_ptr<Compiled> c;
  WorkCounters w = work_of([&] { c = compile(R"({"properties":{"aaaaaaaaaa":)" + big + R"(},"allOf":[)" + refs + "]}"); });
  ASSERT_NE(c->schema, nullptr) << describe(c->problems);
  // The root, the 1,024 $ref nodes and the 1,501 nodes of the sub-schema, once.
  EXPECT_LE(w.schema_nodes, 1u + 1 + 1024 + 1501 + 16);
  EXPECT_TRUE(run(*c->schema, R"({"p1":"x"})").valid);
  Outcome o = run(*c->schema, R"({"p1":""})");
  ASSERT_FALSE(o.issues.empty());
  EXPECT_EQ(o.issues[0].code, "too_short");
}

TEST(JsonSchema, LongUnknownKeysGetNoSuggestion) {
  // Edit distance is quadratic: two 100,000-byte keys would take minutes.
  const std::string k1(100000, 'a'), k2(100000, 'b');
  auto c = compile(R"({"properties":{")" + k1 + R"(":{}},"additionalProperties":false})");
  ASSERT_NE(c->schema, nullptr);
  Outcome o = run(*c->schema, "{\"" + k2 + "\":1}");
  ASSERT_EQ(o.issues.size(), 1u);
  EXPECT_EQ(o.issues[0].code, "unknown_field");
  EXPECT_EQ(o.issues[0].message.find("did you mean"), std::string::npos);
}

TEST(JsonSchema, HugeSchemaValuesAreShortenedInMessages) {
  const std::string long_value(5000, 'v');
  auto c = compile(R"({"properties":{"e":{"enum":[")" + long_value + R"("]},"c":{"const":")" + long_value +
                   R"("},"p":{"pattern":"^)" + long_value + R"($"}}})");
  ASSERT_NE(c->schema, nullptr);
  Outcome o = run(*c->schema, R"({"e":"x","c":"x","p":"x"})");
  ASSERT_EQ(o.issues.size(), 3u) << describe(o.issues).substr(0, 300);
  for (const auto& i : o.issues) EXPECT_LT(i.message.size(), 400u) << i.code;
}

TEST(JsonSchema, RefChainsDeeperThanTheEvaluationLimitAreRefusedAtCompile) {
  // 600 and 20,000 definitions, each a $ref to the next: no cycle, but deeper than the
  // 512 levels an evaluation may nest, so no value could ever be checked. Refused at
  // compile (work linear in the chain, within the budget), not accepted and then
  // too_complex on every answer.
  for (int links : {600, 20000}) {
    SCOPED_TRACE(links);
    std::string s = R"({"$ref":"#/definitions/d0","definitions":{)";
    for (int i = 0; i < links; ++i)
      s += "\"d" + std::to_string(i) + "\":{\"$ref\":\"#/definitions/d" + std::to_string(i + 1) + "\"},";
    s += "\"d" + std::to_string(links) + R"(":{"type":"string"}}})";
    std::unique_ptr<Compiled> c;
    WorkCounters w = work_of([&] { c = compile(s, "outputSchema"); });
    EXPECT_EQ(c->schema, nullptr);
    ASSERT_EQ(c->problems.size(), 1u) << describe(c->problems);
    EXPECT_EQ(c->problems[0].code, "too_complex");
    // 600 links are refused for their depth, at the schema; 20,000 already for the work of
    // compiling them, where the budget ran out (resolving a $ref, or compiling a link as
    // the target of the one before).
    const char* why = links == 600 ? "schemas deep; evaluation nests at most 512 levels" : "units of work";
    EXPECT_NE(c->problems[0].message.find(why), std::string::npos) << c->problems[0].message;
    const std::string& field = c->problems[0].field;
    if (links == 600) EXPECT_EQ(field, "outputSchema");
    else EXPECT_TRUE(field == "outputSchema" || field.rfind("outputSchema<#/definitions/d", 0) == 0) << field;
    EXPECT_LE(w.schema_compile_work, std::min<uint64_t>(kMaxSchemaCompileWork + 1, 200u * static_cast<uint64_t>(links)));
  }

  // 200 levels of allOf+$ref (400 evaluation levels) is within the limit.
  std::string ok = R"({"$ref":"#/definitions/d0","definitions":{)";
  for (int i = 0; i < 200; ++i) ok += "\"d" + std::to_string(i) + "\":{\"allOf\":[{\"$ref\":\"#/definitions/d" + std::to_string(i + 1) + "\"}]},";
  ok += R"("d200":{"type":"string"}}})";
  auto c2 = compile(ok);
  ASSERT_NE(c2->schema, nullptr) << describe(c2->problems);
  EXPECT_TRUE(run(*c2->schema, "\"x\"").valid);
  EXPECT_EQ(field_codes(run(*c2->schema, "1").issues), (std::vector<FieldCode>{{"", "type"}}));

  // A chain within the limit that an instance multiplies past it is stopped by the meter.
  std::string nested = R"({"items":{"$ref":"#/definitions/d0"},"definitions":{)";
  for (int i = 0; i < 300; ++i)
    nested += "\"d" + std::to_string(i) + "\":{\"$ref\":\"#/definitions/d" + std::to_string(i + 1) + "\"},";
  nested += R"("d300":{"items":{"$ref":"#"}}}})";
  auto c3 = compile(nested);
  ASSERT_NE(c3->schema, nullptr) << describe(c3->problems);
  Outcome o = run(*c3->schema, "[[[1]]]");
  EXPECT_EQ(field_codes(o.issues).back().second, "too_complex") << describe(o.issues);
}

TEST(JsonSchema, CatastrophicBacktrackingPatternsReadTheTextOnce) {
  const std::vector<const char*> patterns = {"^(a+)+$", "^(a|aa)+$", "^(a|a?)+$", "^(\\w+\\s?)*$", "(x+x+)+y",
                                             "^([a-z0-9]+([-.][a-z0-9]+)*)+@$"};
  std::string input = std::string(50000, 'a') + "!";
  for (const char* p : patterns) {
    SCOPED_TRACE(p);
    std::string schema = std::string(R"({"type":"string","pattern":)") + "\"" + p + "\"}";
    // Escape backslashes for JSON.
    std::string escaped;
    for (char ch : schema) {
      if (ch == '\\') escaped += "\\\\";
      else escaped.push_back(ch);
    }
    auto c = compile(escaped);
    ASSERT_NE(c->schema, nullptr) << describe(c->problems);
    Outcome o;
    // RE2 runs in time linear in the text it is given (no backtracking): one pass here.
    WorkCounters w = work_of([&] { o = run(*c->schema, "\"" + input + "\""); });
    EXPECT_EQ(w.pattern_bytes, input.size());
    EXPECT_FALSE(o.valid);
    EXPECT_EQ(field_codes(o.issues), (std::vector<FieldCode>{{"", "pattern"}}));
  }
}

TEST(JsonSchema, LargeHonestInstancesAreNotTooComplex) {
  // 10,000 objects of 5 fields checked by a schema with a $ref and an anyOf.
  auto c = compile(R"({"type":"array","items":{"$ref":"#/definitions/row"},"uniqueItems":true,
      "definitions":{"row":{"type":"object","required":["id"],"additionalProperties":false,
      "properties":{"id":{"type":"integer"},"a":{"type":"string"},"b":{"anyOf":[{"type":"null"},{"type":"number"}]},
      "c":{"enum":["x","y"]},"d":{"type":"boolean"}}}}})");
  ASSERT_NE(c->schema, nullptr) << describe(c->problems);
  std::string rows = "[";
  for (int i = 0; i < 10000; ++i)
    rows += (i ? "," : "") + std::string("{\"id\":") + std::to_string(i) + ",\"a\":\"s\",\"b\":null,\"c\":\"x\",\"d\":true}";
  rows += "]";
  Outcome o;
  WorkCounters w = work_of([&] { o = run(*c->schema, rows); });
  EXPECT_TRUE(o.valid) << describe(o.issues).substr(0, 500);
  // Linear in the rows: a few dozen steps per 5-field row, far below the meter.
  EXPECT_LE(w.schema_steps, 10000u * 80);  // uniqueItems: ~30 per row
}

TEST(JsonSchema, SchemasWithoutItemOrMemberKeywordsDoNotWalkBigValues) {
  // 60 allOf/anyOf nodes, none with an items or properties keyword, over 50,000 items or
  // members: each node must not pay for the whole value (that made honest schemas
  // too_complex and hostile ones hang).
  std::string schema = R"({"allOf":[)";
  for (int i = 0; i < 30; ++i) schema += R"({"anyOf":[{"type":["array","object"],"minItems":1,"minProperties":1}]},)";
  schema += R"({"required":["k1"]}]})";
  auto c = compile(schema);
  ASSERT_NE(c->schema, nullptr) << describe(c->problems);
  std::string array = "[", object = "{";
  for (int i = 0; i < 50000; ++i) {
    array += i ? ",1" : "1";
    object += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
  }
  array += "]";
  object += "}";
  EXPECT_TRUE(run(*c->schema, array).valid);
  Outcome o = run(*c->schema, object);
  EXPECT_TRUE(o.valid) << describe(o.issues);
}

TEST(JsonSchema, ValidateIsRepeatableAndIndependentOfPreviousCalls) {
  auto c = compile(dag("anyOf", 17, "false", R"("items":{"$ref":"#/definitions/d0"})"));
  ASSERT_NE(c->schema, nullptr);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(run(*c->schema, "[1,2,3,4]").issues.back().code, "too_complex");
  auto simple = compile(R"({"anyOf":[{"type":"string"},{"type":"number"}]})");
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(run(*simple->schema, "1").valid);
    EXPECT_FALSE(run(*simple->schema, "null").valid);
  }
}

TEST(JsonSchema, NegativeZeroEqualsZero) {
  // JSON Schema compares numbers by value: -0 and 0 are the same number.
  auto unique = compile(R"({"uniqueItems":true})");
  EXPECT_EQ(field_codes(run(*unique->schema, "[0,-0]").issues), (std::vector<FieldCode>{{"", "unique_items"}}));
  EXPECT_EQ(field_codes(run(*unique->schema, "[[0],[-0.0]]").issues), (std::vector<FieldCode>{{"", "unique_items"}}));
  auto konst = compile(R"({"const":0,"enum":[-0]})");
  EXPECT_TRUE(run(*konst->schema, "-0").valid);
  EXPECT_TRUE(run(*konst->schema, "0.0").valid);
}

// ---------------------------------------------------------------------------------------
// Work that used to grow with the product of two sizes is now linear (or n log n), and
// every expensive keyword is charged before it runs.

std::string numbered_object(const char* prefix, int n) {
  std::string s = "{";
  for (int i = 0; i < n; ++i) s += (i ? ",\"" : "\"") + std::string(prefix) + std::to_string(i) + "\":" + std::to_string(i);
  return s + "}";
}

std::string numbered_names(const char* prefix, int n) {
  std::string s = "[";
  for (int i = 0; i < n; ++i) s += (i ? ",\"" : "\"") + std::string(prefix) + std::to_string(i) + "\"";
  return s + "]";
}

TEST(JsonSchema, UniqueItemsHashesEachItemOnce) {
  // 45,000 objects: each hashed once and the hashes sorted; only equal hashes are compared.
  auto c = compile(R"({"uniqueItems":true})");
  std::string rows = "[";
  for (int i = 0; i < 45000; ++i) rows += (i ? "," : "") + std::string(R"({"id":)") + std::to_string(i) + R"(,"t":"x"})";
  Outcome o;
  WorkCounters w = work_of([&] { o = run(*c->schema, rows + "]"); });
  EXPECT_TRUE(o.valid) << describe(o.issues);
  EXPECT_LE(w.schema_steps, 45000u * 10 + rows.size() / 8 + 10);
  // The same items with a repeat far apart, its keys in another order: found, named.
  o = run(*c->schema, rows + R"(,{"t":"x","id":5}])");
  ASSERT_EQ(o.issues.size(), 1u);
  EXPECT_NE(o.issues[0].message.find("items 5 and 45000 are equal"), std::string::npos) << o.issues[0].message;
  // The pair reported is the one whose second item comes first.
  EXPECT_NE(run(*c->schema, "[3,1,2,1,3]").issues[0].message.find("items 1 and 3 are equal"), std::string::npos);
  EXPECT_NE(run(*c->schema, R"([[1,{"a":[0.0]}],2,[1,{"a":[-0]}]])").issues[0].message.find("items 0 and 2"), std::string::npos);
}

TEST(JsonSchema, BigEnumsCompareAValueOnlyWithTheValuesSharingItsHash) {
  std::string values = "[";
  for (int i = 0; i < 70000; ++i) values += (i ? ",\"value " : "\"value ") + std::to_string(i) + "\"";
  values += R"(,{"a":1,"b":[1,2]},1.5,null])";
  auto c = compile(R"({"enum":)" + values + "}");
  ASSERT_NE(c->schema, nullptr) << describe(c->problems);
  for (const char* v : {R"("value 69999")", R"({"b":[1,2],"a":1.0})", "1.5", "null"}) {
    SCOPED_TRACE(v);
    Outcome o;
    WorkCounters w = work_of([&] { o = run(*c->schema, v); });
    EXPECT_TRUE(o.valid) << describe(o.issues);
    EXPECT_LE(w.schema_steps, 100u);  // a hash and a comparison, whatever the enum's size
  }
  for (const char* v : {R"("value -1")", R"({"a":1,"b":[2,1]})", "1.25", "false"}) EXPECT_FALSE(run(*c->schema, v).valid) << v;
}

TEST(JsonSchema, ManyRequiredNamesOverABigObjectCostNLogN) {
  // 10,000 required names over 20,000 members: the member keys are sorted once per object,
  // then each name is a binary search (a scan per name was 200 million comparisons).
  auto c = compile(R"({"required":)" + numbered_names("k", 10000) + R"(,"dependencies":{"k1":)" + numbered_names("k", 5000) + "}}");
  ASSERT_NE(c->schema, nullptr);
  const std::string object = numbered_object("k", 20000);
  Outcome o;
  WorkCounters w = work_of([&] { o = run(*c->schema, object); });
  EXPECT_TRUE(o.valid) << describe(o.issues).substr(0, 300);
  EXPECT_LE(w.schema_steps, 20000u * 9 + 15000u * 17 + 10);
  o = run(*c->schema, numbered_object("j", 20000));
  EXPECT_EQ(o.issues.size(), 1000u);  // 10,000 missing names: the issue cap
  EXPECT_EQ(o.issues[0].code, "required");
}

TEST(JsonSchema, BigPropertiesAreLookedUpNotScanned) {
  // 20,000 properties, an object of 40,000 members: one hash lookup per member.
  std::string props = R"({"properties":{)";
  for (int i = 0; i < 20000; ++i) props += (i ? ",\"k" : "\"k") + std::to_string(i) + R"(":{"type":"integer"})";
  auto c = compile(props + "}}");
  ASSERT_NE(c->schema, nullptr) << describe(c->problems);
  Outcome o;
  WorkCounters w = work_of([&] { o = run(*c->schema, numbered_object("k", 40000)); });
  EXPECT_TRUE(o.valid);
  EXPECT_LE(w.schema_steps, 40000u * 8 + 10);
}

TEST(JsonSchema, ExpensiveChecksOnHugeStringsAreRefusedBeforeTheyRun) {
  struct Case {
    const char* name;
    std::string schema, instance;
  };
  std::string ab;
  uint32_t x = 12345;
  for (int i = 0; i < 100000; ++i) {
    x = x * 1103515245u + 12345u;
    ab.push_back((x >> 16) & 1 ? 'a' : 'b');
  }
  const std::vector<Case> cases = {
      // Parsing a regular expression costs per character class range: a 750 KB `regex`.
      {"format regex", R"({"format":"regex"})", "\"" + [] {
         std::string r;
         for (int i = 0; i < 150000; ++i) r += "(a|b)";
         return r;
       }() + "\""},
      // A DFA that gives up (2^20 states) leaves RE2's NFA: 100 KB x ~70 instructions.
      {"pattern whose DFA gives up", R"({"pattern":"(a|b)*a(a|b){20}c"})", "\"" + ab + "\""},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.name);
    auto c = compile(k.schema);
    ASSERT_NE(c->schema, nullptr) << describe(c->problems);
    Outcome o;
    WorkCounters w = work_of([&] { o = run(*c->schema, k.instance); });
    EXPECT_EQ(field_codes(o.issues), (std::vector<FieldCode>{{"", "too_complex"}})) << describe(o.issues);
    EXPECT_EQ(w.schema_steps, kMeteredSteps);
  }
  // The same pattern on a short string: the DFA or the NFA answers within the meter.
  auto c = compile(R"({"pattern":"(a|b)*a(a|b){20}c"})");
  Outcome o = run(*c->schema, "\"" + ab.substr(0, 2000) + "ac\"");
  EXPECT_TRUE(o.valid) << describe(o.issues);
}

TEST(JsonSchema, PatternsAreChargedForReadingThemBeforeRE2ParsesThem) {
  // \p{L} is ~650 ranges to RE2's parser: 2,000 of them took 1.2 s to parse in wasm.
  std::string pattern;
  for (int i = 0; i < 2000; ++i) pattern += "\\\\p{L}";
  std::unique_ptr<Compiled> c;
  WorkCounters w = work_of([&] { c = compile(R"({"pattern":")" + pattern + "\"}", "outputSchema"); });
  EXPECT_EQ(c->schema, nullptr);
  ASSERT_EQ(c->problems.size(), 1u);
  EXPECT_EQ(c->problems[0].code, "too_complex");
  EXPECT_EQ(c->problems[0].field, "outputSchema.pattern");
  EXPECT_NE(c->problems[0].message.find("reading it takes more than"), std::string::npos) << c->problems[0].message;
  EXPECT_LE(w.schema_compile_work, kMaxSchemaCompileWork + 1);
}

// ---------------------------------------------------------------------------------------
// The cache of compiled schemas keeps refusals too

TEST(JsonSchemaCache, ARefusedSchemaIsNotCompiledAgain) {
  // One refused for its cost, one invalid: asked for again (every answer against its
  // template asks), each is a lookup of its text with the same issues and no compile work.
  const std::vector<std::string> schemas = {
      R"({"$comment":"ARefusedSchemaIsNotCompiledAgain",)" + dag("anyOf", 60, "false").substr(1),
      R"({"$comment":"ARefusedSchemaIsNotCompiledAgain","type":"strin","minimum":"x"})",
  };
  for (const auto& text : schemas) {
    SCOPED_TRACE(text.substr(0, 80));
    Document d;
    ASSERT_TRUE(d.parse(text));
    Issues first, again;
    WorkCounters w1 = work_of([&] { EXPECT_EQ(signalkit::schema_cache::get(d.root(), "outputSchema", &first), nullptr); });
    EXPECT_GT(w1.schema_compile_work, 0u);
    ASSERT_FALSE(first.empty());
    WorkCounters w2 = work_of([&] { EXPECT_EQ(signalkit::schema_cache::get(d.root(), "outputSchema", &again), nullptr); });
    EXPECT_EQ(w2.schema_compile_work, 0u);
    EXPECT_EQ(w2.schema_nodes, 0u);
    EXPECT_EQ(describe(again), describe(first));
    // Under another prefix its issues name other fields: that is another entry.
    Issues config;
    EXPECT_EQ(signalkit::schema_cache::get(d.root(), "config", &config), nullptr);
    ASSERT_FALSE(config.empty());
    EXPECT_EQ(config[0].field.rfind("config", 0), 0u) << config[0].field;
  }
  // The cache stays bounded: after 64 other schemas, the first is compiled again.
  for (int i = 0; i < static_cast<int>(signalkit::schema_cache::kCapacity); ++i) {
    Document d;
    ASSERT_TRUE(d.parse(R"({"type":"strin","$comment":")" + std::to_string(i) + "\"}"));
    Issues ignored;
    signalkit::schema_cache::get(d.root(), "outputSchema", &ignored);
  }
  Document d;
  ASSERT_TRUE(d.parse(schemas[1]));
  Issues again;
  EXPECT_GT(work_of([&] { signalkit::schema_cache::get(d.root(), "outputSchema", &again); }).schema_compile_work, 0u);
}

// ---------------------------------------------------------------------------------------
// The built-in draft-07 meta-schema is ajv's copy, embedded at build time

TEST(JsonSchema, TheEmbeddedMetaschemaIsAjvsCopyMinified) {
  const std::string file = fixtures::read_text(SK_METASCHEMA_FILE);
  const std::string_view embedded = signalkit::schema_internal::draft07_metaschema();
  ASSERT_FALSE(embedded.empty());
  EXPECT_EQ(fixtures::Json::parse(embedded), fixtures::Json::parse(file));
  EXPECT_LT(embedded.size(), file.size());
  EXPECT_EQ(embedded.find('\n'), std::string_view::npos);
  // And it works as a $ref target.
  auto c = compile(R"({"$ref":"http://json-schema.org/draft-07/schema#"})");
  ASSERT_NE(c->schema, nullptr) << describe(c->problems);
  EXPECT_TRUE(run(*c->schema, R"({"type":"string","minLength":1})").valid);
  EXPECT_EQ(field_codes(run(*c->schema, R"({"minLength":-1})").issues), (std::vector<FieldCode>{{"minLength", "below_minimum"}}));
}

}  // namespace
