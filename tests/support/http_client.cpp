#include "support/http_client.h"

#include <algorithm>

#include <curl/curl.h>

namespace adloom::testing {
namespace {

size_t append_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t append_header(char* data, size_t size, size_t n, void* user) {
  std::string line(data, size * n);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    (*static_cast<std::map<std::string, std::string>*>(user))[name] = value;
  }
  return size * n;
}

struct SseState {
  std::string buffer;
  const std::function<bool(const std::string&, const std::string&)>* on_event;
  bool done = false;
};

size_t sse_write(char* data, size_t size, size_t n, void* user) {
  auto* st = static_cast<SseState*>(user);
  st->buffer.append(data, size * n);
  for (;;) {
    auto end = st->buffer.find("\n\n");
    if (end == std::string::npos) break;
    std::string frame = st->buffer.substr(0, end);
    st->buffer.erase(0, end + 2);
    if (!frame.empty() && frame[0] == ':') {  // a comment: ": connected", ": keep-alive"
      if (!(*st->on_event)(":", frame.substr(1))) {
        st->done = true;
        return 0;
      }
      continue;
    }
    std::string event;
    std::string payload;
    std::size_t pos = 0;
    while (pos <= frame.size()) {
      auto nl = frame.find('\n', pos);
      std::string line = frame.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
      if (line.rfind("event: ", 0) == 0) event = line.substr(7);
      if (line.rfind("data: ", 0) == 0) payload += line.substr(6);
      if (nl == std::string::npos) break;
      pos = nl + 1;
    }
    if (event.empty()) continue;
    if (!(*st->on_event)(event, payload)) {
      st->done = true;
      return 0;  // aborts the transfer
    }
  }
  return size * n;
}

}  // namespace

nlohmann::json HttpResult::json() const {
  return nlohmann::json::parse(body);
}

HttpClient::HttpClient(std::string base_url)
    : base_(std::move(base_url)), curl_(curl_easy_init()) {}

HttpClient::~HttpClient() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpResult HttpClient::get(const std::string& path, const std::vector<std::string>& headers) {
  return request("GET", path, "", headers);
}

HttpResult HttpClient::post_json(const std::string& path, const nlohmann::json& body,
                                 const std::vector<std::string>& headers) {
  auto all = headers;
  all.emplace_back("Content-Type: application/json");
  return request("POST", path, body.dump(), all);
}

HttpResult HttpClient::request(const std::string& method, const std::string& path,
                               const std::string& body, const std::vector<std::string>& headers) {
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);
  HttpResult r;
  std::string url = base_ + path;
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  if (method == "HEAD") curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, append_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 30000L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  } else {
    r.error = curl_easy_strerror(rc);
  }
  curl_slist_free_all(list);
  return r;
}

bool HttpClient::stream_events(
    const std::string& path,
    const std::function<bool(const std::string&, const std::string&)>& on_event, long timeout_ms) {
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);
  SseState st;
  st.on_event = &on_event;
  std::string url = base_ + path;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sse_write);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &st);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_perform(c);
  return st.done;
}

}  // namespace adloom::testing
