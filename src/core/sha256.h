// SHA-256 of bytes in memory, as 64 lower-case hex digits: an asset's identity within a
// workspace and its original's blob key (FsBlobStore computes the same while streaming).
#pragma once

#include <string>
#include <string_view>

namespace adloom {

std::string sha256_hex(std::string_view bytes);

}  // namespace adloom
