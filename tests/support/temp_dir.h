// A fresh directory under $TMPDIR (or /tmp) for one test; removed on destruction unless
// ADLOOM_KEEP_TEST_DIRS is set (for post-mortems).
#pragma once

#include <filesystem>
#include <string>

namespace adloom::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace adloom::testing
