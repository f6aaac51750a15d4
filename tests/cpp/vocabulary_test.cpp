// One place for each fact: the request schemas (schemas/*.json, read here with nlohmann,
// not the engine's reader) and the engine's tables must say the same thing. The engine
// reads Puffle's source ids from the embedded create schema; the answer types, the
// Puffle id pattern and the other schemas' copies are held to it here.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "fixtures.h"
#include "signalkit/criteria.h"
#include "validation/ids.h"
#include "validation/request_kinds.h"

#ifndef SK_SCHEMA_DIR
#error "SK_SCHEMA_DIR must name schemas/ (set by CMakeLists.txt)"
#endif

namespace signalkit {
namespace {

using fixtures::Json;

Json schema(const std::string& name) {
  Json j = fixtures::parse(fixtures::read_text(std::string(SK_SCHEMA_DIR) + "/" + name + ".json"));
  EXPECT_TRUE(j.is_object()) << name;
  return j;
}

std::vector<std::string> strings(const Json& j) {
  std::vector<std::string> out;
  for (const auto& s : j) out.push_back(s.get<std::string>());
  return out;
}

TEST(Vocabulary, PuffleSourcesComeFromTheCreateSchema) {
  const auto& sources = request_internal::puffle_sources();
  EXPECT_EQ(sources.ids, strings(schema("puffle.signalType.create")["properties"]["sources"]["items"]["enum"]));
  EXPECT_EQ(sources.ids, strings(schema("puffle.signalType.update")["properties"]["sources"]["items"]["enum"]));
  EXPECT_EQ(sources.list, "news, reddit, hacker_news, x_twitter, linkedin_posts, linkedin_jobs, g2_capterra");
  // The feed query documents the list in prose.
  const std::string description =
      schema("puffle.signal.list")["properties"]["source"]["description"].get<std::string>();
  EXPECT_NE(description.find(sources.list), std::string::npos) << description;
}

TEST(Vocabulary, AnswerTypesAreTheTemplateSchemasEnum) {
  std::vector<std::string> engine;
  for (int t = 0; t <= static_cast<int>(AnswerType::kJsonSchema); ++t)
    engine.push_back(answer_type_name(static_cast<AnswerType>(t)));
  EXPECT_EQ(strings(schema("saber.template.create")["properties"]["answerType"]["enum"]), engine);
  // An update may not switch a template to contacts_generation: every other type.
  std::vector<std::string> update = engine;
  update.erase(std::find(update.begin(), update.end(), "contacts_generation"));
  EXPECT_EQ(strings(schema("saber.template.update")["properties"]["answerType"]["enum"]), update);
}

TEST(Vocabulary, PuffleIdPatternIsTheSchemasPattern) {
  EXPECT_EQ(schema("puffle.signal.list")["properties"]["entity_id"]["pattern"].get<std::string>(),
            ids::kPuffleIdPattern);
  struct Case { const char* id; bool puffle, uuid; } cases[] = {
      {"3c90c3cc-0d44-4b50-8888-8dd25736052a", true, true},
      {"3C90C3CC-0D44-4B50-A888-8DD25736052A", true, true},
      {"3c90c3cc-0d44-9b50-8888-8dd25736052a", false, true},  // version 9
      {"3c90c3cc-0d44-4b50-c888-8dd25736052a", false, true},  // variant c
      {"00000000-0000-0000-0000-000000000000", true, true},
      {"FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", false, true},  // the pattern spells max in lower case
      {"3c90c3cc0d444b5088888dd25736052a", false, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ids::is_puffle_id(c.id), c.puffle) << c.id;
    EXPECT_EQ(ids::is_uuid_shape(c.id), c.uuid) << c.id;
  }
}

}  // namespace
}  // namespace signalkit
