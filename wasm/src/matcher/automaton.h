// The keyword matcher's automaton: every rule of matching (whole words, separator runs,
// case folding, scripts without spaces) becomes plain substring matching over one symbol
// stream, found by an Aho–Corasick automaton in one pass. Not part of the public API.
//
// The symbol stream of a text (keywords and documents alike):
// - each character's simple case fold, except separators (Unicode White_Space and the
//   hyphens U+002D, U+2010, U+2011): a maximal run of them is one SEP symbol;
// - a WB symbol (zero width) between two adjacent characters of which exactly one is a
//   "regular word" character (L, M or N and not of a no-space script), and at the start
//   and the end of the text next to a regular word character.
// A keyword's symbols are its stream without the SEP runs at its edges. A keyword then
// occurs at a place exactly when its symbols are a substring of the text's symbols there:
// a leading WB demands a boundary before a regular word character ("AI" is not in
// "said"), a keyword that starts with "." or "人" demands nothing (".NET" in "ASP.NET"),
// and "series b" = WB series WB SEP WB b WB is in "Series - B". This relies on folding
// never changing a character's class (tests/cpp/matcher_test.cpp checks every code point).
#ifndef SIGNALKIT_SRC_MATCHER_AUTOMATON_H_
#define SIGNALKIT_SRC_MATCHER_AUTOMATON_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "matcher/block_scan.h"
#include "matcher/rules.h"

namespace signalkit::matcher_internal {

// Symbols: folded code points (< 0x110000), then these two.
inline constexpr uint32_t kSepSymbol = 0x110000;
inline constexpr uint32_t kWbSymbol = 0x110001;
// A keyword of 200 code points has at most 401 symbols (a WB between every two).
inline constexpr size_t kMaxPatternSymbols = 401;

// The symbols of a keyword; false when it holds nothing but separators.
bool keyword_symbols(std::string_view keyword, std::vector<uint32_t>* out);

// One pattern that occurs in a scanned text: where it first occurs and how often.
struct Occurrence {
  uint32_t pattern;
  uint32_t byte_start, byte_end;  // of the first occurrence
  uint32_t count;                 // every occurrence, overlapping ones included
};

class Automaton {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // Builds the automaton of `patterns` (distinct, each 1..kMaxPatternSymbols symbols).
  // Time O(total symbols x log(symbols per node)), memory 36 bytes per trie node.
  void build(const std::vector<std::vector<uint32_t>>& patterns);

  // Appends one Occurrence per pattern occurring in `text` (UTF-8; an invalid byte reads
  // as U+FFFD), in no particular order. Linear time: every byte is classified once and
  // read at most three times (skipping, hashing a word, feeding it), at most two symbols
  // per character are fed, each failure link followed undoes one earlier step down, and
  // occurrences are counted per state and summed per seen terminal at the end (never
  // stored one by one): WorkCounters::matcher_steps grows by at most 4 per byte, plus
  // 2, plus the patterns seen. Memory: arrays sized by the automaton, reused across calls.
  // Returns what it learned of the text's bytes on the way (every byte >= 0x80 is decoded):
  // ASCII, valid UTF-8, or neither (unchecked).
  TextKind scan(std::string_view text, std::vector<Occurrence>* out);

  size_t node_count() const { return nodes_.size(); }

 private:
  struct Node {
    uint32_t fail = 0;
    uint32_t out = kNone;       // nearest terminal on the suffix chain (itself included)
    uint32_t edge_begin = 0;    // children: edge_sym_/edge_child_[edge_begin, + edge_count),
    uint32_t edge_count = 0;    // in increasing symbol order
    uint32_t first_symbol = 0;  // the first child's symbol (the first child is the next node)
    // The last transition computed from this state (child or failure links, resolved):
    // repetitive text, the adversarial kind, then costs one compare per symbol.
    uint32_t memo_symbol = kNone, memo_target = 0;
  };
  struct Terminal {
    uint32_t pattern;   // the caller's pattern index
    uint32_t next;      // the next terminal on the suffix chain, or kNone
    uint32_t length;    // symbols
  };
  // The first word (ASCII once folded) of a keyword that starts with WB, and the node the
  // automaton reaches from the root after WB and that word.
  struct Head {
    uint64_t hash;
    uint32_t node, length, bytes;  // bytes: offset of its lower-cased letters in head_bytes_
  };
  // Where the root's fast loop stopped: at p, or, when head != kNone, at a word p ..
  // p + length that is heads_[head]'s word.
  struct RootStop {
    const uint8_t* p;
    uint32_t head;
  };
  struct Stream {  // where the text's symbol stream stands between two characters
    bool prev_word = false;  // the previous character is a regular word character
    bool in_sep = false;     // the previous character is a separator
  };

  uint32_t child(uint32_t node, uint32_t symbol) const;
  RootStop skip_at_root(const uint8_t* p, const uint8_t* end, Stream* st) const;
  uint32_t find_head(uint64_t hash, const uint8_t* word, size_t len) const;
  bool may_be_head(uint64_t hash) const {
    const uint64_t bit = hash >> head_filter_shift_;
    return (head_filter_[bit >> 6] >> (bit & 63)) & 1;
  }
  // Whether a non-ASCII character of class `cls` and fold `symbol` may take the root
  // anywhere, given what came before it (the stream rules: automaton.h).
  bool moves_root(uint8_t cls, uint32_t symbol, bool prev_word) const;

  std::vector<Node> nodes_;  // depth-first: a keyword's nodes are consecutive
  std::vector<uint32_t> edge_sym_, edge_child_;  // the edges, grouped by parent
  std::vector<Terminal> terminals_;  // breadth-first, so by non-decreasing depth
  uint32_t root_ascii_[128] = {};    // the root's children by ASCII symbol (0: none)
  // For ASCII punctuation b with a root child: bit c set when the byte c after it may
  // continue a keyword (or b alone is one).
  uint64_t root_next_[128][2] = {};
  // Those punctuation bytes, for the block scan to find with SIMD compares.
  PunctSet root_punct_;
  // A filter of the heads' hashes, one bit each, 128 bits per head (4 Kbit to 256 Kbit: the
  // peer workload's fits the first level cache; a false hit costs one table probe), then
  // the heads themselves in an open-addressing table (index + 1, 0 = empty).
  std::vector<uint64_t> head_filter_;
  uint32_t head_filter_shift_ = 64;  // the filter's bit of a hash: its top bits
  // For BMP symbols: bit set when the root has a child for it (root_bmp_), or the node
  // after the root's WB has one (wb_bmp_): what moves_root() asks of a non-ASCII character.
  std::vector<uint64_t> root_bmp_, wb_bmp_;
  uint32_t wb_node_ = kNone;  // the root's WB child
  std::vector<Head> heads_;
  std::vector<uint32_t> head_slots_;
  std::vector<uint8_t> head_bytes_;

  // Scratch of one scan, reset at its end: per terminal the direct visits and the first
  // occurrence; the terminals seen; the byte offsets of the last symbols fed.
  std::vector<uint32_t> count_, first_start_, first_end_;
  std::vector<uint32_t> seen_;
  uint32_t ring_[512];
};

}  // namespace signalkit::matcher_internal

#endif  // SIGNALKIT_SRC_MATCHER_AUTOMATON_H_
