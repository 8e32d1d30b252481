// The orphan sweep on a real blob store and database: only old blobs that no asset and no
// unfinished import needs are removed; a put() of stored bytes makes them young again.
#include "services/blob_gc.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "blob/fs/fs_blob_store.h"
#include "integration/library_db_fixture.h"

namespace adloom {
namespace {

namespace fs = std::filesystem;

constexpr TimeMs kHour = TimeMs{60} * 60 * 1000;

class BlobGcTest : public testing::LibraryDbTest {
 protected:
  void SetUp() override {
    LibraryDbTest::SetUp();
    auto blobs = FsBlobStore::open_at(dir_.str() + "/blobs");
    ASSERT_TRUE(blobs.is_ok()) << blobs.status().to_string();
    blobs_ = std::move(blobs).value();
  }

  BlobKey put(const std::string& bytes) {
    auto key = blobs_->put(bytes);
    EXPECT_TRUE(key.is_ok()) << key.status().to_string();
    return key.is_ok() ? *key : BlobKey();
  }

  // Moves the object's last write two hours into the past.
  void age(const BlobKey& key) {
    const fs::path path = fs::path(dir_.str()) / "blobs" / "objects" / key.substr(0, 2) / key;
    fs::last_write_time(path, fs::last_write_time(path) - std::chrono::hours(2));
  }

  bool exists(const BlobKey& key) { return *blobs_->exists(key); }

  // An import job in `state` whose payload names `archive`.
  Status add_import_job(const std::string& id, const std::string& state, const BlobKey& archive) {
    return db_->write([&](sqlite::Connection& c) -> Status {
      ADLOOM_ASSIGN(auto q, c.prepare("INSERT INTO jobs(id, workspace_id, kind, state, payload, "
                                      "max_attempts, run_after, created_at, updated_at) VALUES "
                                      "(?1, ?2, 'import', ?3, ?4, 3, 0, 0, 0)"));
      q.bind(1, id).bind(2, ctx_.workspace_id).bind(3, state);
      q.bind(4, R"({"import_id":"imp_x","archive":")" + archive + "\"}");
      return q.run();
    });
  }

  std::unique_ptr<FsBlobStore> blobs_;
};

TEST_F(BlobGcTest, RemovesOnlyOldBlobsNothingNeeds) {
  const BlobKey original = put("original bytes");
  const BlobKey thumb = put("thumbnail bytes");
  NewAsset a;
  a.sha256 = original;
  a.mime = "image/jpeg";
  a.bytes = 14;
  a.width = 1;
  a.height = 1;
  a.thumb_key = thumb;
  ASSERT_TRUE(store_->insert_asset(ctx_, a).is_ok());
  const BlobKey old_orphan = put("left by a crash");
  const BlobKey young_orphan = put("an upload in progress");
  const BlobKey archive = put("an archive an import job still needs");
  const BlobKey finished_archive = put("the archive of a dead import job");
  ASSERT_TRUE(add_import_job("job_queued", "queued", archive).is_ok());
  ASSERT_TRUE(add_import_job("job_dead", "dead", finished_archive).is_ok());
  for (const auto& key : {original, thumb, old_orphan, archive, finished_archive}) age(key);

  auto sweep = sweep_orphan_blobs(*store_, *blobs_, clock_.now_ms(), kHour);
  ASSERT_TRUE(sweep.is_ok()) << sweep.status().to_string();
  EXPECT_EQ(sweep->seen, 6);
  EXPECT_EQ(sweep->removed, 2);
  EXPECT_TRUE(exists(original));
  EXPECT_TRUE(exists(thumb));
  EXPECT_TRUE(exists(young_orphan)) << "too young: its asset may be on its way";
  EXPECT_TRUE(exists(archive)) << "a queued import still needs it";
  EXPECT_FALSE(exists(old_orphan));
  EXPECT_FALSE(exists(finished_archive));
}

TEST_F(BlobGcTest, StoringBytesAgainMakesAnOldBlobYoung) {
  const BlobKey key = put("stored long ago, uploaded again now");
  age(key);
  EXPECT_EQ(put("stored long ago, uploaded again now"), key);
  auto sweep = sweep_orphan_blobs(*store_, *blobs_, clock_.now_ms(), kHour);
  ASSERT_TRUE(sweep.is_ok()) << sweep.status().to_string();
  EXPECT_EQ(sweep->removed, 0);
  EXPECT_TRUE(exists(key));
}

}  // namespace
}  // namespace adloom
