// BuiltinEmbedder: an offline Embedder with no model files. Deterministic: the same input
// and options give bit-identical vectors on any build (stable hashes, no std::hash).
//
// Layout of a vector of dimension() floats:
//   [0, text_dimension)           text part: signed feature hashing of lower-cased words
//                                 (stop-words dropped), word bigrams and boundary-marked
//                                 character 3- and 4-grams, weighted by 1 + ln(tf)
//   [text_dimension, dimension)   visual part (only when image bytes are given): CIE Lab
//                                 colour histogram, 4×4 colour layout, edge density and
//                                 orientation, tone statistics (kVisualFeatures floats;
//                                 any further dimensions stay zero)
// Each part is L2-normalised and scaled by its weight, then the whole vector is
// L2-normalised. A text-only query therefore has a zero visual part: it matches assets
// by their text (campaign, description, OCR, tags), and an image query by both.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "models/embedder.h"

namespace adloom {

struct BuiltinEmbedderOptions {
  // Total dimensions; must match the vector index's dimension.
  int dimension = 512;
  // Dimensions for the text part; the rest (dimension - text_dimension) is the visual
  // part, which must be 0 (text only) or at least BuiltinEmbedder::kVisualFeatures.
  int text_dimension = 384;
  // Scale of each unit-length part before the final normalisation; only their ratio
  // matters. text_weight > 0, visual_weight >= 0 (0 ignores images).
  float text_weight = 1.0F;
  float visual_weight = 0.6F;
};

class BuiltinEmbedder final : public Embedder {
 public:
  using Options = BuiltinEmbedderOptions;

  // Floats used by the visual descriptor (see the .cpp for the exact layout).
  static constexpr int kVisualFeatures = 128;
  // Images are analysed downscaled so their longer side is at most this.
  static constexpr int kAnalysisSide = 128;

  // kInvalidArgument for inconsistent options (they usually come from configuration).
  static Result<std::unique_ptr<BuiltinEmbedder>> create(const Options& options);

  // "builtin-hash-v1-d512-t384-w0.6": algorithm version, dimensions, and the visual/text
  // weight ratio, so vectors made with other parameters never mix in one index.
  std::string model_id() const override;
  int dimension() const override { return options_.dimension; }
  int image_side() const override { return kAnalysisSide; }
  int text_dimension() const { return options_.text_dimension; }

  // kInvalidArgument when the text has no letters or digits and there is no image, or
  // when the image cannot be decoded. Text made only of stop-words ("the who") still
  // embeds: the stop-words are used then.
  Result<std::vector<float>> embed(const EmbedInput& input, const ModelCall& call) override;

 private:
  explicit BuiltinEmbedder(const Options& options) : options_(options) {}

  const Options options_;
};

}  // namespace adloom
