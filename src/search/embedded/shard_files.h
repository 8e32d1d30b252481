// Durable files for the embedded vector index's shards: fds that close themselves,
// full reads and writes across EINTR and short counts, fsync of files and directories,
// FNV-1a 64 checksums, and a faiss::IOWriter that checksums what it writes. POSIX only.
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <unistd.h>
#include <utility>

#include <faiss/impl/io.h>
#include <sys/types.h>

#include "core/status.h"

namespace adloom::shard_files {

constexpr std::size_t kIoChunk = 1 << 20;
constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

std::uint64_t fnv1a(const void* data, std::size_t size, std::uint64_t h);

Status errno_status(const std::string& what, int err);

class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Closes now, reporting errors (a failed close can mean lost writes). 0 or errno.
  int close() {
    const int fd = std::exchange(fd_, -1);
    return fd >= 0 && ::close(fd) != 0 ? errno : 0;
  }

 private:
  int fd_;
};

UniqueFd open_file(const std::string& path, int flags);

// 0 or errno.
int write_all(int fd, const char* data, std::size_t size);

// Up to `size` bytes (fewer only at end of file); -1 with errno on error.
ssize_t read_full(int fd, char* data, std::size_t size);

int fsync_fd(int fd);

Status fsync_dir(const std::string& dir);

// faiss::IOWriter into a file, buffered, checksumming (FNV-1a 64) and counting the
// bytes as they pass. A write error makes operator() report a short write, which FAISS
// turns into an exception; finish() then reports the errno.
class ChecksumFileWriter final : public faiss::IOWriter {
 public:
  explicit ChecksumFileWriter(int fd) : fd_(fd) { buffer_.reserve(kIoChunk); }

  std::size_t operator()(const void* ptr, std::size_t size, std::size_t nitems) override {
    if (error_ != 0) return 0;
    const std::size_t bytes = size * nitems;
    checksum_ = fnv1a(ptr, bytes, checksum_);
    bytes_ += bytes;
    const auto* p = static_cast<const char*>(ptr);
    if (buffer_.size() + bytes > kIoChunk && !drain()) return 0;
    if (bytes >= kIoChunk) {
      error_ = write_all(fd_, p, bytes);
    } else {
      buffer_.append(p, bytes);
    }
    return error_ == 0 ? nitems : 0;
  }

  // Writes what is buffered and fsyncs. 0 or errno.
  int finish() {
    if (error_ == 0 && drain()) error_ = fsync_fd(fd_);
    return error_;
  }

  std::uint64_t checksum() const { return checksum_; }
  std::uint64_t bytes() const { return bytes_; }

 private:
  bool drain() {
    if (error_ == 0) error_ = write_all(fd_, buffer_.data(), buffer_.size());
    buffer_.clear();
    return error_ == 0;
  }

  int fd_;
  int error_ = 0;
  std::string buffer_;
  std::uint64_t checksum_ = kFnvOffset;
  std::uint64_t bytes_ = 0;
};

struct FileDigest {
  std::uint64_t bytes = 0;
  std::uint64_t checksum = kFnvOffset;
};

Result<FileDigest> digest_file(const std::string& path);

Result<std::string> read_small_file(const std::string& path);

template <typename T>
void append_pod(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

template <typename T>
T read_pod(const std::string& in, std::size_t& pos) {
  T v;
  std::memcpy(&v, in.data() + pos, sizeof v);
  pos += sizeof v;
  return v;
}

void unlink_quietly(const std::string& path);

}  // namespace adloom::shard_files
