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
  if (code == ParseErrorCode::kInvalidJson) {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < offset && i < text_.size(); ++i) {
      if (text_[i] == '\n') { ++line; col = 1; }
      else if (!utf8::is_continuation(static_cast<uint8_t>(text_[i]))) { ++col; }
    }
    error_.message = "The JSON is malformed: " + what + " at line " + std::to_string(line) +
                     ", column " + std::to_string(col) + " (byte " + std::to_string(offset) + ").";
  } else {
    error_.message = what;
  }
  return false;
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

  const char* s = text.data();
  const size_t n = text.size();
  size_t i = 0;

  // Open containers: node index; whether we expect a key next (objects).
  struct Open { uint32_t node; bool object; };
  Open stack[kMaxDepth + 2];
  int depth = 0;
  if (max_depth > kMaxDepth) max_depth = kMaxDepth;

  auto skip_ws = [&] { while (i < n && is_ws(s[i])) ++i; };

  // Parses a string starting at s[i] == '"'; appends a node. Returns false on error.
  auto parse_string = [&]() -> bool {
    size_t start = i;
    ++i;
    size_t content = i;
    bool escaped = false;
    uint32_t cps = 0;
    // Fast scan: plain ASCII and valid UTF-8 until a quote or backslash. Eight bytes at a
    // time while none is a quote, backslash, control character or non-ASCII byte.
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, s + i, 8);
      const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
      uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');
      uint64_t special = ((quote - ones) & ~quote) | ((slash - ones) & ~slash) | (w - ones * 0x20) | w;
      if (special & high) break;
      i += 8;
      cps += 8;
    }
    while (i < n) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c == '"') break;
      if (c == '\\') { escaped = true; break; }
      if (c < 0x20) return fail(ParseErrorCode::kInvalidJson, i, "a control character inside a string");
      if (c < 0x80) { ++i; ++cps; continue; }
      size_t len = utf8::valid_length(reinterpret_cast<const uint8_t*>(s + i),
                                      reinterpret_cast<const uint8_t*>(s + n));
      if (len == 0) return fail(ParseErrorCode::kInvalidJson, i, "invalid UTF-8 inside a string");
      i += len;
      ++cps;
    }
    Node node{};
    node.type = Type::kString;
    node.raw_begin = static_cast<uint32_t>(start);
    if (!escaped) {
      if (i >= n) return fail(ParseErrorCode::kInvalidJson, start, "a string that is never closed");
      node.in_arena = false;
      node.str_begin = static_cast<uint32_t>(content);
      node.str_len = static_cast<uint32_t>(i - content);
      node.count = cps;
      ++i;
      node.raw_end = static_cast<uint32_t>(i);
      node.next = static_cast<uint32_t>(nodes_.size() + 1);
      nodes_.push_back(node);
      return true;
    }
    // Slow path: unescape into the arena.
    size_t arena_start = arena_.size();
    arena_.append(s + content, i - content);
    while (i < n) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c == '"') break;
      if (c == '\\') {
        if (i + 1 >= n) return fail(ParseErrorCode::kInvalidJson, i, "an escape at the end of the input");
        char e = s[i + 1];
        i += 2;
        switch (e) {
          case '"': arena_.push_back('"'); break;
          case '\\': arena_.push_back('\\'); break;
          case '/': arena_.push_back('/'); break;
          case 'b': arena_.push_back('\b'); break;
          case 'f': arena_.push_back('\f'); break;
          case 'n': arena_.push_back('\n'); break;
          case 'r': arena_.push_back('\r'); break;
          case 't': arena_.push_back('\t'); break;
          case 'u': {
            auto read4 = [&](size_t at, uint32_t* out) {
              if (at + 4 > n) return false;
              uint32_t v = 0;
              for (size_t k = 0; k < 4; ++k) {
                int h = hex_value(s[at + k]);
                if (h < 0) return false;
                v = (v << 4) | static_cast<uint32_t>(h);
              }
              *out = v;
              return true;
            };
            uint32_t cp;
            if (!read4(i, &cp)) return fail(ParseErrorCode::kInvalidJson, i - 2, "a \\u escape without four hex digits");
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
              uint32_t lo;
              if (i + 1 < n && s[i] == '\\' && s[i + 1] == 'u' && read4(i + 2, &lo) && lo >= 0xDC00 &&
                  lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
              } else {
                cp = 0xFFFD;  // lone high surrogate, as TextEncoder would send it
              }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
              cp = 0xFFFD;
            }
            utf8::append(arena_, cp);
            break;
          }
          default:
            return fail(ParseErrorCode::kInvalidJson, i - 2, "an unknown escape \\" + std::string(1, e) + " in a string");
        }
        ++cps;
        continue;
      }
      if (c < 0x20) return fail(ParseErrorCode::kInvalidJson, i, "a control character inside a string");
      size_t len = utf8::valid_length(reinterpret_cast<const uint8_t*>(s + i),
                                      reinterpret_cast<const uint8_t*>(s + n));
      if (len == 0) return fail(ParseErrorCode::kInvalidJson, i, "invalid UTF-8 inside a string");
      arena_.append(s + i, len);
      i += len;
      ++cps;
    }
    if (i >= n) return fail(ParseErrorCode::kInvalidJson, start, "a string that is never closed");
    ++i;
    node.in_arena = true;
    node.str_begin = static_cast<uint32_t>(arena_start);
    node.str_len = static_cast<uint32_t>(arena_.size() - arena_start);
    node.count = cps;
    node.raw_end = static_cast<uint32_t>(i);
    node.next = static_cast<uint32_t>(nodes_.size() + 1);
    nodes_.push_back(node);
    return true;
  };

  auto parse_number = [&]() -> bool {
    size_t start = i;
    if (s[i] == '-') ++i;
    if (i >= n || !(s[i] >= '0' && s[i] <= '9')) return fail(ParseErrorCode::kInvalidJson, start, "a malformed number");
    bool simple = true;
    uint64_t mantissa = 0;
    int digits = 0;
    if (s[i] == '0') {
      ++i;
      if (i < n && s[i] >= '0' && s[i] <= '9') return fail(ParseErrorCode::kInvalidJson, start, "a number with a leading zero");
    } else {
      while (i < n && s[i] >= '0' && s[i] <= '9') {
        mantissa = mantissa * 10 + static_cast<uint64_t>(s[i] - '0');
        ++digits;
        ++i;
      }
    }
    if (i < n && s[i] == '.') {
      simple = false;
      ++i;
      if (i >= n || !(s[i] >= '0' && s[i] <= '9')) return fail(ParseErrorCode::kInvalidJson, start, "a malformed number");
      while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
      simple = false;
      ++i;
      if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
      if (i >= n || !(s[i] >= '0' && s[i] <= '9')) return fail(ParseErrorCode::kInvalidJson, start, "a malformed number");
      while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    }
    Node node{};
    node.type = Type::kNumber;
    node.raw_begin = static_cast<uint32_t>(start);
    node.raw_end = static_cast<uint32_t>(i);
    node.next = static_cast<uint32_t>(nodes_.size() + 1);
    if (simple && digits <= 15) {
      double v = static_cast<double>(mantissa);
      node.number = s[start] == '-' ? -v : v;
    } else {
      // strtod needs a terminated copy; numbers are short, long ones are rare.
      char buf[64];
      size_t len = i - start;
      if (len < sizeof buf) {
        std::memcpy(buf, s + start, len);
        buf[len] = 0;
        node.number = std::strtod(buf, nullptr);
      } else {
        std::string copy(s + start, len);
        node.number = std::strtod(copy.c_str(), nullptr);
      }
    }
    nodes_.push_back(node);
    return true;
  };

  auto literal = [&](const char* word, Type t) -> bool {
    size_t len = std::strlen(word);
    if (n - i < len || std::memcmp(s + i, word, len) != 0)
      return fail(ParseErrorCode::kInvalidJson, i, "unexpected " + describe_char(text, i));
    Node node{};
    node.type = t;
    node.raw_begin = static_cast<uint32_t>(i);
    i += len;
    node.raw_end = static_cast<uint32_t>(i);
    node.next = static_cast<uint32_t>(nodes_.size() + 1);
    nodes_.push_back(node);
    return true;
  };

  // Closes the innermost container ending at s[i].
  auto close_container = [&]() {
    Node& c = nodes_[stack[depth - 1].node];
    ++i;
    c.raw_end = static_cast<uint32_t>(i);
    c.next = static_cast<uint32_t>(nodes_.size());
    --depth;
  };

  skip_ws();
  if (i >= n) return fail(ParseErrorCode::kInvalidJson, i, "no value (the input is empty)");

  // The state machine: parse a value, then decide what may follow given the open container.
  for (;;) {
    // --- expect a value at s[i] (whitespace skipped)
    if (i >= n) return fail(ParseErrorCode::kInvalidJson, i, "unexpected end of input, a value was expected");
    char c = s[i];
    if (c == '{' || c == '[') {
      if (depth >= max_depth)
        return fail(ParseErrorCode::kTooDeep, i,
                    "The JSON nests arrays and objects deeper than " + std::to_string(max_depth) +
                        " levels (at byte " + std::to_string(i) + ").");
      Node node{};
      node.type = c == '{' ? Type::kObject : Type::kArray;
      node.raw_begin = static_cast<uint32_t>(i);
      stack[depth++] = Open{static_cast<uint32_t>(nodes_.size()), c == '{'};
      nodes_.push_back(node);
      ++i;
      skip_ws();
      if (c == '{') {
        if (i < n && s[i] == '}') { close_container(); goto after_value; }
        if (i >= n || s[i] != '"')
          return fail(ParseErrorCode::kInvalidJson, i, "expected a key in double quotes but found " + describe_char(text, i));
        if (!parse_string()) return false;
        nodes_[stack[depth - 1].node].count++;
        skip_ws();
        if (i >= n || s[i] != ':')
          return fail(ParseErrorCode::kInvalidJson, i, "expected ':' after a key but found " + describe_char(text, i));
        ++i;
        skip_ws();
        continue;
      }
      if (i < n && s[i] == ']') { close_container(); goto after_value; }
      nodes_[stack[depth - 1].node].count++;
      continue;
    } else if (c == '"') {
      if (!parse_string()) return false;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      if (!parse_number()) return false;
    } else if (c == 't') {
      if (!literal("true", Type::kTrue)) return false;
    } else if (c == 'f') {
      if (!literal("false", Type::kFalse)) return false;
    } else if (c == 'n') {
      if (!literal("null", Type::kNull)) return false;
    } else {
      return fail(ParseErrorCode::kInvalidJson, i, "unexpected " + describe_char(text, i) + " where a value was expected");
    }

  after_value:
    skip_ws();
    while (depth > 0) {
      Open& top = stack[depth - 1];
      if (i >= n)
        return fail(ParseErrorCode::kInvalidJson, i,
                    std::string("unexpected end of input inside an ") + (top.object ? "object" : "array"));
      if (s[i] == ',') {
        ++i;
        skip_ws();
        if (top.object) {
          if (i >= n || s[i] != '"')
            return fail(ParseErrorCode::kInvalidJson, i, "expected a key in double quotes but found " + describe_char(text, i));
          if (!parse_string()) return false;
          nodes_[top.node].count++;
          skip_ws();
          if (i >= n || s[i] != ':')
            return fail(ParseErrorCode::kInvalidJson, i, "expected ':' after a key but found " + describe_char(text, i));
          ++i;
          skip_ws();
        } else {
          nodes_[top.node].count++;
        }
        break;  // parse the next value
      }
      if ((top.object && s[i] == '}') || (!top.object && s[i] == ']')) {
        close_container();
        skip_ws();
        continue;
      }
      return fail(ParseErrorCode::kInvalidJson, i,
                  std::string("expected ',' or '") + (top.object ? "}" : "]") + "' but found " +
                      describe_char(text, i));
    }
    if (depth == 0) {
      if (i != n) return fail(ParseErrorCode::kInvalidJson, i, "unexpected " + describe_char(text, i) + " after the value");
      return true;
    }
  }
}

}  // namespace signalkit::json
