#include "models/image_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace adloom {
namespace {

bool fits(const ImageModelLimits& l, int w, int h) {
  if (w < l.min_side || h < l.min_side || w > l.max_side || h > l.max_side) return false;
  if (l.side_multiple > 1 && (w % l.side_multiple != 0 || h % l.side_multiple != 0)) return false;
  const auto pixels = static_cast<std::uint64_t>(w) * static_cast<std::uint64_t>(h);
  if (l.max_pixels > 0 && pixels > l.max_pixels) return false;
  if (l.max_aspect > 0 &&
      static_cast<double>(std::max(w, h)) / std::min(w, h) > l.max_aspect + 1e-9) {
    return false;
  }
  return true;
}

// How far a candidate is from the wanted size: aspect first (a crop loses picture), then
// area (scaling loses or invents detail).
double distance(int w, int h, int want_w, int want_h) {
  const double aspect = std::abs(std::log(static_cast<double>(w) / h) -
                                 std::log(static_cast<double>(want_w) / want_h));
  const double area =
      std::abs(std::log(static_cast<double>(w) * h / (static_cast<double>(want_w) * want_h)));
  return aspect * 4 + area;
}

}  // namespace

std::pair<int, int> model_size(const ImageModelLimits& limits, int width, int height) {
  if (!limits.sizes.empty()) {
    auto best = limits.sizes.front();
    for (const auto& s : limits.sizes) {
      if (distance(s.first, s.second, width, height) <
          distance(best.first, best.second, width, height)) {
        best = s;
      }
    }
    return best;
  }
  if (fits(limits, width, height)) return {width, height};
  // Scale into the pixel budget, then round each side to the multiple, searching the few
  // neighbours of the rounded size for the closest legal one.
  double scale = 1.0;
  const double pixels = static_cast<double>(width) * height;
  if (limits.max_pixels > 0 && pixels > static_cast<double>(limits.max_pixels)) {
    scale = std::sqrt(static_cast<double>(limits.max_pixels) / pixels);
  }
  const int m = std::max(1, limits.side_multiple);
  const int w0 = static_cast<int>(std::lround(width * scale / m)) * m;
  const int h0 = static_cast<int>(std::lround(height * scale / m)) * m;
  std::pair<int, int> best{0, 0};
  double best_d = std::numeric_limits<double>::max();
  for (int dw = -4; dw <= 4; ++dw) {
    for (int dh = -4; dh <= 4; ++dh) {
      const int w = std::clamp(w0 + dw * m, limits.min_side, limits.max_side);
      const int h = std::clamp(h0 + dh * m, limits.min_side, limits.max_side);
      if (!fits(limits, w, h)) continue;
      const double d = distance(w, h, width, height);
      if (d < best_d) {
        best_d = d;
        best = {w, h};
      }
    }
  }
  if (best.first == 0) {  // nothing near: a square at the smallest legal side
    const int side = (limits.min_side + m - 1) / m * m;
    return {side, side};
  }
  return best;
}

std::string check_image_request(const ImageModelLimits& limits, const std::string& model, int width,
                                int height, std::uint64_t seed, bool variation) {
  if (seed > limits.max_seed) {
    return fmt::format("the seed {} is above the largest the image model '{}' takes, {}", seed,
                       model, limits.max_seed);
  }
  if (variation && !limits.variations) {
    return fmt::format("the image model '{}' cannot make variations of an image", model);
  }
  // Sizes are fitted (model_size): only what no legal size can approach is refused.
  if (width < 1 || height < 1) return "width and height must be positive";
  const double aspect = static_cast<double>(std::max(width, height)) / std::min(width, height);
  if (limits.max_aspect > 0 && aspect > limits.max_aspect * 1.5) {
    return fmt::format("{}×{} is too elongated for the image model '{}' (at most {}:1)", width,
                       height, model, limits.max_aspect);
  }
  return {};
}

}  // namespace adloom
