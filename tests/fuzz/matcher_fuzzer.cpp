// libFuzzer target for the keyword matcher: the automaton against the reference.
//
// Input layout: keywords separated by '\n' (the first byte's low bits choose how they are
// spread over types, disqualifiers, sources and keywords_extra), then NUL, the title, NUL,
// the text. Beyond "no crash, no sanitizer report, no hang", the matcher must give exactly
// the reference's result (wasm/src/matcher/reference.cpp), offsets must lie inside their
// field, and the batch form must agree with match(). Inputs starting with '[' or '{' are
// also compiled as types JSON (compile_json must answer with a matcher or issues).
//
// Structure-aware growth, so that small inputs reach the sizes where size-dependent bugs
// live (the ring of symbol offsets, counts, block ends, long words and separator runs):
// - a text of the form A "\xFE\xFF" r0 r1 B "\xFE\xFF" C is A + B x (r0 + 256 r1) + C;
// - a keyword line "\xFE" X becomes the chain X, XX, XXX, ... while it fits 200 code points
//   (at most 50), the prefix chains that made the head-word matcher quadratic.
// The text is cut where the reference (every keyword at every position, for each source
// tried) would cost more than kReferenceBudget comparisons, which keeps each run well under
// a second with the sanitizers on.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/utf8.h"
#include "matcher/reference.h"
#include "signalkit/limits.h"
#include "signalkit/matcher.h"

namespace {

constexpr size_t kReferenceBudget = size_t{4} << 20;
constexpr size_t kMaxGrownText = size_t{1} << 20;
constexpr std::string_view kRepeat = "\xFE\xFF";

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "matcher_fuzzer: %s\n", what);
  std::abort();
}

bool same_hit(const signalkit::KeywordHit& a, const signalkit::KeywordHit& b) {
  return a.keyword == b.keyword && a.field == b.field && a.start == b.start && a.end == b.end &&
         a.byte_start == b.byte_start && a.byte_end == b.byte_end && a.count == b.count;
}

// Keywords of one line: the line itself, or a chain.
void add_keywords(std::string_view line, std::vector<std::string>* out) {
  if (line.size() < 2 || line[0] != '\xFE') {
    out->emplace_back(line);
    return;
  }
  std::string_view unit = line.substr(1);
  const size_t unit_cps = signalkit::utf8::code_points(unit);
  std::string k;
  for (size_t n = 1; n <= 50 && n * unit_cps <= signalkit::kMatcherMaxKeywordChars; ++n) {
    k += unit;
    out->push_back(k);
  }
}

// The text, grown as the input asks, within `max_bytes`.
std::string grow_text(std::string_view text, size_t max_bytes) {
  size_t m1 = text.find(kRepeat);
  if (m1 == std::string_view::npos || m1 + 4 > text.size()) return std::string(text.substr(0, max_bytes));
  const size_t reps = static_cast<uint8_t>(text[m1 + 2]) + 256 * static_cast<uint8_t>(text[m1 + 3]);
  std::string_view rest = text.substr(m1 + 4);
  size_t m2 = rest.find(kRepeat);
  std::string_view body = rest.substr(0, m2);
  std::string_view tail = m2 == std::string_view::npos ? std::string_view() : rest.substr(m2 + 2);
  std::string out(text.substr(0, m1));
  for (size_t i = 0; i < reps && !body.empty() && out.size() + body.size() <= max_bytes; ++i) out += body;
  out += tail;
  if (out.size() > max_bytes) out.resize(max_bytes);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 16384) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);

  if (in[0] == '[' || in[0] == '{') {
    signalkit::Issues issues;
    auto m = signalkit::Matcher::compile_json(in, "", &issues);
    if (!m == issues.empty()) fail("compile_json: a matcher exactly when there are no issues");
    for (const auto& i : issues)
      if (i.code.empty() || i.message.empty()) fail("issue without code or message");
    if (m) {
      std::vector<signalkit::TypeResult> out;
      m->match({"news", "title", std::string(in)}, &out);
    }
    return 0;
  }

  uint8_t mode = data[0];
  in.remove_prefix(1);
  size_t z1 = in.find('\0');
  std::string_view kw_text = in.substr(0, z1);
  std::string_view title, raw_text;
  if (z1 != std::string_view::npos) {
    std::string_view rest = in.substr(z1 + 1);
    size_t z2 = rest.find('\0');
    title = rest.substr(0, z2);
    if (z2 != std::string_view::npos) raw_text = rest.substr(z2 + 1);
  }

  std::vector<std::string> keywords;
  for (size_t pos = 0; pos <= kw_text.size() && keywords.size() < 100;) {
    size_t nl = kw_text.find('\n', pos);
    add_keywords(kw_text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos), &keywords);
    pos = nl == std::string_view::npos ? kw_text.size() + 1 : nl + 1;
  }
  std::vector<signalkit::MatcherTypeSpec> types(1 + (mode & 1));
  size_t keyword_bytes = 0;
  for (size_t n = 0; n < keywords.size(); ++n) {
    const std::string& kw = keywords[n];
    keyword_bytes += kw.size() + 1;
    auto& t = types[n % types.size()];
    if ((mode & 2) && n % 3 == 2) t.disqualifiers.push_back(kw);
    else if ((mode & 4) && n % 4 == 3) t.source_settings.push_back({"reddit", true, {kw}});
    else t.keywords.push_back(kw);
  }
  if (mode & 8) { types[0].has_sources = true; types[0].sources = {"news"}; }
  if (mode & 16) types.back().enabled = false;
  signalkit::MatcherOptions options;
  options.include_disabled = mode & 32;
  options.snippet_radius = (mode >> 6) * 7;

  signalkit::Issues issues;
  auto m = signalkit::Matcher::compile(types, options, &issues);
  if (!m) {
    if (issues.empty()) fail("compile failed without issues");
    return 0;
  }
  const std::string text = grow_text(raw_text, std::min(kMaxGrownText, kReferenceBudget / keyword_bytes));
  title = title.substr(0, kReferenceBudget / keyword_bytes / 4);
  // Every source when that is affordable, else one.
  const bool big = (text.size() + title.size()) * keyword_bytes * 3 > kReferenceBudget;
  const char* sources[] = {"news", "reddit", ""};
  for (const char* src : sources) {
    signalkit::MatchDoc doc{src, title, text};
    std::vector<signalkit::TypeResult> fast;
    if (!m->match(doc, &fast)) fail("match refused a document within the limits");
    auto ref = signalkit::reference_match(types, options, doc);
    if (fast.size() != ref.size()) fail("fast and reference disagree on the matching types");
    for (size_t i = 0; i < fast.size(); ++i) {
      const auto &a = fast[i], &b = ref[i];
      if (a.type != b.type || a.matched != b.matched || a.disqualified != b.disqualified ||
          a.hits.size() != b.hits.size() || a.snippet_field != b.snippet_field ||
          a.snippet_start != b.snippet_start || a.snippet_end != b.snippet_end)
        fail("fast and reference disagree on a type");
      for (size_t h = 0; h < a.hits.size(); ++h) {
        if (!same_hit(a.hits[h], b.hits[h])) fail("fast and reference disagree on a hit");
        std::string_view field = a.hits[h].field == signalkit::MatchField::kTitle ? title : std::string_view(text);
        if (a.hits[h].byte_end > field.size() || a.hits[h].start > a.hits[h].end ||
            a.hits[h].end > field.size())  // a byte is never more than one UTF-16 unit
          fail("hit outside its field");
      }
      if (a.disqualified && !same_hit(a.disqualifier, b.disqualifier))
        fail("fast and reference disagree on the disqualifier");
    }
    // The batch form over the same document.
    std::string bytes = std::string(title) + text;
    int si = m->source_index(src);
    uint32_t row[5] = {si < 0 ? 0xFFFFFFFFu : static_cast<uint32_t>(si), 0,
                       static_cast<uint32_t>(title.size()), static_cast<uint32_t>(title.size()),
                       static_cast<uint32_t>(text.size())};
    std::vector<int32_t> out;
    if (m->match_batch(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), row, 0, 1, &out) != 1)
      fail("match_batch rejected a valid table");
    size_t k = 0, types_seen = 0;
    while (k < out.size()) {
      if (k + 12 > out.size() || out[k] != 0) fail("malformed batch record");
      const auto& r = fast[types_seen++];
      if (out[k + 1] != static_cast<int32_t>(r.type) || out[k + 3] != static_cast<int32_t>(r.hits.size()))
        fail("batch record differs from match()");
      k += 12 + 5 * static_cast<size_t>(out[k + 3]);
    }
    if (k != out.size() || types_seen != fast.size()) fail("batch records differ from match()");
    if (big) break;  // one source is enough for a large document
  }
  return 0;
}
