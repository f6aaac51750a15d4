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

namespace {

// The common forms of research numbers, read in one pass without lower-casing or a cursor:
// an optional "~", an optional "-", up to 15 digits with "," thousands groups of three and
// decimals ("42", "1,234", "1.25"), an optional magnitude letter k/m/b/t (any case) and
// an optional trailing "+". The value is what NumberReader computes for the same text
// (Clinger's fast path, then the magnitude, then the sign); anything else, including a
// text NumberReader would refuse, returns false and goes through NumberReader, which
// gives the answer or the reason.
bool read_simple_number(std::string_view t, double* value) {
  static const double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
                                  1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const size_t n = t.size();
  size_t i = 0;
  if (i < n && t[i] == '~') ++i;
  const bool negative = i < n && t[i] == '-';
  if (negative) ++i;
  double mantissa = 0;
  size_t digits = 0, group = 0, frac = 0;
  bool grouped = false;
  for (; i < n; ++i) {
    const char ch = t[i];
    if (is_digit(ch)) {
      mantissa = mantissa * 10 + (ch - '0');
      ++digits;
      ++group;
    } else if (ch == ',' && group > 0 && group <= 3 && (!grouped || group == 3)) {
      grouped = true;
      group = 0;
    } else {
      break;
    }
  }
  if (group == 0 || (grouped && group != 3)) return false;  // no digits, "1,", "1,23"
  if (i + 1 < n && t[i] == '.' && is_digit(t[i + 1])) {
    for (++i; i < n && is_digit(t[i]); ++i, ++frac) mantissa = mantissa * 10 + (t[i] - '0');
    digits += frac;
  }
  if (digits > 15) return false;
  double v = mantissa / kPow10[frac];
  if (i < n && t[i] != '+') {
    switch (t[i] | 0x20) {
      case 'k': v *= 1e3; break;
      case 'm': v *= 1e6; break;
      case 'b': v *= 1e9; break;
      case 't': v *= 1e12; break;
      default: return false;
    }
    ++i;
  }
  if (i < n && t[i] == '+') ++i;
  if (i != n) return false;
  if (negative) v = -v;
  *value = v == 0 ? 0 : v;  // no "-0" in results
  return true;
}

// parse_number_answer's steps, in reading order, over the lower-cased text. Each step
// leaves the cursor after what it read; a step that finds the text is not a number stores
// the reason (not_a) and returns false.
class NumberReader {
 public:
  NumberReader(std::string_view text, std::string_view lowered, NumberKind kind,
               std::string* reason)
      : c_{lowered}, text_(text), kind_(kind), reason_(reason) {}

  bool read(double* value, std::string* currency) {
    skip_approximation();
    read_sign_and_currency_prefix();
    if (!read_digits()) return false;
    read_exponent();
    double v = digits_value();
    c_.skip_space();
    apply_magnitude(&v);
    c_.skip_space();
    if (!read_suffixes() || !at_end()) return false;
    if (negative_) v = -v;
    if (!std::isfinite(v)) return not_a("the value is too large");
    if (v == 0) v = 0;  // no "-0" in results
    *value = v;
    if (currency) *currency = code_;
    return true;
  }

 private:
  bool not_a(const char* detail) {
    if (!reason_) return false;
    std::string why = quote(text_) + " is not " + what_of(kind_);
    if (detail && *detail) why += std::string(" (") + detail + ")";
    why += "; expected a form such as ";
    why += examples_of(kind_);
    *reason_ = why;
    return false;
  }

  // Approximation words carry no meaning for the value.
  void skip_approximation() {
    if (c_.eat("~", false) || c_.eat("\xE2\x89\x88", false)) {
      c_.skip_space();
      return;
    }
    if (!is_alpha(c_.s[0])) return;
    for (const char* w : {"approximately", "approx.", "approx", "about", "around", "roughly",
                          "circa", "ca."}) {
      size_t save = c_.i;
      if (c_.eat(w, std::string_view(w).back() != '.')) {
        size_t before = c_.i;
        c_.skip_space();
        if (c_.i == before) { c_.i = save; continue; }  // "abouts"… must be a separate word
        return;
      }
    }
  }

  // A sign, and for currency a symbol or ISO code before the amount (with the sign on
  // either side of it: "-$5", "$-5").
  void read_sign_and_currency_prefix() {
    have_sign_ = c_.eat_sign(&negative_);
    c_.skip_space();
    if (kind_ != NumberKind::kCurrency) return;
    if (eat_symbol(&c_, &code_)) {
      prefix_currency_ = true;
    } else {
      size_t save = c_.i;
      if (eat_iso(&c_, &code_)) prefix_currency_ = true; else c_.i = save;
    }
    if (prefix_currency_) {
      c_.skip_space();
      if (!have_sign_) have_sign_ = c_.eat_sign(&negative_);
      c_.skip_space();
    }
  }

  // Digits, with "," thousands groups of exactly three, and decimals, into digits_.
  bool read_digits() {
    size_t start = c_.i;
    size_t group = 0;
    bool any_digit = false, grouped = false;
    while (!c_.done()) {
      char ch = c_.s[c_.i];
      if (is_digit(ch)) {
        digits_ += ch;
        ++group;
        any_digit = true;
        ++c_.i;
      } else if (ch == ',' && any_digit && c_.i + 1 < c_.s.size() && is_digit(c_.s[c_.i + 1])) {
        if ((!grouped && group > 3) || (grouped && group != 3)) return not_a(kGrouping);
        grouped = true;
        group = 0;
        ++c_.i;
      } else {
        break;
      }
    }
    if (grouped && group != 3) return not_a(kGrouping);
    if (!c_.done() && c_.s[c_.i] == '.' && c_.i + 1 < c_.s.size() && is_digit(c_.s[c_.i + 1])) {
      digits_ += '.';
      ++c_.i;
      while (!c_.done() && is_digit(c_.s[c_.i])) digits_ += c_.s[c_.i++];
      any_digit = true;
    } else if (!c_.done() && c_.s[c_.i] == '.' && any_digit) {
      ++c_.i;  // "12." is 12
    }
    if (!any_digit) return not_a(c_.i == start && c_.done() ? "no digits" : "");
    return true;
  }

  // An exponent only when digits follow ("1.2e6"), so "1.2 euros" stays a currency word.
  // Exponent digits past the sixth are read but dropped (the value is infinite anyway).
  void read_exponent() {
    if (c_.done() || c_.s[c_.i] != 'e') return;
    size_t j = c_.i + 1;
    if (j < c_.s.size() && (c_.s[j] == '+' || c_.s[j] == '-')) ++j;
    if (j >= c_.s.size() || !is_digit(c_.s[j])) return;
    digits_ += 'e';
    digits_.append(c_.s.substr(c_.i + 1, j - c_.i - 1));
    c_.i = j;
    size_t exp_digits = 0;
    while (!c_.done() && is_digit(c_.s[c_.i])) {
      if (++exp_digits <= 6) digits_ += c_.s[c_.i];
      ++c_.i;
    }
  }

  // Clinger's fast path: up to 15 significant digits and no exponent is an exact integer
  // divided by an exact power of ten, which IEEE division rounds correctly. strtod is
  // several times slower in WebAssembly and only needed beyond that.
  double digits_value() const {
    static const double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
                                    1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    size_t ndigits = 0, frac = 0;
    bool simple = true, in_frac = false;
    double mantissa = 0;
    for (char ch : digits_) {
      if (ch == '.') { in_frac = true; continue; }
      if (!is_digit(ch)) { simple = false; break; }
      if (ndigits == 0 && ch == '0' && !in_frac) { continue; }  // leading zeros
      mantissa = mantissa * 10 + (ch - '0');
      ++ndigits;
      if (in_frac) ++frac;
    }
    if (simple && ndigits <= 15 && frac <= 15) return mantissa / kPow10[frac];
    return std::strtod(digits_.c_str(), nullptr);
  }

  void apply_magnitude(double* v) {
    for (const auto& m : kMagnitudes) {
      if (c_.done() || !is_alpha(c_.s[c_.i])) return;
      if (c_.eat(m.text)) {
        *v *= m.factor;
        return;
      }
    }
  }

  // A trailing "+" ("500+"), then the percentage sign or word, or the currency code,
  // symbol or word after the amount (which must agree with one given before it).
  bool read_suffixes() {
    bool plus = c_.eat("+", false);
    c_.skip_space();
    if (kind_ == NumberKind::kPercentage) {
      if (c_.eat("%", false) || c_.eat("percent") || c_.eat("per cent") || c_.eat("pct")) c_.skip_space();
    } else if (kind_ == NumberKind::kCurrency) {
      std::string suffix;
      size_t save = c_.i;
      bool got = eat_iso(&c_, &suffix) || eat_symbol(&c_, &suffix);
      if (!got) {
        c_.i = save;
        for (const auto& w : kWords)
          if (c_.eat(w.text)) { suffix = w.code; got = true; break; }
      }
      if (got) {
        if (prefix_currency_ && suffix != code_) return not_a("it names two different currencies");
        code_ = suffix;
        c_.skip_space();
      }
    }
    if (!plus && c_.eat("+", false)) c_.skip_space();
    return true;
  }

  // Nothing may follow; the reason names what did when it is recognisable.
  bool at_end() {
    if (c_.done()) return true;
    if (kind_ != NumberKind::kPercentage && c_.s[c_.i] == '%') return not_a("a percentage sign");
    if (kind_ == NumberKind::kNumber) {
      std::string probe;
      Cursor d = c_;
      if (eat_symbol(&d, &probe) || eat_iso(&d, &probe)) return not_a("a currency");
    }
    return not_a("unexpected text after the number");
  }

  static constexpr const char* kGrouping =
      "',' is only a thousands separator, between groups of three digits";

  Cursor c_;
  std::string_view text_;  // trimmed, as given (for quotes)
  NumberKind kind_;
  std::string* reason_;
  bool negative_ = false, have_sign_ = false, prefix_currency_ = false;
  std::string code_;    // currency given before the amount
  std::string digits_;  // the mantissa (and exponent) text, for strtod
};

}  // namespace

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
  if (read_simple_number(t, value)) return true;
  char low[kMaxNumberTextBytes];  // t.size() ≤ kMaxNumberTextBytes was checked above
  for (size_t k = 0; k < t.size(); ++k) low[k] = lower(t[k]);
  return NumberReader(t, std::string_view(low, t.size()), kind, reason).read(value, currency);
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
