#include "search/embedded/shard_files.h"

#include <fcntl.h>

#include <fmt/format.h>

namespace adloom::shard_files {

std::uint64_t fnv1a(const void* data, std::size_t size, std::uint64_t h) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    h ^= p[i];
    h *= kFnvPrime;
  }
  return h;
}

Status errno_status(const std::string& what, int err) {
  return internal_error(fmt::format("vector index: {}: {}", what, std::strerror(err)));
}

UniqueFd open_file(const std::string& path, int flags) {
  for (;;) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
    if (fd >= 0 || errno != EINTR) return UniqueFd(fd);
  }
}

// 0 or errno.
int write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return 0;
}

// Up to `size` bytes (fewer only at end of file); -1 with errno on error.
ssize_t read_full(int fd, char* data, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd, data + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return static_cast<ssize_t>(done);
}

int fsync_fd(int fd) {
  while (::fsync(fd) != 0) {
    if (errno != EINTR) return errno;
  }
  return 0;
}

Status fsync_dir(const std::string& dir) {
  const UniqueFd fd = open_file(dir, O_RDONLY | O_DIRECTORY);
  if (!fd.valid()) return errno_status("open directory " + dir, errno);
  const int err = fsync_fd(fd.get());
  // Some filesystems reject fsync on a directory (EINVAL); they have nothing to flush.
  return err == 0 || err == EINVAL ? Status::ok() : errno_status("sync directory " + dir, err);
}

Result<FileDigest> digest_file(const std::string& path) {
  const UniqueFd fd = open_file(path, O_RDONLY);
  if (!fd.valid()) return errno_status("open " + path, errno);
  FileDigest d;
  std::string buf(kIoChunk, '\0');
  for (;;) {
    const ssize_t n = read_full(fd.get(), buf.data(), buf.size());
    if (n < 0) return errno_status("read " + path, errno);
    d.checksum = fnv1a(buf.data(), static_cast<std::size_t>(n), d.checksum);
    d.bytes += static_cast<std::uint64_t>(n);
    if (static_cast<std::size_t>(n) < buf.size()) return d;
  }
}

Result<std::string> read_small_file(const std::string& path) {
  const UniqueFd fd = open_file(path, O_RDONLY);
  if (!fd.valid()) return errno_status("open " + path, errno);
  std::string out;
  std::string buf(kIoChunk, '\0');
  for (;;) {
    const ssize_t n = read_full(fd.get(), buf.data(), buf.size());
    if (n < 0) return errno_status("read " + path, errno);
    out.append(buf.data(), static_cast<std::size_t>(n));
    if (static_cast<std::size_t>(n) < buf.size()) return out;
  }
}

void unlink_quietly(const std::string& path) {
  ::unlink(path.c_str());
}

}  // namespace adloom::shard_files
