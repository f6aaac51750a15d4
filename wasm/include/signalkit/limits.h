// signalkit — every limit the engine enforces on its input, in one place.
//
// Input over a limit is refused with an issue or an error result before the expensive
// work starts (never an abort, a hang or a silent cut). The JS wrapper checks the same
// limits before copying anything into the engine (js/engine.js, js/criteria.js,
// js/matcher.js read them from here through the boundary's `limits` entry point).
//
// Each limit is what one call should ever need, not what memory allows: a call into the
// engine is synchronous, and in JavaScript it holds the event loop (or the page) until it
// returns. Bigger work is split into several calls. What each limit costs at most and what
// exceeding it returns: docs/limits.md.
#ifndef SIGNALKIT_LIMITS_H_
#define SIGNALKIT_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace signalkit {

// --- JSON text (json.h) ----------------------------------------------------------------
inline constexpr size_t kMaxBodyBytes = 1 << 20;       // request bodies, templates, criteria, options: 1 MiB of UTF-8
inline constexpr int kMaxDepth = 64;                   // nested arrays/objects in any JSON the engine reads
inline constexpr size_t kMaxContextBytes = 8u << 20;   // a validation context (a full type list with schemas)

// --- Qualification criteria (criteria.h) -------------------------------------------------
// One research answer is a paragraph, a number or a short list: 1 MiB is far beyond any.
inline constexpr size_t kMaxAnswerBytes = 1u << 20;    // one answer's JSON text (1 MiB)
// A batch or a fit score in one call: 16 MiB of answers (a few hundred ms at most).
inline constexpr size_t kMaxBatchBytes = 16u << 20;    // a batch of answers / fit score items (16 MiB)
inline constexpr size_t kMaxBatchCount = size_t{1} << 24;  // answers in one batch (16,777,216)
inline constexpr size_t kMaxNumberTextBytes = 256;     // longer text is never a number
// Fit-score weights and points: larger values would take the score or the total weight past
// what a double holds (the sums are scaled, so every value up to this is exact).
inline constexpr double kMaxFitScoreOption = 1e300;
inline constexpr size_t kMaxCriteriaIssues = 100;      // checking criteria stops reporting after this

// --- JSON Schema compilation and evaluation (json_schema.h) ----------------------------
// A schema is data from a user, so both compiling it and validating against it are
// metered in units of about 25 ns of CPU time in the wasm build, charged before the work
// they pay for (docs/validation.md, "Cost of a schema", has the charges and the bench
// that checks them against time). A
// schema whose compile would exceed its budget, whose patterns are too big, whose $ref
// chains nest deeper than kMaxSchemaDepth or whose combinators expand one value into more
// than kMaxSchemaSteps evaluations is refused (`too_complex`, naming the field) before it
// is ever used; an evaluation that still exceeds its meter ends with `too_complex`.
inline constexpr uint64_t kMaxSchemaCompileWork = 1000000;  // compile units per schema (~25 ms)
inline constexpr uint64_t kMaxPatternProgram = 50000;       // estimated RE2 instructions per pattern
inline constexpr size_t kMaxSchemaRegexMemory = 32u << 20;  // RE2 memory (programs + DFA caches) per schema
inline constexpr size_t kMaxSchemaCompileIssues = 20;       // invalid_schema issues reported per schema
inline constexpr uint64_t kMaxSchemaSteps = 1000000;   // steps per validate() call (~25 ms)
inline constexpr int kMaxSchemaDepth = 512;            // nested evaluations ($ref, allOf, ...)
inline constexpr size_t kMaxSchemaIssues = 1000;       // issues kept per validate() call

// --- Keyword matching (matcher.h) -------------------------------------------------------
inline constexpr size_t kMatcherMaxTypes = 20;         // signal types per matcher (Puffle's own limit)
inline constexpr size_t kMatcherMaxListItems = 50;     // keywords, each keywords_extra, disqualifiers, sources, source_settings
inline constexpr size_t kMatcherMaxKeywordsPerType = 400;  // 50 + 7 sources x 50 extras
inline constexpr size_t kMatcherMaxKeywordChars = 200;     // code points per keyword
inline constexpr int kMatcherMaxSnippetRadius = 1000;      // code points either side
inline constexpr size_t kMatcherMaxTypesJsonBytes = 64u << 20;  // the types JSON of one compile
inline constexpr size_t kMatcherMaxBatchBytes = size_t{1} << 30;  // titles and texts of one batch call, and of one match() (1 GiB)
inline constexpr size_t kMatcherMaxBatchDocs = size_t{1} << 24;   // documents of one batch call
// One document's title and text together, in UTF-16 code units: the JS wrapper refuses a
// longer one before matching anything, and puts at most this many units in one call
// (at most 192 MiB of UTF-8).
inline constexpr size_t kMatcherMaxDocumentUnits = size_t{64} << 20;
// Result records of one crossing: a batch call stops after the document that reaches this
// many int32 and the wrapper continues from there (16 MiB of records per crossing).
inline constexpr size_t kMatcherMaxBatchOutputInts = size_t{1} << 22;

// --- The boundary (wasm/bindings.cpp) ---------------------------------------------------
// The one input buffer holds a call's text arguments (or a matcher batch's titles and
// texts), so it takes the largest of the limits above.
inline constexpr size_t kMaxInputBytes = kMatcherMaxBatchBytes;
// Scratch buffers (parsed documents, batch buffers, the input buffer) that grew past this
// for one large call are freed after it, so that its memory is in use again only while
// another large call runs. (A WebAssembly memory never shrinks; freed memory is reused.)
inline constexpr size_t kKeepScratchBytes = 4u << 20;

}  // namespace signalkit

#endif  // SIGNALKIT_LIMITS_H_
