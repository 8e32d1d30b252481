#include <condition_variable>
#include <mutex>

#include <nlohmann/json.hpp>

#include "jobs/job_handler.h"

namespace adloom {

std::string JobHandler::result(const std::vector<StepOutput>& outputs) const {
  return outputs.empty() ? "{}" : outputs.back().output;
}

bool is_retryable(ErrorCode code) {
  return code == ErrorCode::kUnavailable || code == ErrorCode::kDeadlineExceeded ||
         code == ErrorCode::kResourceExhausted || code == ErrorCode::kInternal;
}

namespace {

class NoopHandler final : public JobHandler {
 public:
  Result<std::vector<std::string>> plan(const Job&) const override {
    return std::vector<std::string>{"noop"};
  }
  Result<std::string> run_step(StepContext&, int) override { return std::string("{}"); }
};

struct SleepPlan {
  int steps = 1;
  std::int64_t ms = 100;
  int fail_attempts = 0;
  int fail_step = 0;
};

Result<SleepPlan> parse_sleep(const std::string& payload) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return invalid_argument("payload must be a JSON object");
  SleepPlan p;
  auto read = [&](const char* key, auto& out, std::int64_t lo, std::int64_t hi) -> Status {
    if (!j.contains(key)) return Status::ok();
    if (!j[key].is_number_integer())
      return invalid_argument(std::string(key) + " must be an integer");
    auto v = j[key].get<std::int64_t>();
    if (v < lo || v > hi) {
      return invalid_argument(std::string(key) + " must be between " + std::to_string(lo) +
                              " and " + std::to_string(hi));
    }
    out = static_cast<std::remove_reference_t<decltype(out)>>(v);
    return Status::ok();
  };
  ADLOOM_TRY(read("steps", p.steps, 1, 100));
  ADLOOM_TRY(read("ms", p.ms, 0, 600000));
  ADLOOM_TRY(read("fail_attempts", p.fail_attempts, 0, 100));
  ADLOOM_TRY(read("fail_step", p.fail_step, 0, p.steps - 1));
  return p;
}

class SleepHandler final : public JobHandler {
 public:
  Result<std::vector<std::string>> plan(const Job& job) const override {
    ADLOOM_ASSIGN(SleepPlan p, parse_sleep(job.payload));
    std::vector<std::string> names;
    names.reserve(static_cast<std::size_t>(p.steps));
    for (int i = 0; i < p.steps; ++i) names.push_back("sleep-" + std::to_string(i + 1));
    return names;
  }

  Result<std::string> run_step(StepContext& ctx, int index) override {
    ADLOOM_ASSIGN(SleepPlan p, parse_sleep(ctx.lease.job.payload));
    ctx.report("sleeping " + std::to_string(p.ms) + " ms");
    std::mutex mu;
    std::condition_variable_any cv;
    std::unique_lock lock(mu);
    cv.wait_for(lock, ctx.stop, std::chrono::milliseconds(p.ms), [] { return false; });
    if (ctx.stop.stop_requested()) return cancelled("stopped while sleeping");
    if (index == p.fail_step && ctx.lease.attempt <= p.fail_attempts) {
      return unavailable("planned failure on attempt " + std::to_string(ctx.lease.attempt) +
                         " of the first " + std::to_string(p.fail_attempts));
    }
    nlohmann::json out = {{"step", index}, {"slept_ms", p.ms}, {"attempt", ctx.lease.attempt}};
    return out.dump();
  }
};

}  // namespace

void register_builtin_handlers(HandlerRegistry& registry) {
  registry["noop"] = std::make_unique<NoopHandler>();
  registry["sleep"] = std::make_unique<SleepHandler>();
}

bool is_client_enqueueable(const std::string& kind) {
  return kind == "noop" || kind == "sleep";
}

}  // namespace adloom
