// signalkit — the issue list every engine call returns.
//
// Errors are values: no engine function throws or aborts across its API. A problem
// with the caller's input is an Issue; `field` is a path such as `keywords[3]` or
// `qualificationCriteria.ranges[1].rangeEnd` ("" for the whole document), `code` is a
// stable machine-readable id documented in docs/validation.md, and `message` is plain
// English naming the field, the rule and what is wrong with the value.
#ifndef SIGNALKIT_ISSUES_H_
#define SIGNALKIT_ISSUES_H_

#include <string>
#include <vector>

namespace signalkit {

struct Issue {
  std::string field;
  std::string code;
  std::string message;
};

using Issues = std::vector<Issue>;

// Renders issues as the JSON array `[{"field":…,"code":…,"message":…}, …]`
// (valid UTF-8 always: invalid bytes in messages become U+FFFD).
std::string issues_to_json(const Issues& issues);

// Appends `s` to `out` as a JSON string literal (quotes included), replacing invalid
// UTF-8 with U+FFFD.
void append_json_string(std::string& out, const std::string& s);

}  // namespace signalkit

#endif  // SIGNALKIT_ISSUES_H_
