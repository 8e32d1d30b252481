// FsBlobStore: BlobStore on a local (POSIX) filesystem.
//
// Layout under the root directory:
//   objects/<first 2 hex of key>/<64-hex key>   immutable objects (all 256 shard dirs
//                                               are created by open_at())
//   tmp/<pid>-<random hex>.tmp                  in-flight writes
//
// A write streams into a temp file while hashing; commit() fsyncs it, renames it into
// place (or drops it when the object already exists) and fsyncs the shard directory, so
// an object is either absent or complete and durable. Paths are built only from keys
// validated by is_valid_blob_key() or computed by the store.
//
// Several processes may share one root, as long as they share a pid namespace: open_at()
// deletes temp files whose writer pid is gone (or that are older than 24 h), and a pid
// from another namespace would look dead. At worst that fails the other writer's commit;
// it never corrupts or loses a committed object.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "blob/blob_store.h"
#include "core/status.h"

namespace adloom {

class FsBlobStore final : public BlobStore {
 public:
  // Opens (creating as needed) a store rooted at `root` and removes temp files left by
  // crashed writers. Not named open(): that would clash with BlobStore::open(const
  // BlobKey&), which has the same parameter type.
  static Result<std::unique_ptr<FsBlobStore>> open_at(const std::string& root);

  Result<BlobKey> put(std::string_view bytes) override;
  Result<std::unique_ptr<BlobWriter>> begin_write() override;
  Result<std::unique_ptr<BlobReader>> open(const BlobKey& key) override;
  Result<std::string> get(const BlobKey& key) override;
  Result<bool> exists(const BlobKey& key) override;
  Status remove(const BlobKey& key) override;
  Status for_each(const std::function<Status(const BlobKey& key, TimeMs modified)>& fn) override;

  const std::string& root() const { return root_; }

 private:
  explicit FsBlobStore(std::string root);

  std::string shard_dir(const BlobKey& key) const;
  std::string object_path(const BlobKey& key) const;

  // Immutable after construction; the filesystem is the only shared state.
  const std::string root_;
  const std::string objects_dir_;
  const std::string tmp_dir_;
};

}  // namespace adloom
