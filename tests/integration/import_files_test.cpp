// Import paths on a real file system: list_import_files (recursive, sorted, dot names
// skipped, bad roots) and resolve_import_path (joined under the root, normalised, escapes
// refused).
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "services/bulk_import.h"
#include "support/temp_dir.h"

namespace adloom {
namespace {

namespace fs = std::filesystem;
using Strings = std::vector<std::string>;

// Creates `root`/`rel` (and its parent directories) holding a few bytes.
void write_file(const fs::path& root, const std::string& rel) {
  const fs::path p = root / rel;
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << "bytes of " << rel;
  ASSERT_TRUE(out.good()) << p;
}

Strings list_ok(const std::string& root) {
  auto r = list_import_files(root);
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  return r.is_ok() ? *r : Strings{};
}

std::string resolve_ok(const std::string& root, const std::string& name) {
  auto r = resolve_import_path(root, name);
  EXPECT_TRUE(r.is_ok()) << name << ": " << r.status().to_string();
  return r.is_ok() ? *r : std::string{};
}

// ---------------------------------------------------------------------------------------
// list_import_files

TEST(ImportFilesTest, ListsFilesRecursivelySortedWithForwardSlashes) {
  testing::TempDir dir;
  for (const char* rel : {"b.jpg", "a/z.png", "a/b/c.gif", "A.jpg", "a b.jpg", "a/b/d/e.webp"}) {
    write_file(dir.path(), rel);
  }
  fs::create_directories(dir.path() / "empty" / "deeper");  // directories are not listed
  // Bytewise order: 'A' < ' '-containing "a b" < "a/…" (' ' < '/') < 'b'.
  EXPECT_EQ(list_ok(dir.str()),
            (Strings{"A.jpg", "a b.jpg", "a/b/c.gif", "a/b/d/e.webp", "a/z.png", "b.jpg"}));
}

TEST(ImportFilesTest, RootWithTrailingSlashGivesTheSameNames) {
  testing::TempDir dir;
  write_file(dir.path(), "x/y.jpg");
  write_file(dir.path(), "z.jpg");
  EXPECT_EQ(list_ok(dir.str() + "/"), (Strings{"x/y.jpg", "z.jpg"}));
}

TEST(ImportFilesTest, SkipsDotFilesAndDotDirectories) {
  testing::TempDir dir;
  for (const char* rel :
       {".DS_Store", ".hidden/in_hidden.jpg", ".git/objects/ab/cd", "a/.thumb.jpg",
        "a/.cache/deep/x.jpg", "a/ok.jpg", "not.hidden.jpg", "a/b./c.jpg"}) {
    write_file(dir.path(), rel);
  }
  EXPECT_EQ(list_ok(dir.str()), (Strings{"a/b./c.jpg", "a/ok.jpg", "not.hidden.jpg"}));
}

TEST(ImportFilesTest, EmptyDirectoryGivesNoFiles) {
  testing::TempDir dir;
  auto r = list_import_files(dir.str());
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(*r, Strings{});
}

TEST(ImportFilesTest, MissingDirectoryIsInvalidArgument) {
  testing::TempDir dir;
  const std::string missing = (dir.path() / "no-such-dir").string();
  auto r = list_import_files(missing);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), missing + " is not a directory");
}

TEST(ImportFilesTest, RegularFileIsInvalidArgument) {
  testing::TempDir dir;
  write_file(dir.path(), "single.jpg");
  const std::string file = (dir.path() / "single.jpg").string();
  auto r = list_import_files(file);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), file + " is not a directory");
}

TEST(ImportFilesTest, ListedNamesResolveToTheFiles) {
  testing::TempDir dir;
  write_file(dir.path(), "one.jpg");
  write_file(dir.path(), "sub/two.png");
  const Strings names = list_ok(dir.str());
  ASSERT_EQ(names, (Strings{"one.jpg", "sub/two.png"}));
  for (const auto& name : names) {
    const std::string path = resolve_ok(dir.str(), name);
    EXPECT_EQ(path, (dir.path() / name).string());
    EXPECT_TRUE(fs::is_regular_file(path)) << path;
  }
}

// ---------------------------------------------------------------------------------------
// resolve_import_path

TEST(ImportFilesTest, ResolvesARelativeNameUnderTheRoot) {
  testing::TempDir dir;
  EXPECT_EQ(resolve_ok(dir.str(), "a/b.jpg"), dir.str() + "/a/b.jpg");
  EXPECT_EQ(resolve_ok(dir.str(), "b.jpg"), dir.str() + "/b.jpg");
  // Names that merely start with dots are file names, not escapes.
  EXPECT_EQ(resolve_ok(dir.str(), "..b.jpg"), dir.str() + "/..b.jpg");
  EXPECT_EQ(resolve_ok(dir.str(), "a/...jpg"), dir.str() + "/a/...jpg");
}

TEST(ImportFilesTest, NormalisesDotSegments) {
  testing::TempDir dir;
  EXPECT_EQ(resolve_ok(dir.str(), "./a/../b.jpg"), dir.str() + "/b.jpg");
  EXPECT_EQ(resolve_ok(dir.str(), "a/./c/../b.jpg"), dir.str() + "/a/b.jpg");
  EXPECT_EQ(resolve_ok(dir.str(), "a//b.jpg"), dir.str() + "/a/b.jpg");
  // Going up and back down inside the root is fine.
  EXPECT_EQ(resolve_ok(dir.str(), "a/b/../../c.jpg"), dir.str() + "/c.jpg");
}

TEST(ImportFilesTest, RefusesEscapingAbsoluteAndEmptyNames) {
  testing::TempDir dir;
  for (std::string_view name :
       {"../x.jpg", "/etc/passwd", "a/../../x", "..", "./../x.jpg", "a/b/../../../x.jpg"}) {
    auto r = resolve_import_path(dir.str(), std::string(name));
    ASSERT_FALSE(r.is_ok()) << name << " resolved to " << *r;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << name;
    EXPECT_EQ(r.status().message(),
              "file '" + std::string(name) + "' is outside the import folder");
  }
  auto empty = resolve_import_path(dir.str(), "");
  ASSERT_FALSE(empty.is_ok()) << "resolved to " << *empty;
  EXPECT_EQ(empty.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(empty.status().message(), "no file name");
}

TEST(ImportFilesTest, ASymbolicLinkIsListedUnderItsOwnName) {
  testing::TempDir dir;
  write_file(dir.path(), "real/a.jpg");
  fs::create_symlink(dir.path() / "real" / "a.jpg", dir.path() / "link.jpg");
  fs::create_symlink("real/a.jpg", dir.path() / "rel_link.jpg");
  EXPECT_EQ(list_ok(dir.str()), (Strings{"link.jpg", "real/a.jpg", "rel_link.jpg"}));
}

TEST(ImportFilesTest, RefusesNamesThatAreFolders) {
  testing::TempDir dir;
  for (const char* name : {".", "a/..", "a/"}) {
    auto r = resolve_import_path(dir.str(), name);
    ASSERT_FALSE(r.is_ok()) << name;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(), "'" + std::string(name) + "' names a folder, not a file");
  }
}

}  // namespace
}  // namespace adloom
