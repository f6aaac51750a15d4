// Signal types and options from JSON text (what the JS side sends) into MatcherTypeSpec.
#include <string>

#include "matcher/reference.h"
#include "signalkit/json.h"
#include "signalkit/matcher.h"

namespace signalkit {
namespace {

std::string a_type(const json::Value& v) {
  switch (v.type()) {
    case json::Type::kNull: return "null";
    case json::Type::kTrue: case json::Type::kFalse: return "a boolean";
    case json::Type::kNumber: return "a number";
    case json::Type::kString: return "a string";
    case json::Type::kArray: return "an array";
    case json::Type::kObject: return "an object";
  }
  return "a value";
}

void type_issue(const std::string& path, const char* want, const json::Value& v, Issues* issues) {
  issues->push_back({path, "type", path + " must be " + want + ", not " + a_type(v)});
}

// Reads an array of strings; absent/null gives an empty list unless `required`.
void read_strings(const json::Value& obj, const char* key, const std::string& path,
                  bool required, std::vector<std::string>* out, Issues* issues) {
  json::Value v = obj.find(key);
  if (!v.valid() || v.is_null()) {
    if (required)
      issues->push_back({path, "required", path + " is required (an array of strings)"});
    return;
  }
  if (!v.is_array()) return type_issue(path, "an array of strings", v, issues);
  size_t i = 0;
  for (json::Value item : v.items()) {
    if (!item.is_string()) {
      type_issue(path + "[" + std::to_string(i) + "]", "a string", item, issues);
      // A stand-in that passes the string rules keeps later indexes aligned without a
      // second issue for this item; the type issue already fails the compile.
      out->emplace_back("#");
    } else {
      out->emplace_back(item.as_string());
    }
    ++i;
  }
}

bool read_bool(const json::Value& obj, const char* key, const std::string& path, bool dflt,
               Issues* issues) {
  json::Value v = obj.find(key);
  if (!v.valid() || v.is_null()) return dflt;
  if (!v.is_bool()) {
    type_issue(path, "a boolean", v, issues);
    return dflt;
  }
  return v.as_bool();
}

std::string read_string(const json::Value& obj, const char* key) {
  json::Value v = obj.find(key);
  return v.is_string() ? std::string(v.as_string()) : std::string();
}

void add_parse_issue(const json::Document& doc, const char* what, Issues* issues) {
  issues->push_back({what, doc.error().code_name(), std::string(what) + ": " + doc.error().message});
}

}  // namespace

bool parse_matcher_types(std::string_view types_json, std::string_view options_json,
                         std::vector<MatcherTypeSpec>* types, MatcherOptions* options,
                         Issues* issues) {
  size_t before = issues->size();
  json::Document doc;
  // Up to 20 types x 400 keywords x 200 characters fits well under this limit.
  if (!doc.parse(types_json, kMatcherMaxTypesJsonBytes, kMaxDepth)) {
    add_parse_issue(doc, "types", issues);
    return false;
  }
  json::Value root = doc.root();
  // Also accept the list response itself: {"signal_types": [...]}.
  if (root.is_object() && root.find("signal_types").is_array()) root = root.find("signal_types");
  if (!root.is_array()) {
    type_issue("types", "an array of signal types", root, issues);
    return false;
  }
  size_t ti = 0;
  for (json::Value t : root.items()) {
    std::string path = "types[" + std::to_string(ti++) + "]";
    MatcherTypeSpec spec;
    if (!t.is_object()) {
      type_issue(path, "a signal type object", t, issues);
      types->push_back(std::move(spec));
      continue;
    }
    spec.id = read_string(t, "id");
    spec.label = read_string(t, "label");
    if (spec.label.empty()) spec.label = read_string(t, "name");
    spec.enabled = read_bool(t, "enabled", path + ".enabled", true, issues);
    read_strings(t, "keywords", path + ".keywords", true, &spec.keywords, issues);
    read_strings(t, "disqualifiers", path + ".disqualifiers", false, &spec.disqualifiers, issues);
    json::Value src = t.find("sources");
    if (src.valid() && !src.is_null()) {
      spec.has_sources = true;
      read_strings(t, "sources", path + ".sources", false, &spec.sources, issues);
    }
    json::Value ss = t.find("source_settings");
    if (ss.valid() && !ss.is_null()) {
      if (!ss.is_array()) {
        type_issue(path + ".source_settings", "an array of {source_id, enabled, keywords_extra}", ss, issues);
      } else {
        size_t si = 0;
        for (json::Value s : ss.items()) {
          std::string sp = path + ".source_settings[" + std::to_string(si++) + "]";
          MatcherSourceSetting setting;
          if (!s.is_object()) {
            type_issue(sp, "an object {source_id, enabled, keywords_extra}", s, issues);
            continue;
          }
          json::Value id = s.find("source_id");
          if (!id.valid() || id.is_null()) {
            issues->push_back({sp + ".source_id", "required", sp + ".source_id is required"});
            setting.source_id = "#";  // stand-in, see read_strings
          } else if (!id.is_string()) {
            type_issue(sp + ".source_id", "a string", id, issues);
            setting.source_id = "#";
          } else {
            setting.source_id = std::string(id.as_string());
          }
          setting.enabled = read_bool(s, "enabled", sp + ".enabled", true, issues);
          read_strings(s, "keywords_extra", sp + ".keywords_extra", false, &setting.keywords_extra, issues);
          spec.source_settings.push_back(std::move(setting));
        }
      }
    }
    types->push_back(std::move(spec));
  }

  if (!options_json.empty()) {
    json::Document od;
    if (!od.parse(options_json)) {
      add_parse_issue(od, "options", issues);
    } else if (od.root().is_null()) {
      // no options
    } else if (!od.root().is_object()) {
      type_issue("options", "an object", od.root(), issues);
    } else {
      for (auto m : od.root().members()) {
        std::string p = "options." + std::string(m.key);
        if (m.key == "includeDisabled") {
          if (!m.value.is_bool()) type_issue(p, "a boolean", m.value, issues);
          else options->include_disabled = m.value.as_bool();
        } else if (m.key == "snippetRadius") {
          if (!m.value.is_number() || !m.value.is_integer()) {
            type_issue(p, "an integer", m.value, issues);
          } else {
            double d = m.value.as_number();
            options->snippet_radius = d < -1 ? -1 : d > 1e6 ? 1000000 : static_cast<int>(d);
          }
        } else {
          issues->push_back({p, "unknown_field",
                             p + " is not an option; the options are includeDisabled and "
                                 "snippetRadius"});
        }
      }
    }
  }
  return issues->size() == before;
}

std::unique_ptr<Matcher> Matcher::compile_json(std::string_view types_json,
                                               std::string_view options_json, Issues* issues) {
  std::vector<MatcherTypeSpec> types;
  MatcherOptions options;
  size_t before = issues->size();
  bool ok = parse_matcher_types(types_json, options_json, &types, &options, issues);
  if (!ok && issues->size() > before && types.empty()) return nullptr;
  // Report the rule issues (too long, blank, too many) together with the type issues.
  Issues rule_issues;
  std::unique_ptr<Matcher> m = compile(types, options, &rule_issues);
  issues->insert(issues->end(), rule_issues.begin(), rule_issues.end());
  if (!ok) return nullptr;
  return m;
}

}  // namespace signalkit
