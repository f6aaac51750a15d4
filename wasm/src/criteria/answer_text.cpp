// Parsing research answers given as text: numbers, percentages, currency amounts,
// booleans and lists. The accepted forms are listed in signalkit/criteria.h.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "common/utf8.h"
#include "common/whitespace.h"
#include "signalkit/criteria.h"

namespace signalkit {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// A cursor over lower-cased text.
struct Cursor {
  std::string_view s;
  size_t i = 0;
  bool done() const { return i >= s.size(); }
  void skip_space() {
    while (i < s.size()) {
      size_t n = whitespace::ecma_space_at(s, i);
      if (!n) break;
      i += n;
    }
  }
  bool at_word_end(size_t j) const { return j >= s.size() || !is_alpha(s[j]); }
  // Consumes `w` when it is next (and, for words ending in a letter, not followed by
  // another letter).
  bool eat(std::string_view w, bool whole_word = true) {
    if (s.substr(i, w.size()) != w) return false;
    if (whole_word && is_alpha(w.back()) && !at_word_end(i + w.size())) return false;
    i += w.size();
    return true;
  }
  bool eat_sign(bool* negative) {
    if (eat("-", false)) { *negative = true; return true; }
    if (eat("\xE2\x88\x92", false)) { *negative = true; return true; }  // U+2212 minus
    if (eat("+", false)) return true;
    return false;
  }
};

struct Currency {
  const char* text;
  const char* code;
};
// Symbols before the amount; longer ones first so "us$" wins over "$".
constexpr Currency kSymbols[] = {
    {"us$", "USD"}, {"c$", "CAD"}, {"a$", "AUD"}, {"$", "USD"},
    {"\xE2\x82\xAC", "EUR"}, {"\xC2\xA3", "GBP"}, {"\xC2\xA5", "JPY"}, {"\xE2\x82\xB9", "INR"},
};
constexpr const char* kIsoCodes[] = {
    "usd", "eur", "gbp", "jpy", "cny", "inr", "cad", "aud", "chf", "sek", "nok", "dkk",
    "nzd", "sgd", "hkd", "krw", "brl", "mxn", "zar", "pln", "czk", "huf", "ils", "aed",
    "sar", "try", "rub", "idr", "thb", "myr", "php", "twd",
};
constexpr Currency kWords[] = {
    {"dollars", "USD"}, {"dollar", "USD"}, {"euros", "EUR"}, {"euro", "EUR"},
    {"pounds", "GBP"}, {"pound", "GBP"}, {"yen", "JPY"}, {"rupees", "INR"},
    {"rupee", "INR"}, {"yuan", "CNY"}, {"francs", "CHF"}, {"franc", "CHF"},
};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

bool eat_iso(Cursor* c, std::string* code) {
  for (const char* iso : kIsoCodes)
    if (c->eat(iso)) { *code = upper(iso); return true; }
  return false;
}

bool eat_symbol(Cursor* c, std::string* code) {
  for (const auto& sym : kSymbols)
    if (c->eat(sym.text, false)) { *code = sym.code; return true; }
  return false;
}

struct Magnitude {
  const char* text;
  double factor;
};
// Longest first; each must end at a non-letter.
constexpr Magnitude kMagnitudes[] = {
    {"thousand", 1e3}, {"millions", 1e6}, {"million", 1e6}, {"billions", 1e9},
    {"billion", 1e9}, {"trillions", 1e12}, {"trillion", 1e12}, {"mm", 1e6}, {"mn", 1e6},
    {"bn", 1e9}, {"tn", 1e12}, {"k", 1e3}, {"m", 1e6}, {"b", 1e9}, {"t", 1e12},
};

const char* what_of(NumberKind kind) {
  switch (kind) {
    case NumberKind::kPercentage: return "a percentage";
    case NumberKind::kCurrency: return "a currency amount";
    default: return "a number";
  }
}
const char* examples_of(NumberKind kind) {
  switch (kind) {
    case NumberKind::kPercentage: return "\"45%\", \"45 percent\" or \"45\"";
    case NumberKind::kCurrency: return "\"$1.2M\", \"USD 1,200,000\" or \"1.2 million euros\"";
    default: return "\"1,234.5\", \"1.2k\", \"12 million\", \"~500\" or \"500+\"";
  }
}

// Quotes (the first 40 code points of) the text for a reason message.
std::string quote(std::string_view text) {
  std::string q = "\"";
  const size_t shown = utf8::prefix_bytes(text, 40);
  for (size_t i = 0; i < shown; ++i) {
    unsigned char c = text[i];
    if (c == '"' || c == '\\') q += '\\';
    if (c < 0x20) { q += ' '; continue; }
    q += static_cast<char>(c);
  }
  if (shown < text.size()) q += "…";
  q += '"';
  return q;
}

}  // namespace

std::string_view trim_answer_text(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e) {
    size_t n = whitespace::ecma_space_at(s, b);
    if (!n) break;
    b += n;
  }
  while (e > b) {
    size_t n = whitespace::ecma_space_before(s, e);
    if (!n) break;
    e -= n;
  }
  return s.substr(b, e - b);
}

bool parse_number_answer(std::string_view text, NumberKind kind, double* value,
                         std::string* currency, std::string* reason) {
  std::string_view t = trim_answer_text(text);
  if (currency) currency->clear();
  auto fail = [&](const std::string& why) {
    if (reason) *reason = why;
    return false;
  };
  if (t.empty()) return fail(std::string("the answer is empty, not ") + what_of(kind));
  if (t.size() > kMaxNumberTextBytes)
    return fail(std::string("the answer is ") + std::to_string(t.size()) +
                " bytes long, too long to be " + what_of(kind));
  // Fast path: a plain integer of up to 15 digits ("42", "-7") is exact in a double.
  {
    size_t i = t[0] == '-' ? 1 : 0;
    if (t.size() > i && t.size() - i <= 15) {
      double v = 0;
      size_t j = i;
      for (; j < t.size() && is_digit(t[j]); ++j) v = v * 10 + (t[j] - '0');
      if (j == t.size()) {
        *value = i && v != 0 ? -v : v;
        return true;
      }
    }
  }
  char low[kMaxNumberTextBytes];  // t.size() ≤ kMaxNumberTextBytes was checked above
  for (size_t k = 0; k < t.size(); ++k) low[k] = lower(t[k]);
  Cursor c{std::string_view(low, t.size())};
  auto not_a = [&](const char* detail) {
    std::string why = quote(t) + " is not " + what_of(kind);
    if (detail && *detail) why += std::string(" (") + detail + ")";
    why += "; expected a form such as ";
    why += examples_of(kind);
    return fail(why);
  };

  // Approximation words carry no meaning for the value.
  if (c.eat("~", false) || c.eat("\xE2\x89\x88", false)) {
    c.skip_space();
  } else if (is_alpha(c.s[0])) {
    for (const char* w : {"approximately", "approx.", "approx", "about", "around", "roughly",
                          "circa", "ca."}) {
      size_t save = c.i;
      if (c.eat(w, std::string_view(w).back() != '.')) {
        size_t before = c.i;
        c.skip_space();
        if (c.i == before) { c.i = save; continue; }  // "abouts"… must be a separate word
        break;
      }
    }
  }
  bool negative = false, have_sign = c.eat_sign(&negative);
  c.skip_space();
  std::string code;
  bool prefix_currency = false;
  if (kind == NumberKind::kCurrency) {
    if (eat_symbol(&c, &code)) {
      prefix_currency = true;
    } else {
      size_t save = c.i;
      if (eat_iso(&c, &code)) prefix_currency = true; else c.i = save;
    }
    if (prefix_currency) {
      c.skip_space();
      if (!have_sign) have_sign = c.eat_sign(&negative);
      c.skip_space();
    }
  }

  // Digits, with "," thousands groups of exactly three.
  std::string digits;
  size_t start = c.i;
  size_t group = 0;
  bool any_digit = false, grouped = false;
  while (!c.done()) {
    char ch = c.s[c.i];
    if (is_digit(ch)) {
      digits += ch;
      ++group;
      any_digit = true;
      ++c.i;
    } else if (ch == ',' && any_digit && c.i + 1 < c.s.size() && is_digit(c.s[c.i + 1])) {
      if ((!grouped && group > 3) || (grouped && group != 3))
        return not_a("',' is only a thousands separator, between groups of three digits");
      grouped = true;
      group = 0;
      ++c.i;
    } else {
      break;
    }
  }
  if (grouped && group != 3)
    return not_a("',' is only a thousands separator, between groups of three digits");
  if (!c.done() && c.s[c.i] == '.' && c.i + 1 < c.s.size() && is_digit(c.s[c.i + 1])) {
    digits += '.';
    ++c.i;
    while (!c.done() && is_digit(c.s[c.i])) digits += c.s[c.i++];
    any_digit = true;
  } else if (!c.done() && c.s[c.i] == '.' && any_digit) {
    ++c.i;  // "12." is 12
  }
  if (!any_digit) return not_a(c.i == start && c.done() ? "no digits" : "");
  // Exponent only when digits follow ("1.2e6"), so "1.2 euros" stays a currency word.
  if (!c.done() && c.s[c.i] == 'e') {
    size_t j = c.i + 1;
    if (j < c.s.size() && (c.s[j] == '+' || c.s[j] == '-')) ++j;
    if (j < c.s.size() && is_digit(c.s[j])) {
      digits += 'e';
      digits.append(c.s.substr(c.i + 1, j - c.i - 1));
      c.i = j;
      size_t exp_digits = 0;
      while (!c.done() && is_digit(c.s[c.i])) {
        if (++exp_digits <= 6) digits += c.s[c.i];
        ++c.i;
      }
    }
  }
  double v;
  // Clinger's fast path: up to 15 significant digits and no exponent is an exact integer
  // divided by an exact power of ten, which IEEE division rounds correctly. strtod is
  // several times slower in WebAssembly and only needed beyond that.
  static const double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
                                  1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  size_t ndigits = 0, frac = 0;
  bool simple = true, in_frac = false;
  double mantissa = 0;
  for (char ch : digits) {
    if (ch == '.') { in_frac = true; continue; }
    if (!is_digit(ch)) { simple = false; break; }
    if (ndigits == 0 && ch == '0' && !in_frac) { continue; }  // leading zeros
    mantissa = mantissa * 10 + (ch - '0');
    ++ndigits;
    if (in_frac) ++frac;
  }
  if (simple && ndigits <= 15 && frac <= 15) {
    v = mantissa / kPow10[frac];
  } else {
    v = std::strtod(digits.c_str(), nullptr);
  }

  c.skip_space();
  for (const auto& m : kMagnitudes) {
    if (c.done() || !is_alpha(c.s[c.i])) break;
    if (c.eat(m.text)) {
      v *= m.factor;
      break;
    }
  }
  c.skip_space();
  bool plus = c.eat("+", false);
  c.skip_space();
  if (kind == NumberKind::kPercentage) {
    if (c.eat("%", false) || c.eat("percent") || c.eat("per cent") || c.eat("pct")) c.skip_space();
  } else if (kind == NumberKind::kCurrency) {
    std::string suffix;
    size_t save = c.i;
    bool got = eat_iso(&c, &suffix) || eat_symbol(&c, &suffix);
    if (!got) {
      c.i = save;
      for (const auto& w : kWords)
        if (c.eat(w.text)) { suffix = w.code; got = true; break; }
    }
    if (got) {
      if (prefix_currency && suffix != code)
        return not_a("it names two different currencies");
      code = suffix;
      c.skip_space();
    }
  }
  if (!plus && c.eat("+", false)) c.skip_space();
  if (!c.done()) {
    if (kind != NumberKind::kPercentage && c.s[c.i] == '%') return not_a("a percentage sign");
    if (kind == NumberKind::kNumber && !c.done()) {
      std::string probe;
      Cursor d = c;
      if (eat_symbol(&d, &probe) || eat_iso(&d, &probe)) return not_a("a currency");
    }
    return not_a("unexpected text after the number");
  }
  if (negative) v = -v;
  if (!std::isfinite(v)) return not_a("the value is too large");
  if (v == 0) v = 0;  // no "-0" in results
  *value = v;
  if (currency) *currency = code;
  return true;
}

bool parse_boolean_answer(std::string_view text, bool* value, std::string* reason) {
  std::string_view t = trim_answer_text(text);
  if (t.size() <= 7) {
    std::string low(t);
    for (char& ch : low) ch = lower(ch);
    if (!low.empty() && (low.back() == '.' || low.back() == '!')) low.pop_back();
    if (low == "true" || low == "yes") { *value = true; return true; }
    if (low == "false" || low == "no") { *value = false; return true; }
  }
  if (reason)
    *reason = quote(t) + " is not a boolean; expected true, false, yes or no (any case)";
  return false;
}

void split_list_answer(std::string_view text, std::vector<std::string_view>* items) {
  size_t b = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ',' || text[i] == ';' || text[i] == '\n' ||
        text[i] == '\r') {
      std::string_view item = trim_answer_text(text.substr(b, i - b));
      if (!item.empty()) items->push_back(item);
      b = i + 1;
    }
  }
}

}  // namespace signalkit
