#include "blob/fs/fs_blob_store.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <signal.h>
#include <system_error>
#include <unistd.h>
#include <utility>

#include <openssl/evp.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "core/ids.h"

namespace adloom {
namespace {

constexpr std::size_t kDigestBytes = 32;  // SHA-256
constexpr std::size_t kShardChars = 2;
constexpr std::string_view kTempSuffix = ".tmp";
constexpr std::size_t kTempRandomBytes = 8;
constexpr int kTempCreateAttempts = 8;
// A temp file untouched this long is abandoned even if its pid is alive again (pid reuse).
constexpr std::time_t kStaleTempSeconds = std::time_t{24} * 60 * 60;
constexpr mode_t kDirMode = 0755;
constexpr mode_t kFileMode = 0644;
constexpr char kHexDigits[] = "0123456789abcdef";

// Owns one file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

  // Closes now and reports close()'s error (0 if none). On Linux the fd is released even
  // when close() fails, and EINTR must not be retried, so it counts as success.
  int close_now() {
    if (fd_ < 0) return 0;
    const int rc = ::close(std::exchange(fd_, -1));
    return rc == 0 || errno == EINTR ? 0 : errno;
  }

  void reset() {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  }

 private:
  int fd_ = -1;
};

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};
using UniqueDir = std::unique_ptr<DIR, DirCloser>;

struct EvpMdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, EvpMdCtxFree>;

// "blob store: <op>: No space left on device (ENOSPC)" with a code callers can act on.
Status errno_status(std::string_view op, int err) {
  std::string msg = "blob store: ";
  msg += op;
  msg += ": ";
  const char* desc = ::strerrordesc_np(err);
  msg += desc != nullptr ? desc : "unknown error";
  if (const char* name = ::strerrorname_np(err); name != nullptr) {
    msg += " (";
    msg += name;
    msg += ")";
  }
  switch (err) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG: return {ErrorCode::kResourceExhausted, std::move(msg)};
    case EAGAIN:
    case EBUSY:
    case EINTR:
    case EMFILE:
    case ENFILE:
    case ENOBUFS:
    case ENOMEM:
    case ETIMEDOUT: return unavailable(std::move(msg));
    default: return internal_error(std::move(msg));
  }
}

Status malformed_key() {
  return invalid_argument("blob store: malformed blob key (want 64 lowercase hex chars)");
}

bool is_lower_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

std::string to_hex(const unsigned char* bytes, std::size_t n) {
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += kHexDigits[bytes[i] >> 4];
    out += kHexDigits[bytes[i] & 15];
  }
  return out;
}

int open_retry(const char* path, int flags, mode_t mode = 0) {
  for (;;) {
    const int fd = ::open(path, flags, mode);
    if (fd >= 0 || errno != EINTR) return fd;
  }
}

// 0 or errno.
int fsync_fd(int fd) {
  while (::fsync(fd) != 0) {
    if (errno != EINTR) return errno;
  }
  return 0;
}

// Makes the names in directory `dir` (created, renamed, unlinked entries) durable.
// 0 or errno.
int fsync_dir_errno(const std::string& dir) {
  UniqueFd fd(open_retry(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return errno;
  const int err = fsync_fd(fd.get());
  // Some filesystems reject fsync on a directory (EINVAL); they have nothing to flush.
  return err == EINVAL ? 0 : err;
}

Status fsync_dir(const std::string& dir, std::string_view what) {
  const int err = fsync_dir_errno(dir);
  return err == 0 ? Status::ok() : errno_status("sync " + std::string(what), err);
}

// Creates directory `dir` if missing; true when this call created it.
Result<bool> ensure_dir(const std::string& dir, std::string_view what) {
  if (::mkdir(dir.c_str(), kDirMode) == 0) return true;
  if (errno != EEXIST) return errno_status("create " + std::string(what), errno);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return errno_status("stat " + std::string(what), errno);
  if (!S_ISDIR(st.st_mode)) {
    return internal_error("blob store: " + std::string(what) + " exists but is not a directory");
  }
  return false;
}

// The writer pid encoded in a temp file name "<pid>-<hex>.tmp"; 0 when `name` is not a
// temp file of ours.
pid_t temp_file_owner(std::string_view name) {
  if (name.size() <= kTempSuffix.size() || !name.ends_with(kTempSuffix)) return 0;
  name.remove_suffix(kTempSuffix.size());
  const std::size_t dash = name.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == name.size()) return 0;
  pid_t pid = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + dash, pid);
  if (ec != std::errc() || end != name.data() + dash || pid <= 0) return 0;
  const std::string_view rand = name.substr(dash + 1);
  return std::all_of(rand.begin(), rand.end(), is_lower_hex) ? pid : 0;
}

// Deletes temp files of crashed writers: the pid in the name is gone, or the file has not
// been written for kStaleTempSeconds. Files of live writers (in any process) are kept.
Status remove_stale_temp_files(const std::string& tmp_dir) {
  UniqueDir dir(::opendir(tmp_dir.c_str()));
  if (!dir) return errno_status("open temp directory", errno);
  const int dir_fd = ::dirfd(dir.get());
  const std::time_t now = std::time(nullptr);
  for (;;) {
    errno = 0;
    const dirent* entry = ::readdir(dir.get());
    if (entry == nullptr) {
      if (errno != 0) return errno_status("list temp directory", errno);
      return Status::ok();
    }
    const pid_t pid = temp_file_owner(entry->d_name);
    if (pid == 0) continue;  // not ours: leave it alone
    struct stat st {};
    if (::fstatat(dir_fd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue;  // another process swept it first
      return errno_status("stat temp file", errno);
    }
    if (!S_ISREG(st.st_mode)) continue;
    // EPERM means the pid exists under another user: alive. A zombie also counts as alive.
    const bool writer_gone = ::kill(pid, 0) != 0 && errno == ESRCH;
    const bool stale = now - st.st_mtime > kStaleTempSeconds;
    if (!writer_gone && !stale) continue;
    if (::unlinkat(dir_fd, entry->d_name, 0) != 0 && errno != ENOENT) {
      return errno_status("remove stale temp file", errno);
    }
  }
}

class FsBlobReader final : public BlobReader {
 public:
  FsBlobReader(UniqueFd fd, std::uint64_t size) : fd_(std::move(fd)), size_(size) {}

  Result<std::size_t> read(char* buf, std::size_t n) override {
    for (;;) {
      const ssize_t got = ::read(fd_.get(), buf, n);
      if (got >= 0) return static_cast<std::size_t>(got);
      if (errno != EINTR) return errno_status("read object", errno);
    }
  }

  std::uint64_t size() const override { return size_; }

 private:
  UniqueFd fd_;
  std::uint64_t size_;
};

class FsBlobWriter final : public BlobWriter {
 public:
  // Takes over the freshly created, empty temp file `temp_path` (open as `fd`) and a
  // SHA-256 context that has been initialised.
  FsBlobWriter(std::string objects_dir, std::string temp_path, UniqueFd fd, EvpMdCtxPtr sha)
      : objects_dir_(std::move(objects_dir)),
        temp_path_(std::move(temp_path)),
        fd_(std::move(fd)),
        sha_(std::move(sha)) {}
  ~FsBlobWriter() override { discard(); }
  FsBlobWriter(const FsBlobWriter&) = delete;
  FsBlobWriter& operator=(const FsBlobWriter&) = delete;

  Status write(std::string_view bytes) override {
    if (state_ != State::kOpen) return not_open();
    const char* p = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
      const ssize_t n = ::write(fd_.get(), p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        return fail(errno_status("write temp file", errno));
      }
      if (n == 0) return fail(errno_status("write temp file", EIO));  // cannot progress
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    if (EVP_DigestUpdate(sha_.get(), bytes.data(), bytes.size()) != 1) {
      return fail(internal_error("blob store: SHA-256 update failed"));
    }
    size_ += bytes.size();
    return Status::ok();
  }

  Result<BlobKey> commit() override {
    if (state_ != State::kOpen) return not_open();
    // The bytes must be durable before a name makes them visible, or a crash could leave
    // an object that exists but is empty or torn.
    if (const int err = fsync_fd(fd_.get()); err != 0) {
      return fail(errno_status("fsync temp file", err));
    }
    if (const int err = fd_.close_now(); err != 0) {
      return fail(errno_status("close temp file", err));
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    if (EVP_DigestFinal_ex(sha_.get(), digest, &digest_len) != 1 || digest_len != kDigestBytes) {
      return fail(internal_error("blob store: SHA-256 final failed"));
    }
    BlobKey key = to_hex(digest, digest_len);
    const std::string shard_dir = objects_dir_ + "/" + key.substr(0, kShardChars);
    if (Status st = publish(shard_dir, shard_dir + "/" + key); !st.is_ok()) {
      return fail(std::move(st));
    }
    // Also after a dedup: the existing object's rename may not be durable yet if its
    // writer is still between rename and fsync.
    if (Status st = fsync_dir(shard_dir, "shard directory"); !st.is_ok()) {
      return fail(std::move(st));
    }
    state_ = State::kCommitted;
    return key;
  }

 private:
  enum class State { kOpen, kFailed, kCommitted };

  // Moves the temp file to `object_path`, or drops it when that object already exists.
  Status publish(const std::string& shard_dir, const std::string& object_path) {
    struct stat st {};
    if (::stat(object_path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        static_cast<std::uint64_t>(st.st_size) == size_) {
      discard();  // same SHA-256 and size: the same bytes are already stored
      // Freshly written as far as the orphan sweep can tell (it spares young objects):
      // the caller is about to reference them.
      if (::utimensat(AT_FDCWD, object_path.c_str(), nullptr, 0) != 0) {
        return errno_status("refresh object time", errno);
      }
      return Status::ok();
    }
    // Otherwise rename; it atomically replaces a racing writer's identical object, or a
    // wrongly sized file that can only be damage.
    if (::rename(temp_path_.c_str(), object_path.c_str()) != 0) {
      if (errno != ENOENT) return errno_status("publish object", errno);
      // The shard directory was removed behind our back (open_at() creates all of them):
      // recreate it, make its name durable, retry once.
      if (auto created = ensure_dir(shard_dir, "shard directory"); !created.is_ok()) {
        return created.status();
      }
      ADLOOM_TRY(fsync_dir(objects_dir_, "objects directory"));
      if (::rename(temp_path_.c_str(), object_path.c_str()) != 0) {
        return errno_status("publish object", errno);
      }
    }
    temp_exists_ = false;
    return Status::ok();
  }

  // Closes and unlinks the temp file; idempotent. Best effort: open_at() sweeps leftovers.
  void discard() {
    fd_.reset();
    if (temp_exists_) {
      ::unlink(temp_path_.c_str());
      temp_exists_ = false;
    }
  }

  Status fail(Status st) {
    discard();
    state_ = State::kFailed;
    return st;
  }

  Status not_open() const {
    return {ErrorCode::kFailedPrecondition, state_ == State::kCommitted
                                                ? "blob writer: already committed"
                                                : "blob writer: an earlier step failed"};
  }

  const std::string objects_dir_;
  const std::string temp_path_;
  UniqueFd fd_;
  EvpMdCtxPtr sha_;
  std::uint64_t size_ = 0;
  bool temp_exists_ = true;
  State state_ = State::kOpen;
};

}  // namespace

bool is_valid_blob_key(std::string_view key) {
  return key.size() == 2 * kDigestBytes && std::all_of(key.begin(), key.end(), is_lower_hex);
}

FsBlobStore::FsBlobStore(std::string root)
    : root_(std::move(root)), objects_dir_(root_ + "/objects"), tmp_dir_(root_ + "/tmp") {}

Result<std::unique_ptr<FsBlobStore>> FsBlobStore::open_at(const std::string& root) {
  if (root.empty()) return invalid_argument("blob store: empty root directory");
  std::error_code ec;
  const bool created_root = std::filesystem::create_directories(root, ec);
  if (ec) return errno_status("create root directory " + root, ec.value());
  std::unique_ptr<FsBlobStore> store(new FsBlobStore(root));

  if (created_root) {
    std::filesystem::path path = std::filesystem::path(root).lexically_normal();
    if (!path.has_filename()) path = path.parent_path();  // "a/b/" -> "a/b"
    std::filesystem::path parent = path.parent_path();
    if (parent.empty()) parent = ".";
    ADLOOM_TRY(fsync_dir(parent.string(), "parent of root directory " + root));
  }
  for (const std::string* dir : {&store->objects_dir_, &store->tmp_dir_}) {
    if (auto created = ensure_dir(*dir, "directory " + *dir); !created.is_ok()) {
      return created.status();
    }
  }
  // All shard dirs up front, so a commit never races another process's shard creation
  // (whose name might not be durable yet when our object lands in it).
  for (int i = 0; i < 256; ++i) {
    const unsigned char byte = static_cast<unsigned char>(i);
    const std::string shard = store->objects_dir_ + "/" + to_hex(&byte, 1);
    if (auto created = ensure_dir(shard, "shard directory " + shard); !created.is_ok()) {
      return created.status();
    }
  }
  // Unconditionally: a concurrent open_at() may have created these names and not yet
  // synced them; cheap when nothing is dirty.
  ADLOOM_TRY(fsync_dir(store->objects_dir_, "directory " + store->objects_dir_));
  ADLOOM_TRY(fsync_dir(store->root_, "root directory " + store->root_));

  ADLOOM_TRY(remove_stale_temp_files(store->tmp_dir_));
  return store;
}

std::string FsBlobStore::shard_dir(const BlobKey& key) const {
  return objects_dir_ + "/" + key.substr(0, kShardChars);
}

std::string FsBlobStore::object_path(const BlobKey& key) const {
  return shard_dir(key) + "/" + key;
}

Result<BlobKey> FsBlobStore::put(std::string_view bytes) {
  ADLOOM_ASSIGN(auto writer, begin_write());
  ADLOOM_TRY(writer->write(bytes));
  return writer->commit();
}

Result<std::unique_ptr<BlobWriter>> FsBlobStore::begin_write() {
  EvpMdCtxPtr sha(EVP_MD_CTX_new());
  if (!sha || EVP_DigestInit_ex(sha.get(), EVP_sha256(), nullptr) != 1) {
    return internal_error("blob store: SHA-256 init failed");
  }
  const std::string prefix = tmp_dir_ + "/" + std::to_string(::getpid()) + "-";
  for (int attempt = 0; attempt < kTempCreateAttempts; ++attempt) {
    std::string path = prefix + random_hex(kTempRandomBytes) + std::string(kTempSuffix);
    UniqueFd fd(open_retry(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kFileMode));
    if (fd.valid()) {
      return std::unique_ptr<BlobWriter>(std::make_unique<FsBlobWriter>(
          objects_dir_, std::move(path), std::move(fd), std::move(sha)));
    }
    if (errno != EEXIST) return errno_status("create temp file", errno);
  }
  return internal_error("blob store: create temp file: repeated name collisions");
}

Result<std::unique_ptr<BlobReader>> FsBlobStore::open(const BlobKey& key) {
  if (!is_valid_blob_key(key)) return malformed_key();
  UniqueFd fd(open_retry(object_path(key).c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) return not_found("blob " + key + " does not exist");
    return errno_status("open object", errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return errno_status("stat object", errno);
  if (!S_ISREG(st.st_mode)) return internal_error("blob store: object is not a regular file");
  return std::unique_ptr<BlobReader>(
      std::make_unique<FsBlobReader>(std::move(fd), static_cast<std::uint64_t>(st.st_size)));
}

Result<std::string> FsBlobStore::get(const BlobKey& key) {
  ADLOOM_ASSIGN(auto reader, open(key));
  std::string out(static_cast<std::size_t>(reader->size()), '\0');
  std::size_t got = 0;
  while (got < out.size()) {
    ADLOOM_ASSIGN(const std::size_t n, reader->read(out.data() + got, out.size() - got));
    if (n == 0) return internal_error("blob store: object " + key + " is shorter than its size");
    got += n;
  }
  return out;
}

Result<bool> FsBlobStore::exists(const BlobKey& key) {
  if (!is_valid_blob_key(key)) return malformed_key();
  struct stat st {};
  if (::stat(object_path(key).c_str(), &st) == 0) return true;
  if (errno == ENOENT) return false;
  return errno_status("stat object", errno);
}

Status FsBlobStore::remove(const BlobKey& key) {
  if (!is_valid_blob_key(key)) return malformed_key();
  if (::unlink(object_path(key).c_str()) != 0 && errno != ENOENT) {
    return errno_status("remove object", errno);
  }
  // Even when already absent: a concurrent remove() may not have synced the unlink yet.
  // A missing shard directory (removed by hand) has nothing to sync.
  if (const int err = fsync_dir_errno(shard_dir(key)); err != 0 && err != ENOENT) {
    return errno_status("sync shard directory", err);
  }
  return Status::ok();
}

namespace fs = std::filesystem;

Status FsBlobStore::for_each(const std::function<Status(const BlobKey& key, TimeMs modified)>& fn) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(objects_dir_, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const std::string key = it->path().filename().string();
    if (!is_valid_blob_key(key)) continue;
    struct stat st {};
    if (::stat(it->path().c_str(), &st) != 0) continue;  // removed meanwhile
    const TimeMs modified = static_cast<TimeMs>(st.st_mtim.tv_sec) * 1000 +
                            static_cast<TimeMs>(st.st_mtim.tv_nsec / 1'000'000);
    ADLOOM_TRY(fn(key, modified));
  }
  if (ec) return internal_error("blob store: cannot list objects: " + ec.message());
  return Status::ok();
}

}  // namespace adloom
