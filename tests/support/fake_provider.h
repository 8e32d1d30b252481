// Runs one of the Node fake model providers (tests/fakes/server.mjs) as a child process on
// a free port, for integration tests of the provider adapters. The fake's admin API
// (/_fake/…) queues faults and shows the requests it received, with their verdicts.
// Never a fixed port; stopped with its own pid only.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <sys/types.h>

#include "support/temp_dir.h"

namespace adloom::testing {

class FakeProvider {
 public:
  // Starts `node tests/fakes/server.mjs --provider <provider> --port 0 <extra_args…>` and
  // waits (up to 20 s) for its "fake <provider> listening on <url>" line. Throws
  // std::runtime_error with the fake's stderr when it exits or stays silent.
  explicit FakeProvider(const std::string& provider, std::vector<std::string> extra_args = {});
  ~FakeProvider();  // SIGTERM, then SIGKILL after 5 s; always reaped
  FakeProvider(const FakeProvider&) = delete;
  FakeProvider& operator=(const FakeProvider&) = delete;

  // The directory of the fakes, tests/fakes/ (also holds comfyui-workflow.json).
  static std::string fakes_dir();

  // "http://127.0.0.1:<port>"
  const std::string& url() const { return url_; }
  // Queues a fault: {"mode":"throttle|error500|error503|slow|malformed|truncated|refusal|
  // expired_token|access_denied","count":N,"delay_ms":…,"retry_after":s,"path_contains":…}.
  // Throws when the fake refuses it.
  void set_fault(const nlohmann::json& fault);
  // The requests received since the last reset, oldest first: each {"method","path",
  // "query","headers","json","verdict","status","fault",…}.
  nlohmann::json requests();
  // Clears faults and the request log.
  void reset();
  // What the fake wrote on stderr (one line per request), for failure messages.
  std::string log() const;

 private:
  TempDir dir_;
  std::string log_path_;
  pid_t pid_ = -1;
  std::string url_;
};

}  // namespace adloom::testing
