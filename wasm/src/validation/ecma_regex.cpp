#include "validation/ecma_regex.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <utility>

#include "common/whitespace.h"
#include "re2/prog.h"
#include "re2/regexp.h"
#include "re2/unicode_groups.h"
#include "signalkit/limits.h"

namespace signalkit::schema_internal {

void ProgDeleter::operator()(re2::Prog* p) const { delete p; }

namespace {

// Costs in units of ~25 ns of the wasm build, measured with bench/schema.js (see
// ecma_regex.h): reading a pattern (translation and RE2's parse), compiling it, matching.
constexpr uint64_t kParseUnitsPerByte = 4;    // per byte of the RE2 spelling
constexpr uint64_t kParseUnitsPerRange = 40;  // per range put into a character class
constexpr uint64_t kCompileBase = 600;        // a program, its byte map and flattening
constexpr uint64_t kCompileUnitsPerInstruction = 36;
constexpr uint64_t kOptionalCopiesPerUnit = 1;  // ... plus (optional copies x instructions) / this
constexpr uint64_t kMatchBase = 8;              // a search, before its first byte
constexpr uint64_t kDfaUnitsPer64Bytes = 8;     // the DFA, per 64 bytes, plus for building states:
constexpr uint64_t kDfaInstructionsPerUnit = 16;  // per byte, the program's size / this
constexpr uint64_t kNfaUnitsPerInstructionByte = 2;

// Reads an ECMAScript \uXXXX (a surrogate pair as one code point) or \u{X...} escape
// at src[i] == '\\'; returns its length in bytes, or 0.
size_t ecma_u_escape(std::string_view src, size_t i, uint32_t* cp) {
  auto hex4 = [&](size_t at, uint32_t* out) {
    if (at + 6 > src.size() || src[at] != '\\' || src[at + 1] != 'u') return false;
    uint32_t v = 0;
    for (size_t k = at + 2; k < at + 6; ++k) {
      char c = src[k];
      int h = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (h < 0) return false;
      v = v << 4 | static_cast<uint32_t>(h);
    }
    *out = v;
    return true;
  };
  if (i + 2 < src.size() && src[i + 2] == '{') {
    size_t close = src.find('}', i + 3);
    if (close == std::string_view::npos || close == i + 3 || close - (i + 3) > 6) return 0;
    uint32_t v = 0;
    for (size_t k = i + 3; k < close; ++k) {
      char c = src[k];
      int h = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (h < 0) return 0;
      v = v << 4 | static_cast<uint32_t>(h);
    }
    if (v > 0x10FFFF) return 0;
    *cp = v;
    return close + 1 - i;
  }
  uint32_t hi, lo;
  if (!hex4(i, &hi)) return 0;
  if (hi >= 0xD800 && hi <= 0xDBFF && hex4(i + 6, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
    *cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
    return 12;
  }
  *cp = hi;
  return 6;
}

// ECMAScript's \s as the body of an RE2 class (RE2's \s is only [\t\n\f\r ]), from the
// one white-space table: "\t\n\x0B\f\r\x20\x{A0}\x{1680}\x{2000}-\x{200A}...".
const std::string& ecma_space_class() {
  static const std::string body = [] {
    static const char* const kAscii[] = {"\\t", "\\n", "\\x0B", "\\f", "\\r"};  // U+0009–U+000D
    std::string s;
    char buf[32];
    for (const auto& r : whitespace::kRanges) {
      if (!r.ecma) continue;
      for (uint32_t cp = r.first; cp <= r.last && cp < 0x80; ++cp)
        s += cp >= 0x09 && cp <= 0x0D ? std::string(kAscii[cp - 0x09]) : "\\x20";
      if (r.first < 0x80) continue;
      if (r.first == r.last) std::snprintf(buf, sizeof buf, "\\x{%X}", static_cast<unsigned>(r.first));
      else std::snprintf(buf, sizeof buf, "\\x{%X}-\\x{%X}", static_cast<unsigned>(r.first), static_cast<unsigned>(r.last));
      s += buf;
    }
    return s;
  }();
  return body;
}


int hex_digit(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

// ECMAScript's \p{...} names (General_Category long and short names, Script=..., a few
// binary properties) in RE2's spelling; nullptr for a name RE2 has no class for.
const char* property_for_re2(std::string_view name, std::string* scratch) {
  static const char* const kCategories[][2] = {
      {"Letter", "L"}, {"Uppercase_Letter", "Lu"}, {"Lowercase_Letter", "Ll"}, {"Titlecase_Letter", "Lt"},
      {"Modifier_Letter", "Lm"}, {"Other_Letter", "Lo"}, {"Mark", "M"}, {"Combining_Mark", "M"},
      {"Nonspacing_Mark", "Mn"}, {"Spacing_Mark", "Mc"}, {"Enclosing_Mark", "Me"}, {"Number", "N"},
      {"Decimal_Number", "Nd"}, {"digit", "Nd"}, {"Letter_Number", "Nl"}, {"Other_Number", "No"},
      {"Punctuation", "P"}, {"punct", "P"}, {"Connector_Punctuation", "Pc"}, {"Dash_Punctuation", "Pd"},
      {"Open_Punctuation", "Ps"}, {"Close_Punctuation", "Pe"}, {"Initial_Punctuation", "Pi"},
      {"Final_Punctuation", "Pf"}, {"Other_Punctuation", "Po"}, {"Symbol", "S"}, {"Math_Symbol", "Sm"},
      {"Currency_Symbol", "Sc"}, {"Modifier_Symbol", "Sk"}, {"Other_Symbol", "So"}, {"Separator", "Z"},
      {"Space_Separator", "Zs"}, {"Line_Separator", "Zl"}, {"Paragraph_Separator", "Zp"}, {"Other", "C"},
      {"Control", "Cc"}, {"cntrl", "Cc"}, {"Format", "Cf"}, {"Surrogate", "Cs"}, {"Private_Use", "Co"},
      {"Any", "Any"}};
  auto category = [&](std::string_view v) -> const char* {
    for (const auto& c : kCategories)
      if (v == c[0] || v == c[1]) return c[1];
    return nullptr;
  };
  size_t eq = name.find('=');
  if (eq == std::string_view::npos) return category(name);
  std::string_view key = name.substr(0, eq), value = name.substr(eq + 1);
  if (key == "General_Category" || key == "gc") return category(value);
  if (key == "Script" || key == "sc" || key == "Script_Extensions" || key == "scx") {
    // RE2 knows scripts by their long names (Greek, Latin, Han, ...).
    for (char ch : value)
      if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_')) return nullptr;
    if (value.empty()) return nullptr;
    *scratch = std::string(value);
    return scratch->c_str();
  }
  return nullptr;
}

// One pass over an ECMAScript pattern (`u` flag): checks its syntax and writes the RE2
// spelling. RE2 lacks some spellings of things it supports (\uXXXX, \u{...}, \cX, \0,
// (?<name>...)), and some classes mean more in ECMAScript: \s/\S (Unicode spaces), `.`
// (excludes \r, U+2028 and U+2029 too), `[` inside a class (a literal), `[]` and `[^]`.
// What RE2 cannot run (lookaround, backreferences) is kUnsupported; what ECMAScript does
// not allow (Python and PCRE groups, inline flags, \a, \Z, a lone brace, ...) is kSyntax.
class Translator {
 public:
  // Stops with kTooComplex once reading the pattern would cost more than `max_units`.
  Translator(std::string_view src, uint64_t max_units) : src_(src), max_units_(max_units) {
    out_.reserve(std::min<size_t>(src.size() + 16, 1 << 16));
  }

  bool run() {
    while (i_ < src_.size() && error_ == RegexError::kNone) {
      if (in_class_) class_char();
      else outside_char();
      if (units() > max_units_) return fail(RegexError::kTooComplex, "reading it");
    }
    if (error_ != RegexError::kNone) return false;
    if (in_class_) return syntax("a character class is missing its closing ]");
    if (depth_ > 0) return syntax("a group is missing its closing )");
    return true;
  }
  std::string& out() { return out_; }
  RegexError error() const { return error_; }
  std::string& message() { return message_; }
  // What translating and parsing cost: RE2's parse builds each character class range by
  // range (~1 us a range in wasm), which dominates for \p{...}, \s, \S and `.`.
  uint64_t units() const { return 1 + out_.size() * kParseUnitsPerByte + ranges_ * kParseUnitsPerRange; }

 private:
  bool syntax(std::string what) { return fail(RegexError::kSyntax, std::move(what)); }
  bool fail(RegexError e, std::string what) {
    if (error_ == RegexError::kNone) {
      error_ = e;
      message_ = std::move(what);
    }
    return false;
  }
  char peek(size_t ahead = 0) const { return i_ + ahead < src_.size() ? src_[i_ + ahead] : '\0'; }
  bool at(std::string_view s) const { return src_.substr(i_, s.size()) == s; }

  void copy_char() {  // one UTF-8 character, as is
    size_t len = 1;
    while (i_ + len < src_.size() && (static_cast<uint8_t>(src_[i_ + len]) & 0xC0) == 0x80) ++len;
    out_.append(src_.substr(i_, len));
    i_ += len;
  }

  void outside_char() {
    char c = src_[i_];
    switch (c) {
      case '\\': can_repeat_ = escape(false); return;
      case '[':
        ++i_;
        in_class_ = true;
        ranges_ += 2;
        if (peek() == '^' && peek(1) == ']') {  // [^]: any character at all
          out_ += "[\\x{0}-\\x{10FFFF}]";
          i_ += 2;
          in_class_ = false;
          can_repeat_ = true;
        } else if (peek() == ']') {  // []: no character
          out_ += "[^\\x{0}-\\x{10FFFF}]";
          ++i_;
          in_class_ = false;
          can_repeat_ = true;
        } else {
          out_.push_back('[');
          if (peek() == '^') {
            out_.push_back('^');
            ++i_;
          }
        }
        return;
      case '(':
        group();
        return;
      case ')':
        if (depth_ == 0) return (void)syntax("a ) has no group to close");
        --depth_;
        out_.push_back(')');
        ++i_;
        can_repeat_ = true;
        return;
      case '*': case '+': case '?':
        if (!can_repeat_) return (void)syntax(std::string("the quantifier ") + c + " has nothing to repeat");
        out_.push_back(c);
        ++i_;
        lazy();
        return;
      case '{':
        quantifier();
        return;
      case '}': return (void)syntax("a } is not part of a quantifier (write \\} for the character)");
      case ']': return (void)syntax("a ] has no [ to close (write \\] for the character)");
      case '.':
        ranges_ += 5;
        out_ += "[^\\n\\r\\x{2028}\\x{2029}]";
        ++i_;
        can_repeat_ = true;
        return;
      case '^': case '$': case '|':
        if (c == '|') ranges_ += 3;  // RE2 merges alternatives into classes
        out_.push_back(c);
        ++i_;
        can_repeat_ = false;
        return;
      default:
        copy_char();
        can_repeat_ = true;
    }
  }

  void lazy() {
    if (peek() == '?') {
      out_.push_back('?');
      ++i_;
    }
    can_repeat_ = false;
  }

  // {n}, {n,}, {n,m}: a brace that does not start one is an error with the `u` flag.
  void quantifier() {
    size_t j = i_ + 1;
    auto number = [&](std::string* digits) {
      size_t start = j;
      while (j < src_.size() && src_[j] >= '0' && src_[j] <= '9') ++j;
      *digits = std::string(src_.substr(start, j - start));
      return j > start;
    };
    std::string lo, hi;
    bool ok = number(&lo);
    bool comma = ok && j < src_.size() && src_[j] == ',';
    if (comma) {
      ++j;
      number(&hi);
    }
    ok = ok && j < src_.size() && src_[j] == '}';
    if (!ok) return (void)syntax("a { does not start a quantifier such as {2} or {1,5} (write \\{ for the character)");
    if (!can_repeat_) return (void)syntax("the quantifier " + std::string(src_.substr(i_, j + 1 - i_)) + " has nothing to repeat");
    auto value = [](const std::string& d) { return d.size() > 9 ? 1000000000.0 : std::stod(d); };
    if (!hi.empty() && value(lo) > value(hi)) return (void)syntax("the quantifier {" + lo + "," + hi + "} has its numbers out of order");
    out_.append(src_.substr(i_, j + 1 - i_));
    i_ = j + 1;
    lazy();
  }

  void group() {
    if (peek(1) != '?') {
      out_.push_back('(');
      ++i_;
    } else if (at("(?:")) {
      out_ += "(?:";
      i_ += 3;
    } else if (at("(?=") || at("(?!") || at("(?<=") || at("(?<!")) {
      return (void)fail(RegexError::kUnsupported, "lookaround ((?=, (?!, (?<= or (?<!)");
    } else if (at("(?<")) {
      size_t j = i_ + 3;
      while (j < src_.size() && src_[j] != '>') ++j;
      std::string_view name = src_.substr(i_ + 3, j - (i_ + 3));
      bool ok = j < src_.size() && !name.empty();
      for (size_t k = 0; ok && k < name.size(); ++k) {
        char ch = name[k];
        ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_' || ch == '$' ||
             (k > 0 && ch >= '0' && ch <= '9');
      }
      if (!ok) return (void)syntax("a named group needs a name such as (?<year>...)");
      out_ += "(?P<";
      out_.append(name);
      out_.push_back('>');
      i_ = j + 1;
    } else {
      return (void)syntax("(? followed by " + std::string(1, peek(2)) +
                          " is not ECMAScript: only (?:...), (?<name>...) and lookaround are "
                          "(inline flags, comments and Python-style groups are not)");
    }
    ++depth_;
    can_repeat_ = false;
  }

  // After a backslash, outside or inside a class. Returns whether the result may be
  // quantified (assertions may not).
  bool escape(bool in_class) {
    if (i_ + 1 >= src_.size()) return syntax("the pattern ends with a lone backslash");
    char e = src_[i_ + 1];
    auto emit = [&](const std::string& s, size_t len) {
      out_ += s;
      i_ += len;
      return true;
    };
    switch (e) {
      case 'd': case 'D': case 'w': case 'W': case 'f': case 'n': case 'r': case 't': case 'v':
        ranges_ += e == 'w' || e == 'W' ? 5 : 2;
        return emit(std::string("\\") + e, 2);
      case 's':
        ranges_ += space_ranges();
        return emit(in_class ? ecma_space_class() : "[" + ecma_space_class() + "]", 2);
      case 'S':
        ranges_ += space_ranges() + 1;
        // RE2 cannot put a negated class inside a class: [\S] stays RE2's ASCII \S.
        return emit(in_class ? std::string("\\S") : "[^" + ecma_space_class() + "]", 2);
      case 'b':
        if (in_class) return emit("\\x08", 2);
        emit("\\b", 2);
        return false;
      case 'B':
        if (in_class) return syntax("\\B is not allowed inside a character class");
        emit("\\B", 2);
        return false;
      case '-':
        if (!in_class) return syntax("\\- is only an escape inside a character class");
        return emit("\\-", 2);
      case 'c': {
        char l = peek(2);
        if (!((l >= 'a' && l <= 'z') || (l >= 'A' && l <= 'Z'))) return syntax("\\c must be followed by a letter");
        char buf[16];
        std::snprintf(buf, sizeof buf, "\\x{%X}", static_cast<unsigned>(l % 32));
        return emit(buf, 3);
      }
      case '0':
        if (peek(2) >= '0' && peek(2) <= '9') return syntax("octal escapes such as \\01 are not ECMAScript (with the u flag)");
        return emit("\\x{0}", 2);
      case 'x':
        if (hex_digit(peek(2)) < 0 || hex_digit(peek(3)) < 0) return syntax("\\x must be followed by two hex digits");
        return emit("\\x" + std::string(src_.substr(i_ + 2, 2)), 4);
      case 'u': {
        uint32_t cp;
        size_t len = ecma_u_escape(src_, i_, &cp);
        if (len == 0) return syntax("\\u must be followed by four hex digits or {hex digits}");
        char buf[16];
        std::snprintf(buf, sizeof buf, "\\x{%X}", static_cast<unsigned>(cp));
        return emit(buf, len);
      }
      case 'p': case 'P': {
        size_t close = src_.find('}', i_ + 3);
        if (peek(2) != '{' || close == std::string_view::npos) return syntax("\\p must be followed by {property}");
        std::string scratch;
        const char* name = property_for_re2(src_.substr(i_ + 3, close - (i_ + 3)), &scratch);
        if (!name)
          return fail(RegexError::kUnsupported, "the Unicode property \\p{" + std::string(src_.substr(i_ + 3, close - (i_ + 3))) +
                                                    "} (general categories and scripts are supported)");
        ranges_ += group_ranges(name) + 1;
        return emit(std::string("\\") + e + "{" + name + "}", close + 1 - i_);
      }
      case 'k':
        return fail(RegexError::kUnsupported, "a named backreference (\\k<name>)");
      default:
        break;
    }
    if (e >= '1' && e <= '9') {
      if (in_class) return syntax("\\" + std::string(1, e) + " is not an escape inside a character class");
      return fail(RegexError::kUnsupported, "a backreference (\\" + std::string(1, e) + ")");
    }
    static constexpr std::string_view kSyntaxChars = "^$\\.*+?()[]{}|/";
    if (kSyntaxChars.find(e) != std::string_view::npos) return emit(std::string("\\") + e, 2);
    return syntax("\\" + std::string(1, e) + " is not an ECMAScript escape");
  }

  void class_char() {
    char c = src_[i_];
    if (c == ']') {
      out_.push_back(']');
      ++i_;
      in_class_ = false;
      can_repeat_ = true;
    } else if (c == '\\') {
      escape(true);
    } else if (c == '[') {  // a literal in ECMAScript, a POSIX class opener in RE2
      out_ += "\\[";
      ++i_;
    } else {
      ++ranges_;
      copy_char();
    }
  }

  static uint64_t space_ranges() {
    static const uint64_t n = [] {
      uint64_t k = 0;
      for (const auto& r : whitespace::kRanges) k += r.ecma;
      return k;
    }();
    return n;
  }

  // How many ranges RE2's class for \p{name} has (its Unicode tables).
  static uint64_t group_ranges(const char* name) {
    for (int g = 0; g < re2::num_unicode_groups; ++g)
      if (std::strcmp(re2::unicode_groups[g].name, name) == 0)
        return static_cast<uint64_t>(re2::unicode_groups[g].nr16 + re2::unicode_groups[g].nr32);
    return 1;  // "Any"
  }

  std::string_view src_;
  uint64_t max_units_;
  uint64_t ranges_ = 0;
  size_t i_ = 0;
  std::string out_;
  RegexError error_ = RegexError::kNone;
  std::string message_;
  bool in_class_ = false;
  bool can_repeat_ = false;
  int depth_ = 0;
};

// What compiling a parsed pattern will cost RE2, from its parse tree (read before RE2
// expands counted repetitions, which is where the cost hides): `instructions` estimates
// the program size; `optional` counts the optional copies that x{n,m} expands into
// (m - n per repetition, times enclosing repetitions). RE2's compile time grows with
// their product: each optional copy adds an empty path across the program (measured in
// bench/schema.js: ^[a-z]{0,1000}$ ~2 ms, four of them in a row ~60 ms).
struct Estimate {
  uint64_t instructions = 0;
  uint64_t optional = 0;
};

constexpr uint64_t kSaturate = uint64_t{1} << 40;
uint64_t sat_add(uint64_t a, uint64_t b) { return std::min(kSaturate, a + b); }
uint64_t sat_mul(uint64_t a, uint64_t b) { return (b != 0 && a > kSaturate / b) ? kSaturate : std::min(kSaturate, a * b); }

uint64_t estimate(re2::Regexp* re, uint64_t outer, Estimate* e, int depth) {
  if (depth > 2000) return kSaturate;  // RE2 limits nesting to 1,000
  switch (re->op()) {
    case re2::kRegexpLiteral: return 2;
    case re2::kRegexpLiteralString: return sat_mul(2, static_cast<uint64_t>(re->nrunes()));
    case re2::kRegexpAnyChar:
    case re2::kRegexpAnyByte: return 8;
    case re2::kRegexpCharClass: {
      uint64_t ranges = 0;
      for (auto it = re->cc()->begin(); it != re->cc()->end(); ++it) ++ranges;
      return sat_add(1, sat_mul(10, ranges));  // UTF-8 sequences per range
    }
    case re2::kRegexpConcat:
    case re2::kRegexpAlternate: {
      uint64_t sum = re->op() == re2::kRegexpAlternate ? static_cast<uint64_t>(re->nsub()) : 0;
      for (int k = 0; k < re->nsub(); ++k) sum = sat_add(sum, estimate(re->sub()[k], outer, e, depth + 1));
      return sum;
    }
    case re2::kRegexpStar:
    case re2::kRegexpPlus:
    case re2::kRegexpQuest:
    case re2::kRegexpCapture:
      e->optional = sat_add(e->optional, re->op() == re2::kRegexpCapture ? 0 : outer);
      return sat_add(2, estimate(re->sub()[0], outer, e, depth + 1));
    case re2::kRegexpRepeat: {
      const uint64_t lo = static_cast<uint64_t>(re->min());
      const uint64_t copies = re->max() < 0 ? lo + 1 : static_cast<uint64_t>(re->max());
      const uint64_t optional = re->max() < 0 ? 1 : copies - lo;
      e->optional = sat_add(e->optional, sat_mul(outer, optional));
      uint64_t sub = estimate(re->sub()[0], sat_mul(outer, std::max<uint64_t>(copies, 1)), e, depth + 1);
      return sat_add(sat_mul(sub, std::max<uint64_t>(copies, 1)), optional + 2);
    }
    default: return 1;
  }
}

// Every pattern's RE2 gets its own memory limit: its program plus a DFA cache. The
// schema's total (Impl::memory) is what the schema cache counts.
constexpr size_t kPatternBaseMemory = 32 << 10;
constexpr size_t kPatternMemoryPerInstruction = 64;

std::string describe_work(uint64_t w) {
  std::string s = std::to_string(w);
  for (int k = static_cast<int>(s.size()) - 3; k > 0; k -= 3) s.insert(static_cast<size_t>(k), ",");
  return s;
}

}  // namespace

RegexError check_ecma_regex(std::string_view src, uint64_t work_left, uint64_t* work) {
  Translator t(src, work_left);
  const bool translated = t.run();
  *work = std::min(t.units(), work_left);
  if (!translated) {
    if (t.error() == RegexError::kUnsupported) return RegexError::kNone;  // valid ECMAScript RE2 cannot run
    return t.error();
  }
  RE2::Options o;
  o.set_log_errors(false);
  re2::RegexpStatus status;
  re2::Regexp* re = re2::Regexp::Parse(t.out(), static_cast<re2::Regexp::ParseFlags>(o.ParseFlags()), &status);
  if (!re) return status.code() == re2::kRegexpRepeatSize ? RegexError::kNone : RegexError::kSyntax;  // {1001}: ECMAScript has no such limit
  re->Decref();
  return RegexError::kNone;
}

CompiledRegex compile_regex(std::string_view ecma_src, uint64_t work_left) {
  CompiledRegex out;
  Translator t(ecma_src, work_left);
  const bool translated = t.run();
  out.work = std::min(t.units(), work_left);
  if (!translated) {
    out.error = t.error();
    out.message = t.error() == RegexError::kTooComplex
                      ? "reading it takes more than the " + describe_work(work_left) + " units of work the schema has left of its " +
                            describe_work(kMaxSchemaCompileWork)
                      : std::move(t.message());
    return out;
  }
  RE2::Options o;
  o.set_log_errors(false);
  o.set_encoding(RE2::Options::EncodingUTF8);
  re2::RegexpStatus status;
  re2::Regexp* parsed = re2::Regexp::Parse(t.out(), static_cast<re2::Regexp::ParseFlags>(o.ParseFlags()), &status);
  if (!parsed) {
    const bool too_big = status.code() == re2::kRegexpRepeatSize;
    out.error = too_big ? RegexError::kTooComplex : RegexError::kSyntax;
    out.message = too_big ? "a counted repetition over 1,000 (RE2's limit; use maxLength for lengths)" : status.Text();
    return out;
  }
  Estimate e;
  const uint64_t instructions = estimate(parsed, 1, &e, 0);
  const uint64_t compile = sat_add(kCompileBase, sat_add(sat_mul(kCompileUnitsPerInstruction, instructions),
                                                         sat_mul(e.optional, instructions) / kOptionalCopiesPerUnit));
  if (instructions > kMaxPatternProgram || sat_add(out.work, compile) > work_left) {
    // Refused before RE2 compiles anything: only the parse and the estimate were done.
    parsed->Decref();
    out.error = RegexError::kTooComplex;
    out.message = instructions > kMaxPatternProgram
                      ? "it would compile to about " + describe_work(instructions) + " instructions; the limit is " +
                            describe_work(kMaxPatternProgram)
                      : "compiling it takes about " + describe_work(sat_add(out.work, compile)) +
                            " units of work and the schema has " + describe_work(work_left) + " left of its " +
                            describe_work(kMaxSchemaCompileWork);
    return out;
  }
  out.work += compile;
  out.memory = kPatternBaseMemory + static_cast<size_t>(instructions) * kPatternMemoryPerInstruction;
  // The program is compiled from the parse above (RE2's own constructor would parse again
  // and also build a one-pass table and a prefix matcher the engine does not use).
  out.prog = ProgPtr(parsed->CompileToProg(static_cast<int64_t>(out.memory)));
  parsed->Decref();
  if (!out.prog) {
    out.error = RegexError::kTooComplex;
    out.message = "its RE2 program is over the pattern's memory limit";
  }
  return out;
}

RegexSearch search_regex(re2::Prog& prog, std::string_view text, uint64_t work_left) {
  RegexSearch r;
  const uint64_t size = static_cast<uint64_t>(prog.size());
  const re2::StringPiece sp(text.data(), text.size());
  r.work = sat_add(kMatchBase, sat_mul(text.size(), kDfaUnitsPer64Bytes + 64 * size / kDfaInstructionsPerUnit) / 64);
  if (r.work > work_left) {
    r.too_complex = true;
    return r;
  }
  bool failed = false;
  r.bytes = text.size();
  r.matched = prog.SearchDFA(sp, sp, re2::Prog::kUnanchored, re2::Prog::kFirstMatch, nullptr, &failed, nullptr);
  if (!failed) return r;
  // The DFA gave up (its state cache thrashed): RE2's NFA, which steps every live
  // instruction for every byte.
  r.work = sat_add(r.work, sat_mul(sat_mul(text.size() + 1, size), kNfaUnitsPerInstructionByte));
  if (r.work > work_left) {
    r.too_complex = true;
    return r;
  }
  r.bytes += text.size();
  r.matched = prog.SearchNFA(sp, sp, re2::Prog::kUnanchored, re2::Prog::kFirstMatch, nullptr, 0);
  return r;
}

}  // namespace signalkit::schema_internal
