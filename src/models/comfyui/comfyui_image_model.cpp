#include "models/comfyui/comfyui_image_model.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <random>
#include <stop_token>

#include <fmt/format.h>

#include "core/text.h"
#include "imaging/image.h"
#include "models/comfyui/comfyui_workflow.h"
#include "models/provider_errors.h"
#include "net/encoding.h"

namespace adloom {
namespace {

using SteadyClock = std::chrono::steady_clock;
using nlohmann::json;

constexpr std::string_view kProvider = "comfyui";
constexpr int kPollTries = 3;  // per poll, from a budget of its own (see ComfyJob::wait)

// `object[key]` as text: a string as is, another value as JSON, "" when absent or when
// `object` is not an object (json::value() would throw on a type mismatch).
std::string field(const json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// `object[key]` when it is an array, else an empty array.
const json& array_field(const json& object, const char* key) {
  static const json kEmpty = json::array();
  if (!object.is_object()) return kEmpty;
  const auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : kEmpty;
}

bool mentions_content_filter(std::string_view text) {
  const std::string m = lower_ascii(std::string(text));
  return m.find("nsfw") != std::string::npos || m.find("content filter") != std::string::npos ||
         m.find("contentfilter") != std::string::npos ||
         m.find("safety checker") != std::string::npos;
}

std::string client_id() {
  std::random_device rd;
  return fmt::format("adloom-{:08x}{:08x}", rd(), rd());
}

// "node 5 (EmptyLatentImage): width must be an integer (got \"x\")" for each node error.
std::string node_errors(const json& body) {
  std::string out;
  const auto ne = body.find("node_errors");
  if (ne == body.end() || !ne->is_object()) return out;
  for (const auto& [id, node] : ne->items()) {
    const std::string type = field(node, "class_type");
    for (const auto& e : array_field(node, "errors")) {
      out += fmt::format("; node {} ({}): {}", id, type, field(e, "message"));
      const std::string details = field(e, "details");
      if (!details.empty()) out += fmt::format(" ({})", details);
    }
  }
  return out;
}

// The text of a failed job's status messages.
std::string job_messages(const json& status) {
  std::string out;
  for (const auto& m : array_field(status, "messages")) {
    if (!m.is_array() || m.size() < 2 || !m[0].is_string() || !m[1].is_object()) continue;
    const std::string kind = m[0];
    const json& data = m[1];
    if (kind == "execution_error") {
      out += fmt::format("{}node {} ({}): {}: {}", out.empty() ? "" : "; ", field(data, "node_id"),
                         field(data, "node_type"), field(data, "exception_type"),
                         field(data, "exception_message"));
    } else if (kind == "execution_interrupted") {
      out += std::string(out.empty() ? "" : "; ") + "interrupted";
    }
  }
  return out;
}

// Waits until `until` or a stop request; false when stopped.
bool wait_until(const std::stop_token& stop, SteadyClock::time_point until) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  cv.wait_until(lock, stop, until, [] { return false; });
  return !stop.stop_requested();
}

// One job on the server: what generate() does, step by step.
struct ComfyJob {
  HttpClient& http;
  std::string base;  // endpoint without a trailing slash
  const std::string& workflow;
  std::string prompt_id;

  ProviderErrorHints hints() const { return {.endpoint = base, .credentials_setting = {}}; }

  OutboundRequest request(std::string method, const std::string& path,
                          std::string body = {}) const {
    OutboundRequest r;
    r.method = std::move(method);
    r.url = base + path;
    if (r.method != "GET") r.headers.push_back({"Content-Type", "application/json"});
    r.body = std::move(body);
    return r;
  }

  Status queue(const json& graph, const CallControl& control) {
    const json body = {{"prompt", graph}, {"client_id", client_id()}};
    ADLOOM_ASSIGN(const OutboundResponse r,
                  http.send(request("POST", "/prompt", body.dump()), control));
    if (r.status == 400) {
      // {"error": {"type", "message", "details"}, "node_errors": {…}}
      const auto parsed = json::parse(r.body, nullptr, false);
      std::string said = error_body_message(r.body);
      if (parsed.is_object()) {
        // The node errors say it per node; without them the details say it in one line.
        const std::string nodes = node_errors(parsed);
        const std::string details = field(parsed.value("error", json::object()), "details");
        said += nodes.empty() && !details.empty() ? ": " + details : nodes;
      }
      return invalid_argument(
          fmt::format("ComfyUI rejected the workflow {}: {}", workflow, clip_text(said, 1000)));
    }
    if (r.status >= 400) return http_error(kProvider, workflow, r, {}, hints());
    ADLOOM_ASSIGN(const json answer, parse_json_body(kProvider, r));
    if (!answer.is_object() || !answer.contains("prompt_id") || !answer["prompt_id"].is_string()) {
      return malformed_answer(kProvider, "POST /prompt returned no prompt_id");
    }
    prompt_id = answer["prompt_id"];
    return Status::ok();
  }

  // Polls the history until the job is in it. Each poll gets a small retry budget of its
  // own: a long job polls hundreds of times and must not spend the step's tries.
  Result<json> wait(const CallControl& control, int poll_ms, SteadyClock::time_point give_up) {
    const std::string path = "/history/" + uri_encode(prompt_id);
    for (;;) {
      const auto next = std::min(SteadyClock::now() + std::chrono::milliseconds(poll_ms), give_up);
      if (!wait_until(control.stop, next)) return cancelled("cancelled while ComfyUI worked");
      if (SteadyClock::now() >= give_up) {
        return Status(ErrorCode::kDeadlineExceeded,
                      fmt::format("ComfyUI did not finish prompt {} in time", prompt_id));
      }
      RetryBudget budget{kPollTries};
      const CallControl poll{control.stop, give_up, &budget};
      ADLOOM_ASSIGN(const OutboundResponse r, http.send(request("GET", path), poll));
      if (r.status >= 400) return http_error(kProvider, workflow, r, {}, hints());
      ADLOOM_ASSIGN(const json history, parse_json_body(kProvider, r));
      if (!history.is_object()) return malformed_answer(kProvider, "the history is not an object");
      const auto entry = history.find(prompt_id);
      if (entry == history.end()) continue;  // still queued or running
      if (entry->is_object()) return *entry;
      return malformed_answer(kProvider, "a history entry is not an object");
    }
  }

  // Best-effort: drop the job from the queue, interrupt it if it runs. With its own short
  // deadline and no stop token, since the call's may already be requested.
  void abandon() {
    if (prompt_id.empty()) return;
    const auto best_effort = [&](const char* path, const json& body) {
      RetryBudget one{1};
      const CallControl control{{}, SteadyClock::now() + std::chrono::seconds(2), &one};
      (void)http.send(request("POST", path, body.dump()), control);
    };
    best_effort("/queue", {{"delete", json::array({prompt_id})}});
    // Servers since 2025 interrupt only this prompt; older ones whatever runs.
    best_effort("/interrupt", {{"prompt_id", prompt_id}});
  }

  // Why the job in this history entry failed, or ok.
  Status job_failure(const json& entry) const {
    const auto status = entry.find("status");
    if (status == entry.end() || field(*status, "status_str") != "error") return Status::ok();
    const std::string messages = job_messages(*status);
    if (mentions_content_filter(messages)) {
      return refused(fmt::format("ComfyUI withheld the image: {}", messages));
    }
    if (messages == "interrupted") {
      return unavailable(fmt::format("the ComfyUI job {} was interrupted", prompt_id));
    }
    return internal_error(
        fmt::format("the ComfyUI workflow {} failed: {}", workflow,
                    messages.empty() ? std::string("no message") : clip_text(messages, 800)));
  }

  Result<std::string> fetch_first_image(const json& entry, const CallControl& control) {
    ADLOOM_TRY(job_failure(entry));
    const json* image = nullptr;
    const auto outputs = entry.find("outputs");
    if (outputs != entry.end() && outputs->is_object()) {
      for (const auto& [node, out] : outputs->items()) {
        const json& images = array_field(out, "images");
        if (!images.empty() && images[0].is_object()) {
          image = &images[0];
          break;
        }
      }
    }
    if (image == nullptr) {
      return internal_error(fmt::format(
          "the ComfyUI workflow {} made no image: does it end in a SaveImage node?", workflow));
    }
    const std::string query =
        fmt::format("/view?filename={}&subfolder={}&type={}", uri_encode(field(*image, "filename")),
                    uri_encode(field(*image, "subfolder")),
                    uri_encode(image->contains("type") ? field(*image, "type") : "output"));
    RetryBudget budget{kPollTries};
    const CallControl fetch{control.stop, control.deadline, &budget};
    ADLOOM_ASSIGN(OutboundResponse r, http.send(request("GET", query), fetch));
    if (r.status == 404) {
      return internal_error(
          fmt::format("ComfyUI has no output file {}", field(*image, "filename")));
    }
    if (r.status >= 400) return http_error(kProvider, workflow, r, {}, hints());
    return std::move(r.body);
  }
};

}  // namespace

Result<std::unique_ptr<ComfyUiImageModel>> ComfyUiImageModel::open(HttpClient& http,
                                                                   Options options) {
  if (options.endpoint.empty()) return invalid_argument("ComfyUI needs an endpoint");
  if (options.poll_ms < 10) return invalid_argument("ComfyUI poll_ms must be at least 10");
  if (options.max_wait_ms < options.poll_ms) {
    return invalid_argument("ComfyUI max_wait_ms must be at least poll_ms");
  }
  ADLOOM_ASSIGN(json graph, load_workflow(options.workflow_path));
  ImageModelLimits limits;
  limits.min_side = 64;
  limits.max_side = 4096;
  limits.side_multiple = 8;
  limits.max_seed = 4294967295ULL;
  limits.negative_prompt = workflow_has(graph, "{{negative_prompt}}");
  limits.variations = false;
  std::string name = std::filesystem::path(options.workflow_path).filename().string();
  return std::unique_ptr<ComfyUiImageModel>(new ComfyUiImageModel(
      http, std::move(options), std::move(graph), std::move(name), std::move(limits)));
}

Result<GeneratedImage> ComfyUiImageModel::generate(const ImageRequest& request,
                                                   const ModelCall& call) {
  if (request.width < 1 || request.height < 1) {
    return invalid_argument("width and height must be positive");
  }
  const auto [width, height] = model_size(limits_, request.width, request.height);
  json graph = graph_;
  fill_workflow(graph, {request.prompt, request.negative_prompt, request.seed, width, height});

  std::string base = options_.endpoint;
  while (!base.empty() && base.back() == '/') base.pop_back();
  ComfyJob job{http_, std::move(base), workflow_name_, {}};
  ADLOOM_TRY(job.queue(graph, call.control));

  const auto give_up = std::min(
      call.control.deadline, SteadyClock::now() + std::chrono::milliseconds(options_.max_wait_ms));
  auto entry = job.wait(call.control, options_.poll_ms, give_up);
  if (!entry) {
    const ErrorCode code = entry.status().code();
    if (code == ErrorCode::kCancelled || code == ErrorCode::kDeadlineExceeded) job.abandon();
    return entry.status();
  }
  ADLOOM_ASSIGN(std::string bytes, job.fetch_first_image(*entry, call.control));
  auto info = probe_image(bytes, IntakeLimits{});
  if (!info) {
    return malformed_answer(kProvider,
                            "the output file is not an image: " + info.status().message());
  }
  GeneratedImage made;
  made.model = name();
  made.width = request.width;
  made.height = request.height;
  if (info->width == request.width && info->height == request.height) {
    made.bytes = std::move(bytes);
    made.mime = info->mime;
    return made;
  }
  ADLOOM_ASSIGN(EncodedImage fitted, fit_image(bytes, request.width, request.height));
  made.bytes = std::move(fitted.bytes);
  made.mime = fitted.mime;
  return made;
}

}  // namespace adloom
