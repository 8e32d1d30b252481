// multipart/form-data bodies for upload tests.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace adloom::testing {

struct FilePart {
  std::string filename;
  std::string bytes;
};

// A "metadata" JSON part, then one "file" part per file.
inline std::string multipart_body(const std::string& boundary, const nlohmann::json& metadata,
                                  const std::vector<FilePart>& files) {
  std::string body = "--" + boundary +
                     "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
                     "Content-Type: application/json\r\n\r\n" +
                     metadata.dump() + "\r\n";
  for (const auto& f : files) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
            f.filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + f.bytes + "\r\n";
  }
  return body + "--" + boundary + "--\r\n";
}

}  // namespace adloom::testing
