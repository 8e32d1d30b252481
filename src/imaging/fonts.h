// The font families installed on this machine (fontconfig), so a brand kit names one the
// layout composer can actually render with.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace adloom {

// Every installed family name, sorted and unique (e.g. "DejaVu Sans", "DejaVu Serif").
// Thread safe; asks fontconfig each time (a few ms), so fonts installed later are seen.
std::vector<std::string> installed_font_families();

// The installed family spelled as fontconfig spells it, matched without regard to case
// and surrounding spaces; nullopt when no such family is installed.
std::optional<std::string> find_font_family(const std::string& name);

}  // namespace adloom
