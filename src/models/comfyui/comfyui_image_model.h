// ComfyUiImageModel: images from a ComfyUI server (providers.md §7.2) running a workflow
// the user exported with "Save (API Format)". adloom does not know the graph: it fills
// placeholders in it and queues it.
//
// Placeholders, as JSON string values anywhere in the workflow:
//   "{{prompt}}", "{{negative_prompt}}"  replaced inside strings ("{{prompt}}, 4k" works)
//   "{{seed}}", "{{width}}", "{{height}}", "{{batch_size}}"  a string exactly equal to
//      one becomes that JSON number (inside a longer string: its digits)
// {{prompt}} and {{seed}} are required (without them every image would be the same);
// without {{width}}/{{height}} the workflow's own size is fitted to the size asked for;
// without {{negative_prompt}} negative prompts are not read.
//
// One generate(): POST /prompt, then GET /history/{id} every poll_ms until the job is
// done, then GET /view for the first output image. Cancelling (the call's stop token) or
// running out of time deletes the job from the queue and interrupts it, best-effort.
// Thread safety: generate() may be called concurrently; the graph is read-only after open().
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "models/image_model.h"
#include "net/http_client.h"

namespace adloom {

struct ComfyUiImageOptions {
  std::string endpoint;       // "http://127.0.0.1:8188"; required
  std::string workflow_path;  // the API-format workflow JSON file; required
  int poll_ms = 500;          // between GET /history calls; >= 10
  // Longest a job may take from queueing to its image when the call has no earlier
  // deadline: a ComfyUI restart loses its queue, and the history would stay empty forever.
  int max_wait_ms = 600000;
};

class ComfyUiImageModel final : public ImageModel {
 public:
  using Options = ComfyUiImageOptions;
  // Reads and checks the workflow: kInvalidArgument naming the file when it cannot be read,
  // is not a JSON object of nodes each with a class_type and an inputs object (the UI
  // format, with "nodes" and "links", is recognised and explained), or lacks {{prompt}} or
  // {{seed}}. `http` must outlive the model.
  static Result<std::unique_ptr<ComfyUiImageModel>> open(HttpClient& http, Options options);

  std::string name() const override { return "comfyui:" + workflow_name_; }
  // Sides 64..4096 in multiples of 8 (latent images are 1/8 scale); seeds up to 2^32-1:
  // KSampler takes 64-bit seeds but custom seed nodes and the JavaScript in front of many
  // servers lose precision above 2^53, and 32 bits are what every sampler node accepts.
  const ImageModelLimits& limits() const override { return limits_; }
  // Errors as ImageModel::generate; a workflow ComfyUI rejects (400 with node_errors) is
  // kInvalidArgument with ComfyUI's explanation, a job that fails is kInternal with its
  // messages (kRefused when they mention a content filter or NSFW).
  Result<GeneratedImage> generate(const ImageRequest& request, const ModelCall& call) override;

 private:
  ComfyUiImageModel(HttpClient& http, Options options, nlohmann::json graph,
                    std::string workflow_name, ImageModelLimits limits)
      : http_(http),
        options_(std::move(options)),
        graph_(std::move(graph)),
        workflow_name_(std::move(workflow_name)),
        limits_(std::move(limits)) {}

  HttpClient& http_;
  const Options options_;
  const nlohmann::json graph_;  // with placeholders
  const std::string workflow_name_;
  const ImageModelLimits limits_;
};

}  // namespace adloom
