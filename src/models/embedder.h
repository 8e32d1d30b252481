// Embedder: one vector per asset, query or brief, in a single space so text, image and
// brief queries compare with assets. Implementations: builtin/ (hashed n-grams + visual
// descriptor), bedrock/ (Titan Multimodal G1, Nova Multimodal), openai/ (/v1/embeddings).
// Thread safety: embed() may be called concurrently.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "models/model_call.h"

namespace adloom {

struct EmbedInput {
  std::string text;   // all text of the item (campaign, description, OCR, tags)
  std::string image;  // encoded image bytes; empty for text-only queries
  // True for what is searched for (a query), false for what is stored (an asset): some
  // models embed the two for different purposes (Nova: GENERIC_RETRIEVAL vs GENERIC_INDEX).
  bool query = false;
};

class Embedder {
 public:
  virtual ~Embedder() = default;
  // Identifies the model and its parameters: vectors from different ids never mix
  // (switching models means re-indexing).
  virtual std::string model_id() const = 0;
  virtual int dimension() const = 0;
  // The longer side, in pixels, of the images the model looks at: callers pass the
  // smallest rendition at least this large (or the largest there is), since decoding a
  // bigger one only costs time.
  virtual int image_side() const = 0;
  // An L2-normalised vector of dimension(). kInvalidArgument when both inputs are empty
  // or the image cannot be decoded; remote models: the errors of TextModel::generate.
  virtual Result<std::vector<float>> embed(const EmbedInput& input, const ModelCall& call) = 0;
};

}  // namespace adloom
