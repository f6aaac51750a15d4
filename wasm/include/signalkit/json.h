// signalkit — a small, strict, non-throwing JSON reader.
//
// The engine parses every body, context, template and answer with this reader instead of
// building a DOM: one pass writes a flat "tape" of nodes, strings stay views into the
// input unless they contain escapes, and the buffers are reused between parses, so a
// steady stream of small bodies allocates nothing.
//
//   signalkit::json::Document doc;
//   if (!doc.parse(text)) { use(doc.error().code_name(), doc.error().message); }
//   for (auto m : doc.root().members()) if (m.key == "keywords") for (auto k : m.value.items()) ...
//
// Accepts RFC 8259 JSON only (no comments, no trailing commas, no NaN). Limits: input size
// (default kMaxBodyBytes) and nesting depth (default kMaxDepth) give the errors `too_large`
// and `too_deep`; everything else malformed is `invalid_json` with line, column and byte
// offset in the message. Invalid UTF-8 inside strings is `invalid_json`; an escaped lone
// surrogate (\ud800 without its pair, or \udc00 alone) is `invalid_unicode`: it names no
// character, so no string holding it is stored or compared.
//
// Lifetime: a Document keeps views into the text passed to parse(); the text must outlive
// the Document's use, and Values are invalidated by the next parse().
#ifndef SIGNALKIT_JSON_H_
#define SIGNALKIT_JSON_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "signalkit/limits.h"

namespace signalkit::json {

enum class Type : uint8_t { kNull, kFalse, kTrue, kNumber, kString, kArray, kObject };

// "null", "boolean", "number", "string", "array", "object" (integers are "number").
const char* type_name(Type t);

enum class ParseErrorCode : uint8_t { kNone, kInvalidJson, kTooLarge, kTooDeep, kInvalidUnicode };
// "", "invalid_json", "too_large", "too_deep", "invalid_unicode": the issue codes the engine
// reports.
const char* parse_error_code_name(ParseErrorCode c);

struct ParseError {
  ParseErrorCode code = ParseErrorCode::kNone;
  std::string message;  // plain English, names the position
  size_t offset = 0;    // byte offset into the input
  const char* code_name() const { return parse_error_code_name(code); }
};

class Document;
class Parser;

// A read-only view of one value in a Document. Cheap to copy (two words).
class Value {
 public:
  Value() = default;
  bool valid() const { return doc_ != nullptr; }
  inline Type type() const;
  bool is_null() const { return type() == Type::kNull; }
  bool is_bool() const { return type() == Type::kTrue || type() == Type::kFalse; }
  bool is_number() const { return type() == Type::kNumber; }
  bool is_string() const { return type() == Type::kString; }
  bool is_array() const { return type() == Type::kArray; }
  bool is_object() const { return type() == Type::kObject; }

  bool as_bool() const;            // false unless kTrue
  double as_number() const;        // 0 unless a number; may be ±inf for 1e999
  bool is_integer() const;         // a finite number with no fractional part (1.0 counts)
  inline std::string_view as_string() const;  // unescaped UTF-8; "" unless a string
  size_t string_length() const;    // in Unicode code points
  std::string_view raw() const;    // the exact source text of this value
  size_t offset() const;           // byte offset of the value in the input

  inline size_t size() const;  // array elements / object members; 0 otherwise

  class ItemIterator;
  class MemberIterator;
  struct Member;
  struct ItemRange;
  struct MemberRange;
  ItemRange items() const;      // empty range unless an array
  MemberRange members() const;  // in document order, duplicates included
  // The first member named `key`, or an invalid Value.
  Value find(std::string_view key) const;

 private:
  friend class Document;
  Value(const Document* d, uint32_t i) : doc_(d), index_(i) {}
  const Document* doc_ = nullptr;
  uint32_t index_ = 0;
};

struct Value::Member {
  std::string_view key;
  Value value;
  size_t key_offset;
};

class Value::ItemIterator {
 public:
  Value operator*() const { return Value(doc_, index_); }
  inline ItemIterator& operator++();
  bool operator!=(const ItemIterator& o) const { return index_ != o.index_; }
 private:
  friend class Value;
  ItemIterator(const Document* d, uint32_t i) : doc_(d), index_(i) {}
  const Document* doc_;
  uint32_t index_;
};

class Value::MemberIterator {
 public:
  inline Member operator*() const;
  inline MemberIterator& operator++();
  bool operator!=(const MemberIterator& o) const { return index_ != o.index_; }
 private:
  friend class Value;
  MemberIterator(const Document* d, uint32_t i) : doc_(d), index_(i) {}
  const Document* doc_;
  uint32_t index_;  // the key node
};

struct Value::ItemRange {
  ItemIterator b, e;
  ItemIterator begin() const { return b; }
  ItemIterator end() const { return e; }
};
struct Value::MemberRange {
  MemberIterator b, e;
  MemberIterator begin() const { return b; }
  MemberIterator end() const { return e; }
};

class Document {
 public:
  // Parses `text` (which must outlive this Document's use). Returns false on error; then
  // error() says why and root() is invalid.
  bool parse(std::string_view text, size_t max_bytes = kMaxBodyBytes, int max_depth = kMaxDepth);
  const ParseError& error() const { return error_; }
  Value root() const { return nodes_.empty() ? Value() : Value(this, 0); }

  // Frees the buffers when they take more than `keep_bytes` (after parsing a large text),
  // so that a Document kept for reuse does not hold its peak. Invalidates every Value.
  void release(size_t keep_bytes = kKeepScratchBytes);

 private:
  friend class Value;
  friend class Parser;  // json/reader.cpp: the parse, one named step per grammar rule
  struct Node {
    Type type;
    bool in_arena;     // string bytes live in arena_ (had escapes) rather than the input
    uint32_t next;     // index of the node after this value's subtree
    uint32_t count;    // elements/members, or code points for strings
    uint32_t raw_begin, raw_end;
    uint32_t str_begin, str_len;  // string bytes (input or arena)
    double number;
  };
  bool fail(ParseErrorCode code, size_t offset, const std::string& what);
  std::string_view text_;
  std::vector<Node> nodes_;
  std::string arena_;
  ParseError error_;
};

// Inline accessors: they sit on every hot path of validation.
inline Type Value::type() const { return doc_ ? doc_->nodes_[index_].type : Type::kNull; }

inline std::string_view Value::as_string() const {
  if (!doc_) return {};
  const auto& n = doc_->nodes_[index_];
  if (n.type != Type::kString) return {};
  const char* base = n.in_arena ? doc_->arena_.data() : doc_->text_.data();
  return std::string_view(base + n.str_begin, n.str_len);
}

inline size_t Value::size() const {
  if (!doc_) return 0;
  const auto& n = doc_->nodes_[index_];
  return (n.type == Type::kArray || n.type == Type::kObject) ? n.count : 0;
}

inline Value::ItemIterator& Value::ItemIterator::operator++() {
  index_ = doc_->nodes_[index_].next;
  return *this;
}

inline Value::Member Value::MemberIterator::operator*() const {
  Value key(doc_, index_);
  return Member{key.as_string(), Value(doc_, index_ + 1), doc_->nodes_[index_].raw_begin};
}

inline Value::MemberIterator& Value::MemberIterator::operator++() {
  index_ = doc_->nodes_[index_ + 1].next;  // skip the key, then the value's subtree
  return *this;
}

}  // namespace signalkit::json

#endif  // SIGNALKIT_JSON_H_
