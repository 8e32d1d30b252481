// BlobStore: immutable, content-addressed byte objects (images, renditions, exports).
//
// A blob's key is the lowercase hex SHA-256 of its bytes; the same bytes always get the
// same key, so writes are idempotent and duplicates are free. Keys are computed by the
// store, never taken from user input as a path. Tenancy lives in the metadata store:
// rows that reference a key carry the workspace.
//
// Thread safety: every method may be called concurrently from any thread.
// Durability: after put()/commit() returns ok, the blob survives a crash or power loss;
// an interrupted write leaves no object (and no partial object) behind.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace adloom {

using BlobKey = std::string;  // 64 lowercase hex chars

// True when `key` is 64 lowercase hex chars.
bool is_valid_blob_key(std::string_view key);

// Streaming read of one blob. Not thread safe; one reader per thread.
class BlobReader {
 public:
  virtual ~BlobReader() = default;
  // Reads up to `n` bytes into `buf`; returns the count, 0 at the end.
  virtual Result<std::size_t> read(char* buf, std::size_t n) = 0;
  virtual std::uint64_t size() const = 0;
};

// Streaming write of one new blob; the key is known only at commit. Destroying a writer
// without commit() discards everything written. Not thread safe.
class BlobWriter {
 public:
  virtual ~BlobWriter() = default;
  virtual Status write(std::string_view bytes) = 0;
  // Makes the blob durable and visible; returns its key. At most once.
  virtual Result<BlobKey> commit() = 0;
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // Stores `bytes`; returns the key. Idempotent.
  virtual Result<BlobKey> put(std::string_view bytes) = 0;
  // Starts a streaming write (for large uploads).
  virtual Result<std::unique_ptr<BlobWriter>> begin_write() = 0;
  // kNotFound when absent; kInvalidArgument for a malformed key.
  virtual Result<std::unique_ptr<BlobReader>> open(const BlobKey& key) = 0;
  // Whole blob into memory; for small blobs only.
  virtual Result<std::string> get(const BlobKey& key) = 0;
  virtual Result<bool> exists(const BlobKey& key) = 0;
  // Removing an absent key is ok (idempotent).
  virtual Status remove(const BlobKey& key) = 0;
  // Calls `fn` for every stored object with its last write time (a put() of bytes already
  // stored counts as a write); stops at the first error `fn` returns. Objects added or
  // removed meanwhile may or may not be seen.
  virtual Status for_each(const std::function<Status(const BlobKey& key, TimeMs modified)>& fn) = 0;
};

}  // namespace adloom
