#include "validation/request_rules.h"

#include <algorithm>
#include <string>
#include <vector>

#include "criteria/internal.h"
#include "validation/ids.h"
#include "validation/schema_cache.h"

namespace signalkit::request_internal {
namespace {

using json::Value;

// Seconds since the epoch (fractional) of an RFC 3339 date-time already checked by the
// schema's `format`; used only to compare `since` and `until`.
bool epoch_seconds(std::string_view s, double* out) {
  if (s.size() < 20) return false;
  auto n = [&](size_t at, size_t len) {
    int v = 0;
    for (size_t i = 0; i < len; ++i) {
      if (s[at + i] < '0' || s[at + i] > '9') return -1;
      v = v * 10 + (s[at + i] - '0');
    }
    return v;
  };
  int y = n(0, 4), mo = n(5, 2), d = n(8, 2), h = n(11, 2), mi = n(14, 2), se = n(17, 2);
  if (y < 0 || mo < 1 || d < 1 || h < 0 || mi < 0 || se < 0) return false;
  // days_from_civil (Howard Hinnant)
  int yy = y - (mo <= 2);
  int era = (yy >= 0 ? yy : yy - 399) / 400;
  int yoe = yy - era * 400;
  int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  double days = static_cast<double>(era) * 146097 + doe - 719468;
  double t = days * 86400 + h * 3600 + mi * 60 + se;
  size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    double scale = 0.1;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, scale /= 10) t += (s[i] - '0') * scale;
  }
  if (i < s.size() && (s[i] == '+' || s[i] == '-') && i + 6 <= s.size()) {
    int oh = n(i + 1, 2), om = n(i + 4, 2);
    if (oh < 0 || om < 0) return false;
    double off = oh * 3600 + om * 60;
    t += s[i] == '+' ? -off : off;
  }
  *out = t;
  return true;
}

std::string quoted(std::string_view s) {
  std::string out;
  append_json_string(out, std::string(s));
  return out;
}

std::string type_label(const Value& type) {
  Value label = type.find("label");
  if (!label.is_string()) label = type.find("name");
  return label.is_string() ? std::string(label.as_string()) : std::string("this type");
}

// `to` before `from` (both RFC 3339 date-times already checked by the schema's format):
// no item could match, so the query is refused rather than answered with nothing.
void check_date_order(const Value& body, const char* from, const char* to, Issues& out) {
  Value a = body.find(from), b = body.find(to);
  double at, bt;
  if (a.is_string() && b.is_string() && epoch_seconds(a.as_string(), &at) && epoch_seconds(b.as_string(), &bt) && at > bt)
    out.push_back(Issue{to, "invalid_range",
                        std::string(to) + " (" + std::string(b.as_string()) + ") is before " + from + " (" +
                            std::string(a.as_string()) + "), so no signal could match."});
}

// A URL given where a bare hostname belongs (`https://acme.com/`) already fails the schema's
// pattern; the message then says what to send instead.
void hint_bare_hostname(std::string_view domain, Issues& out) {
  size_t scheme = domain.find("://");
  if (scheme == std::string_view::npos) return;
  std::string_view rest = domain.substr(scheme + 3);
  std::string_view host = rest.substr(0, std::min(rest.find_first_of("/:?#"), rest.size()));
  for (Issue& issue : out) {
    if (issue.field != "domain" || issue.code != "pattern") continue;
    issue.message = "domain must be a hostname without scheme, path or port" +
                    (host.empty() ? std::string(".") : "; send " + quoted(host) + ", not " + quoted(domain) + ".");
  }
}

}  // namespace

// Reports keys repeated within one object, anywhere in the document. JSON parsers keep
// one of them silently (JavaScript the last), so the request would not say what it seems.
void check_duplicate_keys(const Value& v, Path& path, Issues& out) {
  if (v.is_array()) {
    size_t i = 0;
    for (auto item : v.items()) {
      if (item.is_array() || item.is_object()) {
        path.push_index(i);
        check_duplicate_keys(item, path, out);
        path.pop();
      }
      ++i;
    }
    return;
  }
  if (!v.is_object()) return;
  size_t n = v.size();
  if (n > 1 && n <= 16) {
    // Small objects (every request body): compare pairs of keys, no allocation.
    std::string_view keys[16];
    size_t k = 0;
    for (auto m : v.members()) keys[k++] = m.key;
    for (size_t i = 1; i < n; ++i) {
      bool seen_before = false;
      for (size_t j = 0; j < i && !seen_before; ++j) seen_before = keys[j].size() == keys[i].size() && keys[j] == keys[i];
      if (!seen_before) continue;
      bool first_repeat = true;  // report each repeated key once
      for (size_t j = 0; j < i && first_repeat; ++j) {
        if (keys[j] != keys[i]) continue;
        for (size_t l = j + 1; l < i; ++l) if (keys[l] == keys[i]) { first_repeat = false; break; }
        break;
      }
      if (!first_repeat) continue;
      path.push_key(keys[i]);
      out.push_back(Issue{path.str(), "duplicate_key",
                          path.subject() + " appears more than once in the same object; servers keep only one of the values."});
      path.pop();
    }
  } else if (n > 16) {
    std::vector<std::string_view> keys;
    keys.reserve(n);
    for (auto m : v.members()) keys.push_back(m.key);
    std::vector<std::string_view> sorted = keys;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 1; i < sorted.size(); ++i) {
      if (sorted[i] == sorted[i - 1] && (i == 1 || sorted[i] != sorted[i - 2])) {
        path.push_key(sorted[i]);
        out.push_back(Issue{path.str(), "duplicate_key",
                            path.subject() + " appears more than once in the same object; servers keep only one of the values."});
        path.pop();
      }
    }
  }
  for (auto m : v.members()) {
    if (m.value.is_array() || m.value.is_object()) {
      path.push_key(m.key);
      check_duplicate_keys(m.value, path, out);
      path.pop();
    }
  }
}

void check_params(Params params, const Value& given, Issues& out) {
  auto need_id = [&](bool puffle) {
    Value id = given.find("id");
    if (!id.valid()) {
      out.push_back(Issue{"id", "required", "id (the path parameter) is required."});
    } else if (!id.is_string()) {
      out.push_back(Issue{"id", "type", "id must be a string, but it is " + a_type_name(id) + "."});
    } else if (puffle ? !ids::is_puffle_id(id.as_string()) : !ids::is_uuid_shape(id.as_string())) {
      out.push_back(Issue{"id", "pattern",
                          std::string("id must be ") + ids::kUuidForm + ", but it is " + describe_value(id) + "."});
    }
  };
  switch (params) {
    case Params::kNone: return;
    case Params::kPuffleId: need_id(true); return;
    case Params::kSaberId: need_id(false); return;
    case Params::kPuffleIdAndSource: {
      need_id(true);
      Value src = given.find("sourceId");
      if (!src.valid()) {
        out.push_back(Issue{"sourceId", "required", "sourceId (the path parameter) is required."});
      } else if (!src.is_string() || !puffle_sources().contains(src.as_string())) {
        out.push_back(Issue{"sourceId", "enum",
                            "sourceId must be one of " + puffle_sources().list + "; it is " + describe_value(src) + "."});
      }
      return;
    }
  }
}

// Context members must have the documented shapes; a malformed context is reported
// rather than half-used.
bool check_context(const Value& ctx, Issues& out) {
  if (!ctx.is_object()) {
    out.push_back(Issue{"context", "invalid_context", "The context must be an object, but it is " + a_type_name(ctx) + "."});
    return false;
  }
  bool ok = true;
  for (auto m : ctx.members()) {
    bool good = true;
    const char* want = "";
    if (m.key == "params" || m.key == "type" || m.key == "template") {
      good = m.value.is_object() || m.value.is_null();
      want = "an object";
    } else if (m.key == "types") {
      good = m.value.is_array() || m.value.is_null();
      want = "an array of signal types";
      if (good)
        for (auto t : m.value.items()) good = good && t.is_object();
    } else {
      std::string hint = suggest(m.key, {"params", "type", "types", "template"});
      out.push_back(Issue{"context." + std::string(m.key), "invalid_context",
                          "context." + std::string(m.key) + " is not a context member (params, type, types, template)" +
                              (hint.empty() ? std::string(".") : "; did you mean " + hint + "?")});
      ok = false;
      continue;
    }
    if (!good) {
      out.push_back(Issue{"context." + std::string(m.key), "invalid_context",
                          "context." + std::string(m.key) + " must be " + want + "."});
      ok = false;
    }
  }
  return ok;
}

void check_bodyless(const KindSpec& spec, std::string_view body, const Value& ctx, Issues& out) {
  if (!body.empty() && body != "null")
    out.push_back(Issue{"", "unexpected_body", std::string(spec.name) + " sends no body, but one was given."});
  Value type = ctx.find("type");
  if (!type.is_object() || !type.find("built_in").is_bool()) return;
  bool built_in = type.find("built_in").as_bool();
  if (spec.rules == Rules::kPuffleDelete && built_in)
    out.push_back(Issue{"", "built_in", "The built-in signal type " + quoted(type_label(type)) +
                                            " cannot be deleted; set enabled to false to stop it scanning."});
  if (spec.rules == Rules::kPuffleReset && !built_in)
    out.push_back(Issue{"", "not_built_in", "Only built-in signal types can be reset; " + quoted(type_label(type)) +
                                                " is a custom type, so edit its prompts with an update instead."});
}

void rules_puffle_create(const Value& body, const Value& ctx, Issues& out) {
  Value types = ctx.find("types");
  if (!types.is_array()) return;
  if (types.size() >= 20)
    out.push_back(Issue{"", "limit_reached",
                        "You already have " + std::to_string(types.size()) +
                            " signal types; Puffle allows at most 20. Delete one before creating another."});
  Value name = body.find("name");
  if (!name.is_string()) return;
  for (auto t : types.items()) {
    Value label = t.find("label");
    if (label.is_string() && label.as_string() == name.as_string()) {
      out.push_back(Issue{"name", "duplicate_name",
                          "A signal type named " + quoted(name.as_string()) + " already exists (names are case-sensitive)."});
      break;
    }
  }
}

void rules_puffle_update(const Value& body, const Value& ctx, Issues& out) {
  if (!body.is_object()) return;
  if (body.size() == 0) {
    out.push_back(Issue{"", "empty_patch", "The update has no fields, so there is nothing to update."});
    return;
  }
  Value type = ctx.find("type");
  Value params = ctx.find("params");
  if (type.is_object()) {
    if (type.find("built_in").as_bool()) {
      for (const char* locked : {"name", "sources"}) {
        if (body.find(locked).valid())
          out.push_back(Issue{locked, "built_in_locked",
                              std::string(locked) + " cannot be changed on the built-in signal type " +
                                  quoted(type_label(type)) + "."});
      }
    }
    Value kind = type.find("kind");
    Value keywords = body.find("keywords");
    Value enabled = body.find("enabled");
    if (kind.is_string() && kind.as_string() == "keyword" && (keywords.valid() || enabled.valid())) {
      bool will_be_enabled = enabled.is_bool() ? enabled.as_bool() : !type.find("enabled").is_bool() || type.find("enabled").as_bool();
      Value effective = keywords.is_array() ? keywords : type.find("keywords");
      if (will_be_enabled && effective.is_array() && effective.size() == 0)
        out.push_back(Issue{"keywords", "too_few",
                            "An enabled keyword signal type must keep at least one keyword; add one or set enabled to false."});
    }
    Value config = body.find("config");
    Value schema = type.find("config_schema");
    if (config.valid() && (schema.is_object() || schema.is_bool())) {
      Issues schema_problems;
      if (auto s = schema_cache::get(schema, "config", &schema_problems)) s->validate(config, "config", &out);
      // A config_schema the engine cannot compile came from the server: let it decide.
    }
  }
  Value types = ctx.find("types");
  Value name = body.find("name");
  if (types.is_array() && name.is_string()) {
    std::string_view self_id;
    if (params.find("id").is_string()) self_id = params.find("id").as_string();
    else if (type.find("id").is_string()) self_id = type.find("id").as_string();
    for (auto t : types.items()) {
      Value label = t.find("label");
      Value id = t.find("id");
      if (label.is_string() && label.as_string() == name.as_string() &&
          !(id.is_string() && id.as_string() == self_id)) {
        out.push_back(Issue{"name", "duplicate_name",
                            "Another signal type is already named " + quoted(name.as_string()) + " (names are case-sensitive)."});
        break;
      }
    }
  }
}

void rules_source_update(const Value& body, Issues& out) {
  if (body.is_object() && body.size() == 0)
    out.push_back(Issue{"", "empty_patch", "The update has no fields, so there is nothing to update (No fields to update)."});
}

void rules_feed_query(const Value& body, Issues& out) {
  Value source = body.find("source");
  if (source.is_string() && source.string_length() > 0) {
    std::string_view s = source.as_string();
    size_t start = 0;
    while (start <= s.size()) {
      size_t comma = s.find(',', start);
      if (comma == std::string_view::npos) comma = s.size();
      std::string_view part = s.substr(start, comma - start);
      if (!puffle_sources().contains(part)) {
        out.push_back(Issue{"source", "enum",
                            "source must list sources separated by commas, each one of " + puffle_sources().list +
                                "; " + (part.empty() ? std::string("it has an empty entry") : quoted(part) + " is not one") + "."});
        break;
      }
      start = comma + 1;
    }
  }
  check_date_order(body, "since", "until", out);
}

void rules_company_signal_query(const Value& body, Issues& out) {
  check_date_order(body, "fromDate", "toDate", out);
}

void rules_company_signal_create(const Value& body, Issues& out) {
  if (!body.is_object()) return;
  Value domain = body.find("domain");
  if (domain.is_string()) hint_bare_hostname(domain.as_string(), out);
  if (body.find("signalTemplateId").valid()) {
    for (const char* field : {"question", "answerType", "outputSchema"}) {
      if (body.find(field).valid())
        out.push_back(Issue{field, "not_applicable",
                            std::string(field) + " cannot be given with signalTemplateId: the template's latest "
                                                 "version supplies the question, answerType, weight and criteria."});
    }
  } else {
    bool question = body.find("question").valid(), answer_type = body.find("answerType").valid();
    if (!question && !answer_type)
      out.push_back(Issue{"signalTemplateId", "required",
                          "Say what to research: give signalTemplateId, or question and answerType."});
    else if (!question)
      out.push_back(Issue{"question", "required", "question is required with answerType when no signalTemplateId is given."});
    else if (!answer_type)
      out.push_back(Issue{"answerType", "required", "answerType is required with question when no signalTemplateId is given."});
    Value type = body.find("answerType");
    if (type.is_string() && type.as_string() == "json_schema" && !body.find("outputSchema").valid())
      out.push_back(Issue{"outputSchema", "required", "outputSchema is required when answerType is json_schema."});
  }
  Value output = body.find("outputSchema");
  if (output.is_object() || output.is_bool()) {
    Issues problems;
    if (!schema_cache::get(output, "outputSchema", &problems)) out.insert(out.end(), problems.begin(), problems.end());
  }
}

void rules_saber(bool create, const Value& body, const Value& ctx, const ShapeSchemas& shapes,
                 Issues& out) {
  if (!body.is_object()) return;
  Value tmpl = ctx.find("template");
  Value answer_type = body.find("answerType");
  std::string type;
  if (answer_type.valid() && !answer_type.is_string()) return;  // the schema reported it
  if (answer_type.is_string()) type = std::string(answer_type.as_string());
  else if (create) type = "open_text";
  else if (tmpl.find("answerType").is_string()) type = std::string(tmpl.find("answerType").as_string());

  Value output = body.find("outputSchema");
  if (type == "json_schema" && !output.valid()) {
    bool has_existing = !create && tmpl.find("outputSchema").is_object() && tmpl.find("outputSchema").size() > 0;
    bool known = create || tmpl.is_object();
    if (known && !has_existing)
      out.push_back(Issue{"outputSchema", "required", "outputSchema is required when answerType is json_schema."});
  }
  if (output.is_object() || output.is_bool()) {
    Issues problems;
    if (!schema_cache::get(output, "outputSchema", &problems)) out.insert(out.end(), problems.begin(), problems.end());
  }

  Value criteria = body.find("qualificationCriteria");
  AnswerType at;
  // An unknown answerType is already an enum issue.
  if (!criteria.is_object() || !parse_answer_type(type, &at)) return;
  CriteriaShape shape = criteria_shape(at);
  if (shape == CriteriaShape::kNone) {
    if (criteria.size() > 0)
      out.push_back(Issue{"qualificationCriteria", "not_applicable",
                          "qualificationCriteria must be empty for answerType " + type +
                              ": only number, percentage, currency, boolean and list answers are qualified."});
    return;
  }
  const JsonSchema* shape_schema = shapes[static_cast<size_t>(shape)].get();
  if (!shape_schema) return;
  size_t before = out.size();
  static const std::string kCriteriaField = "qualificationCriteria";
  shape_schema->validate(criteria, kCriteriaField, &out);
  // The shape passed the schema: check_criteria adds what a schema cannot say
  // (range_order, range_overlap, out_of_range, not_finite, blank choice keys).
  if (out.size() == before) check_criteria(at, criteria, CriteriaOptions(), &out);
}

// What rules_saber and the other rules above would say, read from the proof's root members;
// every "false" sends the body to the general path.
bool rules_pass_fast(const KindSpec& spec, const FastBody& body, const ShapeSchemas& shapes,
                     FastScalars& scratch) {
  const bool saber = spec.rules == Rules::kSaberCreate || spec.rules == Rules::kSaberUpdate;
  // The members the proof left unchecked are proven here: Saber criteria by their shape
  // below, every other one as JSON (its schema asks no more).
  for (size_t i = 0; i < body.count; ++i) {
    const FastBody::Member& m = body.members[i];
    if (m.unchecked && !(saber && m.key == "qualificationCriteria") && !proves_json(m.text)) return false;
  }
  switch (spec.rules) {
    case Rules::kNone:
    case Rules::kPuffleCreate:  // reads only the context
      return true;
    case Rules::kPuffleUpdate:
    case Rules::kSourceUpdate:  // without context: only the empty patch
      return body.count > 0;
    case Rules::kSaberCreate:
    case Rules::kSaberUpdate:
      break;
    default:
      return false;
  }
  const bool create = spec.rules == Rules::kSaberCreate;
  if (!body.find("outputSchema").empty()) return false;
  // A proven string has no escapes: its text between the quotes is its value.
  std::string_view answer_type = body.find("answerType");
  std::string_view type = create ? "open_text" : "";
  if (!answer_type.empty()) {
    if (answer_type.size() < 2 || answer_type.front() != '"') return false;
    type = answer_type.substr(1, answer_type.size() - 2);
  }
  if (type == "json_schema") return false;
  std::string_view criteria = body.find("qualificationCriteria");
  if (criteria.empty()) return true;
  AnswerType at;
  // Criteria rules_saber does not read (an update without answerType) need only be JSON.
  if (!parse_answer_type(type, &at)) return proves_json(criteria);
  switch (criteria_shape(at)) {
    case CriteriaShape::kNone:  // only {}
      return criteria.find('"') == std::string_view::npos && proves_json(criteria);
    case CriteriaShape::kBoolean:  // the shape's schema says all check_criteria does
      return shapes[static_cast<size_t>(CriteriaShape::kBoolean)] &&
             proves_valid(*shapes[static_cast<size_t>(CriteriaShape::kBoolean)], criteria, nullptr);
    case CriteriaShape::kRanges: {
      // The shape's schema proved {"ranges": [{rangeStart, rangeEnd, answerQualification}, …]}:
      // every object after the root is a range, every number or null one of its bounds.
      const JsonSchema* shape = shapes[static_cast<size_t>(CriteriaShape::kRanges)].get();
      FastScalars& scalars = scratch;
      if (!shape || !proves_valid(*shape, criteria, nullptr, &scalars)) return false;
      const size_t n = scalars.objects - 1;
      if (n > criteria_internal::kMaxFastRanges) return false;
      criteria_internal::RangeBounds ranges[criteria_internal::kMaxFastRanges];
      for (size_t i = 0; i < scalars.count; ++i) {
        const FastScalars::Entry& e = scalars.entries[i];
        if (e.object == 0) return false;
        auto& r = ranges[e.object - 1];
        if (e.key == "rangeStart") {
          r.lo = e.number;
          r.lo_null = e.is_null;
        } else {
          r.hi = e.number;
          r.hi_null = e.is_null;
        }
      }
      return criteria_internal::ranges_pass(at, ranges, n, CriteriaOptions());
    }
    case CriteriaShape::kChoices:
      return false;
  }
  return false;
}

}  // namespace signalkit::request_internal
