#include "signalkit/json.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "common/utf8.h"

namespace signalkit::json {

const char* parse_error_code_name(ParseErrorCode c) {
  switch (c) {
    case ParseErrorCode::kNone: return "";
    case ParseErrorCode::kInvalidJson: return "invalid_json";
    case ParseErrorCode::kTooLarge: return "too_large";
    case ParseErrorCode::kTooDeep: return "too_deep";
    case ParseErrorCode::kInvalidUnicode: return "invalid_unicode";
  }
  return "";
}

const char* type_name(Type t) {
  switch (t) {
    case Type::kNull: return "null";
    case Type::kFalse:
    case Type::kTrue: return "boolean";
    case Type::kNumber: return "number";
    case Type::kString: return "string";
    case Type::kArray: return "array";
    case Type::kObject: return "object";
  }
  return "value";
}

// ---------------------------------------------------------------------------------------
// Value accessors

bool Value::as_bool() const { return doc_ && doc_->nodes_[index_].type == Type::kTrue; }

double Value::as_number() const {
  return (doc_ && doc_->nodes_[index_].type == Type::kNumber) ? doc_->nodes_[index_].number : 0;
}

bool Value::is_integer() const {
  if (!is_number()) return false;
  double d = doc_->nodes_[index_].number;
  return std::isfinite(d) && std::floor(d) == d;
}

size_t Value::string_length() const {
  return (doc_ && doc_->nodes_[index_].type == Type::kString) ? doc_->nodes_[index_].count : 0;
}

std::string_view Value::raw() const {
  if (!doc_) return {};
  const auto& n = doc_->nodes_[index_];
  return doc_->text_.substr(n.raw_begin, n.raw_end - n.raw_begin);
}

size_t Value::offset() const { return doc_ ? doc_->nodes_[index_].raw_begin : 0; }

Value::ItemRange Value::items() const {
  if (!is_array()) return {ItemIterator(nullptr, 0), ItemIterator(nullptr, 0)};
  const auto& n = doc_->nodes_[index_];
  return {ItemIterator(doc_, index_ + 1), ItemIterator(doc_, n.next)};
}

Value::MemberRange Value::members() const {
  if (!is_object()) return {MemberIterator(nullptr, 0), MemberIterator(nullptr, 0)};
  const auto& n = doc_->nodes_[index_];
  return {MemberIterator(doc_, index_ + 1), MemberIterator(doc_, n.next)};
}

Value Value::find(std::string_view key) const {
  for (auto m : members())
    if (m.key == key) return m.value;
  return Value();
}

// ---------------------------------------------------------------------------------------
// Parser: iterative (an explicit stack of open containers), so depth never touches the
// native stack; every node records its raw byte range so callers can quote positions and
// re-read exact source text.

// The grammar steps below are small and run once per token: inlined into the one loop,
// they cost what the single function they replace cost.
#define SK_ALWAYS_INLINE __attribute__((always_inline)) inline

namespace {

inline bool is_ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string describe_char(std::string_view text, size_t pos) {
  if (pos >= text.size()) return "the end of the input";
  unsigned char c = static_cast<unsigned char>(text[pos]);
  if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
  static const char* kHex = "0123456789ABCDEF";
  std::string s = "byte 0x";
  s.push_back(kHex[c >> 4]);
  s.push_back(kHex[c & 15]);
  return s;
}

}  // namespace

bool Document::fail(ParseErrorCode code, size_t offset, const std::string& what) {
  nodes_.clear();
  error_.code = code;
  error_.offset = offset;
  if (code == ParseErrorCode::kInvalidJson || code == ParseErrorCode::kInvalidUnicode) {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < offset && i < text_.size(); ++i) {
      if (text_[i] == '\n') { ++line; col = 1; }
      else if (!utf8::is_continuation(static_cast<uint8_t>(text_[i]))) { ++col; }
    }
    error_.message = (code == ParseErrorCode::kInvalidJson ? "The JSON is malformed: " : "The JSON is not valid Unicode: ") +
                     what + " at line " + std::to_string(line) + ", column " + std::to_string(col) +
                     " (byte " + std::to_string(offset) + ").";
  } else {
    error_.message = what;
  }
  return false;
}

// One parse: a cursor over the text and the stack of open containers. Each step reads
// one piece of the grammar and appends nodes to the document's tape; any step that finds
// malformed input reports it through Document::fail and returns false.
class Parser {
 public:
  Parser(Document* doc, std::string_view text, int max_depth)
      : doc_(*doc), text_(text), s_(text.data()), n_(text.size()), max_depth_(max_depth) {}

  bool run() {
    skip_ws();
    if (i_ >= n_) return invalid(i_, "no value (the input is empty)");
    for (;;) {
      bool complete;
      if (!read_value(&complete)) return false;
      if (!complete) continue;  // a container was opened: its first element is next
      bool finished;
      if (!after_value(&finished)) return false;
      if (finished) return true;
    }
  }

 private:
  struct Open {
    uint32_t node;
    bool object;
  };
  using Node = Document::Node;

  bool invalid(size_t offset, const std::string& what) {
    return doc_.fail(ParseErrorCode::kInvalidJson, offset, what);
  }
  SK_ALWAYS_INLINE void skip_ws() { while (i_ < n_ && is_ws(s_[i_])) ++i_; }
  SK_ALWAYS_INLINE void append(const Node& node) { doc_.nodes_.push_back(node); }
  uint32_t next_index() const { return static_cast<uint32_t>(doc_.nodes_.size() + 1); }

  // The value at s[i]: a scalar or an empty container (*complete), or the opening of a
  // container, read up to its first element's value (not *complete).
  SK_ALWAYS_INLINE bool read_value(bool* complete) {
    if (i_ >= n_) return invalid(i_, "unexpected end of input, a value was expected");
    *complete = true;
    char c = s_[i_];
    if (c == '{' || c == '[') return open_container(c == '{', complete);
    if (c == '"') return read_string();
    if (c == '-' || (c >= '0' && c <= '9')) return read_number();
    if (c == 't') return read_literal("true", Type::kTrue);
    if (c == 'f') return read_literal("false", Type::kFalse);
    if (c == 'n') return read_literal("null", Type::kNull);
    return invalid(i_, "unexpected " + describe_char(text_, i_) + " where a value was expected");
  }

  SK_ALWAYS_INLINE bool open_container(bool object, bool* complete) {
    if (depth_ >= max_depth_)
      return doc_.fail(ParseErrorCode::kTooDeep, i_,
                       "The JSON nests arrays and objects deeper than " + std::to_string(max_depth_) +
                           " levels (at byte " + std::to_string(i_) + ").");
    Node node{};
    node.type = object ? Type::kObject : Type::kArray;
    node.raw_begin = static_cast<uint32_t>(i_);
    stack_[depth_++] = Open{static_cast<uint32_t>(doc_.nodes_.size()), object};
    append(node);
    ++i_;
    skip_ws();
    if (i_ < n_ && s_[i_] == (object ? '}' : ']')) {
      close_container();
      return true;
    }
    *complete = false;
    if (object) return read_key();
    doc_.nodes_[stack_[depth_ - 1].node].count++;
    return true;
  }

  // A member's key and its ':' (the innermost open container is an object).
  SK_ALWAYS_INLINE bool read_key() {
    if (i_ >= n_ || s_[i_] != '"')
      return invalid(i_, "expected a key in double quotes but found " + describe_char(text_, i_));
    if (!read_string()) return false;
    doc_.nodes_[stack_[depth_ - 1].node].count++;
    skip_ws();
    if (i_ >= n_ || s_[i_] != ':')
      return invalid(i_, "expected ':' after a key but found " + describe_char(text_, i_));
    ++i_;
    skip_ws();
    return true;
  }

  // Closes the innermost container, ending at s[i].
  SK_ALWAYS_INLINE void close_container() {
    Node& c = doc_.nodes_[stack_[depth_ - 1].node];
    ++i_;
    c.raw_end = static_cast<uint32_t>(i_);
    c.next = static_cast<uint32_t>(doc_.nodes_.size());
    --depth_;
  }

  // After a complete value: a ',' (then the next element, up to its value), closing
  // brackets, or the end of the input (*finished when the top-level value is done).
  SK_ALWAYS_INLINE bool after_value(bool* finished) {
    *finished = false;
    skip_ws();
    while (depth_ > 0) {
      Open& top = stack_[depth_ - 1];
      if (i_ >= n_)
        return invalid(i_, std::string("unexpected end of input inside an ") + (top.object ? "object" : "array"));
      if (s_[i_] == ',') {
        ++i_;
        skip_ws();
        if (top.object) return read_key();
        doc_.nodes_[top.node].count++;
        return true;
      }
      if ((top.object && s_[i_] == '}') || (!top.object && s_[i_] == ']')) {
        close_container();
        skip_ws();
        continue;
      }
      return invalid(i_, std::string("expected ',' or '") + (top.object ? "}" : "]") + "' but found " +
                             describe_char(text_, i_));
    }
    if (i_ != n_) return invalid(i_, "unexpected " + describe_char(text_, i_) + " after the value");
    *finished = true;
    return true;
  }

  // A string at s[i] == '"': views the input when it has no escapes, else unescapes into
  // the arena. Counts code points as it goes (string_length()).
  bool read_string() {
    const size_t start = i_;
    ++i_;
    const size_t content = i_;
    uint32_t cps = 0;
    bool escaped;
    if (!scan_plain(&cps, &escaped)) return false;
    Node node{};
    node.type = Type::kString;
    node.raw_begin = static_cast<uint32_t>(start);
    if (!escaped) {
      if (i_ >= n_) return invalid(start, "a string that is never closed");
      node.in_arena = false;
      node.str_begin = static_cast<uint32_t>(content);
      node.str_len = static_cast<uint32_t>(i_ - content);
    } else {
      const size_t arena_start = doc_.arena_.size();
      doc_.arena_.append(s_ + content, i_ - content);
      if (!unescape_rest(&cps)) return false;
      if (i_ >= n_) return invalid(start, "a string that is never closed");
      node.in_arena = true;
      node.str_begin = static_cast<uint32_t>(arena_start);
      node.str_len = static_cast<uint32_t>(doc_.arena_.size() - arena_start);
    }
    node.count = cps;
    ++i_;  // the closing quote
    node.raw_end = static_cast<uint32_t>(i_);
    node.next = next_index();
    append(node);
    return true;
  }

  // Plain ASCII and valid UTF-8 up to a quote or backslash (*escaped), eight bytes at a
  // time while none is a quote, backslash, control character or non-ASCII byte.
  bool scan_plain(uint32_t* cps, bool* escaped) {
    *escaped = false;
    size_t i = i_;
    uint32_t count = 0;
    while (i + 8 <= n_) {
      uint64_t w;
      std::memcpy(&w, s_ + i, 8);
      const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
      uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');
      uint64_t special = ((quote - ones) & ~quote) | ((slash - ones) & ~slash) | (w - ones * 0x20) | w;
      if (special & high) break;
      i += 8;
      count += 8;
    }
    while (i < n_) {
      unsigned char c = static_cast<unsigned char>(s_[i]);
      if (c == '"') break;
      if (c == '\\') { *escaped = true; break; }
      if (c < 0x20) return invalid(i, "a control character inside a string");
      if (c < 0x80) { ++i; ++count; continue; }
      size_t len = utf8::valid_length(reinterpret_cast<const uint8_t*>(s_ + i),
                                      reinterpret_cast<const uint8_t*>(s_ + n_));
      if (len == 0) return invalid(i, "invalid UTF-8 inside a string");
      i += len;
      ++count;
    }
    i_ = i;
    *cps = count;
    return true;
  }

  // The rest of a string with escapes, into the arena, up to the closing quote.
  bool unescape_rest(uint32_t* cps) {
    while (i_ < n_) {
      unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') break;
      if (c == '\\') {
        if (!read_escape()) return false;
      } else {
        if (c < 0x20) return invalid(i_, "a control character inside a string");
        if (!copy_utf8()) return false;
      }
      ++*cps;
    }
    return true;
  }

  // One valid UTF-8 sequence at s[i], copied into the arena.
  bool copy_utf8() {
    size_t len = utf8::valid_length(reinterpret_cast<const uint8_t*>(s_ + i_),
                                    reinterpret_cast<const uint8_t*>(s_ + n_));
    if (len == 0) return invalid(i_, "invalid UTF-8 inside a string");
    doc_.arena_.append(s_ + i_, len);
    i_ += len;
    return true;
  }

  // One escape at s[i] == '\\', decoded into the arena.
  bool read_escape() {
    if (i_ + 1 >= n_) return invalid(i_, "an escape at the end of the input");
    char e = s_[i_ + 1];
    i_ += 2;
    std::string& arena = doc_.arena_;
    switch (e) {
      case '"': arena.push_back('"'); return true;
      case '\\': arena.push_back('\\'); return true;
      case '/': arena.push_back('/'); return true;
      case 'b': arena.push_back('\b'); return true;
      case 'f': arena.push_back('\f'); return true;
      case 'n': arena.push_back('\n'); return true;
      case 'r': arena.push_back('\r'); return true;
      case 't': arena.push_back('\t'); return true;
      case 'u': return read_unicode_escape();
      default:
        return invalid(i_ - 2, "an unknown escape \\" + std::string(1, e) + " in a string");
    }
  }

  // \uXXXX (s[i] is the first hex digit): a surrogate pair is one code point; a lone
  // surrogate names no character and is refused (invalid_unicode) rather than replaced, so
  // that nothing stores or compares a string other than the one sent.
  bool read_unicode_escape() {
    uint32_t cp;
    if (!read_hex4(i_, &cp)) return invalid(i_ - 2, "a \\u escape without four hex digits");
    i_ += 4;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      uint32_t lo = 0;
      const bool escape_follows = i_ + 1 < n_ && s_[i_] == '\\' && s_[i_ + 1] == 'u';
      if (escape_follows && !read_hex4(i_ + 2, &lo))
        return invalid(i_, "a \\u escape without four hex digits");  // malformed before it is lone
      if (!escape_follows || lo < 0xDC00 || lo > 0xDFFF) return lone_surrogate(i_ - 6);
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      i_ += 6;
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return lone_surrogate(i_ - 6);
    }
    utf8::append(doc_.arena_, cp);
    return true;
  }

  bool lone_surrogate(size_t at) {
    return doc_.fail(ParseErrorCode::kInvalidUnicode, at,
                     "a lone surrogate " + std::string(s_ + at, 6) +
                         " in a string (half of a UTF-16 pair, not a character)");
  }

  bool read_hex4(size_t at, uint32_t* out) const {
    if (at + 4 > n_) return false;
    uint32_t v = 0;
    for (size_t k = 0; k < 4; ++k) {
      int h = hex_value(s_[at + k]);
      if (h < 0) return false;
      v = (v << 4) | static_cast<uint32_t>(h);
    }
    *out = v;
    return true;
  }

  // A number (RFC 8259 grammar). Integers of up to 15 digits are converted exactly by
  // hand; anything else goes through strtod.
  bool read_number() {
    const size_t start = i_;
    if (s_[i_] == '-') ++i_;
    if (i_ >= n_ || !is_digit(s_[i_])) return invalid(start, "a malformed number");
    bool simple = true;
    uint64_t mantissa = 0;
    int digits = 0;
    if (s_[i_] == '0') {
      ++i_;
      if (i_ < n_ && is_digit(s_[i_])) return invalid(start, "a number with a leading zero");
    } else {
      while (i_ < n_ && is_digit(s_[i_])) {
        mantissa = mantissa * 10 + static_cast<uint64_t>(s_[i_] - '0');
        ++digits;
        ++i_;
      }
    }
    if (i_ < n_ && s_[i_] == '.') {
      simple = false;
      ++i_;
      if (i_ >= n_ || !is_digit(s_[i_])) return invalid(start, "a malformed number");
      while (i_ < n_ && is_digit(s_[i_])) ++i_;
    }
    if (i_ < n_ && (s_[i_] == 'e' || s_[i_] == 'E')) {
      simple = false;
      ++i_;
      if (i_ < n_ && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (i_ >= n_ || !is_digit(s_[i_])) return invalid(start, "a malformed number");
      while (i_ < n_ && is_digit(s_[i_])) ++i_;
    }
    Node node{};
    node.type = Type::kNumber;
    node.raw_begin = static_cast<uint32_t>(start);
    node.raw_end = static_cast<uint32_t>(i_);
    node.next = next_index();
    if (simple && digits <= 15) {
      double v = static_cast<double>(mantissa);
      node.number = s_[start] == '-' ? -v : v;
    } else {
      node.number = to_double(start, i_ - start);
    }
    append(node);
    return true;
  }

  // strtod needs a terminated copy; numbers are short, long ones are rare.
  double to_double(size_t at, size_t len) const {
    char buf[64];
    if (len < sizeof buf) {
      std::memcpy(buf, s_ + at, len);
      buf[len] = 0;
      return std::strtod(buf, nullptr);
    }
    std::string copy(s_ + at, len);
    return std::strtod(copy.c_str(), nullptr);
  }

  bool read_literal(const char* word, Type t) {
    size_t len = std::strlen(word);
    if (n_ - i_ < len || std::memcmp(s_ + i_, word, len) != 0)
      return invalid(i_, "unexpected " + describe_char(text_, i_));
    Node node{};
    node.type = t;
    node.raw_begin = static_cast<uint32_t>(i_);
    i_ += len;
    node.raw_end = static_cast<uint32_t>(i_);
    node.next = next_index();
    append(node);
    return true;
  }

  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  Document& doc_;
  std::string_view text_;
  const char* s_;
  const size_t n_;
  const int max_depth_;
  size_t i_ = 0;
  int depth_ = 0;
  Open stack_[kMaxDepth + 2];
};

void Document::release(size_t keep_bytes) {
  if (nodes_.capacity() * sizeof(Node) + arena_.capacity() <= keep_bytes) return;
  std::vector<Node>().swap(nodes_);
  std::string().swap(arena_);
}

bool Document::parse(std::string_view text, size_t max_bytes, int max_depth) {
  text_ = text;
  nodes_.clear();
  arena_.clear();
  error_ = ParseError();
  if (text.size() > max_bytes) {
    return fail(ParseErrorCode::kTooLarge, 0,
                "The JSON is " + std::to_string(text.size()) + " bytes; the limit is " +
                    std::to_string(max_bytes) + " bytes.");
  }
  if (text.size() >= 0xFFFFFFF0u) return fail(ParseErrorCode::kTooLarge, 0, "The JSON is too large.");
  return Parser(this, text, max_depth > kMaxDepth ? kMaxDepth : max_depth).run();
}

}  // namespace signalkit::json
