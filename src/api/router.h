// Router: the one route table. Patterns are literal segments and {name} parameters
// ("/api/v1/jobs/{id}/retry"). Matching never depends on registration order: at each
// segment a literal beats a parameter. Registering the same method+pattern twice, or two
// patterns that differ only in parameter names, is a programming error (throws at start).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/http_types.h"
#include "core/request_context.h"
#include "core/status.h"

namespace adloom {

using RouteHandler = std::function<Result<HttpResponse>(const RequestContext&, HttpRequest&)>;

class Router {
 public:
  void add(const std::string& method, const std::string& pattern, RouteHandler handler);

  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    RouteHandler handler;
  };

  struct Match {
    const Route* route = nullptr;    // null: no route for this method
    std::vector<std::string> allow;  // methods the path supports (for 405); empty: 404
  };

  // Finds the route for method+path and fills req.path_params. HEAD falls back to GET.
  Match match(HttpRequest& req) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace adloom
