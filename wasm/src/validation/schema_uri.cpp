#include "validation/schema_uri.h"

#include <optional>

namespace signalkit::schema_internal {
namespace {

// The five components of RFC 3986 §3; an absent component differs from an empty one
// ("http://x?" has an empty query, "http://x" none).
struct Components {
  std::optional<std::string_view> scheme, authority, query, fragment;
  std::string_view path;
};

Components parse(std::string_view s) {
  Components c;
  if (size_t hash = s.find('#'); hash != std::string_view::npos) {
    c.fragment = s.substr(hash + 1);
    s = s.substr(0, hash);
  }
  if (size_t q = s.find('?'); q != std::string_view::npos) {
    c.query = s.substr(q + 1);
    s = s.substr(0, q);
  }
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
  size_t i = 0;
  auto alpha = [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); };
  if (!s.empty() && alpha(s[0])) {
    i = 1;
    while (i < s.size() && (alpha(s[i]) || (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' || s[i] == '.')) ++i;
    if (i < s.size() && s[i] == ':') {
      c.scheme = s.substr(0, i);
      s = s.substr(i + 1);
    }
  }
  if (s.substr(0, 2) == "//") {
    size_t end = s.find('/', 2);
    if (end == std::string_view::npos) end = s.size();
    c.authority = s.substr(2, end - 2);
    s = s.substr(end);
  }
  c.path = s;
  return c;
}

// RFC 3986 §5.2.4.
std::string remove_dot_segments(std::string_view in) {
  std::string out;
  while (!in.empty()) {
    if (in.substr(0, 3) == "../") in.remove_prefix(3);
    else if (in.substr(0, 2) == "./") in.remove_prefix(2);
    else if (in.substr(0, 3) == "/./") in.remove_prefix(2);
    else if (in == "/.") in = "/";
    else if (in.substr(0, 4) == "/../" || in == "/..") {
      in = in.size() == 3 ? std::string_view("/") : in.substr(3);
      size_t cut = out.rfind('/');
      out.resize(cut == std::string::npos ? 0 : cut);
      if (in.empty()) break;
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      size_t next = in.find('/', 1);
      if (next == std::string_view::npos) next = in.size();
      out.append(in.substr(0, next));
      in.remove_prefix(next);
    }
  }
  return out;
}

}  // namespace

std::string resolve_uri(std::string_view base, std::string_view ref) {
  const Components r = parse(ref);
  const Components b = parse(base);
  std::optional<std::string_view> scheme, authority, query;
  std::string path;
  if (r.scheme) {
    scheme = r.scheme;
    authority = r.authority;
    path = remove_dot_segments(r.path);
    query = r.query;
  } else {
    if (r.authority) {
      authority = r.authority;
      path = remove_dot_segments(r.path);
      query = r.query;
    } else {
      if (r.path.empty()) {
        path = std::string(b.path);
        query = r.query ? r.query : b.query;
      } else {
        if (r.path[0] == '/') {
          path = remove_dot_segments(r.path);
        } else {
          // §5.2.3 merge.
          std::string merged;
          if (b.authority && b.path.empty()) {
            merged = "/" + std::string(r.path);
          } else {
            size_t slash = b.path.rfind('/');
            merged = slash == std::string_view::npos ? std::string(r.path)
                                                      : std::string(b.path.substr(0, slash + 1)) + std::string(r.path);
          }
          path = remove_dot_segments(merged);
        }
        query = r.query;
      }
      authority = b.authority;
    }
    scheme = b.scheme;
  }
  std::string out;
  if (scheme) out.append(*scheme).push_back(':');
  if (authority) out.append("//").append(*authority);
  out += path;
  if (query) out.append("?").append(*query);
  if (r.fragment) out.append("#").append(*r.fragment);
  return out;
}

UriParts split_fragment(std::string_view uri) {
  UriParts p;
  size_t hash = uri.find('#');
  if (hash == std::string_view::npos) {
    p.absolute = uri;
  } else {
    p.absolute = uri.substr(0, hash);
    p.fragment = uri.substr(hash + 1);
    p.has_fragment = true;
  }
  return p;
}

std::string percent_decode(std::string_view s) {
  auto hex = [](char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  };
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace signalkit::schema_internal
