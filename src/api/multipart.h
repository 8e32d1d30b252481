// multipart/form-data (RFC 7578) parsing for uploads. Parts point into the request body:
// the body must outlive them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace adloom {

struct MultipartPart {
  std::string name;          // form field name
  std::string filename;      // "" for plain fields
  std::string content_type;  // as sent; "" when absent
  std::string_view data;
};

// kUnsupportedMediaType unless `content_type` is multipart/form-data with a boundary;
// kInvalidArgument for a malformed body (missing boundary lines, headers, or end).
Result<std::vector<MultipartPart>> parse_multipart(std::string_view content_type,
                                                   std::string_view body);

}  // namespace adloom
