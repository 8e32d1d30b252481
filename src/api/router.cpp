#include "api/router.h"

#include <algorithm>
#include <stdexcept>

namespace adloom {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t i = 1;  // paths start with '/'
  while (i <= path.size()) {
    auto slash = path.find('/', i);
    if (slash == std::string::npos) slash = path.size();
    out.push_back(path.substr(i, slash - i));
    i = slash + 1;
  }
  return out;
}

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Shape of a pattern with parameter names erased: "/jobs/{}" for "/jobs/{id}".
std::string shape(const std::vector<std::string>& segments) {
  std::string s;
  for (const auto& seg : segments) {
    s += '/';
    s += is_param(seg) ? std::string("{}") : seg;
  }
  return s;
}

// Specificity vector: 1 for a literal, 0 for a parameter, per segment. A higher
// lexicographic value wins, so literals win at the first segment where routes differ.
bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
             std::vector<int>& specificity) {
  if (pattern.size() != path.size()) return false;
  specificity.clear();
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (is_param(pattern[i])) {
      if (path[i].empty()) return false;
      specificity.push_back(0);
    } else if (pattern[i] == path[i]) {
      specificity.push_back(1);
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

void Router::add(const std::string& method, const std::string& pattern, RouteHandler handler) {
  if (pattern.empty() || pattern[0] != '/') throw std::logic_error("route must start with /");
  auto segments = split_path(pattern);
  for (const auto& r : routes_) {
    if (r.method == method && shape(r.segments) == shape(segments)) {
      throw std::logic_error(
          std::string("duplicate route ").append(method).append(" ").append(pattern));
    }
  }
  routes_.push_back(Route{method, pattern, std::move(segments), std::move(handler)});
}

Router::Match Router::match(HttpRequest& req) const {
  auto path = split_path(req.path);
  const std::string& method = req.method == "HEAD" ? std::string("GET") : req.method;

  // The most specific matching pattern, then the methods registered for that pattern.
  std::vector<int> best_spec;
  std::vector<int> spec;
  std::string best_shape;
  for (const auto& r : routes_) {
    if (!matches(r.segments, path, spec)) continue;
    if (best_shape.empty() || spec > best_spec) {
      best_spec = spec;
      best_shape = shape(r.segments);
    }
  }
  Match m;
  if (best_shape.empty()) return m;
  for (const auto& r : routes_) {
    if (shape(r.segments) != best_shape) continue;
    m.allow.push_back(r.method);
    if (r.method == method) m.route = &r;
  }
  std::sort(m.allow.begin(), m.allow.end());
  if (m.route != nullptr) {
    for (std::size_t i = 0; i < path.size(); ++i) {
      const auto& seg = m.route->segments[i];
      if (is_param(seg)) req.path_params[seg.substr(1, seg.size() - 2)] = path[i];
    }
  }
  return m;
}

}  // namespace adloom
