// The symbol stream and the Aho–Corasick automaton over it (automaton.h has the rules).
#include "matcher/automaton.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <numeric>

#include "common/unicode.h"
#include "common/utf8.h"
#include "matcher/block_scan.h"
#include "signalkit/work_counters.h"

namespace signalkit::matcher_internal {
namespace {

// Reads one character: its class (unicode.h) and its symbol (the fold), and its length.
inline void read_char(const uint8_t* p, const uint8_t* end, const unicode::Tables& tab,
                      uint8_t* cls, uint32_t* symbol, int* len) {
  if (*p < 0x80) {
    *cls = tab.cls[*p];
    *symbol = tab.fold[*p];
    *len = 1;
    return;
  }
  uint32_t cp = utf8::decode(p, end, len);
  if (cp < 0x10000) {
    *cls = tab.cls[cp];
    *symbol = tab.fold[cp];
  } else {
    *cls = unicode::astral_class(cp);
    *symbol = unicode::astral_fold(cp);
  }
}

// The stream rules, written once for keywords and texts: emits the symbols of one
// character (of class `cls` and fold `symbol`) as feed(symbol). `st` has prev_word and
// in_sep: what the previous character was.
template <typename State, typename Feed>
inline void stream_char(State& st, uint8_t cls, uint32_t symbol, Feed&& feed) {
  bool word = unicode::word_nn(cls);
  if (word != st.prev_word) {
    feed(kWbSymbol);
    st.prev_word = word;
  }
  if (cls & unicode::kSep) {
    if (!st.in_sep) feed(kSepSymbol);
    st.in_sep = true;
  } else {
    st.in_sep = false;
    feed(symbol);
  }
}

inline uint64_t load8(const uint8_t* p) {
  uint64_t x;
  std::memcpy(&x, p, 8);
  return x;
}

// The hash of an ASCII word (letters and digits) that the root's word filter uses: its
// first 8 bytes lower-cased (b | 0x20 leaves digits alone) and zero-padded, xor its length
// (up to 255) in the top byte, times an odd constant. Cheap on purpose: only a filter
// (find_head() compares the whole word).
constexpr uint64_t kLower8 = 0x2020202020202020ULL;
constexpr uint64_t kHashMultiplier = 0x9E3779B97F4A7C15ULL;  // odd: a bijection on 64 bits
// kFirstBytes[len]: the bytes of a word's first 8 that belong to it (a load, not shifts).
struct FirstBytes {
  uint64_t mask[64];
  constexpr FirstBytes() : mask() {
    for (int len = 0; len < 64; ++len) mask[len] = len >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * len)) - 1;
  }
};
constexpr FirstBytes kFirstBytes;
inline uint64_t word_hash(uint64_t first8, size_t len) {  // len >= 1
  const uint64_t letters = (first8 | kLower8) & kFirstBytes.mask[len < 63 ? len : 63];
  return (letters ^ (static_cast<uint64_t>(len < 255 ? len : 255) << 56)) * kHashMultiplier;
}
uint64_t ascii_word_hash(const uint8_t* word, size_t len) {
  uint64_t x = 0;
  std::memcpy(&x, word, len < 8 ? len : 8);
  return word_hash(x, len);
}

// For 8 ASCII bytes: 0x80 in each byte that is not a letter or digit (or is >= 0x80).
inline uint64_t swar_nonword(uint64_t x) {
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  auto bytes = [](uint8_t b) { return 0x0101010101010101ULL * b; };
  uint64_t y = x & ~kHigh;  // no byte carries into the next below
  uint64_t l = y | bytes(0x20);
  uint64_t letters = (l + bytes(0x80 - 'a')) & ~(l + bytes(0x80 - 'z' - 1));
  uint64_t digits = (y + bytes(0x80 - '0')) & ~(y + bytes(0x80 - '9' - 1));
  return (~(letters | digits) | x) & kHigh;
}

constexpr uint32_t kRingMask = 511;  // ring of symbol offsets, > kMaxPatternSymbols
static_assert(kRingMask + 1 > kMaxPatternSymbols, "the ring must hold a whole pattern");

}  // namespace

bool keyword_symbols(std::string_view keyword, std::vector<uint32_t>* out) {
  out->clear();
  const unicode::Tables& tab = unicode::tables();
  const auto* p = reinterpret_cast<const uint8_t*>(keyword.data());
  const auto* end = p + keyword.size();
  struct {
    bool prev_word = false, in_sep = false;
  } st;
  auto feed = [out](uint32_t s) { out->push_back(s); };
  while (p < end) {
    uint8_t cls;
    uint32_t symbol;
    int len;
    read_char(p, end, tab, &cls, &symbol, &len);
    stream_char(st, cls, symbol, feed);
    p += len;
  }
  if (st.prev_word) out->push_back(kWbSymbol);
  // Separators at the edges are dropped (the WB next to them stays: it belongs to the word).
  if (!out->empty() && out->back() == kSepSymbol) out->pop_back();
  if (!out->empty() && out->front() == kSepSymbol) out->erase(out->begin());
  return !out->empty();
}

// --- building ----------------------------------------------------------------------------

void Automaton::build(const std::vector<std::vector<uint32_t>>& patterns) {
  // 1. The trie, from the patterns in sorted order: each pattern shares its longest common
  //    prefix with the previous one, so nodes are created depth-first and every node's
  //    children in increasing symbol order; no map from (node, symbol) is needed.
  std::vector<uint32_t> order(patterns.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return patterns[a] < patterns[b]; });
  std::vector<uint32_t> parent(1, kNone), label(1, 0), term(1, kNone);
  std::vector<uint32_t> path(1, 0);  // path[d]: the node at depth d of the previous pattern
  const std::vector<uint32_t>* prev = nullptr;
  for (uint32_t pi : order) {
    const std::vector<uint32_t>& pat = patterns[pi];
    size_t common = 0;
    if (prev)
      while (common < pat.size() && common < prev->size() && pat[common] == (*prev)[common]) ++common;
    path.resize(common + 1);
    for (size_t d = common; d < pat.size(); ++d) {
      uint32_t v = static_cast<uint32_t>(parent.size());
      parent.push_back(path.back());
      label.push_back(pat[d]);
      term.push_back(kNone);
      path.push_back(v);
    }
    term[path.back()] = pi;
    prev = &pat;
  }
  const size_t n = parent.size();

  // 2. The nodes keep that depth-first order: a keyword's nodes are consecutive (a walk
  //    down the trie reads memory in order) and a node's first child is the next node.
  //    Children, in increasing symbol order, are edge_sym_/edge_child_ from edge_begin.
  std::vector<uint32_t> kids_begin(n + 1, 0);
  for (size_t v = 1; v < n; ++v) ++kids_begin[parent[v] + 1];
  std::partial_sum(kids_begin.begin(), kids_begin.end(), kids_begin.begin());
  nodes_.assign(n, Node{});
  edge_sym_.assign(n > 0 ? n - 1 : 0, 0);
  edge_child_.assign(n > 0 ? n - 1 : 0, 0);
  {
    std::vector<uint32_t> fill(kids_begin.begin(), kids_begin.end() - 1);
    for (size_t v = 1; v < n; ++v) {  // children in creation order, which is symbol order
      const uint32_t k = fill[parent[v]]++;
      edge_sym_[k] = label[v];
      edge_child_[k] = static_cast<uint32_t>(v);
    }
  }
  for (size_t u = 0; u < n; ++u) {
    Node& node = nodes_[u];
    node.edge_begin = kids_begin[u];
    node.edge_count = kids_begin[u + 1] - kids_begin[u];
    if (node.edge_count) node.first_symbol = edge_sym_[node.edge_begin];
  }

  // 3. Failure links and outputs, breadth-first (a node's failure is shallower); terminals
  //    are numbered in that order too, so by non-decreasing depth.
  std::vector<uint32_t> bfs(1, 0);
  bfs.reserve(n);
  for (size_t i = 0; i < bfs.size(); ++i) {
    const Node& u = nodes_[bfs[i]];
    for (uint32_t k = u.edge_begin; k < u.edge_begin + u.edge_count; ++k) bfs.push_back(edge_child_[k]);
  }
  terminals_.clear();
  for (uint32_t v : bfs) {
    Node& node = nodes_[v];
    if (v == 0) continue;
    if (parent[v] == 0) {
      node.fail = 0;
    } else {
      uint32_t f = nodes_[parent[v]].fail;
      for (;;) {
        const uint32_t c = child(f, label[v]);
        if (c != kNone) { node.fail = c; break; }
        if (f == 0) { node.fail = 0; break; }
        f = nodes_[f].fail;
      }
    }
    const uint32_t inherited = nodes_[node.fail].out;
    if (term[v] != kNone) {
      node.out = static_cast<uint32_t>(terminals_.size());
      terminals_.push_back(Terminal{term[v], inherited, static_cast<uint32_t>(patterns[term[v]].size())});
    } else {
      node.out = inherited;
    }
  }

  // 4. The root's children by ASCII symbol, and for the punctuation among them which
  //    next ASCII bytes can continue a keyword (a byte >= 0x80 always may).
  std::fill(std::begin(root_ascii_), std::end(root_ascii_), 0);
  std::fill(&root_next_[0][0], &root_next_[0][0] + 256, 0);
  root_punct_ = PunctSet{};
  const unicode::Tables& tab = unicode::tables();
  for (uint32_t b = 0; b < 128 && n > 0; ++b) {
    const uint32_t c = child(0, b);
    root_ascii_[b] = c == kNone ? 0 : c;
    if (c == kNone || (tab.cls[b] & (unicode::kWord | unicode::kSep))) continue;
    if (root_punct_.count < 4) root_punct_.bytes[root_punct_.count++] = static_cast<uint8_t>(b);
    else root_punct_.all = true;
    for (uint32_t next = 0; next < 128; ++next) {
      const uint8_t cls = tab.cls[next];
      const uint32_t symbol = (cls & unicode::kWord) ? kWbSymbol : (cls & unicode::kSep) ? kSepSymbol : tab.fold[next];
      if (nodes_[c].out != kNone || child(c, symbol) != kNone) root_next_[b][next >> 6] |= uint64_t{1} << (next & 63);
    }
  }

  // 5. For non-ASCII characters at the root: which BMP symbols the root, and the node
  //    after its WB, have children for (moves_root()).
  wb_node_ = n > 0 ? child(0, kWbSymbol) : kNone;
  root_bmp_.assign(n > 0 ? 0x10000 / 64 : 0, 0);
  wb_bmp_.assign(wb_node_ != kNone ? 0x10000 / 64 : 0, 0);
  auto mark_bmp = [&](uint32_t node, std::vector<uint64_t>* bits) {
    const Node& u = nodes_[node];
    for (uint32_t k = u.edge_begin; k < u.edge_begin + u.edge_count; ++k)
      if (edge_sym_[k] < 0x10000) (*bits)[edge_sym_[k] >> 6] |= uint64_t{1} << (edge_sym_[k] & 63);
  };
  if (n > 0) mark_bmp(0, &root_bmp_);
  if (wb_node_ != kNone) mark_bmp(wb_node_, &wb_bmp_);

  // 6. The heads: the first word of every keyword that starts with WB, when all its
  //    folded characters are ASCII (only those can equal an ASCII word of the text), with
  //    the node that WB and that word lead to from the root.
  heads_.clear();
  head_slots_.clear();
  head_bytes_.clear();
  std::vector<uint8_t> word;
  for (const auto& pat : patterns) {
    if (wb_node_ == kNone || pat.size() < 2 || pat[0] != kWbSymbol) continue;
    word.clear();
    uint32_t node = wb_node_;
    for (size_t i = 1; i < pat.size() && pat[i] != kWbSymbol; ++i) {
      if (pat[i] >= 0x80) { word.clear(); break; }
      word.push_back(static_cast<uint8_t>(pat[i] | 0x20));
      node = child(node, pat[i]);
    }
    if (word.empty()) continue;
    uint64_t h = ascii_word_hash(word.data(), word.size());
    if (find_head(h, word.data(), word.size()) != kNone) continue;  // shared by keywords
    heads_.push_back(Head{h, node, static_cast<uint32_t>(word.size()),
                          static_cast<uint32_t>(head_bytes_.size())});
    head_bytes_.insert(head_bytes_.end(), word.begin(), word.end());
    // Rebuilt as it grows (at most 2 x 9,000 heads): load factor <= 1/2.
    if (head_slots_.size() < heads_.size() * 2) {
      head_slots_.assign(std::max<size_t>(16, head_slots_.size() * 4), 0);
      for (uint32_t i = 0; i < heads_.size(); ++i) {
        size_t mask = head_slots_.size() - 1;
        size_t k = (heads_[i].hash >> 20) & mask;
        while (head_slots_[k]) k = (k + 1) & mask;
        head_slots_[k] = i + 1;
      }
    } else {
      size_t mask = head_slots_.size() - 1;
      size_t k = (h >> 20) & mask;
      while (head_slots_[k]) k = (k + 1) & mask;
      head_slots_[k] = static_cast<uint32_t>(heads_.size());
    }
  }
  uint32_t filter_log2 = 12;
  while (filter_log2 < 18 && (size_t{1} << filter_log2) < heads_.size() * 128) ++filter_log2;
  head_filter_.assign((size_t{1} << filter_log2) / 64, 0);
  head_filter_shift_ = 64 - filter_log2;
  for (const Head& hd : heads_) {
    const uint64_t bit = hd.hash >> head_filter_shift_;
    head_filter_[bit >> 6] |= uint64_t{1} << (bit & 63);
  }

  count_.assign(terminals_.size(), 0);
  first_start_.assign(terminals_.size(), 0);
  first_end_.assign(terminals_.size(), kNone);
  seen_.clear();
}

// --- scanning ----------------------------------------------------------------------------

inline uint32_t Automaton::child(uint32_t node, uint32_t symbol) const {
  const Node& u = nodes_[node];
  const uint32_t n = u.edge_count;
  // An only child is the next node (depth-first order, build()).
  if (n == 1) return u.first_symbol == symbol ? node + 1 : kNone;
  const uint32_t* first = edge_sym_.data() + u.edge_begin;
  if (n <= 8) {
    for (uint32_t i = 0; i < n; ++i)
      if (first[i] == symbol) return edge_child_[u.edge_begin + i];
    return kNone;
  }
  const uint32_t* it = std::lower_bound(first, first + n, symbol);
  return it != first + n && *it == symbol ? edge_child_[it - edge_sym_.data()] : kNone;
}

uint32_t Automaton::find_head(uint64_t hash, const uint8_t* word, size_t len) const {
  if (head_slots_.empty()) return kNone;
  const size_t mask = head_slots_.size() - 1;
  for (size_t k = (hash >> 20) & mask; head_slots_[k]; k = (k + 1) & mask) {
    const Head& h = heads_[head_slots_[k] - 1];
    if (h.hash != hash || h.length != len) continue;
    const uint8_t* want = head_bytes_.data() + h.bytes;
    size_t i = 0;
    while (i < len && (word[i] | 0x20) == want[i]) ++i;
    if (i == len) return head_slots_[k] - 1;
  }
  return kNone;
}

inline bool Automaton::moves_root(uint8_t cls, uint32_t symbol, bool prev_word) const {
  // A separator never does (no keyword starts with one). Another character that is no
  // regular word character is fed after a WB only when a word ends before it, and no
  // keyword starts with WB and such a character: only the root's own edges count.
  if (cls & unicode::kSep) return false;
  if (!unicode::word_nn(cls)) {
    return symbol < 0x10000 ? (root_bmp_[symbol >> 6] >> (symbol & 63)) & 1 : child(0, symbol) != kNone;
  }
  // A regular word character: inside a word, nothing starts (keywords that start with one
  // start with WB); at a word's start, WB and it must begin some keyword.
  if (prev_word || wb_node_ == kNone) return false;
  return symbol < 0x10000 ? (wb_bmp_[symbol >> 6] >> (symbol & 63)) & 1 : child(wb_node_, symbol) != kNone;
}

Automaton::RootStop Automaton::skip_at_root(const uint8_t* p, const uint8_t* end, Stream* st) const {
  const unicode::Tables& tab = unicode::tables();
  uint8_t pad[64 + 8];
  const uint8_t* const from = p;
  bool prev_word = st->prev_word;  // before p
  RootStop r{end, kNone};
  while (p < end) {
    // Every load below reads at most 8 bytes from a word start in the block: near the end
    // of the text the block is a copy padded with spaces (no words, no events).
    const size_t n = end - p < 64 ? static_cast<size_t>(end - p) : 64;
    const uint8_t* blk = p;
    if (end - p < 72) {
      std::memset(pad, ' ', sizeof(pad));
      std::memcpy(pad, p, static_cast<size_t>(end - p));
      blk = pad;
    }
    const BlockMasks m = classify64(blk, root_punct_);
    const uint64_t valid = n == 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1;
    const uint64_t word = m.word & valid;
    // Where the automaton must read: bytes >= 0x80, and punctuation some keyword starts
    // with, when what follows may continue it (a keyword that is that character alone
    // always does).
    uint64_t stops = m.high & valid;
    for (uint64_t punct = m.punct & valid; punct; punct &= punct - 1) {
      const int e = __builtin_ctzll(punct);
      const uint8_t next = blk[e + 1];  // the padding reads as a space
      const bool go_on = next >= 0x80 || ((root_next_[blk[e]][next >> 6] >> (next & 63)) & 1);
      stops |= static_cast<uint64_t>(go_on) << e;
    }
    // Before the first stop, every word that starts in this block: skipped whole unless
    // it may be a keyword's first word (then the automaton jumps to the node it leads to).
    const uint64_t before_stop = stops ? (stops & (0 - stops)) - 1 : ~uint64_t{0};
    const uint64_t all_starts = word & ~((word << 1) | (prev_word ? 1 : 0));
    uint64_t starts = all_starts & before_stop;
    while (starts) {
      const int e = __builtin_ctzll(starts);
      starts &= starts - 1;
      const uint64_t rest = ~word >> e;
      if (rest) {  // the word ends in this block
        const size_t len = static_cast<size_t>(__builtin_ctzll(rest));
        const uint64_t h = word_hash(load8(blk + e), len);
        if (!may_be_head(h)) continue;
        const uint32_t head = find_head(h, p + e, len);
        if (head == kNone) continue;
        r = RootStop{p + e, head};
        goto stopped;
      }
      // It reaches the block's end: follow it 8 bytes at a time.
      const uint8_t* after = p + 64;
      while (end - after >= 8) {
        const uint64_t nonword = swar_nonword(load8(after));
        if (nonword) {
          after += __builtin_ctzll(nonword) >> 3;
          goto word_end;
        }
        after += 8;
      }
      while (after < end && (static_cast<unsigned>((*after | 0x20) - 'a') < 26 ||
                             static_cast<unsigned>(*after - '0') < 10))
        ++after;
    word_end:
      const size_t len = static_cast<size_t>(after - (p + e));
      if (after < end && *after >= 0x80) {  // it may go on: "café"
        r = RootStop{p + e, kNone};
        goto stopped;
      }
      const uint64_t h = word_hash(load8(blk + e), len);
      if (may_be_head(h)) {
        const uint32_t head = find_head(h, p + e, len);
        if (head != kNone) {
          r = RootStop{p + e, head};
          goto stopped;
        }
      }
      p = after;  // skipped: go on after it
      prev_word = true;
      goto next_block;
    }
    if (stops) {
      int at = __builtin_ctzll(stops);
      // A word that runs into a byte >= 0x80 may go on ("café"): the automaton reads it
      // from its start. (A head found in it above was exact: WB and those letters lead to
      // that node whatever follows. A word begun before p lies inside a word the root
      // was already skipping.)
      const uint64_t earlier = all_starts & ((uint64_t{1} << at) - 1);
      if (((m.high >> at) & 1) && earlier) {
        const int w = 63 - __builtin_clzll(earlier);
        const uint64_t span = ((uint64_t{1} << at) - 1) & ~((uint64_t{1} << w) - 1);
        if ((word & span) == span) at = w;
      }
      r = RootStop{p + at, kNone};
      goto stopped;
    }
    prev_word = (word >> (n - 1)) & 1;
    p += n;
  next_block:;
  }
stopped:
  // Every byte skipped is ASCII (a byte >= 0x80 stops the skipping): the one before the
  // stop tells the stream state.
  if (r.p > from) {
    const uint8_t cls = tab.cls[r.p[-1]];
    st->prev_word = unicode::word_nn(cls);
    st->in_sep = (cls & unicode::kSep) != 0;
  }
  return r;
}

TextKind Automaton::scan(std::string_view text, std::vector<Occurrence>* out) {
  if (nodes_.size() <= 1) return TextKind::kUnchecked;
  const unicode::Tables& tab = unicode::tables();
  const auto* base = reinterpret_cast<const uint8_t*>(text.data());
  const uint8_t* p = base;
  const uint8_t* const end = base + text.size();
  uint32_t* const ring = ring_;  // where each of the last symbols starts (a byte offset)
  uint32_t fed = 0;              // symbols fed (mod 2^32; only differences matter)
  uint32_t s = 0;
  uint64_t steps = 0;
  Stream st;
  // Every byte >= 0x80 stops the root's block scan, so the loop below decodes it.
  bool ascii = true, valid = true;

  auto hit = [&](uint32_t o, uint32_t end_offset) {
    if (first_end_[o] == kNone) {
      // First time this terminal is the output: it and every terminal on its suffix chain
      // not seen yet occur here for the first time. A seen one ends the walk: its own
      // chain was recorded when it was first seen, at this position or before.
      uint32_t t = o;
      do {
        first_end_[t] = end_offset;
        first_start_[t] = ring[(fed - terminals_[t].length) & kRingMask];
        seen_.push_back(t);
        t = terminals_[t].next;
      } while (t != kNone && first_end_[t] == kNone);
    }
    ++count_[o];
  };
  // Feeds one symbol that starts at byte `at` and ends at `stop` (WB: at == stop).
  auto feed = [&](uint32_t symbol, uint32_t at, uint32_t stop) {
    ring[fed++ & kRingMask] = at;
    Node& from = nodes_[s];
    uint32_t u;
    if (from.edge_count == 1 && from.first_symbol == symbol) {
      u = s + 1;  // down the keyword: the only child is the next node
    } else if (from.memo_symbol == symbol) {
      u = from.memo_target;  // this state's last transition, failure links already followed
    } else {
      u = s;
      for (;;) {
        const uint32_t c = u == 0 && symbol < 128 ? (root_ascii_[symbol] ? root_ascii_[symbol] : kNone)
                                                   : child(u, symbol);
        if (c != kNone) {
          u = c;
          break;
        }
        if (u == 0) break;
        u = nodes_[u].fail;
        ++steps;
      }
      from.memo_symbol = symbol;
      from.memo_target = u;
    }
    ++steps;
    s = u;
    const uint32_t o = nodes_[u].out;
    if (o != kNone) hit(o, stop);
  };

  while (p < end) {
    if (s == 0) {
      // At the root nothing is under way: skip what cannot start a keyword. Inside a word
      // nothing can (a keyword that starts with a word character starts with WB), nor can
      // a word that is no keyword's first word; a separator or a character the root has
      // no edge for leaves the root where it is.
      const RootStop r = skip_at_root(p, end, &st);
      p = r.p;
      if (r.head != kNone) {
        // WB and the head word take the root straight to the head's node: no keyword ends
        // inside a word, so nothing is output on the way.
        const Head& h = heads_[r.head];
        const uint32_t at = static_cast<uint32_t>(p - base);
        ring[fed++ & kRingMask] = at;
        for (uint32_t i = 0; i < h.length; ++i) ring[fed++ & kRingMask] = at + i;
        steps += h.length + 1;
        s = h.node;
        p += h.length;
        st.prev_word = true;
        st.in_sep = false;
        continue;
      }
      if (p >= end) break;
    }
    uint8_t cls;
    uint32_t symbol;
    int len;
    read_char(p, end, tab, &cls, &symbol, &len);
    if (*p >= 0x80) {
      ascii = false;
      valid &= len > 1;  // decode() reads an invalid byte alone
      if (s == 0 && !moves_root(cls, symbol, st.prev_word)) {
        // At the root, a character that cannot start a keyword here leaves the root
        // where it is: only the stream state moves, and the characters after it that are
        // not ASCII are read here too (the block scan is for ASCII runs).
        for (;;) {
          st.prev_word = unicode::word_nn(cls);
          st.in_sep = (cls & unicode::kSep) != 0;
          p += len;
          if (p >= end || *p < 0x80) break;
          read_char(p, end, tab, &cls, &symbol, &len);
          valid &= len > 1;
          if (moves_root(cls, symbol, st.prev_word)) break;
        }
        if (p >= end || *p < 0x80) continue;
      }
    }
    const uint32_t at = static_cast<uint32_t>(p - base);
    const uint32_t stop = at + static_cast<uint32_t>(len);
    stream_char(st, cls, symbol, [&](uint32_t sym) { feed(sym, at, sym == kWbSymbol ? at : stop); });
    p += len;
  }
  if (st.prev_word) {
    const uint32_t at = static_cast<uint32_t>(text.size());
    feed(kWbSymbol, at, at);
  }

  // Counts: a terminal occurs wherever it or a terminal whose suffix chain holds it was the
  // output. Deepest first, each seen terminal passes its total to the next on its chain.
  std::sort(seen_.begin(), seen_.end(), std::greater<uint32_t>());
  for (uint32_t t : seen_) {
    const uint32_t next = terminals_[t].next;
    if (next != kNone) count_[next] += count_[t];
  }
  for (uint32_t t : seen_) {
    out->push_back(Occurrence{terminals_[t].pattern, first_start_[t], first_end_[t], count_[t]});
    count_[t] = 0;
    first_end_[t] = kNone;
  }
  steps += seen_.size();
  seen_.clear();
  g_work_counters.matcher_steps += steps;
  return ascii ? TextKind::kAscii : valid ? TextKind::kUtf8 : TextKind::kUnchecked;
}

}  // namespace signalkit::matcher_internal
