#include "imaging/fonts.h"

#include <algorithm>
#include <memory>
#include <mutex>

#include <fontconfig/fontconfig.h>

#include "core/text.h"

namespace adloom {
namespace {

std::string lower_trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t");
  return lower_ascii(s.substr(first, last - first + 1));
}

}  // namespace

std::vector<std::string> installed_font_families() {
  // FcInit is thread safe once done; FcConfig reads are not guaranteed to be, so one at a
  // time.
  static std::mutex mu;
  const std::lock_guard lock(mu);
  std::vector<std::string> out;
  if (FcInit() == FcFalse) return out;
  const std::unique_ptr<FcPattern, decltype(&FcPatternDestroy)> pattern(FcPatternCreate(),
                                                                        FcPatternDestroy);
  const std::unique_ptr<FcObjectSet, decltype(&FcObjectSetDestroy)> objects(
      FcObjectSetBuild(FC_FAMILY, nullptr), FcObjectSetDestroy);
  const std::unique_ptr<FcFontSet, decltype(&FcFontSetDestroy)> fonts(
      FcFontList(nullptr, pattern.get(), objects.get()), FcFontSetDestroy);
  if (!fonts) return out;
  for (int i = 0; i < fonts->nfont; ++i) {
    FcChar8* family = nullptr;
    // A font may list several family names (localised ones): take the first.
    if (FcPatternGetString(fonts->fonts[i], FC_FAMILY, 0, &family) == FcResultMatch) {
      out.emplace_back(reinterpret_cast<const char*>(family));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<std::string> find_font_family(const std::string& name) {
  const std::string wanted = lower_trimmed(name);
  if (wanted.empty()) return std::nullopt;
  for (const auto& family : installed_font_families()) {
    if (lower_trimmed(family) == wanted) return family;
  }
  return std::nullopt;
}

}  // namespace adloom
