#include "blob/fs/fs_blob_store.h"

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <latch>
#include <memory>
#include <signal.h>
#include <string>
#include <string_view>
#include <thread>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "support/temp_dir.h"

namespace adloom {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kAbcSha256 =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr std::size_t kKiB = 1024;
constexpr std::size_t kMiB = 1024 * kKiB;

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
    return "";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

// Deterministic pseudo-random bytes, so a forked child and its parent agree on content.
std::string make_bytes(std::size_t n, std::uint64_t seed) {
  std::string out(n, '\0');
  std::uint64_t x = seed;
  for (char& c : out) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    c = static_cast<char>(x >> 56);
  }
  return out;
}

std::size_t count_regular_files(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) ++n;
  }
  return n;
}

std::vector<std::string> list_names(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir))
    names.push_back(entry.path().filename().string());
  return names;
}

// Waits for `pid` and describes how it ended: "exit 0", "signal 9", ...
std::string wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return "waitpid failed";
  }
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "unknown";
}

class FsBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = FsBlobStore::open_at(root());
    ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
    store_ = std::move(opened).value();
  }

  // A subdirectory, so open_at() also exercises creating the root.
  std::string root() const { return (dir_.path() / "blobs").string(); }
  fs::path objects_dir() const { return dir_.path() / "blobs" / "objects"; }
  fs::path tmp_dir() const { return dir_.path() / "blobs" / "tmp"; }
  fs::path object_file(std::string_view key) const {
    return objects_dir() / std::string(key.substr(0, 2)) / std::string(key);
  }

  adloom::testing::TempDir dir_;
  std::unique_ptr<FsBlobStore> store_;
};

TEST_F(FsBlobStoreTest, RoundTripPutGetAndStreamingRead) {
  const std::string data = "the quick brown fox jumps over the lazy dog";
  auto key = store_->put(data);
  ASSERT_TRUE(key.is_ok()) << key.status().to_string();
  EXPECT_TRUE(is_valid_blob_key(*key));

  auto got = store_->get(*key);
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_EQ(*got, data);

  auto reader = store_->open(*key);
  ASSERT_TRUE(reader.is_ok()) << reader.status().to_string();
  EXPECT_EQ((*reader)->size(), data.size());
  std::string streamed;
  char buf[5];
  for (;;) {
    auto n = (*reader)->read(buf, sizeof buf);
    ASSERT_TRUE(n.is_ok()) << n.status().to_string();
    if (*n == 0) break;
    EXPECT_LE(*n, sizeof buf);
    streamed.append(buf, *n);
  }
  EXPECT_EQ(streamed, data);

  auto present = store_->exists(*key);
  ASSERT_TRUE(present.is_ok());
  EXPECT_TRUE(*present);

  // Objects survive reopening the store.
  store_.reset();
  auto reopened = FsBlobStore::open_at(root());
  ASSERT_TRUE(reopened.is_ok()) << reopened.status().to_string();
  auto again = (*reopened)->get(*key);
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_EQ(*again, data);
}

TEST_F(FsBlobStoreTest, KeyIsSha256OfContentAndNamesTheObjectFile) {
  auto key = store_->put("abc");
  ASSERT_TRUE(key.is_ok()) << key.status().to_string();
  EXPECT_EQ(*key, kAbcSha256);
  EXPECT_TRUE(fs::is_regular_file(object_file(kAbcSha256)));
  EXPECT_EQ(fs::file_size(object_file(kAbcSha256)), 3u);
}

TEST_F(FsBlobStoreTest, SameBytesTwiceGiveSameKeyAndOneObject) {
  const std::string data = make_bytes(100 * kKiB, 1);
  auto first = store_->put(data);
  auto second = store_->put(data);
  ASSERT_TRUE(first.is_ok()) << first.status().to_string();
  ASSERT_TRUE(second.is_ok()) << second.status().to_string();
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(count_regular_files(objects_dir()), 1u);
  EXPECT_TRUE(list_names(tmp_dir()).empty());
}

TEST_F(FsBlobStoreTest, EmptyBlob) {
  auto key = store_->put("");
  ASSERT_TRUE(key.is_ok()) << key.status().to_string();
  EXPECT_EQ(*key, kEmptySha256);

  auto got = store_->get(*key);
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_TRUE(got->empty());

  auto reader = store_->open(*key);
  ASSERT_TRUE(reader.is_ok()) << reader.status().to_string();
  EXPECT_EQ((*reader)->size(), 0u);
  char buf[8];
  auto n = (*reader)->read(buf, sizeof buf);
  ASSERT_TRUE(n.is_ok());
  EXPECT_EQ(*n, 0u);

  auto writer = store_->begin_write();
  ASSERT_TRUE(writer.is_ok());
  auto streamed_key = (*writer)->commit();
  ASSERT_TRUE(streamed_key.is_ok()) << streamed_key.status().to_string();
  EXPECT_EQ(*streamed_key, kEmptySha256);
}

TEST_F(FsBlobStoreTest, LargeStreamingWriteAndRead) {
  constexpr std::size_t kPiece = 64 * kKiB;
  const std::string data = make_bytes(20 * kMiB, 2);
  auto writer = store_->begin_write();
  ASSERT_TRUE(writer.is_ok()) << writer.status().to_string();
  for (std::size_t off = 0; off < data.size(); off += kPiece) {
    const Status st = (*writer)->write(std::string_view(data).substr(off, kPiece));
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }
  auto key = (*writer)->commit();
  ASSERT_TRUE(key.is_ok()) << key.status().to_string();
  EXPECT_EQ(*key, sha256_hex(data));
  EXPECT_TRUE(list_names(tmp_dir()).empty());

  auto reader = store_->open(*key);
  ASSERT_TRUE(reader.is_ok()) << reader.status().to_string();
  EXPECT_EQ((*reader)->size(), data.size());
  std::string back;
  std::string buf(kPiece, '\0');
  for (;;) {
    auto n = (*reader)->read(buf.data(), buf.size());
    ASSERT_TRUE(n.is_ok()) << n.status().to_string();
    if (*n == 0) break;
    back.append(buf.data(), *n);
  }
  EXPECT_TRUE(back == data);  // not EXPECT_EQ: a 20 MiB diff is useless
}

TEST_F(FsBlobStoreTest, MalformedKeysAreRejected) {
  std::string upper(kAbcSha256);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string with_slash(kAbcSha256);
  with_slash[2] = '/';
  std::string with_nul(kAbcSha256);
  with_nul[10] = '\0';
  const std::vector<std::string> bad = {
      upper,
      "ba7816bf",
      "../" + std::string(kAbcSha256.substr(3)),
      "../../etc/passwd",
      with_slash,
      with_nul,
      "",
      std::string(kAbcSha256) + "0",
      std::string(64, 'g'),
  };
  for (const std::string& key : bad) {
    SCOPED_TRACE("key: " + key);
    EXPECT_FALSE(is_valid_blob_key(key));
    EXPECT_EQ(store_->open(key).status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(store_->get(key).status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(store_->exists(key).status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(store_->remove(key).code(), ErrorCode::kInvalidArgument);
  }
  EXPECT_TRUE(is_valid_blob_key(kAbcSha256));
}

TEST_F(FsBlobStoreTest, AbsentKeyIsNotFound) {
  EXPECT_EQ(store_->open(std::string(kAbcSha256)).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->get(std::string(kAbcSha256)).status().code(), ErrorCode::kNotFound);
  auto present = store_->exists(std::string(kAbcSha256));
  ASSERT_TRUE(present.is_ok()) << present.status().to_string();
  EXPECT_FALSE(*present);
}

TEST_F(FsBlobStoreTest, RemoveIsIdempotent) {
  auto key = store_->put("abc");
  ASSERT_TRUE(key.is_ok());
  Status st = store_->remove(*key);
  EXPECT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_FALSE(fs::exists(object_file(*key)));
  auto present = store_->exists(*key);
  ASSERT_TRUE(present.is_ok());
  EXPECT_FALSE(*present);
  st = store_->remove(*key);
  EXPECT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_EQ(store_->get(*key).status().code(), ErrorCode::kNotFound);
  // Removing a key that never existed is fine too.
  st = store_->remove(std::string(kEmptySha256));
  EXPECT_TRUE(st.is_ok()) << st.to_string();
}

TEST_F(FsBlobStoreTest, ConcurrentPutsOfSameContentMakeOneObject) {
  constexpr int kThreads = 8;
  const std::string data = make_bytes(1 * kMiB, 3);
  std::vector<Result<BlobKey>> results(kThreads, Result<BlobKey>(internal_error("not run")));
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();  // maximise overlap
      results[static_cast<std::size_t>(i)] = store_->put(data);
    });
  }
  for (auto& t : threads) t.join();
  const std::string want = sha256_hex(data);
  for (const auto& r : results) {
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_EQ(*r, want);
  }
  EXPECT_EQ(count_regular_files(objects_dir()), 1u);
  EXPECT_TRUE(list_names(tmp_dir()).empty());
  auto got = store_->get(want);
  ASSERT_TRUE(got.is_ok());
  EXPECT_TRUE(*got == data);
}

TEST_F(FsBlobStoreTest, WriterDestroyedWithoutCommitLeavesNothing) {
  auto writer = store_->begin_write();
  ASSERT_TRUE(writer.is_ok()) << writer.status().to_string();
  ASSERT_TRUE((*writer)->write(make_bytes(300 * kKiB, 4)).is_ok());
  EXPECT_EQ(list_names(tmp_dir()).size(), 1u);
  writer->reset();
  EXPECT_TRUE(list_names(tmp_dir()).empty());
  EXPECT_EQ(count_regular_files(objects_dir()), 0u);
}

TEST_F(FsBlobStoreTest, WriterIsSingleUse) {
  auto writer = store_->begin_write();
  ASSERT_TRUE(writer.is_ok());
  ASSERT_TRUE((*writer)->write("abc").is_ok());
  auto key = (*writer)->commit();
  ASSERT_TRUE(key.is_ok()) << key.status().to_string();
  EXPECT_EQ(*key, kAbcSha256);
  EXPECT_EQ((*writer)->commit().status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ((*writer)->write("more").code(), ErrorCode::kFailedPrecondition);
  writer->reset();
  auto got = store_->get(std::string(kAbcSha256));
  ASSERT_TRUE(got.is_ok());
  EXPECT_EQ(*got, "abc");
}

// open_at() sweeps temp files of dead writers and stale ones, and keeps live writers'.
TEST_F(FsBlobStoreTest, OpenRemovesOnlyAbandonedTempFiles) {
  const pid_t dead = ::fork();
  ASSERT_GE(dead, 0);
  if (dead == 0) ::_exit(0);
  ASSERT_EQ(wait_for(dead), "exit 0");  // reaped: kill(dead, 0) now fails with ESRCH

  const std::string me = std::to_string(::getpid());
  const std::string live = me + "-00aa.tmp";
  const std::string dead_writer = std::to_string(dead) + "-00bb.tmp";
  const std::string stale = me + "-00cc.tmp";
  const std::string foreign = "notes.txt";
  for (const std::string& name : {live, dead_writer, stale, foreign}) {
    const int fd = ::open((tmp_dir() / name).c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
    ASSERT_GE(fd, 0) << name;
    ::close(fd);
  }
  // 25 hours old: abandoned even though its pid (ours) is alive.
  const std::time_t old = ::time(nullptr) - std::time_t{25} * 3600;
  const struct timespec times[2] = {{old, 0}, {old, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, (tmp_dir() / stale).c_str(), times, 0), 0);

  auto reopened = FsBlobStore::open_at(root());
  ASSERT_TRUE(reopened.is_ok()) << reopened.status().to_string();
  EXPECT_TRUE(fs::exists(tmp_dir() / live));
  EXPECT_FALSE(fs::exists(tmp_dir() / dead_writer));
  EXPECT_FALSE(fs::exists(tmp_dir() / stale));
  EXPECT_TRUE(fs::exists(tmp_dir() / foreign));
}

// A writer killed mid-stream (no chance to clean up) must leave no object, complete or
// partial; its temp file is swept by the next open_at().
TEST_F(FsBlobStoreTest, TornWriteLeavesNoObject) {
  constexpr std::size_t kPiece = 64 * kKiB;
  constexpr std::size_t kPiecesBeforeDeath = 40;  // 2.5 MiB of 8 MiB
  const std::string data = make_bytes(8 * kMiB, 5);
  const std::string root_path = root();
  store_.reset();

  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Child: no gtest assertions, no destructors; report failures by exit code.
    auto store = FsBlobStore::open_at(root_path);
    if (!store.is_ok()) ::_exit(10);
    auto writer = (*store)->begin_write();
    if (!writer.is_ok()) ::_exit(11);
    for (std::size_t i = 0; i < kPiecesBeforeDeath; ++i) {
      if (!(*writer)->write(std::string_view(data).substr(i * kPiece, kPiece)).is_ok()) {
        ::_exit(12);
      }
    }
    ::raise(SIGKILL);
    ::_exit(13);  // unreachable
  }
  ASSERT_EQ(wait_for(child), "signal " + std::to_string(SIGKILL));

  const std::string full_key = sha256_hex(data);
  const std::string prefix_key = sha256_hex(data.substr(0, kPiecesBeforeDeath * kPiece));
  EXPECT_FALSE(fs::exists(object_file(full_key)));
  EXPECT_FALSE(fs::exists(object_file(prefix_key)));
  EXPECT_EQ(count_regular_files(objects_dir()), 0u);

  // The dead child's temp file is there: the crash really happened mid-write.
  const std::vector<std::string> left = list_names(tmp_dir());
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].rfind(std::to_string(child) + "-", 0), 0u) << left[0];
  EXPECT_EQ(fs::file_size(tmp_dir() / left[0]), kPiecesBeforeDeath * kPiece);

  auto reopened = FsBlobStore::open_at(root_path);
  ASSERT_TRUE(reopened.is_ok()) << reopened.status().to_string();
  EXPECT_TRUE(list_names(tmp_dir()).empty());
  for (const std::string& key : {full_key, prefix_key}) {
    auto present = (*reopened)->exists(key);
    ASSERT_TRUE(present.is_ok()) << present.status().to_string();
    EXPECT_FALSE(*present);
  }
  EXPECT_EQ(count_regular_files(objects_dir()), 0u);
}

// Disk-full stand-in: RLIMIT_FSIZE makes write() fail with EFBIG once the temp file
// reaches the limit, exactly where ENOSPC would surface.
TEST_F(FsBlobStoreTest, WriteFailureFromFileSizeLimitLeavesNothing) {
  const std::string data = make_bytes(1 * kMiB, 6);
  const std::string key = sha256_hex(data);
  const std::string root_path = root();
  const fs::path tmp = tmp_dir();
  const fs::path objects = objects_dir();

  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Child: no gtest assertions, no destructors; report failures by exit code.
    int code = 0;
    try {
      auto store = FsBlobStore::open_at(root_path);
      if (!store.is_ok()) ::_exit(10);
      const struct rlimit limit = {256 * kKiB, 256 * kKiB};
      if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(11);
      if (::signal(SIGXFSZ, SIG_IGN) == SIG_ERR) ::_exit(12);

      auto put = (*store)->put(data);
      if (put.is_ok()) {
        code = 13;
      } else if (put.status().code() != ErrorCode::kResourceExhausted) {
        code = 14;
      } else if (auto present = (*store)->exists(key); !present.is_ok() || *present) {
        code = 15;
      } else if (!list_names(tmp).empty()) {
        code = 16;
      } else if (count_regular_files(objects) != 0) {
        code = 17;
      } else {
        // Streaming: the failing write poisons the writer; commit must not publish.
        auto writer = (*store)->begin_write();
        if (!writer.is_ok() || !(*writer)->write(data.substr(0, 64 * kKiB)).is_ok()) {
          code = 18;
        } else if ((*writer)->write(data).code() != ErrorCode::kResourceExhausted) {
          code = 19;
        } else if ((*writer)->commit().status().code() != ErrorCode::kFailedPrecondition) {
          code = 20;
        } else if (!list_names(tmp).empty() || count_regular_files(objects) != 0) {
          code = 21;
        }
      }
    } catch (...) {
      code = 30;
    }
    ::_exit(code);
  }
  ASSERT_EQ(wait_for(child), "exit 0");
  EXPECT_EQ(count_regular_files(objects_dir()), 0u);
  EXPECT_TRUE(list_names(tmp_dir()).empty());
}

}  // namespace
}  // namespace adloom
