// signalkit — keyword matching: Puffle signal types against text (README, "Keyword matching").
//
//   signalkit::Issues issues;
//   auto m = signalkit::Matcher::compile_json(
//       R"([{"label":"Funding","keywords":["series b","raised"],"disqualifiers":["rumor"],
//            "sources":null}])", "{}", &issues);
//   if (!m) { for (auto& i : issues) report(i.field, i.code, i.message); return; }
//   std::vector<signalkit::TypeResult> out;
//   m->match({"news", "Acme raises", "Acme closed its Series-B round."}, &out);
//   // out[0].matched, out[0].hits[0]: keyword "series b", field kText, start 17, end 25
//
// Semantics (the precise rules this code implements; the README states them for users):
// - Text is decoded as UTF-8 (an invalid byte decodes as U+FFFD, one UTF-16 unit; JS
//   strings always arrive as valid UTF-8) and compared code point by code point after
//   Unicode *simple* case folding (the equivalence RE2 and JavaScript's /iu use:
//   K = k = U+212A KELVIN SIGN, ς = σ = Σ, ß = ẞ; "ß" does not equal "ss").
// - Word characters are Unicode categories L, M and N (so "café" written with a combining
//   accent is still one word; "_" is not a word character). Characters of the scripts
//   written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) are
//   "no-space" characters: they never need a boundary.
// - A keyword edge that is a word character (not no-space) must not touch another word
//   character (not no-space) in the text: "AI" does not match in "said", does match in
//   "用AI技术". An edge that is a no-space or non-word character needs nothing:
//   ".NET" matches in "ASP.NET", "C++" in "C++17", "人工智能" inside "我们的人工智能平台".
// - Separators are Unicode White_Space plus the hyphens U+002D, U+2010, U+2011. In a
//   keyword, each run of separators becomes "one or more separators", and separators at
//   the edges are dropped: "series b" and "series-b" match "Series - B". A keyword made
//   only of separators is invalid (`blank`).
// - Every other character (`+ # . $ '` …) is literal; nothing is a regular expression.
// - Every occurrence is found, overlapping and nested ones included ("pricing" and
//   "pricing page" both match "pricing page"; "哈哈" occurs twice in "哈哈哈").
//
// Types: a type applies to a document when it is enabled (or options.include_disabled),
// its `sources` is null or lists the document's source, and its `source_settings` entry
// for that source (if any) is not `enabled: false`. Its keywords for that source are
// `keywords` followed by that source's `keywords_extra`, deduplicated by their folded
// form (the first spelling is the one reported). A type matches when one of its keywords
// occurs (in the title or the text) and none of its disqualifiers does.
//
// How (wasm/src/matcher/automaton.h): keywords and text become one symbol stream (folded
// characters, one SEP per separator run, a zero-width WB at every regular-word boundary),
// so every rule above is plain substring matching; one Aho–Corasick automaton per matcher
// holds every keyword and disqualifier of every type, and which types, sources and
// keywords_extra apply is decided per document from each keyword's list of uses. At the
// root the scan goes 64 bytes at a time (SIMD128 in WebAssembly) and skips every word
// that is not some keyword's first word with one hash probe.
//
// Cost, every call within the limits (signalkit/limits.h):
// - compile: O(total keyword symbols x log(children per node)) time; memory 36 bytes
//   per automaton state (at most one per keyword symbol: the largest matcher the limits
//   allow, 9,000 distinct keywords of 200 characters, has 3.6M states, ~130 MB and
//   ~0.5–1 s) plus a 240 KB Unicode table shared by all matchers (built on first use,
//   never freed).
// - match: linear in the document. Each byte is classified once and read at most three
//   times; at most two symbols per character enter the automaton; each failure link
//   followed undoes an earlier step down; occurrences are counted per automaton state
//   and summed along suffix links per seen keyword at the end, never stored one by one
//   (WorkCounters::matcher_steps: at most 4 per byte, plus 2 per field, plus the
//   keywords seen). Then work proportional to the results (hits, snippets, UTF-16
//   offsets in one sweep per non-ASCII field). Memory: arrays sized by the automaton,
//   reused across calls, plus the results; nothing grows with the document.
//
// Not thread-safe: match() reuses scratch buffers. Compile once, match many times.
#ifndef SIGNALKIT_MATCHER_H_
#define SIGNALKIT_MATCHER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "signalkit/issues.h"
#include "signalkit/limits.h"

namespace signalkit {

// A compile over the kMatcherMax* limits (signalkit/limits.h) is rejected with issues.
inline constexpr int kMatcherDefaultSnippetRadius = 60;  // code points either side

struct MatcherSourceSetting {
  std::string source_id;
  bool enabled = true;
  std::vector<std::string> keywords_extra;
};

// One signal type, as the Puffle API returns it (only what matching needs).
struct MatcherTypeSpec {
  std::string id;
  std::string label;
  bool enabled = true;
  bool has_sources = false;          // false: `sources` is null (no restriction)
  std::vector<std::string> sources;  // when has_sources
  std::vector<std::string> keywords;
  std::vector<std::string> disqualifiers;
  std::vector<MatcherSourceSetting> source_settings;
};

struct MatcherOptions {
  bool include_disabled = false;  // preview types before enabling them
  int snippet_radius = kMatcherDefaultSnippetRadius;
};

enum class MatchField : uint8_t { kTitle = 0, kText = 1 };

// One keyword (or disqualifier) found in one field: where it first occurs and how often.
struct KeywordHit {
  uint32_t keyword_id = 0;    // Matcher::keyword_text(keyword_id) is the spelling reported
  std::string_view keyword;   // that spelling (owned by the Matcher or the spec)
  MatchField field = MatchField::kText;
  uint32_t start = 0, end = 0;            // UTF-16 code units in the field
  uint32_t byte_start = 0, byte_end = 0;  // UTF-8 bytes in the field
  uint32_t count = 0;                     // occurrences in this field, overlapping ones included
};

// One type that had at least one keyword occurrence in the document.
struct TypeResult {
  uint32_t type = 0;        // index into the compiled types array
  bool matched = false;     // a keyword matched and no disqualifier did
  std::vector<KeywordHit> hits;  // one per (keyword, field), title first, then by start
  bool disqualified = false;
  KeywordHit disqualifier;  // the earliest disqualifier occurrence, when disqualified
  // The snippet: a window around the first keyword occurrence, in UTF-16 units of
  // `snippet_field`, trimmed so it neither starts nor ends inside a word or on a separator.
  MatchField snippet_field = MatchField::kText;
  uint32_t snippet_start = 0, snippet_end = 0;
};

// A document: UTF-8 views that must outlive the match() call.
struct MatchDoc {
  std::string_view source;  // "" = none given: only types without `sources` apply
  std::string_view title;
  std::string_view text;
};

class Matcher {
 public:
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  // Validates and compiles `types`. Returns nullptr and appends issues (fields such as
  // `types[2].keywords[4]`, codes from docs/validation.md: type, required, too_short,
  // blank, too_long, too_many, below_minimum, above_maximum) when the input is invalid;
  // every problem is reported at once. Cost: see "Cost" above.
  static std::unique_ptr<Matcher> compile(const std::vector<MatcherTypeSpec>& types,
                                          const MatcherOptions& options, Issues* issues);

  // The same from JSON text: `types_json` is an array of Puffle signal type objects
  // (members other than id, label/name, enabled, keywords, disqualifiers, sources and
  // source_settings are ignored); `options_json` is "" or an object with
  // `includeDisabled` (bool) and `snippetRadius` (integer 0–1000).
  static std::unique_ptr<Matcher> compile_json(std::string_view types_json,
                                               std::string_view options_json, Issues* issues);

  // Matches one document; `out` is cleared and gets one TypeResult per type with at least
  // one keyword occurrence (matched or disqualified), in type order. Returns false, with
  // `out` empty and nothing matched, when title and text together exceed
  // kMatcherMaxBatchBytes (offsets are 32-bit). Cost: see "Cost" above.
  bool match(const MatchDoc& doc, std::vector<TypeResult>* out);

  // The batch form the JS binding uses. `bytes` holds every title and text; `table` has
  // 5 uint32 per document: source index (source_index(), or any value >= source_count()
  // for none/unknown), title offset, title length, text offset, text length (bytes).
  // Matches documents first, first + 1, ... and appends, per document in order and per
  // TypeResult in type order, one int32 record:
  //   [doc index, type, flags (1 matched, 2 disqualified), hit count,
  //    snippet field (0 title, 1 text), snippet start, snippet end,
  //    disqualifier keyword id (-1 if none), field, start, end, count,
  //    then per hit: keyword id, field, start, end, count]
  // (offsets in UTF-16 units; keyword ids index keyword_text()). Documents without a
  // keyword occurrence append nothing. Stops after the document that brings the records
  // appended to kMatcherMaxBatchOutputInts or more (one document adds at most
  // 20 types x (12 + 5 x 2 x 400) ints), so the output stays bounded whatever the batch;
  // returns the index after the last document matched: the caller continues from there
  // until doc_count. Returns -1, with nothing appended, when a document's range lies
  // outside `bytes_len`.
  ptrdiff_t match_batch(const uint8_t* bytes, size_t bytes_len, const uint32_t* table,
                        size_t first, size_t doc_count, std::vector<int32_t>* out);

  size_t type_count() const;
  size_t keyword_count() const;
  std::string_view keyword_text(uint32_t id) const;
  // Index of a source named in any type's `sources` or `source_settings`, or -1.
  int source_index(std::string_view source) const;
  size_t source_count() const;
  std::string_view source_name(size_t i) const;
  // States of the compiled automaton (memory and compile cost grow with it).
  size_t automaton_states() const;
  // `{"keywords":[...],"sources":[...]}` — the id tables the JS side keeps.
  std::string tables_json() const;

 private:
  Matcher();
  // Results stay in impl_ (no copies); `source` is source_index(doc.source).
  void match_in_place(const MatchDoc& doc, int source);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace signalkit

#endif  // SIGNALKIT_MATCHER_H_
