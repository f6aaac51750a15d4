#include "validation/request_kinds.h"

#include <algorithm>

#include "signalkit/json.h"
#include "validation/embedded_schemas.h"

namespace signalkit::request_internal {

const std::vector<KindSpec>& all_kinds() {
  // Sorted by name (RequestValidator::kinds() and find_kind() rely on it).
  static const std::vector<KindSpec> kKinds = {
      {"puffle.context.get", Body::kNone, Params::kNone, Rules::kNone},
      {"puffle.context.set", Body::kRequired, Params::kNone, Rules::kNone},
      {"puffle.onboarding.start", Body::kRequired, Params::kNone, Rules::kNone},
      {"puffle.onboarding.status", Body::kOptional, Params::kNone, Rules::kNone},
      {"puffle.partners.portal", Body::kNone, Params::kNone, Rules::kNone},
      {"puffle.signal.dismiss", Body::kNone, Params::kPuffleId, Rules::kNone},
      {"puffle.signal.feedback", Body::kRequired, Params::kPuffleId, Rules::kNone},
      {"puffle.signal.list", Body::kOptional, Params::kNone, Rules::kFeedQuery},
      {"puffle.signalType.create", Body::kRequired, Params::kNone, Rules::kPuffleCreate},
      {"puffle.signalType.delete", Body::kNone, Params::kPuffleId, Rules::kPuffleDelete},
      {"puffle.signalType.generate", Body::kNone, Params::kPuffleId, Rules::kNone},
      {"puffle.signalType.get", Body::kNone, Params::kPuffleId, Rules::kNone},
      {"puffle.signalType.list", Body::kNone, Params::kNone, Rules::kNone},
      {"puffle.signalType.reset", Body::kNone, Params::kPuffleId, Rules::kPuffleReset},
      {"puffle.signalType.update", Body::kRequired, Params::kPuffleId, Rules::kPuffleUpdate},
      {"puffle.signalTypeSource.list", Body::kNone, Params::kPuffleId, Rules::kNone},
      {"puffle.signalTypeSource.update", Body::kRequired, Params::kPuffleIdAndSource, Rules::kSourceUpdate},
      {"saber.companySignal.create", Body::kRequired, Params::kNone, Rules::kCompanySignalCreate},
      {"saber.companySignal.get", Body::kNone, Params::kSaberId, Rules::kNone},
      {"saber.companySignal.list", Body::kOptional, Params::kNone, Rules::kCompanySignalQuery},
      {"saber.template.create", Body::kRequired, Params::kNone, Rules::kSaberCreate},
      {"saber.template.delete", Body::kNone, Params::kSaberId, Rules::kNone},
      {"saber.template.get", Body::kNone, Params::kSaberId, Rules::kNone},
      {"saber.template.list", Body::kOptional, Params::kNone, Rules::kNone},
      {"saber.template.update", Body::kRequired, Params::kSaberId, Rules::kSaberUpdate},
  };
  return kKinds;
}

const KindSpec* find_kind(std::string_view name, size_t* index) {
  const auto& all = all_kinds();
  auto it = std::lower_bound(all.begin(), all.end(), name,
                             [](const KindSpec& k, std::string_view n) { return std::string_view(k.name) < n; });
  if (it == all.end() || std::string_view(it->name) != name) return nullptr;
  *index = static_cast<size_t>(it - all.begin());
  return &*it;
}

bool Sources::contains(std::string_view id) const {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

const Sources& puffle_sources() {
  static const Sources sources = [] {
    Sources s;
    // Embedded schemas are ours and tested natively (a test holds every schema's source
    // list to this one); a broken one would leave the list empty, which the tests catch.
    json::Document doc;
    if (!doc.parse(embedded::find("puffle.signalType.create"))) return s;
    for (json::Value id : doc.root().find("properties").find("sources").find("items").find("enum").items()) {
      if (!id.is_string()) continue;
      s.ids.emplace_back(id.as_string());
      s.list += (s.list.empty() ? "" : ", ") + s.ids.back();
    }
    return s;
  }();
  return sources;
}

}  // namespace signalkit::request_internal
