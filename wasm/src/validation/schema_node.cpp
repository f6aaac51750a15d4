#include "validation/schema_node.h"

namespace signalkit::schema_internal {

using json::Type;
using json::Value;

std::string types_text(uint8_t types) {
  std::vector<std::string> names;
  if (types & kTObject) names.push_back("an object");
  if (types & kTArray) names.push_back("an array");
  if (types & kTString) names.push_back("a string");
  if (types & kTInteger) names.push_back("an integer");
  if ((types & kTNumber) && !(types & kTInteger)) names.push_back("a number");
  if ((types & kTNumber) && (types & kTInteger)) names.back() = "a number";
  if (types & kTBoolean) names.push_back("a boolean (true or false)");
  if (types & kTNull) names.push_back("null");
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

bool type_matches(uint8_t types, const Value& v) {
  switch (v.type()) {
    case Type::kNull: return types & kTNull;
    case Type::kTrue:
    case Type::kFalse: return types & kTBoolean;
    case Type::kObject: return types & kTObject;
    case Type::kArray: return types & kTArray;
    case Type::kString: return types & kTString;
    case Type::kNumber: return (types & kTNumber) || ((types & kTInteger) && v.is_integer());
  }
  return false;
}

std::string plural(int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace signalkit::schema_internal
