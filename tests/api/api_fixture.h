// Shared black-box fixture: a real `adloom serve` on a free port with its own data dir.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/http_client.h"
#include "support/multipart_body.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace adloom::testing {

class ApiTest : public ::testing::Test {
 protected:
  // Extra settings for the server under test; override in a fixture or call start().
  void start(std::vector<std::string> sets = {}) {
    server_ =
        std::make_unique<ServerProcess>(data_dir(), std::move(sets), dir_.str() + "/server.log");
    server_->start();
    client_ = std::make_unique<HttpClient>(server_->url());
  }
  void TearDown() override {
    if (HasFailure() && server_) std::cerr << "---- server log ----\n" << server_->log() << "\n";
  }
  std::string data_dir() const { return dir_.str() + "/data"; }

  nlohmann::json enqueue(const nlohmann::json& body) {
    auto r = client_->post_json("/api/v1/jobs", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }

  // Waits (through the event stream, no polling) until `done(jobs)` holds for the
  // workspace's job list; returns false after `timeout_ms`. The list is re-read on
  // connect and after each job event, so no change can be missed.
  bool wait_until(const std::function<bool(const nlohmann::json& jobs)>& done,
                  long timeout_ms = 60000) {
    HttpClient events(server_->url());
    HttpClient reader(server_->url());
    return events.stream_events(
        "/api/v1/events",
        [&](const std::string& event, const std::string&) {
          if (event != ":" && event != "job") return true;
          auto list = reader.get("/api/v1/jobs?limit=500");
          return !(list.status == 200 && done(list.json()["jobs"]));
        },
        timeout_ms);
  }

  bool wait_job(const std::string& id, const std::set<std::string>& states,
                long timeout_ms = 60000) {
    return wait_until(
        [&](const nlohmann::json& jobs) {
          for (const auto& j : jobs) {
            if (j["id"] == id) return states.count(j["state"].get<std::string>()) > 0;
          }
          return false;
        },
        timeout_ms);
  }

  HttpResult patch_json(const std::string& path, const nlohmann::json& body) {
    return client_->request("PATCH", path, body.dump(), {"Content-Type: application/json"});
  }

  // `r` is the error `status` with `code`, and its message contains `words`.
  static void expect_error_with(const HttpResult& r, long status, const std::string& code,
                                const std::string& words) {
    EXPECT_EQ(r.status, status) << r.body;
    if (r.status != status) return;
    const auto j = nlohmann::json::parse(r.body, nullptr, false);
    EXPECT_EQ(j["error"]["code"], code) << r.body;
    EXPECT_NE(j["error"]["message"].get<std::string>().find(words), std::string::npos) << r.body;
  }

  // POST /api/v1/assets: one "metadata" part and a "file" part per file.
  HttpResult upload(const nlohmann::json& metadata, const std::vector<FilePart>& files) {
    const std::string boundary = "adloom-test-boundary-7f3a";
    return client_->request("POST", "/api/v1/assets", multipart_body(boundary, metadata, files),
                            {"Content-Type: multipart/form-data; boundary=" + boundary});
  }

  // Until no job is queued or running (60 s at most).
  bool wait_all_jobs_done() {
    return wait_until([](const nlohmann::json& jobs) {
      for (const auto& j : jobs) {
        std::string s = j["state"];
        if (s != "succeeded" && s != "dead" && s != "canceled") return false;
      }
      return true;
    });
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

}  // namespace adloom::testing
