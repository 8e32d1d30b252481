// A small blocking HTTP client for tests (libcurl). One Client per thread.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace adloom::testing {

struct HttpResult {
  long status = 0;  // 0: transport failure (see error)
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string error;

  nlohmann::json json() const;  // throws if the body is not JSON
};

class HttpClient {
 public:
  explicit HttpClient(std::string base_url);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResult get(const std::string& path, const std::vector<std::string>& headers = {});
  HttpResult post_json(const std::string& path, const nlohmann::json& body,
                       const std::vector<std::string>& headers = {});
  // Any method, raw body and headers ("Name: value").
  HttpResult request(const std::string& method, const std::string& path, const std::string& body,
                     const std::vector<std::string>& headers);

  // Reads a server-sent event stream until `on_event(event, data)` returns false or
  // `timeout_ms` passes. Comment frames arrive as event ":" with the comment as data.
  // Returns true when on_event ended the stream, false on timeout or transport error.
  bool stream_events(const std::string& path,
                     const std::function<bool(const std::string&, const std::string&)>& on_event,
                     long timeout_ms);

 private:
  std::string base_;
  void* curl_;
};

}  // namespace adloom::testing
