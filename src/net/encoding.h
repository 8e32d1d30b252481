// Byte encodings the providers' wire formats need.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace adloom {

// Standard base64 (RFC 4648, with padding): image bytes in JSON bodies.
std::string base64_encode(std::string_view bytes);
// kInvalidArgument on characters outside the alphabet or bad padding; whitespace is skipped.
Result<std::string> base64_decode(std::string_view text);

// "%XY"-encodes every byte but A-Z a-z 0-9 - _ . ~ (uppercase hex): URL path segments
// such as Bedrock model ids ("amazon.nova-canvas-v1:0" -> "amazon.nova-canvas-v1%3A0").
std::string uri_encode(std::string_view text);

}  // namespace adloom
