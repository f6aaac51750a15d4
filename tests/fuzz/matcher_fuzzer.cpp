// libFuzzer target for the keyword matcher over (keywords, text).
//
// Input layout: keywords separated by '\n' (the first byte's low bits choose how they are
// spread over types, disqualifiers, sources and keywords_extra), then NUL, the title, NUL,
// the text. Beyond "no crash, no sanitizer report, no hang", the fast matcher must give
// exactly the reference's result (wasm/src/matcher/reference.cpp), offsets must lie inside their
// field, and the batch form must agree with match(). Inputs starting with '[' or '{' are
// also compiled as types JSON (compile_json must answer with a matcher or issues).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "matcher/reference.h"
#include "signalkit/matcher.h"

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "matcher_fuzzer: %s\n", what);
  std::abort();
}

bool same_hit(const signalkit::KeywordHit& a, const signalkit::KeywordHit& b) {
  return a.keyword == b.keyword && a.field == b.field && a.start == b.start && a.end == b.end &&
         a.byte_start == b.byte_start && a.byte_end == b.byte_end && a.count == b.count;
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
  std::string_view title, text;
  if (z1 != std::string_view::npos) {
    std::string_view rest = in.substr(z1 + 1);
    size_t z2 = rest.find('\0');
    title = rest.substr(0, z2);
    if (z2 != std::string_view::npos) text = rest.substr(z2 + 1);
  }

  std::vector<signalkit::MatcherTypeSpec> types(1 + (mode & 1));
  size_t n = 0;
  for (size_t pos = 0; pos <= kw_text.size() && n < 40; ++n) {
    size_t nl = kw_text.find('\n', pos);
    std::string kw(kw_text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    pos = nl == std::string_view::npos ? kw_text.size() + 1 : nl + 1;
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
  const char* sources[] = {"news", "reddit", ""};
  for (const char* src : sources) {
    signalkit::MatchDoc doc{src, title, text};
    std::vector<signalkit::TypeResult> fast;
    m->match(doc, &fast);
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
        std::string_view field = a.hits[h].field == signalkit::MatchField::kTitle ? title : text;
        if (a.hits[h].byte_end > field.size() || a.hits[h].start > a.hits[h].end ||
            a.hits[h].end > field.size())  // a byte is never more than one UTF-16 unit
          fail("hit outside its field");
      }
      if (a.disqualified && !same_hit(a.disqualifier, b.disqualifier))
        fail("fast and reference disagree on the disqualifier");
    }
    // The batch form over the same document.
    std::string bytes = std::string(title) + std::string(text);
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
  }
  return 0;
}
