// signalkit — Saber qualification criteria: check them, parse research answers, evaluate
// answers (one or a batch), and combine many templates into a fit score.
//
// A Saber template carries `answerType`, `weight` and `qualificationCriteria`; an answer
// comes back from research, usually as text. This file turns (template, answer) into one
// of `disqualified | poor | neutral | good | excellent`, as the README's "Qualification
// criteria" section specifies:
//
//   signalkit::CriteriaEvaluator ev;
//   std::string r = ev.evaluate_json(
//       R"({"answerType":"number","qualificationCriteria":{"ranges":[
//            {"rangeStart":null,"rangeEnd":50,"answerQualification":"poor"},
//            {"rangeStart":50,"rangeEnd":500,"answerQualification":"good"}]}})",
//       R"("~1.2k")", "");
//   // r == {"qualification":"neutral","matched":false,"value":1200,"reason":"..."}
//
// Every decision the vendor leaves open is an option of CriteriaOptions, defaulting to what
// the README documents; the JSON names (camelCase, used by the JS API) are given next to
// each member.
//
// Errors are values: nothing here throws or aborts. Malformed criteria are Issues
// ({field, code, message}, fields like `qualificationCriteria.ranges[1].rangeEnd`); an
// answer that cannot be read is an error *result* (qualification absent, `code` and
// `reason` set), never a silent `neutral`. Inputs are bounded: answers up to
// kMaxAnswerBytes of JSON, batches up to kMaxBatchBytes, criteria up to kMaxBodyBytes;
// every step is linear or n·log n in its input, so hostile criteria or 10 MB strings
// cannot hang the engine.
#ifndef SIGNALKIT_CRITERIA_H_
#define SIGNALKIT_CRITERIA_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "signalkit/issues.h"
#include "signalkit/json.h"
#include "signalkit/limits.h"

namespace signalkit {

class JsonSchema;

// ---------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------

// Ordered worst to best, so "best" is the maximum.
enum class Qualification : uint8_t { kDisqualified = 0, kPoor, kNeutral, kGood, kExcellent };
inline constexpr int kQualificationCount = 5;
const char* qualification_name(Qualification q);  // "disqualified", ...
bool parse_qualification(std::string_view s, Qualification* out);  // exact, lower case

enum class AnswerType : uint8_t {
  kOpenText, kNumber, kBoolean, kList, kPercentage, kCurrency, kUrl, kContacts,
  kContactsGeneration, kContactPosts, kContactEngagements, kJsonSchema
};
const char* answer_type_name(AnswerType t);                  // "open_text", ...
bool parse_answer_type(std::string_view s, AnswerType* out);  // exact
// The criteria shape an answer type takes.
enum class CriteriaShape : uint8_t { kNone, kRanges, kBoolean, kChoices };
CriteriaShape criteria_shape(AnswerType t);

// How several matching list choices combine (option `listCombine`).
enum class ListCombine : uint8_t {
  kDisqualifiedWins,  // "disqualifiedWins": any disqualified match wins, else the best
  kBest,              // "best": the best match, even over a disqualified one
  kWorst,             // "worst": the worst match
};

// ---------------------------------------------------------------------------------------
// Options: one member per documented decision, with its default. JSON names in quotes.
// ---------------------------------------------------------------------------------------
struct CriteriaOptions {
  // "lastRangeInclusive": the range with the greatest rangeEnd also includes its end
  // (every other range is rangeStart ≤ x < rangeEnd). false: all ranges exclude their end.
  bool last_range_inclusive = true;
  // "unmatched": the qualification given to a value no range matches, an absent boolean
  // key, or a list answer with no known choice (the result still says matched: false).
  Qualification unmatched = Qualification::kNeutral;
  // "allowOverlaps": false makes overlapping ranges invalid (the default). true accepts them and
  // the first matching range in document order wins.
  bool allow_overlaps = false;
  // "percentageBounds": percentage range bounds must lie in 0–100.
  bool percentage_bounds = true;
  // "parseText": text answers are parsed ("1.2k", "45%", "$3M", "Yes"). false: only JSON
  // numbers and booleans are accepted; any string is unparseable_answer.
  bool parse_text = true;
  // "matchLabels": list items match a choice's label as well as its key.
  bool match_labels = true;
  // "listCombine": see ListCombine.
  ListCombine list_combine = ListCombine::kDisqualifiedWins;
  // "validateJsonSchema": json_schema answers are validated against outputSchema; false
  // accepts any answer as neutral/unmatched.
  bool validate_json_schema = true;
  // Fit score. "weights": {important, nice_to_have, not_important}.
  double weight_important = 3, weight_nice_to_have = 1, weight_not_important = 0;
  // "points": {excellent, good, neutral, poor, disqualified}; disqualified is used only
  // when "veto" is false.
  double points[kQualificationCount] = {0, 0.25, 0.5, 0.75, 1.0};
  // "veto": a disqualified answer on a template with weight > 0 makes the score 0.
  bool veto = true;
  // "defaultWeight": the weight of a template without one (the vendor creates templates
  // with "important" when none is given).
  std::string default_weight = "important";
};

// Reads options from a JSON object with the names above; "" or null keep the defaults.
// Unknown names and wrong types append `invalid_option` issues (field = the option name)
// and return false; `out` then holds the defaults plus the valid members.
bool parse_criteria_options(std::string_view json_text, CriteriaOptions* out, Issues* issues);
bool parse_criteria_options(const json::Value& v, CriteriaOptions* out, Issues* issues);

// ---------------------------------------------------------------------------------------
// Checking criteria
// ---------------------------------------------------------------------------------------

// Appends one issue per problem in `criteria` (a JSON value) for `type`. An invalid Value
// or null means "absent" and is valid; {} is valid for the types that take no criteria
// and for boolean, while number/percentage/currency need `ranges` and list needs
// `choices` (the same rule as template validation). Fields start with `prefix`
// ("qualificationCriteria.ranges[1].rangeEnd"). Codes (shared with docs/validation.md):
// `type`, `required`, `enum` (unknown qualification), `unknown_field`, `blank` (empty
// choice key), `not_applicable` (criteria for a type that takes none), `too_few` (empty
// ranges), `too_few_properties` (empty choices), `not_finite`, `range_order`
// (rangeStart ≥ rangeEnd), `range_overlap` (names both ranges), `out_of_range`
// (percentage bound outside 0–100). Stops after kMaxCriteriaIssues. Returns true when
// nothing was appended.
// Cost: O(n log n) in the number of ranges, O(n) otherwise.
bool check_criteria(AnswerType type, const json::Value& criteria, const CriteriaOptions& options,
                    Issues* issues, const std::string& prefix = "qualificationCriteria");

// ---------------------------------------------------------------------------------------
// Parsing text answers (what research returns). All trim white space first (trim_answer_text).
// ---------------------------------------------------------------------------------------
enum class NumberKind : uint8_t { kNumber, kPercentage, kCurrency };

// `s` without leading and trailing white space as JavaScript's trim() removes it
// (ECMAScript white space and line terminators, common/whitespace.h).
std::string_view trim_answer_text(std::string_view s);

// Numbers: optional approximation ("~", "≈", "about", "around", "approximately",
// "approx.", "roughly", "circa", "ca."), optional sign ("-", "+", "−"), digits with
// optional "," thousands groups of exactly three ("1,234,567.5"), optional decimals and
// exponent ("1e6"), optional magnitude ("k"/"K"/"thousand", "m"/"M"/"mm"/"mn"/"million",
// "b"/"bn"/"billion", "t"/"tn"/"trillion", any case, space allowed before words), optional
// trailing "+" ("500+"). Percentages also take "%", "percent", "pct" ("45%" → 45; a bare
// "45" is 45, "0.45" stays 0.45). Currency also takes a symbol before the number ("$"
// USD, "US$" USD, "€" EUR, "£" GBP, "¥" JPY, "₹" INR, "C$" CAD, "A$" AUD), an ISO code
// before or after ("USD 1,200,000", "1.2M eur"; common ISO 4217 codes, any case) or a word
// after ("1.2 million euros": dollars, euros, pounds, yen, rupees, yuan, francs); the
// sign may come before or after the symbol ("-$5", "$-5"). The result must be finite.
// On success stores the value and (currency only) the ISO code or "" when none was given.
// On failure returns false with a one-sentence reason. Cost: O(length), and text longer
// than kMaxNumberTextBytes (after trimming) is rejected at once.
bool parse_number_answer(std::string_view text, NumberKind kind, double* value,
                         std::string* currency, std::string* reason);

// "true", "false", "yes", "no" in any case, optionally followed by one "." or "!".
bool parse_boolean_answer(std::string_view text, bool* value, std::string* reason);

// Splits a list answer on ",", ";", "\n" and "\r"; items are trimmed, empty ones dropped.
// evaluate() reads a list answer text in this order: the whole text when it equals a
// choice key or label ("Acme, Inc."); a JSON array of strings when the text is one
// ('["HubSpot","Zoho"]'); otherwise the split items. Items match keys and (option
// matchLabels) labels, trimmed and ASCII case-insensitive.
void split_list_answer(std::string_view text, std::vector<std::string_view>* items);

// ---------------------------------------------------------------------------------------
// Compiled criteria (one template) and evaluation
// ---------------------------------------------------------------------------------------

// Batch result codes, one byte per answer: 0–4 the qualification (Qualification's value),
// plus kCodeMatched when a range/key/choice matched; or kCodeNoAnswer / kCodeError.
inline constexpr uint8_t kCodeMatched = 0x08;
inline constexpr uint8_t kCodeNoAnswer = 0xFE;  // null, missing or blank answer
inline constexpr uint8_t kCodeError = 0xFF;     // unparseable / invalid answer, NaN, ±Infinity

// Why an answer (or a whole batch) has no qualification. The JSON names are the `code`
// of results and errors.
enum class EvaluationCode : uint8_t {
  kNone,               // a result: the answer has a qualification
  kNoAnswer,           // "no_answer": null, missing or blank
  kUnparseableAnswer,  // "unparseable_answer": text that is not the answer type's form
  kInvalidAnswer,      // "invalid_answer": a json_schema answer violates outputSchema
  kInvalidCriteria,    // "invalid_criteria": the template's qualificationCriteria
  kInvalidTemplate,    // "invalid_template": the template itself
  kInvalidOptions,     // "invalid_options": the options of the call
  kInvalidBatch,       // "invalid_batch": the batch could not be read
};
const char* evaluation_code_name(EvaluationCode c);  // "" for kNone

// One evaluated answer.
struct Evaluation {
  enum class ValueKind : uint8_t { kNone, kNumber, kBoolean, kList, kRaw };
  EvaluationCode code = EvaluationCode::kNone;  // kNone: a result; else the error (see issues)
  bool ok() const { return code == EvaluationCode::kNone; }
  Qualification qualification = Qualification::kNeutral;  // meaningful when ok()
  bool matched = false;
  ValueKind value_kind = ValueKind::kNone;
  double number = 0;
  bool boolean = false;
  std::vector<std::string> items;    // list answers, as read (trimmed)
  std::string_view raw;              // kRaw: the answer's JSON text (valid while input lives)
  std::string currency;              // currency answers: ISO code or ""
  int matched_range = -1;            // index into criteria.ranges (document order)
  double range_start = 0, range_end = 0;
  bool range_start_null = true, range_end_null = true;
  std::vector<std::string> matched_choices;  // list: matched keys, first-seen order
  std::string reason;                // why (errors, unmatched)
  Issues issues;                     // invalid_criteria / invalid_answer details
  uint8_t batch_code() const;
};

// Renders an Evaluation as the JS result object's JSON:
// {"qualification":"good"|null,"matched":bool,"value":…,"currency"?,"matchedRange"?:
//  {"index","rangeStart","rangeEnd"},"matchedChoices"?:[…],"code"?,"reason"?,"issues"?}
std::string evaluation_to_json(const Evaluation& e);

class CompiledCriteria {
 public:
  CompiledCriteria();
  ~CompiledCriteria();
  CompiledCriteria(CompiledCriteria&&) noexcept;
  CompiledCriteria& operator=(CompiledCriteria&&) noexcept;

  // Compiles a template object ({answerType, qualificationCriteria, outputSchema, weight};
  // other members ignored; answerType defaults to "open_text"; criteria that are absent,
  // null or {} mean "no criteria" for every type, as stored templates carry {}). Returns
  // false with
  // issues (the template is then not usable) when the template is not an object, its
  // answerType is unknown, its criteria fail check_criteria, or its outputSchema does not
  // compile. Cost: check_criteria plus, for json_schema, one JsonSchema::compile.
  bool compile(const json::Value& tmpl, const CriteriaOptions& options, Issues* issues);

  AnswerType answer_type() const { return type_; }
  // The template's weight name ("important", … or the default) and its numeric weight;
  // weight_ok() is false for an unknown weight name.
  const std::string& weight_name() const { return weight_name_; }
  double weight() const { return weight_; }
  bool weight_ok() const { return weight_ok_; }

  // Evaluates one answer (any JSON value; invalid Value = missing). Never fails: errors
  // are in the result's code. The result may reference `answer`'s text (raw).
  Evaluation evaluate(const json::Value& answer) const;

  // The numeric fast path: one code byte per input (see kCode*). Non-finite inputs give
  // kCodeError. For number, percentage and currency templates; other types give every
  // finite input the code of evaluate() on that number. Cost: a few ns per answer.
  void evaluate_numbers(const double* in, size_t n, uint8_t* out) const;

  // Code byte for one finite number on a ranges template; sets *range (or -1).
  uint8_t code_for_number(double x, int* range) const;

  // Code byte for one answer given as text (what evaluate() gives a JSON string), without
  // building an Evaluation for number, percentage, currency and boolean templates. Sets
  // *value as CriteriaEvaluator::values() describes.
  uint8_t code_for_text(std::string_view text, double* value) const;

 private:
  struct Range {
    double lo, hi;        // -inf / +inf when null
    bool lo_null, hi_null;
    bool inclusive_end;
    Qualification q;
    int index;            // document order
  };
  struct Choice {
    std::string key;
    Qualification q;
  };
  // compile() steps
  bool read_answer_type(const json::Value& answer_type, Issues* issues);
  void read_weight(const json::Value& weight);
  bool compile_output_schema(const json::Value& schema, Issues* issues);
  void compile_ranges(const json::Value& ranges);
  void build_segments();
  void compile_boolean(const json::Value& criteria);
  void compile_choices(const json::Value& choices);
  // evaluate() steps, one per criteria shape
  void evaluate_number(const json::Value& answer, Evaluation* e) const;
  void evaluate_boolean(const json::Value& answer, Evaluation* e) const;
  void evaluate_choices(const json::Value& answer, Evaluation* e) const;
  void read_list_text(std::string_view whole, std::vector<std::string>* items) const;
  void evaluate_list(const std::vector<std::string>& items, Evaluation* e) const;
  void evaluate_without_criteria(const json::Value& answer, Evaluation* e) const;

  AnswerType type_ = AnswerType::kOpenText;
  CriteriaOptions options_;
  bool has_criteria_ = false;
  // ranges: document order, plus the lookup table when ranges do not overlap
  std::vector<Range> ranges_;
  std::vector<double> bounds_;      // sorted segment starts (exclusive of -inf)
  std::vector<uint8_t> seg_code_;   // bounds_.size()+1 codes
  std::vector<int> seg_range_;      // bounds_.size()+1 range indexes (-1 for gaps)
  bool linear_ = false;             // overlaps allowed: first match in document order
  // boolean
  bool has_yes_ = false, has_no_ = false;
  Qualification yes_ = Qualification::kNeutral, no_ = Qualification::kNeutral;
  // choices: folded key/label -> choice indexes
  std::vector<Choice> choices_;
  std::map<std::string, std::vector<int>, std::less<>> choice_index_;
  // json_schema
  std::shared_ptr<const JsonSchema> schema_;
  // weight
  std::string weight_name_;
  double weight_ = 0;
  bool weight_ok_ = true;
};

// ---------------------------------------------------------------------------------------
// Fit score
// ---------------------------------------------------------------------------------------
// score = 100 × Σ(weight·points) / Σ(weight) over answered templates whose answers were
// evaluated; any disqualified answer on a template with weight > 0 makes it 0 (veto).
// Unanswered templates (answer missing, null or blank) are listed, not counted; answers
// that are errors (unparseable, invalid criteria) are listed under `errors`, not counted.
// The score is null when no counted template has weight > 0.

// ---------------------------------------------------------------------------------------
// The evaluator: JSON text in, JSON text out, with caches. This is what the JS API calls.
// Not thread-safe; one per thread.
// ---------------------------------------------------------------------------------------
class CriteriaEvaluator {
 public:
  CriteriaEvaluator();
  ~CriteriaEvaluator();
  CriteriaEvaluator(const CriteriaEvaluator&) = delete;
  CriteriaEvaluator& operator=(const CriteriaEvaluator&) = delete;

  // {"valid":bool,"issues":[…]} for check_criteria(answerType, criteria). An unknown
  // answerType is an `enum` issue on field "answerType"; criteria text that is not JSON
  // is an `invalid_json` issue; bad options are `invalid_option` issues.
  std::string check_json(std::string_view answer_type, std::string_view criteria_json,
                         std::string_view options_json);

  // evaluation_to_json(evaluate) for one template and one answer ("" = missing answer).
  // The compiled template is cached (keyed by template and options text), so evaluating
  // many answers against one template compiles it once. Bad options or template:
  // {"qualification":null,…,"code":"invalid_template"|"invalid_criteria","issues":[…]}.
  std::string evaluate_json(std::string_view template_json, std::string_view answer_json,
                            std::string_view options_json);

  // Criteria compiled once for a caller that keeps them (the JS compileCriteria): a new
  // CompiledCriteria for the template and options texts, or nullptr with *error_json set to
  // the error result evaluate_json gives for them. Not cached: the caller owns the result.
  std::unique_ptr<CompiledCriteria> compile(std::string_view template_json,
                                            std::string_view options_json, std::string* error_json);
  // One answer's JSON text ("" = missing) read and evaluated against `c`, exactly as
  // evaluate_json does before rendering. The result may reference `answer_json` (raw).
  Evaluation evaluate_answer(const CompiledCriteria& c, std::string_view answer_json);

  // Batch, numeric fast path. Call number_buffer(n), fill it, then
  // evaluate_numbers(template, options, n): returns "" and fills codes() (n bytes), or the
  // error result's JSON (template/options invalid). Buffers are owned by the evaluator and
  // reused (a large one is freed after its batch); number_buffer() returns nullptr when n is
  // over kMaxBatchCount.
  double* number_buffer(size_t n);
  std::string evaluate_numbers(std::string_view template_json, std::string_view options_json,
                               size_t n);
  // Batch, any answers: `answers_json` is a JSON array (up to kMaxBatchBytes). Returns ""
  // and fills codes() and values() (the parsed number, 1/0 for booleans, the count of
  // matched choices for lists, NaN otherwise), or an error result's JSON.
  std::string evaluate_answers(std::string_view template_json, std::string_view answers_json,
                               std::string_view options_json);
  // Batch, text answers without JSON: `texts` holds the answers as UTF-8 separated by NUL
  // bytes (an empty answer = no answer; fewer separators than `count` = the rest are
  // missing). Returns "" and fills codes()/values() (count answers), or an error result's
  // JSON (template/options invalid; over kMaxBatchBytes or kMaxBatchCount: invalid_batch).
  std::string evaluate_texts(std::string_view template_json, std::string_view options_json,
                             std::string_view texts, size_t count);
  const uint8_t* codes() const { return codes_.data(); }
  const double* values() const { return values_.data(); }
  size_t count() const { return count_; }

  // Fit score over `items_json`, a JSON array of {"template":…, "answer":…}:
  // {"score":number|null,"disqualified":bool,"disqualifiedBy":[{index,templateId?,name?,
  //  reason}],"parts":[{index,templateId?,name?,weight,weightValue,qualification,matched,
  //  points}],"unanswered":[{index,templateId?,name?}],"errors":[{index,templateId?,name?,
  //  code,reason,issues?}],"totalWeight":number}
  // or {"error":{"code","message","issues"}} when items/options are not usable.
  std::string fit_score_json(std::string_view items_json, std::string_view options_json);

 private:
  const CompiledCriteria* compiled_for(std::string_view template_json,
                                       std::string_view options_json, std::string* error_json);
  struct Cache;
  std::unique_ptr<Cache> cache_;
  // Every public call ends by freeing the scratch documents that it grew past
  // kKeepScratchBytes, so one large call does not keep its memory in use; a call that is
  // not a batch also frees the results of a batch larger than that (codes(), values()).
  void release_scratch();
  void release_batch_results();
  struct ScratchRelease {
    ScratchRelease(CriteriaEvaluator* e, bool ends_batch) : evaluator(e) {
      if (ends_batch) e->release_batch_results();
    }
    ~ScratchRelease() { evaluator->release_scratch(); }
    CriteriaEvaluator* evaluator;
  };
  std::vector<double> numbers_;
  std::vector<uint8_t> codes_;
  std::vector<double> values_;
  size_t count_ = 0;
};

}  // namespace signalkit

#endif  // SIGNALKIT_CRITERIA_H_
